//! The table of Hedgehog kinds: API group, version, plural and hhfab's print order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The API group of the VPC API.
pub const VPC_GROUP: &str = "vpc.githedgehog.com";
/// The API group of the Wiring API.
pub const WIRING_GROUP: &str = "wiring.githedgehog.com";
/// The only version of both groups this crate models.
pub const VERSION: &str = "v1beta1";

/// A kind this crate models. `Kind::ALL` lists them in hhfab's print order.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Kind {
    /// `wiring.githedgehog.com/v1beta1` SwitchProfile.
    SwitchProfile,
    /// `wiring.githedgehog.com/v1beta1` VLANNamespace.
    #[serde(rename = "VLANNamespace")]
    VlanNamespace,
    /// `vpc.githedgehog.com/v1beta1` IPv4Namespace.
    #[serde(rename = "IPv4Namespace")]
    Ipv4Namespace,
    /// `wiring.githedgehog.com/v1beta1` SwitchGroup.
    SwitchGroup,
    /// `wiring.githedgehog.com/v1beta1` Switch.
    Switch,
    /// `wiring.githedgehog.com/v1beta1` Server.
    Server,
    /// `wiring.githedgehog.com/v1beta1` ServerProfile.
    ServerProfile,
    /// `wiring.githedgehog.com/v1beta1` Connection.
    Connection,
    /// `vpc.githedgehog.com/v1beta1` External.
    External,
    /// `vpc.githedgehog.com/v1beta1` ExternalAttachment.
    ExternalAttachment,
    /// `vpc.githedgehog.com/v1beta1` VPC.
    #[serde(rename = "VPC")]
    Vpc,
    /// `vpc.githedgehog.com/v1beta1` VPCAttachment.
    #[serde(rename = "VPCAttachment")]
    VpcAttachment,
    /// `vpc.githedgehog.com/v1beta1` VPCPeering.
    #[serde(rename = "VPCPeering")]
    VpcPeering,
    /// `vpc.githedgehog.com/v1beta1` ExternalPeering.
    ExternalPeering,
}

impl Kind {
    /// Every kind, in the order hhfab prints a wiring diagram (profiles first, then the
    /// order of `PrintInclude`), which is also the order of [`crate::ObjectKey`].
    pub const ALL: [Kind; 14] = [
        Kind::SwitchProfile,
        Kind::VlanNamespace,
        Kind::Ipv4Namespace,
        Kind::SwitchGroup,
        Kind::Switch,
        Kind::Server,
        Kind::ServerProfile,
        Kind::Connection,
        Kind::External,
        Kind::ExternalAttachment,
        Kind::Vpc,
        Kind::VpcAttachment,
        Kind::VpcPeering,
        Kind::ExternalPeering,
    ];

    /// The `kind` field as upstream spells it (`VPC`, `VLANNamespace`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Kind::SwitchProfile => "SwitchProfile",
            Kind::VlanNamespace => "VLANNamespace",
            Kind::Ipv4Namespace => "IPv4Namespace",
            Kind::SwitchGroup => "SwitchGroup",
            Kind::Switch => "Switch",
            Kind::Server => "Server",
            Kind::ServerProfile => "ServerProfile",
            Kind::Connection => "Connection",
            Kind::External => "External",
            Kind::ExternalAttachment => "ExternalAttachment",
            Kind::Vpc => "VPC",
            Kind::VpcAttachment => "VPCAttachment",
            Kind::VpcPeering => "VPCPeering",
            Kind::ExternalPeering => "ExternalPeering",
        }
    }

    /// The API group (`vpc.githedgehog.com` or `wiring.githedgehog.com`).
    pub const fn group(self) -> &'static str {
        match self {
            Kind::Vpc
            | Kind::VpcAttachment
            | Kind::VpcPeering
            | Kind::Ipv4Namespace
            | Kind::External
            | Kind::ExternalAttachment
            | Kind::ExternalPeering => VPC_GROUP,
            _ => WIRING_GROUP,
        }
    }

    /// `group/version`, as found in `apiVersion`.
    pub const fn api_version(self) -> &'static str {
        match self {
            Kind::Vpc
            | Kind::VpcAttachment
            | Kind::VpcPeering
            | Kind::Ipv4Namespace
            | Kind::External
            | Kind::ExternalAttachment
            | Kind::ExternalPeering => "vpc.githedgehog.com/v1beta1",
            _ => "wiring.githedgehog.com/v1beta1",
        }
    }

    /// The resource plural the API server serves (`switches`, not `switchs`).
    pub const fn plural(self) -> &'static str {
        match self {
            Kind::SwitchProfile => "switchprofiles",
            Kind::VlanNamespace => "vlannamespaces",
            Kind::Ipv4Namespace => "ipv4namespaces",
            Kind::SwitchGroup => "switchgroups",
            Kind::Switch => "switches",
            Kind::Server => "servers",
            Kind::ServerProfile => "serverprofiles",
            Kind::Connection => "connections",
            Kind::External => "externals",
            Kind::ExternalAttachment => "externalattachments",
            Kind::Vpc => "vpcs",
            Kind::VpcAttachment => "vpcattachments",
            Kind::VpcPeering => "vpcpeerings",
            Kind::ExternalPeering => "externalpeerings",
        }
    }

    /// Position in [`Kind::ALL`].
    pub const fn rank(self) -> usize {
        self as usize
    }

    /// The kind for an `apiVersion` and `kind` pair, if this crate models it.
    pub fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
        let k: Kind = kind.parse().ok()?;
        (k.api_version() == api_version).then_some(k)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error of [`Kind::from_str`]: the text names no modelled kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_rank_order_and_round_trips() {
        for (i, k) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(k.rank(), i);
            assert_eq!(k.name().parse::<Kind>().unwrap(), k);
            assert_eq!(Kind::from_type(k.api_version(), k.name()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
        assert_eq!(Kind::Switch.plural(), "switches");
        assert_eq!(
            Kind::from_type("vpc.githedgehog.com/v1beta1", "Switch"),
            None
        );
    }
}
