//! `FabricConfig`: the fabric-wide settings that validation depends on (upstream
//! `api/meta/types.go:FabricConfig`), with hhfab's values as defaults.
//!
//! Field names are the snake_case of upstream's JSON tags and serialize under those tags, so
//! a whole upstream `FabricConfig` (YAML or JSON) loads; fields that are left out keep hhfab's
//! values, and upstream fields this crate has no use for are accepted and ignored.
//! [`FabricConfig::check`] runs the checks of upstream's `Init()` and reports every failure.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Diagnostic;
use crate::net::{Mac, Prefix, parse_addr_go, parse_cidr, parse_ip};
use crate::vlan::{VlanRange, normalize_vlan_ranges};

/// The only fabric mode upstream knows (`meta.FabricModeSpineLeaf`).
pub const FABRIC_MODE_SPINE_LEAF: &str = "spine-leaf";

/// A switch user (upstream `meta.UserCreds`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct UserCreds {
    /// User name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Password hash.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub password: String,
    /// `admin` or `operator`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// Authorized SSH keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<String>,
}

/// Fabric-wide configuration used by validation. `Default` is what hhfab derives from its
/// default `fab.yaml` (`fabricator:pkg/fab/defaults.go`, `pkg/fab/comp/fabric/fabric.go`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct FabricConfig {
    /// Deployment identifier, 3..16 characters when set.
    #[serde(rename = "deploymentID", skip_serializing_if = "String::is_empty")]
    pub deployment_id: String,
    /// Control node VIP, as a /32 prefix (`172.30.0.1/32`).
    #[serde(rename = "controlVIP")]
    pub control_vip: String,
    /// Kubernetes API server address.
    #[serde(rename = "apiServer")]
    pub api_server: String,
    /// Registry repository of the switch agent.
    #[serde(rename = "agentRepo")]
    pub agent_repo: String,
    /// VLANs reserved for VPC IRB interfaces; VLANNamespaces must not overlap them.
    #[serde(rename = "vpcIRBVLANRange")]
    pub vpc_irb_vlan_range: Vec<VlanRange>,
    /// VLANs used by the VPC peering (loopback) workaround.
    #[serde(rename = "vpcPeeringVLANRange")]
    pub vpc_peering_vlan_range: Vec<VlanRange>,
    /// VLANs reserved for the TH5 workaround; VLANNamespaces must not overlap them.
    #[serde(rename = "th5WorkaroundVLANRange")]
    pub th5_workaround_vlan_range: Vec<VlanRange>,
    /// Whether VPCPeerings are refused.
    #[serde(rename = "vpcPeeringDisabled")]
    pub vpc_peering_disabled: bool,
    /// Prefixes no VPC subnet, IPv4Namespace subnet or static external may overlap.
    #[serde(rename = "reservedSubnets")]
    pub reserved_subnets: Vec<String>,
    /// Switch users.
    #[serde(rename = "users", skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserCreds>,
    /// Fabric mode; only `spine-leaf` is known.
    #[serde(rename = "fabricMode")]
    pub fabric_mode: String,
    /// Base BGP community of VPCs.
    #[serde(rename = "baseVPCCommunity")]
    pub base_vpc_community: String,
    /// Subnet of the VPC loopback workaround.
    #[serde(rename = "vpcLoopbackSubnet")]
    pub vpc_loopback_subnet: String,
    /// MTU of fabric links.
    #[serde(rename = "fabricMTU")]
    pub fabric_mtu: u16,
    /// How much smaller than `fabric_mtu` server-facing MTUs must be.
    #[serde(rename = "serverFacingMTUOffset")]
    pub server_facing_mtu_offset: u16,
    /// Base MAC address of ESLAG.
    #[serde(rename = "eslagMACBase")]
    pub eslag_mac_base: String,
    /// ESI prefix of ESLAG (12 characters, e.g. `00:f2:00:00:`).
    #[serde(rename = "eslagESIPrefix")]
    pub eslag_esi_prefix: String,
    /// Default eBGP maximum paths.
    #[serde(rename = "defaultMaxPathsEBGP")]
    pub default_max_paths_ebgp: u32,
    /// Whether SwitchProfiles other than the built-in ones are allowed.
    #[serde(rename = "allowExtraSwitchProfiles")]
    pub allow_extra_switch_profiles: bool,
    /// Whether the Celestica SONiC+ switch profiles (`*-clsp`, `vs-clsp`) are built in.
    #[serde(
        rename = "includeSONiCCLSPlus",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub include_sonic_cls_plus: bool,
    /// Whether the Cumulus switch profile (`cumulus-vx`) is built in.
    #[serde(rename = "includeCumulus", skip_serializing_if = "std::ops::Not::not")]
    pub include_cumulus: bool,
    /// Deprecated MCLAG session subnet.
    #[serde(rename = "mclagSessionSubnet")]
    pub mclag_session_subnet: String,
    /// ASN of the gateways.
    #[serde(rename = "gatewayASN")]
    pub gateway_asn: u32,
    /// Gateway BGP communities by priority.
    #[serde(
        rename = "gatewayCommunities",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub gateway_communities: BTreeMap<u32, String>,
    /// Subnet of switch protocol (loopback) IPs.
    #[serde(rename = "protocolSubnet")]
    pub protocol_subnet: String,
    /// Subnet of leaf VTEP IPs.
    #[serde(rename = "vtepSubnet")]
    pub vtep_subnet: String,
    /// Subnet of fabric link /31s.
    #[serde(rename = "fabricSubnet")]
    pub fabric_subnet: String,
    /// Subnet of the L2 proxy for static externals.
    #[serde(rename = "l2ProxyExternalSubnet")]
    pub l2_proxy_external_subnet: String,
    /// ASN of all spines.
    #[serde(rename = "spineASN")]
    pub spine_asn: u32,
    /// First leaf ASN.
    #[serde(rename = "leafASNStart")]
    pub leaf_asn_start: u32,
    /// Last leaf ASN.
    #[serde(rename = "leafASNEnd")]
    pub leaf_asn_end: u32,
    /// Management subnet of switches and control nodes.
    #[serde(rename = "managementSubnet")]
    pub management_subnet: String,
    /// First address of the management DHCP range; static switch IPs must be below it.
    #[serde(rename = "managementDHCPStart")]
    pub management_dhcp_start: String,
    /// Last address of the management DHCP range.
    #[serde(rename = "managementDHCPEnd")]
    pub management_dhcp_end: String,
    /// Whether gateways are enabled.
    #[serde(rename = "enableGateway")]
    pub enable_gateway: bool,
}

impl Default for FabricConfig {
    fn default() -> Self {
        let management_subnet = "172.30.0.0/21";
        let fabric_subnet = "172.30.128.0/17";
        let protocol_subnet = "172.30.8.0/22";
        let vtep_subnet = "172.30.12.0/22";
        let workaround_subnet = "172.30.96.0/19";
        let mclag_session_subnet = "172.30.95.0/31";
        let proxy_external_subnet = "172.30.16.0/22";
        FabricConfig {
            deployment_id: String::new(),
            control_vip: "172.30.0.1/32".into(),
            api_server: "172.30.0.1:6443".into(),
            agent_repo: "172.30.0.1:31000/githedgehog/fabric/agent".into(),
            vpc_irb_vlan_range: vec![VlanRange::new(3000, 3899)],
            vpc_peering_vlan_range: vec![VlanRange::new(100, 3999)],
            th5_workaround_vlan_range: vec![VlanRange::new(3900, 3999)],
            vpc_peering_disabled: false,
            reserved_subnets: [
                management_subnet,
                fabric_subnet,
                protocol_subnet,
                vtep_subnet,
                workaround_subnet,
                mclag_session_subnet,
                proxy_external_subnet,
            ]
            .map(String::from)
            .into(),
            users: Vec::new(),
            fabric_mode: FABRIC_MODE_SPINE_LEAF.into(),
            base_vpc_community: "50000:0".into(),
            vpc_loopback_subnet: workaround_subnet.into(),
            fabric_mtu: 9100,
            server_facing_mtu_offset: 64,
            eslag_mac_base: "f2:00:00:00:00:00".into(),
            eslag_esi_prefix: "00:f2:00:00:".into(),
            default_max_paths_ebgp: 64,
            allow_extra_switch_profiles: false,
            include_sonic_cls_plus: false,
            include_cumulus: false,
            mclag_session_subnet: mclag_session_subnet.into(),
            gateway_asn: 65534,
            gateway_communities: BTreeMap::new(),
            protocol_subnet: protocol_subnet.into(),
            vtep_subnet: vtep_subnet.into(),
            fabric_subnet: fabric_subnet.into(),
            l2_proxy_external_subnet: proxy_external_subnet.into(),
            spine_asn: 65100,
            leaf_asn_start: 65101,
            leaf_asn_end: 65533,
            management_subnet: management_subnet.into(),
            management_dhcp_start: "172.30.4.0".into(),
            management_dhcp_end: "172.30.7.254".into(),
            enable_gateway: false,
        }
    }
}

/// Why a configuration text could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The text is not valid YAML (JSON is YAML too) or does not fit the fields' types.
    #[error("invalid fabric config: {0}")]
    Syntax(#[from] serde_yaml_ng::Error),
    /// The document does not have the shape of a FabricConfig.
    #[error("invalid fabric config: {0}")]
    Shape(#[from] serde_json::Error),
    /// The document nests deeper than any configuration does (refused before parsing it,
    /// which would take time growing with the square of the depth).
    #[error("invalid fabric config: {0}")]
    TooDeep(String),
}

/// Nesting a configuration never needs; `serde_yaml_ng` refuses beyond 128 anyway.
const MAX_DEPTH: usize = 64;

impl FabricConfig {
    /// Loads a configuration from YAML or JSON text. Fields left out (or `null`) keep hhfab's
    /// defaults; fields this crate does not model are ignored. Does not run [`Self::check`].
    pub fn from_yaml(text: &str) -> Result<Self, ConfigError> {
        // JSON is read as JSON: a YAML 1.1 reader folds a raw NEL, LS or PS inside a JSON
        // string into a space.
        let mut value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(_) => {
                crate::load::check_nesting(text, MAX_DEPTH).map_err(ConfigError::TooDeep)?;
                serde_yaml_ng::from_str(text)?
            }
        };
        if let serde_json::Value::Object(map) = &mut value {
            // Go leaves a field at its value for `null`; dropping it keeps our default.
            map.retain(|_, v| !v.is_null());
        } else if value.is_null() {
            return Ok(FabricConfig::default());
        }
        Ok(serde_json::from_value(value)?)
    }

    /// The server-facing MTU limit: `fabric_mtu - server_facing_mtu_offset`.
    pub fn max_server_facing_mtu(&self) -> u16 {
        self.fabric_mtu
            .saturating_sub(self.server_facing_mtu_offset)
    }

    /// The reserved subnets that parse, masked to their network (upstream's
    /// `ParsedReservedSubnets`). Invalid entries are skipped; [`Self::check`] reports them.
    pub fn reserved_prefixes(&self) -> impl Iterator<Item = Prefix> + '_ {
        self.reserved_subnets
            .iter()
            .filter_map(|s| Prefix::parse(s))
            .map(|p| p.masked())
    }

    /// Upstream `Init()`'s checks, every failure reported (codes `config.*`, messages
    /// upstream's). Alloy targets, which this crate does not model, are not checked.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut err = |code: &'static str, path: &str, msg: String| {
            out.push(Diagnostic::error(code, msg).at(path));
        };

        if !self.deployment_id.is_empty() {
            let id = &self.deployment_id;
            if id.len() > 16 {
                err(
                    "config.deployment-id.too-long",
                    "deploymentID",
                    "config: deploymentID must be <= 16 characters".into(),
                );
            } else if id.len() < 3 {
                err(
                    "config.deployment-id.too-short",
                    "deploymentID",
                    "config: deploymentID must be >= 3 characters".into(),
                );
            } else if !is_deployment_id(id) {
                err(
                    "config.deployment-id.invalid",
                    "deploymentID",
                    "config: deploymentID must match ^[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]?$".into(),
                );
            }
        }
        for (value, tag, code) in [
            (
                &self.control_vip,
                "controlVIP",
                "config.control-vip.required",
            ),
            (&self.api_server, "apiServer", "config.api-server.required"),
            (&self.agent_repo, "agentRepo", "config.agent-repo.required"),
        ] {
            if value.is_empty() {
                err(code, tag, format!("config: {tag} is required"));
            }
        }

        for (ranges, tag) in [
            (&self.vpc_irb_vlan_range, "vpcIRBVLANRange"),
            (&self.vpc_peering_vlan_range, "vpcPeeringVLANRange"),
            (&self.th5_workaround_vlan_range, "th5WorkaroundVLANRange"),
        ] {
            let mut copy = ranges.clone();
            if let Err(e) = normalize_vlan_ranges(&mut copy) {
                err(
                    "config.vlan-range.invalid",
                    &format!("{tag}[{}]", e.index()),
                    format!("config: {tag} is invalid: {e}"),
                );
            } else if copy.is_empty() {
                err(
                    "config.vlan-range.required",
                    tag,
                    format!("config: {tag} is required"),
                );
            }
        }

        for (i, user) in self.users.iter().enumerate() {
            let path = format!("users[{i}]");
            for (value, field) in [
                (&user.name, "name"),
                (&user.password, "password"),
                (&user.role, "role"),
            ] {
                if value.is_empty() {
                    err(
                        "config.users.field-required",
                        &format!("{path}.{field}"),
                        format!("config: users: {field} is required"),
                    );
                }
            }
            if !user.role.is_empty() && user.role != "admin" && user.role != "operator" {
                err(
                    "config.users.role-invalid",
                    &format!("{path}.role"),
                    "config: users: role must be admin or operator".into(),
                );
            }
        }

        if self.fabric_mode.is_empty() {
            err(
                "config.fabric-mode.required",
                "fabricMode",
                "config: fabricMode is required".into(),
            );
        } else if self.fabric_mode != FABRIC_MODE_SPINE_LEAF {
            err(
                "config.fabric-mode.invalid",
                "fabricMode",
                format!("config: fabricMode must be one of [{FABRIC_MODE_SPINE_LEAF}]"),
            );
        }

        if self.reserved_subnets.is_empty() {
            err(
                "config.reserved-subnets.required",
                "reservedSubnets",
                "config: reservedSubnets is required (it should include at least Fabric subnets)"
                    .into(),
            );
        }
        for (i, subnet) in self.reserved_subnets.iter().enumerate() {
            if Prefix::parse(subnet).is_none() {
                err(
                    "config.reserved-subnets.invalid",
                    &format!("reservedSubnets[{i}]"),
                    format!(
                        "config: reservedSubnets: invalid subnet {subnet}: {}",
                        go_parse_prefix_error(subnet)
                    ),
                );
            }
        }

        for (value, tag, code) in [
            (
                &self.base_vpc_community,
                "baseVPCCommunity",
                "config.base-vpc-community.required",
            ),
            (
                &self.vpc_loopback_subnet,
                "vpcLoopbackSubnet",
                "config.vpc-loopback-subnet.required",
            ),
        ] {
            if value.is_empty() {
                err(code, tag, format!("config: {tag} is required"));
            }
        }

        if self.fabric_mtu == 0 {
            err(
                "config.fabric-mtu.required",
                "fabricMTU",
                "config: fabricMTU is required".into(),
            );
        } else if self.fabric_mtu > 9216 {
            err(
                "config.fabric-mtu.too-large",
                "fabricMTU",
                "config: fabricMTU must be <= 9216".into(),
            );
        }
        if self.server_facing_mtu_offset == 0 {
            err(
                "config.server-facing-mtu-offset.required",
                "serverFacingMTUOffset",
                "config: serverFacingMTUOffset is required".into(),
            );
        }

        if self.fabric_mode == FABRIC_MODE_SPINE_LEAF {
            if self.eslag_mac_base.is_empty() {
                err(
                    "config.eslag-mac-base.required",
                    "eslagMACBase",
                    "config: eslagMACBase is required".into(),
                );
            } else {
                match Mac::parse(&self.eslag_mac_base) {
                    None => err(
                        "config.eslag-mac-base.invalid",
                        "eslagMACBase",
                        "config: eslagMACBase should be a valid MAC address".into(),
                    ),
                    Some(mac) if mac.bytes().len() != 6 => err(
                        "config.eslag-mac-base.not-48-bit",
                        "eslagMACBase",
                        "config: eslagMACBase should be a valid 48 bit MAC address".into(),
                    ),
                    Some(_) => {}
                }
            }
            if self.eslag_esi_prefix.is_empty() {
                err(
                    "config.eslag-esi-prefix.required",
                    "eslagESIPrefix",
                    "config: eslagESIPrefix is required".into(),
                );
            } else if self.eslag_esi_prefix.len() != 12 {
                err(
                    "config.eslag-esi-prefix.invalid",
                    "eslagESIPrefix",
                    "config: eslagESIPrefix should be a valid 12 hex long prefix, e.g. '00:f2:00:00:'".into(),
                );
            }
        }

        for (value, tag, code) in [
            (
                self.default_max_paths_ebgp,
                "defaultMaxPathsEBGP",
                "config.default-max-paths-ebgp.required",
            ),
            (
                self.gateway_asn,
                "gatewayASN",
                "config.gateway-asn.required",
            ),
            (self.spine_asn, "spineASN", "config.spine-asn.required"),
            (
                self.leaf_asn_start,
                "leafASNStart",
                "config.leaf-asn-start.required",
            ),
            (
                self.leaf_asn_end,
                "leafASNEnd",
                "config.leaf-asn-end.required",
            ),
        ] {
            if value == 0 {
                err(code, tag, format!("config: {tag} is required"));
            }
        }
        if self.leaf_asn_start != 0 && self.leaf_asn_end != 0 {
            if self.leaf_asn_end < self.leaf_asn_start {
                err(
                    "config.leaf-asn.range-invalid",
                    "leafASNEnd",
                    "config: leafASNEnd must be greater than or equal to leafASNStart".into(),
                );
            } else if self.spine_asn >= self.leaf_asn_start && self.spine_asn <= self.leaf_asn_end {
                err(
                    "config.spine-asn.in-leaf-range",
                    "spineASN",
                    "config: spineASN must not be in the leaf ASN range".into(),
                );
            }
        }

        self.check_management(&mut err);

        for (prio, community) in &self.gateway_communities {
            if let Some(msg) = gateway_community_problem(community) {
                err(
                    "config.gateway-communities.invalid",
                    &format!("gatewayCommunities[\"{prio}\"]"),
                    msg,
                );
            }
        }
        out
    }

    fn check_management(&self, err: &mut impl FnMut(&'static str, &str, String)) {
        for (value, tag, code) in [
            (
                &self.management_subnet,
                "managementSubnet",
                "config.management-subnet.required",
            ),
            (
                &self.management_dhcp_start,
                "managementDHCPStart",
                "config.management-dhcp-start.required",
            ),
            (
                &self.management_dhcp_end,
                "managementDHCPEnd",
                "config.management-dhcp-end.required",
            ),
        ] {
            if value.is_empty() {
                err(code, tag, format!("config: {tag} is required"));
            }
        }
        if self.management_subnet.is_empty() {
            return;
        }
        let Some((_, subnet)) = parse_cidr(&self.management_subnet) else {
            err(
                "config.management-subnet.invalid",
                "managementSubnet",
                format!(
                    "config: managementSubnet is invalid: invalid CIDR address: {}",
                    self.management_subnet
                ),
            );
            return;
        };
        for (value, tag, code) in [
            (
                &self.management_dhcp_start,
                "managementDHCPStart",
                "config.management-dhcp-start.invalid",
            ),
            (
                &self.management_dhcp_end,
                "managementDHCPEnd",
                "config.management-dhcp-end.invalid",
            ),
        ] {
            if value.is_empty() {
                continue;
            }
            let inside = parse_ip(value).is_some_and(|ip| subnet.contains(ip));
            if !inside {
                err(
                    code,
                    tag,
                    format!("config: {tag} is not a valid IP in managementSubnet"),
                );
            }
        }
    }
}

/// `^[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]?$`: alphanumeric start, then alphanumerics and dashes.
fn is_deployment_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The text of the error of Go's `netip.ParsePrefix(text)`, for a text that does not parse.
pub(crate) fn go_parse_prefix_error(text: &str) -> String {
    let reason = match text.rsplit_once('/') {
        None => "no '/'".to_owned(),
        Some((addr, bits)) => match parse_addr_go(addr) {
            Err(why) => why,
            Ok(a) if a.zone().is_some() => "IPv6 zones cannot be present in a prefix".to_owned(),
            // Whatever else fails after a good address is the length: malformed or too big.
            Ok(_) => {
                let plain = !bits.starts_with('+') && (bits.len() == 1 || !bits.starts_with('0'));
                match bits.parse::<u64>() {
                    Ok(_) if plain => "prefix length out of range".to_owned(),
                    _ => format!("bad bits after slash: {bits:?}"),
                }
            }
        },
    };
    format!("netip.ParsePrefix({text:?}): {reason}")
}

/// Upstream's check of one gateway community (`<u16>:<u16>`), with Go's `strconv` texts.
fn gateway_community_problem(community: &str) -> Option<String> {
    let parts: Vec<&str> = community.split(':').collect();
    if parts.len() != 2 {
        return Some(format!(
            "config: gatewayCommunity community {community} format is invalid"
        ));
    }
    parts.iter().find_map(|part| {
        go_parse_u16_error(part)
            .map(|why| format!("config: gatewayCommunity community {community} is invalid: {why}"))
    })
}

/// The text of Go's `strconv.ParseUint(part, 10, 16)` error, if it fails.
fn go_parse_u16_error(part: &str) -> Option<String> {
    let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    // Go accepts underscores only with a base prefix, which base 10 does not allow.
    if !digits || part.contains('_') {
        return Some(format!(
            "strconv.ParseUint: parsing {part:?}: invalid syntax"
        ));
    }
    match part.parse::<u16>() {
        Ok(_) => None,
        Err(_) => Some(format!(
            "strconv.ParseUint: parsing {part:?}: value out of range"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_check() {
        assert_eq!(FabricConfig::default().check(), vec![]);
        assert_eq!(FabricConfig::default().max_server_facing_mtu(), 9036);
        assert_eq!(FabricConfig::default().reserved_prefixes().count(), 7);
    }

    /// Found by the differential fuzzer: the address part of the text is Go's, not a summary.
    #[test]
    fn prefix_errors_carry_go_address_errors() {
        assert_eq!(
            go_parse_prefix_error("a.b.c.d/24"),
            r#"netip.ParsePrefix("a.b.c.d/24"): ParseAddr("a.b.c.d"): unexpected character (at "a.b.c.d")"#
        );
        assert_eq!(
            go_parse_prefix_error("10.0.1.256/24"),
            r#"netip.ParsePrefix("10.0.1.256/24"): ParseAddr("10.0.1.256"): IPv4 field has value >255"#
        );
        assert_eq!(
            go_parse_prefix_error("vpc-10/subnet-01"),
            r#"netip.ParsePrefix("vpc-10/subnet-01"): ParseAddr("vpc-10"): unable to parse IP"#
        );
    }

    #[test]
    fn community_errors_render_like_go() {
        assert_eq!(gateway_community_problem("50000:1"), None);
        assert_eq!(
            gateway_community_problem("1:2:3").unwrap(),
            "config: gatewayCommunity community 1:2:3 format is invalid"
        );
        assert_eq!(
            gateway_community_problem("70000:1").unwrap(),
            "config: gatewayCommunity community 70000:1 is invalid: strconv.ParseUint: parsing \"70000\": value out of range"
        );
        assert_eq!(
            gateway_community_problem("a:1").unwrap(),
            "config: gatewayCommunity community a:1 is invalid: strconv.ParseUint: parsing \"a\": invalid syntax"
        );
    }
}
