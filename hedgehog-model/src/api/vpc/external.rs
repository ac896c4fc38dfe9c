//! `External`: an external system connected to the Fabric.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// External represents an external system connected to the Fabric and available to a
/// specific IPv4Namespace.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "External",
    plural = "externals",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ExternalStatus",
    schema = "disabled",
    shortname = "ext",
    category = "hedgehog",
    category = "fabric",
    category = "external",
    printcolumn(name = "IPv4NS", type_ = "string", json_path = ".spec.ipv4Namespace"),
    printcolumn(
        name = "InComm",
        type_ = "string",
        json_path = ".spec.inboundCommunity"
    ),
    printcolumn(
        name = "OutComm",
        type_ = "string",
        json_path = ".spec.outboundCommunity"
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct ExternalSpec {
    /// IPv4Namespace is the name of the IPv4Namespace this External belongs to.
    #[serde(
        rename = "ipv4Namespace",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub ipv4_namespace: String,
    /// InboundCommunity filters routes from the external system (e.g. 65102:5000).
    #[serde(
        rename = "inboundCommunity",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub inbound_community: String,
    /// OutboundCommunity is stamped on all outbound routes (e.g. 50000:50001).
    #[serde(
        rename = "outboundCommunity",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub outbound_community: String,
    /// Static holds the parameters of a static external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#static: Option<ExternalStaticSpec>,
}

/// Parameters of a static external.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalStaticSpec {
    /// Prefixes is the list of IPv4 prefixes reachable via the external.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
}

/// The observed state of an External (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalStatus {}
