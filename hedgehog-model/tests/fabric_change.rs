//! Change-safety rules (67–72): what the admission webhooks refuse between two fabrics.

mod fabric_support;

use fabric_support::*;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::fabric::validate_change;
use hedgehog_model::{Diagnostic, Object};
use serde_json::{Value, json};

/// The diagnostics of changing the base fabric by `edit`.
fn change(edit: impl FnOnce(&mut Vec<Value>)) -> Vec<Diagnostic> {
    change_with(&FabricConfig::default(), |_| {}, edit)
}

/// The diagnostics of changing the base fabric, first edited by `start`, by `edit`.
fn change_with(
    cfg: &FabricConfig,
    start: impl Fn(&mut Vec<Value>),
    edit: impl FnOnce(&mut Vec<Value>),
) -> Vec<Diagnostic> {
    let before: Vec<Object> = fabric_with(&start);
    let after = fabric_with(|v| {
        start(v);
        edit(v);
    });
    validate_change(&before, &after, cfg, &catalog())
}

const STATIC_EXT: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: leaf-02--static-external}\nspec:\n  staticExternal:\n    withinVPC: vpc-01\n    link:\n      switch: {port: leaf-02/E1/20, ip: 172.31.0.1/24, nextHop: 172.31.0.2, subnets: [10.99.0.0/16]}";

fn with_static_external(v: &mut Vec<Value>) {
    add(v, STATIC_EXT);
}

#[test]
fn unchanged_fabric_is_safe() {
    assert!(change(|_| {}).is_empty());
}

#[test]
fn rule67_connection_create_update_delete() {
    let d = change(|v| {
        with_static_external(v);
        doc(v, "Connection", "leaf-02--static-external")["spec"]["staticExternal"]["withinVPC"] =
            json!("vpc-09");
    });
    assert_one(
        &d,
        "fabric.change.connection-within-vpc-not-found",
        "Connection/leaf-02--static-external",
        "spec.staticExternal.withinVPC",
        "vpc vpc-09 not found",
    );
    assert!(change(with_static_external).is_empty());

    let d = change_with(&FabricConfig::default(), with_static_external, |v| {
        doc(v, "Connection", "leaf-02--static-external")["spec"]["staticExternal"]["withinVPC"] =
            json!("vpc-02");
    });
    assert_one(
        &d,
        "fabric.change.connection-within-vpc-immutable",
        "Connection/leaf-02--static-external",
        "spec.staticExternal.withinVPC",
        "StaticExternal.WithinVPC is immutable",
    );

    let d = change(|v| {
        doc(v, "Connection", "leaf-01--external")["spec"] = json!({"staticExternal": {"link": {"switch": {"port": "leaf-01/E1/20", "ip": "172.31.0.1/24", "nextHop": "172.31.0.2", "subnets": ["10.99.0.0/16"]}}}});
    });
    assert_one(
        &d,
        "fabric.change.connection-type-immutable",
        "Connection/leaf-01--external",
        "spec",
        "connection type is immutable",
    );
    assert!(change(|v| doc(v, "Connection", "leaf-01--external")["spec"]["external"]["link"]["switch"]["port"] = json!("leaf-01/E1/21")).is_empty());

    let d = change(|v| remove(v, "Connection", "server-02--unbundled--leaf-01"));
    assert_one(
        &d,
        "fabric.change.connection-has-attachments",
        "Connection/server-02--unbundled--leaf-01",
        "",
        "connection has attachments (VPCAttachment server-02--vpc-02--default)",
    );
    let d = change(|v| remove(v, "Connection", "leaf-01--external"));
    assert_one(
        &d,
        "fabric.change.connection-has-external-attachments",
        "Connection/leaf-01--external",
        "",
        "connection has external attachments (ExternalAttachment leaf-01--ext-01)",
    );
    assert!(
        change(|v| {
            remove(v, "Connection", "server-02--unbundled--leaf-01");
            remove(v, "VPCAttachment", "server-02--vpc-02--default");
        })
        .is_empty()
    );
}

#[test]
fn rule68_switch_and_server_changes() {
    let on_dell = |roce: bool| {
        move |v: &mut Vec<Value>| {
            let spec = &mut doc(v, "Switch", "spine-01")["spec"];
            spec["profile"] = json!("dell-s5248f-on");
            spec["roce"] = json!(roce);
        }
    };
    let breakout = |v: &mut Vec<Value>| {
        doc(v, "Switch", "spine-01")["spec"]["portBreakouts"] = json!({"E1/49": "4x25G"})
    };
    let d = change_with(&FabricConfig::default(), on_dell(true), breakout);
    assert_one(
        &d,
        "fabric.change.switch-breakouts-with-roce",
        "Switch/spine-01",
        "spec.portBreakouts",
        "port breakouts cannot be changed when RoCEv2 is enabled",
    );
    assert!(change_with(&FabricConfig::default(), on_dell(false), breakout).is_empty());

    let d = change(|v| remove(v, "Switch", "spine-02"));
    assert_one(
        &d,
        "fabric.change.switch-has-connections",
        "Switch/spine-02",
        "",
        "switch has connections (Connection spine-02--fabric--leaf-01)",
    );
    assert!(
        change(|v| {
            remove(v, "Switch", "spine-02");
            remove(v, "Connection", "spine-02--fabric--leaf-01");
            remove(v, "Connection", "spine-02--fabric--leaf-02");
        })
        .is_empty()
    );
    let d = change(|v| remove(v, "Server", "server-03"));
    assert_one(
        &d,
        "fabric.change.server-has-connections",
        "Server/server-03",
        "",
        "server has connections (Connection server-03--bundled--leaf-02)",
    );
}

#[test]
fn rule69_vlannamespace_update_and_delete() {
    let d = change(|v| {
        doc(v, "VLANNamespace", "default")["spec"]["ranges"] = json!([{"from": 1000, "to": 1001}])
    });
    assert_eq!(summary(&d).len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.change.vlannamespace-vpc-outside",
        "VLANNamespace/default",
        "spec.ranges",
        "existing vpc vpc-01 subnet subnet-2 (vlan 1002) doesn't fit updated VLAN namespace",
    );
    assert_has(
        &d,
        "fabric.change.vlannamespace-vpc-outside",
        "VLANNamespace/default",
        "spec.ranges",
        "existing vpc vpc-02 subnet default (vlan 1003) doesn't fit updated VLAN namespace",
    );
    // hostBGP subnets (VLAN 0) never make a namespace update unsafe (upstream refuses them).
    let hostbgp = |v: &mut Vec<Value>| {
        doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"] =
            json!({"subnet": "10.0.3.0/24", "hostBGP": true})
    };
    assert!(
        change_with(&FabricConfig::default(), hostbgp, |v| doc(
            v,
            "VLANNamespace",
            "default"
        )["spec"]["ranges"] =
            json!([{"from": 1001, "to": 1002}]))
        .is_empty()
    );

    let d = change(|v| remove(v, "VLANNamespace", "default"));
    assert_eq!(summary(&d).len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.change.vlannamespace-has-switches",
        "VLANNamespace/default",
        "",
        "VLANNamespace has switches (Switch leaf-01)",
    );
    assert_has(
        &d,
        "fabric.change.vlannamespace-has-vpcs",
        "VLANNamespace/default",
        "",
        "VLANNamespace has VPCs (VPC vpc-01)",
    );
}

#[test]
fn rule70_ipv4namespace_update_and_delete() {
    let d =
        change(|v| doc(v, "IPv4Namespace", "default")["spec"]["subnets"] = json!(["10.0.0.0/23"]));
    assert_eq!(summary(&d).len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.change.ipv4namespace-vpc-outside",
        "IPv4Namespace/default",
        "spec.subnets",
        "existing vpc vpc-01 subnet subnet-2 (cidr 10.0.2.0/24) doesn't fit updated IPv4 namespace",
    );
    assert!(
        change(|v| doc(v, "IPv4Namespace", "default")["spec"]["subnets"] = json!(["10.0.0.0/22"]))
            .is_empty()
    );
    let d = change(|v| remove(v, "IPv4Namespace", "default"));
    assert_has(
        &d,
        "fabric.change.ipv4namespace-has-vpcs",
        "IPv4Namespace/default",
        "",
        "IPv4Namespace has VPCs (VPC vpc-01)",
    );
    assert_has(
        &d,
        "fabric.change.ipv4namespace-has-externals",
        "IPv4Namespace/default",
        "",
        "IPv4Namespace has externals (External ext-01)",
    );
}

#[test]
fn rule71_vpc_and_external_deletes() {
    let d = change_with(&FabricConfig::default(), with_static_external, |v| {
        remove(v, "VPC", "vpc-01")
    });
    let vpc = "VPC/vpc-01";
    assert_eq!(summary(&d).len(), 4, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.change.vpc-has-attachments",
        vpc,
        "",
        "VPC has attachments (VPCAttachment server-01--vpc-01--default)",
    );
    assert_has(
        &d,
        "fabric.change.vpc-has-peerings",
        vpc,
        "",
        "VPC has peerings (VPCPeering vpc-01--vpc-02)",
    );
    assert_has(
        &d,
        "fabric.change.vpc-has-external-peerings",
        vpc,
        "",
        "VPC has external peerings (ExternalPeering vpc-01--ext-01)",
    );
    assert_has(
        &d,
        "fabric.change.vpc-has-static-externals",
        vpc,
        "",
        "VPC has static external connections (using withingVPC option) (Connection leaf-02--static-external)",
    );
    assert!(
        change(|v| {
            remove(v, "VPC", "vpc-02");
            remove(v, "VPCAttachment", "server-02--vpc-02--default");
            remove(v, "VPCPeering", "vpc-01--vpc-02");
        })
        .is_empty()
    );
    let d = change(|v| remove(v, "External", "ext-01"));
    assert_eq!(summary(&d).len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.change.external-has-attachments",
        "External/ext-01",
        "",
        "external has attachments (ExternalAttachment leaf-01--ext-01)",
    );
    assert_has(
        &d,
        "fabric.change.external-has-peerings",
        "External/ext-01",
        "",
        "external has peerings (ExternalPeering vpc-01--ext-01)",
    );
}

const VS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchProfile\nmetadata: {name: NAME}\nspec:\n  displayName: DISPLAY\n  switchSilicon: vs\n  nosType: sonic-bcm-vs\n  platform: x86_64-kvm_x86_64-r0\n  features: {l2vni: true, l3vni: true}\n  ports:\n    M1: {nos: Management0, management: true, oniePortName: eth0}\n    E1/1: {nos: Ethernet0, label: '1', profile: SFP28-25G}\n  portProfiles:\n    SFP28-25G: {speed: {default: 25G, supported: [10G, 25G]}}";

fn profile(name: &str, display: &str) -> String {
    VS.replace("NAME", name).replace("DISPLAY", display)
}

#[test]
fn rule72_switch_profiles() {
    let d = change(|v| add(v, &profile("my-vs", "Mine")));
    assert_one(
        &d,
        "fabric.change.switchprofile-only-default",
        "SwitchProfile/my-vs",
        "",
        "only default switch profiles are allowed",
    );
    let allow = FabricConfig {
        allow_extra_switch_profiles: true,
        ..FabricConfig::default()
    };
    assert!(change_with(&allow, |_| {}, |v| add(v, &profile("my-vs", "Mine"))).is_empty());
    let d = change(|v| add(v, &profile("vs", "Virtual Switch")));
    assert_one(
        &d,
        "fabric.change.switchprofile-default-immutable",
        "SwitchProfile/vs",
        "spec",
        "default switch profiles are immutable",
    );

    // The built-in vs, as stored in a repository, may stay, but not change or go.
    let builtin_vs = serde_yaml_ng::to_string(catalog().get("vs").unwrap()).unwrap();
    let keep = |v: &mut Vec<Value>| add(v, &builtin_vs);
    assert!(change_with(&FabricConfig::default(), keep, |_| {}).is_empty());
    let d = change_with(&FabricConfig::default(), keep, |v| {
        doc(v, "SwitchProfile", "vs")["spec"]["displayName"] = json!("Other")
    });
    assert_one(
        &d,
        "fabric.change.switchprofile-default-immutable",
        "SwitchProfile/vs",
        "spec",
        "default switch profiles are immutable",
    );
    let d = change_with(&FabricConfig::default(), keep, |v| {
        remove(v, "SwitchProfile", "vs")
    });
    assert_one(
        &d,
        "fabric.change.switchprofile-default-immutable",
        "SwitchProfile/vs",
        "",
        "default switch profiles are immutable",
    );
}
