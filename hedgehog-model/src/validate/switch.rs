//! Switch validation without other objects (rules 28–30, upstream `Switch.Validate`).

use super::{Report, meta};
use crate::FieldPath;
use crate::api::{RedundancyType, Switch};
use crate::config::{FABRIC_MODE_SPINE_LEAF, FabricConfig};

pub(super) fn validate(sw: &Switch, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&sw.metadata, report);
    let spec = &sw.spec;
    let at = |field: &str| FieldPath::root().key("spec").key(field);

    if spec.vlan_namespaces.is_empty() {
        report.error(
            "switch.vlan-namespaces.required",
            at("vlanNamespaces"),
            "at least one VLAN namespace required",
        );
    }
    if spec.asn == 0 {
        report.error("switch.asn.required", at("asn"), "ASN is required");
    }
    if spec.ip.is_empty() {
        report.error("switch.ip.required", at("ip"), "IP is required");
    }
    if spec.protocol_ip.is_empty() {
        report.error(
            "switch.protocol-ip.required",
            at("protocolIP"),
            "protocol IP is required",
        );
    }
    let spine_leaf = cfg.is_some_and(|c| c.fabric_mode == FABRIC_MODE_SPINE_LEAF);
    if spec.role.is_leaf() && spine_leaf && spec.vtep_ip.is_empty() {
        report.error(
            "switch.vtep-ip.required",
            at("vtepIP"),
            "VTEP IP is required for leaf switches in spine-leaf mode",
        );
    }
    if spec.role.is_spine() && !spec.vtep_ip.is_empty() {
        report.error(
            "switch.vtep-ip.not-allowed",
            at("vtepIP"),
            "VTEP IP is not allowed for spine switches",
        );
    }
    if spec.profile.is_empty() {
        report.error(
            "switch.profile.required",
            at("profile"),
            "profile is required",
        );
    }

    let redundancy = &spec.redundancy;
    let redundancy_at = |field: &str| at("redundancy").key(field);
    if !redundancy.r#type.is_known() {
        report.error(
            "switch.redundancy.type-invalid",
            redundancy_at("type"),
            "invalid redundancy type",
        );
    }
    let no_type = redundancy.r#type == RedundancyType::None;
    if !redundancy.group.is_empty() && no_type {
        report.error(
            "switch.redundancy.type-required",
            redundancy_at("type"),
            "redundancy group specified without type",
        );
    }
    if redundancy.group.is_empty() && !no_type {
        report.error(
            "switch.redundancy.group-required",
            redundancy_at("group"),
            "redundancy type specified without group",
        );
    }

    if let Some(flap) = &spec.link_flap_err_disable {
        let flap_at = |field: &str| at("linkFlapErrDisable").key(field);
        let missing = [
            (
                flap.flap_threshold.is_none(),
                "flapThreshold",
                "flap threshold",
            ),
            (
                flap.sampling_interval.is_none(),
                "samplingInterval",
                "sampling interval",
            ),
            (
                flap.recovery_interval.is_none(),
                "recoveryInterval",
                "recovery interval",
            ),
        ];
        for (_, field, what) in missing.into_iter().filter(|m| m.0) {
            report.error(
                "switch.link-flap.field-required",
                flap_at(field),
                format!("link-flap error-disable is enabled but no {what} provided"),
            );
        }
    }
}
