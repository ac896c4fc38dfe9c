//! The typed API: one Kubernetes custom resource per kind, with its spec and nested types,
//! shaped after upstream's Go types (`api/vpc/v1beta1`, `api/wiring/v1beta1` of fabric).
//!
//! Field names, JSON names, integer widths and `omitempty` behaviour follow Go: decoding
//! accepts every document Go's decoder accepts (missing fields are zero values, unknown
//! enum strings are kept as `Other`), and serialising prints what Go would print, except
//! that unset lists Go prints as `null` are omitted.

// kube-derive's `printcolumn(...)` repeats `type_`/`json_path` once per column; clippy
// mistakes those for duplicated attributes.
#![allow(clippy::duplicated_attributes)]

mod util;
mod vpc;
mod wiring;

pub use vpc::external::{External, ExternalSpec, ExternalStaticSpec, ExternalStatus};
pub use vpc::externalattachment::{
    ACL_USER_MIN_SEQ, AclAction, AclProtocol, AclSpec, AclStatement, AclTcpFilters,
    ExternalAttachment, ExternalAttachmentNeighbor, ExternalAttachmentSpec,
    ExternalAttachmentStatic, ExternalAttachmentStatus, ExternalAttachmentSwitch,
};
pub use vpc::externalpeering::{
    ExternalPeering, ExternalPeeringSpec, ExternalPeeringSpecExternal, ExternalPeeringSpecPermit,
    ExternalPeeringSpecPrefix, ExternalPeeringSpecVpc, ExternalPeeringStatus,
};
pub use vpc::ipv4namespace::{Ipv4Namespace, Ipv4NamespaceSpec, Ipv4NamespaceStatus};
pub use vpc::vpc::{
    Vpc, VpcDhcp, VpcDhcpOptions, VpcDhcpRange, VpcDhcpRoute, VpcDhcpStatic, VpcMode, VpcSpec,
    VpcStaticRoute, VpcStatus, VpcSubnet,
};
pub use vpc::vpcattachment::{VpcAttachment, VpcAttachmentSpec, VpcAttachmentStatus};
pub use vpc::vpcpeering::{VpcPeer, VpcPeering, VpcPeeringSpec, VpcPeeringStatus};
pub use wiring::connection::{
    BasePortName, ConnBundled, ConnEslag, ConnExternal, ConnExternalLink, ConnFabric,
    ConnFabricLinkSwitch, ConnGateway, ConnGatewayLinkGateway, ConnMclag, ConnMclagDomain,
    ConnMesh, ConnStaticExternal, ConnStaticExternalLink, ConnStaticExternalLinkSwitch,
    ConnUnbundled, ConnVpcLoopback, Connection, ConnectionSpec, ConnectionStatus, ConnectionType,
    FabricLink, GatewayLink, MeshLink, PortName, ServerToSwitchLink, SwitchToSwitchLink,
};
pub use wiring::server::{Server, ServerSpec, ServerStatus};
pub use wiring::serverprofile::{
    ServerProfile, ServerProfileNic, ServerProfileNicPort, ServerProfileSpec, ServerProfileStatus,
};
pub use wiring::switch::{
    PortFecMode, RedundancyType, Switch, SwitchBoot, SwitchEcmp, SwitchLinkFlapErrDisable,
    SwitchRedundancy, SwitchRole, SwitchSpec, SwitchStatus,
};
pub use wiring::switchgroup::{SwitchGroup, SwitchGroupSpec, SwitchGroupStatus};
pub use wiring::switchprofile::{
    NosType, SwitchProfile, SwitchProfileConfig, SwitchProfileFeatures, SwitchProfilePipeline,
    SwitchProfilePort, SwitchProfilePortGroup, SwitchProfilePortProfile,
    SwitchProfilePortProfileBreakout, SwitchProfilePortProfileBreakoutMode,
    SwitchProfilePortProfileSpeed, SwitchProfileSpec, SwitchProfileStatus,
};
pub use wiring::vlannamespace::{VlanNamespace, VlanNamespaceSpec, VlanNamespaceStatus, VlanRange};

#[cfg(test)]
mod tests;
