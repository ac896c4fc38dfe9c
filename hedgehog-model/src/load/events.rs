//! libyaml's own view of a text, where the loader needs it before `serde_yaml_ng` reads a
//! document: how deep it nests, and where its documents start and end. Both come from the
//! events of `libyaml-safer`, a function-by-function safe port of libyaml (the C library
//! `serde_yaml_ng` runs, through `unsafe-libyaml`), and both cost time linear in the text.
//!
//! Nesting: `serde_yaml_ng` turns a whole document into events before anything can count
//! its depth, and libyaml's scanner walks every open flow collection for each token it reads,
//! so 100 000 nested `[` took minutes. Counting the events stops at the first collection
//! beyond the limit: libyaml scans at most one line or 1024 bytes ahead of its parser, so
//! that costs a bounded amount of work whatever follows.
//!
//! libyaml-safer 0.3 panics on a few inputs libyaml reads (a tag right before `,` in a flow
//! collection, a `TODO` of the port; a block scalar at the end of the input). Its panics
//! are caught: a text whose nesting cannot be checked is refused when its nesting matters,
//! and its documents are then cut without libyaml's help.

use std::borrow::Cow;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};

use libyaml_safer::{Encoding, Event, EventData, Parser};

/// `Err` with a message when `text` opens more than `max_depth + 1` nested mappings and
/// sequences, which the reader's own depth bound (values deeper than `max_depth`) would
/// refuse anyway; nesting up to that is left to it.
pub(crate) fn check_nesting(text: &str, max_depth: usize) -> Result<(), String> {
    // libyaml's work per token grows only with the open flow collections; with no more `[`
    // and `{` than the limit its reading is linear already.
    if brackets(text) <= max_depth {
        return Ok(());
    }
    read(text, |events| {
        let mut depth = 0usize;
        for event in events {
            let event = match event {
                Ok(event) => event,
                Err(error) => return after_error(text, &error, max_depth),
            };
            match event.data {
                EventData::SequenceStart { .. } | EventData::MappingStart { .. } => {
                    depth += 1;
                    if depth > max_depth.saturating_add(1) {
                        return Err(format!(
                            "document nested deeper than {max_depth} (line {})",
                            event.start_mark.line.saturating_add(1)
                        ));
                    }
                }
                EventData::SequenceEnd | EventData::MappingEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    })
    .unwrap_or_else(|| {
        Err(
            "document nesting could not be checked (libyaml-safer failed on it), and it \
             holds more `[` and `{` than the depth limit"
                .into(),
        )
    })
}

fn brackets(text: &str) -> usize {
    text.bytes().filter(|b| matches!(b, b'[' | b'{')).count()
}

/// At a syntax error libyaml stops too, so what follows needs no check. But where the port
/// and libyaml might disagree about the error, libyaml would go on: when the rest of the
/// text has more brackets than the limit, the document is refused with the error.
fn after_error(text: &str, error: &libyaml_safer::Error, max_depth: usize) -> Result<(), String> {
    let at = error
        .problem_mark()
        .and_then(|m| usize::try_from(m.index).ok())
        .unwrap_or(0);
    let rest = text.get(at..).unwrap_or(text);
    if brackets(rest) <= max_depth {
        return Ok(());
    }
    Err(format!(
        "{error}; the nesting after it was not checked, and it holds more `[` and `{{` than \
         the depth limit"
    ))
}

/// The byte ranges of the documents of a YAML stream as libyaml delimits them (from a
/// document's first directive, `---` or content to its `...` or the next document), or
/// `None` when the stream has a syntax error or cannot be read safely.
pub(crate) fn documents(text: &str) -> Option<Vec<Range<usize>>> {
    read(text, |events| {
        let mut ranges = Vec::new();
        let mut start = 0;
        for event in events {
            let event = event.ok()?;
            let at = |mark: libyaml_safer::Mark| usize::try_from(mark.index).ok();
            match event.data {
                EventData::DocumentStart { .. } => start = at(event.start_mark)?,
                EventData::DocumentEnd { .. } => {
                    let end = at(event.end_mark)?.min(text.len());
                    ranges.push(start.min(end)..end);
                }
                _ => {}
            }
        }
        Some(ranges)
    })
    .flatten()
}

/// Runs `f` over the events of `text`; `None` when libyaml-safer panicked.
fn read<T>(
    text: &str,
    f: impl FnOnce(&mut dyn Iterator<Item = libyaml_safer::Result<Event>>) -> T,
) -> Option<T> {
    // libyaml-safer panics on a block scalar ending the input without a line break; one
    // more line break at the end changes no structure.
    let text: Cow<'_, str> = if text.ends_with(['\n', '\r']) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{text}\n"))
    };
    let mut parser = Parser::new();
    // UTF-8, said rather than sniffed: libyaml-safer takes any text starting with the byte
    // 0xEF (U+F000 to U+FFFF) for a broken byte order mark.
    parser.set_encoding(Encoding::Utf8);
    parser.set_input(text.as_bytes());
    catch_unwind(AssertUnwindSafe(|| f(&mut parser))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_only_beyond_the_readers_own_bound() {
        // The mapping and three lists: values down to depth 3, as the reader allows.
        let nested = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert!(check_nesting(&nested(3), 3).is_ok());
        assert!(check_nesting(&nested(4), 3).is_err());
        // Brackets in quotes, comments and block scalars are text, not nesting.
        let text = format!(
            "a: '{0}'\nb: \"{0}\" # {0}\nc: |\n  {0}\nd: x{0}\n",
            "[".repeat(20)
        );
        assert!(check_nesting(&text, 3).is_ok());
        // A syntax error before the nesting is left to the reader to report, unless more
        // brackets than the limit follow it.
        assert!(check_nesting("a: [[[]]]\nb: c: d\ne: [[]]\n", 3).is_ok());
        let message = check_nesting("a: b: c\nd: [[[[[[[]]]]]]]\n", 3).unwrap_err();
        assert!(
            message.contains("mapping values are not allowed"),
            "{message}"
        );
        // Found by the yaml_differential fuzz target: libyaml-safer refused a text starting
        // with U+FEF9 (bytes EF BB B9) as a broken byte order mark.
        let arabic = format!(
            "\u{FEF9}a:\n%YAML 1.1\n---\n{}{}\n",
            "[".repeat(9),
            "]".repeat(9)
        );
        assert!(check_nesting(&arabic, 3).is_err_and(|m| m.contains("nested deeper")));
        assert_eq!(documents(&arabic).map(|d| d.len()), Some(2));
        // Found by the fabric_config fuzz target: libyaml-safer panicked on a tag before
        // `,` in a flow collection.
        let tagged = format!("a: [!!str, {}{}]\n", "[".repeat(5), "]".repeat(5));
        assert!(serde_yaml_ng::from_str::<serde_json::Value>(&tagged).is_ok());
        assert!(
            check_nesting(&tagged, 3)
                .unwrap_err()
                .contains("could not be checked")
        );
        // Found by the fuzz targets: libyaml-safer panics on these (libyaml reads them);
        // the panic is caught and, with many brackets, the document refused.
        assert!(read("a: [!!str, b]\n", |events| events.count()).is_none());
        // It also panicked on a block scalar at the very end of a text without a final line
        // break; the text it reads gets one.
        let last = format!("a: [{}]\nb: |\n  c", "[], ".repeat(9));
        assert!(check_nesting(&last, 3).is_ok());
        let whole = documents(&last).unwrap();
        assert_eq!((whole.len(), whole[0].clone()), (1, 0..last.len()));
        // `!,` and brackets in a string are neither a tag nor nesting.
        let text = format!("a: \"hi!, {}\"\n", "[".repeat(9));
        assert!(check_nesting(&text, 3).is_ok());
    }
}
