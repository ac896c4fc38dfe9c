//! `ServerProfile`: NIC layout of a server model (not used by the Fabric yet).

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// ServerProfile is currently not used/implemented in the Fabric API.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "ServerProfile",
    plural = "serverprofiles",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ServerProfileStatus",
    schema = "disabled",
    category = "hedgehog",
    category = "wiring",
    category = "fabric"
)]
pub struct ServerProfileSpec {
    /// The NICs of the server.
    #[serde(rename = "nics", default, skip_serializing_if = "Vec::is_empty")]
    pub nics: Vec<ServerProfileNic>,
}

/// A NIC of a server profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ServerProfileNic {
    /// Name of the NIC.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Ports of the NIC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServerProfileNicPort>,
}

/// A port of a server NIC.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ServerProfileNicPort {
    /// Name of the port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// The observed state of a ServerProfile (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ServerProfileStatus {}
