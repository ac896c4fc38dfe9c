//! VPC validation, rules 1–14 of the API reference (§7.1), one valid and one invalid case
//! per rule, messages as upstream prints them.

mod vpc_support;

use hedgehog_model::validate::validate_object;
use vpc_support::*;

const SUBNET: &str = "subnet: 10.0.1.0/24\nvlan: 1001";

#[test]
fn a_plain_vpc_is_valid() {
    assert_valid(&vpc(SUBNET));
    assert_valid(&vpc(&dhcp_subnet("")));
}

#[test]
fn rule1_metadata() {
    assert_one(
        &vpc_named("vpc-abcdefgh1", "", SUBNET),
        "meta.name-too-long",
        "metadata.name",
        "name vpc-abcdefgh1 is too long, must be <= 11 characters",
    );
    assert_valid(&vpc_named("vpc-abcdefg", "", SUBNET));
    assert_one(
        &vpc_named("ext.a", "", SUBNET),
        "vpc.name.ext-prefix",
        "metadata.name",
        "vpc name cannot start with 'ext.': ext.a",
    );
    assert_one(
        &vpc_named("Vpc-1", "", SUBNET),
        "meta.name-invalid",
        "metadata.name",
        "failed to validate metadata: invalid resource name: name does not match a lowercase RFC 1123 subdomain",
    );
    assert_one(
        &vpc(SUBNET).replace("name: vpc-1", "name: vpc-1\n  namespace: prod"),
        "meta.namespace",
        "metadata.namespace",
        "failed to validate metadata: invalid resource namespace: only default namespace is currently supported",
    );
}

#[test]
fn rule2_subnet_count_and_namespaces() {
    let empty = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets: {}\n";
    assert_one(
        empty,
        "vpc.subnets.none",
        "spec.subnets",
        "at least one subnet is required",
    );
    let many: String = (1..=21)
        .map(|i| {
            format!(
                "    s{i}:\n      subnet: 10.0.{i}.0/24\n      vlan: {}\n",
                1000 + i
            )
        })
        .collect();
    let yaml = format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n{many}"
    );
    assert_one(
        &yaml,
        "vpc.subnets.too-many",
        "spec.subnets",
        "too many subnets, max is 20",
    );
    let twenty: String = many
        .lines()
        .take(20 * 3)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_valid(&format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n{twenty}"
    ));
    // Without defaulting, the namespaces are missing.
    let mut obj = load(&vpc(SUBNET).replace("name: vpc-1", "name: vpc-1\n  namespace: default"));
    if let hedgehog_model::Object::Vpc(v) = &mut obj {
        v.spec.subnets.get_mut("default").unwrap().gateway = "10.0.1.1".into();
    }
    let diags = validate_object(&obj, None);
    assert_eq!(
        triples(&diags),
        vec![
            (
                "vpc.ipv4-namespace.required",
                "spec.ipv4Namespace".into(),
                "ipv4Namespace is required".into()
            ),
            (
                "vpc.vlan-namespace.required",
                "spec.vlanNamespace".into(),
                "vlanNamespace is required".into()
            ),
        ]
    );
}

#[test]
fn rule3_mode() {
    assert_valid(&vpc_named("vpc-1", "mode: l3vni", SUBNET));
    assert_one(
        &vpc_named("vpc-1", "mode: fancy", SUBNET),
        "vpc.mode.invalid",
        "spec.mode",
        "invalid mode fancy, must be one of [ l3vni l3flat]",
    );
    assert_one(
        &vpc_named("vpc-1", "mode: l3flat", SUBNET),
        "vpc.mode.l3flat",
        "spec.mode",
        "L3Flat mode is not supported yet",
    );
}

#[test]
fn rule4_subnet_prefix() {
    // Host bits set: ParsePrefix accepts it.
    assert_valid(&vpc("subnet: 10.0.1.5/24\nvlan: 1001"));
    assert_one(
        &vpc("subnet: 10.0.1.0/33\ngateway: 10.0.1.1\nvlan: 1001"),
        "vpc.subnet.invalid",
        "spec.subnets.default.subnet",
        "subnet default: failed to parse subnet 10.0.1.0/33: netip.ParsePrefix(\"10.0.1.0/33\"): prefix length out of range",
    );
    assert_one(
        &vpc("subnet: 010.0.1.0/24\ngateway: 10.0.1.1\nvlan: 1001"),
        "vpc.subnet.invalid",
        "spec.subnets.default.subnet",
        "subnet default: failed to parse subnet 010.0.1.0/24: netip.ParsePrefix(\"010.0.1.0/24\"): ParseAddr(\"010.0.1.0\"): IPv4 field has octet with leading zero",
    );
    assert_one(
        &vpc("subnet: 10.0.1.0/31\nvlan: 1001"),
        "vpc.subnet.prefix-too-long",
        "spec.subnets.default.subnet",
        "subnet default: prefix length 31 is too large, must be <= 30",
    );
    assert_valid(&vpc("subnet: 10.0.1.0/30\nvlan: 1001"));
    assert_one(
        &vpc("subnet: 172.30.0.0/24\nvlan: 1001"),
        "vpc.subnet.reserved",
        "spec.subnets.default.subnet",
        "subnet default: subnet 172.30.0.0/24 is reserved",
    );
    // The reserved subnets come from the configuration; without one they are not checked.
    let obj = defaulted(&vpc("subnet: 172.30.0.0/24\nvlan: 1001"));
    assert!(validate_object(&obj, None).is_empty());
    // A missing subnet also leaves the gateway undefaulted.
    let diags = check(&vpc("vlan: 1001"));
    assert_eq!(
        triples(&diags),
        vec![
            (
                "vpc.subnet.missing",
                "spec.subnets.default.subnet".into(),
                "subnet default: missing subnet".into()
            ),
            (
                "vpc.subnet.gateway-required",
                "spec.subnets.default.gateway".into(),
                "subnet default: gateway is required".into()
            ),
        ]
    );
}

#[test]
fn rule5_gateway_vlan_host_bgp() {
    assert_valid(&vpc("subnet: 10.0.1.0/24\nhostBGP: true"));
    assert_one(
        &vpc("subnet: 10.0.1.0/24\nhostBGP: true\ndhcp:\n  enable: true"),
        "vpc.subnet.host-bgp-dhcp",
        "spec.subnets.default.dhcp.enable",
        "subnet default: dhcp should not be enabled for hostBGP subnets",
    );
    assert_valid(&vpc("subnet: 10.0.1.0/24\ngateway: 10.0.1.254\nvlan: 1001"));
    assert_one(
        &vpc("subnet: 10.0.1.0/24\ngateway: 10.0.1.x\nvlan: 1001"),
        "vpc.subnet.gateway-invalid",
        "spec.subnets.default.gateway",
        "subnet default: gateway 10.0.1.x is not a valid IP address",
    );
    assert_one(
        &vpc("subnet: 10.0.1.0/24\ngateway: 10.0.2.1\nvlan: 1001"),
        "vpc.subnet.gateway-outside",
        "spec.subnets.default.gateway",
        "subnet default: gateway 10.0.2.1 is not in the subnet",
    );
    assert_one(
        &vpc("subnet: 10.0.1.0/24"),
        "vpc.subnet.vlan-required",
        "spec.subnets.default.vlan",
        "subnet default: vlan is required",
    );
}

#[test]
fn rule6_relay() {
    assert_valid(&vpc(&format!(
        "{SUBNET}\ndhcp:\n  relay: 10.0.2.200/32\n  relayVPC: vpc-2"
    )));
    assert_one(
        &vpc(&dhcp_subnet("relay: 10.0.2.200/32")),
        "vpc.dhcp.relay-and-server",
        "spec.subnets.default.dhcp.relay",
        "subnet default: dhcp relay and dhcp server cannot be enabled at the same time",
    );
    // Upstream parses the relay as a prefix, so a bare address fails.
    assert_one(
        &vpc(&format!("{SUBNET}\ndhcp:\n  relay: 10.0.2.200")),
        "vpc.dhcp.relay-invalid",
        "spec.subnets.default.dhcp.relay",
        "subnet default: failed to parse dhcp relay 10.0.2.200: netip.ParsePrefix(\"10.0.2.200\"): no '/'",
    );
    assert_one(
        &vpc(&format!("{SUBNET}\ndhcp:\n  relayVPC: vpc-2")),
        "vpc.dhcp.relay-vpc-without-relay",
        "spec.subnets.default.dhcp.relayVPC",
        "subnet default: dhcp relay VPC specified but dhcp relay is not enabled",
    );
}

/// Validates without defaulting (namespaces and gateway set by hand), to reach the rules
/// that defaulting makes unreachable.
fn check_raw(subnet_extra: &str) -> Vec<(&'static str, String, String)> {
    let yaml = vpc_named(
        "vpc-1",
        "ipv4Namespace: default\nvlanNamespace: default",
        &format!("subnet: 10.0.1.0/24\ngateway: 10.0.1.1\nvlan: 1001\n{subnet_extra}"),
    )
    .replace("name: vpc-1", "name: vpc-1\n  namespace: default");
    triples(&validate_object(&load(&yaml), None))
}

#[test]
fn rule7_options_without_dhcp() {
    assert!(check_raw("dhcp:\n  enable: false").is_empty());
    let got = check_raw(
        "dhcp:\n  options:\n    pxeURL: http://x/boot\n    dnsServers: [1.1.1.1]\n    timeServers: [2.2.2.2]\n    interfaceMTU: 1500\n    leaseTimeSeconds: 60\n    disableDefaultRoute: true\n    advertisedRoutes:\n    - destination: 10.9.0.0/16\n      gateway: 10.0.1.1",
    );
    let expected: Vec<(&str, String, String)> = [
        ("pxeURL", "pxeURL"),
        ("dnsServers", "DNSServer"),
        ("timeServers", "TimeServer"),
        ("interfaceMTU", "InterfaceMTU"),
        ("leaseTimeSeconds", "LeaseTimeSeconds"),
        ("disableDefaultRoute", "DisableDefaultRoute"),
        ("advertisedRoutes", "AdvertisedRoutes"),
    ]
    .into_iter()
    .map(|(field, label)| {
        (
            "vpc.dhcp.option-without-dhcp",
            format!("spec.subnets.default.dhcp.options.{field}"),
            format!("subnet default: {label} is set but dhcp is disabled"),
        )
    })
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn rule8_dhcp_range() {
    assert_valid(&vpc(&dhcp_subnet(
        "range:\n  start: 10.0.1.10\n  end: 10.0.1.20",
    )));
    let cases = [
        (
            "start: 10.0.1.0",
            "start",
            "range-start-network",
            "dhcp range start 10.0.1.0 is equal to subnet",
        ),
        (
            "start: 10.0.1.1",
            "start",
            "range-start-gateway",
            "dhcp range start 10.0.1.1 is equal to gateway",
        ),
        (
            "start: 10.0.2.5",
            "start",
            "range-start-outside",
            "dhcp range start 10.0.2.5 is not in the subnet",
        ),
        (
            "start: 10.0.1.300",
            "start",
            "range-start-invalid",
            "invalid dhcp range start 10.0.1.300",
        ),
        (
            "end: 10.0.1.0",
            "end",
            "range-end-network",
            "dhcp range end 10.0.1.0 is equal to subnet",
        ),
        (
            "end: 10.0.1.1",
            "end",
            "range-end-gateway",
            "dhcp range end 10.0.1.1 is equal to gateway",
        ),
        (
            "end: 10.0.3.5",
            "end",
            "range-end-outside",
            "dhcp range end 10.0.3.5 is not in the subnet",
        ),
        (
            "end: nope",
            "end",
            "range-end-invalid",
            "invalid dhcp range end nope",
        ),
    ];
    for (field, which, code, message) in cases {
        let code = format!("vpc.dhcp.{code}");
        let diags = check(&vpc(&dhcp_subnet(&format!("range:\n  {field}"))));
        let got = triples(&diags);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, code);
        assert_eq!(got[0].1, format!("spec.subnets.default.dhcp.range.{which}"));
        assert_eq!(got[0].2, format!("subnet default: {message}"));
    }
    assert_one(
        &vpc(&dhcp_subnet(
            "range:\n  start: 10.0.1.100\n  end: 10.0.1.50",
        )),
        "vpc.dhcp.range-order",
        "spec.subnets.default.dhcp.range",
        "subnet default: dhcp range start 10.0.1.100 does not come before dhcp range end 10.0.1.50",
    );
    // Without defaulting an enabled DHCP server has no range.
    assert_eq!(
        check_raw("dhcp:\n  enable: true"),
        vec![(
            "vpc.dhcp.range-required",
            "spec.subnets.default.dhcp.range".into(),
            "subnet default: dhcp range is required".into()
        )]
    );
    assert_eq!(
        check_raw("dhcp:\n  enable: true\n  range:\n    end: 10.0.1.9"),
        vec![(
            "vpc.dhcp.range-start-required",
            "spec.subnets.default.dhcp.range.start".into(),
            "subnet default: dhcp range start is required".into()
        )]
    );
}

#[test]
fn rule9_dhcp_options() {
    assert_valid(&vpc(&dhcp_subnet(
        "options:\n  dnsServers: [1.1.1.1, 8.8.8.8]\n  timeServers: [10.0.1.5]\n  interfaceMTU: 1500\n  advertisedRoutes:\n  - destination: 10.9.0.0/16\n    gateway: 10.0.1.1",
    )));
    let opt = |text: &str| vpc(&dhcp_subnet(&format!("options:\n{}", indent(text, 2))));
    let p = "spec.subnets.default.dhcp.options";
    assert_one(
        &opt("dnsServers: [1.1.1.1, 1.1.1.x]"),
        "vpc.dhcp.dns-server-invalid",
        &format!("{p}.dnsServers[1]"),
        "subnet default: dns address 1.1.1.x is not a valid IP",
    );
    assert_one(
        &opt("timeServers: [ntp.example.com]"),
        "vpc.dhcp.time-server-invalid",
        &format!("{p}.timeServers[0]"),
        "subnet default: time server ntp.example.com address is not a valid IP",
    );
    assert_one(
        &opt("interfaceMTU: 95"),
        "vpc.dhcp.mtu-too-small",
        &format!("{p}.interfaceMTU"),
        "subnet default: MTU cannot be set smaller than 96",
    );
    assert_one(
        &opt("interfaceMTU: 9100"),
        "vpc.dhcp.mtu-too-large",
        &format!("{p}.interfaceMTU"),
        "subnet default: MTU cannot be set greater than 9036",
    );
    assert_eq!(
        check_raw(
            "dhcp:\n  enable: true\n  range: {start: 10.0.1.10, end: 10.0.1.20}\n  options: {interfaceMTU: 1500, leaseTimeSeconds: 0}"
        ),
        vec![(
            "vpc.dhcp.lease-time-too-small",
            format!("{p}.leaseTimeSeconds"),
            "subnet default: LeaseTimeSeconds cannot be set smaller than 1".into()
        )]
    );
    let route = |text: &str| opt(&format!("advertisedRoutes:\n- {text}"));
    let r = format!("{p}.advertisedRoutes[0]");
    assert_one(
        &route("gateway: 10.0.1.1"),
        "vpc.dhcp.route-destination-required",
        &format!("{r}.destination"),
        "subnet default: advertised route destination is required",
    );
    assert_one(
        &route("destination: 10.9.0.0/16"),
        "vpc.dhcp.route-gateway-required",
        &format!("{r}.gateway"),
        "subnet default: advertised route gateway is required",
    );
    assert_one(
        &route("{destination: 10.9.0.0, gateway: 10.0.1.1}"),
        "vpc.dhcp.route-destination-invalid",
        &format!("{r}.destination"),
        "subnet default: failed to parse advertised route destination 10.9.0.0: netip.ParsePrefix(\"10.9.0.0\"): no '/'",
    );
    assert_one(
        &route("{destination: 10.9.0.0/16, gateway: 10.0.1.x}"),
        "vpc.dhcp.route-gateway-invalid",
        &format!("{r}.gateway"),
        "subnet default: invalid advertised route gateway 10.0.1.x",
    );
    assert_one(
        &route("{destination: 10.9.0.0/16, gateway: 10.0.7.1}"),
        "vpc.dhcp.route-gateway-outside",
        &format!("{r}.gateway"),
        "subnet default: advertised route gateway 10.0.7.1 is not in the subnet",
    );
}

#[test]
fn rule10_static_leases() {
    // Static leases need not be inside the range; MACs in any Go spelling.
    assert_valid(&vpc(&dhcp_subnet(
        "range: {start: 10.0.1.100, end: 10.0.1.200}\nstatic:\n  AA-BB-CC-DD-EE-01: {ip: 10.0.1.5}\n  aabb.ccdd.ee02: {ip: 10.0.1.6}",
    )));
    let lease = |mac: &str, ip: &str| {
        vpc(&dhcp_subnet(&format!(
            "static:\n  \"{mac}\": {{ip: \"{ip}\"}}"
        )))
    };
    let m = "spec.subnets.default.dhcp.static";
    let mac = "aa:bb:cc:dd:ee:01";
    let at = format!("{m}.{mac}.ip");
    assert_one(
        &lease("aa:bb:cc:dd:ee", "10.0.1.5"),
        "vpc.dhcp.static-mac-invalid",
        &format!("{m}.aa:bb:cc:dd:ee"),
        "subnet default: invalid MAC aa:bb:cc:dd:ee for static IP 10.0.1.5",
    );
    assert_one(
        &lease(mac, ""),
        "vpc.dhcp.static-ip-required",
        &at,
        &format!("subnet default: empty static IP assigned to MAC {mac}"),
    );
    assert_one(
        &lease(mac, "10.0.1.x"),
        "vpc.dhcp.static-ip-invalid",
        &at,
        "subnet default: invalid static IP 10.0.1.x",
    );
    assert_one(
        &lease(mac, "10.0.2.5"),
        "vpc.dhcp.static-ip-outside",
        &at,
        "subnet default: static IP 10.0.2.5 is not in the subnet",
    );
    assert_one(
        &lease(mac, "10.0.1.0"),
        "vpc.dhcp.static-ip-network",
        &at,
        "subnet default: static IP 10.0.1.0 is the same as the subnet IP",
    );
    assert_one(
        &lease(mac, "10.0.1.1"),
        "vpc.dhcp.static-ip-gateway",
        &at,
        "subnet default: static IP 10.0.1.1 is the same as the gateway IP",
    );
    assert_one(
        &lease(mac, "10.0.1.255"),
        "vpc.dhcp.static-ip-broadcast",
        &at,
        "subnet default: static IP 10.0.1.255 is the same as the broadcast IP",
    );
    assert_one(
        &vpc(&dhcp_subnet(
            "static:\n  aa:bb:cc:dd:ee:01: {ip: 10.0.1.5}\n  aa:bb:cc:dd:ee:02: {ip: 10.0.1.5}",
        )),
        "vpc.dhcp.static-ip-duplicate",
        &format!("{m}.aa:bb:cc:dd:ee:02.ip"),
        "subnet default: static IP 10.0.1.5 is already assigned to another MAC address",
    );
}

#[test]
fn rule11_range_and_static_without_dhcp() {
    assert_valid(&vpc(&format!(
        "{SUBNET}\ndhcp:\n  range: {{start: 10.0.1.10}}"
    )));
    assert_eq!(
        check_raw("dhcp:\n  range: {start: 10.0.1.10}"),
        vec![(
            "vpc.dhcp.range-without-dhcp",
            "spec.subnets.default.dhcp.range".into(),
            "subnet default: dhcp range start or end is set but dhcp is disabled".into()
        )]
    );
    assert_one(
        &vpc(&format!(
            "{SUBNET}\ndhcp:\n  static:\n    aa:bb:cc:dd:ee:01: {{ip: 10.0.1.5}}"
        )),
        "vpc.dhcp.static-without-dhcp",
        "spec.subnets.default.dhcp.static",
        "subnet default: static IPs are not supported when DHCP is disabled",
    );
}

fn two_subnets(a: &str, b: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    a:\n{}    b:\n{}",
        indent(a, 6),
        indent(b, 6)
    )
}

#[test]
fn rule12_unique_vlans_and_disjoint_subnets() {
    assert_valid(&two_subnets(
        "subnet: 10.0.1.0/24\nvlan: 1001",
        "subnet: 10.0.2.0/24\nvlan: 1002",
    ));
    // hostBGP subnets have no VLAN and are not counted.
    assert_valid(&two_subnets(
        "subnet: 10.0.1.0/24\nhostBGP: true",
        "subnet: 10.0.2.0/24\nhostBGP: true",
    ));
    assert_one(
        &two_subnets(
            "subnet: 10.0.1.0/24\nvlan: 1001",
            "subnet: 10.0.2.0/24\nvlan: 1001",
        ),
        "vpc.subnet.vlan-duplicate",
        "spec.subnets.b.vlan",
        "duplicate subnet VLANs",
    );
    assert_one(
        &two_subnets(
            "subnet: 10.0.0.0/16\nvlan: 1001",
            "subnet: 10.0.2.0/24\nvlan: 1002",
        ),
        "vpc.subnet.overlap",
        "spec.subnets.b.subnet",
        "failed to verify no overlap subnets: subnets 10.0.0.0/16 and 10.0.2.0/24 overlap",
    );
}

#[test]
fn rule13_permit() {
    let two = two_subnets(
        "subnet: 10.0.1.0/24\nvlan: 1001",
        "subnet: 10.0.2.0/24\nvlan: 1002",
    );
    let with = |permit: &str| two.replace("spec:\n", &format!("spec:\n  permit: {permit}\n"));
    assert_valid(&with("[[a, b]]"));
    assert_one(
        &with("[[a]]"),
        "vpc.permit.too-few-subnets",
        "spec.permit[0]",
        "each permit policy must have at least 2 subnets in it",
    );
    assert_one(
        &with("[[a, b], [a, c]]"),
        "vpc.permit.subnet-not-found",
        "spec.permit[1][1]",
        "permit policy #1: subnet c not found",
    );
    assert_one(
        &with("[[a, a]]"),
        "vpc.permit.duplicate-subnets",
        "spec.permit[0]",
        "permit policy #0: duplicate subnets",
    );
}

#[test]
fn rule14_static_routes() {
    let with = |route: &str| vpc_named("vpc-1", &format!("staticRoutes:\n- {route}"), SUBNET);
    assert_valid(&with("{prefix: 10.42.0.0/24, nextHops: [10.99.0.0]}"));
    let r = "spec.staticRoutes[0]";
    assert_one(
        &with("{nextHops: [10.99.0.0]}"),
        "vpc.static-route.prefix-required",
        &format!("{r}.prefix"),
        "static route #0: prefix is required",
    );
    assert_one(
        &with("{prefix: 10.42.0.0, nextHops: [10.99.0.0]}"),
        "vpc.static-route.prefix-invalid",
        &format!("{r}.prefix"),
        "static route #0: failed to parse prefix 10.42.0.0: netip.ParsePrefix(\"10.42.0.0\"): no '/'",
    );
    assert_one(
        &with("{prefix: 10.42.0.1/24, nextHops: [10.99.0.0]}"),
        "vpc.static-route.prefix-not-canonical",
        &format!("{r}.prefix"),
        "static route #0: prefix 10.42.0.1/24 is invalid: inconsistent IP address and mask",
    );
    assert_one(
        &with("{prefix: 10.42.0.0/24}"),
        "vpc.static-route.next-hop-required",
        &format!("{r}.nextHops"),
        "static route #0: at least one next hop is required",
    );
}

#[test]
fn every_independent_mistake_is_reported() {
    let yaml = format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: Bad-VPC\n  namespace: other\nspec:\n  mode: l3flat\n  permit: [[a]]\n  staticRoutes: [{{prefix: 10.42.0.1/24}}]\n  subnets:\n    a:\n{}    b:\n{}",
        indent(
            "subnet: 10.0.0.0/16\ngateway: 10.1.0.1\ndhcp:\n  enable: true\n  options: {interfaceMTU: 10000}",
            6
        ),
        indent("subnet: 10.0.2.0/24\nvlan: 1001\ndhcp:\n  relayVPC: x", 6),
    );
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "meta.name-invalid",
            "meta.namespace",
            "vpc.mode.l3flat",
            "vpc.subnet.gateway-outside",
            "vpc.subnet.vlan-required",
            "vpc.dhcp.mtu-too-large",
            "vpc.dhcp.relay-vpc-without-relay",
            "vpc.subnet.overlap",
            "vpc.permit.too-few-subnets",
            "vpc.static-route.prefix-not-canonical",
            "vpc.static-route.next-hop-required",
        ]
    );
}
