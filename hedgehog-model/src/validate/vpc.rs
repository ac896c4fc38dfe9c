//! Upstream `VPC.Validate()` without other objects (API reference §7.1 rules 1–14).

use std::collections::{BTreeMap, BTreeSet};

use super::{Report, meta};
use crate::FieldPath;
use crate::api::{
    Vpc, VpcDhcpOptions, VpcDhcpRange, VpcDhcpStatic, VpcMode, VpcStaticRoute, VpcSubnet,
};
use crate::config::FabricConfig;
use crate::net::{Addr, Mac, Prefix, parse_addr};

/// Upstream's limit on the subnets of one VPC.
const MAX_SUBNETS: usize = 20;
/// Upstream's longest VPC subnet prefix.
const MAX_PREFIX_LEN: u8 = 30;
/// Upstream's DHCP interface MTU bounds.
const DHCP_MTU_MIN: u16 = 96;
const DHCP_MTU_MAX: u16 = 9036;
/// The name prefix upstream reserves for externals in gateway peerings (`VPCInfoExtPrefix`).
const EXT_PREFIX: &str = "ext.";

pub(crate) fn validate(vpc: &Vpc, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&vpc.metadata, report);
    let name = vpc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with(EXT_PREFIX) {
        report.error(
            "vpc.name.ext-prefix",
            "metadata.name",
            format!("vpc name cannot start with '{EXT_PREFIX}': {name}"),
        );
    }
    let spec = &vpc.spec;
    if spec.ipv4_namespace.is_empty() {
        report.error(
            "vpc.ipv4-namespace.required",
            "spec.ipv4Namespace",
            "ipv4Namespace is required",
        );
    }
    if spec.vlan_namespace.is_empty() {
        report.error(
            "vpc.vlan-namespace.required",
            "spec.vlanNamespace",
            "vlanNamespace is required",
        );
    }
    if spec.subnets.is_empty() {
        report.error(
            "vpc.subnets.none",
            "spec.subnets",
            "at least one subnet is required",
        );
    } else if spec.subnets.len() > MAX_SUBNETS {
        report.error(
            "vpc.subnets.too-many",
            "spec.subnets",
            format!("too many subnets, max is {MAX_SUBNETS}"),
        );
    }
    validate_mode(&spec.mode, report);

    let reserved: Vec<Prefix> = cfg
        .map(|c| c.reserved_prefixes().collect())
        .unwrap_or_default();
    let mut parsed: Vec<(&str, Prefix)> = Vec::with_capacity(spec.subnets.len());
    for (subnet_name, subnet) in &spec.subnets {
        let ctx = SubnetCtx::new(subnet_name);
        if let Some(prefix) = validate_subnet(&ctx, subnet, &reserved, report) {
            parsed.push((subnet_name, prefix));
        }
    }
    check_vlans_unique(&spec.subnets, report);
    check_no_overlap(&parsed, report);
    validate_permits(&spec.permit, &spec.subnets, report);
    for (idx, route) in spec.static_routes.iter().enumerate() {
        validate_static_route(idx, route, report);
    }
}

fn validate_mode(mode: &VpcMode, report: &mut Report) {
    match mode {
        VpcMode::Other(value) => {
            // Go's %v of the mode list: `[ l3vni l3flat]` (the first mode is "").
            let modes = VpcMode::VALUES.join(" ");
            report.error(
                "vpc.mode.invalid",
                "spec.mode",
                format!("invalid mode {value}, must be one of [{modes}]"),
            );
        }
        VpcMode::L3flat => report.error(
            "vpc.mode.l3flat",
            "spec.mode",
            "L3Flat mode is not supported yet",
        ),
        VpcMode::L2vni | VpcMode::L3vni => {}
    }
}

/// Paths and message prefix of one subnet. Paths are built only when a problem is
/// reported, since valid objects are the common case.
struct SubnetCtx<'a> {
    name: &'a str,
}

impl<'a> SubnetCtx<'a> {
    fn new(name: &'a str) -> Self {
        SubnetCtx { name }
    }

    /// The path of a field below the subnet, given as dotted keys (`dhcp.range.start`).
    fn at(&self, field: &str) -> FieldPath {
        let subnet = FieldPath::root().key("spec").key("subnets").key(self.name);
        field.split('.').fold(subnet, |p, k| p.key(k))
    }

    fn error(
        &self,
        report: &mut Report,
        code: &'static str,
        path: FieldPath,
        text: impl std::fmt::Display,
    ) {
        report.error(code, path, format!("subnet {}: {text}", self.name));
    }
}

/// Checks one subnet; returns its prefix when it parses (for the overlap check).
fn validate_subnet(
    ctx: &SubnetCtx<'_>,
    subnet: &VpcSubnet,
    reserved: &[Prefix],
    report: &mut Report,
) -> Option<Prefix> {
    let prefix = if subnet.subnet.is_empty() {
        ctx.error(
            report,
            "vpc.subnet.missing",
            ctx.at("subnet"),
            "missing subnet",
        );
        None
    } else {
        match Prefix::parse_go(&subnet.subnet) {
            Ok(p) => Some(p),
            Err(why) => {
                ctx.error(
                    report,
                    "vpc.subnet.invalid",
                    ctx.at("subnet"),
                    format_args!("failed to parse subnet {}: {why}", subnet.subnet),
                );
                None
            }
        }
    };
    if let Some(p) = &prefix {
        if p.bits() > MAX_PREFIX_LEN {
            ctx.error(
                report,
                "vpc.subnet.prefix-too-long",
                ctx.at("subnet"),
                format_args!(
                    "prefix length {} is too large, must be <= {MAX_PREFIX_LEN}",
                    p.bits()
                ),
            );
        }
        if reserved.iter().any(|r| r.overlaps(p)) {
            ctx.error(
                report,
                "vpc.subnet.reserved",
                ctx.at("subnet"),
                format_args!("subnet {} is reserved", subnet.subnet),
            );
        }
    }

    let gateway = if subnet.host_bgp {
        if subnet.dhcp.enable {
            ctx.error(
                report,
                "vpc.subnet.host-bgp-dhcp",
                ctx.at("dhcp.enable"),
                "dhcp should not be enabled for hostBGP subnets",
            );
        }
        None
    } else {
        let gateway = validate_gateway(ctx, subnet, prefix.as_ref(), report);
        if subnet.vlan == 0 {
            ctx.error(
                report,
                "vpc.subnet.vlan-required",
                ctx.at("vlan"),
                "vlan is required",
            );
        }
        gateway
    };

    let dhcp = &subnet.dhcp;
    if !dhcp.relay.is_empty() && dhcp.enable {
        ctx.error(
            report,
            "vpc.dhcp.relay-and-server",
            ctx.at("dhcp.relay"),
            "dhcp relay and dhcp server cannot be enabled at the same time",
        );
    }
    if !dhcp.relay.is_empty() {
        if let Err(why) = Prefix::parse_go(&dhcp.relay) {
            ctx.error(
                report,
                "vpc.dhcp.relay-invalid",
                ctx.at("dhcp.relay"),
                format_args!("failed to parse dhcp relay {}: {why}", dhcp.relay),
            );
        }
    } else if !dhcp.relay_vpc.is_empty() {
        ctx.error(
            report,
            "vpc.dhcp.relay-vpc-without-relay",
            ctx.at("dhcp.relayVPC"),
            "dhcp relay VPC specified but dhcp relay is not enabled",
        );
    }

    if dhcp.enable {
        let net = prefix.as_ref();
        match &dhcp.range {
            None => ctx.error(
                report,
                "vpc.dhcp.range-required",
                ctx.at("dhcp.range"),
                "dhcp range is required",
            ),
            Some(range) => validate_range(ctx, range, net, gateway.as_ref(), report),
        }
        if let Some(options) = &dhcp.options {
            validate_options(ctx, options, net, report);
        }
        validate_statics(ctx, &dhcp.r#static, net, &subnet.gateway, report);
    } else {
        if let Some(options) = &dhcp.options {
            options_without_dhcp(ctx, options, report);
        }
        if dhcp
            .range
            .as_ref()
            .is_some_and(|r| !r.start.is_empty() || !r.end.is_empty())
        {
            ctx.error(
                report,
                "vpc.dhcp.range-without-dhcp",
                ctx.at("dhcp.range"),
                "dhcp range start or end is set but dhcp is disabled",
            );
        }
        if !dhcp.r#static.is_empty() {
            ctx.error(
                report,
                "vpc.dhcp.static-without-dhcp",
                ctx.at("dhcp.static"),
                "static IPs are not supported when DHCP is disabled",
            );
        }
    }
    prefix
}

/// Gateway checks of a non-hostBGP subnet; returns the gateway when it parses.
fn validate_gateway(
    ctx: &SubnetCtx<'_>,
    subnet: &VpcSubnet,
    prefix: Option<&Prefix>,
    report: &mut Report,
) -> Option<Addr> {
    if subnet.gateway.is_empty() {
        ctx.error(
            report,
            "vpc.subnet.gateway-required",
            ctx.at("gateway"),
            "gateway is required",
        );
        return None;
    }
    let Some(gateway) = parse_addr(&subnet.gateway) else {
        ctx.error(
            report,
            "vpc.subnet.gateway-invalid",
            ctx.at("gateway"),
            format_args!("gateway {} is not a valid IP address", subnet.gateway),
        );
        return None;
    };
    if prefix.is_some_and(|p| !p.contains_addr(&gateway)) {
        ctx.error(
            report,
            "vpc.subnet.gateway-outside",
            ctx.at("gateway"),
            format_args!("gateway {} is not in the subnet", subnet.gateway),
        );
    }
    Some(gateway)
}

/// The codes of the checks on one end of the DHCP range.
struct BoundCodes {
    field: &'static str,
    required: &'static str,
    invalid: &'static str,
    network: &'static str,
    gateway: &'static str,
    outside: &'static str,
}

const START: BoundCodes = BoundCodes {
    field: "start",
    required: "vpc.dhcp.range-start-required",
    invalid: "vpc.dhcp.range-start-invalid",
    network: "vpc.dhcp.range-start-network",
    gateway: "vpc.dhcp.range-start-gateway",
    outside: "vpc.dhcp.range-start-outside",
};

const END: BoundCodes = BoundCodes {
    field: "end",
    required: "vpc.dhcp.range-end-required",
    invalid: "vpc.dhcp.range-end-invalid",
    network: "vpc.dhcp.range-end-network",
    gateway: "vpc.dhcp.range-end-gateway",
    outside: "vpc.dhcp.range-end-outside",
};

fn validate_range(
    ctx: &SubnetCtx<'_>,
    range: &VpcDhcpRange,
    prefix: Option<&Prefix>,
    gateway: Option<&Addr>,
    report: &mut Report,
) {
    let start = validate_bound(ctx, &START, &range.start, prefix, gateway, report);
    let end = validate_bound(ctx, &END, &range.end, prefix, gateway, report);
    if let (Some(start), Some(end)) = (start, end)
        && start >= end
    {
        ctx.error(
            report,
            "vpc.dhcp.range-order",
            ctx.at("dhcp.range"),
            format_args!(
                "dhcp range start {} does not come before dhcp range end {}",
                range.start, range.end
            ),
        );
    }
}

/// Checks one end of the DHCP range; returns it when it parses and lies properly inside.
fn validate_bound(
    ctx: &SubnetCtx<'_>,
    codes: &BoundCodes,
    value: &str,
    prefix: Option<&Prefix>,
    gateway: Option<&Addr>,
    report: &mut Report,
) -> Option<Addr> {
    let path = || ctx.at("dhcp.range").key(codes.field);
    let which = codes.field;
    if value.is_empty() {
        ctx.error(
            report,
            codes.required,
            path(),
            format_args!("dhcp range {which} is required"),
        );
        return None;
    }
    let Some(addr) = parse_addr(value) else {
        ctx.error(
            report,
            codes.invalid,
            path(),
            format_args!("invalid dhcp range {which} {value}"),
        );
        return None;
    };
    let problem = if prefix.is_some_and(|p| addr == Addr::new(p.network())) {
        Some((codes.network, "is equal to subnet"))
    } else if gateway == Some(&addr) {
        Some((codes.gateway, "is equal to gateway"))
    } else if prefix.is_some_and(|p| !p.contains_addr(&addr)) {
        Some((codes.outside, "is not in the subnet"))
    } else {
        None
    };
    match problem {
        Some((code, what)) => {
            ctx.error(
                report,
                code,
                path(),
                format_args!("dhcp range {which} {value} {what}"),
            );
            // The order of the range is only worth checking between two usable bounds.
            None
        }
        None => Some(addr),
    }
}

fn validate_options(
    ctx: &SubnetCtx<'_>,
    options: &VpcDhcpOptions,
    prefix: Option<&Prefix>,
    report: &mut Report,
) {
    for (i, server) in options.dns_servers.iter().enumerate() {
        if parse_addr(server).is_none() {
            ctx.error(
                report,
                "vpc.dhcp.dns-server-invalid",
                ctx.at("dhcp.options.dnsServers").index(i),
                format_args!("dns address {server} is not a valid IP"),
            );
        }
    }
    for (i, server) in options.time_servers.iter().enumerate() {
        if parse_addr(server).is_none() {
            ctx.error(
                report,
                "vpc.dhcp.time-server-invalid",
                ctx.at("dhcp.options.timeServers").index(i),
                format_args!("time server {server} address is not a valid IP"),
            );
        }
    }
    let mtu_path = || ctx.at("dhcp.options.interfaceMTU");
    if options.interface_mtu < DHCP_MTU_MIN {
        ctx.error(
            report,
            "vpc.dhcp.mtu-too-small",
            mtu_path(),
            format_args!("MTU cannot be set smaller than {DHCP_MTU_MIN}"),
        );
    } else if options.interface_mtu > DHCP_MTU_MAX {
        ctx.error(
            report,
            "vpc.dhcp.mtu-too-large",
            mtu_path(),
            format_args!("MTU cannot be set greater than {DHCP_MTU_MAX}"),
        );
    }
    if options.lease_time_seconds < 1 {
        ctx.error(
            report,
            "vpc.dhcp.lease-time-too-small",
            ctx.at("dhcp.options.leaseTimeSeconds"),
            "LeaseTimeSeconds cannot be set smaller than 1",
        );
    }
    for (i, route) in options.advertised_routes.iter().enumerate() {
        let path = || ctx.at("dhcp.options.advertisedRoutes").index(i);
        if route.destination.is_empty() {
            ctx.error(
                report,
                "vpc.dhcp.route-destination-required",
                path().key("destination"),
                "advertised route destination is required",
            );
        } else if let Err(why) = Prefix::parse_go(&route.destination) {
            ctx.error(
                report,
                "vpc.dhcp.route-destination-invalid",
                path().key("destination"),
                format_args!(
                    "failed to parse advertised route destination {}: {why}",
                    route.destination
                ),
            );
        }
        if route.gateway.is_empty() {
            ctx.error(
                report,
                "vpc.dhcp.route-gateway-required",
                path().key("gateway"),
                "advertised route gateway is required",
            );
        } else {
            match parse_addr(&route.gateway) {
                None => ctx.error(
                    report,
                    "vpc.dhcp.route-gateway-invalid",
                    path().key("gateway"),
                    format_args!("invalid advertised route gateway {}", route.gateway),
                ),
                Some(gw) if prefix.is_some_and(|p| !p.contains_addr(&gw)) => ctx.error(
                    report,
                    "vpc.dhcp.route-gateway-outside",
                    path().key("gateway"),
                    format_args!(
                        "advertised route gateway {} is not in the subnet",
                        route.gateway
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

/// Rule 7: options left on a subnet without DHCP (reachable only when Default did not run
/// or the prefix is longer than /30).
fn options_without_dhcp(ctx: &SubnetCtx<'_>, o: &VpcDhcpOptions, report: &mut Report) {
    let set = [
        ("pxeURL", !o.pxe_url.is_empty()),
        ("DNSServer", !o.dns_servers.is_empty()),
        ("TimeServer", !o.time_servers.is_empty()),
        ("InterfaceMTU", o.interface_mtu > 0),
        ("LeaseTimeSeconds", o.lease_time_seconds > 0),
        ("DisableDefaultRoute", o.disable_default_route),
        ("AdvertisedRoutes", !o.advertised_routes.is_empty()),
    ];
    let fields = [
        "pxeURL",
        "dnsServers",
        "timeServers",
        "interfaceMTU",
        "leaseTimeSeconds",
        "disableDefaultRoute",
        "advertisedRoutes",
    ];
    for ((label, is_set), field) in set.into_iter().zip(fields) {
        if is_set {
            ctx.error(
                report,
                "vpc.dhcp.option-without-dhcp",
                ctx.at("dhcp.options").key(field),
                format_args!("{label} is set but dhcp is disabled"),
            );
        }
    }
}

fn validate_statics(
    ctx: &SubnetCtx<'_>,
    statics: &BTreeMap<String, VpcDhcpStatic>,
    prefix: Option<&Prefix>,
    gateway: &str,
    report: &mut Report,
) {
    if statics.is_empty() {
        return;
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let broadcast = prefix.map(|p| p.last().to_string());
    for (mac, lease) in statics {
        let path = || ctx.at("dhcp.static").key(mac.as_str());
        let ip = lease.ip.as_str();
        if ip.is_empty() {
            ctx.error(
                report,
                "vpc.dhcp.static-ip-required",
                path().key("ip"),
                format_args!("empty static IP assigned to MAC {mac}"),
            );
        }
        if mac.is_empty() {
            ctx.error(
                report,
                "vpc.dhcp.static-mac-required",
                path(),
                format_args!("static IP {ip} assigned to empty MAC address"),
            );
        } else if Mac::parse(mac).is_none() {
            ctx.error(
                report,
                "vpc.dhcp.static-mac-invalid",
                path(),
                format_args!("invalid MAC {mac} for static IP {ip}"),
            );
        }
        if ip.is_empty() {
            continue;
        }
        let ip_path = || path().key("ip");
        match parse_addr(ip) {
            None => ctx.error(
                report,
                "vpc.dhcp.static-ip-invalid",
                ip_path(),
                format_args!("invalid static IP {ip}"),
            ),
            Some(addr) => {
                if let Some(p) = prefix {
                    if !p.contains_addr(&addr) {
                        ctx.error(
                            report,
                            "vpc.dhcp.static-ip-outside",
                            ip_path(),
                            format_args!("static IP {ip} is not in the subnet"),
                        );
                    } else if addr == Addr::new(p.network()) {
                        ctx.error(
                            report,
                            "vpc.dhcp.static-ip-network",
                            ip_path(),
                            format_args!("static IP {ip} is the same as the subnet IP"),
                        );
                    }
                }
                // Upstream compares the strings as written, not the addresses.
                if ip == gateway {
                    ctx.error(
                        report,
                        "vpc.dhcp.static-ip-gateway",
                        ip_path(),
                        format_args!("static IP {ip} is the same as the gateway IP"),
                    );
                } else if broadcast.as_deref() == Some(ip) {
                    ctx.error(
                        report,
                        "vpc.dhcp.static-ip-broadcast",
                        ip_path(),
                        format_args!("static IP {ip} is the same as the broadcast IP"),
                    );
                }
            }
        }
        if !seen.insert(ip) {
            ctx.error(
                report,
                "vpc.dhcp.static-ip-duplicate",
                ip_path(),
                format_args!("static IP {ip} is already assigned to another MAC address"),
            );
        }
    }
}

/// Rule 12, first half: the VLANs of non-hostBGP subnets are unique. Reported once, at the
/// first subnet whose VLAN an earlier subnet (in name order) already uses.
fn check_vlans_unique(subnets: &BTreeMap<String, VpcSubnet>, report: &mut Report) {
    let mut seen = BTreeSet::new();
    let duplicate = subnets
        .iter()
        .filter(|(_, s)| !s.host_bgp && s.vlan != 0)
        .find(|(_, s)| !seen.insert(s.vlan));
    if let Some((name, _)) = duplicate {
        report.error(
            "vpc.subnet.vlan-duplicate",
            FieldPath::root()
                .key("spec")
                .key("subnets")
                .key(name.as_str())
                .key("vlan"),
            "duplicate subnet VLANs",
        );
    }
}

/// Rule 12, second half: the subnets are pairwise disjoint. Every overlapping pair is
/// reported at the later subnet (in name order).
fn check_no_overlap(parsed: &[(&str, Prefix)], report: &mut Report) {
    for (i, (_, first)) in parsed.iter().enumerate() {
        for (name, second) in parsed.iter().skip(i + 1) {
            if first.overlaps(second) {
                report.error(
                    "vpc.subnet.overlap",
                    FieldPath::root()
                        .key("spec")
                        .key("subnets")
                        .key(*name)
                        .key("subnet"),
                    format!(
                        "failed to verify no overlap subnets: subnets {first} and {second} overlap"
                    ),
                );
            }
        }
    }
}

fn validate_permits(
    permits: &[Vec<String>],
    subnets: &BTreeMap<String, VpcSubnet>,
    report: &mut Report,
) {
    for (idx, permit) in permits.iter().enumerate() {
        let path = FieldPath::root().key("spec").key("permit").index(idx);
        if permit.len() < 2 {
            report.error(
                "vpc.permit.too-few-subnets",
                path.clone(),
                "each permit policy must have at least 2 subnets in it",
            );
        }
        let mut seen = BTreeSet::new();
        let mut duplicate = false;
        for (j, subnet) in permit.iter().enumerate() {
            if !subnets.contains_key(subnet) {
                report.error(
                    "vpc.permit.subnet-not-found",
                    path.index(j),
                    format!("permit policy #{idx}: subnet {subnet} not found"),
                );
            }
            duplicate |= !seen.insert(subnet);
        }
        if duplicate {
            report.error(
                "vpc.permit.duplicate-subnets",
                path,
                format!("permit policy #{idx}: duplicate subnets"),
            );
        }
    }
}

fn validate_static_route(idx: usize, route: &VpcStaticRoute, report: &mut Report) {
    let path = FieldPath::root().key("spec").key("staticRoutes").index(idx);
    if route.prefix.is_empty() {
        report.error(
            "vpc.static-route.prefix-required",
            path.key("prefix"),
            format!("static route #{idx}: prefix is required"),
        );
    } else {
        match Prefix::parse_go(&route.prefix) {
            Err(why) => report.error(
                "vpc.static-route.prefix-invalid",
                path.key("prefix"),
                format!(
                    "static route #{idx}: failed to parse prefix {}: {why}",
                    route.prefix
                ),
            ),
            Ok(p) if !p.is_canonical() => report.error(
                "vpc.static-route.prefix-not-canonical",
                path.key("prefix"),
                format!(
                    "static route #{idx}: prefix {} is invalid: inconsistent IP address and mask",
                    route.prefix
                ),
            ),
            Ok(_) => {}
        }
    }
    if route.next_hops.is_empty() {
        report.error(
            "vpc.static-route.next-hop-required",
            path.key("nextHops"),
            format!("static route #{idx}: at least one next hop is required"),
        );
    }
}
