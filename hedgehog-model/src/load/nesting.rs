//! A guard, linear in the text, against deep nesting before `serde_yaml_ng` reads a document.
//!
//! `serde_yaml_ng` turns a whole document into libyaml events before anything can count its
//! depth, and libyaml's scanner walks every open flow collection for each token it reads, so
//! 100 000 nested `[` took minutes. The guard reads the same events with the same scanner
//! (`libyaml-safer`, a function-by-function safe port of libyaml) and stops at the first
//! collection beyond the limit: libyaml scans at most one line or 1024 characters ahead of
//! its parser, so that costs a bounded amount of work whatever follows.
//!
//! libyaml-safer 0.3 panics where libyaml accepts a tag right before `,` in a flow
//! collection (`[!t, x]`, a `TODO` of the port). That panic is caught here and the document
//! refused: a document whose nesting cannot be checked is not handed to libyaml.

use std::panic::{AssertUnwindSafe, catch_unwind};

use libyaml_safer::{EventData, Parser};

/// `Err` with a message when `text` opens more than `max_depth + 1` nested mappings and
/// sequences, which the reader's own depth bound (values deeper than `max_depth`) would
/// refuse anyway; nesting up to that is left to it.
pub(crate) fn check(text: &str, max_depth: usize) -> Result<(), String> {
    // libyaml's work per token grows only with the open flow collections; with no more `[`
    // and `{` than the limit in the whole text its reading is linear already.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= max_depth {
        return Ok(());
    }
    catch_unwind(AssertUnwindSafe(|| events_within(text, max_depth))).unwrap_or_else(|_| {
        Err(
            "document nesting could not be checked (a tag right before `,` in a flow \
             collection, with more `[` and `{` than the depth limit)"
                .into(),
        )
    })
}

fn events_within(text: &str, max_depth: usize) -> Result<(), String> {
    let mut depth = 0usize;
    let mut parser = Parser::new();
    parser.set_input(text.as_bytes());
    for event in parser {
        // A syntax error comes before any deep nesting; `serde_yaml_ng` reports it.
        let Ok(event) = event else {
            return Ok(());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_only_beyond_the_readers_own_bound() {
        // The mapping and three lists: values down to depth 3, as the reader allows.
        let nested = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert!(check(&nested(3), 3).is_ok());
        assert!(check(&nested(4), 3).is_err());
        // Brackets in quotes, comments and block scalars are text, not nesting.
        let text = format!(
            "a: '{0}'\nb: \"{0}\" # {0}\nc: |\n  {0}\nd: x{0}\n",
            "[".repeat(20)
        );
        assert!(check(&text, 3).is_ok());
        // A syntax error before the nesting is left to the reader to report.
        assert!(check("a: b: c\nd: [[[[[[[]]]]]]]\n", 3).is_ok());
        // Found by the fabric_config fuzz target: libyaml-safer panicked on a tag before
        // `,` in a flow collection.
        let tagged = format!("a: [!!str, {}{}]\n", "[".repeat(5), "]".repeat(5));
        assert!(serde_yaml_ng::from_str::<serde_json::Value>(&tagged).is_ok());
        assert!(
            check(&tagged, 3)
                .unwrap_err()
                .contains("could not be checked")
        );
    }
}
