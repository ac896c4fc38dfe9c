//! The differential check of the YAML reader against its reference: for any text, every
//! document the fast parser reads must be read the same way by `serde_yaml_ng` (libyaml),
//! duplicate keys included, and the loader as a whole must read a stream the way
//! `serde_yaml_ng` reads it; and decoding a typed object straight from the fast parser's tree
//! must give what decoding its JSON value gives. Used by the property tests and by the
//! cargo-fuzz target.

use serde_json::Value;

use super::{slow, split, yaml};
use crate::{FieldPath, Object};

/// Nesting and alias budget of the check: generous, so that only real disagreements show.
const MAX_DEPTH: usize = 64;
const MAX_NODES: usize = 1 << 20;

/// `Ok` when the fast parser and the reference agree on `text`; else what differs.
pub fn check(text: &str) -> Result<(), String> {
    // As the loader does: a leading byte order mark is not content (libyaml would count it
    // as a column, and read `\u{feff}a: 1\nb: 2` as a broken stream).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_decode(text)?;
    let mut ours = Vec::new();
    let mut refused = false;
    for chunk in split::yaml(text) {
        let doc = text.get(chunk.range.clone()).unwrap_or("");
        match read_document(doc)? {
            Read::Value(value) => ours.extend(value),
            Read::Refused => refused = true,
            // Refused by design (`events::check_nesting`): libyaml-safer failed on it, so
            // its nesting is unknown and it has more brackets than the depth limit.
            Read::Unchecked => return Ok(()),
        }
    }
    // The stream as one: what the splitter cut must be what libyaml's documents are.
    match reference_stream(text) {
        Some(theirs) if refused => Err(format!(
            "the loader refuses a document of a stream serde_yaml_ng reads as {theirs:?}"
        )),
        Some(theirs) if theirs != ours => Err(format!(
            "documents differ:\n  loader:       {ours:?}\n  serde_yaml_ng: {theirs:?}"
        )),
        _ => Ok(()),
    }
}

/// `Ok(n)` when, for every document of `text` the fast parser reads, decoding the tree gives
/// what decoding its JSON value gives; `n` counts the documents the tree decoded by itself.
fn check_decode(text: &str) -> Result<usize, String> {
    let mut decoded = 0;
    for chunk in split::yaml(text) {
        let doc = text.get(chunk.range.clone()).unwrap_or("");
        let Ok(Some(node)) = yaml::parse(doc, MAX_DEPTH, &mut Vec::new()) else {
            continue;
        };
        let Some(fast) = node.decode() else {
            continue;
        };
        let reference = Object::from_value(node.to_value());
        if fast != reference {
            return Err(format!(
                "decodings differ:\n  tree:  {fast:?}\n  value: {reference:?}\n{doc:?}"
            ));
        }
        decoded += 1;
    }
    Ok(decoded)
}

/// A document as the loader reads it.
enum Read {
    /// Its value (`None` when empty or `null`).
    Value(Option<Value>),
    /// Refused (a syntax error or a limit).
    Refused,
    /// Refused because its nesting could not be checked.
    Unchecked,
}

/// One document as the loader reads it. Fails when the fast parser reads something the
/// reference does not read the same way.
fn read_document(doc: &str) -> Result<Read, String> {
    let mut fast_duplicates = Vec::new();
    let fast = yaml::parse(doc, MAX_DEPTH, &mut fast_duplicates).map(|n| n.map(|n| n.to_value()));
    let mut duplicates = Vec::new();
    let reference = slow::parse(doc, MAX_NODES, MAX_DEPTH, &mut duplicates);
    let Ok(fast) = fast else {
        return Ok(match reference {
            Ok(value) => Read::Value(non_null(value)),
            Err(slow::Failure::Limit(message)) if message.contains("could not be checked") => {
                Read::Unchecked
            }
            Err(_) => Read::Refused,
        });
    };
    let (fast, reference) = match reference {
        Ok(reference) => (non_null(fast), non_null(reference)),
        Err(slow::Failure::Parse { message, .. } | slow::Failure::Limit(message)) => {
            return Err(format!(
                "the fast parser reads {fast:?} where serde_yaml_ng refuses: {message}\n{doc:?}"
            ));
        }
    };
    if fast != reference {
        return Err(format!(
            "values differ:\n  fast:          {fast:?}\n  serde_yaml_ng: {reference:?}\n{doc:?}"
        ));
    }
    if fast_duplicates != duplicates {
        return Err(format!(
            "duplicate keys differ: fast {fast_duplicates:?}, serde_yaml_ng {duplicates:?}\n{doc:?}"
        ));
    }
    Ok(Read::Value(fast))
}

/// The loader skips empty documents and documents that are `null`.
fn non_null(value: Option<Value>) -> Option<Value> {
    value.filter(|v| !v.is_null())
}

/// Every non-null document of the stream as `serde_yaml_ng` reads it, or `None` when it
/// refuses the stream or a limit stops it.
fn reference_stream(text: &str) -> Option<Vec<Value>> {
    let mut values = Vec::new();
    for document in serde_yaml_ng::Deserializer::from_str(text) {
        let mut duplicates: Vec<FieldPath> = Vec::new();
        let value = slow::read(document, MAX_NODES, MAX_DEPTH, &mut duplicates).ok()?;
        values.extend(non_null(Some(value)));
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Scalars where readers disagree: quoting and escapes (valid and not), YAML 1.1 and 1.2
    /// numbers and booleans, indicators, comments, anchors, tags, flow bits, Unicode spaces,
    /// control characters, tabs and odd line breaks.
    const ODD: &[&str] = &[
        "\"\\u+041\"",
        "\"\\u0041\"",
        "\"\\u00e9x\"",
        "\"\\x41\"",
        "\"\\ud800\"",
        "\"\\U0001F600\"",
        "\"a\\\"b\"",
        "\"\\/\\b\\f\\0\\t\\r\\n\"",
        "\"\\N\\_\\L\\P\"",
        "\"\\e\\a\\v\"",
        "\"\\q\"",
        "\"\\ \"",
        "\"unterminated",
        "'unterminated",
        "'it''s'",
        "'a\"b'",
        "''",
        "\"\"",
        "'a' b",
        "\"a\" b",
        "\"a\"#c",
        "\"a\" #c",
        "'a'#c",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "tRUE",
        "FALSE",
        "0",
        "-0",
        "+0",
        "00",
        "0123",
        "-0123",
        "08",
        "0o17",
        "0O17",
        "0o",
        "017",
        "0x1F",
        "0X1f",
        "-0x1F",
        "+0x1F",
        "0x",
        "0b101",
        "-0b1",
        "0b",
        "1_000",
        "1__0",
        "1:20",
        "1:20:30.5",
        ".5",
        "5.",
        "-5.",
        "1e3",
        "1E3",
        "1e+3",
        "1.0e-3",
        "1e",
        "e1",
        "+1",
        "+.5",
        "-.5",
        ".",
        "-.",
        "+",
        "-",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "+.nan",
        "inf",
        "-inf",
        "NaN",
        "infinity",
        "1.5e999",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "9223372036854775808",
        "0x10000000000000000",
        "10.0.0.1/24",
        "2001:db8::1",
        "0c:20:12:fe:01:00",
        "&a x",
        "*a",
        "&a",
        "!!str 1",
        "!!int 1",
        "!t x",
        "! x",
        "{}",
        "[]",
        "{ }",
        "[ ]",
        "{a: 1}",
        "[1, 2]",
        "[a, {b: c}]",
        "{a: [b]}",
        "[",
        "]",
        "{",
        "}",
        "|",
        ">",
        "|-",
        ">+",
        "|2",
        "a # c",
        "a#c",
        "#c",
        "a: b",
        "a:b",
        "a:",
        "a::",
        ":a",
        "- a",
        "-a",
        "--",
        "---",
        "...",
        "--- x",
        "?",
        "? a",
        "?a",
        "%x",
        "@x",
        "`x",
        ",x",
        "a,b",
        "a\tb",
        "\ta",
        "a\t",
        "a\u{3000}",
        "\u{3000}a",
        "\u{a0}",
        "a\u{a0}",
        "a\u{2003}b",
        "a\u{202f}",
        "\u{1680}",
        "a\u{1}",
        "\u{7f}",
        "a\u{85}b",
        "\u{85}",
        "a\u{feff}",
        "\u{2028}",
        "a\u{2029}b",
        "a\u{fffe}",
        "a\r",
        "a\rb",
        "\u{e9}",
        "\u{1F600}",
        "a  ",
        " a",
        "a \u{3000}",
        "\"a\u{3000}\"\u{3000}",
        "'a\u{1}'",
        "\"\u{7f}\"",
    ];

    const KEYS: &[&str] = &[
        "a",
        "b",
        "spec",
        "a:b",
        "a::b",
        "\"q k\"",
        "'q'",
        "\"a\\u0041\"",
        "'it''s'",
        "1",
        "0x1",
        "~",
        "null",
        "true",
        "yes",
        "a b",
        "a\u{3000}",
        "\u{e9}",
        "? x",
        "-x",
        "a#b",
        "[k]",
        "{k: v}",
        "&a k",
        "*a",
        "\"\"",
        "''",
        "a\tb",
        "!t k",
        "- k",
        "a ",
        "\"a\": b",
    ];

    /// Blanks and other endings that may trail a line.
    const ENDS: &[&str] = &[
        "",
        "",
        "",
        " ",
        "  ",
        "\t",
        " # c",
        "# c",
        "\u{3000}",
        "\u{a0}",
        " \u{2003}",
        "\r",
    ];

    #[derive(Clone, Debug)]
    enum Node {
        Scalar(String),
        Map(Vec<(String, Node)>),
        Seq(Vec<Node>),
    }

    fn text_of(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(pool).prop_map(str::to_owned),
            4 => "[a-z][a-z0-9./-]{0,6}",
            2 => "[a-z0-9 .:#'\"&*!|>{}\\[\\],-]{0,8}",
            1 => any::<String>(),
            1 => (prop::sample::select(pool), prop::sample::select(pool))
                .prop_map(|(a, b)| format!("{a}{b}")),
        ]
    }

    fn node() -> impl Strategy<Value = Node> {
        text_of(ODD)
            .prop_map(Node::Scalar)
            .prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec((text_of(KEYS), inner.clone()), 1..4).prop_map(Node::Map),
                    prop::collection::vec(inner, 1..4).prop_map(Node::Seq),
                ]
            })
    }

    /// Writes `node` as block YAML at `indent`, ending each line with one of `ends`.
    fn render(
        node: &Node,
        indent: usize,
        ends: &mut impl Iterator<Item = &'static str>,
        out: &mut String,
    ) {
        let pad = " ".repeat(indent);
        match node {
            Node::Scalar(s) => out.push_str(&format!("{pad}{s}{}\n", ends.next().unwrap_or(""))),
            Node::Map(entries) => {
                for (key, value) in entries {
                    match value {
                        Node::Scalar(s) => {
                            out.push_str(&format!(
                                "{pad}{key}: {s}{}\n",
                                ends.next().unwrap_or("")
                            ));
                        }
                        Node::Seq(_) if indent.is_multiple_of(3) => {
                            // hhfab's style: a list at its key's column.
                            out.push_str(&format!("{pad}{key}:\n"));
                            render(value, indent, ends, out);
                        }
                        _ => {
                            out.push_str(&format!("{pad}{key}:{}\n", ends.next().unwrap_or("")));
                            render(value, indent + 2, ends, out);
                        }
                    }
                }
            }
            Node::Seq(items) => {
                for item in items {
                    match item {
                        Node::Scalar(s) => {
                            out.push_str(&format!("{pad}- {s}{}\n", ends.next().unwrap_or("")));
                        }
                        _ => {
                            out.push_str(&format!("{pad}-\n"));
                            render(item, indent + 2, ends, out);
                        }
                    }
                }
            }
        }
    }

    /// Realistic block YAML made of odd scalars and keys, then lightly damaged: lines
    /// swapped, indented differently, cut, or split into documents.
    fn yaml_like() -> impl Strategy<Value = String> {
        let ends = prop::collection::vec(prop::sample::select(ENDS), 64);
        let edits = prop::collection::vec((0usize..64, 0usize..6), 0..3);
        (node(), ends, edits, any::<bool>()).prop_map(|(node, ends, edits, crlf)| {
            let mut out = String::new();
            render(&node, 0, &mut ends.into_iter().cycle(), &mut out);
            let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
            for (at, edit) in edits {
                let n = lines.len();
                if n == 0 {
                    break;
                }
                let i = at % n;
                match edit {
                    0 => lines.swap(i, (i + 1) % n),
                    1 => lines[i].insert(0, ' '),
                    2 => lines.insert(i, "---".into()),
                    3 => lines.insert(i, "# comment: [".into()),
                    4 => {
                        let cut = lines[i]
                            .char_indices()
                            .nth(lines[i].chars().count() / 2)
                            .map_or(0, |(c, _)| c);
                        lines[i].truncate(cut);
                    }
                    _ => lines.insert(i, String::new()),
                }
            }
            lines.join(if crlf { "\r\n" } else { "\n" })
        })
    }

    /// Objects of every kind as operators write them, one YAML text each.
    fn real_objects() -> &'static [String] {
        static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        TEXTS.get_or_init(|| {
            let mut objects = crate::sample::realistic(1_000);
            objects.extend(crate::sample::preset(crate::sample::Preset::Vlab));
            let mut seen = std::collections::HashMap::new();
            objects
                .into_iter()
                // Up to three of each kind: enough shapes, few enough to mutate each often.
                .filter(|o| {
                    let n = seen.entry(o.kind()).or_insert(0);
                    *n += 1;
                    *n <= 3
                })
                .map(|o| crate::render::render(&[super::super::Document::new(o)]))
                .collect()
        })
    }

    /// A real object with a few lines changed the way people and tools get them wrong:
    /// odd scalars, unknown fields, nulls, repeated or missing lines, lists or mappings where
    /// scalars belong and the other way round.
    fn damaged_object() -> impl Strategy<Value = String> {
        let edits = prop::collection::vec((0usize..256, 0usize..12, text_of(ODD)), 1..4);
        (0usize..1024, edits).prop_map(|(which, edits)| {
            let texts = real_objects();
            let mut lines: Vec<String> = texts[which % texts.len()]
                .lines()
                .map(str::to_owned)
                .collect();
            for (at, edit, odd) in edits {
                let i = at % lines.len();
                let line = lines[i].clone();
                let indent = line.len() - line.trim_start().len();
                let pad = " ".repeat(indent);
                let key = line.split_once(": ").map(|(k, _)| k.to_owned());
                let value = line.split_once(": ").map_or("", |(_, v)| v);
                match (edit, key) {
                    (0, Some(k)) => lines[i] = format!("{k}: {odd}"),
                    // Values that often still fit the field: quoted, empty, null, commented.
                    (8, Some(k)) => lines[i] = format!("{k}: \"{value}\""),
                    (9, Some(k)) => lines[i] = format!("{k}: ''"),
                    (10, Some(k)) => lines[i] = format!("{k}: ~"),
                    (11, Some(k)) => lines[i] = format!("{k}: '{value}' # {odd}"),
                    (1, Some(k)) => lines[i] = format!("{k}:"),
                    (2, Some(k)) => {
                        lines[i] = format!("{k}:");
                        lines.insert(i + 1, format!("{pad}- {odd}"));
                    }
                    (3, Some(k)) => {
                        lines[i] = format!("{k}:");
                        lines.insert(i + 1, format!("{pad}  x: {odd}"));
                    }
                    (4, _) => lines.insert(i, format!("{pad}extra: {odd}")),
                    (5, _) => lines.insert(i, line),
                    (6, _) if lines.len() > 1 => {
                        lines.remove(i);
                    }
                    _ => lines.insert(i, format!("{pad}- {odd}")),
                }
            }
            lines.join("\n")
        })
    }

    #[test]
    fn the_tree_decodes_every_real_object_by_itself() {
        for text in real_objects() {
            assert_eq!(check_decode(text), Ok(1), "{text}");
        }
        // The decoding is compared, not just run: a tree that reads differently is caught.
        let text = &real_objects()[0];
        let doc = yaml::parse(text, MAX_DEPTH, &mut Vec::new())
            .unwrap()
            .unwrap();
        let fast = doc.decode().unwrap();
        let mut value = doc.to_value();
        value["metadata"]["name"] = Value::String("other".into());
        assert_ne!(fast, Object::from_value(value));
    }

    proptest! {
        // PROPTEST_CASES makes a longer run (`PROPTEST_CASES=1000000 cargo test …`).
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2048),
            ..ProptestConfig::default()
        })]

        /// Decoding a damaged object straight from the tree gives what decoding its JSON
        /// value gives, or leaves it to that decoding.
        #[test]
        fn tree_decoding_agrees_with_value_decoding(text in damaged_object()) {
            if let Err(difference) = check_decode(&text) {
                return Err(TestCaseError::fail(format!("{difference}\n--- text ---\n{text}")));
            }
        }

        /// Issue 12, defect 4: the fast parser and libyaml agree on every YAML-like text:
        /// equal values (and duplicate keys), or the fast parser hands the text over.
        #[test]
        fn fast_parser_agrees_with_libyaml(text in yaml_like()) {
            if let Err(difference) = check(&text) {
                return Err(TestCaseError::fail(format!("{difference}\n--- text ---\n{text}")));
            }
        }
    }

    #[test]
    fn finds_a_disagreement_and_accepts_agreement() {
        assert!(check("a: 1\nb: [x, {c: d}]\n---\n- e\n").is_ok());
        assert!(check("a: \"\\u+041\"\n").is_ok());
        assert!(check("a: b\u{3000}\n").is_ok());
        // Found by the yaml_differential fuzz target: the harness must drop a leading BOM
        // as the loader does.
        assert!(check("\u{feff}a: b\u{3000}8\nh: 1\n").is_ok());
        // Found by the hour-long yaml_differential campaign: libyaml refuses an implicit
        // key longer than 1024 characters ("mapping values are not allowed").
        for long in [1023, 1025, 2000] {
            let key = "k".repeat(long);
            assert!(check(&format!("a: 1\nb:\n- {key}:\n")).is_ok(), "{long}");
            assert!(
                check(&format!("a: 1\r\nb:\r\n- {key}`[[2_mr[[:\r\n")).is_ok(),
                "{long}"
            );
            assert!(check(&format!("{key}: 1\n")).is_ok(), "{long}");
            assert!(check(&format!("\"{key}\": 1\n")).is_ok(), "{long}");
        }
    }
}
