//! A fast parser for the block-style YAML that Kubernetes tools, hhfab and people write
//! (mappings, sequences, single-line plain and quoted scalars, `{}`/`[]`).
//!
//! It reads into a [`Node`] tree that borrows its strings from the text, about an order of
//! magnitude faster than libyaml's event machinery. Anything outside that subset (anchors,
//! aliases, tags, flow collections with content, block or multi-line scalars, tabs, odd keys)
//! makes it give up with `Err(Unsupported)`, and the caller hands the document to `serde_yaml_ng`, which is
//! the reference: both must yield the same value for every document the fast path accepts.

use std::borrow::Cow;
use std::collections::HashMap;

use super::node::{Leaf, Node};
use super::scalar::{Plain, is_indicator, is_plain_syntax, quoted, resolve_plain_ref};
use crate::FieldPath;

/// The fast path does not handle this document.
#[derive(Debug)]
pub(crate) struct Unsupported;

type Fast<T> = Result<T, Unsupported>;

/// One line with content (not blank, not a comment), as the parser and the locator see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// Line number inside the document, from 0.
    pub no: u32,
    /// Column of the first character of `text`, from 0.
    pub indent: usize,
    /// The content, without leading indentation and trailing blanks.
    pub text: &'a str,
    /// Byte offset of the line's start in the document.
    pub start: usize,
}

/// The lines of `text` that carry content.
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(text.len() / 24);
    let mut start = 0;
    // `text.split('\n')`, with the line ends found by `memchr`'s vector search.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    for (no, end) in ends.enumerate() {
        let raw = &text[start..end];
        let line_start = start;
        start = end + 1;
        // Trimmed byte by byte: the indentation, one `\r`, then YAML's only blanks, space and
        // tab (U+3000 or U+00A0 at the end of a line belong to its scalar).
        let bytes = raw.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let mut end = bytes.len();
        if end > indent && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        while end > indent && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let content = &raw[indent..end];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        out.push(Line {
            no: u32::try_from(no).unwrap_or(u32::MAX),
            indent,
            text: content,
            start: line_start,
        });
    }
    out
}

/// Whether a line is a block sequence entry (`- x` or a lone `-`).
pub(crate) fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// libyaml refuses an implicit key that runs more than 1024 characters up to its `:`; a key
/// longer than this many bytes (never more characters than bytes) is left to libyaml.
const MAX_FAST_KEY_BYTES: usize = 1000;

/// The key of a mapping entry line and the text after `:`; `Ok(None)` when the line is not
/// a `key: value` entry at all.
pub(crate) fn split_key(text: &str) -> Fast<Option<(Cow<'_, str>, &str)>> {
    if text.starts_with(['"', '\'']) {
        let (key, rest) = quoted(text).ok_or(Unsupported)?;
        if text.len() - rest.len() > MAX_FAST_KEY_BYTES {
            return Err(Unsupported);
        }
        return Ok(rest
            .strip_prefix(':')
            .filter(|r| r.is_empty() || r.starts_with(' '))
            .map(|r| (key, r.trim_start_matches(' '))));
    }
    let bytes = text.as_bytes();
    for i in memchr::memchr2_iter(b':', b'#', bytes) {
        match bytes[i] {
            b':' if bytes.get(i + 1).is_none_or(|&b| b == b' ') => {
                let key = text[..i].trim_end_matches(' ');
                if i > MAX_FAST_KEY_BYTES || !is_plain_syntax(key) {
                    return Err(Unsupported);
                }
                let rest = text[i + 1..].trim_start_matches(' ');
                return Ok(Some((Cow::Borrowed(key), rest)));
            }
            b'#' if i > 0 && bytes[i - 1] == b' ' => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

/// Where a ` #` comment starts in `text`. Scalars rarely hold a `#`, so one `memchr` call
/// usually answers (a substring search cost more than the rest of reading the scalar).
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&i| i > 0 && bytes[i - 1] == b' ')
        .map(|i| i - 1)
}

/// A scalar or empty collection written after `key:` or `- `.
fn inline(text: &str) -> Fast<Node<'_>> {
    let after_comment = |rest: &str| {
        let rest = rest.trim_start_matches(' ');
        rest.is_empty() || rest.starts_with('#')
    };
    if text.starts_with(['"', '\'']) {
        let (value, rest) = quoted(text).ok_or(Unsupported)?;
        return if after_comment(rest) {
            Ok(Node::Str(value))
        } else {
            Err(Unsupported)
        };
    }
    if let Some(rest) = text.strip_prefix("{}") {
        return if after_comment(rest) {
            Ok(Node::Map(Vec::new()))
        } else {
            Err(Unsupported)
        };
    }
    if let Some(rest) = text.strip_prefix("[]") {
        return if after_comment(rest) {
            Ok(Node::Seq(Vec::new()))
        } else {
            Err(Unsupported)
        };
    }
    let plain = comment_start(text)
        .map_or(text, |i| &text[..i])
        .trim_end_matches(' ');
    let bytes = plain.as_bytes();
    let first = bytes.first().copied().ok_or(Unsupported)?;
    let indicator =
        is_indicator(first) || (first == b'-' && (bytes.len() == 1 || bytes[1] == b' '));
    // `: ` or a final `:` would make the line a mapping entry; a tab is not read here.
    let colon_or_tab = memchr::memchr2_iter(b':', b'\t', bytes)
        .any(|i| bytes[i] == b'\t' || bytes.get(i + 1).is_none_or(|&b| b == b' '));
    if indicator || colon_or_tab {
        return Err(Unsupported);
    }
    Ok(match resolve_plain_ref(plain).ok_or(Unsupported)? {
        Plain::Str(s) => Node::Str(Cow::Borrowed(s)),
        Plain::Scalar(leaf) => Node::Scalar(leaf),
    })
}

enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// Parses one document. `Ok(None)` is an empty document. `duplicates` receives the path of
/// every mapping key written twice (the later value is kept where the key was first written,
/// as `serde_yaml_ng` would).
pub(crate) fn parse<'a>(
    text: &'a str,
    max_depth: usize,
    duplicates: &mut Vec<FieldPath>,
) -> Fast<Option<Node<'a>>> {
    if !plain_characters(text) {
        return Err(Unsupported);
    }
    let lines = lines(text);
    if lines.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        lines,
        pos: 0,
        max_depth,
        path: Vec::new(),
        duplicates,
    };
    let value = parser.node(0)?;
    if parser.pos != parser.lines.len() {
        return Err(Unsupported);
    }
    Ok(Some(value))
}

/// Whether `text` holds only characters this parser reads as libyaml does: printable ones
/// (libyaml refuses the others, so the reference parser must report them), no tabs, and no
/// line breaks but `\n` and `\r\n` (libyaml also breaks lines at a lone `\r`, NEL, LS
/// and PS). One pass over the bytes; `text` is valid UTF-8, so a lead byte tells the rest.
fn plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Printable ASCII and `\n` only (the usual case), checked without branches per byte.
    if bytes.iter().fold(true, |ok, &b| {
        ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
    }) {
        return true;
    }
    bytes.iter().enumerate().all(|(i, &b)| {
        let next = |n: usize| bytes.get(i + n).copied().unwrap_or(0);
        match b {
            b'\n' | 0x20..=0x7e => true,
            b'\r' => next(1) == b'\n',
            // U+0080..U+009F: C1 controls, NEL among them.
            0xc2 => next(1) >= 0xa0,
            // U+2028 and U+2029: line and paragraph separators.
            0xe2 => !(next(1) == 0x80 && matches!(next(2), 0xa8 | 0xa9)),
            // U+FEFF (a BOM inside the text), U+FFFE and U+FFFF.
            0xef => !matches!((next(1), next(2)), (0xbb, 0xbf) | (0xbf, 0xbe | 0xbf)),
            _ => b >= 0x80,
        }
    })
}

struct Parser<'a, 'd> {
    lines: Vec<Line<'a>>,
    pos: usize,
    max_depth: usize,
    path: Vec<Step<'a>>,
    duplicates: &'d mut Vec<FieldPath>,
}

/// Mappings up to this many entries find a repeated key by scanning; longer ones by a hash
/// index, so that a hostile mapping of many keys costs linear time.
const SCAN_KEYS: usize = 16;

impl<'a> Parser<'a, '_> {
    fn node(&mut self, depth: usize) -> Fast<Node<'a>> {
        if depth > self.max_depth {
            return Err(Unsupported);
        }
        let line = *self.lines.get(self.pos).ok_or(Unsupported)?;
        if is_dash(line.text) {
            self.seq(line.indent, depth)
        } else {
            self.map(line.indent, depth)
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> Fast<Node<'a>> {
        let mut entries: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut index: HashMap<Cow<'a, str>, usize, foldhash::fast::RandomState> =
            HashMap::default();
        while let Some(line) = self.lines.get(self.pos).copied() {
            if line.indent > indent {
                return Err(Unsupported);
            }
            if line.indent < indent || is_dash(line.text) {
                break;
            }
            let (key, rest) = split_key(line.text)?.ok_or(Unsupported)?;
            self.pos += 1;
            self.path.push(Step::Key(key));
            let value = self.value_after(rest, indent, depth, true)?;
            let Some(Step::Key(key)) = self.path.pop() else {
                return Err(Unsupported);
            };
            let seen = if entries.len() < SCAN_KEYS {
                entries.iter().position(|(k, _)| *k == key)
            } else {
                if index.is_empty() {
                    index.extend(entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)));
                }
                index.get(&key).copied()
            };
            match seen {
                Some(at) => {
                    let mut path = self.field_path();
                    path.push_key(key.as_ref());
                    self.duplicates.push(path);
                    entries[at].1 = value;
                }
                None => {
                    if !index.is_empty() {
                        index.insert(key.clone(), entries.len());
                    }
                    entries.push((key, value));
                }
            }
        }
        Ok(Node::Map(entries))
    }

    fn seq(&mut self, indent: usize, depth: usize) -> Fast<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.pos).copied() {
            if line.indent > indent {
                return Err(Unsupported);
            }
            if line.indent < indent || !is_dash(line.text) {
                break;
            }
            let after = &line.text[1..];
            let item = after.trim_start_matches(' ');
            self.path.push(Step::Index(items.len()));
            let value = if item.is_empty() || item.starts_with('#') {
                self.pos += 1;
                self.value_after("", indent, depth, false)?
            } else if is_dash(item) || split_key(item)?.is_some() {
                // The item is a collection starting on the dash line: parse it as if it
                // began on a line of its own at the column of its first character.
                let inner = indent + 1 + (after.len() - item.len());
                if let Some(slot) = self.lines.get_mut(self.pos) {
                    *slot = Line {
                        indent: inner,
                        text: item,
                        ..line
                    };
                }
                self.node(depth + 1)?
            } else {
                self.pos += 1;
                self.value_after(item, indent, depth, false)?
            };
            self.path.pop();
            items.push(value);
        }
        Ok(Node::Seq(items))
    }

    /// The value of an entry whose inline part is `rest`: that scalar, or the block below.
    fn value_after(
        &mut self,
        rest: &'a str,
        indent: usize,
        depth: usize,
        in_map: bool,
    ) -> Fast<Node<'a>> {
        let next = self.lines.get(self.pos).copied();
        if !rest.is_empty() && !rest.starts_with('#') {
            // A deeper line after an inline scalar would continue it (multi-line plain).
            if next.is_some_and(|n| n.indent > indent) {
                return Err(Unsupported);
            }
            return inline(rest);
        }
        match next {
            Some(n) if n.indent > indent => self.node(depth + 1),
            Some(n) if in_map && n.indent == indent && is_dash(n.text) => {
                self.seq(indent, depth + 1)
            }
            _ => Ok(Node::Scalar(Leaf::Null)),
        }
    }

    fn field_path(&self) -> FieldPath {
        let mut path = FieldPath::root();
        for step in &self.path {
            match step {
                Step::Key(k) => path.push_key(k.as_ref()),
                Step::Index(i) => path.push_index(*i),
            }
        }
        path
    }
}

/// The key written on a line and the text after its `:`, leniently (for locating fields,
/// not for parsing: odd keys the fast path refuses still match here).
pub(crate) fn line_key(text: &str) -> Option<(Cow<'_, str>, &str)> {
    match split_key(text) {
        Ok(found) => found,
        Err(Unsupported) => {
            let end = text
                .find(": ")
                .or_else(|| text.strip_suffix(':').map(str::len))?;
            let key = text[..end].trim().trim_matches(['"', '\'']);
            Some((
                Cow::Borrowed(key),
                text.get(end + 1..).unwrap_or("").trim_start(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn both(text: &str) -> (Value, Value) {
        let mut dups = Vec::new();
        let fast = parse(text, 64, &mut dups).unwrap().unwrap().to_value();
        let slow: Value = serde_yaml_ng::from_str(text).unwrap();
        (fast, slow)
    }

    #[test]
    fn agrees_with_serde_yaml_ng() {
        let text = r#"# leading comment
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: s1--mclag--l1   # trailing comment
  labels:
    "fabric.githedgehog.com/x": 'y'
    a.b/c: "1"
spec:
  mclag:
    links:
    - server: {port: s1/enp2s1}
      switch: {port: l1/E1/1}
    - server:
        port: s1/enp2s2
      nested:
      - - a
        - 2
      -
        x: ~
  empty: {}
  list: []
  n: -12
  f: 1.5
  t: True
  ip: 10.0.0.1/24
  z: 0123
"#;
        // Flow mappings with content are not fast-path material.
        let mut dups = Vec::new();
        assert!(parse(text, 64, &mut dups).is_err());
        let text = text
            .replace("{port: s1/enp2s1}", "\n        port: s1/enp2s1")
            .replace("{port: l1/E1/1}", "\n        port: l1/E1/1");
        let (fast, slow) = both(&text);
        assert_eq!(fast, slow);
        let (fast, slow) = both("1: a\n~: b\nnull: c\ny: d\ntrue: e\n0x1: f\n");
        assert_eq!(fast, slow);
    }

    #[test]
    fn records_duplicates_and_keeps_the_later_value() {
        let mut dups = Vec::new();
        let v = parse("a:\n  b: 1\n  b: 2\n", 64, &mut dups)
            .unwrap()
            .unwrap()
            .to_value();
        assert_eq!(v, serde_json::json!({"a": {"b": 2}}));
        assert_eq!(dups, vec![FieldPath::parse("a.b")]);
        // Past the scanned length a hash index finds them, with the same answers: the value
        // written last, kept where the key was first written.
        let mut text: String = (0..20).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: x\nk18: y\nk3: z\n");
        let mut dups = Vec::new();
        let (fast, slow) = both(&text);
        assert_eq!(fast, slow);
        parse(&text, 64, &mut dups).unwrap();
        assert_eq!(dups, ["k3", "k18", "k3"].map(FieldPath::parse).to_vec(),);
        let keys: Vec<&String> = fast.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 20);
        assert_eq!(
            (keys[3], &fast["k3"]),
            (&"k3".to_owned(), &Value::from("z"))
        );
    }

    #[test]
    fn gives_up_on_what_it_does_not_model() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: |\n  text\n",
            "a: plain\n  continued\n",
            "a: !!str 1\n",
            "a:\n\t- b\n",
            "a: b: c\n",
            "? a\n: b\n",
        ] {
            assert!(parse(text, 64, &mut Vec::new()).is_err(), "{text}");
        }
        assert!(parse("x:\n  y:\n    z: 1\n", 1, &mut Vec::new()).is_err());
        assert!(parse("# only\n\n", 64, &mut Vec::new()).unwrap().is_none());
    }

    /// The lines as first written with `str` methods: the byte-by-byte version must cut and
    /// trim them as it does.
    fn lines_by_str_methods(text: &str) -> Vec<(u32, usize, &str, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (no, raw) in text.split('\n').enumerate() {
            let line_start = start;
            start += raw.len() + 1;
            let content = raw.trim_start_matches(' ');
            let content = content.strip_suffix('\r').unwrap_or(content);
            let content = content.trim_end_matches([' ', '\t']);
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            out.push((u32::try_from(no).unwrap(), indent, content, line_start));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn lines_are_cut_and_trimmed_as_str_methods_do(
            text in "([ \t\r#a:\u{3000}-]{0,6}\n?){0,12}"
        ) {
            let fast: Vec<_> = lines(&text)
                .into_iter()
                .map(|l| (l.no, l.indent, l.text, l.start))
                .collect();
            proptest::prop_assert_eq!(fast, lines_by_str_methods(&text));
        }
    }
}
