//! `VLANNamespace`: a set of VLAN ranges VPC subnets take their VLANs from.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// VLANNamespace is a set of VLAN ranges for VPC subnets.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "VLANNamespace",
    root = "VlanNamespace",
    plural = "vlannamespaces",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "VlanNamespaceStatus",
    schema = "disabled",
    shortname = "vlanns",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct VlanNamespaceSpec {
    /// Ranges of VLANs of this namespace; they may not overlap each other or the Fabric's
    /// reserved ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 20))]
    pub ranges: Vec<VlanRange>,
}

/// An inclusive range of VLAN IDs (upstream `meta.VLANRange`), shared with the
/// FabricConfig and the VLAN range helpers.
pub use crate::vlan::VlanRange;

/// The observed state of a VLANNamespace (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VlanNamespaceStatus {}
