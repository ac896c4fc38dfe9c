//! Known differences: disagreements that are deliberate (listed in the README's "Differences
//! from upstream") or come from upstream quirks. Each is pinned by a test in this module.

use hedgehog_model::ValidationReport;

use crate::compare::{Errors, Verdict};

/// A deliberate difference or upstream quirk that explains a disagreement.
#[derive(Debug)]
pub struct Known {
    /// Short stable name, used in reports.
    pub id: &'static str,
    /// Why the programs differ.
    pub reason: &'static str,
    applies: fn(&str, &Verdict, &Errors, &ValidationReport) -> bool,
}

/// Every known difference.
pub static KNOWN: &[Known] = &[];

/// The known difference that explains this disagreement, if any.
pub fn explain(
    key: &str,
    verdict: &Verdict,
    errors: &Errors,
    upstream: &ValidationReport,
) -> Option<&'static Known> {
    KNOWN
        .iter()
        .find(|k| (k.applies)(key, verdict, errors, upstream))
}
