//! `Switch`: a fabric switch and its port settings.

use std::collections::BTreeMap;

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::{Require, is_false, is_zero, string_enum};

/// Switch is a switch of the Fabric.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "Switch",
    plural = "switches",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "SwitchStatus",
    schema = "disabled",
    shortname = "sw",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(name = "Profile", type_ = "string", json_path = ".spec.profile"),
    printcolumn(name = "Role", type_ = "string", json_path = ".spec.role"),
    printcolumn(name = "Descr", type_ = "string", json_path = ".spec.description"),
    printcolumn(name = "Groups", type_ = "string", json_path = ".spec.groups"),
    printcolumn(
        name = "Redundancy",
        type_ = "string",
        json_path = ".spec.redundancy",
        priority = 1
    ),
    printcolumn(
        name = "Boot",
        type_ = "string",
        json_path = ".spec.boot",
        priority = 1
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
#[schemars(transform = Require(&["role"]))]
pub struct SwitchSpec {
    /// Role is the role of the switch.
    #[serde(default, skip_serializing_if = "SwitchRole::is_empty")]
    pub role: SwitchRole,
    /// Description is a description of the switch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Profile is the name of the SwitchProfile of this switch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// Groups are the switch groups the switch belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Redundancy is the redundancy group of the switch and its type (ESLAG connections).
    #[serde(default)]
    pub redundancy: SwitchRedundancy,
    /// VLANNamespaces the switch is part of; their ranges may not overlap.
    #[serde(
        rename = "vlanNamespaces",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub vlan_namespaces: Vec<String>,
    /// ASN of the switch.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub asn: u32,
    /// IP of the switch, reachable from other switches and control nodes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// VTEP IP of the switch.
    #[serde(rename = "vtepIP", default, skip_serializing_if = "String::is_empty")]
    pub vtep_ip: String,
    /// ProtocolIP is the BGP router ID of the switch.
    #[serde(
        rename = "protocolIP",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub protocol_ip: String,
    /// Port group speeds by port group name, such as `"2": 10G`.
    #[serde(
        rename = "portGroupSpeeds",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_group_speeds: BTreeMap<String, String>,
    /// Port speeds by port name.
    #[serde(
        rename = "portSpeeds",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_speeds: BTreeMap<String, String>,
    /// Port breakouts by port name, such as `1/55: 4x25G`.
    #[serde(
        rename = "portBreakouts",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_breakouts: BTreeMap<String, String>,
    /// Port auto-negotiation by port name.
    #[serde(
        rename = "portAutoNegs",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_auto_negs: BTreeMap<String, bool>,
    /// Port FEC modes by port name (a last resort: removing one does not reset the port).
    #[serde(
        rename = "portFECs",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_fecs: BTreeMap<String, PortFecMode>,
    /// Boot is the boot/provisioning identity of the switch.
    #[serde(default)]
    pub boot: SwitchBoot,
    /// EnableAllPorts enables all ports whether used or not.
    #[serde(rename = "enableAllPorts", default, skip_serializing_if = "is_false")]
    pub enable_all_ports: bool,
    /// RoCE enables RoCEv2 support (lossless queues and QoS).
    #[serde(default, skip_serializing_if = "is_false")]
    pub roce: bool,
    /// ECMP is the ECMP configuration of the switch.
    #[serde(default)]
    pub ecmp: SwitchEcmp,
    /// LinkFlapErrDisable enables link-flap errdisable protection on fabric-facing ports.
    #[serde(
        rename = "linkFlapErrDisable",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub link_flap_err_disable: Option<SwitchLinkFlapErrDisable>,
}

string_enum! {
    /// The role of a switch. The CRD also admits `virtual-edge`, which upstream's Go code
    /// does not define (it stays [`SwitchRole::Other`]).
    pub enum SwitchRole (listed = &["spine", "server-leaf", "border-leaf", "mixed-leaf", "virtual-edge"]) {
        /// A spine.
        Spine = "spine",
        /// A leaf serving servers.
        ServerLeaf = "server-leaf",
        /// A leaf connecting externals.
        BorderLeaf = "border-leaf",
        /// A leaf doing both.
        MixedLeaf = "mixed-leaf",
    }
}

impl SwitchRole {
    /// Whether the role is a spine (upstream's `IsSpine`).
    pub fn is_spine(&self) -> bool {
        *self == SwitchRole::Spine
    }

    /// Whether the role is any kind of leaf (upstream's `IsLeaf`).
    pub fn is_leaf(&self) -> bool {
        matches!(
            self,
            SwitchRole::ServerLeaf | SwitchRole::BorderLeaf | SwitchRole::MixedLeaf
        )
    }
}

string_enum! {
    /// The forward error correction mode of a port.
    pub enum PortFecMode (listed = &["rs", "fc", "auto", "disabled"]) {
        /// Reed-Solomon.
        Rs = "rs",
        /// Fire-code.
        Fc = "fc",
        /// Negotiated.
        Auto = "auto",
        /// Off.
        Disabled = "disabled",
    }
}

string_enum! {
    /// The type of a redundancy group.
    pub enum RedundancyType (listed = &["mclag", "eslag"]) {
        /// No redundancy (the empty string).
        None = "",
        /// MCLAG (deprecated upstream).
        Mclag = "mclag",
        /// ESLAG (EVPN multi-homing).
        Eslag = "eslag",
    }
}

/// The redundancy group of a switch.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchRedundancy {
    /// Group is the name of the redundancy group.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Type is the type of the redundancy group (only eslag is supported now).
    #[serde(default, skip_serializing_if = "RedundancyType::is_empty")]
    pub r#type: RedundancyType,
}

/// How a switch identifies itself when it boots.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchBoot {
    /// Serial number of the switch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub serial: String,
    /// MAC address of the management port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mac: String,
}

/// ECMP configuration of a switch.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchEcmp {
    /// RoCEQPN enables RoCE QPN hashing.
    #[serde(rename = "roceQPN", default, skip_serializing_if = "is_false")]
    pub roce_qpn: bool,
}

/// Link-flap errdisable protection: a port with more than `flapThreshold` link-down events
/// within `samplingInterval` seconds is disabled for `recoveryInterval` seconds (0: forever).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchLinkFlapErrDisable {
    /// Link-down events within the sampling interval that trigger errdisable (default 3).
    #[serde(
        rename = "flapThreshold",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 1, max = 50), extend("default" = 3))]
    pub flap_threshold: Option<u8>,
    /// Observation window in seconds (default 30).
    #[serde(
        rename = "samplingInterval",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 1, max = 65535), extend("default" = 30))]
    pub sampling_interval: Option<u32>,
    /// Seconds before the port is re-enabled; 0 never (default 300).
    #[serde(
        rename = "recoveryInterval",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 0, max = 65534), extend("default" = 300))]
    pub recovery_interval: Option<u32>,
}

/// The observed state of a Switch (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchStatus {}
