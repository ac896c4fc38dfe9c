//! Connection validation without other objects (rules 31–35, upstream `Connection.Validate`)
//! and upstream's `ConnectionSpec.Endpoints`, which defaulting shares.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::{Report, meta};
use crate::FieldPath;
use crate::api::{Connection, ConnectionSpec, ConnectionType, PortName, ServerToSwitchLink};
use crate::config::{FABRIC_MODE_SPINE_LEAF, FabricConfig, go_parse_prefix_error};
use crate::net::{Prefix, parse_cidr, parse_ip};

/// The only subnet a static external may have only on its own.
const DEFAULT_ROUTE: &str = "0.0.0.0/0";

/// Where a port is named: `spec.<field>.link.<side>.port` or `spec.<field>.links[i].<side>.port`.
#[derive(Clone, Copy)]
struct PortAt {
    link: Option<usize>,
    side: &'static str,
}

/// A problem `Endpoints` found; paths are built only for these.
pub(crate) struct Problem {
    code: &'static str,
    path: FieldPath,
    message: String,
}

/// The devices a connection links (upstream `ConnectionSpec.Endpoints`), and the problems
/// upstream's `Endpoints` would fail on, all of them.
pub(crate) struct Endpoints<'a> {
    /// Switch names, sorted.
    pub(crate) switches: BTreeSet<&'a str>,
    /// Server names, sorted.
    pub(crate) servers: BTreeSet<&'a str>,
    /// Problems; the endpoints are valid when there are none.
    pub(crate) problems: Vec<Problem>,
}

/// Collects the ports of the connection's type as `Endpoints` walks them.
struct Walk<'a> {
    field: &'static str,
    switches: BTreeSet<&'a str>,
    servers: BTreeSet<&'a str>,
    ports: Vec<(&'a str, PortAt)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Device {
    Switch,
    Server,
    Gateway,
}

impl<'a> Walk<'a> {
    fn new(field: &'static str) -> Self {
        Walk {
            field,
            switches: BTreeSet::new(),
            servers: BTreeSet::new(),
            ports: Vec::new(),
        }
    }

    fn port(
        &mut self,
        device: Device,
        port: &'a impl PortName,
        link: Option<usize>,
        side: &'static str,
    ) {
        // Gateways are not endpoints upstream reports (nor checks).
        let devices = match device {
            Device::Switch => Some(&mut self.switches),
            Device::Server => Some(&mut self.servers),
            Device::Gateway => None,
        };
        if let Some(devices) = devices {
            devices.insert(port.device_name());
        }
        self.ports.push((port.port_name(), PortAt { link, side }));
    }

    fn server_links(&mut self, links: &'a [ServerToSwitchLink]) {
        for (i, link) in links.iter().enumerate() {
            self.port(Device::Switch, &link.switch, Some(i), "switch");
            self.port(Device::Server, &link.server, Some(i), "server");
        }
    }

    fn path(&self, at: Option<PortAt>) -> FieldPath {
        let base = FieldPath::root().key("spec").key(self.field);
        match at {
            None => base,
            Some(PortAt { link: None, side }) => base.key("link").key(side).key("port"),
            Some(PortAt {
                link: Some(i),
                side,
            }) => base.key("links").index(i).key(side).key("port"),
        }
    }

    fn unique_ports(&self) -> usize {
        self.ports
            .iter()
            .map(|(p, _)| *p)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Upstream `Endpoints`. MCLAG connections (which upstream no longer validates) have none.
pub(crate) fn endpoints(spec: &ConnectionSpec) -> Endpoints<'_> {
    let mut problems = Vec::new();
    let Some(kind) = spec.connection_type() else {
        problems.push(Problem {
            code: "connection.type.none",
            path: FieldPath::root().key("spec"),
            message: "exactly one connection type must be used".to_owned(),
        });
        return Endpoints {
            switches: BTreeSet::new(),
            servers: BTreeSet::new(),
            problems,
        };
    };
    let (walk, checks) = walk(spec, kind);
    let mut fail = |code, message: String| {
        problems.push(Problem {
            code,
            path: walk.path(None),
            message,
        });
    };
    let name = kind.as_str();
    if let Some(want) = checks.switches {
        let n = walk.switches.len();
        match want {
            Count::One if n != 1 => fail(
                "connection.endpoints.switch-count",
                format!("{} must be used for {name} connection", checks.one_switch),
            ),
            Count::Two if n != 2 => fail(
                "connection.endpoints.switch-count",
                format!("two switches must be used for {name} connection"),
            ),
            Count::OneToFour if n < 1 => fail(
                "connection.endpoints.switch-count",
                format!("at least one switch must be used for {name} connection"),
            ),
            Count::OneToFour if n > 4 => fail(
                "connection.endpoints.switch-count",
                format!("at most four switches must be used for {name} connection"),
            ),
            _ => {}
        }
    }
    if checks.one_server && walk.servers.len() != 1 {
        fail(
            "connection.endpoints.server-count",
            format!("one server must be used for {name} connection"),
        );
    }
    if let Some(links) = checks.unique_ports_of
        && walk.unique_ports() != 2 * links
    {
        let message = if kind == ConnectionType::Unbundled {
            format!("two unique ports must be used for {name} connection")
        } else {
            format!("unique ports must be used for {name} connection")
        };
        fail("connection.endpoints.ports-not-unique", message);
    }

    let mut seen = BTreeSet::new();
    for (port, at) in &walk.ports {
        if !seen.insert(*port) {
            continue;
        }
        match port.split_once('/') {
            None => problems.push(Problem {
                code: "connection.port.invalid-name",
                path: walk.path(Some(*at)),
                message: format!("invalid port name {port}"),
            }),
            Some((device, local)) if device.is_empty() || local.is_empty() => {
                problems.push(Problem {
                    code: "connection.port.invalid-format",
                    path: walk.path(Some(*at)),
                    message: format!(
                        "invalid port name {port}, should be \"<device>/<port>\" format"
                    ),
                })
            }
            Some(_) => {}
        }
    }
    Endpoints {
        switches: walk.switches,
        servers: walk.servers,
        problems,
    }
}

/// How many switches a connection type needs.
#[derive(Clone, Copy)]
enum Count {
    One,
    Two,
    OneToFour,
}

/// The count checks of a connection type.
struct Checks {
    switches: Option<Count>,
    /// Upstream's words for "one switch" of this type (`one switches` for some).
    one_switch: &'static str,
    one_server: bool,
    /// Every one of this many links must have two ports of its own.
    unique_ports_of: Option<usize>,
}

fn walk(spec: &ConnectionSpec, kind: ConnectionType) -> (Walk<'_>, Checks) {
    let none = Checks {
        switches: None,
        one_switch: "one switch",
        one_server: false,
        unique_ports_of: None,
    };
    let mut w;
    let checks;
    match kind {
        ConnectionType::Unbundled => {
            w = Walk::new("unbundled");
            if let Some(c) = &spec.unbundled {
                w.port(Device::Switch, &c.link.switch, None, "switch");
                w.port(Device::Server, &c.link.server, None, "server");
            }
            checks = Checks {
                switches: Some(Count::One),
                one_server: true,
                unique_ports_of: Some(1),
                ..none
            };
        }
        ConnectionType::Bundled => {
            w = Walk::new("bundled");
            let links = spec.bundled.as_ref().map_or(&[][..], |c| &c.links);
            w.server_links(links);
            checks = Checks {
                switches: Some(Count::One),
                one_server: true,
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::Eslag => {
            w = Walk::new("eslag");
            let links = spec.eslag.as_ref().map_or(&[][..], |c| &c.links);
            w.server_links(links);
            checks = Checks {
                switches: Some(Count::OneToFour),
                one_server: true,
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::Fabric => {
            w = Walk::new("fabric");
            let links = spec.fabric.as_ref().map_or(&[][..], |c| &c.links);
            for (i, link) in links.iter().enumerate() {
                w.port(Device::Switch, &link.spine, Some(i), "spine");
                w.port(Device::Switch, &link.leaf, Some(i), "leaf");
            }
            checks = Checks {
                switches: Some(Count::Two),
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::Mesh => {
            w = Walk::new("mesh");
            let links = spec.mesh.as_ref().map_or(&[][..], |c| &c.links);
            for (i, link) in links.iter().enumerate() {
                w.port(Device::Switch, &link.leaf1, Some(i), "leaf1");
                w.port(Device::Switch, &link.leaf2, Some(i), "leaf2");
            }
            checks = Checks {
                switches: Some(Count::Two),
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::Gateway => {
            w = Walk::new("gateway");
            let links = spec.gateway.as_ref().map_or(&[][..], |c| &c.links);
            for (i, link) in links.iter().enumerate() {
                w.port(Device::Switch, &link.switch, Some(i), "switch");
                w.port(Device::Gateway, &link.gateway, Some(i), "gateway");
            }
            checks = Checks {
                switches: Some(Count::One),
                one_switch: "one switches",
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::VpcLoopback => {
            w = Walk::new("vpcLoopback");
            let links = spec.vpc_loopback.as_ref().map_or(&[][..], |c| &c.links);
            for (i, link) in links.iter().enumerate() {
                w.port(Device::Switch, &link.switch1, Some(i), "switch1");
                w.port(Device::Switch, &link.switch2, Some(i), "switch2");
            }
            checks = Checks {
                switches: Some(Count::One),
                one_switch: "one switches",
                unique_ports_of: Some(links.len()),
                ..none
            };
        }
        ConnectionType::External => {
            w = Walk::new("external");
            if let Some(c) = &spec.external {
                w.port(Device::Switch, &c.link.switch, None, "switch");
            }
            checks = none;
        }
        ConnectionType::StaticExternal => {
            w = Walk::new("staticExternal");
            if let Some(c) = &spec.static_external {
                w.port(Device::Switch, &c.link.switch, None, "switch");
            }
            checks = none;
        }
        // Upstream returns no endpoints and no error for MCLAG.
        ConnectionType::Mclag | ConnectionType::MclagDomain => {
            w = Walk::new("mclag");
            checks = none;
        }
    }
    (w, checks)
}

pub(super) fn validate(conn: &Connection, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&conn.metadata, report);
    let spec = &conn.spec;
    let at = |field: &str| FieldPath::root().key("spec").key(field);

    if spec.mclag.is_some() || spec.mclag_domain.is_some() {
        let field = if spec.mclag.is_some() {
            "mclag"
        } else {
            "mclagDomain"
        };
        report.warning(
            "connection.mclag.deprecated",
            at(field),
            "MCLAG is deprecated and no longer supported",
        );
        return;
    }

    let types = spec.connection_types();
    if let [first, rest @ ..] = types.as_slice()
        && !rest.is_empty()
    {
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        report.warning(
            "connection.type.multiple",
            FieldPath::root().key("spec"),
            format!(
                "several connection types are set ({}); only {first} is used",
                names.join(", ")
            ),
        );
    }

    if let Some(cfg) = cfg {
        let max = cfg.max_server_facing_mtu();
        let mtus = [
            (spec.unbundled.as_ref().map(|c| c.mtu), "unbundled"),
            (spec.bundled.as_ref().map(|c| c.mtu), "bundled"),
        ];
        for (mtu, field) in mtus {
            if let Some(mtu) = mtu.filter(|m| *m > max) {
                report.error(
                    "connection.mtu.too-large",
                    at(field).key("mtu"),
                    format!(
                        "{field} connection mtu {mtu} is greater than fabric mtu {} - server facing mtu offset {}",
                        cfg.fabric_mtu, cfg.server_facing_mtu_offset
                    ),
                );
            }
        }
    }

    for p in endpoints(spec).problems {
        report.error(p.code, p.path, p.message);
    }

    if let Some(se) = &spec.static_external {
        validate_static_external(&se.link.switch, cfg, report);
    }

    let spine_leaf = cfg.is_none_or(|c| c.fabric_mode == FABRIC_MODE_SPINE_LEAF);
    for (set, field) in [
        (spec.eslag.is_some(), "eslag"),
        (spec.gateway.is_some(), "gateway"),
    ] {
        if set && !spine_leaf {
            report.error(
                "connection.fabric-mode.not-allowed",
                at(field),
                format!("{field} connection is not allowed in current fabric configuration"),
            );
        }
    }
}

/// Rule 34: the switch side of a static external.
fn validate_static_external(
    sw: &crate::api::ConnStaticExternalLinkSwitch,
    cfg: Option<&FabricConfig>,
    report: &mut Report,
) {
    let at = |field: &str| {
        FieldPath::root()
            .key("spec")
            .key("staticExternal")
            .key("link")
            .key("switch")
            .key(field)
    };

    let network = parse_cidr(&sw.ip).map(|(_, net)| net);
    if network.is_none() {
        report.error(
            "connection.static-external.ip-invalid",
            at("ip"),
            format!(
                "failed to parse cidr {ip}: invalid CIDR address: {ip}",
                ip = sw.ip
            ),
        );
    }
    // `net.ParseIP` keeps IPv4-mapped IPv6 addresses as IPv4.
    match parse_ip(&sw.next_hop).map(|ip: IpAddr| ip.to_canonical()) {
        None => report.error(
            "connection.static-external.next-hop-invalid",
            at("nextHop"),
            format!("failed to parse next hop {}", sw.next_hop),
        ),
        Some(next_hop) => {
            if let Some(net) = network.filter(|n| !n.contains(next_hop)) {
                report.error(
                    "connection.static-external.next-hop-outside",
                    at("nextHop"),
                    format!("next hop {next_hop} is not in cidr {net}"),
                );
            }
        }
    }

    let mut subnets = Vec::with_capacity(sw.subnets.len());
    for (i, subnet) in sw.subnets.iter().enumerate() {
        let path = at("subnets").index(i);
        let Some(prefix) = Prefix::parse(subnet) else {
            report.error(
                "connection.static-external.subnet-invalid",
                path,
                format!(
                    "failed to parse cidr {subnet}: {}",
                    go_parse_prefix_error(subnet)
                ),
            );
            continue;
        };
        if subnet == DEFAULT_ROUTE {
            if sw.subnets.len() > 1 {
                report.error(
                    "connection.static-external.default-route-not-alone",
                    path,
                    "default route should be the only subnet",
                );
            }
            continue;
        }
        if !prefix.is_canonical() {
            report.error(
                "connection.static-external.subnet-not-canonical",
                path,
                format!("invalid subnet {subnet}: inconsistent IP address and mask"),
            );
            continue;
        }
        subnets.push(prefix);
    }

    if let Some((a, b)) = first_overlap(&subnets, &[]) {
        report.error(
            "connection.static-external.subnets-overlap",
            at("subnets"),
            format!("subnets overlap: subnets {a} and {b} overlap"),
        );
    } else if let Some(cfg) = cfg {
        let reserved: Vec<Prefix> = cfg.reserved_prefixes().collect();
        if let Some((a, b)) = first_overlap(&subnets, &reserved) {
            report.error(
                "connection.static-external.subnets-reserved",
                at("subnets"),
                format!("subnets overlap with reserved subnets: subnets {a} and {b} overlap"),
            );
        }
    }
}

/// The first overlapping pair of `subnets ++ reserved` in upstream's order
/// (`iputil.VerifyNoOverlapNetip`), skipping pairs of two `subnets` when `reserved` is not
/// empty (the caller has checked those).
fn first_overlap(subnets: &[Prefix], reserved: &[Prefix]) -> Option<(Prefix, Prefix)> {
    let all: Vec<&Prefix> = subnets.iter().chain(reserved).collect();
    let skip_own = !reserved.is_empty();
    all.iter().enumerate().find_map(|(i, a)| {
        all.iter()
            .enumerate()
            .skip(i + 1)
            .filter(|(j, _)| !(skip_own && *j < subnets.len()))
            .find(|(_, b)| a.overlaps(b))
            .map(|(_, b)| (**a, **b))
    })
}
