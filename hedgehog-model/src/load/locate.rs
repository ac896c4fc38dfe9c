//! From a field path to the line and column where that field is written, by re-reading the
//! document's text: block YAML by indentation, JSON by a small tokenizer. Only documents
//! that have diagnostics are ever scanned.

use super::yaml::{Line, is_dash, line_key, lines};
use crate::Segment;

/// A place inside a document's text, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Spot {
    pub line: u32,
    pub column: u32,
}

impl Spot {
    fn of(line: &Line<'_>) -> Spot {
        Spot {
            line: line.no,
            column: u32::try_from(line.indent).unwrap_or(u32::MAX),
        }
    }
}

/// Where the field at `path` is written in a YAML document, or its deepest existing parent,
/// or the document's first line.
pub(crate) fn yaml(text: &str, path: &[Segment]) -> Spot {
    descend(&lines(text), path).0
}

/// Every place where `key` is written directly under `parent` (several when it is a
/// duplicate key).
pub(crate) fn yaml_key_spots(text: &str, parent: &[Segment], key: &str) -> Vec<Spot> {
    let (_, scope, found) = descend(&lines(text), parent);
    if found < parent.len() {
        return Vec::new();
    }
    let Some(base) = scope.first().map(|l| l.indent) else {
        return Vec::new();
    };
    scope
        .iter()
        .filter(|l| l.indent == base && !is_dash(l.text))
        .filter(|l| line_key(l.text).is_some_and(|(k, _)| k == key))
        .map(Spot::of)
        .collect()
}

/// The items of the block sequence at `path`: each one's byte range (from its `-` line to
/// the next item's) and where its `-` is. Empty when `path` is not a block sequence.
pub(crate) fn yaml_items(text: &str, path: &[Segment]) -> Vec<(std::ops::Range<usize>, Spot)> {
    let (_, scope, found) = descend(&lines(text), path);
    let Some(base) = scope
        .first()
        .map(|l| l.indent)
        .filter(|_| found == path.len())
    else {
        return Vec::new();
    };
    let dashes: Vec<&Line<'_>> = scope
        .iter()
        .filter(|l| l.indent == base && is_dash(l.text))
        .collect();
    let mut items = Vec::with_capacity(dashes.len());
    for (i, line) in dashes.iter().enumerate() {
        let end = dashes.get(i + 1).map_or(text.len(), |next| next.start);
        items.push((line.start..end, Spot::of(line)));
    }
    items
}

/// The first content of a YAML document (after blank lines, comments and a bare `---`).
pub(crate) fn yaml_start(text: &str) -> Spot {
    for (no, raw) in text.split('\n').enumerate() {
        let content = raw.trim_start_matches(' ').trim_end();
        if content.is_empty() || content.starts_with('#') || content == "---" {
            continue;
        }
        return Spot {
            line: u32::try_from(no).unwrap_or(u32::MAX),
            column: u32::try_from(raw.len() - raw.trim_start_matches(' ').len())
                .unwrap_or(u32::MAX),
        };
    }
    Spot { line: 0, column: 0 }
}

/// Walks `path` down from the whole document: the spot of the deepest segment found, the
/// lines of its value, and how many segments were found.
fn descend<'a>(all: &[Line<'a>], path: &[Segment]) -> (Spot, Vec<Line<'a>>, usize) {
    let mut spot = all.first().map_or(Spot { line: 0, column: 0 }, Spot::of);
    let mut scope = all.to_vec();
    for (depth, seg) in path.iter().enumerate() {
        match step(&scope, seg) {
            Some((at, inner)) => {
                spot = at;
                scope = inner;
            }
            None => return (spot, scope, depth),
        }
    }
    (spot, scope, path.len())
}

fn step<'a>(scope: &[Line<'a>], seg: &Segment) -> Option<(Spot, Vec<Line<'a>>)> {
    let base = scope.first()?.indent;
    let mut seen = 0;
    for (i, line) in scope.iter().enumerate().filter(|(_, l)| l.indent == base) {
        match seg {
            Segment::Key(key) if !is_dash(line.text) => {
                if let Some((found, rest)) = line_key(line.text)
                    && found == key.as_str()
                {
                    return Some((Spot::of(line), value_lines(scope, i, rest, true)));
                }
            }
            Segment::Index(n) if is_dash(line.text) => {
                if seen == *n {
                    let item = line.text[1..].trim_start();
                    return Some((Spot::of(line), value_lines(scope, i, item, false)));
                }
                seen += 1;
            }
            _ => {}
        }
    }
    None
}

/// The lines of the value of entry `scope[i]`, whose inline part is `rest` (a suffix of the
/// entry's text): `rest` as a line of its own, then the deeper lines below.
fn value_lines<'a>(scope: &[Line<'a>], i: usize, rest: &'a str, is_key: bool) -> Vec<Line<'a>> {
    let Some(entry) = scope.get(i) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let inline = !rest.is_empty() && !rest.starts_with('#');
    if inline {
        let column = entry.indent + entry.text.len() - rest.len();
        out.push(Line {
            indent: column,
            text: rest,
            ..*entry
        });
    }
    for line in scope.iter().skip(i + 1) {
        let same_level_list =
            is_key && !inline && line.indent == entry.indent && is_dash(line.text);
        if line.indent > entry.indent || same_level_list {
            out.push(*line);
        } else {
            break;
        }
    }
    out
}

/// Where the field at `path` is written in a JSON text, as a byte offset: the deepest
/// segment found (its key, or the list item), or the start of the text.
pub(crate) fn json(text: &str, path: &[Segment]) -> usize {
    let mut scan = Json {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    scan.ws();
    let mut found = scan.pos;
    for seg in path {
        match scan.enter(seg) {
            Some(at) => found = at,
            None => break,
        }
    }
    found
}

/// Every byte offset where `key` is written directly in the JSON object at `parent`.
pub(crate) fn json_key_offsets(text: &str, parent: &[Segment], key: &str) -> Vec<usize> {
    let mut scan = Json {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    let mut found = Vec::new();
    if parent.iter().any(|seg| scan.enter(seg).is_none()) || scan.eat(b'{').is_none() {
        return found;
    }
    loop {
        scan.ws();
        let at = scan.pos;
        let Some(name) = scan.string() else {
            return found;
        };
        if name == key {
            found.push(at);
        }
        if scan.eat(b':').is_none() {
            return found;
        }
        scan.ws();
        if scan.skip().is_none() || scan.eat(b',').is_none() {
            return found;
        }
    }
}

/// The byte ranges of the items of the JSON array at `path`; empty when there is none.
pub(crate) fn json_items(text: &str, path: &[Segment]) -> Vec<std::ops::Range<usize>> {
    let mut scan = Json {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    for seg in path {
        if scan.enter(seg).is_none() {
            return Vec::new();
        }
    }
    let mut items = Vec::new();
    if scan.eat(b'[').is_none() {
        return items;
    }
    loop {
        scan.ws();
        if scan.bytes.get(scan.pos).is_none_or(|&b| b == b']') {
            return items;
        }
        let start = scan.pos;
        if scan.skip().is_none() {
            return items;
        }
        items.push(start..scan.pos);
        if scan.eat(b',').is_none() {
            return items;
        }
    }
}

struct Json<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.bytes.get(self.pos) == Some(&b)).then(|| self.pos += 1)
    }

    /// Moves to the value of `seg` inside the value at the cursor; returns where the key or
    /// item starts.
    fn enter(&mut self, seg: &Segment) -> Option<usize> {
        match seg {
            Segment::Key(key) => {
                self.eat(b'{')?;
                loop {
                    self.ws();
                    let at = self.pos;
                    let name = self.string()?;
                    self.eat(b':')?;
                    self.ws();
                    if name == *key {
                        return Some(at);
                    }
                    self.skip()?;
                    self.eat(b',')?;
                }
            }
            Segment::Index(n) => {
                self.eat(b'[')?;
                for _ in 0..*n {
                    self.ws();
                    self.skip()?;
                    self.eat(b',')?;
                }
                self.ws();
                (self.bytes.get(self.pos) != Some(&b']')).then_some(self.pos)
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_str(self.text.get(start..self.pos)?).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        (self.bytes.get(self.pos) == Some(&b'"')).then_some(())?;
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Skips one value (the cursor is on its first byte).
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.bytes.get(self.pos)? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                _ => {
                    while self
                        .bytes
                        .get(self.pos)
                        .is_some_and(|b| !b",:]} \t\r\n".contains(b))
                    {
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldPath;

    const DOC: &str = "\
apiVersion: v1
metadata:
  name: x # c
spec:
  links:
  - spine:
      port: s/E1/1
    leaf: {port: l}
  -   spine:
        port: s/E1/2
  subnets:
    \"default\":
      vlan: 1001
";

    fn at(path: &str) -> (u32, u32) {
        let s = yaml(DOC, FieldPath::parse(path).segments());
        (s.line + 1, s.column + 1)
    }

    #[test]
    fn finds_yaml_fields_and_falls_back_to_parents() {
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("metadata.name"), (3, 3));
        assert_eq!(at("spec.links[0].spine.port"), (7, 7));
        assert_eq!(at("spec.links[0].leaf"), (8, 5));
        assert_eq!(at("spec.links[0].leaf.port"), (8, 5));
        assert_eq!(at("spec.links[1].spine.port"), (10, 9));
        assert_eq!(at("spec.links[2]"), (5, 3));
        assert_eq!(at("spec.subnets.default.vlan"), (13, 7));
        assert_eq!(at("spec.nope.deeper"), (4, 1));
    }

    #[test]
    fn lists_duplicate_keys() {
        let spots = yaml_key_spots(
            "a:\n  b: 1\n  c: 2\n  b: 3\n",
            &[Segment::Key("a".into())],
            "b",
        );
        assert_eq!(spots.iter().map(|s| s.line).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn finds_json_fields() {
        let text = r#"{"a": {"x": [1, {"y": "z\"}"}], "b": 2}, "c": [[], {"d": null}]}"#;
        let off = |p: &str| json(text, FieldPath::parse(p).segments());
        assert_eq!(&text[off("c[1].d")..][..3], "\"d\"");
        assert_eq!(&text[off("a.b")..][..3], "\"b\"");
        assert_eq!(&text[off("a.x[1].y")..][..3], "\"y\"");
        assert_eq!(off("a.x[5]"), off("a.x"));
        assert_eq!(off(""), 0);
        let dup = r#"{"m": {"k": 1, "j": {"k": 0}, "k": 2}}"#;
        let offsets = json_key_offsets(dup, FieldPath::parse("m").segments(), "k");
        assert_eq!(offsets, [7, 30]);
    }
}
