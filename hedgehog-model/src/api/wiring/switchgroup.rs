//! `SwitchGroup`: a marker object grouping switches.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// SwitchGroup is the marker API object to group switches together; a switch can belong to
/// multiple groups.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "SwitchGroup",
    plural = "switchgroups",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "SwitchGroupStatus",
    schema = "disabled",
    shortname = "sg",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct SwitchGroupSpec {}

/// The observed state of a SwitchGroup (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchGroupStatus {}
