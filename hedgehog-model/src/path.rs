//! JSON paths of fields inside an object, as diagnostics and diffs print them.
//!
//! The form is dotted (`spec.subnets.default.vlan`), with `[i]` for list items and
//! `["key"]` for map keys that are not plain words (`metadata.labels["fabric.githedgehog.com/vpc"]`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A map key or struct field.
    Key(String),
    /// A list index.
    Index(usize),
}

/// A path to a field inside an object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The empty path (the object itself).
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses a dotted path such as `spec.links[0].spine.port`.
    pub fn parse(text: &str) -> Self {
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                rest = after;
                continue;
            }
            if let Some(after) = rest.strip_prefix("[\"") {
                let (key, tail) = read_quoted(after);
                segments.push(Segment::Key(key));
                rest = tail;
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').unwrap_or(after.len());
                match after[..end].parse() {
                    Ok(i) => segments.push(Segment::Index(i)),
                    Err(_) => segments.push(Segment::Key(after[..end].to_owned())),
                }
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                segments.push(Segment::Key(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
        FieldPath(segments)
    }

    /// This path extended by a key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.into()));
        next
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    /// Adds a key in place.
    pub fn push_key(&mut self, key: impl Into<String>) {
        self.0.push(Segment::Key(key.into()));
    }

    /// Adds a list index in place.
    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    /// Removes the last segment.
    pub fn pop(&mut self) -> Option<Segment> {
        self.0.pop()
    }

    /// The segments of the path.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at this path inside `value`, if there is one.
    pub fn get<'v>(&self, value: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        crate::tree::Tree::at(value, self)
    }
}

fn read_quoted(text: &str) -> (String, &str) {
    let mut key = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    key.push(escaped);
                }
            }
            '"' => {
                let tail = &text[i + 1..];
                return (key, tail.strip_prefix(']').unwrap_or(tail));
            }
            _ => key.push(c),
        }
    }
    (key, "")
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | ':'))
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if is_plain(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => {
                    f.write_str("[\"")?;
                    for c in k.chars() {
                        if matches!(c, '"' | '\\') {
                            f.write_str("\\")?;
                        }
                        write!(f, "{c}")?;
                    }
                    f.write_str("\"]")?;
                }
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A dotted JSON path string (`spec.subnets.default.vlan`, `spec.links[0].spine.port`).
impl schemars::JsonSchema for FieldPath {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FieldPath".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Dotted JSON path of a field, e.g. spec.subnets.default.vlan"
        })
    }
}

impl Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(FieldPath::parse(&text))
    }
}

impl From<&str> for FieldPath {
    fn from(text: &str) -> Self {
        FieldPath::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses_back() {
        let p = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("fabric.githedgehog.com/vpc")
            .key("x");
        assert_eq!(
            p.to_string(),
            r#"metadata.labels["fabric.githedgehog.com/vpc"].x"#
        );
        assert_eq!(FieldPath::parse(&p.to_string()), p);
        let q = FieldPath::root()
            .key("spec")
            .key("links")
            .index(2)
            .key("spine");
        assert_eq!(q.to_string(), "spec.links[2].spine");
        assert_eq!(FieldPath::parse("spec.links[2].spine"), q);
        let odd = FieldPath::root().key("a\"b").key("");
        assert_eq!(FieldPath::parse(&odd.to_string()), odd);
    }

    #[test]
    fn gets_values() {
        let v = serde_json::json!({"spec": {"links": [{"a": 1}, {"a": 2}]}});
        assert_eq!(
            FieldPath::parse("spec.links[1].a").get(&v),
            Some(&serde_json::json!(2))
        );
        assert_eq!(FieldPath::parse("spec.nope").get(&v), None);
    }
}
