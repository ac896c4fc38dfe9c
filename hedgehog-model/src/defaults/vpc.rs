//! Upstream `VPC.Default()`.

use std::collections::BTreeMap;

use super::labels;
use crate::api::{Vpc, VpcDhcpOptions, VpcDhcpRange, VpcDhcpStatic, VpcSubnet};
use crate::net::{Mac, Prefix};

/// The namespace a VPC or External uses when it names none.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";
/// Upstream's default DHCP interface MTU.
pub(crate) const DEFAULT_DHCP_MTU: u16 = 9036;
/// Upstream's default DHCP lease time.
pub(crate) const DEFAULT_LEASE_TIME_SECONDS: u32 = 3600;

pub(crate) fn default(vpc: &mut Vpc) {
    let spec = &mut vpc.spec;
    if spec.ipv4_namespace.is_empty() {
        spec.ipv4_namespace = DEFAULT_NAMESPACE.to_owned();
    }
    if spec.vlan_namespace.is_empty() {
        spec.vlan_namespace = DEFAULT_NAMESPACE.to_owned();
    }
    labels::cleanup(&mut vpc.metadata);
    labels::set(&mut vpc.metadata, "ipv4ns", &spec.ipv4_namespace);
    labels::set(&mut vpc.metadata, "vlanns", &spec.vlan_namespace);
    for subnet in spec.subnets.values_mut() {
        default_subnet(subnet);
    }
}

fn default_subnet(subnet: &mut VpcSubnet) {
    let Some(prefix) = Prefix::parse(&subnet.subnet) else {
        return;
    };
    if subnet.gateway.is_empty() && !subnet.host_bgp {
        // Upstream would write Go's "invalid IP" for 255.255.255.255/32; leave it empty
        // instead so validation says "gateway is required".
        if let Some(gateway) = prefix.gateway() {
            subnet.gateway = gateway.to_string();
        }
    }
    if prefix.bits() > 30 {
        return;
    }
    let dhcp = &mut subnet.dhcp;
    if !dhcp.enable {
        dhcp.range = None;
        dhcp.options = None;
        return;
    }
    let range = dhcp.range.get_or_insert_with(VpcDhcpRange::default);
    if range.start.is_empty() {
        // Bits <= 30 guarantees the network has at least four addresses, so +2 exists.
        if let Some(start) = prefix.gateway().and_then(crate::net::next_ip) {
            range.start = start.to_string();
        }
    }
    if range.end.is_empty() {
        range.end = prefix.last().to_string();
    }
    if let Some(options) = &mut dhcp.options {
        if options_empty(options) {
            dhcp.options = None;
            // Upstream's `continue` here also skips the MAC canonicalisation below.
            return;
        }
        default_options(options);
    }
    canonicalize_macs(&mut dhcp.r#static);
}

/// Whether every option has its zero value (Go checks the lists against nil; an empty
/// list and a missing one are the same thing here).
fn options_empty(o: &VpcDhcpOptions) -> bool {
    o.pxe_url.is_empty()
        && o.dns_servers.is_empty()
        && o.time_servers.is_empty()
        && o.interface_mtu == 0
        && o.lease_time_seconds == 0
        && !o.disable_default_route
        && o.advertised_routes.is_empty()
}

fn default_options(o: &mut VpcDhcpOptions) {
    if o.interface_mtu == 0 {
        o.interface_mtu = DEFAULT_DHCP_MTU;
    }
    o.dns_servers.sort_unstable();
    o.time_servers.sort_unstable();
    if o.lease_time_seconds == 0 {
        o.lease_time_seconds = DEFAULT_LEASE_TIME_SECONDS;
    }
    // Stable, by (destination, gateway) as byte strings, like upstream's compare function.
    o.advertised_routes
        .sort_by(|a, b| (&a.destination, &a.gateway).cmp(&(&b.destination, &b.gateway)));
}

/// Re-keys static leases by the Go-canonical MAC (`aa:bb:…`). Upstream overwrites an
/// existing entry when two spellings of one MAC collide, losing a lease depending on map
/// order; here the non-canonical key is kept instead, so nothing is lost.
fn canonicalize_macs(statics: &mut BTreeMap<String, VpcDhcpStatic>) {
    let renames: Vec<(String, String)> = statics
        .keys()
        .filter(|mac| !is_canonical_mac48(mac))
        .filter_map(|mac| {
            let canonical = Mac::parse(mac)?.to_string();
            (canonical != *mac).then(|| (mac.clone(), canonical))
        })
        .collect();
    for (from, to) in renames {
        if statics.contains_key(&to) {
            continue;
        }
        if let Some(lease) = statics.remove(&from) {
            statics.insert(to, lease);
        }
    }
}

/// A fast check for the common case, a 48-bit MAC already in Go's form, that spares the
/// parse and the allocation.
fn is_canonical_mac48(mac: &str) -> bool {
    let b = mac.as_bytes();
    b.len() == 17
        && b.iter().enumerate().all(|(i, &c)| {
            if i % 3 == 2 {
                c == b':'
            } else {
                c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
            }
        })
}
