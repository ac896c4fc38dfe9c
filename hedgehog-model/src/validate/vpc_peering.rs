//! Upstream `VPCPeering.Validate()` without other objects (§7.1 rules 17–18).

use super::{FieldPath, Report, meta};
use crate::api::VpcPeering;
use crate::config::FabricConfig;
use crate::defaults::vpc_peering::peered_vpcs;

pub(crate) fn validate(peering: &VpcPeering, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&peering.metadata, report);
    if cfg.is_some_and(|c| c.vpc_peering_disabled) {
        report.error(
            "vpc-peering.disabled",
            FieldPath::root(),
            "vpc peering is not allowed",
        );
    }
    let spec = &peering.spec;
    if !spec.remote.is_empty() {
        report.error(
            "vpc-peering.remote.deprecated",
            "spec.remote",
            "remote field is deprecated and no longer supported",
        );
    }
    let mut malformed = false;
    for (idx, permit) in spec.permit.iter().enumerate() {
        if permit.len() != 2 {
            malformed = true;
            report.error(
                "vpc-peering.permit.not-two-vpcs",
                FieldPath::root().key("spec").key("permit").index(idx),
                format!("each permit policy must have exactly 2 VPCs (idx {idx})"),
            );
        }
    }
    // The VPC count is only meaningful once every policy names two VPCs.
    if !malformed && peered_vpcs(spec).is_none() {
        report.error(
            "vpc-peering.vpcs.not-two",
            "spec.permit",
            "VPCPeering must have exactly 2 VPCs",
        );
    }
}
