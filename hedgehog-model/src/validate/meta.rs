//! Upstream `meta.ValidateObjectMetadata` plus the name-length limits, run first by the
//! validator of every kind. Messages carry the `failed to validate metadata: ` prefix
//! that every upstream `Validate()` wraps them in.

use kube::core::ObjectMeta;

use super::Report;
use crate::{FieldPath, Kind};

/// The only namespace upstream accepts.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";

/// Kubernetes' limit for names that are DNS subdomains.
const MAX_NAME_LEN: usize = 253;

/// The kinds whose names upstream limits to [`SHORT_NAME_LEN`] characters (they end up
/// in switch-side identifiers such as VRF names).
const SHORT_NAME_KINDS: [Kind; 3] = [Kind::Vpc, Kind::Ipv4Namespace, Kind::External];

/// The name limit of [`SHORT_NAME_KINDS`].
const SHORT_NAME_LEN: usize = 11;

/// Checks name and namespace of an object. The kind (for the per-kind length limit) is
/// taken from the report's object key. Reports every problem found.
pub(crate) fn validate(meta: &ObjectMeta, report: &mut Report) {
    let name = meta.name.as_deref().unwrap_or("");
    let name_path = || FieldPath::root().key("metadata").key("name");
    if !is_rfc1123_subdomain(name) {
        report.error(
            "meta.name-invalid",
            name_path(),
            "failed to validate metadata: invalid resource name: name does not match a lowercase RFC 1123 subdomain",
        );
    }
    if meta.namespace.as_deref() != Some(DEFAULT_NAMESPACE) {
        report.error(
            "meta.namespace",
            FieldPath::root().key("metadata").key("namespace"),
            "failed to validate metadata: invalid resource namespace: only default namespace is currently supported",
        );
    }
    let short = report
        .key()
        .known_kind()
        .is_some_and(|k| SHORT_NAME_KINDS.contains(&k));
    if short && name.len() > SHORT_NAME_LEN {
        report.error(
            "meta.name-too-long",
            name_path(),
            format!("name {name} is too long, must be <= {SHORT_NAME_LEN} characters"),
        );
    } else if name.len() > MAX_NAME_LEN {
        report.error(
            "meta.name-too-long",
            name_path(),
            format!(
                "failed to validate metadata: invalid resource name: must be no more than {MAX_NAME_LEN} characters"
            ),
        );
    }
}

/// A string as Go's `%q` verb prints it (`strconv.Quote`): double quotes, backslash
/// escapes for quotes, backslashes and control characters. Validators of every kind use it
/// where upstream's message has `%q`.
pub(crate) fn go_quote(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            ' ' => out.push(' '),
            c if u32::from(c) < 0x80 && (c.is_ascii_control()) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if c.is_control() || c.is_whitespace() => {
                let code = u32::from(c);
                let _ = if code > 0xffff {
                    write!(out, "\\U{code:08x}")
                } else {
                    write!(out, "\\u{code:04x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Upstream's `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`:
/// dot-separated non-empty labels of lower-case letters, digits and inner dashes.
fn is_rfc1123_subdomain(name: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    name.split('.').all(|label| {
        let bytes = label.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(&first), Some(&last)) => {
                alnum(first) && alnum(last) && bytes.iter().all(|&b| alnum(b) || b == b'-')
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ObjectKey;

    fn check(kind: Kind, namespace: Option<&str>, name: &str) -> Vec<(&'static str, String)> {
        let meta = ObjectMeta {
            name: Some(name.to_owned()),
            namespace: namespace.map(str::to_owned),
            ..ObjectMeta::default()
        };
        let mut report = Report::new(ObjectKey::new(kind, namespace.unwrap_or(""), name));
        validate(&meta, &mut report);
        report
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.path.to_string()))
            .collect()
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("any"), "\"any\"");
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
        assert_eq!(go_quote("\u{a0}"), "\"\\u00a0\"");
    }

    #[test]
    fn names_and_namespaces() {
        assert!(is_rfc1123_subdomain("a"));
        assert!(is_rfc1123_subdomain("leaf-01.e1"));
        for bad in ["", "A", "-a", "a-", "a..b", ".a", "a.", "a_b", "é"] {
            assert!(!is_rfc1123_subdomain(bad), "{bad}");
        }
        assert!(check(Kind::Switch, Some("default"), "leaf-01").is_empty());
        assert_eq!(
            check(Kind::Switch, Some("other"), "Leaf"),
            vec![
                ("meta.name-invalid", "metadata.name".to_owned()),
                ("meta.namespace", "metadata.namespace".to_owned())
            ]
        );
        assert_eq!(check(Kind::Switch, None, "a")[0].0, "meta.namespace");
        assert!(check(Kind::Switch, Some("default"), "abcdefghijkl").is_empty());
        assert_eq!(
            check(Kind::Vpc, Some("default"), "abcdefghijkl")[0].0,
            "meta.name-too-long"
        );
        assert!(check(Kind::Vpc, Some("default"), "abcdefghijk").is_empty());
        assert_eq!(
            check(Kind::Server, Some("default"), &"a".repeat(254))[0].0,
            "meta.name-too-long"
        );
    }
}
