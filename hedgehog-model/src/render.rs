//! Canonical YAML: one document per object in [`ObjectKey`] order, fields in the order the
//! model serialises them, unknown fields put back, nothing that changes between runs.
//!
//! Rendering is a fixed point: loading what [`render`] wrote and rendering it again gives
//! the same bytes.
//!
//! ```
//! use hedgehog_model::load::{Limits, Loader};
//! use hedgehog_model::render::render;
//!
//! let text = "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: b}\n";
//! let loaded = Loader::new(Limits::default()).load_str(text, None);
//! let out = render(&loaded.documents);
//! assert_eq!(out, "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: b\n");
//! ```

use rayon::prelude::*;
use serde_json::Value;

use crate::ObjectKey;
use crate::load::{Document, write_string};

/// How [`render_with`] writes documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Write hhfab's `#\n# <Kind>List\n#` comment before the first object of each kind.
    pub headers: bool,
}

/// Renders documents as canonical multi-document YAML (no headers).
pub fn render(documents: &[Document]) -> String {
    render_with(documents, &RenderOptions::default())
}

/// Renders documents as canonical multi-document YAML.
pub fn render_with(documents: &[Document], options: &RenderOptions) -> String {
    let mut ordered: Vec<(ObjectKey, &Document)> =
        documents.par_iter().map(|d| (d.key(), d)).collect();
    // Stable, so that duplicates of one key keep their input order.
    ordered.par_sort_by(|a, b| a.0.cmp(&b.0));
    let bodies: Vec<String> = ordered.par_iter().map(|(_, doc)| render_one(doc)).collect();
    let mut out = String::with_capacity(bodies.iter().map(|b| b.len() + 4).sum());
    let mut previous: Option<&ObjectKey> = None;
    for ((key, _), body) in ordered.iter().zip(&bodies) {
        let new_kind =
            previous.is_none_or(|p| (&p.api_group, &p.kind) != (&key.api_group, &key.kind));
        if options.headers && new_kind {
            out.push_str("#\n# ");
            out.push_str(&key.kind);
            out.push_str("List\n#\n");
        }
        if previous.is_some() {
            out.push_str("---\n");
        }
        out.push_str(body);
        previous = Some(key);
    }
    out
}

/// Writes one value as a YAML document (block style; `{}`/`[]` for empty collections).
/// One document as canonical YAML: what [`render`] writes for a slice holding only it,
/// without sorting or joining (the per-object renderings of a Git layout need nothing else).
pub fn render_one(document: &Document) -> String {
    let mut out = String::with_capacity(512);
    write_document(&mut out, &document.to_value());
    out
}

fn write_document(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => write_map(out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(out, items, 0),
        other => {
            write_scalar(out, other);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first entry of a map inside a list item sits on the `- ` line.
        if i > 0 || level == 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        write_string(out, key);
        out.push(':');
        write_child(out, value, level, true);
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || level == 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        out.push('-');
        write_child(out, item, level, false);
    }
}

/// Writes what follows `key:` or `-`: a scalar on the same line, or a block below (a list
/// under a key stays at the key's indentation, as kubectl writes it).
fn write_child(out: &mut String, value: &Value, level: usize, under_key: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            if under_key {
                out.push('\n');
                write_map(out, map, level + 2);
            } else {
                out.push(' ');
                write_map(out, map, level + 2);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            if under_key {
                out.push('\n');
                write_seq(out, items, level);
            } else {
                out.push(' ');
                write_seq(out, items, level + 2);
            }
        }
        scalar => {
            out.push(' ');
            write_scalar(out, scalar);
            out.push('\n');
        }
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let text = n.to_string();
            out.push_str(&text);
            // `1e5` reads back as a float, but a float printed without `.`/`e` would not.
            if n.is_f64() && !text.contains(['.', 'e', 'E']) {
                out.push_str(".0");
            }
        }
        Value::String(s) => write_string(out, s),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(value: &Value) -> String {
        let mut out = String::new();
        write_document(&mut out, value);
        out
    }

    #[test]
    fn writes_block_yaml_that_reads_back() {
        let value = json!({
            "a": {"b": [1, {"c": "x: y", "d": []}, [true, null, 1.5]], "e": {}},
            "f": ["", "0123", "é"],
            "g": {"h": {"i": -3}},
        });
        let text = yaml(&value);
        assert_eq!(
            text,
            "a:\n  b:\n  - 1\n  - c: \"x: y\"\n    d: []\n  - - true\n    - null\n    - 1.5\n  e: {}\nf:\n- \"\"\n- \"0123\"\n- é\ng:\n  h:\n    i: -3\n"
        );
        let back: Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
