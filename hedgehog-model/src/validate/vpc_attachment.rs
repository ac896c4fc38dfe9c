//! Upstream `VPCAttachment.Validate()` without other objects (§7.1 rules 15–16).

use super::meta::{self, go_quote};
use super::{FieldPath, Report};
use crate::api::VpcAttachment;
use crate::config::FabricConfig;
use crate::net::Prefix;

/// The annotation that turns an attachment into a point-to-point link.
const P2P_LINK_ANNOTATION: &str = "fabric.githedgehog.com/p2p-link";

pub(crate) fn validate(attach: &VpcAttachment, _cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&attach.metadata, report);
    let spec = &attach.spec;
    if spec.subnet.is_empty() {
        report.error(
            "vpc-attachment.subnet.required",
            "spec.subnet",
            "subnet is required",
        );
    } else if spec.subnet.starts_with('/') {
        report.error(
            "vpc-attachment.subnet.vpc-missing",
            "spec.subnet",
            "subnet should be in <vpc>/<subnet> format, vpc is missing",
        );
    } else if !spec.subnet.contains('/') {
        report.error(
            "vpc-attachment.subnet.subnet-missing",
            "spec.subnet",
            "subnet should be in <vpc>/<subnet> format, subnet is missing",
        );
    }
    if spec.connection.is_empty() {
        report.error(
            "vpc-attachment.connection.required",
            "spec.connection",
            "connection is required",
        );
    }
    let p2p = attach
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(P2P_LINK_ANNOTATION));
    if let Some(p2p) = p2p {
        let path = FieldPath::root()
            .key("metadata")
            .key("annotations")
            .key(P2P_LINK_ANNOTATION);
        if p2p.is_empty() {
            report.error(
                "vpc-attachment.p2p-link.empty",
                path,
                "empty p2p link annotation subnet",
            );
        } else {
            match Prefix::parse_go(p2p) {
                Err(why) => report.error(
                    "vpc-attachment.p2p-link.invalid",
                    path,
                    format!(
                        "p2p link annotation subnet should be a valid prefix, got: {}: {why}",
                        go_quote(p2p)
                    ),
                ),
                Ok(prefix) if !prefix.is_ipv4() || prefix.bits() != 31 => report.error(
                    "vpc-attachment.p2p-link.not-ipv4-31",
                    path,
                    format!(
                        "p2p link annotation subnet must be a valid IPv4 /31 prefix, got: {}",
                        go_quote(p2p)
                    ),
                ),
                Ok(_) => {}
            }
        }
    }
}
