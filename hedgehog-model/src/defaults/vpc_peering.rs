//! Upstream `VPCPeering.Default()`.

use super::labels;
use crate::api::{VpcPeering, VpcPeeringSpec};

pub(crate) fn default(peering: &mut VpcPeering) {
    labels::cleanup(&mut peering.metadata);
    // Without exactly two VPCs there is nothing to label; validation reports it.
    let Some((vpc1, vpc2)) = peered_vpcs(&peering.spec) else {
        return;
    };
    let meta = &mut peering.metadata;
    labels::set_list(meta, "vpc", vpc1);
    labels::set_list(meta, "vpc", vpc2);
    labels::set(meta, "vpc1", vpc1);
    labels::set(meta, "vpc2", vpc2);
}

/// Upstream `VPCPeeringSpec.VPCs()`: the two VPCs of the peering in sorted order, when every
/// permit names exactly two VPCs and all permits together name exactly two.
pub(crate) fn peered_vpcs(spec: &VpcPeeringSpec) -> Option<(&str, &str)> {
    let mut vpcs: Vec<&str> = Vec::with_capacity(2);
    for permit in &spec.permit {
        if permit.len() != 2 {
            return None;
        }
        for vpc in permit.keys() {
            if !vpcs.contains(&vpc.as_str()) {
                vpcs.push(vpc);
            }
        }
    }
    vpcs.sort_unstable();
    match vpcs.as_slice() {
        [a, b] => Some((a, b)),
        _ => None,
    }
}
