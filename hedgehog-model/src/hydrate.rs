//! Hydration: the addresses and ASNs hhfab allocates before it validates a wiring
//! (`fabricator:pkg/hhfab/hydrate.go`), so that wiring without them — such as one exported
//! from NetBox — can be completed and validated without hhfab.
//!
//! hhfab first counts the hydratable values (switch `ip`, `protocolIP`, `asn`, leaf `vtepIP`,
//! both IPs of every fabric, mesh and gateway link, gateway `asn`/`protocolIP`/`vtepIP`) as
//! none, partial or full, checking the values that are present as it goes; [`HydrateMode`]
//! then decides whether to allocate. Allocation is sequential and deterministic:
//!
//! - management IPs start at the control VIP + 4 (the VIP must be the management network + 1);
//!   hhfab numbers its control and fab nodes first, which this crate does not model: pass
//!   their count as [`HydrateOptions::nodes`] (a default VLAB has one, `control-1`);
//! - switches sorted spines first, then by role string, then by name: management IP (with
//!   the management prefix length), protocol IP `/32` from the protocol subnet's base,
//!   the spine ASN; leaves take the next leaf ASN and VTEP `/32` (MCLAG peers share both);
//! - connections sorted by name: each fabric, mesh and gateway link takes two consecutive
//!   addresses of the fabric subnet as `/31`s (spine, leaf1 or switch side first); gateways
//!   get the interface IP, MTU 9100 and a BGP neighbor per link;
//! - gateways sorted by name: gateway ASN, next protocol and VTEP IPs, VTEP MAC
//!   `CA:FE:BA:BE:01:<n>` and VTEP MTU 9036.
//!
//! Gateways (`gateway.githedgehog.com/v1alpha1`) are not modelled and stay
//! [`Object::Unknown`]; hydration edits their JSON in place.
//!
//! Where hhfab stops at its first error, this module reports every problem it finds.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use serde_json::{Value, json};

use crate::api::{
    ConnFabricLinkSwitch, ConnGatewayLinkGateway, PortName, RedundancyType, Switch, SwitchRole,
};
use crate::config::{FabricConfig, go_parse_prefix_error};
use crate::net::{Prefix, parse_addr};
use crate::{Diagnostic, Kind, Object, ObjectKey};

/// The MTU hhfab sets on gateway interfaces (`fabric.MTU`).
const GATEWAY_IFACE_MTU: u64 = 9100;
/// The VTEP MTU hhfab sets on gateways (`fabric.ServerFacingMTU`).
const GATEWAY_VTEP_MTU: u64 = 9036;
/// hhfab's limit of gateways for its VTEP MAC scheme.
const MAX_VTEP_MACS: usize = 254;
/// The API version of gateways.
const GATEWAY_API_VERSION: &str = "gateway.githedgehog.com/v1alpha1";

/// When to hydrate (hhfab's `--hydrate-mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HydrateMode {
    /// Never hydrate; the wiring must already be fully hydrated.
    Never,
    /// Hydrate a wiring with no hydrated values, keep a fully hydrated one, refuse a
    /// partially hydrated one (hhfab's default).
    #[default]
    IfNotPresent,
    /// Always re-allocate every value.
    Override,
}

impl HydrateMode {
    /// hhfab's name of the mode.
    pub const fn as_str(self) -> &'static str {
        match self {
            HydrateMode::Never => "never",
            HydrateMode::IfNotPresent => "if-not-present",
            HydrateMode::Override => "override",
        }
    }
}

impl fmt::Display for HydrateMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hydration mode name that hhfab does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown hydration mode {0:?}, must be one of never, if-not-present, override")]
pub struct UnknownHydrateMode(pub String);

impl FromStr for HydrateMode {
    type Err = UnknownHydrateMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "never" => Ok(HydrateMode::Never),
            "if-not-present" => Ok(HydrateMode::IfNotPresent),
            "override" => Ok(HydrateMode::Override),
            other => Err(UnknownHydrateMode(other.to_owned())),
        }
    }
}

/// How much of a wiring is hydrated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HydrationStatus {
    /// No hydratable value is set.
    None,
    /// Some are set, some are not.
    Partial,
    /// Every hydratable value is set.
    Full,
}

/// Settings of hydration beyond the fabric configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HydrateOptions {
    /// How many control and fab nodes hhfab numbers before the switches: each takes one
    /// management IP after the four reserved ones. Their own hydration is not modelled.
    pub nodes: u32,
}

/// What [`hydrate`] found and did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HydrateReport {
    /// The hydration status before anything was changed.
    pub before: HydrationStatus,
    /// Whether values were allocated (false when the wiring was kept as it was).
    pub hydrated: bool,
}

/// Hydrates `objects` in place as hhfab does with `mode` and default options
/// (see [`hydrate_with`]).
pub fn hydrate(
    objects: &mut [Object],
    cfg: &FabricConfig,
    mode: HydrateMode,
) -> Result<HydrateReport, Vec<Diagnostic>> {
    hydrate_with(objects, cfg, mode, HydrateOptions::default())
}

/// Hydrates `objects` in place as hhfab's `ensureHydrated` does: checks the values present,
/// then allocates according to `mode`. On error nothing is changed.
pub fn hydrate_with(
    objects: &mut [Object],
    cfg: &FabricConfig,
    mode: HydrateMode,
    opts: HydrateOptions,
) -> Result<HydrateReport, Vec<Diagnostic>> {
    let pools = Pools::parse(cfg)?;
    let before = status_of(objects, &pools)?;
    match (mode, before) {
        (HydrateMode::Never, HydrationStatus::Full)
        | (HydrateMode::IfNotPresent, HydrationStatus::Full) => {
            return Ok(HydrateReport {
                before,
                hydrated: false,
            });
        }
        (HydrateMode::Never, _) => {
            return Err(vec![Diagnostic::error(
                "hydrate.not-hydrated",
                "wiring is not fully hydrated while hydration is disabled, cleanup and/or change hydration mode",
            )]);
        }
        (HydrateMode::IfNotPresent, HydrationStatus::Partial) => {
            return Err(vec![Diagnostic::error(
                "hydrate.partial",
                "wiring is already partially hydrated, cleanup or change hydration mode",
            )]);
        }
        _ => {}
    }
    // Allocation works on a copy so that a failure leaves the caller's objects untouched.
    let mut work = objects.to_vec();
    allocate(&mut work, &pools, opts)?;
    if status_of(&work, &pools)? != HydrationStatus::Full {
        return Err(vec![Diagnostic::error(
            "hydrate.incomplete",
            "wiring is not fully hydrated after hydration",
        )]);
    }
    objects.clone_from_slice(&work);
    Ok(HydrateReport {
        before,
        hydrated: true,
    })
}

/// Counts the hydratable values of `objects` as hhfab's `getHydration` does, checking the
/// ones that are set; every problem is a diagnostic.
pub fn hydration_status(
    objects: &[Object],
    cfg: &FabricConfig,
) -> Result<HydrationStatus, Vec<Diagnostic>> {
    status_of(objects, &Pools::parse(cfg)?)
}

/// The fabric configuration values hydration uses, parsed.
struct Pools {
    mgmt: Prefix,
    vip: Prefix,
    dhcp_start: IpAddr,
    protocol: Prefix,
    vtep: Prefix,
    fabric: Prefix,
    spine_asn: u32,
    leaf_asn_start: u32,
    leaf_asn_end: u32,
    gateway_asn: u32,
}

impl Pools {
    fn parse(cfg: &FabricConfig) -> Result<Pools, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut prefix = |what: &str, text: &str| {
            let parsed = Prefix::parse(text);
            if parsed.is_none() {
                diags.push(config_error(format!(
                    "parsing {what}: {}",
                    go_parse_prefix_error(text)
                )));
            }
            parsed
        };
        let mgmt = prefix("management subnet", &cfg.management_subnet);
        let vip = prefix("control VIP", &cfg.control_vip);
        let protocol = prefix("protocol subnet", &cfg.protocol_subnet);
        let vtep = prefix("VTEP subnet", &cfg.vtep_subnet);
        let fabric = prefix("fabric subnet", &cfg.fabric_subnet);
        let mut addr = |what: &str, text: &str| {
            let parsed = parse_addr(text).map(|a| a.ip());
            if parsed.is_none() {
                diags.push(config_error(format!(
                    "parsing {what}: ParseAddr({text:?}): unable to parse IP"
                )));
            }
            parsed
        };
        let dhcp_start = addr("management DHCP start", &cfg.management_dhcp_start);
        let dhcp_end = addr("management DHCP end", &cfg.management_dhcp_end);
        if let (Some(mgmt), Some(start), Some(end)) = (mgmt, dhcp_start, dhcp_end) {
            if !mgmt.contains(start) {
                diags.push(config_error(format!(
                    "management DHCP start {start} is not in the management subnet {mgmt}"
                )));
            }
            if !mgmt.contains(end) {
                // hhfab prints the start address here.
                diags.push(config_error(format!(
                    "management DHCP end {start} is not in the management subnet {mgmt}"
                )));
            }
            if start >= end {
                diags.push(config_error(format!(
                    "management DHCP start {start} should be less than the management DHCP end {end}"
                )));
            }
        }
        match (mgmt, vip, dhcp_start, protocol, vtep, fabric) {
            (Some(mgmt), Some(vip), Some(dhcp_start), Some(protocol), Some(vtep), Some(fabric))
                if diags.is_empty() =>
            {
                Ok(Pools {
                    mgmt,
                    vip,
                    dhcp_start,
                    protocol,
                    vtep,
                    fabric,
                    spine_asn: cfg.spine_asn,
                    leaf_asn_start: cfg.leaf_asn_start,
                    leaf_asn_end: cfg.leaf_asn_end,
                    gateway_asn: cfg.gateway_asn,
                })
            }
            _ => Err(diags),
        }
    }
}

fn config_error(message: String) -> Diagnostic {
    Diagnostic::error("hydrate.config", message)
}

/// Running counts of hydratable values and the problems found in the set ones.
struct Counter {
    total: usize,
    missing: usize,
    diags: Vec<Diagnostic>,
}

impl Counter {
    fn error(&mut self, key: &ObjectKey, code: &'static str, message: String) {
        self.diags
            .push(Diagnostic::error(code, message).with_object(key.clone()));
    }

    /// Counts one value; returns it when it is set.
    fn count<'a>(&mut self, value: &'a str) -> Option<&'a str> {
        self.total += 1;
        if value.is_empty() {
            self.missing += 1;
            None
        } else {
            Some(value)
        }
    }
}

/// Indices of the objects of one kind, in name order (the order of a Kubernetes list).
fn sorted_indices(objects: &[Object], pick: impl Fn(&Object) -> bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..objects.len()).filter(|&i| pick(&objects[i])).collect();
    idx.sort_by_cached_key(|&i| object_name(&objects[i]));
    idx
}

fn object_name(object: &Object) -> String {
    object.key().name
}

fn is_gateway(object: &Object) -> bool {
    matches!(object, Object::Unknown(v)
        if v.get("apiVersion").and_then(Value::as_str) == Some(GATEWAY_API_VERSION)
            && v.get("kind").and_then(Value::as_str) == Some("Gateway"))
}

/// hhfab's `getHydration`.
fn status_of(objects: &[Object], pools: &Pools) -> Result<HydrationStatus, Vec<Diagnostic>> {
    let mut c = Counter {
        total: 0,
        missing: 0,
        diags: Vec::new(),
    };
    let mut mgmt_ips: HashMap<IpAddr, ()> = HashMap::from([(pools.vip.addr(), ())]);
    let mut protocol_ips: HashMap<IpAddr, ()> = HashMap::new();
    let mut vtep_ips: HashMap<IpAddr, ()> = HashMap::new();
    let mut leaf_asns: HashMap<u32, ()> = HashMap::new();
    let mut mclag_peer: HashMap<String, (String, u32, String)> = HashMap::new();

    for i in sorted_indices(objects, |o| matches!(o, Object::Switch(_))) {
        let Object::Switch(sw) = &objects[i] else {
            continue;
        };
        let key = objects[i].key();
        let name = key.name.as_str();
        let spec = &sw.spec;
        if spec.role.is_empty() {
            c.error(
                &key,
                "hydrate.switch.role-missing",
                format!("switch {name} role is not set"),
            );
            continue;
        }
        if !spec.role.is_known() {
            c.error(
                &key,
                "hydrate.switch.role-invalid",
                format!("switch {name} role {:?} is invalid", spec.role.as_str()),
            );
            continue;
        }

        if let Some(ip) = c.count(&spec.ip) {
            match Prefix::parse(ip) {
                None => c.error(
                    &key,
                    "hydrate.switch.ip",
                    format!(
                        "parsing switch {name} IP {ip}: {}",
                        go_parse_prefix_error(ip)
                    ),
                ),
                Some(p) if !pools.mgmt.contains(p.addr()) => c.error(
                    &key,
                    "hydrate.switch.ip",
                    format!(
                        "switch {name} IP {p} is not in the management subnet {}",
                        pools.mgmt
                    ),
                ),
                Some(p) if p.addr() >= pools.dhcp_start => c.error(
                    &key,
                    "hydrate.switch.ip",
                    format!(
                        "switch {name} IP {p} should be less than the management DHCP start {}",
                        pools.dhcp_start
                    ),
                ),
                Some(p) => {
                    if mgmt_ips.insert(p.addr(), ()).is_some() {
                        c.error(
                            &key,
                            "hydrate.switch.ip-in-use",
                            format!("switch {name} (management) IP {p} is already in use"),
                        );
                    }
                }
            }
        }

        if let Some(ip) = c.count(&spec.protocol_ip) {
            check_host_ip(
                &mut c,
                &key,
                &format!("switch {name} protocol IP"),
                ip,
                &pools.protocol,
                "protocol subnet",
                &mut protocol_ips,
            );
        }

        c.total += 1;
        if spec.asn == 0 {
            c.missing += 1;
        } else {
            if spec.role.is_leaf() {
                check_leaf_asn(&mut c, &key, sw, pools, &mut leaf_asns, &mut mclag_peer);
            }
            if spec.role.is_spine() && spec.asn != pools.spine_asn {
                c.error(
                    &key,
                    "hydrate.switch.asn",
                    format!("spine {name} ASN {} is not {}", spec.asn, pools.spine_asn),
                );
            }
        }

        if !spec.vtep_ip.is_empty() && spec.role.is_spine() {
            c.error(
                &key,
                "hydrate.switch.spine-vtep",
                format!("spine {name} should not have VTEP IP"),
            );
        }
        if spec.role.is_leaf()
            && let Some(ip) = c.count(&spec.vtep_ip)
        {
            check_leaf_vtep(&mut c, &key, sw, ip, pools, &mut vtep_ips, &mut mclag_peer);
        }
    }

    let mut fabric_ips: HashMap<IpAddr, ()> = HashMap::new();
    for i in sorted_indices(objects, |o| matches!(o, Object::Connection(_))) {
        let Object::Connection(conn) = &objects[i] else {
            continue;
        };
        let key = objects[i].key();
        for link in link_ips(&conn.spec) {
            check_link(&mut c, &key, &link, &pools.fabric, &mut fabric_ips);
        }
    }

    for i in sorted_indices(objects, is_gateway) {
        let Object::Unknown(gw) = &objects[i] else {
            continue;
        };
        let key = objects[i].key();
        let name = key.name.as_str();
        let spec = gw.get("spec");
        let field = |f: &str| {
            spec.and_then(|s| s.get(f))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let asn = spec
            .and_then(|s| s.get("asn"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        c.total += 1;
        if asn == 0 {
            c.missing += 1;
        } else if asn != u64::from(pools.gateway_asn) {
            c.error(
                &key,
                "hydrate.gateway.asn",
                format!("gateway {name} ASN {asn} is not {}", pools.gateway_asn),
            );
        }
        let protocol_ip = field("protocolIP");
        if let Some(ip) = c.count(&protocol_ip) {
            check_host_ip(
                &mut c,
                &key,
                &format!("gateway {name} protocol IP"),
                ip,
                &pools.protocol,
                "protocol subnet",
                &mut protocol_ips,
            );
        }
        let vtep_ip = field("vtepIP");
        if let Some(ip) = c.count(&vtep_ip) {
            check_host_ip(
                &mut c,
                &key,
                &format!("gateway {name} vtep IP"),
                ip,
                &pools.vtep,
                "vtep subnet",
                &mut vtep_ips,
            );
        }
    }

    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    Ok(if c.missing == c.total {
        HydrationStatus::None
    } else if c.missing == 0 {
        HydrationStatus::Full
    } else {
        HydrationStatus::Partial
    })
}

/// A `/32` inside `subnet` that no other device uses (protocol and VTEP IPs).
fn check_host_ip(
    c: &mut Counter,
    key: &ObjectKey,
    what: &str,
    ip: &str,
    subnet: &Prefix,
    subnet_name: &str,
    used: &mut HashMap<IpAddr, ()>,
) {
    match Prefix::parse(ip) {
        None => c.error(
            key,
            "hydrate.ip",
            format!("parsing {what} {ip}: {}", go_parse_prefix_error(ip)),
        ),
        Some(p) if p.bits() != 32 => {
            c.error(key, "hydrate.ip", format!("{what} {p} must be a /32"))
        }
        Some(p) if !subnet.contains(p.addr()) => {
            c.error(
                key,
                "hydrate.ip",
                format!("{what} {p} is not in the {subnet_name} {subnet}"),
            );
        }
        Some(p) => {
            if used.insert(p.addr(), ()).is_some() {
                c.error(
                    key,
                    "hydrate.ip-in-use",
                    format!("{what} {p} is already in use"),
                );
            }
        }
    }
}

/// The leaf ASN checks; MCLAG peers may (and must) share theirs.
fn check_leaf_asn(
    c: &mut Counter,
    key: &ObjectKey,
    sw: &Switch,
    pools: &Pools,
    used: &mut HashMap<u32, ()>,
    mclag_peer: &mut HashMap<String, (String, u32, String)>,
) {
    let name = key.name.as_str();
    let asn = sw.spec.asn;
    if asn < pools.leaf_asn_start || asn > pools.leaf_asn_end {
        c.error(
            key,
            "hydrate.switch.asn",
            format!(
                "leaf {name} ASN {asn} is not in the leaf ASN range {}-{}",
                pools.leaf_asn_start, pools.leaf_asn_end
            ),
        );
        return;
    }
    let check_unique = if sw.spec.redundancy.r#type == RedundancyType::Mclag {
        match mclag_peer.entry(sw.spec.redundancy.group.clone()) {
            Entry::Occupied(peer) => {
                let (peer_name, peer_asn, _) = peer.get();
                if *peer_asn != asn {
                    c.error(
                        key,
                        "hydrate.switch.mclag-asn",
                        format!("mclag peers should have same ASNs: {name} and {peer_name}"),
                    );
                }
                false
            }
            Entry::Vacant(slot) => {
                slot.insert((name.to_owned(), asn, sw.spec.vtep_ip.clone()));
                true
            }
        }
    } else {
        true
    };
    if used.insert(asn, ()).is_some() && check_unique {
        c.error(
            key,
            "hydrate.switch.asn-in-use",
            format!("leaf {name} ASN {asn} is already in use"),
        );
    }
}

/// The leaf VTEP IP checks; MCLAG peers may (and must) share theirs.
fn check_leaf_vtep(
    c: &mut Counter,
    key: &ObjectKey,
    sw: &Switch,
    ip: &str,
    pools: &Pools,
    used: &mut HashMap<IpAddr, ()>,
    mclag_peer: &mut HashMap<String, (String, u32, String)>,
) {
    let name = key.name.as_str();
    let p = match Prefix::parse(ip) {
        None => {
            return c.error(
                key,
                "hydrate.ip",
                format!(
                    "parsing switch {name} VTEP IP {ip}: {}",
                    go_parse_prefix_error(ip)
                ),
            );
        }
        Some(p) if p.bits() != 32 => {
            return c.error(
                key,
                "hydrate.ip",
                format!("switch {name} VTEP IP {p} must be a /32"),
            );
        }
        Some(p) if !pools.vtep.contains(p.addr()) => {
            return c.error(
                key,
                "hydrate.ip",
                format!(
                    "switch {name} VTEP IP {p} is not in the VTEP subnet {}",
                    pools.vtep
                ),
            );
        }
        Some(p) => p,
    };
    let check_unique = if sw.spec.redundancy.r#type == RedundancyType::Mclag {
        match mclag_peer.entry(sw.spec.redundancy.group.clone()) {
            Entry::Occupied(peer) => {
                let (peer_name, _, peer_vtep) = peer.get();
                if *peer_vtep != sw.spec.vtep_ip {
                    c.error(
                        key,
                        "hydrate.switch.mclag-vtep",
                        format!("mclag peers should have same VTEP IPs: {name} and {peer_name}"),
                    );
                }
                false
            }
            Entry::Vacant(slot) => {
                slot.insert((name.to_owned(), sw.spec.asn, sw.spec.vtep_ip.clone()));
                true
            }
        }
    } else {
        true
    };
    if used.insert(p.addr(), ()).is_some() && check_unique {
        c.error(
            key,
            "hydrate.ip-in-use",
            format!("switch {name} VTEP IP {p} is already in use"),
        );
    }
}

/// The two IPs of one fabric, mesh or gateway link, with hhfab's words for them.
struct LinkIps<'a> {
    conn_type: &'static str,
    index: usize,
    first: (&'static str, &'a str),
    second: (&'static str, &'a str),
}

fn link_ips(spec: &crate::api::ConnectionSpec) -> Vec<LinkIps<'_>> {
    // hhfab's if/else chain: only the first of fabric, mesh, gateway counts.
    if let Some(f) = &spec.fabric {
        f.links
            .iter()
            .enumerate()
            .map(|(index, l)| LinkIps {
                conn_type: "fabric",
                index,
                first: ("spine", &l.spine.ip),
                second: ("leaf", &l.leaf.ip),
            })
            .collect()
    } else if let Some(m) = &spec.mesh {
        m.links
            .iter()
            .enumerate()
            .map(|(index, l)| LinkIps {
                conn_type: "mesh",
                index,
                first: ("leaf1", &l.leaf1.ip),
                second: ("leaf2", &l.leaf2.ip),
            })
            .collect()
    } else if let Some(g) = &spec.gateway {
        g.links
            .iter()
            .enumerate()
            .map(|(index, l)| LinkIps {
                conn_type: "gateway",
                index,
                first: ("switch", &l.switch.ip),
                second: ("gateway", &l.gateway.ip),
            })
            .collect()
    } else {
        Vec::new()
    }
}

fn check_link(
    c: &mut Counter,
    key: &ObjectKey,
    link: &LinkIps<'_>,
    fabric: &Prefix,
    used: &mut HashMap<IpAddr, ()>,
) {
    let a = c.count(link.first.1);
    let b = c.count(link.second.1);
    let (Some(_), Some(_)) = (a, b) else { return };
    let mut side = |(side, ip): (&str, &str)| -> Option<Prefix> {
        let what = format!(
            "{} connection {} link {} {side} IP",
            link.conn_type, key.name, link.index
        );
        let p = match Prefix::parse(ip) {
            None => {
                c.error(
                    key,
                    "hydrate.link.ip",
                    format!("parsing {what} {ip}: {}", go_parse_prefix_error(ip)),
                );
                return None;
            }
            Some(p) => p,
        };
        if p.bits() != 31 {
            c.error(key, "hydrate.link.ip", format!("{what} {p} is not a /31"));
            return None;
        }
        if !fabric.contains(p.addr()) {
            c.error(
                key,
                "hydrate.link.ip",
                format!("{what} {} is not in the fabric subnet {fabric}", p.addr()),
            );
            return None;
        }
        if used.insert(p.addr(), ()).is_some() {
            c.error(
                key,
                "hydrate.link.ip-in-use",
                format!("{what} {} is already in use", p.addr()),
            );
            return None;
        }
        Some(p)
    };
    let (Some(pa), Some(pb)) = (side(link.first), side(link.second)) else {
        return;
    };
    if pa.masked() != pb.masked() {
        // hhfab calls the first side "spine" whatever the connection type.
        let second = if link.conn_type == "gateway" {
            "gateway"
        } else {
            "leaf"
        };
        c.error(key, "hydrate.link.subnet", format!(
            "{} connection {} link {} spine IP {} and {second} IP {} are not in the same subnet",
            link.conn_type, key.name, link.index, pa.addr(), pb.addr()
        ));
    }
}

/// A sequential IPv4 allocator over one subnet.
struct Next {
    ip: u32,
}

impl Next {
    fn from(ip: IpAddr) -> Next {
        Next {
            ip: match ip {
                IpAddr::V4(v4) => u32::from(v4),
                IpAddr::V6(_) => 0,
            },
        }
    }

    fn take(&mut self) -> Ipv4Addr {
        let ip = Ipv4Addr::from(self.ip);
        self.ip = self.ip.wrapping_add(1);
        ip
    }
}

/// hhfab's `hydrate`.
fn allocate(
    objects: &mut [Object],
    pools: &Pools,
    opts: HydrateOptions,
) -> Result<(), Vec<Diagnostic>> {
    if pools.vip.addr() != crate::net::next_ip(pools.mgmt.network()).unwrap_or(pools.mgmt.network())
    {
        return Err(vec![config_error(format!(
            "control VIP {} is not the first IP of the management subnet {}",
            pools.vip, pools.mgmt
        ))]);
    }
    if !pools.mgmt.is_ipv4()
        || !pools.protocol.is_ipv4()
        || !pools.vtep.is_ipv4()
        || !pools.fabric.is_ipv4()
    {
        return Err(vec![config_error(
            "hydration needs IPv4 management, protocol, VTEP and fabric subnets".into(),
        )]);
    }
    let mut mgmt = Next::from(pools.vip.addr());
    mgmt.ip = mgmt.ip.wrapping_add(4).wrapping_add(opts.nodes);
    let mut protocol = Next::from(pools.protocol.network());
    let mut vtep = Next::from(pools.vtep.network());
    let mut leaf_asn = pools.leaf_asn_start;
    let mgmt_bits = pools.mgmt.bits();

    let mut switches = sorted_indices(objects, |o| matches!(o, Object::Switch(_)));
    let role_of = |i: usize| match &objects[i] {
        Object::Switch(s) => s.spec.role.clone(),
        _ => SwitchRole::default(),
    };
    switches.sort_by(|&a, &b| {
        let (ra, rb) = (role_of(a), role_of(b));
        match (ra.is_spine(), rb.is_spine()) {
            _ if ra == rb => Ordering::Equal,
            (true, _) => Ordering::Less,
            (_, true) => Ordering::Greater,
            _ => ra.as_str().cmp(rb.as_str()),
        }
    });
    let mut mclag_peer: HashMap<String, (u32, String)> = HashMap::new();
    let mut switch_asn: HashMap<String, u32> = HashMap::new();
    for i in switches {
        let Object::Switch(sw) = &mut objects[i] else {
            continue;
        };
        let name = sw.metadata.name.clone().unwrap_or_default();
        let spec = &mut sw.spec;
        spec.ip = format!("{}/{mgmt_bits}", mgmt.take());
        spec.protocol_ip = format!("{}/32", protocol.take());
        if spec.role.is_spine() {
            spec.asn = pools.spine_asn;
        }
        let shared = if spec.redundancy.r#type == RedundancyType::Mclag {
            match mclag_peer.entry(spec.redundancy.group.clone()) {
                Entry::Occupied(peer) => Some(peer.get().clone()),
                Entry::Vacant(_) => None,
            }
        } else {
            None
        };
        if let Some((asn, vtep_ip)) = shared {
            spec.asn = asn;
            spec.vtep_ip = vtep_ip;
        } else if spec.role.is_leaf() {
            spec.asn = leaf_asn;
            leaf_asn = leaf_asn.wrapping_add(1);
            spec.vtep_ip = format!("{}/32", vtep.take());
        }
        if spec.redundancy.r#type == RedundancyType::Mclag {
            mclag_peer
                .entry(spec.redundancy.group.clone())
                .or_insert_with(|| (spec.asn, spec.vtep_ip.clone()));
        }
        switch_asn.insert(name, spec.asn);
    }

    let gateways: HashMap<String, usize> = sorted_indices(objects, is_gateway)
        .into_iter()
        .map(|i| (object_name(&objects[i]), i))
        .collect();
    let mut fabric = Next::from(pools.fabric.network());
    let mut diags = Vec::new();
    for i in sorted_indices(objects, |o| matches!(o, Object::Connection(_))) {
        let Object::Connection(conn) = &mut objects[i] else {
            continue;
        };
        let conn_name = conn.metadata.name.clone().unwrap_or_default();
        let mut pair = |a: &mut ConnFabricLinkSwitch, b: &mut String| {
            a.ip = format!("{}/31", fabric.take());
            *b = format!("{}/31", fabric.take());
        };
        let spec = &mut conn.spec;
        let mut gateway_links: Vec<(ConnFabricLinkSwitch, ConnGatewayLinkGateway)> = Vec::new();
        if let Some(f) = &mut spec.fabric {
            f.links
                .iter_mut()
                .for_each(|l| pair(&mut l.spine, &mut l.leaf.ip));
        } else if let Some(m) = &mut spec.mesh {
            m.links
                .iter_mut()
                .for_each(|l| pair(&mut l.leaf1, &mut l.leaf2.ip));
        } else if let Some(g) = &mut spec.gateway {
            for l in &mut g.links {
                pair(&mut l.switch, &mut l.gateway.ip);
                gateway_links.push((l.switch.clone(), l.gateway.clone()));
            }
        }
        for (idx, (sw, gw)) in gateway_links.iter().enumerate() {
            let key = ObjectKey::new(Kind::Connection, "default", conn_name.clone());
            let gw_name = gw.device_name();
            let Some(&gi) = gateways.get(gw_name) else {
                diags.push(
                    Diagnostic::error(
                        "hydrate.gateway.missing",
                        format!("getting gateway {gw_name}: not found"),
                    )
                    .with_object(key),
                );
                continue;
            };
            let asn = switch_asn.get(sw.device_name()).copied().unwrap_or(0);
            if asn == 0 {
                diags.push(
                    Diagnostic::error(
                        "hydrate.gateway.switch",
                        format!("switch {} not found or ASN not set", sw.device_name()),
                    )
                    .with_object(key),
                );
                continue;
            }
            if let Err(message) = hydrate_gateway_link(&mut objects[gi], sw, gw, asn) {
                diags.push(
                    Diagnostic::error(
                        "hydrate.gateway.interface",
                        format!("gateway {gw_name} does not have interface {message} (link {idx})"),
                    )
                    .with_object(key),
                );
            }
        }
    }

    let gateway_order = sorted_indices(objects, is_gateway);
    if gateway_order.len() > MAX_VTEP_MACS {
        diags.push(config_error(format!(
            "too many gateways ({}) for our current VTEPMAC hydration scheme, maximum is {MAX_VTEP_MACS}",
            gateway_order.len()
        )));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for (n, i) in gateway_order.into_iter().enumerate() {
        let Object::Unknown(gw) = &mut objects[i] else {
            continue;
        };
        let Some(spec) = spec_map(gw) else { continue };
        spec.insert("asn".into(), json!(pools.gateway_asn));
        spec.insert(
            "protocolIP".into(),
            json!(format!("{}/32", protocol.take())),
        );
        spec.insert("vtepIP".into(), json!(format!("{}/32", vtep.take())));
        spec.insert(
            "vtepMAC".into(),
            json!(format!("CA:FE:BA:BE:01:{:02x}", n + 1)),
        );
        spec.insert("vtepMTU".into(), json!(GATEWAY_VTEP_MTU));
    }
    Ok(())
}

/// The `spec` map of a raw object, created when missing.
fn spec_map(value: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    let obj = value.as_object_mut()?;
    obj.entry("spec")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

/// Sets the interface IP and MTU of a gateway link's port and adds its BGP neighbor;
/// the error is the missing interface's name.
fn hydrate_gateway_link(
    gw: &mut Object,
    sw: &ConnFabricLinkSwitch,
    link: &ConnGatewayLinkGateway,
    asn: u32,
) -> Result<(), String> {
    let port = link.local_port_name().to_owned();
    let Object::Unknown(value) = gw else {
        return Err(port);
    };
    let Some(spec) = spec_map(value) else {
        return Err(port);
    };
    let Some(iface) = spec
        .get_mut("interfaces")
        .and_then(|i| i.get_mut(&port))
        .and_then(Value::as_object_mut)
    else {
        return Err(port);
    };
    iface.insert("ips".into(), json!([link.ip]));
    iface.insert("mtu".into(), json!(GATEWAY_IFACE_MTU));
    let switch_ip = Prefix::parse(&sw.ip)
        .map(|p| p.addr().to_string())
        .unwrap_or_default();
    let neighbors = spec.entry("neighbors").or_insert_with(|| json!([]));
    if let Value::Array(list) = neighbors {
        list.push(json!({ "source": port, "ip": switch_ip, "asn": asn }));
    }
    Ok(())
}
