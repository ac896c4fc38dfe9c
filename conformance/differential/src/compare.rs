//! Object-by-object comparison of our report with upstream's: does each find an error in the
//! object, and does upstream's message appear among ours.

use std::collections::BTreeMap;
use std::fmt;

use hedgehog_model::{Diagnostic, ValidationReport};

use crate::known::{self, Known};

/// `Kind/namespace/name`, or `(document)` for problems outside any object.
pub type Key = String;

/// The errors of one object on each side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Errors {
    /// Our error diagnostics.
    pub ours: Vec<Diagnostic>,
    /// Upstream's error diagnostics.
    pub upstream: Vec<Diagnostic>,
}

/// How the two programs judged one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both found an error, and every message of upstream's validation is among ours.
    Agree,
    /// Both found an error, but upstream's message is not among ours.
    MessageMissing,
    /// Only upstream found an error.
    OnlyUpstream,
    /// Only we found an error.
    OnlyOurs,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Agree => "agree",
            Verdict::MessageMissing => "message-missing",
            Verdict::OnlyUpstream => "only-upstream",
            Verdict::OnlyOurs => "only-ours",
        })
    }
}

/// One object that at least one side found an error in.
#[derive(Clone, Debug)]
pub struct ObjectResult {
    /// The object.
    pub key: Key,
    /// The verdict before known differences are taken into account.
    pub verdict: Verdict,
    /// The deliberate difference or upstream quirk that explains a disagreement.
    pub known: Option<&'static Known>,
    /// Both sides' errors.
    pub errors: Errors,
}

impl ObjectResult {
    /// Whether this object counts as a disagreement.
    pub fn disagrees(&self) -> bool {
        self.verdict != Verdict::Agree && self.known.is_none()
    }
}

/// The comparison of one fabric.
#[derive(Clone, Debug, Default)]
pub struct FabricResult {
    /// Objects (documents) in the fabric, as we counted them.
    pub objects: usize,
    /// Every object with an error on at least one side, in key order.
    pub results: Vec<ObjectResult>,
}

impl FabricResult {
    /// Whether no object disagrees.
    pub fn agrees(&self) -> bool {
        !self.results.iter().any(ObjectResult::disagrees)
    }
}

/// The object's key; an empty namespace is `default`, as both loaders default it (ours
/// reports decoding problems before defaulting).
fn key_of(d: &Diagnostic) -> Key {
    match &d.object {
        Some(k) if k.namespace.is_empty() => format!("{}/default/{}", k.kind, k.name),
        Some(k) => format!("{}/{}/{}", k.kind, k.namespace, k.name),
        None => "(document)".to_owned(),
    }
}

/// Whether upstream's diagnostic compares by message (its validation) or only by presence
/// (its loader's decoding texts are Go's, ours are our own).
fn compared_by_message(upstream: &Diagnostic) -> bool {
    matches!(upstream.code, "upstream.validate" | "upstream.panic")
}

/// Whether upstream's `message` is among ours: equal, or contained in one of ours (we append
/// the other object involved), or ours is its tail (upstream wraps some errors).
pub fn message_found(message: &str, ours: &[Diagnostic]) -> bool {
    ours.iter().any(|d| {
        d.message.contains(message) || (message.ends_with(&d.message) && d.message.len() >= 10)
    })
}

/// Compares the two reports of one fabric.
pub fn compare(ours: &ValidationReport, upstream: &ValidationReport) -> FabricResult {
    let mut by_key: BTreeMap<Key, Errors> = BTreeMap::new();
    for d in ours.diagnostics.iter().filter(|d| d.is_error()) {
        by_key.entry(key_of(d)).or_default().ours.push(d.clone());
    }
    for d in upstream.diagnostics.iter().filter(|d| d.is_error()) {
        by_key
            .entry(key_of(d))
            .or_default()
            .upstream
            .push(d.clone());
    }
    let results = by_key
        .into_iter()
        .map(|(key, errors)| {
            let verdict = verdict(&errors);
            let seen = known::Seen {
                key: &key,
                verdict: &verdict,
                errors: &errors,
                ours,
            };
            let known = (verdict != Verdict::Agree)
                .then(|| known::explain(&seen))
                .flatten();
            ObjectResult {
                key,
                verdict,
                known,
                errors,
            }
        })
        .collect();
    FabricResult {
        objects: ours.objects,
        results,
    }
}

fn verdict(errors: &Errors) -> Verdict {
    match (errors.ours.is_empty(), errors.upstream.is_empty()) {
        (false, true) => Verdict::OnlyOurs,
        (true, false) => Verdict::OnlyUpstream,
        _ => {
            let all_found = errors
                .upstream
                .iter()
                .filter(|u| compared_by_message(u))
                .all(|u| message_found(&u.message, &errors.ours));
            if all_found {
                Verdict::Agree
            } else {
                Verdict::MessageMissing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::{Kind, ObjectKey};

    fn err(code: &'static str, name: &str, message: &str) -> Diagnostic {
        Diagnostic::error(code, message).with_object(ObjectKey::new(Kind::Vpc, "default", name))
    }

    fn report(diags: Vec<Diagnostic>) -> ValidationReport {
        ValidationReport::new(3, diags)
    }

    #[test]
    fn verdicts_per_object() {
        let ours = report(vec![
            err("vpc.x", "a", "subnet s: vlan is required"),
            err(
                "vpc.y",
                "b",
                "vlan 1002 is already used by other VPC (VPC vpc-01 subnet s)",
            ),
            err("vpc.z", "c", "something else"),
            err("vpc.z", "e", "ours only"),
        ]);
        let upstream = report(vec![
            err("upstream.validate", "a", "subnet s: vlan is required"),
            err(
                "upstream.validate",
                "b",
                "vlan 1002 is already used by other VPC",
            ),
            err("upstream.validate", "c", "upstream's text"),
            err("upstream.validate", "d", "upstream only"),
        ]);
        let got: Vec<(String, Verdict)> = compare(&ours, &upstream)
            .results
            .into_iter()
            .map(|r| (r.key, r.verdict))
            .collect();
        assert_eq!(
            got,
            vec![
                ("VPC/default/a".to_owned(), Verdict::Agree),
                ("VPC/default/b".to_owned(), Verdict::Agree),
                ("VPC/default/c".to_owned(), Verdict::MessageMissing),
                ("VPC/default/d".to_owned(), Verdict::OnlyUpstream),
                ("VPC/default/e".to_owned(), Verdict::OnlyOurs),
            ]
        );
    }

    #[test]
    fn loader_errors_compare_by_presence_and_warnings_are_ignored() {
        let ours = report(vec![
            err("decode.unknown-field", "a", "unknown field \"bogus\""),
            Diagnostic::warning("w", "a warning").with_object(ObjectKey::new(
                Kind::Vpc,
                "default",
                "b",
            )),
        ]);
        let upstream = report(vec![err(
            "upstream.load.decode",
            "a",
            "object 1: decoding: strict decoding error: unknown field \"spec.bogus\"",
        )]);
        let result = compare(&ours, &upstream);
        assert!(result.agrees());
        assert_eq!(result.results.len(), 1);
        assert_eq!(result.results[0].verdict, Verdict::Agree);
    }

    #[test]
    fn a_wrapped_upstream_message_is_found_by_its_tail() {
        let ours = [err("x", "a", "invalid resource name: name does not match")];
        assert!(message_found(
            "failed to validate metadata: invalid resource name: name does not match",
            &ours
        ));
        assert!(!message_found("name does not", &[err("x", "a", "name")]));
    }
}
