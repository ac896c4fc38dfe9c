//! Connection defaulting and validation (rules 31–35).

mod vpc_support;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::{defaults, validate};
use serde_json::json;
use vpc_support::{assert_one, assert_valid, check, defaulted, indent, json as to_json, triples};

fn conn(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: {name}\nspec:\n{}",
        indent(spec, 2)
    )
}

const UNBUNDLED: &str = "unbundled:
  link:
    server: {port: server-01/enp2s1}
    switch: {port: leaf-01/E1/1}
";

const BUNDLED: &str = "bundled:
  links:
    - server: {port: server-02/enp2s1}
      switch: {port: leaf-01/E1/2}
    - server: {port: server-02/enp2s2}
      switch: {port: leaf-01/E1/3}
";

const ESLAG: &str = "eslag:
  links:
    - server: {port: server-03/enp2s1}
      switch: {port: leaf-01/E1/4}
    - server: {port: server-03/enp2s2}
      switch: {port: leaf-02/E1/4}
";

const FABRIC: &str = "fabric:
  links:
    - spine: {port: spine-01/E1/1, ip: 172.30.128.0/31}
      leaf: {port: leaf-01/E1/5, ip: 172.30.128.1/31}
    - spine: {port: spine-01/E1/2}
      leaf: {port: leaf-01/E1/6}
";

const STATIC_EXTERNAL: &str = "staticExternal:
  withinVPC: vpc-01
  link:
    switch:
      port: leaf-01/E1/7
      ip: 10.99.0.1/24
      nextHop: 10.99.0.2
      subnets: [10.200.0.0/16, 10.201.0.0/24]
";

#[test]
fn valid_connections_of_every_kind() {
    for spec in [UNBUNDLED, BUNDLED, ESLAG, FABRIC, STATIC_EXTERNAL] {
        assert_valid(&conn("c", spec));
    }
    assert_valid(&conn(
        "c",
        "mesh:\n  links:\n    - leaf1: {port: leaf-01/E1/9}\n      leaf2: {port: leaf-02/E1/9}\n",
    ));
    assert_valid(&conn(
        "c",
        "gateway:\n  links:\n    - switch: {port: spine-01/E1/9}\n      gateway: {port: gw-1/enp2s1}\n",
    ));
    assert_valid(&conn(
        "c",
        "vpcLoopback:\n  links:\n    - switch1: {port: leaf-01/E1/10}\n      switch2: {port: leaf-01/E1/11}\n",
    ));
    assert_valid(&conn(
        "c",
        "external:\n  link:\n    switch: {port: leaf-01/E1/12}\n",
    ));
    assert_valid(&conn(
        "c",
        "staticExternal:\n  link:\n    switch: {port: leaf-01/E1/7, ip: 10.99.0.1/24, nextHop: 10.99.0.2, subnets: [0.0.0.0/0]}\n",
    ));
}

#[test]
fn defaults_labels_of_server_facing_and_fabric_connections() {
    let v = to_json(&defaulted(&conn(
        "server-03--eslag--leaf-01--leaf-02",
        ESLAG,
    )));
    assert_eq!(
        v["metadata"]["labels"],
        json!({
            "fabric.githedgehog.com/connection-type": "eslag",
            "server.fabric.githedgehog.com/server-03": "true",
            "switch.fabric.githedgehog.com/leaf-01": "true",
            "switch.fabric.githedgehog.com/leaf-02": "true",
        })
    );
    let v = to_json(&defaulted(&conn("spine-01--fabric--leaf-01", FABRIC)));
    assert_eq!(
        v["metadata"]["labels"],
        json!({
            "fabric.githedgehog.com/connection-type": "fabric",
            "switch.fabric.githedgehog.com/leaf-01": "true",
            "switch.fabric.githedgehog.com/spine-01": "true",
        })
    );
}

#[test]
fn defaults_vpc_label_of_static_external_and_no_device_labels_when_endpoints_fail() {
    let v = to_json(&defaulted(&conn(
        "leaf-01--static-external",
        STATIC_EXTERNAL,
    )));
    assert_eq!(
        v["metadata"]["labels"],
        json!({
            "fabric.githedgehog.com/connection-type": "static-external",
            "fabric.githedgehog.com/vpc": "vpc-01",
            "switch.fabric.githedgehog.com/leaf-01": "true",
        })
    );
    // A bad port name fails Endpoints(): only the type label is set.
    let v = to_json(&defaulted(&conn(
        "x",
        "external:\n  link:\n    switch: {port: leaf-01}\n",
    )));
    assert_eq!(
        v["metadata"]["labels"],
        json!({"fabric.githedgehog.com/connection-type": "external"})
    );
    // No type at all: upstream labels it `<invalid>`.
    let v = to_json(&defaulted(&conn("x", "{}")));
    assert_eq!(
        v["metadata"]["labels"],
        json!({"fabric.githedgehog.com/connection-type": "<invalid>"})
    );
}

#[test]
fn defaults_no_labels_for_mclag_and_drops_stale_ones() {
    let yaml = conn(
        "m",
        "mclag:\n  links:\n    - server: {port: s/e1}\n      switch: {port: l1/E1/1}\n    - server: {port: s/e2}\n      switch: {port: l2/E1/1}\n",
    )
    .replace("  name: m\n", "  name: m\n  labels:\n    fabric.githedgehog.com/connection-type: mclag\n    team: a\n");
    let v = to_json(&defaulted(&yaml));
    assert_eq!(v["metadata"]["labels"], json!({"team": "a"}));
}

#[test]
fn defaulting_is_idempotent() {
    for spec in [UNBUNDLED, BUNDLED, ESLAG, FABRIC, STATIC_EXTERNAL] {
        let once = defaulted(&conn("c", spec));
        let mut twice = once.clone();
        defaults::default_object(&mut twice);
        assert_eq!(once, twice);
    }
}

#[test]
fn rule_31_mclag_is_a_warning_that_skips_everything_else() {
    let diags = check(&conn("m", "mclagDomain:\n  peerLinks: []\n"));
    assert_eq!(
        triples(&diags),
        vec![(
            "connection.mclag.deprecated",
            "spec.mclagDomain".to_owned(),
            "MCLAG is deprecated and no longer supported".to_owned()
        )]
    );
    assert!(!diags[0].is_error());
}

#[test]
fn rule_32_server_facing_mtu() {
    assert_valid(&conn("c", &format!("{UNBUNDLED}  mtu: 9036\n")));
    assert_one(
        &conn("c", &format!("{UNBUNDLED}  mtu: 9037\n")),
        "connection.mtu.too-large",
        "spec.unbundled.mtu",
        "unbundled connection mtu 9037 is greater than fabric mtu 9100 - server facing mtu offset 64",
    );
    assert_one(
        &conn("c", &format!("{BUNDLED}  mtu: 9100\n")),
        "connection.mtu.too-large",
        "spec.bundled.mtu",
        "bundled connection mtu 9100 is greater than fabric mtu 9100 - server facing mtu offset 64",
    );
    // ESLAG MTUs are not checked, and nothing is checked without a FabricConfig.
    assert_valid(&conn(
        "c",
        &ESLAG.replace("eslag:\n", "eslag:\n  mtu: 9500\n"),
    ));
    let obj = defaulted(&conn("c", &format!("{UNBUNDLED}  mtu: 9500\n")));
    assert!(validate::validate_object(&obj, None).is_empty());
}

#[test]
fn rule_33_no_type() {
    assert_one(
        &conn("c", "{}"),
        "connection.type.none",
        "spec",
        "exactly one connection type must be used",
    );
}

#[test]
fn rule_33_several_types_use_the_first_with_a_warning() {
    let diags = check(&conn("c", &format!("{UNBUNDLED}{FABRIC}")));
    assert_eq!(
        triples(&diags),
        vec![(
            "connection.type.multiple",
            "spec".to_owned(),
            "several connection types are set (unbundled, fabric); only unbundled is used"
                .to_owned()
        )]
    );
    assert!(!diags[0].is_error());
}

#[test]
fn rule_33_endpoint_counts() {
    let cases: [(&str, &str, &str, &str); 8] = [
        (
            "unbundled:\n  link:\n    server: {port: leaf-01/E1/1}\n    switch: {port: leaf-01/E1/1}\n",
            "connection.endpoints.ports-not-unique",
            "spec.unbundled",
            "two unique ports must be used for unbundled connection",
        ),
        (
            "bundled:\n  links:\n    - server: {port: s-1/e1}\n      switch: {port: leaf-01/E1/1}\n    - server: {port: s-1/e2}\n      switch: {port: leaf-02/E1/1}\n",
            "connection.endpoints.switch-count",
            "spec.bundled",
            "one switch must be used for bundled connection",
        ),
        (
            "bundled:\n  links:\n    - server: {port: s-1/e1}\n      switch: {port: leaf-01/E1/1}\n    - server: {port: s-2/e1}\n      switch: {port: leaf-01/E1/2}\n",
            "connection.endpoints.server-count",
            "spec.bundled",
            "one server must be used for bundled connection",
        ),
        (
            "bundled:\n  links:\n    - server: {port: s-1/e1}\n      switch: {port: leaf-01/E1/1}\n    - server: {port: s-1/e1}\n      switch: {port: leaf-01/E1/2}\n",
            "connection.endpoints.ports-not-unique",
            "spec.bundled",
            "unique ports must be used for bundled connection",
        ),
        (
            "eslag:\n  links:\n    - {server: {port: s/1}, switch: {port: l1/E1/1}}\n    - {server: {port: s/2}, switch: {port: l2/E1/1}}\n    - {server: {port: s/3}, switch: {port: l3/E1/1}}\n    - {server: {port: s/4}, switch: {port: l4/E1/1}}\n    - {server: {port: s/5}, switch: {port: l5/E1/1}}\n",
            "connection.endpoints.switch-count",
            "spec.eslag",
            "at most four switches must be used for eslag connection",
        ),
        (
            "fabric:\n  links:\n    - spine: {port: spine-01/E1/1}\n      leaf: {port: spine-01/E1/2}\n",
            "connection.endpoints.switch-count",
            "spec.fabric",
            "two switches must be used for fabric connection",
        ),
        (
            "gateway:\n  links:\n    - switch: {port: spine-01/E1/1}\n      gateway: {port: gw/e1}\n    - switch: {port: spine-02/E1/1}\n      gateway: {port: gw/e2}\n",
            "connection.endpoints.switch-count",
            "spec.gateway",
            "one switches must be used for gateway connection",
        ),
        (
            "vpcLoopback:\n  links:\n    - switch1: {port: leaf-01/E1/1}\n      switch2: {port: leaf-01/E1/1}\n",
            "connection.endpoints.ports-not-unique",
            "spec.vpcLoopback",
            "unique ports must be used for vpc-loopback connection",
        ),
    ];
    for (spec, code, path, message) in cases {
        assert_one(&conn("c", spec), code, path, message);
    }
    let diags = check(&conn("c", "eslag: {}\n"));
    assert_eq!(
        triples(&diags),
        vec![
            (
                "connection.endpoints.switch-count",
                "spec.eslag".to_owned(),
                "at least one switch must be used for eslag connection".to_owned()
            ),
            (
                "connection.endpoints.server-count",
                "spec.eslag".to_owned(),
                "one server must be used for eslag connection".to_owned()
            ),
        ]
    );
}

#[test]
fn rule_33_port_names() {
    assert_one(
        &conn("c", "external:\n  link:\n    switch: {port: leaf-01}\n"),
        "connection.port.invalid-name",
        "spec.external.link.switch.port",
        "invalid port name leaf-01",
    );
    assert_one(
        &conn("c", "external:\n  link:\n    switch: {port: leaf-01/}\n"),
        "connection.port.invalid-format",
        "spec.external.link.switch.port",
        "invalid port name leaf-01/, should be \"<device>/<port>\" format",
    );
    let diags = check(&conn("c", &BUNDLED.replace("server-02/", "/")));
    assert_eq!(
        triples(&diags),
        vec![
            (
                "connection.port.invalid-format",
                "spec.bundled.links[0].server.port".to_owned(),
                "invalid port name /enp2s1, should be \"<device>/<port>\" format".to_owned()
            ),
            (
                "connection.port.invalid-format",
                "spec.bundled.links[1].server.port".to_owned(),
                "invalid port name /enp2s2, should be \"<device>/<port>\" format".to_owned()
            ),
        ]
    );
}

#[test]
fn rule_34_static_external() {
    let se = |ip: &str, next_hop: &str, subnets: &str| {
        conn(
            "c",
            &format!(
                "staticExternal:\n  link:\n    switch: {{port: leaf-01/E1/7, ip: \"{ip}\", nextHop: \"{next_hop}\", subnets: {subnets}}}\n"
            ),
        )
    };
    let at = |f: &str| format!("spec.staticExternal.link.switch.{f}");
    assert_one(
        &se("10.99.0.1", "10.99.0.2", "[]"),
        "connection.static-external.ip-invalid",
        &at("ip"),
        "failed to parse cidr 10.99.0.1: invalid CIDR address: 10.99.0.1",
    );
    assert_one(
        &se("10.99.0.1/24", "10.99.0.x", "[]"),
        "connection.static-external.next-hop-invalid",
        &at("nextHop"),
        "failed to parse next hop 10.99.0.x",
    );
    assert_one(
        &se("10.99.0.1/24", "10.98.0.2", "[]"),
        "connection.static-external.next-hop-outside",
        &at("nextHop"),
        "next hop 10.98.0.2 is not in cidr 10.99.0.0/24",
    );
    assert_one(
        &se("10.99.0.1/24", "10.99.0.2", "[10.1.0.0]"),
        "connection.static-external.subnet-invalid",
        &at("subnets[0]"),
        "failed to parse cidr 10.1.0.0: netip.ParsePrefix(\"10.1.0.0\"): no '/'",
    );
    assert_one(
        &se("10.99.0.1/24", "10.99.0.2", "[10.1.0.0/16, 0.0.0.0/0]"),
        "connection.static-external.default-route-not-alone",
        &at("subnets[1]"),
        "default route should be the only subnet",
    );
    assert_one(
        &se("10.99.0.1/24", "10.99.0.2", "[10.1.0.1/16]"),
        "connection.static-external.subnet-not-canonical",
        &at("subnets[0]"),
        "invalid subnet 10.1.0.1/16: inconsistent IP address and mask",
    );
    assert_one(
        &se(
            "10.99.0.1/24",
            "10.99.0.2",
            "[10.1.0.0/16, 10.2.0.0/16, 10.1.2.0/24]",
        ),
        "connection.static-external.subnets-overlap",
        &at("subnets"),
        "subnets overlap: subnets 10.1.0.0/16 and 10.1.2.0/24 overlap",
    );
    assert_one(
        &se("10.99.0.1/24", "10.99.0.2", "[10.1.0.0/16, 172.30.0.0/16]"),
        "connection.static-external.subnets-reserved",
        &at("subnets"),
        "subnets overlap with reserved subnets: subnets 172.30.0.0/16 and 172.30.0.0/21 overlap",
    );
}

#[test]
fn rule_35_fabric_mode() {
    let cfg = FabricConfig {
        fabric_mode: "collapsed-core".into(),
        ..FabricConfig::default()
    };
    let diags = validate::validate_object(&defaulted(&conn("c", ESLAG)), Some(&cfg));
    assert_eq!(
        triples(&diags),
        vec![(
            "connection.fabric-mode.not-allowed",
            "spec.eslag".to_owned(),
            "eslag connection is not allowed in current fabric configuration".to_owned()
        )]
    );
    let gw = conn(
        "c",
        "gateway:\n  links:\n    - switch: {port: spine-01/E1/9}\n      gateway: {port: gw-1/enp2s1}\n",
    );
    let diags = validate::validate_object(&defaulted(&gw), Some(&cfg));
    assert_eq!(
        diags[0].message,
        "gateway connection is not allowed in current fabric configuration"
    );
    assert!(validate::validate_object(&defaulted(&conn("c", BUNDLED)), Some(&cfg)).is_empty());
}

#[test]
fn reports_every_problem() {
    let yaml = conn(
        "Bad",
        "staticExternal:\n  link:\n    switch: {port: leaf-01, ip: 10.99.0.1, nextHop: x, subnets: [10.1.0.1/16, 0.0.0.0/0]}\n",
    );
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "meta.name-invalid",
            "connection.port.invalid-name",
            "connection.static-external.ip-invalid",
            "connection.static-external.next-hop-invalid",
            "connection.static-external.subnet-not-canonical",
            "connection.static-external.default-route-not-alone",
        ]
    );
}
