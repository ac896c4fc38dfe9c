//! Upstream `VPCAttachment.Default()`.

use super::labels;
use crate::api::VpcAttachment;

/// The subnet an attachment names when it gives only a VPC.
const DEFAULT_SUBNET: &str = "default";
/// The value of the `fabric.githedgehog.com/nativevlan` label.
const NATIVE_VLAN_VALUE: &str = "true";

pub(crate) fn default(attach: &mut VpcAttachment) {
    let spec = &mut attach.spec;
    // An empty VPC part is left for validation to report, labels untouched, as upstream.
    if spec.subnet.is_empty() || spec.subnet.starts_with('/') {
        return;
    }
    if !spec.subnet.contains('/') {
        spec.subnet.push('/');
        spec.subnet.push_str(DEFAULT_SUBNET);
    }
    let (vpc, subnet) = spec.subnet.split_once('/').unwrap_or((&spec.subnet, ""));
    let subnet = if subnet.is_empty() {
        DEFAULT_SUBNET
    } else {
        subnet
    };
    labels::cleanup(&mut attach.metadata);
    labels::set(&mut attach.metadata, "vpc", vpc);
    labels::set(&mut attach.metadata, "subnet", subnet);
    labels::set(&mut attach.metadata, "connection", &spec.connection);
    if spec.native_vlan {
        labels::set(&mut attach.metadata, "nativevlan", NATIVE_VLAN_VALUE);
    }
}
