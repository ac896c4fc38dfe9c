//! `VPCPeering`: connectivity between the subnets of two VPCs.

use std::collections::BTreeMap;

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// VPCPeering represents a peering between two VPCs with corresponding filtering rules.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "VPCPeering",
    root = "VpcPeering",
    plural = "vpcpeerings",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "VpcPeeringStatus",
    schema = "disabled",
    shortname = "vpcpeer",
    category = "hedgehog",
    category = "fabric",
    printcolumn(
        name = "VPC1",
        type_ = "string",
        json_path = r".metadata.labels.fabric\.githedgehog\.com/vpc1"
    ),
    printcolumn(
        name = "VPC2",
        type_ = "string",
        json_path = r".metadata.labels.fabric\.githedgehog\.com/vpc2"
    ),
    printcolumn(name = "Remote", type_ = "string", json_path = ".spec.remote"),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct VpcPeeringSpec {
    /// Deprecated and no longer supported.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remote: String,
    /// Permit defines the peering policies: which VPC subnets have access to the peer VPC
    /// subnets. Each entry maps both VPC names to their side of the policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 10))]
    pub permit: Vec<BTreeMap<String, VpcPeer>>,
}

/// One VPC's side of a peering policy.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcPeer {
    /// Subnets to advertise from this VPC to the peer VPC (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 10))]
    pub subnets: Vec<String>,
}

/// The observed state of a VPCPeering (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcPeeringStatus {}
