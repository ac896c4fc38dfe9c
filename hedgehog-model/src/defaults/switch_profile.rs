//! SwitchProfile defaulting (upstream `SwitchProfile.Default`): the
//! `fabric.githedgehog.com/ports` annotation summarising the data ports.

use std::collections::BTreeMap;

use super::labels;
use crate::api::{SwitchProfile, SwitchProfileSpec};

/// Suffix of profiles that mark ports which look like breakout ports but are not; they count
/// as the profile without it.
const NON_BREAKOUT_SUFFIX: &str = "-nb";

pub(super) fn default(sp: &mut SwitchProfile) {
    if let Some(summary) = ports_summary(&sp.spec) {
        sp.metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(labels::label_name("ports"), summary);
    }
}

/// Upstream `GetPortsShortSummary`: the data ports counted by port profile (a grouped port
/// counts under its group's profile), most frequent first, as `6xSFP28-25G, 4xQSFP28-100G`.
/// `None` when a port names a missing group or has neither profile nor group (upstream
/// then leaves the annotation as it was). Upstream leaves the order of equal counts to
/// chance; here they are ordered by profile name.
pub(crate) fn ports_summary(spec: &SwitchProfileSpec) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for port in spec.ports.values().filter(|p| !p.management) {
        let profile = if port.group.is_empty() {
            port.profile.as_str()
        } else {
            spec.port_groups.get(&port.group)?.profile.as_str()
        };
        if profile.is_empty() {
            return None;
        }
        let profile = profile.strip_suffix(NON_BREAKOUT_SUFFIX).unwrap_or(profile);
        *counts.entry(profile).or_default() += 1;
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let parts: Vec<String> = by_count.iter().map(|(p, n)| format!("{n}x{p}")).collect();
    Some(parts.join(", "))
}
