//! `SwitchProfile`: the capabilities and port layout of a switch model.

use std::collections::BTreeMap;

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::{is_false, is_zero, string_enum};

/// SwitchProfile describes a switch model: features, ports, port groups and profiles.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "SwitchProfile",
    plural = "switchprofiles",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "SwitchProfileStatus",
    schema = "disabled",
    shortname = "sp",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(
        name = "DisplayName",
        type_ = "string",
        json_path = ".spec.displayName"
    ),
    printcolumn(name = "OtherNames", type_ = "string", json_path = ".spec.otherNames"),
    printcolumn(
        name = "Ports",
        type_ = "string",
        json_path = r".metadata.annotations.fabric\.githedgehog\.com/ports"
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct SwitchProfileSpec {
    /// DisplayName is the human-readable name of the switch.
    #[serde(
        rename = "displayName",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub display_name: String,
    /// OtherNames are alternative names of the switch.
    #[serde(rename = "otherNames", default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// SwitchSilicon is the switch silicon name.
    #[serde(
        rename = "switchSilicon",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub switch_silicon: String,
    /// Features are the features the switch supports.
    #[serde(default)]
    pub features: SwitchProfileFeatures,
    /// Notes is free-form information about the switch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Config holds switch-specific configuration options.
    #[serde(default)]
    pub config: SwitchProfileConfig,
    /// Ports by port name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ports: BTreeMap<String, SwitchProfilePort>,
    /// Port groups by group name.
    #[serde(
        rename = "portGroups",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_groups: BTreeMap<String, SwitchProfilePortGroup>,
    /// Port profiles by profile name.
    #[serde(
        rename = "portProfiles",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub port_profiles: BTreeMap<String, SwitchProfilePortProfile>,
    /// NOSType is the NOS to install on the switch.
    #[serde(rename = "nosType", default, skip_serializing_if = "NosType::is_empty")]
    pub nos_type: NosType,
    /// Platform is what ONIE requests and the NOS displays.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub platform: String,
    /// Pipelines by pipeline name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pipelines: BTreeMap<String, SwitchProfilePipeline>,
    /// MaxPorts is the maximum number of ports (breakouts) of the switch.
    #[serde(rename = "maxPorts", default, skip_serializing_if = "is_zero")]
    pub max_ports: u16,
}

string_enum! {
    /// The network operating system of a switch (upstream `meta.NOSType`).
    pub enum NosType (listed = &[]) {
        /// Broadcom SONiC, base.
        SonicBcmBase = "sonic-bcm-base",
        /// Broadcom SONiC, campus.
        SonicBcmCampus = "sonic-bcm-campus",
        /// Broadcom SONiC, virtual switch.
        SonicBcmVs = "sonic-bcm-vs",
        /// Celestica SONiC+ on Broadcom.
        SonicClsPlusBroadcom = "sonic-cls-plus-broadcom",
        /// Celestica SONiC+ on Marvell.
        SonicClsPlusMarvell = "sonic-cls-plus-marvell",
        /// Celestica SONiC+ virtual switch.
        SonicClsPlusVs = "sonic-cls-plus-vs",
        /// Cumulus VX.
        CumulusVx = "cumulus-vx",
        /// Cumulus on Mellanox.
        CumulusMlx = "cumulus-mlx",
    }
}

/// Features a switch model supports.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfileFeatures {
    /// Subinterfaces are supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub subinterfaces: bool,
    /// ACLs are supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub acls: bool,
    /// L2 VNIs are supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub l2vni: bool,
    /// L3 VNIs are supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub l3vni: bool,
    /// RoCEv2 over VXLAN is supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub roce: bool,
    /// MCLAG (with VXLAN) is supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub mclag: bool,
    /// ESLAG (ESI multi-homing) is supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub eslag: bool,
    /// ECMP QPN hashing is supported.
    #[serde(rename = "ecmpRoCEQPN", default, skip_serializing_if = "is_false")]
    pub ecmp_roce_qpn: bool,
}

/// Switch-specific configuration options.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfileConfig {
    /// MaxPathsEBGP is the maximum number of eBGP paths to configure.
    #[serde(rename = "maxPathsEBGP", default, skip_serializing_if = "is_zero")]
    pub max_paths_ebgp: u32,
}

/// A port of a switch model.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePort {
    /// NOSName is the port's name in the NOS.
    #[serde(rename = "nos", default, skip_serializing_if = "String::is_empty")]
    pub nos_name: String,
    /// BaseNOSName is the base NOS name used to derive breakout names.
    #[serde(
        rename = "baseNOSName",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub base_nos_name: String,
    /// Label is the port label printed on the switch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Group the port belongs to when not directly configurable (exclusive with profile).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Profile of the port when directly configurable (exclusive with group).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// Management marks the management port (no group or profile).
    #[serde(default, skip_serializing_if = "is_false")]
    pub management: bool,
    /// OniePortName is the ONIE port name, for management ports only.
    #[serde(
        rename = "oniePortName",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub onie_port_name: String,
    /// Pipeline the port uses.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pipeline: String,
}

/// A port group of a switch model.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePortGroup {
    /// NOSName is the group's name in the NOS.
    #[serde(rename = "nos", default, skip_serializing_if = "String::is_empty")]
    pub nos_name: String,
    /// Profile is the group's (speed) profile.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
}

/// Speed settings of a port profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePortProfileSpeed {
    /// Default speed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub default: String,
    /// Supported speeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported: Vec<String>,
}

/// Breakout settings of a port profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePortProfileBreakout {
    /// Default breakout mode.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub default: String,
    /// Supported breakout modes with their NOS name offsets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub supported: BTreeMap<String, SwitchProfilePortProfileBreakoutMode>,
}

/// One breakout mode of a port profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePortProfileBreakoutMode {
    /// NOS port name offsets of each breakout port.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offsets: Vec<String>,
}

/// A port profile: either speed or breakout settings, and auto-negotiation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePortProfile {
    /// Speed settings (exclusive with breakout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<SwitchProfilePortProfileSpeed>,
    /// Breakout settings (exclusive with speed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<SwitchProfilePortProfileBreakout>,
    /// AutoNegAllowed allows configuring auto-negotiation.
    #[serde(rename = "autoNegAllowed", default, skip_serializing_if = "is_false")]
    pub auto_neg_allowed: bool,
    /// AutoNegDefault is the default auto-negotiation state.
    #[serde(rename = "autoNegDefault", default, skip_serializing_if = "is_false")]
    pub auto_neg_default: bool,
}

/// A pipeline of a switch model.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfilePipeline {
    /// MaxPorts is the maximum number of ports (breakouts) of the pipeline.
    #[serde(rename = "maxPorts", default, skip_serializing_if = "is_zero")]
    pub max_ports: u16,
}

/// The observed state of a SwitchProfile (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchProfileStatus {}
