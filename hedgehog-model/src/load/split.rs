//! Cutting a file into documents without parsing it, so that documents can be parsed in
//! parallel: YAML on `---` and `...` lines (as hhfab splits wiring files), a JSON array into
//! its items.

use std::ops::Range;

use serde_json::value::RawValue;

use super::events;

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
    // Where the current document starts: offset, line and column.
    let mut start = (0, 0u32, 0u32);
    let mut seen = Seen::Nothing;
    let mut percent_after_content = false;
    for line in yaml_lines(text) {
        let after_break = (line.end, line.next_no, line.next_column);
        let content = line.text.trim_start_matches([' ', '\t']);
        // `%` starts a directive before a document's content. After content it may end
        // the document (`a: b\n%YAML 1.1`) or continue a scalar (`a\n%YAML 1.1`): only a
        // parser can tell, so libyaml's events decide for such a stream (below).
        if line.text.starts_with('%') && seen != Seen::Content {
            seen = Seen::Directives;
        } else if line.text.starts_with('%') {
            percent_after_content = true;
        } else if is_marker(line.text, "---") && seen == Seen::Directives {
            seen = Seen::Content;
        } else if is_marker(line.text, "---") {
            push(&mut chunks, start, line.start);
            // `--- value` keeps its line: the document's content starts there.
            // Only space and tab are blanks: `--- \u{2003}` is a document holding U+2003.
            let after = line.text[3..].trim_start_matches([' ', '\t']);
            let bare = after.is_empty() || after.starts_with('#');
            (start, seen) = if bare {
                (after_break, Seen::Nothing)
            } else {
                ((line.start, line.no, line.column), Seen::Content)
            };
        } else if is_marker(line.text, "...") {
            push(&mut chunks, start, line.start);
            (start, seen) = (after_break, Seen::Nothing);
        } else if !content.is_empty() && !content.starts_with('#') {
            seen = Seen::Content;
        }
    }
    push(&mut chunks, start, text.len());
    if percent_after_content && let Some(documents) = events::documents(text) {
        chunks = at_ranges(text, documents);
    }
    chunks.retain(|c| !c.range.is_empty());
    chunks
}

/// Chunks for these byte ranges of `text`, in order, with their lines and columns.
fn at_ranges(text: &str, ranges: Vec<Range<usize>>) -> Vec<Chunk> {
    let (mut at, mut last) = ((0, 0), 0);
    ranges
        .into_iter()
        .map(|range| {
            at = advance(at, text.get(last..range.start).unwrap_or(""));
            last = range.start;
            Chunk {
                range,
                line: at.0,
                column: at.1,
            }
        })
        .collect()
}

/// What the current document holds so far, as far as splitting is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// Blank lines and comments only.
    Nothing,
    /// Directives, waiting for their `---`.
    Directives,
    /// Content (or an explicit start), after which `%` is text.
    Content,
}

fn push(chunks: &mut Vec<Chunk>, (from, line, column): (usize, u32, u32), to: usize) {
    chunks.push(Chunk {
        range: from..to,
        line,
        column,
    });
}

/// One line of a YAML stream as libyaml breaks lines.
struct YamlLine<'a> {
    /// The line without its break.
    text: &'a str,
    /// Offsets of its start and of the byte after its break.
    start: usize,
    end: usize,
    /// Line (counting `\n` only, as positions do) and column of its start, and of the
    /// place after its break.
    no: u32,
    column: u32,
    next_no: u32,
    next_column: u32,
}

/// The lines of `text` as libyaml breaks them: at `\n`, `\r\n`, a lone `\r`, NEL, LS and
/// PS. Positions count `\n` only, as the rest of the loader does.
fn yaml_lines(text: &str) -> impl Iterator<Item = YamlLine<'_>> {
    let bytes = text.as_bytes();
    // Without `\r` and the lead bytes of NEL, LS and PS (the usual case), lines end at `\n`
    // only, found a word at a time.
    let only_newlines = memchr::memchr3(b'\r', 0xc2, 0xe2, bytes).is_none();
    let (mut at, mut no, mut column) = (0usize, 0u32, 0u32);
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let (end_of_text, width) = if only_newlines {
            memchr::memchr(b'\n', &bytes[start..]).map_or((bytes.len(), 0), |i| (start + i, 1))
        } else {
            line_break(bytes, start)
        };
        at = end_of_text + width;
        let (line_no, line_column) = (no, column);
        (no, column) = if width > 0 && bytes[at - 1] == b'\n' {
            (no.saturating_add(1), 0)
        } else {
            let skipped = u32::try_from(at - start).unwrap_or(u32::MAX);
            (no, column.saturating_add(skipped))
        };
        Some(YamlLine {
            text: &text[start..end_of_text],
            start,
            end: at,
            no: line_no,
            column: line_column,
            next_no: no,
            next_column: column,
        })
    })
}

/// Where the line starting at `start` ends, and the width of its break (0 at the end).
fn line_break(bytes: &[u8], start: usize) -> (usize, usize) {
    for i in start..bytes.len() {
        let width = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'\n', _, _) => 1,
            (b'\r', Some(b'\n'), _) => 2,
            (b'\r', _, _) => 1,
            (0xc2, Some(0x85), _) => 2,
            (0xe2, Some(0x80), Some(0xa8 | 0xa9)) => 3,
            _ => 0,
        };
        if width > 0 {
            return (i, width);
        }
    }
    (bytes.len(), 0)
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

    /// Found by the differential property test (issue 12, defect 4): U+2003 after `---` is
    /// content, not a blank, and libyaml breaks lines at NEL, LS, PS and a lone CR too.
    #[test]
    fn splits_where_libyaml_sees_documents() {
        let text = "--- \u{2003}\n";
        assert_eq!(texts(text, &yaml(text)), [text]);
        // Found by the yaml_differential fuzz target: after content, `%` continues a
        // top-level scalar, but ends a mapping's document.
        let text = "a\r\n%YAML 1\n---\nb: 1\n...\n%YAML 1.1\n---\nc: 2\n";
        assert_eq!(
            texts(text, &yaml(text)),
            ["a\r\n%YAML 1\n", "---\nb: 1\n...", "%YAML 1.1\n---\nc: 2\n"]
        );
        let text = "%YAML 1.1\n---\na: b &c\n%YAML 1.1\n---\nd: e\n";
        let chunks = yaml(text);
        assert_eq!(
            texts(text, &chunks),
            ["%YAML 1.1\n---\na: b &c\n", "%YAML 1.1\n---\nd: e\n"]
        );
        assert_eq!((chunks[1].line, chunks[1].column), (3, 0));
        for brk in ["\u{85}", "\u{2028}", "\u{2029}", "\r"] {
            let text = format!("- a{brk}--- x\n...{brk}b: 1\n");
            let chunks = yaml(&text);
            assert_eq!(
                texts(&text, &chunks),
                [format!("- a{brk}"), "--- x\n".into(), "b: 1\n".into()],
                "{brk:?}"
            );
            let at = |c: &Chunk| (c.line, c.column);
            let after = u32::try_from(3 + brk.len()).unwrap();
            assert_eq!(at(&chunks[1]), (0, after), "{brk:?}");
            assert_eq!(at(&chunks[2]), (1, 3 + u32::try_from(brk.len()).unwrap()));
        }
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
