//! YAML scalars as `serde_yaml_ng` reads them (YAML 1.2 core schema), shared by the fast
//! parser, the locator and the renderer so that all three agree on what text means.

use std::borrow::Cow;

use serde_json::Number;

use super::node::Leaf;

/// A plain scalar resolved without copying its text.
pub(crate) enum Plain<'t> {
    /// A string: the text itself.
    Str(&'t str),
    /// Null, a boolean or a number.
    Scalar(Leaf),
}

/// What a plain (unquoted) scalar resolves to, or `None` when the fast path should leave the
/// document to `serde_yaml_ng` (integers wider than 64 bits, which `serde_json` cannot hold).
/// A string borrows the text.
pub(crate) fn resolve_plain_ref(text: &str) -> Option<Plain<'_>> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Plain::Scalar(Leaf::Null)),
        "true" | "True" | "TRUE" => return Some(Plain::Scalar(Leaf::Bool(true))),
        "false" | "False" | "FALSE" => return Some(Plain::Scalar(Leaf::Bool(false))),
        _ => {}
    }
    let first = text.as_bytes().first().copied().unwrap_or(b'a');
    // Only text starting like a number can be one (`inf`/`nan` parse as floats in Rust but
    // are not finite, so YAML keeps them as strings).
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Some(Plain::Str(text));
    }
    if let Some(n) = parse_int(text) {
        return n.map(Plain::Scalar);
    }
    if !leading_zero_digits(text)
        && let Some(f) = parse_float(text)
    {
        return Some(Plain::Scalar(
            Number::from_f64(f).map_or(Leaf::Null, Leaf::Number),
        ));
    }
    Some(Plain::Str(text))
}

/// `Some(Some(n))` for an integer that fits 64 bits, `Some(None)` for one that does not,
/// `None` for text that is no integer.
fn parse_int(text: &str) -> Option<Option<Leaf>> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if unsigned.starts_with(['+', '-']) {
        return None;
    }
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else {
        if leading_zero_digits(text) {
            return None;
        }
        (10, unsigned)
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok();
    Some(magnitude.and_then(|m| {
        if negative {
            let n = i128::try_from(m).ok()?.checked_neg()?;
            i64::try_from(n).ok().map(|n| Leaf::Number(n.into()))
        } else {
            u64::try_from(m).ok().map(|n| Leaf::Number(n.into()))
        }
    }))
}

fn parse_float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    if unsigned.starts_with(['+', '-']) && text.starts_with('+') {
        return None;
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// YAML 1.2 reads `0123` as a string, not an octal or decimal number.
fn leading_zero_digits(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    t.len() > 1 && t.starts_with('0') && t.bytes().skip(1).all(|b| b.is_ascii_digit())
}

/// Whether `text` can be written as a plain scalar and read back as the same string, by
/// both the fast parser and `serde_yaml_ng`. Conservative: anything doubtful is quoted.
pub(crate) fn is_plain_string(text: &str) -> bool {
    is_plain_syntax(text)
        && matches!(resolve_plain_ref(text), Some(Plain::Str(_)))
        && !yaml11_special(text)
}

/// Whether a plain scalar may not start with this byte (YAML's indicators but `-`, which may
/// start one when a non-space follows). A `match` rather than a search in a list: this runs
/// for every key and scalar of a document, and the search called `memchr` each time.
pub(crate) fn is_indicator(first: u8) -> bool {
    matches!(
        first,
        b'?' | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// ASCII letters and digits, `.`, `/`, `-` and `_`.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'.' | b'/' | b'-' | b'_');
        b += 1;
    }
    table
};

/// Whether `text` is, as characters, a single-line plain scalar (whatever it resolves to).
pub(crate) fn is_plain_syntax(text: &str) -> bool {
    let Some(first) = text.bytes().next() else {
        return false;
    };
    if is_indicator(first) || matches!(first, b'-' | b' ') || text.ends_with([' ', ':']) {
        return false;
    }
    if text.starts_with("...") {
        return false;
    }
    // Nearly every key and name is made of word bytes alone, which one table lookup per
    // byte clears: none is a control, a space, `:` or `#`.
    if text.bytes().all(|b| WORD_BYTES[usize::from(b)]) {
        return true;
    }
    // One pass for controls (tab among them), `: ` and ` #`: keys are short, and searching
    // for each pattern in turn cost more than reading them.
    let (mut previous, mut ascii) = (0, true);
    for &b in text.as_bytes() {
        if b < 0x20
            || b == 0x7f
            || (previous == b':' && b == b' ')
            || (previous == b' ' && b == b'#')
        {
            return false;
        }
        ascii &= b.is_ascii();
        previous = b;
    }
    ascii
        || !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\u{feff}')
}

/// Plain scalars that YAML 1.1 readers (Go's `yaml.v2`, PyYAML) would not take as strings:
/// `yes`/`no`/`on`/`off`, octal `0123`, `1_000`, sexagesimal `1:20`, floats like `1.`.
/// Quoting them keeps rendered files unambiguous for every reader.
fn yaml11_special(text: &str) -> bool {
    if matches!(
        text.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off"
    ) {
        return true;
    }
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return false;
    }
    let only = |allowed: &str| t.chars().all(|c| c.is_ascii_digit() || allowed.contains(c));
    only("_:") || (t.matches('.').count() == 1 && only("_.eE+-"))
}

/// A quoted scalar at the start of `text`: its value and the text after the closing quote.
/// `None` for what the fast path does not handle (unterminated or multi-line quotes, rare
/// escapes); the caller then leaves the document to `serde_yaml_ng`.
pub(crate) fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = text.as_bytes().first().copied()?;
    let body = &text[1..];
    if quote == b'\'' {
        let mut out: Option<String> = None;
        let mut rest = body;
        loop {
            let i = rest.find('\'')?;
            if rest[i + 1..].starts_with('\'') {
                out.get_or_insert_with(String::new).push_str(&rest[..=i]);
                rest = &rest[i + 2..];
            } else {
                let tail = &rest[i + 1..];
                return Some(match out {
                    Some(mut s) => {
                        s.push_str(&rest[..i]);
                        (Cow::Owned(s), tail)
                    }
                    None => (Cow::Borrowed(&rest[..i]), tail),
                });
            }
        }
    }
    if quote != b'"' {
        return None;
    }
    let end = body.find(['"', '\\'])?;
    if body.as_bytes().get(end) == Some(&b'"') {
        return Some((Cow::Borrowed(&body[..end]), &body[end + 1..]));
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '0' => '\0',
                    'u' => {
                        // Exactly four hex digits: `from_str_radix` alone would take `+041`.
                        let hex = body.get(i + 2..i + 6)?;
                        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return None;
                        }
                        let code = u32::from_str_radix(hex, 16).ok()?;
                        for _ in 0..4 {
                            chars.next();
                        }
                        char::from_u32(code)?
                    }
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    None
}

/// Writes `text` as a YAML scalar: plain when that reads back the same, double-quoted
/// (JSON escapes, which YAML shares) otherwise.
pub(crate) fn write_string(out: &mut String, text: &str) {
    if is_plain_string(text) {
        out.push_str(text);
        return;
    }
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{feff}' || c == '\u{85}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            '\u{2028}' | '\u{2029}' | '\u{a0}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn resolve_plain(text: &str) -> Option<Value> {
        resolve_plain_ref(text).map(|plain| match plain {
            Plain::Str(s) => Value::String(s.to_owned()),
            Plain::Scalar(leaf) => leaf.value(),
        })
    }
    use serde_json::json;

    /// The plain-syntax check as first written, pattern by pattern: the one-pass check must
    /// answer as it does.
    fn plain_syntax_by_patterns(text: &str) -> bool {
        let Some(first) = text.bytes().next() else {
            return false;
        };
        !(b"-?:,[]{}#&*!|>'\"%@` ".contains(&first)
            || text.ends_with([' ', ':'])
            || text.bytes().any(|b| b < 0x20 || b == 0x7f)
            || text.contains(": ")
            || text.contains(" #")
            || text.starts_with("...")
            || text.contains('\u{feff}')
            || (!text.is_ascii() && text.chars().any(|c| c.is_whitespace() || c.is_control())))
    }

    proptest::proptest! {
        #[test]
        fn plain_syntax_is_checked_in_one_pass(
            text in "[a-c :#.\t\u{1}\u{7f}\u{feff}\u{3000}\u{e9}\u{85}-]{0,8}|\\PC{0,8}"
        ) {
            proptest::prop_assert_eq!(is_plain_syntax(&text), plain_syntax_by_patterns(&text));
        }
    }

    #[test]
    fn resolves_like_serde_yaml_ng() {
        for text in [
            "",
            "~",
            "null",
            "True",
            "FALSE",
            "yes",
            "no",
            "on",
            "0",
            "7",
            "-7",
            "+7",
            "0123",
            "-0123",
            "0x1F",
            "-0x10",
            "0o17",
            "0b101",
            "1.5",
            "1e3",
            ".inf",
            "-.Inf",
            "inf",
            "nan",
            "10.0.0.1/24",
            "1.2.3.4",
            "65101",
            "1_000",
            "18446744073709551615",
            "-9223372036854775808",
            "+-1",
            ".",
            "1.",
            "e5",
            "0.5e-3",
            "00",
            "-0",
            "+.nan",
        ] {
            let ours = resolve_plain(text).unwrap();
            let theirs: Value = serde_yaml_ng::from_str(&format!("v: {text}\n")).unwrap();
            let theirs = &theirs["v"];
            if let (Some(a), Some(b)) = (ours.as_f64(), theirs.as_f64()) {
                assert!(
                    a == b || (a.is_nan() && b.is_nan()),
                    "{text}: {ours} vs {theirs}"
                );
            } else {
                assert_eq!(&ours, theirs, "{text:?}");
            }
        }
        assert_eq!(resolve_plain("99999999999999999999"), None);
    }

    #[test]
    fn quoted_scalars() {
        assert_eq!(
            quoted(r#""a\"b\u00e9" # c"#).unwrap(),
            (Cow::Owned("a\"bé".into()), " # c")
        );
        assert_eq!(
            quoted("'it''s' x").unwrap(),
            (Cow::Owned("it's".into()), " x")
        );
        assert_eq!(quoted("'plain'").unwrap(), (Cow::Borrowed("plain"), ""));
        assert!(quoted("\"open").is_none());
        assert!(quoted(r#""\x41""#).is_none());
    }

    #[test]
    fn written_strings_read_back() {
        for text in [
            "a",
            "true",
            "1",
            "",
            " x",
            "a: b",
            "#c",
            "x #y",
            "multi\nline",
            "é",
            "-",
            "- a",
            "0123",
            "tab\t",
            "yes",
            "1:20",
            "1_0",
            "1.",
            "10.0.0.1",
        ] {
            let mut out = String::from("v: ");
            write_string(&mut out, text);
            let back: Value = serde_yaml_ng::from_str(&out).unwrap();
            assert_eq!(back, json!({ "v": text }), "{out}");
        }
    }
}
