//! Cross-object rules of the wiring group (rules 55–66): switches against namespaces,
//! groups, profiles and each other (hydration), connections against switches, servers,
//! profiles' ports and each other.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::{Fabric, Others, Out, key, name, spec};
use crate::api::{
    Connection, ConnectionSpec, ConnectionType, RedundancyType, ServerToSwitchLink, Switch,
    SwitchProfile,
};
use crate::config::{FabricConfig, go_parse_prefix_error};
use crate::net::{Prefix, parse_addr};
use crate::profiles::{Catalog, PortError, PortLanes};
use crate::vlan::{VlanRange, check_vlan_ranges, check_vlan_ranges_overlap};
use crate::{FieldPath, Kind};

pub(super) fn validate(f: &Fabric<'_>, cfg: &FabricConfig, catalog: &Catalog, out: &mut Out) {
    let hydration = Hydration::new(f, cfg);
    let mut port_queries = PortQueries::new(catalog);
    for &sw in f.switches.values() {
        switch_references(f, sw, out);
        match catalog.get(&sw.spec.profile) {
            Some(profile) => switch_ports(sw, profile, port_queries.of(sw), out),
            None => out.error(
                "fabric.switch.profile-not-found",
                key(Kind::Switch, &sw.metadata),
                spec("profile"),
                format!("switch profile {} does not exist", sw.spec.profile),
            ),
        }
        if let Some(h) = &hydration {
            h.check(sw, cfg, out);
        }
    }
    let mut ports = PortUse::default();
    let mut ips = LinkIps::default();
    for wired in f.connections.values() {
        let (conn, ends) = (wired.conn, &wired.ends);
        let spec = &conn.spec;
        if spec.mclag.is_some() || spec.mclag_domain.is_some() || !ends.problems.is_empty() {
            continue; // deprecated, or rules 31/33 report it
        }
        let listed = conn_ports(spec);
        connection_devices(
            f,
            conn,
            &ends.switches,
            &ends.servers,
            &listed,
            &mut port_queries,
            out,
        );
        ports.add(conn, listed);
        ips.add(conn);
    }
    ports.report(out);
    ips.report(cfg, out);
}

/// Rules 55–56: VLANNamespaces and SwitchGroups a switch names exist.
fn switch_references(f: &Fabric<'_>, sw: &Switch, out: &mut Out) {
    let k = || key(Kind::Switch, &sw.metadata);
    let mut ranges: Vec<VlanRange> = Vec::new();
    for (i, ns) in sw.spec.vlan_namespaces.iter().enumerate() {
        match f.vlan_namespaces.get(ns.as_str()) {
            // Invalid ranges are reported on the namespace (upstream empties them).
            Some(v) if check_vlan_ranges(&v.spec.ranges).is_err() => {}
            Some(v) => ranges.extend(v.spec.ranges.iter().copied()),
            None => out.error(
                "fabric.switch.vlannamespace-not-found",
                k(),
                spec("vlanNamespaces").index(i),
                format!("specified VLANNamespace {ns} does not exist"),
            ),
        }
    }
    if let Err(e) = check_vlan_ranges_overlap(&mut ranges) {
        out.error(
            "fabric.switch.vlannamespaces-overlap",
            k(),
            spec("vlanNamespaces"),
            format!("invalid VLANNamespaces: {e}"),
        );
    }
    for (i, group) in sw.spec.groups.iter().enumerate() {
        if group.is_empty() {
            out.error(
                "fabric.switch.group-empty",
                k(),
                spec("groups").index(i),
                "group name cannot be empty".to_owned(),
            );
        } else if !f.switch_groups.contains_key(group.as_str()) {
            out.error(
                "fabric.switch.group-not-found",
                k(),
                spec("groups").index(i),
                format!("switch group {group} does not exist"),
            );
        }
    }
}

/// Rules 58–60: port settings, feature gates and port counts against the switch's profile.
fn switch_ports(sw: &Switch, sp: &SwitchProfile, queries: &SwitchPortQueries, out: &mut Out) {
    let k = || key(Kind::Switch, &sw.metadata);
    let s = &sw.spec;
    let p = &sp.spec;
    let profile_name = &s.profile;
    for (group, speed) in &s.port_group_speeds {
        let at = spec("portGroupSpeeds").key(group.as_str());
        let message = match p.port_groups.get(group) {
            None => format!("port group {group} not found in switch profile"),
            Some(g) => match p.port_profiles.get(&g.profile) {
                None => format!(
                    "port profile {} for group {group} not found in switch profile",
                    g.profile
                ),
                Some(pp) => match &pp.speed {
                    None => format!(
                        "port profile {} for group {group} has no supported speeds",
                        g.profile
                    ),
                    Some(sp) if !sp.supported.contains(speed) => {
                        format!("port group {group} does not support specified speed {speed}")
                    }
                    Some(_) => continue,
                },
            },
        };
        out.error("fabric.switch.port-group-speed", k(), at, message);
    }
    let port_profile = |port: &str| {
        p.ports
            .get(port)
            .map(|pt| (pt, p.port_profiles.get(&pt.profile)))
    };
    for (port, speed) in &s.port_speeds {
        let message = match port_profile(port) {
            None => format!("port {port} not found in switch profile"),
            Some((pt, None)) => format!(
                "port profile {} for port {port} not found in switch profile",
                pt.profile
            ),
            Some((pt, Some(pp))) => match &pp.speed {
                None => format!(
                    "port profile {} for port {port} has no supported speeds",
                    pt.profile
                ),
                Some(sp) if !sp.supported.contains(speed) => {
                    format!("port {port} does not support specified speed {speed}")
                }
                Some(_) => continue,
            },
        };
        out.error(
            "fabric.switch.port-speed",
            k(),
            spec("portSpeeds").key(port.as_str()),
            message,
        );
    }
    let mut breakouts_ok = true;
    for (port, mode) in &s.port_breakouts {
        let message = match port_profile(port) {
            None => format!("port {port} not found in switch profile"),
            Some((pt, None)) => format!(
                "port profile {} for port {port} not found in switch profile",
                pt.profile
            ),
            Some((pt, Some(pp))) => match &pp.breakout {
                None => format!(
                    "port profile {} for port {port} has no supported breakouts",
                    pt.profile
                ),
                Some(b) if !b.supported.contains_key(mode) => {
                    format!("port {port} does not support specified breakout {mode}")
                }
                Some(_) => continue,
            },
        };
        breakouts_ok = false;
        out.error(
            "fabric.switch.port-breakout",
            k(),
            spec("portBreakouts").key(port.as_str()),
            message,
        );
    }
    // The queries below read the breakout modes; with a bad one they would only repeat it.
    if breakouts_ok {
        switch_port_queries(sw, sp, queries, out);
    }
    let f = &p.features;
    if s.roce && !f.roce {
        out.error(
            "fabric.switch.roce-not-supported",
            k(),
            spec("roce"),
            format!("RoCEv2 is not supported on switch profile {profile_name}"),
        );
    }
    if s.ecmp.roce_qpn && !f.ecmp_roce_qpn {
        out.error(
            "fabric.switch.ecmp-roce-qpn-not-supported",
            k(),
            spec("ecmp").key("roceQPN"),
            format!("ECMP RoCE QPN hashing is not supported on switch profile {profile_name}"),
        );
    }
    match s.redundancy.r#type {
        RedundancyType::Mclag => out.warning(
            "fabric.switch.mclag-deprecated",
            k(),
            spec("redundancy").key("type"),
            "MCLAG is deprecated and no longer supported".to_owned(),
        ),
        RedundancyType::Eslag if !f.eslag => out.error(
            "fabric.switch.eslag-not-supported",
            k(),
            spec("redundancy").key("type"),
            format!("ESLAG is not supported on switch profile {profile_name}"),
        ),
        _ => {}
    }
}

/// Rules 58 (auto-negotiation, FEC) and 60 (port counts), which need the port queries.
fn switch_port_queries(
    sw: &Switch,
    sp: &SwitchProfile,
    queries: &SwitchPortQueries,
    out: &mut Out,
) {
    let k = || key(Kind::Switch, &sw.metadata);
    let s = &sw.spec;
    let p = &sp.spec;
    match queries.auto_neg(sp, sw) {
        Ok(allowed) => {
            for port in s.port_auto_negs.keys() {
                if !allowed.get(port).is_some_and(|(a, _)| *a) {
                    out.error(
                        "fabric.switch.port-autoneg",
                        k(),
                        spec("portAutoNegs").key(port.as_str()),
                        format!("port {port} does not support configuring auto negotiation"),
                    );
                }
            }
        }
        Err(e) => out.error(
            "fabric.switch.profile-ports",
            k(),
            spec("profile"),
            format!("failed to get auto negotiation defaults: {e}"),
        ),
    }
    match queries.fec(sp, sw) {
        Ok(fec) => {
            for port in s.port_fecs.keys() {
                if !fec.contains(port) {
                    out.error(
                        "fabric.switch.port-fec",
                        k(),
                        spec("portFECs").key(port.as_str()),
                        format!(
                            "port {port} does not support configuring FEC (a broken-out port must be configured per sub-port, e.g. E1/53/1)"
                        ),
                    );
                }
            }
        }
        Err(e) => out.error(
            "fabric.switch.profile-ports",
            k(),
            spec("profile"),
            format!("failed to get FEC-configurable ports: {e}"),
        ),
    }
    let lanes = match queries.lanes(sp, sw) {
        Ok(lanes) => lanes,
        Err(e) => {
            out.error(
                "fabric.switch.profile-ports",
                k(),
                spec("profile"),
                e.to_string(),
            );
            return;
        }
    };
    let sp_name = name(&sp.metadata);
    if p.max_ports > 0 && lanes.total > u32::from(p.max_ports) {
        out.error(
            "fabric.switch.max-ports",
            k(),
            spec("portBreakouts"),
            format!(
                "switch {sp_name} has exceeded maximum ports: {} > {}",
                lanes.total, p.max_ports
            ),
        );
    }
    if p.pipelines.is_empty() {
        return;
    }
    for (pipeline, (count, names)) in &lanes.pipelines {
        match p.pipelines.get(pipeline) {
            Some(limit) if *count > u32::from(limit.max_ports) => out.error(
                "fabric.switch.pipeline-max-ports",
                k(),
                spec("portBreakouts"),
                format!(
                    "pipeline {pipeline} (ports {}) has exceeded maximum ports: {count} > {}",
                    names.join(", "),
                    limit.max_ports
                ),
            ),
            Some(_) => {}
            None => out.error(
                "fabric.switch.pipeline-unknown",
                k(),
                spec("profile"),
                format!("unknown port pipeline {pipeline} reference"),
            ),
        }
    }
}

/// Which switches hold a value that must be unique (management, protocol or VTEP IP, ASN):
/// the first holder and the first other one, which is all "held by another" needs.
type Owners<'a, T> = BTreeMap<T, (&'a str, Option<&'a str>)>;

/// Records that `owner` holds `value`.
fn hold<'a, T: Ord>(owners: &mut Owners<'a, T>, value: T, owner: &'a str) {
    let entry = owners.entry(value).or_insert((owner, None));
    if entry.1.is_none() && entry.0 != owner {
        entry.1 = Some(owner);
    }
}

/// Whether `value` is held by another switch than `me` (or by a gateway: owner "").
fn held_by_other<'a, T: Ord>(owners: &Owners<'a, T>, value: &T, me: &str) -> Option<&'a str> {
    let (first, other) = owners.get(value)?;
    if *first != me { Some(*first) } else { *other }
}

/// Rule 61: the parsed FabricConfig subnets and the values every switch holds.
struct Hydration<'a> {
    mgmt: Prefix,
    mgmt_dhcp_start: IpAddr,
    protocol: Prefix,
    vtep: Prefix,
    mgmt_ips: Owners<'a, IpAddr>,
    protocol_ips: Owners<'a, &'a str>,
    vtep_ips: Owners<'a, &'a str>,
    leaf_asns: Owners<'a, u32>,
}

impl<'a> Hydration<'a> {
    /// `None` when the FabricConfig's subnets do not parse (its own check reports that).
    fn new(f: &Fabric<'a>, cfg: &FabricConfig) -> Option<Self> {
        let mut h = Hydration {
            mgmt: Prefix::parse(&cfg.management_subnet)?,
            mgmt_dhcp_start: parse_addr(&cfg.management_dhcp_start)?.ip(),
            protocol: Prefix::parse(&cfg.protocol_subnet)?,
            vtep: Prefix::parse(&cfg.vtep_subnet)?,
            mgmt_ips: Owners::new(),
            protocol_ips: Owners::new(),
            vtep_ips: Owners::new(),
            leaf_asns: Owners::new(),
        };
        let vip = Prefix::parse(&cfg.control_vip)?;
        hold(&mut h.mgmt_ips, vip.addr(), "");
        for (sw_name, sw) in f.switches.iter() {
            let s = &sw.spec;
            if s.asn != 0 && s.role.is_leaf() {
                hold(&mut h.leaf_asns, s.asn, sw_name);
            }
            if !s.vtep_ip.is_empty() {
                hold(&mut h.vtep_ips, s.vtep_ip.as_str(), sw_name);
            }
            if !s.protocol_ip.is_empty() {
                hold(&mut h.protocol_ips, s.protocol_ip.as_str(), sw_name);
            }
            if let Some(ip) = Prefix::parse(&s.ip) {
                hold(&mut h.mgmt_ips, ip.addr(), sw_name);
            }
        }
        if cfg.enable_gateway {
            for gw in &f.gateways {
                let field = |n: &str| {
                    gw.get("spec")
                        .and_then(|s| s.get(n))
                        .and_then(|v| v.as_str())
                        .filter(|v| !v.is_empty())
                };
                if let Some(ip) = field("vtepIP") {
                    hold(&mut h.vtep_ips, ip, "");
                }
                if let Some(ip) = field("protocolIP") {
                    hold(&mut h.protocol_ips, ip, "");
                }
            }
        }
        Some(h)
    }

    fn check(&self, sw: &Switch, cfg: &FabricConfig, out: &mut Out) {
        let me = name(&sw.metadata);
        let s = &sw.spec;
        let mclag = s.redundancy.r#type == RedundancyType::Mclag;
        let mut fail = |code: &'static str, field: &str, message: String| {
            out.error(
                code,
                key(Kind::Switch, &sw.metadata),
                spec(field),
                format!("failed hydration validation: {message}"),
            );
        };
        let by = |other: &str| {
            if other.is_empty() {
                String::new()
            } else {
                format!(" (by switch {other})")
            }
        };
        if !s.ip.is_empty() {
            match Prefix::parse(&s.ip) {
                None => fail(
                    "fabric.switch.ip-invalid",
                    "ip",
                    format!(
                        "parsing switch {me} IP {}: {}",
                        s.ip,
                        go_parse_prefix_error(&s.ip)
                    ),
                ),
                Some(ip) if !self.mgmt.contains(ip.addr()) => fail(
                    "fabric.switch.ip-outside-management",
                    "ip",
                    format!(
                        "switch {me} management IP {ip} is not in the management subnet {}",
                        self.mgmt
                    ),
                ),
                Some(ip) if ip.addr() >= self.mgmt_dhcp_start => fail(
                    "fabric.switch.ip-in-dhcp-range",
                    "ip",
                    format!(
                        "switch {me} management IP {ip} is in the management DHCP range starting at {}",
                        self.mgmt_dhcp_start
                    ),
                ),
                Some(ip) => {
                    if let Some(other) = held_by_other(&self.mgmt_ips, &ip.addr(), me) {
                        fail(
                            "fabric.switch.ip-in-use",
                            "ip",
                            format!(
                                "switch {me} (management) IP {ip} is already in use{}",
                                by(other)
                            ),
                        );
                    }
                }
            }
        }
        if !s.protocol_ip.is_empty() {
            let text = &s.protocol_ip;
            match Prefix::parse(text) {
                None => fail(
                    "fabric.switch.protocol-ip-invalid",
                    "protocolIP",
                    format!(
                        "parsing switch {me} protocol IP {text}: {}",
                        go_parse_prefix_error(text)
                    ),
                ),
                Some(ip) if ip.bits() != 32 => fail(
                    "fabric.switch.protocol-ip-not-32",
                    "protocolIP",
                    format!("switch {me} protocol IP {ip} must be a /32"),
                ),
                Some(ip) if !self.protocol.contains(ip.addr()) => fail(
                    "fabric.switch.protocol-ip-outside-subnet",
                    "protocolIP",
                    format!(
                        "switch {me} protocol IP {ip} is not in the protocol subnet {}",
                        self.protocol
                    ),
                ),
                Some(ip) => {
                    if let Some(other) = held_by_other(&self.protocol_ips, &text.as_str(), me) {
                        fail(
                            "fabric.switch.protocol-ip-in-use",
                            "protocolIP",
                            format!(
                                "switch {me} protocol IP {ip} is already in use{}",
                                by(other)
                            ),
                        );
                    }
                }
            }
        }
        if s.role.is_leaf() {
            if let Some(other) = held_by_other(&self.leaf_asns, &s.asn, me).filter(|_| !mclag) {
                fail(
                    "fabric.switch.asn-in-use",
                    "asn",
                    format!("leaf {me} ASN {} is already in use{}", s.asn, by(other)),
                );
            }
            if s.asn < cfg.leaf_asn_start || s.asn > cfg.leaf_asn_end {
                fail(
                    "fabric.switch.asn-outside-range",
                    "asn",
                    format!(
                        "leaf {me} ASN {} is not within the fabric leaf ASN range {}-{}",
                        s.asn, cfg.leaf_asn_start, cfg.leaf_asn_end
                    ),
                );
            }
        }
        if s.role.is_spine() && s.asn != cfg.spine_asn {
            fail(
                "fabric.switch.spine-asn",
                "asn",
                format!(
                    "spine {me} ASN {} is not the expected spine ASN {}",
                    s.asn, cfg.spine_asn
                ),
            );
        }
        // An empty VTEP IP of a leaf is rule 28's; upstream would fail to parse it here too.
        if s.role.is_leaf() && !s.vtep_ip.is_empty() {
            let text = &s.vtep_ip;
            match Prefix::parse(text) {
                None => fail(
                    "fabric.switch.vtep-ip-invalid",
                    "vtepIP",
                    format!(
                        "parsing switch {me} VTEP IP {text}: {}",
                        go_parse_prefix_error(text)
                    ),
                ),
                Some(ip) if ip.bits() != 32 => fail(
                    "fabric.switch.vtep-ip-not-32",
                    "vtepIP",
                    format!("switch {me} VTEP IP {ip} must be a /32"),
                ),
                Some(ip) if !self.vtep.contains(ip.addr()) => fail(
                    "fabric.switch.vtep-ip-outside-subnet",
                    "vtepIP",
                    format!(
                        "switch {me} VTEP IP {ip} is not in the VTEP subnet {}",
                        self.vtep
                    ),
                ),
                Some(ip) => {
                    if let Some(other) =
                        held_by_other(&self.vtep_ips, &text.as_str(), me).filter(|_| !mclag)
                    {
                        fail(
                            "fabric.switch.vtep-ip-in-use",
                            "vtepIP",
                            format!("switch {me} VTEP IP {ip} is already in use{}", by(other)),
                        );
                    }
                }
            }
        }
    }
}

/// A port a connection names, with where.
struct ConnPort<'a> {
    port: &'a str,
    /// The connection type's field (`fabric`, `unbundled`, …).
    field: &'static str,
    /// The link's index in `links`, `None` for a type with one `link`.
    link: Option<usize>,
    /// The link end (`spine`, `leaf`, `switch`, …).
    side: &'static str,
}

impl ConnPort<'_> {
    /// `spec.<field>.links[i].<side>.port`: made only for a diagnostic, as most ports never
    /// need one.
    fn path(&self) -> FieldPath {
        let mut path = spec(self.field);
        match self.link {
            Some(i) => {
                path.push_key("links");
                path.push_index(i);
            }
            None => path.push_key("link"),
        }
        path.push_key(self.side);
        path.push_key("port");
        path
    }
}

/// Collects the ports of one connection type's field.
struct PortList<'a> {
    field: &'static str,
    ports: Vec<ConnPort<'a>>,
}

impl<'a> PortList<'a> {
    fn add(&mut self, link: Option<usize>, side: &'static str, port: &'a str) {
        self.ports.push(ConnPort {
            port,
            field: self.field,
            link,
            side,
        });
    }

    fn server_links(&mut self, links: impl Iterator<Item = &'a ServerToSwitchLink>) {
        for (i, link) in links.enumerate() {
            self.add(Some(i), "switch", &link.switch.port);
            self.add(Some(i), "server", &link.server.port);
        }
    }
}

/// The ports of a connection's type (the first set, as upstream's `Endpoints`), in order.
fn conn_ports(spec: &ConnectionSpec) -> Vec<ConnPort<'_>> {
    let mut l = PortList {
        field: "",
        ports: Vec::new(),
    };
    match spec.connection_type() {
        Some(ConnectionType::Unbundled) => {
            l.field = "unbundled";
            if let Some(c) = &spec.unbundled {
                l.add(None, "switch", &c.link.switch.port);
                l.add(None, "server", &c.link.server.port);
            }
        }
        Some(ConnectionType::Bundled) => {
            l.field = "bundled";
            l.server_links(spec.bundled.iter().flat_map(|c| &c.links));
        }
        Some(ConnectionType::Eslag) => {
            l.field = "eslag";
            l.server_links(spec.eslag.iter().flat_map(|c| &c.links));
        }
        Some(ConnectionType::Fabric) => {
            l.field = "fabric";
            for (i, link) in spec.fabric.iter().flat_map(|c| &c.links).enumerate() {
                l.add(Some(i), "spine", &link.spine.port);
                l.add(Some(i), "leaf", &link.leaf.port);
            }
        }
        Some(ConnectionType::Mesh) => {
            l.field = "mesh";
            for (i, link) in spec.mesh.iter().flat_map(|c| &c.links).enumerate() {
                l.add(Some(i), "leaf1", &link.leaf1.port);
                l.add(Some(i), "leaf2", &link.leaf2.port);
            }
        }
        Some(ConnectionType::Gateway) => {
            l.field = "gateway";
            for (i, link) in spec.gateway.iter().flat_map(|c| &c.links).enumerate() {
                l.add(Some(i), "switch", &link.switch.port);
                l.add(Some(i), "gateway", &link.gateway.port);
            }
        }
        Some(ConnectionType::VpcLoopback) => {
            l.field = "vpcLoopback";
            for (i, link) in spec.vpc_loopback.iter().flat_map(|c| &c.links).enumerate() {
                l.add(Some(i), "switch1", &link.switch1.port);
                l.add(Some(i), "switch2", &link.switch2.port);
            }
        }
        Some(ConnectionType::External) => {
            l.field = "external";
            if let Some(c) = &spec.external {
                l.add(None, "switch", &c.link.switch.port);
            }
        }
        Some(ConnectionType::StaticExternal) => {
            l.field = "staticExternal";
            if let Some(c) = &spec.static_external {
                l.add(None, "switch", &c.link.switch.port);
            }
        }
        Some(ConnectionType::Mclag | ConnectionType::MclagDomain) | None => {}
    }
    l.ports
}

/// The path of the first port of `device` (`spec` if none).
fn device_path(ports: &[ConnPort<'_>], device: &str) -> FieldPath {
    ports
        .iter()
        .find(|p| p.port.split_once('/').is_some_and(|(d, _)| d == device))
        .map_or_else(|| FieldPath::root().key("spec"), ConnPort::path)
}

/// The port queries of a switch's profile (auto-negotiation, FEC, lane counts, the API port
/// names). Each depends only on the profile and the switch's `portBreakouts`, so switches
/// that share both — most leaves of a fabric — share the answers, each computed on first
/// use: a fabric of a thousand leaves asks once, not a thousand times. For a built-in
/// profile the answers are also shared across validations ([`shared_queries`]).
#[derive(Default)]
struct SwitchPortQueries {
    auto_neg: OnceLock<Result<AutoNegDefaults, PortError>>,
    fec: OnceLock<Result<BTreeSet<String>, PortError>>,
    lanes: OnceLock<Result<PortLanes, PortError>>,
    api_to_nos: OnceLock<Result<BTreeMap<String, String>, PortError>>,
}

impl SwitchPortQueries {
    fn auto_neg(&self, sp: &SwitchProfile, sw: &Switch) -> &Result<AutoNegDefaults, PortError> {
        self.auto_neg
            .get_or_init(|| sp.spec.auto_neg_defaults(&sw.spec))
    }

    fn fec(&self, sp: &SwitchProfile, sw: &Switch) -> &Result<BTreeSet<String>, PortError> {
        self.fec
            .get_or_init(|| sp.spec.fec_configurable_ports(&sw.spec))
    }

    fn lanes(&self, sp: &SwitchProfile, sw: &Switch) -> &Result<PortLanes, PortError> {
        self.lanes.get_or_init(|| sp.spec.port_lanes(&sw.spec))
    }

    /// Upstream `GetAPI2NOSPortsFor`.
    fn api_to_nos(
        &self,
        sp: &SwitchProfile,
        sw: &Switch,
    ) -> &Result<BTreeMap<String, String>, PortError> {
        self.api_to_nos
            .get_or_init(|| sp.spec.api_to_nos_ports(&sw.spec))
    }
}

/// Per port: whether auto-negotiation may be set, and its default.
type AutoNegDefaults = BTreeMap<String, (bool, bool)>;

/// [`SwitchPortQueries`] per profile name and `portBreakouts`.
struct PortQueries<'a> {
    catalog: &'a Catalog,
    by_setup: HashMap<(&'a str, &'a BTreeMap<String, String>), Arc<SwitchPortQueries>>,
}

impl<'a> PortQueries<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        PortQueries {
            catalog,
            by_setup: HashMap::new(),
        }
    }

    fn of(&mut self, sw: &'a Switch) -> &SwitchPortQueries {
        let catalog = self.catalog;
        self.by_setup
            .entry((sw.spec.profile.as_str(), &sw.spec.port_breakouts))
            .or_insert_with(|| {
                if catalog.is_builtin(&sw.spec.profile) {
                    shared_queries(&sw.spec.profile, &sw.spec.port_breakouts)
                } else {
                    Arc::default()
                }
            })
    }
}

/// Setups (built-in profile and `portBreakouts`) whose answers are kept across validations;
/// beyond that, answers are kept for one validation only, so that a stream of requests with
/// ever new breakouts cannot grow the daemon's memory.
const SHARED_SETUPS: usize = 256;

/// Built-in profile name → `portBreakouts` → the answers.
type SharedQueries = HashMap<String, HashMap<BTreeMap<String, String>, Arc<SwitchPortQueries>>>;

/// The port queries of the built-in profile `profile` with `breakouts`, shared by every
/// validation: a built-in profile never changes (a user's profile of the same name is
/// refused unless equal to it), so the answers depend on its name and the breakouts only,
/// and each request used to recompute them (formatting every port name of the profile).
/// The cache is keyed on both.
fn shared_queries(profile: &str, breakouts: &BTreeMap<String, String>) -> Arc<SwitchPortQueries> {
    static SHARED: OnceLock<Mutex<(usize, SharedQueries)>> = OnceLock::new();
    let mut guard = SHARED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let (count, by_profile) = &mut *guard;
    if let Some(found) = by_profile.get(profile).and_then(|b| b.get(breakouts)) {
        return Arc::clone(found);
    }
    let queries = Arc::<SwitchPortQueries>::default();
    if *count < SHARED_SETUPS {
        *count += 1;
        by_profile
            .entry(profile.to_owned())
            .or_default()
            .insert(breakouts.clone(), Arc::clone(&queries));
    }
    queries
}

/// Rules 62–64: the switches and servers of a connection exist, its switch ports exist in
/// the switches' profiles, and an ESLAG's switches share one ESLAG redundancy group.
fn connection_devices<'a>(
    f: &Fabric<'a>,
    conn: &Connection,
    switches: &BTreeSet<&str>,
    servers: &BTreeSet<&str>,
    ports: &[ConnPort<'_>],
    port_queries: &mut PortQueries<'a>,
    out: &mut Out,
) {
    let k = || key(Kind::Connection, &conn.metadata);
    let mut found = Vec::new();
    for switch_name in switches {
        let Some(&sw) = f.switches.get(switch_name) else {
            out.error(
                "fabric.connection.switch-not-found",
                k(),
                device_path(ports, switch_name),
                format!("switch {switch_name} not found"),
            );
            continue;
        };
        found.push((*switch_name, sw));
        let Some(profile) = port_queries.catalog.get(&sw.spec.profile) else {
            out.error(
                "fabric.connection.switch-profile-not-found",
                k(),
                device_path(ports, switch_name),
                format!("switch profile {} not found", sw.spec.profile),
            );
            continue;
        };
        let allowed = match port_queries.of(sw).api_to_nos(profile, sw) {
            Ok(allowed) => allowed,
            // The switch's own breakout is wrong; rule 58 reports it on the switch.
            Err(PortError::UnsupportedBreakout { .. }) => continue,
            Err(e) => {
                out.error(
                    "fabric.connection.switch-ports",
                    k(),
                    device_path(ports, switch_name),
                    format!("failed to get NOS port mapping for switch {switch_name}: {e}"),
                );
                continue;
            }
        };
        for p in ports {
            let Some((device, local)) = p.port.split_once('/') else {
                continue;
            };
            if device == *switch_name && !allowed.contains_key(local) {
                out.error(
                    "fabric.connection.port-not-allowed",
                    k(),
                    p.path(),
                    format!("port {} is not allowed for switch {switch_name}", p.port),
                );
            }
        }
    }
    if conn.spec.eslag.is_some() && found.len() == switches.len() {
        eslag_redundancy(conn, &found, out);
    }
    for server in servers {
        if !f.servers.contains_key(server) {
            out.error(
                "fabric.connection.server-not-found",
                k(),
                device_path(ports, server),
                format!("server {server} not found"),
            );
        }
    }
}

/// Rule 63.
fn eslag_redundancy(conn: &Connection, switches: &[(&str, &Switch)], out: &mut Out) {
    let mut fail = |message: String| {
        out.error(
            "fabric.connection.eslag-redundancy",
            key(Kind::Connection, &conn.metadata),
            spec("eslag"),
            message,
        );
    };
    let mut group = "";
    let mut kind = &RedundancyType::None;
    for (switch_name, sw) in switches {
        let r = &sw.spec.redundancy;
        if !r.group.is_empty() {
            if !group.is_empty() && group != r.group {
                fail(format!(
                    "all switches in ESLAG connection should belong to the same redundancy group, found {switch_name} in {group}"
                ));
                return;
            }
            group = &r.group;
        }
        if !r.r#type.is_empty() {
            if !kind.is_empty() && *kind != r.r#type {
                fail(format!(
                    "all switches in ESLAG connection should belong to the same redundancy type, found {switch_name} in {kind}"
                ));
                return;
            }
            kind = &r.r#type;
        }
    }
    if group.is_empty() {
        fail("all switches in ESLAG connection should have redundancy group".to_owned());
    } else if *kind != RedundancyType::Eslag {
        fail(format!(
            "all switches in ESLAG connection should have ESLAG redundancy type, found {kind}"
        ));
    }
}

/// Rule 65: which connections use each port. `leaf/E1/4` is an alias of `leaf/E1/4/1` (a
/// breakout's base name), so ports with two `/` are keyed by their `/1` sub-port.
#[derive(Default)]
struct PortUse<'a> {
    users: BTreeMap<Cow<'a, str>, Vec<(&'a Connection, ConnPort<'a>)>>,
}

impl<'a> PortUse<'a> {
    fn add(&mut self, conn: &'a Connection, ports: Vec<ConnPort<'a>>) {
        for p in ports {
            let k = if p.port.matches('/').count() == 2 {
                Cow::Owned(format!("{}/1", p.port))
            } else {
                Cow::Borrowed(p.port)
            };
            self.users.entry(k).or_default().push((conn, p));
        }
    }

    fn report(&self, out: &mut Out) {
        for users in self.users.values() {
            let others = Others::new(users.iter().map(|(o, _)| name(&o.metadata)));
            for (conn, p) in users {
                let Some((other, other_port)) =
                    others.of(name(&conn.metadata)).and_then(|i| users.get(i))
                else {
                    continue;
                };
                out.error(
                    "fabric.connection.port-in-use",
                    key(Kind::Connection, &conn.metadata),
                    p.path(),
                    format!(
                        "port {} is already used by other connection {}",
                        other_port.port,
                        name(&other.metadata)
                    ),
                );
            }
        }
    }
}

/// A side of a link: connection, link index, side index.
type LinkSide<'a> = (&'a str, usize, usize);

/// One fabric, mesh or gateway link with its two IPs.
struct Link<'a> {
    conn: &'a Connection,
    kind: &'static str,
    index: usize,
    sides: [(&'static str, &'a str); 2],
}

/// Rule 66: the /31 link IPs of fabric, mesh and gateway connections, and who holds each.
#[derive(Default)]
struct LinkIps<'a> {
    links: Vec<Link<'a>>,
    /// Per IP, the first holder (connection, link, side) and the first other connection.
    owners: BTreeMap<IpAddr, (LinkSide<'a>, Option<&'a str>)>,
}

impl<'a> LinkIps<'a> {
    fn add(&mut self, conn: &'a Connection) {
        let s = &conn.spec;
        let links: Vec<(&'static str, [(&'static str, &'a str); 2])> = match s.connection_type() {
            Some(ConnectionType::Fabric) => s
                .fabric
                .iter()
                .flat_map(|c| &c.links)
                .map(|l| {
                    (
                        "fabric",
                        [("spine", l.spine.ip.as_str()), ("leaf", l.leaf.ip.as_str())],
                    )
                })
                .collect(),
            Some(ConnectionType::Mesh) => s
                .mesh
                .iter()
                .flat_map(|c| &c.links)
                .map(|l| {
                    (
                        "mesh",
                        [
                            ("leaf1", l.leaf1.ip.as_str()),
                            ("leaf2", l.leaf2.ip.as_str()),
                        ],
                    )
                })
                .collect(),
            Some(ConnectionType::Gateway) => s
                .gateway
                .iter()
                .flat_map(|c| &c.links)
                .map(|l| {
                    (
                        "gateway",
                        [
                            ("switch", l.switch.ip.as_str()),
                            ("gateway", l.gateway.ip.as_str()),
                        ],
                    )
                })
                .collect(),
            _ => return,
        };
        for (index, (kind, sides)) in links.into_iter().enumerate() {
            for (side, (_, ip)) in sides.iter().enumerate() {
                if let Some(p) = Prefix::parse(ip) {
                    let me = name(&conn.metadata);
                    let entry = self
                        .owners
                        .entry(p.addr())
                        .or_insert(((me, index, side), None));
                    if entry.1.is_none() && entry.0.0 != me {
                        entry.1 = Some(me);
                    }
                }
            }
            self.links.push(Link {
                conn,
                kind,
                index,
                sides,
            });
        }
    }

    /// Who else holds `ip`: another connection, or this one at an earlier link or side.
    /// Holders are recorded in order, so the first one is this very side or an earlier one.
    fn holder(&self, ip: IpAddr, me: &str, index: usize, side: usize) -> Option<&'a str> {
        let (first, other) = self.owners.get(&ip)?;
        if *first == (me, index, side) {
            *other
        } else {
            Some(first.0)
        }
    }

    fn report(&self, cfg: &FabricConfig, out: &mut Out) {
        let Some(fabric_subnet) = Prefix::parse(&cfg.fabric_subnet) else {
            return;
        };
        for link in &self.links {
            if link.sides.iter().any(|(_, ip)| ip.is_empty()) {
                continue;
            }
            let me = name(&link.conn.metadata);
            let head = format!("{} connection {me} link {}", link.kind, link.index);
            let mut fail = |side: &str, code: &'static str, message: String| {
                let path = spec(link.kind)
                    .key("links")
                    .index(link.index)
                    .key(side)
                    .key("ip");
                out.error(
                    code,
                    key(Kind::Connection, &link.conn.metadata),
                    path,
                    format!("{head} {message}"),
                );
            };
            let mut parsed = Vec::new();
            for (side, (side_name, text)) in link.sides.iter().enumerate() {
                let Some(p) = Prefix::parse(text) else {
                    fail(
                        side_name,
                        "fabric.connection.link-ip-invalid",
                        format!("{side_name} IP {text}: {}", go_parse_prefix_error(text)),
                    );
                    break;
                };
                let ip = p.addr();
                if p.bits() != 31 {
                    fail(
                        side_name,
                        "fabric.connection.link-ip-not-31",
                        format!("{side_name} IP {p} is not a /31"),
                    );
                    break;
                }
                if !fabric_subnet.contains(ip) {
                    fail(
                        side_name,
                        "fabric.connection.link-ip-outside-fabric",
                        format!("{side_name} IP {ip} is not in the fabric subnet {fabric_subnet}"),
                    );
                    break;
                }
                if let Some(other) = self.holder(ip, me, link.index, side) {
                    let by = if other == me {
                        String::new()
                    } else {
                        format!(" (by connection {other})")
                    };
                    fail(
                        side_name,
                        "fabric.connection.link-ip-in-use",
                        format!("{side_name} IP {ip} is already in use{by}"),
                    );
                    break;
                }
                parsed.push(p);
            }
            if let [a, b] = parsed.as_slice()
                && a.masked() != b.masked()
            {
                let [(an, _), (bn, _)] = link.sides;
                fail(
                    bn,
                    "fabric.connection.link-ips-not-same-subnet",
                    format!(
                        "{an} IP {} and {bn} IP {} are not in the same subnet",
                        a.addr(),
                        b.addr()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SwitchSpec;

    fn switch(profile: &str, breakouts: &[(&str, &str)]) -> Switch {
        let spec = SwitchSpec {
            profile: profile.to_owned(),
            port_breakouts: breakouts
                .iter()
                .map(|(p, m)| (p.to_string(), m.to_string()))
                .collect(),
            ..SwitchSpec::default()
        };
        Switch::new("leaf-01", spec)
    }

    /// The port queries of built-in profiles are shared across validations, keyed on the
    /// profile and the breakouts: asked in turn for setups that differ in one of the two (so
    /// a cache keyed on less would hand back an earlier setup's answer), each answer is the
    /// profile's own for that switch.
    #[test]
    fn shared_port_queries_are_keyed_on_profile_and_breakouts() {
        let catalog = Catalog::builtin(&FabricConfig::default());
        let setups = [
            switch("dell-s5248f-on", &[]),
            switch("dell-s5248f-on", &[("E1/49", "4x25G")]),
            switch("vs", &[]),
        ];
        let mut answers = Vec::new();
        for sw in &setups {
            // A new validation each time: only the shared cache links them.
            let mut queries = PortQueries::new(&catalog);
            let profile = catalog.get(&sw.spec.profile).unwrap();
            let answer = queries.of(sw).api_to_nos(profile, sw).clone();
            assert_eq!(answer, profile.spec.api_to_nos_ports(&sw.spec));
            answers.push(answer.unwrap());
        }
        assert!(answers[1].contains_key("E1/49/2") && !answers[0].contains_key("E1/49/2"));
        assert_ne!(answers[0], answers[2]);
    }
}
