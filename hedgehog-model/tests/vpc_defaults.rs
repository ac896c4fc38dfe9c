//! Defaulting of the VPC-API kinds (API reference §6): one test per behaviour, plus
//! idempotence.

mod vpc_support;

use hedgehog_model::defaults::default_object;
use serde_json::json;
use vpc_support::*;

fn labels(obj: &hedgehog_model::Object) -> serde_json::Value {
    json(obj)["metadata"]["labels"].clone()
}

#[test]
fn vpc_namespaces_and_labels() {
    let obj = defaulted(&vpc("subnet: 10.0.1.0/24\nvlan: 1001").replace(
        "name: vpc-1",
        "name: vpc-1\n  labels:\n    team: blue\n    fabric.githedgehog.com/ipv4ns: stale\n    vpc.fabric.githedgehog.com/x: \"true\"",
    ));
    let v = json(&obj);
    assert_eq!(v["metadata"]["namespace"], "default");
    assert_eq!(v["spec"]["ipv4Namespace"], "default");
    assert_eq!(v["spec"]["vlanNamespace"], "default");
    assert_eq!(
        labels(&obj),
        json!({"team": "blue", "fabric.githedgehog.com/ipv4ns": "default", "fabric.githedgehog.com/vlanns": "default"})
    );
    let custom = defaulted(&vpc_named(
        "vpc-1",
        "ipv4Namespace: ns1\nvlanNamespace: vl1",
        "subnet: 10.0.1.0/24",
    ));
    assert_eq!(
        labels(&custom),
        json!({"fabric.githedgehog.com/ipv4ns": "ns1", "fabric.githedgehog.com/vlanns": "vl1"})
    );
}

#[test]
fn vpc_gateway_is_network_plus_one_unless_host_bgp() {
    let v = json(&defaulted(&vpc("subnet: 10.0.1.77/24\nvlan: 1001")));
    assert_eq!(v["spec"]["subnets"]["default"]["gateway"], "10.0.1.1");
    let v = json(&defaulted(&vpc("subnet: 10.0.1.0/24\ngateway: 10.0.1.254")));
    assert_eq!(v["spec"]["subnets"]["default"]["gateway"], "10.0.1.254");
    let v = json(&defaulted(&vpc("subnet: 10.0.1.0/24\nhostBGP: true")));
    assert!(v["spec"]["subnets"]["default"].get("gateway").is_none());
    let v = json(&defaulted(&vpc("subnet: not-a-prefix\nvlan: 1001")));
    assert!(v["spec"]["subnets"]["default"].get("gateway").is_none());
}

#[test]
fn vpc_dhcp_range_defaults_to_network_plus_two_through_last_address() {
    let v = json(&defaulted(&vpc(&dhcp_subnet(""))));
    assert_eq!(
        v["spec"]["subnets"]["default"]["dhcp"]["range"],
        json!({"start": "10.0.1.2", "end": "10.0.1.255"})
    );
    let v = json(&defaulted(&vpc(&dhcp_subnet("range: {start: 10.0.1.10}"))));
    assert_eq!(
        v["spec"]["subnets"]["default"]["dhcp"]["range"],
        json!({"start": "10.0.1.10", "end": "10.0.1.255"})
    );
}

#[test]
fn vpc_without_dhcp_drops_range_and_options() {
    let v = json(&defaulted(&vpc(
        "subnet: 10.0.1.0/24\nvlan: 1001\ndhcp:\n  range: {start: 10.0.1.10}\n  options: {pxeURL: http://x}\n  static:\n    AA:BB:CC:DD:EE:01: {ip: 10.0.1.5}",
    )));
    let dhcp = &v["spec"]["subnets"]["default"]["dhcp"];
    assert!(dhcp.get("range").is_none() && dhcp.get("options").is_none());
    // Static leases are left alone (and validation reports them).
    assert_eq!(
        dhcp["static"],
        json!({"AA:BB:CC:DD:EE:01": {"ip": "10.0.1.5"}})
    );
}

#[test]
fn vpc_long_prefixes_get_only_a_gateway() {
    let v = json(&defaulted(&vpc(
        "subnet: 10.0.1.0/31\nvlan: 1001\ndhcp:\n  enable: true\n  options: {pxeURL: http://x}",
    )));
    let subnet = &v["spec"]["subnets"]["default"];
    assert_eq!(subnet["gateway"], "10.0.1.1");
    assert!(subnet["dhcp"].get("range").is_none());
    assert_eq!(subnet["dhcp"]["options"]["pxeURL"], "http://x");
}

#[test]
fn vpc_dhcp_options_defaults_and_sorting() {
    let v = json(&defaulted(&vpc(&dhcp_subnet(
        "options:\n  dnsServers: [8.8.8.8, 1.1.1.1]\n  timeServers: [10.0.1.9, 10.0.1.10]\n  advertisedRoutes:\n  - {destination: 10.9.0.0/16, gateway: 10.0.1.3}\n  - {destination: 10.8.0.0/16, gateway: 10.0.1.2}\n  - {destination: 10.8.0.0/16, gateway: 10.0.1.1}",
    ))));
    assert_eq!(
        v["spec"]["subnets"]["default"]["dhcp"]["options"],
        json!({
            "dnsServers": ["1.1.1.1", "8.8.8.8"],
            "timeServers": ["10.0.1.10", "10.0.1.9"],
            "interfaceMTU": 9036,
            "leaseTimeSeconds": 3600,
            "advertisedRoutes": [
                {"destination": "10.8.0.0/16", "gateway": "10.0.1.1"},
                {"destination": "10.8.0.0/16", "gateway": "10.0.1.2"},
                {"destination": "10.9.0.0/16", "gateway": "10.0.1.3"}
            ]
        })
    );
    let v = json(&defaulted(&vpc(&dhcp_subnet(
        "options: {interfaceMTU: 1500, leaseTimeSeconds: 60}",
    ))));
    let options = &v["spec"]["subnets"]["default"]["dhcp"]["options"];
    assert_eq!(
        (
            options["interfaceMTU"].as_u64(),
            options["leaseTimeSeconds"].as_u64()
        ),
        (Some(1500), Some(60))
    );
}

#[test]
fn vpc_all_empty_options_are_dropped_and_skip_mac_canonicalisation() {
    let v = json(&defaulted(&vpc(&dhcp_subnet(
        "options: {}\nstatic:\n  AA-BB-CC-DD-EE-01: {ip: 10.0.1.5}",
    ))));
    let dhcp = &v["spec"]["subnets"]["default"]["dhcp"];
    assert!(dhcp.get("options").is_none());
    // Upstream's early `continue` leaves the MAC as written.
    assert_eq!(
        dhcp["static"],
        json!({"AA-BB-CC-DD-EE-01": {"ip": "10.0.1.5"}})
    );
}

#[test]
fn vpc_static_macs_are_rekeyed_to_go_canonical_form() {
    let v = json(&defaulted(&vpc(&dhcp_subnet(
        "static:\n  AA-BB-CC-DD-EE-01: {ip: 10.0.1.5}\n  aabb.ccdd.ee02: {ip: 10.0.1.6}\n  not-a-mac: {ip: 10.0.1.7}",
    ))));
    assert_eq!(
        v["spec"]["subnets"]["default"]["dhcp"]["static"],
        json!({
            "aa:bb:cc:dd:ee:01": {"ip": "10.0.1.5"},
            "aa:bb:cc:dd:ee:02": {"ip": "10.0.1.6"},
            "not-a-mac": {"ip": "10.0.1.7"}
        })
    );
    // Two spellings of one MAC: both leases are kept (validation sees both).
    let v = json(&defaulted(&vpc(&dhcp_subnet(
        "static:\n  AA:BB:CC:DD:EE:01: {ip: 10.0.1.5}\n  aa:bb:cc:dd:ee:01: {ip: 10.0.1.6}",
    ))));
    assert_eq!(
        v["spec"]["subnets"]["default"]["dhcp"]["static"]
            .as_object()
            .map(|m| m.len()),
        Some(2)
    );
}

const ATTACH: &str = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: a1\nspec:\n  connection: server-1--unbundled--leaf-1\n";

#[test]
fn vpc_attachment_subnet_and_labels() {
    let obj = defaulted(&format!("{ATTACH}  subnet: vpc-1\n  nativeVLAN: true"));
    assert_eq!(json(&obj)["spec"]["subnet"], "vpc-1/default");
    assert_eq!(
        labels(&obj),
        json!({
            "fabric.githedgehog.com/vpc": "vpc-1",
            "fabric.githedgehog.com/subnet": "default",
            "fabric.githedgehog.com/connection": "server-1--unbundled--leaf-1",
            "fabric.githedgehog.com/nativevlan": "true"
        })
    );
    let obj = defaulted(&format!("{ATTACH}  subnet: vpc-1/"));
    assert_eq!(json(&obj)["spec"]["subnet"], "vpc-1/");
    assert_eq!(labels(&obj)["fabric.githedgehog.com/subnet"], "default");
    // No VPC part: left for validation, no labels computed.
    let obj = defaulted(&format!("{ATTACH}  subnet: /s1"));
    assert_eq!(json(&obj)["spec"]["subnet"], "/s1");
    assert!(labels(&obj).is_null());
}

const PEERING: &str = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCPeering\nmetadata:\n  name: vpc-2--vpc-1\n  labels: {fabric.githedgehog.com/vpc1: stale}\nspec:\n";

#[test]
fn vpc_peering_labels_with_exactly_two_vpcs() {
    let obj = defaulted(&format!(
        "{PEERING}  permit:\n  - {{vpc-2: {{}}, vpc-1: {{subnets: [default]}}}}"
    ));
    assert_eq!(
        labels(&obj),
        json!({
            "vpc.fabric.githedgehog.com/vpc-1": "true",
            "vpc.fabric.githedgehog.com/vpc-2": "true",
            "fabric.githedgehog.com/vpc1": "vpc-1",
            "fabric.githedgehog.com/vpc2": "vpc-2"
        })
    );
    let obj = defaulted(&format!("{PEERING}  permit:\n  - {{vpc-1: {{}}}}"));
    assert!(
        labels(&obj).is_null(),
        "stale labels are cleaned even without two VPCs"
    );
}

#[test]
fn ipv4_namespace_sorts_subnets() {
    let obj = defaulted(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata:\n  name: default\nspec:\n  subnets: [10.2.0.0/16, 10.10.0.0/16, 10.1.0.0/16]",
    );
    assert_eq!(
        json(&obj)["spec"]["subnets"],
        json!(["10.1.0.0/16", "10.10.0.0/16", "10.2.0.0/16"])
    );
}

#[test]
fn external_namespace_and_label() {
    let obj = defaulted(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: External\nmetadata:\n  name: ext-1\nspec:\n  inboundCommunity: 65102:5000",
    );
    assert_eq!(json(&obj)["spec"]["ipv4Namespace"], "default");
    assert_eq!(
        labels(&obj),
        json!({"fabric.githedgehog.com/ipv4ns": "default"})
    );
}

#[test]
fn external_attachment_labels() {
    let obj = defaulted(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata:\n  name: ea-1\nspec:\n  external: ext-1\n  connection: leaf-1--external\n  switch: {ip: 10.99.0.1/31}\n  neighbor: {asn: 65100, ip: 10.99.0.0}",
    );
    assert_eq!(
        labels(&obj),
        json!({"fabric.githedgehog.com/connection": "leaf-1--external", "fabric.githedgehog.com/external": "ext-1"})
    );
}

#[test]
fn external_peering_labels_and_sorting() {
    let obj = defaulted(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalPeering\nmetadata:\n  name: vpc-1--ext-1\nspec:\n  permit:\n    vpc: {name: vpc-1, subnets: [s2, default]}\n    external: {name: ext-1, prefixes: [{prefix: 10.0.0.0/8}, {prefix: 0.0.0.0/0}]}",
    );
    let v = json(&obj);
    assert_eq!(
        labels(&obj),
        json!({"fabric.githedgehog.com/vpc": "vpc-1", "fabric.githedgehog.com/external": "ext-1"})
    );
    assert_eq!(
        v["spec"]["permit"]["vpc"]["subnets"],
        json!(["default", "s2"])
    );
    assert_eq!(
        v["spec"]["permit"]["external"]["prefixes"],
        json!([{"prefix": "0.0.0.0/0"}, {"prefix": "10.0.0.0/8"}])
    );
}

#[test]
fn defaulting_is_idempotent() {
    let docs = [
        vpc(&dhcp_subnet(
            "options: {dnsServers: [8.8.8.8, 1.1.1.1]}\nstatic:\n  AA-BB-CC-DD-EE-01: {ip: 10.0.1.5}",
        )),
        vpc("subnet: 10.0.1.0/31\nvlan: 1001"),
        vpc(&dhcp_subnet("options: {}")),
        format!("{ATTACH}  subnet: vpc-1"),
        format!("{PEERING}  permit:\n  - {{vpc-2: {{}}, vpc-1: {{}}}}"),
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: External\nmetadata:\n  name: ext-1\nspec: {}".to_owned(),
    ];
    for doc in docs {
        let once = defaulted(&doc);
        let mut twice = once.clone();
        default_object(&mut twice);
        assert_eq!(once, twice, "{doc}");
    }
}
