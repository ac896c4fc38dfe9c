//! VLANNamespace validation without other objects (rules 37–38, upstream
//! `VLANNamespace.Validate`).

use super::{Report, meta};
use crate::FieldPath;
use crate::api::VlanNamespace;
use crate::config::FabricConfig;
use crate::vlan::{VlanOverlapError, VlanRange, check_vlan_ranges_overlap, normalize_vlan_ranges};

pub(super) fn validate(ns: &VlanNamespace, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&ns.metadata, report);
    let ranges_at = || FieldPath::root().key("spec").key("ranges");

    let mut ranges = ns.spec.ranges.clone();
    if let Err(e) = normalize_vlan_ranges(&mut ranges) {
        report.error(
            "vlan-namespace.ranges.invalid",
            ranges_at().index(e.index()),
            format!("invalid ranges: {e}"),
        );
        // Overlaps of ranges that are not ranges mean nothing.
        return;
    }
    let Some(cfg) = cfg else { return };

    // The namespace's own ranges take part in both checks, so overlaps inside the namespace
    // are errors too (upstream's behaviour); such an overlap is reported once.
    let irb = overlap_with(&cfg.vpc_irb_vlan_range, &ranges);
    if let Err(e) = irb {
        report.error(
            "vlan-namespace.ranges.overlap-reserved",
            ranges_at(),
            format!("ranges overlap with Fabric reserved VLANs: {e}"),
        );
    }
    match overlap_with(&cfg.th5_workaround_vlan_range, &ranges) {
        Err(e) if irb != Err(e) => report.error(
            "vlan-namespace.ranges.overlap-th5",
            ranges_at(),
            format!("ranges overlap with VLANs reserved for the TH5 workaround: {e}"),
        ),
        _ => {}
    }
}

/// Upstream's `CheckVLANRangesOverlap(append(reserved, ranges...))`. The configuration's
/// ranges are normalised first, as upstream's `FabricConfig.Init` does.
fn overlap_with(reserved: &[VlanRange], ranges: &[VlanRange]) -> Result<(), VlanOverlapError> {
    let mut all = reserved.to_vec();
    // A configuration that fails its own check is used as written.
    let _ = normalize_vlan_ranges(&mut all);
    all.extend_from_slice(ranges);
    check_vlan_ranges_overlap(&mut all)
}
