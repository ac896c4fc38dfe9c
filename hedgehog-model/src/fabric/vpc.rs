//! Cross-object rules of the vpc group (rules 40–54): VPCs, attachments, peerings and
//! externals against the objects they name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use super::{Fabric, Others, Out, key, name, spec};
use crate::api::{
    ExternalAttachment, ExternalPeering, RedundancyType, Vpc, VpcAttachment, VpcMode, VpcPeering,
    VpcSpec,
};
use crate::config::go_parse_prefix_error;
use crate::net::Prefix;
use crate::profiles::Catalog;
use crate::validate::connection::Endpoints;
use crate::vlan::vlan_in_ranges;
use crate::{FieldPath, Kind, ObjectKey};

pub(super) fn validate(f: &Fabric<'_>, catalog: &Catalog, out: &mut Out) {
    for vpc in f.vpcs.values() {
        vpc_references(f, vpc, out);
    }
    subnet_overlaps(f, out);
    vlan_reuse(f, out);
    for attach in &f.vpc_attachments {
        vpc_attachment(f, catalog, attach, out);
    }
    attachment_conflicts(f, out);
    for peering in &f.vpc_peerings {
        vpc_peering(f, peering, out);
    }
    for ext in f.externals.values() {
        if !f
            .ipv4_namespaces
            .contains_key(ext.spec.ipv4_namespace.as_str())
        {
            out.error(
                "fabric.external.ipv4namespace-not-found",
                key(Kind::External, &ext.metadata),
                spec("ipv4Namespace"),
                format!("IPv4Namespace {} not found", ext.spec.ipv4_namespace),
            );
        }
    }
    for peering in &f.external_peerings {
        external_peering(f, peering, out);
    }
    for attach in &f.external_attachments {
        external_attachment(f, attach, out);
    }
    external_attachment_vlans(f, out);
}

fn subnet_path(subnet: &str, field: &str) -> FieldPath {
    spec("subnets").key(subnet).key(field)
}

/// Rules 40–43: the namespaces and relay VPCs a VPC names exist, and its subnets and VLANs
/// lie inside its namespaces.
fn vpc_references(f: &Fabric<'_>, vpc: &Vpc, out: &mut Out) {
    let k = || key(Kind::Vpc, &vpc.metadata);
    let s = &vpc.spec;
    let ipns = f.ipv4_namespaces.get(s.ipv4_namespace.as_str());
    if ipns.is_none() {
        out.error(
            "fabric.vpc.ipv4namespace-not-found",
            k(),
            spec("ipv4Namespace"),
            format!("IPv4Namespace {} not found", s.ipv4_namespace),
        );
    }
    let vlanns = f.vlan_namespaces.get(s.vlan_namespace.as_str());
    if vlanns.is_none() {
        out.error(
            "fabric.vpc.vlannamespace-not-found",
            k(),
            spec("vlanNamespace"),
            format!("VLANNamespace {} not found", s.vlan_namespace),
        );
    }
    for (subnet_name, subnet) in &s.subnets {
        if let (Some(ns), Some(prefix)) = (ipns, Prefix::parse(&subnet.subnet)) {
            subnet_in_namespace(&ns.spec.subnets, prefix, s, subnet_name, out, k);
        }
        if let Some(ns) = vlanns
            && !subnet.host_bgp
            && !vlan_in_ranges(&ns.spec.ranges, subnet.vlan)
        {
            out.error(
                "fabric.vpc.vlan-outside-vlannamespace",
                k(),
                subnet_path(subnet_name, "vlan"),
                format!(
                    "vpc subnet {subnet_name} ({}) vlan {} doesn't belong to the VLANNamespace {}",
                    subnet.subnet, subnet.vlan, s.vlan_namespace
                ),
            );
        }
        let relay = &subnet.dhcp.relay_vpc;
        if !relay.is_empty() && !f.vpcs.contains_key(relay.as_str()) {
            out.error(
                "fabric.vpc.relay-vpc-not-found",
                k(),
                subnet_path(subnet_name, "dhcp").key("relayVPC"),
                format!("subnet {subnet_name}: dhcp relay VPC {relay} not found"),
            );
        }
    }
}

/// Rule 41 for one VPC subnet: upstream walks the namespace's subnets in order and stops at
/// the first that contains it, or at the first that does not parse.
fn subnet_in_namespace(
    ns_subnets: &[String],
    prefix: Prefix,
    s: &VpcSpec,
    subnet_name: &str,
    out: &mut Out,
    k: impl Fn() -> ObjectKey,
) {
    for text in ns_subnets {
        match Prefix::parse(text) {
            Some(ns) if prefix.is_subset_of(&ns) => return,
            Some(_) => {}
            None => {
                out.error(
                    "fabric.vpc.ipv4namespace-subnet-invalid",
                    k(),
                    subnet_path(subnet_name, "subnet"),
                    format!(
                        "failed to parse IPv4Namespace {} subnet {text}: {}",
                        s.ipv4_namespace,
                        go_parse_prefix_error(text)
                    ),
                );
                return;
            }
        }
    }
    out.error(
        "fabric.vpc.subnet-outside-ipv4namespace",
        k(),
        subnet_path(subnet_name, "subnet"),
        format!(
            "vpc subnet {subnet_name} ({}) doesn't belong to the IPv4Namespace {}",
            s.subnets[subnet_name].subnet, s.ipv4_namespace
        ),
    );
}

/// An address as a number, to sort prefixes of one family.
fn addr_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// A VPC subnet as an address interval.
struct Interval<'a> {
    vpc: &'a Vpc,
    subnet: &'a str,
    prefix: Prefix,
    start: u128,
    end: u128,
}

/// Rule 44: no subnet overlaps a subnet of another VPC of the same IPv4Namespace. Subnets
/// are sorted by start address per namespace and family and swept once, keeping the
/// farthest-reaching earlier interval of each of the two VPCs that reach farthest, so every
/// subnet that overlaps another VPC's is reported without comparing all pairs.
fn subnet_overlaps(f: &Fabric<'_>, out: &mut Out) {
    let mut groups: BTreeMap<(&str, bool), Vec<Interval<'_>>> = BTreeMap::new();
    for vpc in f.vpcs.values() {
        for (subnet, s) in &vpc.spec.subnets {
            let Some(prefix) = Prefix::parse(&s.subnet) else {
                continue;
            };
            groups
                .entry((vpc.spec.ipv4_namespace.as_str(), prefix.is_ipv4()))
                .or_default()
                .push(Interval {
                    vpc,
                    subnet,
                    prefix,
                    start: addr_number(prefix.network()),
                    end: addr_number(prefix.last()),
                });
        }
    }
    for intervals in groups.values_mut() {
        intervals.sort_by_key(|i| (i.start, i.end));
        let mut reported = vec![false; intervals.len()];
        // Indices of the farthest-reaching earlier interval, and of the farthest-reaching
        // one of a different VPC than that.
        let (mut best, mut second): (Option<usize>, Option<usize>) = (None, None);
        for i in 0..intervals.len() {
            let current = &intervals[i];
            let vpc_of = |j: usize| name(&intervals[j].vpc.metadata);
            let me = name(&current.vpc.metadata);
            let candidate = match best {
                Some(b) if vpc_of(b) != me => Some(b),
                _ => second,
            };
            if let Some(c) = candidate.filter(|c| intervals[*c].end >= current.start) {
                overlap(&intervals[i], &intervals[c], out);
                if !reported[c] {
                    reported[c] = true;
                    overlap(&intervals[c], &intervals[i], out);
                }
            }
            // Keep the two farthest-reaching intervals of distinct VPCs.
            match best {
                Some(b) if intervals[b].end >= current.end => {
                    if vpc_of(b) != me && second.is_none_or(|s| intervals[s].end < current.end) {
                        second = Some(i);
                    }
                }
                Some(b) => {
                    if vpc_of(b) != me {
                        second = Some(b);
                    }
                    best = Some(i);
                }
                None => best = Some(i),
            }
        }
    }
}

fn overlap(mine: &Interval<'_>, other: &Interval<'_>, out: &mut Out) {
    out.error(
        "fabric.vpc.subnet-overlap",
        key(Kind::Vpc, &mine.vpc.metadata),
        subnet_path(mine.subnet, "subnet"),
        format!(
            "subnet {} overlaps with subnet {} of VPC {}",
            mine.prefix,
            other
                .vpc
                .spec
                .subnets
                .get(other.subnet)
                .map_or("", |s| s.subnet.as_str()),
            name(&other.vpc.metadata)
        ),
    );
}

/// Rule 45: a VLAN is used by one VPC per VLANNamespace (hostBGP subnets have VLAN 0 and
/// may share it).
fn vlan_reuse(f: &Fabric<'_>, out: &mut Out) {
    let mut users: BTreeMap<(&str, u16), Vec<(&Vpc, &str)>> = BTreeMap::new();
    for vpc in f.vpcs.values() {
        for (subnet, s) in &vpc.spec.subnets {
            if s.vlan == 0 && s.host_bgp {
                continue;
            }
            users
                .entry((vpc.spec.vlan_namespace.as_str(), s.vlan))
                .or_default()
                .push((vpc, subnet));
        }
    }
    for ((_, vlan), subnets) in &users {
        let others = Others::new(subnets.iter().map(|(o, _)| name(&o.metadata)));
        for (vpc, subnet) in subnets {
            let Some((other, other_subnet)) =
                others.of(name(&vpc.metadata)).and_then(|i| subnets.get(i))
            else {
                continue;
            };
            out.error(
                "fabric.vpc.vlan-in-use",
                key(Kind::Vpc, &vpc.metadata),
                subnet_path(subnet, "vlan"),
                format!(
                    "vlan {vlan} is already used by other VPC (VPC {} subnet {other_subnet})",
                    name(&other.metadata)
                ),
            );
        }
    }
}

/// `<vpc>/<subnet>` of an attachment, when well-formed (rule 15 reports it otherwise).
fn attachment_target(attach: &VpcAttachment) -> Option<(&str, &str)> {
    attach
        .spec
        .subnet
        .split_once('/')
        .filter(|(vpc, _)| !vpc.is_empty())
}

/// Rules 46–48 for one attachment.
fn vpc_attachment(f: &Fabric<'_>, catalog: &Catalog, attach: &VpcAttachment, out: &mut Out) {
    let k = || key(Kind::VpcAttachment, &attach.metadata);
    let Some((vpc_name, subnet_name)) = attachment_target(attach) else {
        return;
    };
    let vpc = f.vpcs.get(vpc_name);
    let subnet = vpc.and_then(|v| v.spec.subnets.get(subnet_name));
    match vpc {
        None => out.error(
            "fabric.vpcattachment.vpc-not-found",
            k(),
            spec("subnet"),
            format!("vpc {vpc_name} not found"),
        ),
        Some(_) if subnet.is_none() => out.error(
            "fabric.vpcattachment.subnet-not-found",
            k(),
            spec("subnet"),
            format!("subnet {subnet_name} not found in vpc {vpc_name}"),
        ),
        Some(_) => {}
    }
    let conn_name = attach.spec.connection.as_str();
    let conn = f.connections.get(conn_name);
    if conn.is_none() && !conn_name.is_empty() {
        out.error(
            "fabric.vpcattachment.connection-not-found",
            k(),
            spec("connection"),
            format!("connection {conn_name} not found"),
        );
    }
    let (Some(vpc), Some(subnet), Some(wired)) = (vpc, subnet, conn) else {
        return;
    };
    let cs = &wired.conn.spec;
    if cs.eslag.is_some() && vpc.spec.mode != VpcMode::L2vni {
        out.error(
            "fabric.vpcattachment.eslag-mode",
            k(),
            spec("connection"),
            format!(
                "vpc mode {} is not supported for ESLAG connections",
                vpc.spec.mode
            ),
        );
    }
    if subnet.host_bgp && cs.unbundled.is_none() {
        out.error(
            "fabric.vpcattachment.hostbgp-not-unbundled",
            k(),
            spec("connection"),
            "only unbundled links can be used to attach to a hostBGP subnet".to_owned(),
        );
    }
    if cs.unbundled.is_none() && cs.bundled.is_none() && cs.eslag.is_none() {
        out.error(
            "fabric.vpcattachment.connection-type",
            k(),
            spec("connection"),
            "vpc can be attached only to Unbundled, Bundled or ESLAG connections".to_owned(),
        );
        return;
    }
    // Upstream's Endpoints() gives nothing for a connection with the deprecated MCLAG set.
    if cs.mclag.is_some() || cs.mclag_domain.is_some() {
        out.error(
            "fabric.vpcattachment.no-switch-endpoints",
            k(),
            spec("connection"),
            format!(
                "connection {} has no switch endpoints",
                attach.spec.connection
            ),
        );
        return;
    }
    attachment_switches(f, catalog, attach, vpc, subnet.host_bgp, &wired.ends, out);
}

/// Rule 48: the switches of an attached connection can carry the VPC.
fn attachment_switches(
    f: &Fabric<'_>,
    catalog: &Catalog,
    attach: &VpcAttachment,
    vpc: &Vpc,
    host_bgp: bool,
    ends: &Endpoints<'_>,
    out: &mut Out,
) {
    let k = || key(Kind::VpcAttachment, &attach.metadata);
    if !ends.problems.is_empty() {
        return;
    }
    let mode = &vpc.spec.mode;
    for switch_name in &ends.switches {
        let Some(sw) = f.switches.get(switch_name) else {
            out.error(
                "fabric.vpcattachment.switch-not-found",
                k(),
                spec("connection"),
                format!("switch {switch_name} used in connection not found"),
            );
            continue;
        };
        if !sw.spec.vlan_namespaces.contains(&vpc.spec.vlan_namespace) {
            out.error(
                "fabric.vpcattachment.switch-vlannamespace",
                k(),
                spec("connection"),
                format!(
                    "switch {switch_name} used in connection doesn't have vlan namespace {}",
                    vpc.spec.vlan_namespace
                ),
            );
        }
        let profile = &sw.spec.profile;
        match catalog.get(profile) {
            None => out.error(
                "fabric.vpcattachment.switch-profile-not-found",
                k(),
                spec("connection"),
                format!("switch profile {profile} used in switch {switch_name} not found"),
            ),
            Some(p) => {
                let features = &p.spec.features;
                let supported = match mode {
                    VpcMode::L2vni => features.l2vni && features.l3vni,
                    VpcMode::L3vni | VpcMode::L3flat => features.l3vni,
                    VpcMode::Other(_) => true,
                };
                if !supported {
                    out.error(
                        "fabric.vpcattachment.mode-not-supported",
                        k(),
                        spec("connection"),
                        format!("vpc mode {mode} is not supported on switch profile {profile}"),
                    );
                }
            }
        }
        let redundancy = &sw.spec.redundancy;
        if host_bgp && !redundancy.group.is_empty() && redundancy.r#type == RedundancyType::Mclag {
            out.error(
                "fabric.vpcattachment.hostbgp-mclag",
                k(),
                spec("connection"),
                format!(
                    "cannot attach hostBGP subnet to switch {switch_name} which is an MCLAG peer"
                ),
            );
        }
    }
}

/// Rule 49: per connection, a subnet is attached once and at most one attachment is native.
fn attachment_conflicts(f: &Fabric<'_>, out: &mut Out) {
    // Grouped by hash and then walked in connection order: tens of thousands of attachments
    // name connections with long common prefixes, which an ordered map compares slowly.
    let mut by_conn: HashMap<&str, Vec<&VpcAttachment>, foldhash::fast::RandomState> =
        HashMap::default();
    for attach in &f.vpc_attachments {
        by_conn
            .entry(attach.spec.connection.as_str())
            .or_default()
            .push(attach);
    }
    let mut by_conn: Vec<(&str, Vec<&VpcAttachment>)> = by_conn.into_iter().collect();
    by_conn.sort_unstable_by_key(|(conn, _)| *conn);
    for (conn, attaches) in &by_conn {
        let mut by_subnet: BTreeMap<&str, Vec<&VpcAttachment>> = BTreeMap::new();
        for a in attaches {
            by_subnet.entry(a.spec.subnet.as_str()).or_default().push(a);
        }
        for (subnet, same) in &by_subnet {
            let others = Others::new(same.iter().map(|o| name(&o.metadata)));
            for a in same {
                if let Some(other) = others.of(name(&a.metadata)).and_then(|i| same.get(i)) {
                    out.error(
                        "fabric.vpcattachment.already-attached",
                        key(Kind::VpcAttachment, &a.metadata),
                        spec("subnet"),
                        format!(
                            "connection {conn} already attached to vpc subnet {subnet} (VPCAttachment {})",
                            name(&other.metadata)
                        ),
                    );
                }
            }
        }
        let natives: Vec<&&VpcAttachment> =
            attaches.iter().filter(|a| a.spec.native_vlan).collect();
        let others = Others::new(natives.iter().map(|o| name(&o.metadata)));
        for a in &natives {
            if let Some(other) = others.of(name(&a.metadata)).and_then(|i| natives.get(i)) {
                out.error(
                    "fabric.vpcattachment.native-vlan-in-use",
                    key(Kind::VpcAttachment, &a.metadata),
                    spec("nativeVLAN"),
                    format!(
                        "connection {conn} already attached with native VLAN (VPCAttachment {})",
                        name(&other.metadata)
                    ),
                );
            }
        }
    }
}

/// Rule 50: both peered VPCs exist, share their namespaces and have the permitted subnets.
fn vpc_peering(f: &Fabric<'_>, peering: &VpcPeering, out: &mut Out) {
    let k = || key(Kind::VpcPeering, &peering.metadata);
    let names: BTreeSet<&str> = peering
        .spec
        .permit
        .iter()
        .flat_map(|p| p.keys().map(String::as_str))
        .collect();
    if names.len() != 2 {
        return; // rule 18
    }
    let mut vpcs = Vec::new();
    for vpc_name in &names {
        match f.vpcs.get(vpc_name) {
            Some(v) => vpcs.push(*v),
            None => out.error(
                "fabric.vpcpeering.vpc-not-found",
                k(),
                spec("permit"),
                format!("vpc {vpc_name} not found"),
            ),
        }
    }
    let [a, b] = vpcs.as_slice() else { return };
    if a.spec.ipv4_namespace != b.spec.ipv4_namespace {
        out.error(
            "fabric.vpcpeering.ipv4namespace-mismatch",
            k(),
            spec("permit"),
            "VPCs must be in the same IPv4 namespace".to_owned(),
        );
    }
    if a.spec.vlan_namespace != b.spec.vlan_namespace {
        out.error(
            "fabric.vpcpeering.vlannamespace-mismatch",
            k(),
            spec("permit"),
            "VPCs must be in the same VLAN namespace".to_owned(),
        );
    }
    for (i, permit) in peering.spec.permit.iter().enumerate() {
        for (vpc_name, peer) in permit {
            let Some(vpc) = f.vpcs.get(vpc_name.as_str()) else {
                continue;
            };
            for (j, subnet) in peer.subnets.iter().enumerate() {
                if !vpc.spec.subnets.contains_key(subnet) {
                    out.error(
                        "fabric.vpcpeering.subnet-not-found",
                        k(),
                        spec("permit")
                            .index(i)
                            .key(vpc_name.as_str())
                            .key("subnets")
                            .index(j),
                        format!("subnet {subnet} not found in VPC {vpc_name}"),
                    );
                }
            }
        }
    }
}

/// Rule 52.
fn external_peering(f: &Fabric<'_>, peering: &ExternalPeering, out: &mut Out) {
    let k = || key(Kind::ExternalPeering, &peering.metadata);
    let permit = &peering.spec.permit;
    let permit_path = || spec("permit");
    let vpc = f.vpcs.get(permit.vpc.name.as_str());
    if vpc.is_none() {
        out.error(
            "fabric.externalpeering.vpc-not-found",
            k(),
            permit_path().key("vpc").key("name"),
            format!("vpc {} not found", permit.vpc.name),
        );
    }
    let ext = f.externals.get(permit.external.name.as_str());
    if ext.is_none() {
        out.error(
            "fabric.externalpeering.external-not-found",
            k(),
            permit_path().key("external").key("name"),
            format!("external {} not found", permit.external.name),
        );
    }
    let (Some(vpc), Some(ext)) = (vpc, ext) else {
        return;
    };
    if vpc.spec.ipv4_namespace != ext.spec.ipv4_namespace {
        out.error(
            "fabric.externalpeering.ipv4namespace-mismatch",
            k(),
            permit_path(),
            format!(
                "vpc's IPv4 namespace {} is different from the external's IPv4 namespace {}",
                vpc.spec.ipv4_namespace, ext.spec.ipv4_namespace
            ),
        );
    }
    for (i, subnet) in permit.vpc.subnets.iter().enumerate() {
        if !vpc.spec.subnets.contains_key(subnet) {
            out.error(
                "fabric.externalpeering.subnet-not-found",
                k(),
                permit_path().key("vpc").key("subnets").index(i),
                format!("vpc {} does not have subnet {subnet}", permit.vpc.name),
            );
        }
    }
}

/// Rule 53.
fn external_attachment(f: &Fabric<'_>, attach: &ExternalAttachment, out: &mut Out) {
    let k = || key(Kind::ExternalAttachment, &attach.metadata);
    let s = &attach.spec;
    match f.externals.get(s.external.as_str()) {
        None => out.error(
            "fabric.externalattachment.external-not-found",
            k(),
            spec("external"),
            format!("external {} not found", s.external),
        ),
        Some(ext) if s.r#static.is_some() && ext.spec.r#static.is_none() => out.error(
            "fabric.externalattachment.static-mismatch",
            k(),
            spec("static"),
            format!(
                "external attachment is static but external {} is not",
                s.external
            ),
        ),
        Some(ext) if s.r#static.is_none() && ext.spec.r#static.is_some() => out.error(
            "fabric.externalattachment.static-mismatch",
            k(),
            spec("external"),
            format!(
                "external attachment is not static but external {} is",
                s.external
            ),
        ),
        Some(_) => {}
    }
    match f.connections.get(s.connection.as_str()) {
        None => out.error(
            "fabric.externalattachment.connection-not-found",
            k(),
            spec("connection"),
            format!("connection {} not found", s.connection),
        ),
        Some(wired) if wired.conn.spec.external.is_none() => out.error(
            "fabric.externalattachment.connection-not-external",
            k(),
            spec("connection"),
            format!("connection {} is not external", s.connection),
        ),
        Some(_) => {}
    }
}

/// The VLAN an external attachment uses on its connection.
fn external_attachment_vlan(attach: &ExternalAttachment) -> (u16, FieldPath) {
    match &attach.spec.r#static {
        Some(st) => (st.vlan, spec("static").key("vlan")),
        None => (attach.spec.switch.vlan, spec("switch").key("vlan")),
    }
}

/// Rule 54: one external attachment per VLAN and connection (VLAN 0 included).
fn external_attachment_vlans(f: &Fabric<'_>, out: &mut Out) {
    let mut users: BTreeMap<(&str, u16), Vec<&ExternalAttachment>> = BTreeMap::new();
    for attach in &f.external_attachments {
        let (vlan, _) = external_attachment_vlan(attach);
        users
            .entry((attach.spec.connection.as_str(), vlan))
            .or_default()
            .push(attach);
    }
    for ((conn, vlan), attaches) in &users {
        let others = Others::new(attaches.iter().map(|o| name(&o.metadata)));
        for a in attaches {
            let Some(other) = others.of(name(&a.metadata)).and_then(|i| attaches.get(i)) else {
                continue;
            };
            out.error(
                "fabric.externalattachment.vlan-in-use",
                key(Kind::ExternalAttachment, &a.metadata),
                external_attachment_vlan(a).1,
                format!(
                    "connection {conn} already has an external attachment with VLAN {vlan} (ExternalAttachment {})",
                    name(&other.metadata)
                ),
            );
        }
    }
}
