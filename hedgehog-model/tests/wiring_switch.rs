//! Switch defaulting and validation (rules 28–30).

mod vpc_support;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::{Object, defaults, validate};
use serde_json::json;
use vpc_support::{assert_one, assert_valid, check, defaulted, indent, json as to_json, triples};

/// A hydrated leaf with `spec` (YAML, unindented) replacing the default spec body.
fn switch_with(spec: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n{}",
        indent(spec, 2)
    )
}

const LEAF: &str = "role: server-leaf
profile: vs
asn: 65101
ip: 172.30.0.8/21
protocolIP: 172.30.8.2/32
vtepIP: 172.30.12.1/32
";

fn leaf(extra: &str) -> String {
    switch_with(&format!("{LEAF}{extra}"))
}

#[test]
fn valid_leaf_and_spine() {
    assert_valid(&leaf(""));
    assert_valid(&switch_with(
        "role: spine\nprofile: vs\nasn: 65100\nip: 172.30.0.2/21\nprotocolIP: 172.30.8.1/32\n",
    ));
}

#[test]
fn defaults_speeds_namespaces_groups_flap_and_labels() {
    let obj = defaulted(&leaf(
        "groups: [zeta, alpha]
redundancy: {group: eslag-1, type: eslag}
portSpeeds: {E1/1: SPEED_25G, E1/2: 10G}
portGroupSpeeds: {\"1\": SPEED_10G}
linkFlapErrDisable: {flapThreshold: 5}
",
    ));
    let v = to_json(&obj);
    assert_eq!(v["metadata"]["namespace"], "default");
    assert_eq!(
        v["spec"]["portSpeeds"],
        json!({"E1/1": "25G", "E1/2": "10G"})
    );
    assert_eq!(v["spec"]["portGroupSpeeds"], json!({"1": "10G"}));
    assert_eq!(v["spec"]["vlanNamespaces"], json!(["default"]));
    assert_eq!(v["spec"]["groups"], json!(["alpha", "eslag-1", "zeta"]));
    assert_eq!(
        v["spec"]["linkFlapErrDisable"],
        json!({"flapThreshold": 5, "samplingInterval": 30, "recoveryInterval": 300})
    );
    assert_eq!(
        v["metadata"]["labels"],
        json!({
            "fabric.githedgehog.com/profile": "vs",
            "switchgroup.fabric.githedgehog.com/alpha": "true",
            "switchgroup.fabric.githedgehog.com/eslag-1": "true",
            "switchgroup.fabric.githedgehog.com/zeta": "true",
            "vlanns.fabric.githedgehog.com/default": "true",
        })
    );
}

#[test]
fn defaulting_keeps_link_flap_absent_and_replaces_stale_labels() {
    let yaml = leaf("vlanNamespaces: [b, a]\n").replace(
        "metadata:\n  name: leaf-01\n",
        "metadata:\n  name: leaf-01\n  labels:\n    app: x\n    switchgroup.fabric.githedgehog.com/old: \"true\"\n",
    );
    let v = to_json(&defaulted(&yaml));
    assert!(v["spec"].get("linkFlapErrDisable").is_none());
    assert_eq!(v["spec"]["vlanNamespaces"], json!(["a", "b"]));
    assert_eq!(
        v["metadata"]["labels"],
        json!({
            "app": "x",
            "fabric.githedgehog.com/profile": "vs",
            "vlanns.fabric.githedgehog.com/a": "true",
            "vlanns.fabric.githedgehog.com/b": "true",
        })
    );
}

#[test]
fn defaulting_is_idempotent() {
    let once = defaulted(&leaf(
        "redundancy: {group: g, type: eslag}\nportSpeeds: {E1/1: SPEED_25G}\nlinkFlapErrDisable: {}\n",
    ));
    let mut twice = once.clone();
    defaults::default_object(&mut twice);
    assert_eq!(once, twice);
}

#[test]
fn rule_28_required_fields() {
    let cases = [
        ("asn", "switch.asn.required", "spec.asn", "ASN is required"),
        ("ip", "switch.ip.required", "spec.ip", "IP is required"),
        (
            "protocolIP",
            "switch.protocol-ip.required",
            "spec.protocolIP",
            "protocol IP is required",
        ),
        (
            "profile",
            "switch.profile.required",
            "spec.profile",
            "profile is required",
        ),
        (
            "vtepIP",
            "switch.vtep-ip.required",
            "spec.vtepIP",
            "VTEP IP is required for leaf switches in spine-leaf mode",
        ),
    ];
    for (field, code, path, message) in cases {
        let spec: String = LEAF
            .lines()
            .filter(|l| !l.starts_with(&format!("{field}:")))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_one(&switch_with(&spec), code, path, message);
    }
}

#[test]
fn rule_28_vlan_namespaces_required_without_defaulting() {
    // Defaulting always adds `default`; only an undefaulted switch can lack namespaces.
    let decoded = Object::from_value(serde_yaml_ng::from_str(&leaf("")).unwrap());
    let mut obj = decoded.object;
    if let Object::Switch(sw) = &mut obj {
        sw.metadata.namespace = Some("default".into());
    }
    let diags = validate::validate_object(&obj, Some(&FabricConfig::default()));
    assert_eq!(
        triples(&diags),
        vec![(
            "switch.vlan-namespaces.required",
            "spec.vlanNamespaces".to_owned(),
            "at least one VLAN namespace required".to_owned()
        )]
    );
}

#[test]
fn rule_28_vtep_depends_on_config_and_role() {
    let no_vtep = switch_with(&LEAF.replace("vtepIP: 172.30.12.1/32\n", ""));
    // Without a FabricConfig the spine-leaf rule does not apply.
    let diags = validate::validate_object(&defaulted(&no_vtep), None);
    assert!(diags.is_empty(), "{:?}", triples(&diags));
    assert_one(
        &switch_with(&LEAF.replace("server-leaf", "spine")),
        "switch.vtep-ip.not-allowed",
        "spec.vtepIP",
        "VTEP IP is not allowed for spine switches",
    );
}

#[test]
fn rule_29_redundancy() {
    assert_valid(&leaf("redundancy: {group: eslag-1, type: eslag}\n"));
    assert_one(
        &leaf("redundancy: {group: eslag-1}\n"),
        "switch.redundancy.type-required",
        "spec.redundancy.type",
        "redundancy group specified without type",
    );
    assert_one(
        &leaf("redundancy: {type: eslag}\n"),
        "switch.redundancy.group-required",
        "spec.redundancy.group",
        "redundancy type specified without group",
    );
    assert_one(
        &leaf("redundancy: {group: g, type: vpc}\n"),
        "switch.redundancy.type-invalid",
        "spec.redundancy.type",
        "invalid redundancy type",
    );
}

#[test]
fn rule_30_link_flap_members_required_without_defaulting() {
    let decoded = Object::from_value(
        serde_yaml_ng::from_str(&leaf(
            "linkFlapErrDisable: {samplingInterval: 10}\nvlanNamespaces: [default]\n",
        ))
        .unwrap(),
    );
    let mut obj = decoded.object;
    if let Object::Switch(sw) = &mut obj {
        sw.metadata.namespace = Some("default".into());
    }
    let diags = validate::validate_object(&obj, Some(&FabricConfig::default()));
    assert_eq!(
        triples(&diags),
        vec![
            (
                "switch.link-flap.field-required",
                "spec.linkFlapErrDisable.flapThreshold".to_owned(),
                "link-flap error-disable is enabled but no flap threshold provided".to_owned()
            ),
            (
                "switch.link-flap.field-required",
                "spec.linkFlapErrDisable.recoveryInterval".to_owned(),
                "link-flap error-disable is enabled but no recovery interval provided".to_owned()
            ),
        ]
    );
    // Defaulting fills them in.
    assert_valid(&leaf("linkFlapErrDisable: {samplingInterval: 10}\n"));
}

#[test]
fn reports_every_problem() {
    let yaml = switch_with("role: spine\nvtepIP: 1.2.3.4/32\nredundancy: {group: g}\n")
        .replace("name: leaf-01", "name: Leaf_01");
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "meta.name-invalid",
            "switch.asn.required",
            "switch.ip.required",
            "switch.protocol-ip.required",
            "switch.vtep-ip.not-allowed",
            "switch.profile.required",
            "switch.redundancy.type-required",
        ]
    );
}
