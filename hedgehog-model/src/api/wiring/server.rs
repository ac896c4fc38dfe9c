//! `Server`: a server attached to the Fabric.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Server is a server connected to the Fabric.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "Server",
    plural = "servers",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ServerStatus",
    schema = "disabled",
    shortname = "srv",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(name = "Type", type_ = "string", json_path = ".spec.type"),
    printcolumn(name = "Descr", type_ = "string", json_path = ".spec.description"),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct ServerSpec {
    /// Description is a description of the server.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Profile is the name of the ServerProfile of this server (not used by the Fabric).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
}

/// The observed state of a Server (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ServerStatus {}
