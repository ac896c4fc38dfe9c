//! Cutting a file into documents without parsing it, so that documents can be parsed in
//! parallel: YAML on `---` and `...` lines (as hhfab splits wiring files), a JSON array into
//! its items.

use std::ops::Range;

use serde_json::value::RawValue;

/// One document's place in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Byte range in the file.
    pub range: Range<usize>,
    /// Line (from 0) and column (from 0) where the range starts.
    pub line: u32,
    pub column: u32,
}

/// Splits a YAML stream at document markers. A directive (`%YAML`) keeps its `---` with it,
/// and a `--- value` line starts the next document on that line.
pub(crate) fn yaml(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut start_line = 0u32;
    let mut offset = 0;
    let mut directive = false;
    for (no, raw) in text.split_inclusive('\n').enumerate() {
        let no = u32::try_from(no).unwrap_or(u32::MAX);
        let line = raw.trim_end_matches(['\n', '\r']);
        let end_of_line = offset + raw.len();
        if line.starts_with('%') {
            directive = true;
        } else if is_marker(line, "---") && !directive {
            chunks.push(Chunk {
                range: start..offset,
                line: start_line,
                column: 0,
            });
            // `--- value` keeps its line: the document's content starts there.
            let bare = line.trim_end() == "---" || line[3..].trim_start().starts_with('#');
            (start, start_line) = if bare {
                (end_of_line, no.saturating_add(1))
            } else {
                (offset, no)
            };
        } else if is_marker(line, "---") {
            directive = false;
        } else if is_marker(line, "...") {
            chunks.push(Chunk {
                range: start..offset,
                line: start_line,
                column: 0,
            });
            (start, start_line) = (end_of_line, no.saturating_add(1));
            directive = false;
        }
        offset = end_of_line;
    }
    chunks.push(Chunk {
        range: start..text.len(),
        line: start_line,
        column: 0,
    });
    chunks.retain(|c| !c.range.is_empty());
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Splits a JSON text: an array into its items, anything else is one document. Fails with
/// serde_json's error (which has line and column) when the text is not JSON.
pub(crate) fn json(text: &str) -> Result<Vec<Chunk>, serde_json::Error> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        serde_json::from_str::<&RawValue>(text)?;
        let start = text.len() - trimmed.len();
        let (line, column) = advance((0, 0), &text[..start]);
        return Ok(vec![Chunk {
            range: start..text.trim_end().len(),
            line,
            column,
        }]);
    }
    let items: Vec<&RawValue> = serde_json::from_str(text)?;
    let base = text.as_ptr() as usize;
    let mut chunks = Vec::with_capacity(items.len());
    let mut at = (0, 0);
    let mut last = 0;
    for item in items {
        let raw = item.get();
        // `raw` borrows from `text`, so its address gives its offset without searching.
        let start = (raw.as_ptr() as usize).saturating_sub(base);
        at = advance(at, text.get(last..start).unwrap_or(""));
        last = start;
        chunks.push(Chunk {
            range: start..start + raw.len(),
            line: at.0,
            column: at.1,
        });
    }
    Ok(chunks)
}

/// The line and column after reading `text` from `from`; columns count bytes.
pub(crate) fn advance(from: (u32, u32), text: &str) -> (u32, u32) {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    match text.rfind('\n') {
        Some(i) => (
            from.0
                .saturating_add(n(text.bytes().filter(|&b| b == b'\n').count())),
            n(text.len() - i - 1),
        ),
        None => (from.0, from.1.saturating_add(n(text.len()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, chunks: &[Chunk]) -> Vec<&'a str> {
        chunks.iter().map(|c| &text[c.range.clone()]).collect()
    }

    #[test]
    fn splits_yaml_streams() {
        let text = "a: 1\n---\nb: 2\n--- # c\n--- {c: 3}\n...\n%YAML 1.2\n---\nd: 4\n---\r\ne: 5";
        let chunks = yaml(text);
        assert_eq!(
            texts(text, &chunks),
            [
                "a: 1\n",
                "b: 2\n",
                "--- {c: 3}\n",
                "%YAML 1.2\n---\nd: 4\n",
                "e: 5"
            ]
        );
        assert_eq!(
            chunks.iter().map(|c| c.line).collect::<Vec<_>>(),
            [0, 2, 4, 6, 10]
        );
        assert_eq!(texts("---x: 1\n", &yaml("---x: 1\n")), ["---x: 1\n"]);
    }

    #[test]
    fn splits_json_arrays_with_positions() {
        let text = "[\n  {\"a\": 1},\n  {\"b\": [2, 3]}\n]";
        let chunks = json(text).unwrap();
        assert_eq!(texts(text, &chunks), ["{\"a\": 1}", "{\"b\": [2, 3]}"]);
        assert_eq!((chunks[1].line, chunks[1].column), (2, 2));
        let one = " {\"a\": 1} ";
        assert_eq!(texts(one, &json(one).unwrap()), ["{\"a\": 1}"]);
        assert!(json("[{\"a\": }]").is_err());
    }
}
