//! `VPC`: a virtual private cloud with subnets, VLANs and on-demand DHCP.

use std::collections::BTreeMap;

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::{Require, is_false, is_zero, string_enum};

/// VPC is Virtual Private Cloud, similar to the public cloud VPC it provides an isolated
/// private network for the resources with support for multiple subnets each with
/// user-provided VLANs and on-demand DHCP.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "VPC",
    root = "Vpc",
    plural = "vpcs",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "VpcStatus",
    schema = "disabled",
    category = "hedgehog",
    category = "fabric",
    printcolumn(name = "IPv4NS", type_ = "string", json_path = ".spec.ipv4Namespace"),
    printcolumn(name = "VLANNS", type_ = "string", json_path = ".spec.vlanNamespace"),
    printcolumn(
        name = "Subnets",
        type_ = "string",
        json_path = ".spec.subnets",
        priority = 1
    ),
    printcolumn(
        name = "VNI",
        type_ = "string",
        json_path = ".status.vni",
        priority = 1
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
pub struct VpcSpec {
    /// Mode is the VPC mode that defines how the VPCs are configured on the switches.
    #[serde(default, skip_serializing_if = "VpcMode::is_empty")]
    pub mode: VpcMode,
    /// Subnets is the list of VPC subnets to configure.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subnets: BTreeMap<String, VpcSubnet>,
    /// IPv4Namespace is the name of the IPv4Namespace this VPC belongs to ("default" if empty).
    #[serde(
        rename = "ipv4Namespace",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub ipv4_namespace: String,
    /// VLANNamespace is the name of the VLANNamespace this VPC belongs to ("default" if empty).
    #[serde(
        rename = "vlanNamespace",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub vlan_namespace: String,
    /// DefaultIsolated sets default behavior for isolated mode for the subnets.
    #[serde(rename = "defaultIsolated", default, skip_serializing_if = "is_false")]
    pub default_isolated: bool,
    /// DefaultRestricted sets default behavior for restricted mode for the subnets.
    #[serde(
        rename = "defaultRestricted",
        default,
        skip_serializing_if = "is_false"
    )]
    pub default_restricted: bool,
    /// Permit defines a list of the access policies between the subnets within the VPC:
    /// each policy is a list of subnets that have access to each other.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permit: Vec<Vec<String>>,
    /// StaticRoutes is the list of additional static routes for the VPC.
    #[serde(
        rename = "staticRoutes",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub static_routes: Vec<VpcStaticRoute>,
}

impl VpcSpec {
    /// Whether a subnet is isolated: its own flag, else the VPC's default
    /// (upstream's `IsSubnetIsolated`).
    pub fn is_subnet_isolated(&self, subnet: &str) -> bool {
        self.subnets
            .get(subnet)
            .and_then(|s| s.isolated)
            .unwrap_or(self.default_isolated)
    }

    /// Whether a subnet is restricted: its own flag, else the VPC's default
    /// (upstream's `IsSubnetRestricted`).
    pub fn is_subnet_restricted(&self, subnet: &str) -> bool {
        self.subnets
            .get(subnet)
            .and_then(|s| s.restricted)
            .unwrap_or(self.default_restricted)
    }
}

string_enum! {
    /// How a VPC is configured on the switches.
    pub enum VpcMode (listed = &[]) {
        /// L2VPN EVPN with a VRF per VPC and an L2VNI per subnet (the empty string).
        L2vni = "",
        /// L2VPN EVPN with a VRF per VPC and only an L3VNI per VPC.
        L3vni = "l3vni",
        /// (Experimental) all VPCs in the default VRF, isolated with ACLs.
        L3flat = "l3flat",
    }
}

/// The observed state of a VPC (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcStatus {}

/// One VPC subnet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcSubnet {
    /// Subnet is the subnet CIDR block, such as "10.0.0.0/24".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subnet: String,
    /// Gateway for the subnet; the first IP of the subnet if empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub gateway: String,
    /// DHCP is the on-demand DHCP configuration for the subnet.
    #[serde(default)]
    pub dhcp: VpcDhcp,
    /// VLAN is the VLAN ID for the subnet, unique within the VLANNamespace.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub vlan: u16,
    /// Isolated: no access to and from the other subnets within the VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolated: Option<bool>,
    /// Restricted: no access between hosts within the subnet itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted: Option<bool>,
    /// HostBGP dedicates the subnet to BGP speaking hosts advertising their VIPs.
    #[serde(rename = "hostBGP", default, skip_serializing_if = "is_false")]
    pub host_bgp: bool,
}

/// DHCP configuration of a VPC subnet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcDhcp {
    /// Relay is the DHCP relay IP address; if set, the DHCP server is disabled.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relay: String,
    /// RelayVPC is the name of the VPC where the selected DHCP relay lives.
    #[serde(rename = "relayVPC", default, skip_serializing_if = "String::is_empty")]
    pub relay_vpc: String,
    /// Enable enables the DHCP server for the subnet.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enable: bool,
    /// Range is the DHCP range for the subnet if the DHCP server is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<VpcDhcpRange>,
    /// Options are the DHCP options for the subnet if the DHCP server is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<VpcDhcpOptions>,
    /// Static is a map of static IP assignments by MAC address.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub r#static: BTreeMap<String, VpcDhcpStatic>,
}

/// A static DHCP assignment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[schemars(transform = Require(&["ip"]))]
pub struct VpcDhcpStatic {
    /// IP is the assigned static IP address.
    #[serde(default)]
    pub ip: String,
}

/// A DHCP address range.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcDhcpRange {
    /// Start is the start IP address of the DHCP range.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start: String,
    /// End is the end IP address of the DHCP range.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub end: String,
}

/// A route advertised to DHCP clients.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcDhcpRoute {
    /// Destination is the destination prefix for the route.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub destination: String,
    /// Gateway is the gateway IP address for the route.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub gateway: String,
}

/// DHCP options of a VPC subnet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[schemars(transform = Require(&["interfaceMTU", "leaseTimeSeconds"]))]
pub struct VpcDhcpOptions {
    /// PXEURL identifies the PXE server to boot hosts of this segment from.
    #[serde(rename = "pxeURL", default, skip_serializing_if = "String::is_empty")]
    pub pxe_url: String,
    /// DNSServers are the Domain Name Servers for this segment.
    // Go prints `null` for an unset list; we omit it instead (see crate docs: no nulls).
    #[serde(rename = "dnsServers", default, skip_serializing_if = "Vec::is_empty")]
    pub dns_servers: Vec<String>,
    /// TimeServers are the NTP servers for this segment.
    #[serde(rename = "timeServers", default, skip_serializing_if = "Vec::is_empty")]
    pub time_servers: Vec<String>,
    /// InterfaceMTU is the MTU the DHCP server sends to the clients.
    #[serde(rename = "interfaceMTU", default)]
    pub interface_mtu: u16,
    /// LeaseTimeSeconds is the lease time in seconds, such as 3600.
    #[serde(rename = "leaseTimeSeconds", default)]
    pub lease_time_seconds: u32,
    /// DisableDefaultRoute disables the default route advertisement.
    #[serde(
        rename = "disableDefaultRoute",
        default,
        skip_serializing_if = "is_false"
    )]
    pub disable_default_route: bool,
    /// AdvertisedRoutes are custom routes sent via the classless static route option.
    #[serde(
        rename = "advertisedRoutes",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub advertised_routes: Vec<VpcDhcpRoute>,
}

/// A static route of a VPC.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct VpcStaticRoute {
    /// Prefix for the static route, e.g. 10.42.0.0/24.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// NextHops for the static route (at least one), e.g. 10.99.0.0.
    #[serde(rename = "nextHops", default, skip_serializing_if = "Vec::is_empty")]
    pub next_hops: Vec<String>,
}
