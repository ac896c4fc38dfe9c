//! VLANNamespace defaulting (upstream `VLANNamespace.Default`).
//!
//! Upstream normalises the ranges (a missing `to` becomes `from`, the list is sorted) as a
//! side effect, and then, through an inverted error check, replaces the ranges with nothing
//! when they are invalid, which makes an invalid namespace look empty and pass validation.
//! Here valid ranges are normalised the same way and invalid ones are left untouched so that
//! validation reports them. Overlapping ranges are not merged (upstream does not store the
//! merged list either): with a FabricConfig they are an error validation must still see.

use super::labels;
use crate::api::VlanNamespace;
use crate::vlan::normalize_vlan_ranges;

pub(super) fn default(ns: &mut VlanNamespace) {
    labels::cleanup(&mut ns.metadata);
    // An error leaves the ranges as written; validation reports it.
    let _ = normalize_vlan_ranges(&mut ns.spec.ranges);
}
