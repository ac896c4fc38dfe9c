//! `Connection`: a physical and logical link set between devices of the Fabric.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::{is_false, is_zero};

/// The pattern of an IPv4 address with prefix length on fabric-side ports.
const IP_WITH_PREFIX: &str = r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}/([1-2]?[0-9]|3[0-2])$";
/// The pattern of a bare IPv4 address.
const IP: &str = r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}$";

/// Connection represents the logical and physical connections between devices of the Fabric
/// (switches, servers, externals). Its type is the one connection field that is set.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "wiring.githedgehog.com",
    version = "v1beta1",
    kind = "Connection",
    plural = "connections",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ConnectionStatus",
    schema = "disabled",
    shortname = "conn",
    category = "hedgehog",
    category = "wiring",
    category = "fabric",
    printcolumn(
        name = "Type",
        type_ = "string",
        json_path = r".metadata.labels.fabric\.githedgehog\.com/connection-type"
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct ConnectionSpec {
    /// Unbundled: a single server port to a single switch port, no port channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbundled: Option<ConnUnbundled>,
    /// Bundled: a port channel from a single server to a single switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundled: Option<ConnBundled>,
    /// Deprecated: MCLAG, a port channel from a server to a pair of switches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mclag: Option<ConnMclag>,
    /// ESLAG: a port channel from a server to 2-4 switches (ESI multi-homing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eslag: Option<ConnEslag>,
    /// Deprecated: MCLAG domain, making two switches one logical switch.
    #[serde(
        rename = "mclagDomain",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mclag_domain: Option<ConnMclagDomain>,
    /// Fabric: spine-to-leaf links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fabric: Option<ConnFabric>,
    /// Mesh: direct leaf-to-leaf links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh: Option<ConnMesh>,
    /// Gateway: switch-to-gateway links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<ConnGateway>,
    /// VPC loopback: port pairs on one switch for the loopback workaround.
    #[serde(
        rename = "vpcLoopback",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_loopback: Option<ConnVpcLoopback>,
    /// External: a switch port to an external device (BGP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ConnExternal>,
    /// Static external: a switch port to an external device with static routes.
    #[serde(
        rename = "staticExternal",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub static_external: Option<ConnStaticExternal>,
}

/// The type of a connection, with the label values upstream uses
/// (`fabric.githedgehog.com/connection-type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnectionType {
    /// `unbundled`.
    Unbundled,
    /// `bundled`.
    Bundled,
    /// `eslag`.
    Eslag,
    /// `fabric`.
    Fabric,
    /// `mesh`.
    Mesh,
    /// `gateway`.
    Gateway,
    /// `vpc-loopback`.
    VpcLoopback,
    /// `external`.
    External,
    /// `static-external`.
    StaticExternal,
    /// `mclag` (deprecated).
    Mclag,
    /// `mclag-domain` (deprecated).
    MclagDomain,
}

impl ConnectionType {
    /// The label value (`vpc-loopback`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ConnectionType::Unbundled => "unbundled",
            ConnectionType::Bundled => "bundled",
            ConnectionType::Eslag => "eslag",
            ConnectionType::Fabric => "fabric",
            ConnectionType::Mesh => "mesh",
            ConnectionType::Gateway => "gateway",
            ConnectionType::VpcLoopback => "vpc-loopback",
            ConnectionType::External => "external",
            ConnectionType::StaticExternal => "static-external",
            ConnectionType::Mclag => "mclag",
            ConnectionType::MclagDomain => "mclag-domain",
        }
    }

    /// Whether a server connects through it (upstream's `ConnectionTypesServerFacing`).
    pub const fn is_server_facing(self) -> bool {
        matches!(
            self,
            ConnectionType::Unbundled
                | ConnectionType::Bundled
                | ConnectionType::Mclag
                | ConnectionType::Eslag
        )
    }
}

impl std::fmt::Display for ConnectionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ConnectionSpec {
    /// Every connection type that is set, in upstream's precedence order (that of Go's
    /// `ConnectionSpec.Type()`, then the deprecated MCLAG types, which `Type()` does not know).
    pub fn connection_types(&self) -> Vec<ConnectionType> {
        [
            (self.unbundled.is_some(), ConnectionType::Unbundled),
            (self.bundled.is_some(), ConnectionType::Bundled),
            (self.eslag.is_some(), ConnectionType::Eslag),
            (self.fabric.is_some(), ConnectionType::Fabric),
            (self.mesh.is_some(), ConnectionType::Mesh),
            (self.gateway.is_some(), ConnectionType::Gateway),
            (self.vpc_loopback.is_some(), ConnectionType::VpcLoopback),
            (self.external.is_some(), ConnectionType::External),
            (
                self.static_external.is_some(),
                ConnectionType::StaticExternal,
            ),
            (self.mclag.is_some(), ConnectionType::Mclag),
            (self.mclag_domain.is_some(), ConnectionType::MclagDomain),
        ]
        .into_iter()
        .filter_map(|(set, t)| set.then_some(t))
        .collect()
    }

    /// The connection's type: the first one set in precedence order, `None` when none is.
    pub fn connection_type(&self) -> Option<ConnectionType> {
        self.connection_types().first().copied()
    }
}

/// Access to a port name of the form `device/port` (upstream's `IPort`).
pub trait PortName {
    /// The full port name, such as `spine-1/E1/1`.
    fn port_name(&self) -> &str;

    /// The device part, before the first `/` (the whole name if there is none).
    fn device_name(&self) -> &str {
        let name = self.port_name();
        name.split_once('/').map_or(name, |(device, _)| device)
    }

    /// The port part, after the first `/` (empty if there is none).
    fn local_port_name(&self) -> &str {
        self.port_name()
            .split_once('/')
            .map_or("", |(_, port)| port)
    }
}

macro_rules! impl_port_name {
    ($($t:ty),*) => {$(
        impl PortName for $t {
            fn port_name(&self) -> &str {
                &self.port
            }
        }
    )*};
}
impl_port_name!(
    BasePortName,
    ConnFabricLinkSwitch,
    ConnGatewayLinkGateway,
    ConnStaticExternalLinkSwitch
);

/// The full name of a port, `device/port`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, JsonSchema)]
pub struct BasePortName {
    /// Port is the full name of the port, such as "spine-1/E1/1" (the device name is the
    /// Switch or Server object's name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub port: String,
}

/// A server-to-switch link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ServerToSwitchLink {
    /// The server side.
    #[serde(default)]
    pub server: BasePortName,
    /// The switch side.
    #[serde(default)]
    pub switch: BasePortName,
}

/// A switch-to-switch link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct SwitchToSwitchLink {
    /// The first switch side.
    #[serde(default)]
    pub switch1: BasePortName,
    /// The second switch side.
    #[serde(default)]
    pub switch2: BasePortName,
}

/// An unbundled connection. (Go inlines `ServerFacingConnectionConfig`; its `mtu` is a field
/// here.)
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnUnbundled {
    /// The server-to-switch link.
    #[serde(default)]
    pub link: ServerToSwitchLink,
    /// MTU of the switch port.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mtu: u16,
}

/// A bundled connection (LACP port channel to one switch).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnBundled {
    /// The server-to-switch links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ServerToSwitchLink>,
    /// MTU of the port channel.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mtu: u16,
    /// Fallback marks one link of the LACP port channel as fallback.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fallback: bool,
}

/// A (deprecated) MCLAG connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnMclag {
    /// The server-to-switch links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 2))]
    pub links: Vec<ServerToSwitchLink>,
    /// MTU of the port channel.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mtu: u16,
    /// Fallback marks one link of the LACP port channel as fallback.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fallback: bool,
}

/// An ESLAG connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnEslag {
    /// The server-to-switch links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 2))]
    pub links: Vec<ServerToSwitchLink>,
    /// MTU of the port channel.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mtu: u16,
    /// Fallback marks one link of the LACP port channel as fallback.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fallback: bool,
}

/// A (deprecated) MCLAG domain.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnMclagDomain {
    /// Peer links, carrying server traffic between the switches.
    #[serde(rename = "peerLinks", default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub peer_links: Vec<SwitchToSwitchLink>,
    /// Session links, carrying MCLAG control plane and BGP traffic only.
    #[serde(
        rename = "sessionLinks",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(length(min = 1))]
    pub session_links: Vec<SwitchToSwitchLink>,
}

/// One side of a fabric or mesh link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnFabricLinkSwitch {
    /// Port is the full name of the port, `device/port`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub port: String,
    /// IP (with prefix length) of the switch port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(regex(pattern = IP_WITH_PREFIX))]
    pub ip: String,
}

/// A spine-to-leaf link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct FabricLink {
    /// The spine side.
    #[serde(default)]
    pub spine: ConnFabricLinkSwitch,
    /// The leaf side.
    #[serde(default)]
    pub leaf: ConnFabricLinkSwitch,
}

/// A leaf-to-leaf link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct MeshLink {
    /// The first leaf side.
    #[serde(default)]
    pub leaf1: ConnFabricLinkSwitch,
    /// The second leaf side.
    #[serde(default)]
    pub leaf2: ConnFabricLinkSwitch,
}

/// A fabric connection: links between one spine and one leaf.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnFabric {
    /// The spine-to-leaf links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub links: Vec<FabricLink>,
}

/// The gateway side of a gateway link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnGatewayLinkGateway {
    /// Port is the full name of the gateway port, `device/port`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub port: String,
    /// IP (with prefix length) of the gateway port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(regex(pattern = IP_WITH_PREFIX))]
    pub ip: String,
}

/// A switch-to-gateway link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct GatewayLink {
    /// The switch (spine or leaf) side.
    #[serde(default)]
    pub switch: ConnFabricLinkSwitch,
    /// The gateway side.
    #[serde(default)]
    pub gateway: ConnGatewayLinkGateway,
}

/// A gateway connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnGateway {
    /// The switch-to-gateway links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub links: Vec<GatewayLink>,
}

/// A mesh connection: direct links between two leaves.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnMesh {
    /// The leaf-to-leaf links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub links: Vec<MeshLink>,
}

/// A VPC loopback connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnVpcLoopback {
    /// The loopback links (port pairs on one switch).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub links: Vec<SwitchToSwitchLink>,
}

/// The link of an external connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnExternalLink {
    /// The switch side.
    #[serde(default)]
    pub switch: BasePortName,
}

/// An external connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnExternal {
    /// The external link.
    #[serde(default)]
    pub link: ConnExternalLink,
}

/// The switch side of a static external link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnStaticExternalLinkSwitch {
    /// Port is the full name of the switch port, `device/port`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub port: String,
    /// IP (with prefix length) of the switch port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(regex(pattern = IP_WITH_PREFIX))]
    pub ip: String,
    /// NextHop of the static routes to the subnets.
    #[serde(rename = "nextHop", default, skip_serializing_if = "String::is_empty")]
    #[schemars(regex(pattern = IP))]
    pub next_hop: String,
    /// Subnets reachable via the next hop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// VLAN configured on the switch port (0: none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub vlan: u16,
}

/// The link of a static external connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnStaticExternalLink {
    /// The switch side.
    #[serde(default)]
    pub switch: ConnStaticExternalLinkSwitch,
}

/// A static external connection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnStaticExternal {
    /// The static external link.
    #[serde(default)]
    pub link: ConnStaticExternalLink,
    /// WithinVPC provisions the connection in this VPC's VRF instead of the default one.
    #[serde(
        rename = "withinVPC",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub within_vpc: String,
}

/// The observed state of a Connection (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ConnectionStatus {}
