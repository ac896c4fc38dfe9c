//! `ExternalPeering`: route exchange between a VPC and an External.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// ExternalPeering permits traffic between a VPC's subnets and prefixes of an External.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "ExternalPeering",
    plural = "externalpeerings",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ExternalPeeringStatus",
    schema = "disabled",
    shortname = "extpeering",
    shortname = "extpeer",
    category = "hedgehog",
    category = "fabric",
    category = "external",
    printcolumn(name = "VPC", type_ = "string", json_path = ".spec.permit.vpc.name"),
    printcolumn(
        name = "VPCSubnets",
        type_ = "string",
        json_path = ".spec.permit.vpc.subnets",
        priority = 1
    ),
    printcolumn(
        name = "External",
        type_ = "string",
        json_path = ".spec.permit.external.name"
    ),
    printcolumn(
        name = "ExtPrefixes",
        type_ = "string",
        json_path = ".spec.permit.external.prefixes",
        priority = 1
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct ExternalPeeringSpec {
    /// Permit defines the peering policy: which VPC and External to peer and what to permit.
    #[serde(default)]
    pub permit: ExternalPeeringSpecPermit,
}

/// The peering policy of an ExternalPeering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalPeeringSpecPermit {
    /// VPC is the VPC side of the peering.
    #[serde(default)]
    pub vpc: ExternalPeeringSpecVpc,
    /// External is the External side of the peering.
    #[serde(default)]
    pub external: ExternalPeeringSpecExternal,
}

/// The VPC side of an ExternalPeering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalPeeringSpecVpc {
    /// Name is the name of the VPC to peer with.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Subnets to advertise from the VPC to the External.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
}

/// The External side of an ExternalPeering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalPeeringSpecExternal {
    /// Name is the name of the External to peer with.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Prefixes to permit from the External to the VPC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<ExternalPeeringSpecPrefix>,
}

/// A prefix permitted from an External.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalPeeringSpecPrefix {
    /// Prefix to permit (any length up to /32 within it), e.g. 0.0.0.0/0.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
}

/// The observed state of an ExternalPeering (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalPeeringStatus {}
