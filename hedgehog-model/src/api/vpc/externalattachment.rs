//! `ExternalAttachment`: how a switch reaches an External (BGP or static).

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::util::{Require, is_false, is_zero, string_enum};

/// ExternalAttachment defines how a specific switch is connected to an External system:
/// effectively the BGP peering (or static routing) between them.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[kube(
    group = "vpc.githedgehog.com",
    version = "v1beta1",
    kind = "ExternalAttachment",
    plural = "externalattachments",
    namespaced,
    derive = "PartialEq",
    derive = "Default",
    status = "ExternalAttachmentStatus",
    schema = "disabled",
    shortname = "extattach",
    category = "hedgehog",
    category = "fabric",
    category = "external",
    printcolumn(name = "External", type_ = "string", json_path = ".spec.external"),
    printcolumn(name = "Connection", type_ = "string", json_path = ".spec.connection"),
    printcolumn(
        name = "SwVLAN",
        type_ = "string",
        json_path = ".spec.switch.vlan",
        priority = 1
    ),
    printcolumn(
        name = "SwIP",
        type_ = "string",
        json_path = ".spec.switch.ip",
        priority = 1
    ),
    printcolumn(
        name = "NeighASN",
        type_ = "string",
        json_path = ".spec.neighbor.asn",
        priority = 1
    ),
    printcolumn(
        name = "NeighIP",
        type_ = "string",
        json_path = ".spec.neighbor.ip",
        priority = 1
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
#[schemars(transform = Require(&["neighbor", "switch"]))]
pub struct ExternalAttachmentSpec {
    /// External is the name of the External this attachment belongs to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub external: String,
    /// Connection is the name of the Connection this attachment uses (the switch port).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub connection: String,
    /// Switch is the switch port configuration for a BGP external.
    #[serde(default)]
    pub switch: ExternalAttachmentSwitch,
    /// Neighbor is the BGP neighbor configuration for a BGP external.
    #[serde(default)]
    pub neighbor: ExternalAttachmentNeighbor,
    /// Static holds the parameters of a static external attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#static: Option<ExternalAttachmentStatic>,
    /// InboundACL holds the ACL statements applied to inbound traffic.
    #[serde(
        rename = "inboundACL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inbound_acl: Option<AclSpec>,
}

/// Switch side of a BGP external attachment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalAttachmentSwitch {
    /// VLAN of the subinterface on the connection's switch port (0: none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub vlan: u16,
    /// IP of the subinterface, with prefix length.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
}

/// BGP neighbor of an external attachment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalAttachmentNeighbor {
    /// ASN of the BGP neighbor.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub asn: u32,
    /// IP of the BGP neighbor, without prefix length.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
}

/// Parameters of a static external attachment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[schemars(transform = Require(&["remoteIP"]))]
pub struct ExternalAttachmentStatic {
    /// RemoteIP is the external's IP, the next hop of its prefixes.
    #[serde(rename = "remoteIP", default)]
    pub remote_ip: String,
    /// VLAN of the subinterface on the connection's switch port (0: none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub vlan: u16,
    /// IP (with prefix length) configured on the switch when not in proxy mode.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// Proxy enables proxy-ARP, used with gateway peering.
    #[serde(default, skip_serializing_if = "is_false")]
    pub proxy: bool,
}

/// A list of ACL statements.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct AclSpec {
    /// The statements, applied in `seq` order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<AclStatement>,
}

string_enum! {
    /// The protocol an ACL statement matches.
    pub enum AclProtocol (listed = &[]) {
        /// Any IP traffic.
        Ip = "ip",
        /// TCP.
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
        /// ICMP.
        Icmp = "icmp",
    }
}

string_enum! {
    /// What an ACL statement does with matching traffic.
    pub enum AclAction (listed = &[]) {
        /// Let the traffic through.
        Permit = "permit",
        /// Deny the traffic.
        Deny = "deny",
        /// Drop the traffic silently.
        Discard = "discard",
        /// Let the traffic transit.
        Transit = "transit",
    }
}

/// The lowest sequence number of a user ACL statement; lower ones are reserved.
pub const ACL_USER_MIN_SEQ: u16 = 10;

/// One ACL statement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
#[schemars(transform = Require(&["action", "dstPrefix", "protocol", "seq", "srcPrefix"]))]
pub struct AclStatement {
    /// Sequence number.
    #[serde(default)]
    pub seq: u16,
    /// Action on matching traffic.
    #[serde(default)]
    pub action: AclAction,
    /// Protocol to match.
    #[serde(default)]
    pub protocol: AclProtocol,
    /// Source prefix to match.
    #[serde(rename = "srcPrefix", default)]
    pub src_prefix: String,
    /// Destination prefix to match.
    #[serde(rename = "dstPrefix", default)]
    pub dst_prefix: String,
    /// First port of the matched range (TCP/UDP).
    #[serde(rename = "portRangeBegin", default, skip_serializing_if = "is_zero")]
    pub port_range_begin: u16,
    /// Last port of the matched range (TCP/UDP).
    #[serde(rename = "portRangeEnd", default, skip_serializing_if = "is_zero")]
    pub port_range_end: u16,
    /// TCP flags to match.
    #[serde(
        rename = "tcpFilters",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp_filters: Option<AclTcpFilters>,
    /// ICMP type to match.
    #[serde(rename = "icmpType", default, skip_serializing_if = "Option::is_none")]
    pub icmp_type: Option<u8>,
    /// ICMP code to match.
    #[serde(rename = "icmpCode", default, skip_serializing_if = "Option::is_none")]
    pub icmp_code: Option<u8>,
}

/// TCP flag filters of an ACL statement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct AclTcpFilters {
    /// Match established connections.
    #[serde(default, skip_serializing_if = "is_false")]
    pub established: bool,
    /// Match FIN set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fin: bool,
    /// Match FIN not set.
    #[serde(rename = "notFin", default, skip_serializing_if = "is_false")]
    pub not_fin: bool,
    /// Match SYN set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub syn: bool,
    /// Match SYN not set.
    #[serde(rename = "notSyn", default, skip_serializing_if = "is_false")]
    pub not_syn: bool,
    /// Match RST set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rst: bool,
    /// Match RST not set.
    #[serde(rename = "notRst", default, skip_serializing_if = "is_false")]
    pub not_rst: bool,
    /// Match PSH set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub psh: bool,
    /// Match PSH not set.
    #[serde(rename = "notPsh", default, skip_serializing_if = "is_false")]
    pub not_psh: bool,
    /// Match ACK set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ack: bool,
    /// Match ACK not set.
    #[serde(rename = "notAck", default, skip_serializing_if = "is_false")]
    pub not_ack: bool,
    /// Match URG set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub urg: bool,
    /// Match URG not set.
    #[serde(rename = "notUrg", default, skip_serializing_if = "is_false")]
    pub not_urg: bool,
}

/// The observed state of an ExternalAttachment (empty).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default, JsonSchema)]
pub struct ExternalAttachmentStatus {}
