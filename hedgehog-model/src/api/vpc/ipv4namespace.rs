//! `IPv4Namespace`: a pool of subnets VPC subnets are allocated from.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// IPv4Namespace represents a namespace for VPC subnets allocation. All VPC subnets within a
/// single IPv4Namespace are non-overlapping.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "IPv4Namespace",
    root = "Ipv4Namespace",
    plural = "ipv4namespaces",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "Ipv4NamespaceStatus",
    schema = "disabled",
    shortname = "ipns",
    category = "hedgehog",
    category = "fabric",
    printcolumn(name = "Subnets", type_ = "string", json_path = ".spec.subnets"),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct Ipv4NamespaceSpec {
    /// Subnets to allocate VPC subnets from; they may not overlap each other or the Fabric's
    /// reserved subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 20))]
    pub subnets: Vec<String>,
}

/// The observed state of an IPv4Namespace (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct Ipv4NamespaceStatus {}
