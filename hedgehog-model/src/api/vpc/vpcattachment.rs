//! `VPCAttachment`: attaches a VPC subnet to a server-facing connection.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::is_false;

/// VPCAttachment attaches a VPC subnet to a Connection.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "VPCAttachment",
    root = "VpcAttachment",
    plural = "vpcattachments",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "VpcAttachmentStatus",
    schema = "disabled",
    shortname = "vpcattach",
    category = "hedgehog",
    category = "fabric",
    printcolumn(name = "VPCSUBNET", type_ = "string", json_path = ".spec.subnet"),
    printcolumn(name = "Connection", type_ = "string", json_path = ".spec.connection"),
    printcolumn(name = "NativeVLAN", type_ = "string", json_path = ".spec.nativeVLAN"),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct VpcAttachmentSpec {
    /// Subnet is the full name of the VPC subnet to attach to, such as "vpc-1/default".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subnet: String,
    /// Connection is the name of the connection to attach to the VPC.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub connection: String,
    /// NativeVLAN attaches the subnet untagged (native VLAN).
    #[serde(rename = "nativeVLAN", default, skip_serializing_if = "is_false")]
    pub native_vlan: bool,
}

/// The observed state of a VPCAttachment (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcAttachmentStatus {}
