//! Cross-object validation (rules 40–66) on a small real fabric and mutations of it.

mod fabric_support;

use fabric_support::*;
use serde_json::json;

#[test]
fn base_fabric_is_valid() {
    let objects = fabric_with(|_| {});
    assert_eq!(objects.len(), 26);
    assert!(
        per_object(&objects).is_empty(),
        "{:#?}",
        summary(&per_object(&objects))
    );
    assert!(
        cross(&objects).is_empty(),
        "{:#?}",
        summary(&cross(&objects))
    );
}

const VPC1: &str = "VPC/vpc-01";

#[test]
fn rule40_vpc_namespaces_exist() {
    let d = cross_with(|v| doc(v, "VPC", "vpc-02")["spec"]["ipv4Namespace"] = json!("other"));
    assert_has(
        &d,
        "fabric.vpc.ipv4namespace-not-found",
        "VPC/vpc-02",
        "spec.ipv4Namespace",
        "IPv4Namespace other not found",
    );
    let d = cross_with(|v| doc(v, "VPC", "vpc-02")["spec"]["vlanNamespace"] = json!("other"));
    assert_has(
        &d,
        "fabric.vpc.vlannamespace-not-found",
        "VPC/vpc-02",
        "spec.vlanNamespace",
        "VLANNamespace other not found",
    );
    // Valid: a second namespace pair that exists.
    let d = cross_with(|v| {
        add(
            v,
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {name: other}\nspec: {ranges: [{from: 1000, to: 1999}]}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata: {name: other}\nspec: {subnets: [10.0.0.0/16]}",
        );
        let spec = &mut doc(v, "VPC", "vpc-02")["spec"];
        spec["ipv4Namespace"] = json!("other");
        spec["vlanNamespace"] = json!("other");
    });
    // vpc-02 now peers across namespaces (rule 50) and is attached to a switch lacking "other".
    assert!(
        !summary(&d).iter().any(|s| s.0.starts_with("fabric.vpc.")),
        "{:#?}",
        summary(&d)
    );
}

#[test]
fn rule41_subnet_inside_ipv4namespace() {
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["subnet"] = json!("10.1.2.0/24")
    });
    assert_one(
        &d,
        "fabric.vpc.subnet-outside-ipv4namespace",
        VPC1,
        "spec.subnets.subnet-2.subnet",
        "vpc subnet subnet-2 (10.1.2.0/24) doesn't belong to the IPv4Namespace default",
    );
    assert!(
        cross_with(
            |v| doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["subnet"] =
                json!("10.0.255.0/24")
        )
        .is_empty()
    );
}

#[test]
fn rule42_vlan_inside_vlannamespace() {
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["vlan"] = json!(3500)
    });
    assert_one(
        &d,
        "fabric.vpc.vlan-outside-vlannamespace",
        VPC1,
        "spec.subnets.subnet-2.vlan",
        "vpc subnet subnet-2 (10.0.2.0/24) vlan 3500 doesn't belong to the VLANNamespace default",
    );
    assert!(
        cross_with(
            |v| doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["vlan"] = json!(2999)
        )
        .is_empty()
    );
}

#[test]
fn rule43_relay_vpc_exists() {
    let relay = |vpc: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["dhcp"] =
                json!({"relay": "10.0.3.10/32", "relayVPC": vpc});
        }
    };
    assert_one(
        &cross_with(relay("vpc-09")),
        "fabric.vpc.relay-vpc-not-found",
        VPC1,
        "spec.subnets.subnet-2.dhcp.relayVPC",
        "subnet subnet-2: dhcp relay VPC vpc-09 not found",
    );
    assert!(cross_with(relay("vpc-02")).is_empty());
}

#[test]
fn rule44_subnets_of_vpcs_in_one_namespace_are_disjoint() {
    // 10.0.1.128/25 of vpc-02 lies inside 10.0.1.0/24 of vpc-01: both VPCs are told.
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"]["subnet"] = json!("10.0.1.128/25")
    });
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.vpc.subnet-overlap",
        "VPC/vpc-02",
        "spec.subnets.default.subnet",
        "subnet 10.0.1.128/25 overlaps with subnet 10.0.1.0/24 of VPC vpc-01",
    );
    assert_has(
        &d,
        "fabric.vpc.subnet-overlap",
        VPC1,
        "spec.subnets.default.subnet",
        "subnet 10.0.1.0/24 overlaps with subnet 10.0.1.128/25 of VPC vpc-02",
    );
    // Valid: adjacent subnets, and the same subnet in another IPv4Namespace.
    assert!(
        cross_with(
            |v| doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"]["subnet"] =
                json!("10.0.0.0/24")
        )
        .is_empty()
    );
}

#[test]
fn rule44_sweep_finds_overlaps_hidden_behind_a_long_subnet_of_the_same_vpc() {
    // vpc-01 holds 10.0.0.0/17 (reaching farthest) and the sweep must still pair vpc-02's
    // 10.0.200.0/24 with vpc-03's 10.0.200.128/25, and vpc-01's big subnet with both.
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["subnet"] = json!("10.0.128.0/17");
        doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"]["subnet"] = json!("10.0.200.0/24");
        add(
            v,
            "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: vpc-03}\nspec: {subnets: {default: {subnet: 10.0.200.128/25, vlan: 1005}}}",
        );
    });
    let got: Vec<_> = summary(&d).into_iter().map(|s| (s.1, s.3)).collect();
    for want in [
        (
            "VPC/vpc-02",
            "subnet 10.0.200.0/24 overlaps with subnet 10.0.128.0/17 of VPC vpc-01",
        ),
        (
            "VPC/vpc-01",
            "subnet 10.0.128.0/17 overlaps with subnet 10.0.200.0/24 of VPC vpc-02",
        ),
        (
            "VPC/vpc-03",
            "subnet 10.0.200.128/25 overlaps with subnet 10.0.128.0/17 of VPC vpc-01",
        ),
    ] {
        assert!(
            got.contains(&(want.0.to_owned(), want.1.to_owned())),
            "{want:?} not in {got:#?}"
        );
    }
    assert!(got.iter().all(|(_, m)| m.contains("overlaps")));
}

#[test]
fn rule45_vlan_used_once_per_vlannamespace() {
    let d =
        cross_with(|v| doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"]["vlan"] = json!(1002));
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.vpc.vlan-in-use",
        "VPC/vpc-02",
        "spec.subnets.default.vlan",
        "vlan 1002 is already used by other VPC (VPC vpc-01 subnet subnet-2)",
    );
    assert_has(
        &d,
        "fabric.vpc.vlan-in-use",
        VPC1,
        "spec.subnets.subnet-2.vlan",
        "vlan 1002 is already used by other VPC (VPC vpc-02 subnet default)",
    );
    // Valid: hostBGP subnets of two VPCs share VLAN 0.
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"] =
            json!({"subnet": "10.0.2.0/24", "hostBGP": true});
        doc(v, "VPC", "vpc-02")["spec"]["subnets"]["hbgp"] =
            json!({"subnet": "10.0.4.0/24", "hostBGP": true});
    });
    assert!(d.is_empty(), "{:#?}", summary(&d));
}

const ATT: &str = "VPCAttachment/server-02--vpc-02--default";

#[test]
fn rule46_attachment_targets_exist() {
    let set = |field: &'static str, value: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            doc(v, "VPCAttachment", "server-02--vpc-02--default")["spec"][field] = json!(value)
        }
    };
    assert_one(
        &cross_with(set("subnet", "vpc-09/default")),
        "fabric.vpcattachment.vpc-not-found",
        ATT,
        "spec.subnet",
        "vpc vpc-09 not found",
    );
    assert_one(
        &cross_with(set("subnet", "vpc-02/nope")),
        "fabric.vpcattachment.subnet-not-found",
        ATT,
        "spec.subnet",
        "subnet nope not found in vpc vpc-02",
    );
    assert_one(
        &cross_with(set("connection", "nope")),
        "fabric.vpcattachment.connection-not-found",
        ATT,
        "spec.connection",
        "connection nope not found",
    );
    assert!(cross_with(set("subnet", "vpc-01/subnet-2")).is_empty());
}

#[test]
fn rule47_attachment_connection_kind_and_mode() {
    let d = cross_with(|v| doc(v, "VPC", "vpc-01")["spec"]["mode"] = json!("l3vni"));
    assert_one(
        &d,
        "fabric.vpcattachment.eslag-mode",
        "VPCAttachment/server-01--vpc-01--default",
        "spec.connection",
        "vpc mode l3vni is not supported for ESLAG connections",
    );
    let d = cross_with(|v| {
        doc(v, "VPCAttachment", "server-02--vpc-02--default")["spec"]["connection"] =
            json!("spine-01--fabric--leaf-01")
    });
    assert_one(
        &d,
        "fabric.vpcattachment.connection-type",
        ATT,
        "spec.connection",
        "vpc can be attached only to Unbundled, Bundled or ESLAG connections",
    );
    let hostbgp = |conn: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            doc(v, "VPC", "vpc-02")["spec"]["subnets"]["default"] =
                json!({"subnet": "10.0.3.0/24", "hostBGP": true});
            doc(v, "VPCAttachment", "server-02--vpc-02--default")["spec"]["connection"] =
                json!(conn);
        }
    };
    assert_one(
        &cross_with(hostbgp("server-03--bundled--leaf-02")),
        "fabric.vpcattachment.hostbgp-not-unbundled",
        ATT,
        "spec.connection",
        "only unbundled links can be used to attach to a hostBGP subnet",
    );
    assert!(cross_with(hostbgp("server-02--unbundled--leaf-01")).is_empty());
}

#[test]
fn rule48_attached_switches_can_carry_the_vpc() {
    let d = cross_with(|v| {
        add(
            v,
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {name: other}\nspec: {ranges: [{from: 3000, to: 3099}]}",
        );
        let vpc = &mut doc(v, "VPC", "vpc-02")["spec"];
        vpc["vlanNamespace"] = json!("other");
        vpc["subnets"]["default"]["vlan"] = json!(3001);
    });
    assert_has(
        &d,
        "fabric.vpcattachment.switch-vlannamespace",
        ATT,
        "spec.connection",
        "switch leaf-01 used in connection doesn't have vlan namespace other",
    );
    // leaf-01 on a profile without L2VNI (ds5000) cannot carry an l2vni VPC.
    let d =
        cross_with(|v| doc(v, "Switch", "leaf-01")["spec"]["profile"] = json!("celestica-ds5000"));
    assert_has(
        &d,
        "fabric.vpcattachment.mode-not-supported",
        ATT,
        "spec.connection",
        "vpc mode  is not supported on switch profile celestica-ds5000",
    );
    let d = cross_with(|v| doc(v, "Switch", "leaf-01")["spec"]["profile"] = json!("nope"));
    assert_has(
        &d,
        "fabric.vpcattachment.switch-profile-not-found",
        ATT,
        "spec.connection",
        "switch profile nope used in switch leaf-01 not found",
    );
    let d = cross_with(|v| remove(v, "Switch", "leaf-01"));
    assert_has(
        &d,
        "fabric.vpcattachment.switch-not-found",
        ATT,
        "spec.connection",
        "switch leaf-01 used in connection not found",
    );
    // Valid: l3vni runs on ds5000.
    let d = cross_with(|v| {
        doc(v, "Switch", "leaf-01")["spec"]["profile"] = json!("celestica-ds5000");
        doc(v, "VPC", "vpc-02")["spec"]["mode"] = json!("l3vni");
        remove(v, "VPCAttachment", "server-01--vpc-01--default");
    });
    assert!(
        !summary(&d)
            .iter()
            .any(|s| s.0.starts_with("fabric.vpcattachment")),
        "{:#?}",
        summary(&d)
    );
}

#[test]
fn rule49_one_attachment_per_subnet_and_one_native_vlan_per_connection() {
    let second = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata: {name: again}\nspec: {subnet: vpc-02/default, connection: server-02--unbundled--leaf-01}";
    let d = cross_with(|v| add(v, second));
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.vpcattachment.already-attached",
        "VPCAttachment/again",
        "spec.subnet",
        "connection server-02--unbundled--leaf-01 already attached to vpc subnet vpc-02/default (VPCAttachment server-02--vpc-02--default)",
    );
    let natives = |second_native: bool| {
        move |v: &mut Vec<serde_json::Value>| {
            doc(v, "VPCAttachment", "server-02--vpc-02--default")["spec"]["nativeVLAN"] =
                json!(true);
            add(
                v,
                &format!(
                    "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata: {{name: native}}\nspec: {{subnet: vpc-01/default, connection: server-02--unbundled--leaf-01, nativeVLAN: {second_native}}}"
                ),
            );
        }
    };
    let d = cross_with(natives(true));
    assert_has(
        &d,
        "fabric.vpcattachment.native-vlan-in-use",
        "VPCAttachment/native",
        "spec.nativeVLAN",
        "connection server-02--unbundled--leaf-01 already attached with native VLAN (VPCAttachment server-02--vpc-02--default)",
    );
    assert_eq!(d.len(), 2);
    assert!(cross_with(natives(false)).is_empty());
}

#[test]
fn rule50_peered_vpcs_exist_and_match() {
    let d = cross_with(|v| {
        doc(v, "VPCPeering", "vpc-01--vpc-02")["spec"]["permit"] =
            json!([{"vpc-01": {}, "vpc-09": {}}])
    });
    assert_one(
        &d,
        "fabric.vpcpeering.vpc-not-found",
        "VPCPeering/vpc-01--vpc-02",
        "spec.permit",
        "vpc vpc-09 not found",
    );
    let d = cross_with(|v| {
        doc(v, "VPCPeering", "vpc-01--vpc-02")["spec"]["permit"] =
            json!([{"vpc-01": {"subnets": ["default", "nope"]}, "vpc-02": {}}])
    });
    assert_one(
        &d,
        "fabric.vpcpeering.subnet-not-found",
        "VPCPeering/vpc-01--vpc-02",
        "spec.permit[0].vpc-01.subnets[1]",
        "subnet nope not found in VPC vpc-01",
    );
    let d = cross_with(|v| {
        add(
            v,
            "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata: {name: other}\nspec: {subnets: [10.0.0.0/16]}",
        );
        doc(v, "VPC", "vpc-02")["spec"]["ipv4Namespace"] = json!("other");
    });
    assert_one(
        &d,
        "fabric.vpcpeering.ipv4namespace-mismatch",
        "VPCPeering/vpc-01--vpc-02",
        "spec.permit",
        "VPCs must be in the same IPv4 namespace",
    );
    let d = cross_with(|v| {
        doc(v, "VPCPeering", "vpc-01--vpc-02")["spec"]["permit"] =
            json!([{"vpc-01": {"subnets": ["subnet-2"]}, "vpc-02": {"subnets": ["default"]}}])
    });
    assert!(d.is_empty(), "{:#?}", summary(&d));
}

#[test]
fn rule51_external_namespace_exists() {
    let d = cross_with(|v| {
        doc(v, "External", "ext-01")["spec"]["ipv4Namespace"] = json!("other");
        remove(v, "ExternalPeering", "vpc-01--ext-01");
    });
    assert_one(
        &d,
        "fabric.external.ipv4namespace-not-found",
        "External/ext-01",
        "spec.ipv4Namespace",
        "IPv4Namespace other not found",
    );
}

#[test]
fn rule52_external_peering_targets() {
    let ep = "ExternalPeering/vpc-01--ext-01";
    let d = cross_with(|v| {
        doc(v, "ExternalPeering", "vpc-01--ext-01")["spec"]["permit"]["vpc"]["name"] =
            json!("vpc-09")
    });
    assert_one(
        &d,
        "fabric.externalpeering.vpc-not-found",
        ep,
        "spec.permit.vpc.name",
        "vpc vpc-09 not found",
    );
    let d = cross_with(|v| {
        doc(v, "ExternalPeering", "vpc-01--ext-01")["spec"]["permit"]["external"]["name"] =
            json!("ext-09")
    });
    assert_one(
        &d,
        "fabric.externalpeering.external-not-found",
        ep,
        "spec.permit.external.name",
        "external ext-09 not found",
    );
    let d = cross_with(|v| {
        doc(v, "ExternalPeering", "vpc-01--ext-01")["spec"]["permit"]["vpc"]["subnets"] =
            json!(["default", "nope"])
    });
    assert_one(
        &d,
        "fabric.externalpeering.subnet-not-found",
        ep,
        "spec.permit.vpc.subnets[1]",
        "vpc vpc-01 does not have subnet nope",
    );
    let d = cross_with(|v| {
        add(
            v,
            "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata: {name: other}\nspec: {subnets: [10.1.0.0/16]}",
        );
        doc(v, "External", "ext-01")["spec"]["ipv4Namespace"] = json!("other");
    });
    assert_one(
        &d,
        "fabric.externalpeering.ipv4namespace-mismatch",
        ep,
        "spec.permit",
        "vpc's IPv4 namespace default is different from the external's IPv4 namespace other",
    );
}

#[test]
fn rule53_external_attachment_targets() {
    let ea = "ExternalAttachment/leaf-01--ext-01";
    let d = cross_with(|v| {
        doc(v, "ExternalAttachment", "leaf-01--ext-01")["spec"]["external"] = json!("ext-09")
    });
    assert_one(
        &d,
        "fabric.externalattachment.external-not-found",
        ea,
        "spec.external",
        "external ext-09 not found",
    );
    let d = cross_with(|v| {
        doc(v, "ExternalAttachment", "leaf-01--ext-01")["spec"]["connection"] = json!("nope")
    });
    assert_one(
        &d,
        "fabric.externalattachment.connection-not-found",
        ea,
        "spec.connection",
        "connection nope not found",
    );
    let d = cross_with(|v| {
        doc(v, "ExternalAttachment", "leaf-01--ext-01")["spec"]["connection"] =
            json!("server-02--unbundled--leaf-01")
    });
    assert_one(
        &d,
        "fabric.externalattachment.connection-not-external",
        ea,
        "spec.connection",
        "connection server-02--unbundled--leaf-01 is not external",
    );
    let d = cross_with(|v| {
        let e = &mut doc(v, "External", "ext-01")["spec"];
        *e = json!({"static": {"prefixes": ["0.0.0.0/0"]}});
    });
    assert_one(
        &d,
        "fabric.externalattachment.static-mismatch",
        ea,
        "spec.external",
        "external attachment is not static but external ext-01 is",
    );
}

#[test]
fn rule54_one_external_attachment_per_vlan_and_connection() {
    let other = |vlan: u16| {
        move |v: &mut Vec<serde_json::Value>| {
            add(
                v,
                &format!(
                    "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata: {{name: second}}\nspec: {{external: ext-01, connection: leaf-01--external, switch: {{vlan: {vlan}, ip: 100.1.101.1/24}}, neighbor: {{asn: 64102, ip: 100.1.101.6}}}}"
                ),
            );
        }
    };
    let d = cross_with(other(100));
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.externalattachment.vlan-in-use",
        "ExternalAttachment/second",
        "spec.switch.vlan",
        "connection leaf-01--external already has an external attachment with VLAN 100 (ExternalAttachment leaf-01--ext-01)",
    );
    assert!(cross_with(other(101)).is_empty());
}

const LEAF1: &str = "Switch/leaf-01";

fn vlanns(name: &str, from: u16, to: u16) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {{name: {name}}}\nspec: {{ranges: [{{from: {from}, to: {to}}}]}}"
    )
}

#[test]
fn rule55_switch_vlannamespaces_exist_and_are_disjoint() {
    let d = cross_with(|v| {
        doc(v, "Switch", "leaf-01")["spec"]["vlanNamespaces"] = json!(["default", "other"])
    });
    assert_one(
        &d,
        "fabric.switch.vlannamespace-not-found",
        LEAF1,
        "spec.vlanNamespaces[1]",
        "specified VLANNamespace other does not exist",
    );
    let d = cross_with(|v| {
        add(v, &vlanns("other", 1500, 1600));
        doc(v, "Switch", "leaf-01")["spec"]["vlanNamespaces"] = json!(["default", "other"]);
    });
    assert_one(
        &d,
        "fabric.switch.vlannamespaces-overlap",
        LEAF1,
        "spec.vlanNamespaces",
        "invalid VLANNamespaces: VLAN ranges overlap: 1000-2999 and 1500-1600",
    );
    assert!(
        cross_with(|v| {
            add(v, &vlanns("other", 10, 99));
            doc(v, "Switch", "leaf-01")["spec"]["vlanNamespaces"] = json!(["default", "other"]);
        })
        .is_empty()
    );
}

#[test]
fn rule56_switch_groups_exist() {
    let d =
        cross_with(|v| doc(v, "Switch", "leaf-01")["spec"]["groups"] = json!(["eslag-1", "nope"]));
    assert_one(
        &d,
        "fabric.switch.group-not-found",
        LEAF1,
        "spec.groups[1]",
        "switch group nope does not exist",
    );
    let d = cross_with(|v| doc(v, "Switch", "leaf-01")["spec"]["groups"] = json!(["", "eslag-1"]));
    assert_one(
        &d,
        "fabric.switch.group-empty",
        LEAF1,
        "spec.groups[0]",
        "group name cannot be empty",
    );
}

#[test]
fn rule57_switch_profile_exists() {
    let d = cross_with(|v| doc(v, "Switch", "spine-01")["spec"]["profile"] = json!("nope"));
    assert_has(
        &d,
        "fabric.switch.profile-not-found",
        "Switch/spine-01",
        "spec.profile",
        "switch profile nope does not exist",
    );
    // Every connection of the switch fails rule 62 as well.
    assert_has(
        &d,
        "fabric.connection.switch-profile-not-found",
        "Connection/spine-01--fabric--leaf-01",
        "spec.fabric.links[0].spine.port",
        "switch profile nope not found",
    );
    assert_eq!(d.len(), 3, "{:#?}", summary(&d));
    assert!(
        cross_with(|v| doc(v, "Switch", "spine-01")["spec"]["profile"] = json!("dell-s5248f-on"))
            .is_empty()
    );
}

#[test]
fn rule58_port_speeds_breakouts_autoneg_and_fec() {
    let set = |field: &'static str, value: serde_json::Value| {
        move |v: &mut Vec<serde_json::Value>| {
            let spec = &mut doc(v, "Switch", "spine-01")["spec"];
            spec["profile"] = json!("dell-s5248f-on");
            spec[field] = value;
        }
    };
    let sp = "Switch/spine-01";
    assert!(cross_with(set("portGroupSpeeds", json!({"1": "10G"}))).is_empty());
    assert_one(
        &cross_with(set("portGroupSpeeds", json!({"1": "100G"}))),
        "fabric.switch.port-group-speed",
        sp,
        "spec.portGroupSpeeds.1",
        "port group 1 does not support specified speed 100G",
    );
    assert_one(
        &cross_with(set("portGroupSpeeds", json!({"99": "10G"}))),
        "fabric.switch.port-group-speed",
        sp,
        "spec.portGroupSpeeds.99",
        "port group 99 not found in switch profile",
    );
    assert_one(
        &cross_with(set("portSpeeds", json!({"E1/1": "25G"}))),
        "fabric.switch.port-speed",
        sp,
        "spec.portSpeeds.E1/1",
        "port profile  for port E1/1 not found in switch profile",
    );
    assert_one(
        &cross_with(set("portSpeeds", json!({"E1/49": "25G"}))),
        "fabric.switch.port-speed",
        sp,
        "spec.portSpeeds.E1/49",
        "port profile QSFP28-100G for port E1/49 has no supported speeds",
    );
    assert!(cross_with(set("portBreakouts", json!({"E1/49": "4x25G"}))).is_empty());
    assert_one(
        &cross_with(set("portBreakouts", json!({"E1/49": "3x25G"}))),
        "fabric.switch.port-breakout",
        sp,
        "spec.portBreakouts.E1/49",
        "port E1/49 does not support specified breakout 3x25G",
    );
    assert_one(
        &cross_with(set("portAutoNegs", json!({"E1/1": true}))),
        "fabric.switch.port-autoneg",
        sp,
        "spec.portAutoNegs.E1/1",
        "port E1/1 does not support configuring auto negotiation",
    );
    // FEC: a breakout port in a single-lane mode by its base name; broken out, per sub-port.
    assert!(cross_with(set("portFECs", json!({"E1/49": "rs", "E1/1": "fc"}))).is_empty());
    let d = cross_with(|v| {
        let spec = &mut doc(v, "Switch", "spine-01")["spec"];
        spec["profile"] = json!("dell-s5248f-on");
        spec["portBreakouts"] = json!({"E1/49": "4x25G"});
        spec["portFECs"] = json!({"E1/49": "rs", "E1/49/2": "rs"});
    });
    assert_one(
        &d,
        "fabric.switch.port-fec",
        sp,
        "spec.portFECs.E1/49",
        "port E1/49 does not support configuring FEC (a broken-out port must be configured per sub-port, e.g. E1/53/1)",
    );
}

#[test]
fn rule59_feature_gates() {
    let d = cross_with(|v| {
        let spec = &mut doc(v, "Switch", "spine-01")["spec"];
        spec["profile"] = json!("celestica-ds2000");
        spec["roce"] = json!(true);
    });
    assert_one(
        &d,
        "fabric.switch.roce-not-supported",
        "Switch/spine-01",
        "spec.roce",
        "RoCEv2 is not supported on switch profile celestica-ds2000",
    );
    let d = cross_with(|v| doc(v, "Switch", "spine-01")["spec"]["ecmp"] = json!({"roceQPN": true}));
    assert_one(
        &d,
        "fabric.switch.ecmp-roce-qpn-not-supported",
        "Switch/spine-01",
        "spec.ecmp.roceQPN",
        "ECMP RoCE QPN hashing is not supported on switch profile vs",
    );
    let d = cross_with(|v| {
        doc(v, "Switch", "leaf-01")["spec"]["profile"] = json!("celestica-ds5000");
        remove(v, "VPCAttachment", "server-01--vpc-01--default");
    });
    assert_has(
        &d,
        "fabric.switch.eslag-not-supported",
        LEAF1,
        "spec.redundancy.type",
        "ESLAG is not supported on switch profile celestica-ds5000",
    );
    assert!(cross_with(|v| doc(v, "Switch", "spine-01")["spec"]["roce"] = json!(true)).is_empty());
}

#[test]
fn rule60_port_counts_within_profile_and_pipeline_limits() {
    let on_ds5000 = |breakouts: serde_json::Value| {
        move |v: &mut Vec<serde_json::Value>| {
            let spec = &mut doc(v, "Switch", "spine-01")["spec"];
            spec["profile"] = json!("celestica-ds5000");
            spec["portBreakouts"] = breakouts;
        }
    };
    // Pipelines hold ports (1, 4), (2, 3), (5, 8), …: 8 + 2 lanes each fit 10, but the
    // switch then has 32 × 10 + 2 = 322 ports, over its 320.
    let all: serde_json::Map<String, serde_json::Value> = (1..=64)
        .map(|n| {
            (
                format!("E1/{n}"),
                json!(if matches!(n % 4, 1 | 2) {
                    "8x100G"
                } else {
                    "2x400G"
                }),
            )
        })
        .collect();
    let d = cross_with(on_ds5000(serde_json::Value::Object(all)));
    assert_one(
        &d,
        "fabric.switch.max-ports",
        "Switch/spine-01",
        "spec.portBreakouts",
        "switch celestica-ds5000 has exceeded maximum ports: 322 > 320",
    );
    let d = cross_with(on_ds5000(json!({"E1/1": "8x100G", "E1/4": "4x100G"})));
    assert_one(
        &d,
        "fabric.switch.pipeline-max-ports",
        "Switch/spine-01",
        "spec.portBreakouts",
        "pipeline 1 (ports E1/1, E1/4) has exceeded maximum ports: 12 > 10",
    );
    assert!(cross_with(on_ds5000(json!({"E1/1": "8x100G", "E1/4": "2x400G"}))).is_empty());
}

#[test]
fn rule61_hydration() {
    let sw = |name: &'static str, field: &'static str, value: serde_json::Value| {
        cross_with(move |v| doc(v, "Switch", name)["spec"][field] = value)
    };
    let prefix = "failed hydration validation: ";
    let d = sw("leaf-02", "ip", json!("172.30.0.10/21"));
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.switch.ip-in-use",
        "Switch/leaf-02",
        "spec.ip",
        &format!(
            "{prefix}switch leaf-02 (management) IP 172.30.0.10/21 is already in use (by switch leaf-01)"
        ),
    );
    assert_one(
        &sw("leaf-02", "ip", json!("172.30.0.1/21")),
        "fabric.switch.ip-in-use",
        "Switch/leaf-02",
        "spec.ip",
        &format!("{prefix}switch leaf-02 (management) IP 172.30.0.1/21 is already in use"),
    );
    assert_one(
        &sw("leaf-02", "ip", json!("10.1.1.1/21")),
        "fabric.switch.ip-outside-management",
        "Switch/leaf-02",
        "spec.ip",
        &format!(
            "{prefix}switch leaf-02 management IP 10.1.1.1/21 is not in the management subnet 172.30.0.0/21"
        ),
    );
    assert_one(
        &sw("leaf-02", "ip", json!("172.30.4.5/21")),
        "fabric.switch.ip-in-dhcp-range",
        "Switch/leaf-02",
        "spec.ip",
        &format!(
            "{prefix}switch leaf-02 management IP 172.30.4.5/21 is in the management DHCP range starting at 172.30.4.0"
        ),
    );
    assert_one(
        &sw("leaf-02", "protocolIP", json!("172.30.8.3/31")),
        "fabric.switch.protocol-ip-not-32",
        "Switch/leaf-02",
        "spec.protocolIP",
        &format!("{prefix}switch leaf-02 protocol IP 172.30.8.3/31 must be a /32"),
    );
    assert_one(
        &sw("leaf-02", "protocolIP", json!("172.30.12.9/32")),
        "fabric.switch.protocol-ip-outside-subnet",
        "Switch/leaf-02",
        "spec.protocolIP",
        &format!(
            "{prefix}switch leaf-02 protocol IP 172.30.12.9/32 is not in the protocol subnet 172.30.8.0/22"
        ),
    );
    assert_eq!(sw("leaf-02", "protocolIP", json!("172.30.8.2/32")).len(), 2);
    let d = sw("leaf-02", "asn", json!(65101));
    assert_has(
        &d,
        "fabric.switch.asn-in-use",
        "Switch/leaf-02",
        "spec.asn",
        &format!("{prefix}leaf leaf-02 ASN 65101 is already in use (by switch leaf-01)"),
    );
    assert_one(
        &sw("leaf-02", "asn", json!(65000)),
        "fabric.switch.asn-outside-range",
        "Switch/leaf-02",
        "spec.asn",
        &format!(
            "{prefix}leaf leaf-02 ASN 65000 is not within the fabric leaf ASN range 65101-65533"
        ),
    );
    assert_one(
        &sw("spine-02", "asn", json!(65101)),
        "fabric.switch.spine-asn",
        "Switch/spine-02",
        "spec.asn",
        &format!("{prefix}spine spine-02 ASN 65101 is not the expected spine ASN 65100"),
    );
    assert_one(
        &sw("leaf-02", "vtepIP", json!("172.30.12.1/30")),
        "fabric.switch.vtep-ip-not-32",
        "Switch/leaf-02",
        "spec.vtepIP",
        &format!("{prefix}switch leaf-02 VTEP IP 172.30.12.1/30 must be a /32"),
    );
    assert_one(
        &sw("leaf-02", "vtepIP", json!("172.30.8.9/32")),
        "fabric.switch.vtep-ip-outside-subnet",
        "Switch/leaf-02",
        "spec.vtepIP",
        &format!(
            "{prefix}switch leaf-02 VTEP IP 172.30.8.9/32 is not in the VTEP subnet 172.30.12.0/22"
        ),
    );
    let d = sw("leaf-02", "vtepIP", json!("172.30.12.0/32"));
    assert_has(
        &d,
        "fabric.switch.vtep-ip-in-use",
        "Switch/leaf-02",
        "spec.vtepIP",
        &format!(
            "{prefix}switch leaf-02 VTEP IP 172.30.12.0/32 is already in use (by switch leaf-01)"
        ),
    );
}

const UNB: &str = "Connection/server-02--unbundled--leaf-01";

#[test]
fn rule62_connection_switches_profiles_and_ports() {
    let port = |p: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            doc(v, "Connection", "server-02--unbundled--leaf-01")["spec"]["unbundled"]["link"]["switch"]
                ["port"] = json!(p)
        }
    };
    assert_one(
        &cross_with(port("leaf-01/E1/60")),
        "fabric.connection.port-not-allowed",
        UNB,
        "spec.unbundled.link.switch.port",
        "port leaf-01/E1/60 is not allowed for switch leaf-01",
    );
    let d = cross_with(port("leaf-09/E1/5"));
    assert_has(
        &d,
        "fabric.connection.switch-not-found",
        UNB,
        "spec.unbundled.link.switch.port",
        "switch leaf-09 not found",
    );
    // Breakout sub-ports exist only in the current mode.
    let broken = |mode: &'static str, p: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            let spec = &mut doc(v, "Switch", "leaf-01")["spec"];
            spec["profile"] = json!("dell-s5248f-on");
            spec["portBreakouts"] = json!({"E1/49": mode});
            port(p)(v);
        }
    };
    assert!(cross_with(broken("4x25G", "leaf-01/E1/49/4")).is_empty());
    assert_one(
        &cross_with(broken("2x50G", "leaf-01/E1/49/4")),
        "fabric.connection.port-not-allowed",
        UNB,
        "spec.unbundled.link.switch.port",
        "port leaf-01/E1/49/4 is not allowed for switch leaf-01",
    );
}

/// Switches of one profile share its port queries, but only with the same breakouts: a
/// sub-port that one leaf's breakout makes is not allowed on a leaf without that breakout.
#[test]
fn rule62_port_queries_follow_each_switchs_breakouts() {
    let d = cross_with(|v| {
        for (leaf, mode) in [("leaf-01", "4x25G"), ("leaf-02", "2x50G")] {
            let spec = &mut doc(v, "Switch", leaf)["spec"];
            spec["profile"] = json!("dell-s5248f-on");
            spec["portBreakouts"] = json!({"E1/49": mode});
        }
        doc(v, "Connection", "server-02--unbundled--leaf-01")["spec"]["unbundled"]["link"]["switch"]
            ["port"] = json!("leaf-02/E1/49/4");
    });
    assert_has(
        &d,
        "fabric.connection.port-not-allowed",
        UNB,
        "spec.unbundled.link.switch.port",
        "port leaf-02/E1/49/4 is not allowed for switch leaf-02",
    );
}

#[test]
fn rule63_eslag_switches_share_an_eslag_group() {
    let eslag = "Connection/server-01--eslag--leaf-01--leaf-02";
    let d = cross_with(|v| {
        add(
            v,
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata: {name: eslag-2}\nspec: {}",
        );
        doc(v, "Switch", "leaf-02")["spec"]["redundancy"]["group"] = json!("eslag-2");
    });
    assert_one(
        &d,
        "fabric.connection.eslag-redundancy",
        eslag,
        "spec.eslag",
        "all switches in ESLAG connection should belong to the same redundancy group, found leaf-02 in eslag-1",
    );
    let d = cross_with(|v| {
        for leaf in ["leaf-01", "leaf-02"] {
            doc(v, "Switch", leaf)["spec"]
                .as_object_mut()
                .unwrap()
                .remove("redundancy");
        }
    });
    assert_one(
        &d,
        "fabric.connection.eslag-redundancy",
        eslag,
        "spec.eslag",
        "all switches in ESLAG connection should have redundancy group",
    );
}

#[test]
fn rule64_servers_exist() {
    let d = cross_with(|v| remove(v, "Server", "server-03"));
    assert_one(
        &d,
        "fabric.connection.server-not-found",
        "Connection/server-03--bundled--leaf-02",
        "spec.bundled.links[0].server.port",
        "server server-03 not found",
    );
}

#[test]
fn rule65_ports_are_used_once_with_breakout_aliases() {
    let d = cross_with(|v| {
        doc(v, "Connection", "spine-01--fabric--leaf-01")["spec"]["fabric"]["links"][0]["leaf"]["port"] =
            json!("leaf-01/E1/2")
    });
    assert_eq!(d.len(), 2, "{:#?}", summary(&d));
    assert_has(
        &d,
        "fabric.connection.port-in-use",
        "Connection/spine-01--fabric--leaf-01",
        "spec.fabric.links[0].leaf.port",
        "port leaf-01/E1/2 is already used by other connection server-02--unbundled--leaf-01",
    );
    assert_has(
        &d,
        "fabric.connection.port-in-use",
        UNB,
        "spec.unbundled.link.switch.port",
        "port leaf-01/E1/2 is already used by other connection spine-01--fabric--leaf-01",
    );
    // leaf-01/E1/49 is an alias of leaf-01/E1/49/1 when E1/49 is broken out.
    let alias = |other: &'static str| {
        move |v: &mut Vec<serde_json::Value>| {
            let spec = &mut doc(v, "Switch", "leaf-01")["spec"];
            spec["profile"] = json!("dell-s5248f-on");
            spec["portBreakouts"] = json!({"E1/49": "4x25G"});
            doc(v, "Connection", "server-02--unbundled--leaf-01")["spec"]["unbundled"]["link"]["switch"]
                ["port"] = json!("leaf-01/E1/49");
            doc(v, "Connection", "leaf-01--external")["spec"]["external"]["link"]["switch"]["port"] =
                json!(other);
        }
    };
    let d = cross_with(alias("leaf-01/E1/49/1"));
    assert_has(
        &d,
        "fabric.connection.port-in-use",
        "Connection/leaf-01--external",
        "spec.external.link.switch.port",
        "port leaf-01/E1/49 is already used by other connection server-02--unbundled--leaf-01",
    );
    assert_eq!(d.len(), 2);
    assert!(cross_with(alias("leaf-01/E1/49/2")).is_empty());
}

#[test]
fn rule66_link_ips() {
    let ip = |conn: &'static str, side: &'static str, value: &'static str| {
        cross_with(move |v| {
            doc(v, "Connection", conn)["spec"]["fabric"]["links"][0][side]["ip"] = json!(value)
        })
    };
    let c1 = "spine-01--fabric--leaf-01";
    let k1 = "Connection/spine-01--fabric--leaf-01";
    assert_one(
        &ip(c1, "spine", "172.30.128.0/30"),
        "fabric.connection.link-ip-not-31",
        k1,
        "spec.fabric.links[0].spine.ip",
        "fabric connection spine-01--fabric--leaf-01 link 0 spine IP 172.30.128.0/30 is not a /31",
    );
    assert_one(
        &ip(c1, "spine", "10.1.1.0/31"),
        "fabric.connection.link-ip-outside-fabric",
        k1,
        "spec.fabric.links[0].spine.ip",
        "fabric connection spine-01--fabric--leaf-01 link 0 spine IP 10.1.1.0 is not in the fabric subnet 172.30.128.0/17",
    );
    assert_one(
        &ip(c1, "leaf", "172.30.128.9/31"),
        "fabric.connection.link-ips-not-same-subnet",
        k1,
        "spec.fabric.links[0].leaf.ip",
        "fabric connection spine-01--fabric--leaf-01 link 0 spine IP 172.30.128.0 and leaf IP 172.30.128.9 are not in the same subnet",
    );
    let d = ip("spine-01--fabric--leaf-02", "spine", "172.30.128.0/31");
    assert_has(
        &d,
        "fabric.connection.link-ip-in-use",
        "Connection/spine-01--fabric--leaf-02",
        "spec.fabric.links[0].spine.ip",
        "fabric connection spine-01--fabric--leaf-02 link 0 spine IP 172.30.128.0 is already in use (by connection spine-01--fabric--leaf-01)",
    );
    assert_has(
        &d,
        "fabric.connection.link-ip-in-use",
        k1,
        "spec.fabric.links[0].spine.ip",
        "fabric connection spine-01--fabric--leaf-01 link 0 spine IP 172.30.128.0 is already in use (by connection spine-01--fabric--leaf-02)",
    );
    assert_eq!(d.len(), 2);
}

#[test]
fn several_independent_mistakes_are_all_reported() {
    let d = cross_with(|v| {
        doc(v, "VPC", "vpc-02")["spec"]["ipv4Namespace"] = json!("nope"); // 40
        doc(v, "VPC", "vpc-01")["spec"]["subnets"]["subnet-2"]["vlan"] = json!(3500); // 42
        doc(v, "VPCAttachment", "server-02--vpc-02--default")["spec"]["connection"] = json!("gone"); // 46
        doc(v, "Switch", "spine-02")["spec"]["asn"] = json!(65111); // 61
        doc(v, "Switch", "spine-01")["spec"]["ecmp"] = json!({"roceQPN": true}); // 59
        remove(v, "Server", "server-03"); // 64
        doc(v, "Connection", "leaf-01--external")["spec"]["external"]["link"]["switch"]["port"] =
            json!("leaf-01/E1/2"); // 65
    });
    let codes: std::collections::BTreeSet<&str> = d.iter().map(|d| d.code).collect();
    let want = [
        "fabric.vpc.ipv4namespace-not-found",
        "fabric.vpc.vlan-outside-vlannamespace",
        "fabric.vpcattachment.connection-not-found",
        "fabric.switch.spine-asn",
        "fabric.switch.ecmp-roce-qpn-not-supported",
        "fabric.connection.server-not-found",
        "fabric.connection.port-in-use",
    ];
    for code in want {
        assert!(
            codes.contains(code),
            "{code} missing from {:#?}",
            summary(&d)
        );
    }
    // vpc-02 in another namespace also breaks its peering (rule 50) and the external
    // peering stays fine; nothing else is reported.
    let extra: Vec<_> = codes.iter().filter(|c| !want.contains(c)).collect();
    assert_eq!(
        extra,
        vec![&"fabric.vpcpeering.ipv4namespace-mismatch"],
        "{:#?}",
        summary(&d)
    );
}

#[test]
fn rule66_gateway_and_mesh_links_share_the_fabric_ip_space() {
    let gateway = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: spine-01--gateway--gw-1}\nspec:\n  gateway:\n    links:\n    - switch: {port: spine-01/E1/40, ip: 172.30.128.100/31}\n      gateway: {port: gw-1/enp2s1, ip: GW}";
    let d = cross_with(|v| add(v, &gateway.replace("GW", "172.30.128.3/31")));
    assert_has(
        &d,
        "fabric.connection.link-ip-in-use",
        "Connection/spine-01--gateway--gw-1",
        "spec.gateway.links[0].gateway.ip",
        "gateway connection spine-01--gateway--gw-1 link 0 gateway IP 172.30.128.3 is already in use (by connection spine-01--fabric--leaf-02)",
    );
    assert_has(
        &d,
        "fabric.connection.link-ip-in-use",
        "Connection/spine-01--fabric--leaf-02",
        "spec.fabric.links[0].leaf.ip",
        "fabric connection spine-01--fabric--leaf-02 link 0 leaf IP 172.30.128.3 is already in use (by connection spine-01--gateway--gw-1)",
    );
    assert!(cross_with(|v| add(v, &gateway.replace("GW", "172.30.128.101/31"))).is_empty());
    let mesh = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: leaf-01--mesh--leaf-02}\nspec:\n  mesh:\n    links:\n    - leaf1: {port: leaf-01/E1/30, ip: 172.30.128.200/31}\n      leaf2: {port: leaf-02/E1/30, ip: 172.30.128.202/31}";
    let d = cross_with(|v| add(v, mesh));
    assert_one(
        &d,
        "fabric.connection.link-ips-not-same-subnet",
        "Connection/leaf-01--mesh--leaf-02",
        "spec.mesh.links[0].leaf2.ip",
        "mesh connection leaf-01--mesh--leaf-02 link 0 leaf1 IP 172.30.128.200 and leaf2 IP 172.30.128.202 are not in the same subnet",
    );
}

#[test]
fn rule45_every_vpc_sharing_a_vlan_is_told_of_another() {
    let d = cross_with(|v| {
        for (i, name) in ["vpc-03", "vpc-04"].iter().enumerate() {
            add(
                v,
                &format!(
                    "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {{name: {name}}}\nspec: {{subnets: {{default: {{subnet: 10.0.{}.0/24, vlan: 1003}}}}}}",
                    10 + i
                ),
            );
        }
    });
    let got: Vec<_> = summary(&d).into_iter().map(|s| (s.1, s.3)).collect();
    assert_eq!(
        got,
        vec![
            (
                "VPC/vpc-02".to_owned(),
                "vlan 1003 is already used by other VPC (VPC vpc-03 subnet default)".to_owned()
            ),
            (
                "VPC/vpc-03".to_owned(),
                "vlan 1003 is already used by other VPC (VPC vpc-02 subnet default)".to_owned()
            ),
            (
                "VPC/vpc-04".to_owned(),
                "vlan 1003 is already used by other VPC (VPC vpc-02 subnet default)".to_owned()
            ),
        ]
    );
}

/// Upstream stops at an IPv4Namespace subnet that does not parse before the VPC subnet is
/// found inside an earlier one, and says so on the VPC (found by the differential fuzzer).
/// Defaulting sorts the namespace's subnets, so "1" comes first.
#[test]
fn rule41_unparsable_namespace_subnet_is_named_on_the_vpc() {
    let d = cross_with(|v| {
        doc(v, "IPv4Namespace", "default")["spec"]["subnets"] = json!(["10.0.0.0/16", "1"])
    });
    assert_has(
        &d,
        "fabric.vpc.ipv4namespace-subnet-invalid",
        VPC1,
        "spec.subnets.default.subnet",
        "failed to parse IPv4Namespace default subnet 1: netip.ParsePrefix(\"1\"): no '/'",
    );
    assert!(
        !summary(&d)
            .iter()
            .any(|s| s.0 == "fabric.vpc.subnet-outside-ipv4namespace"),
        "{:#?}",
        summary(&d)
    );
    // A subnet found in a namespace subnet before the bad one ("10…" < "bad") is fine.
    let d = cross_with(|v| {
        doc(v, "IPv4Namespace", "default")["spec"]["subnets"] = json!(["10.0.0.0/16", "bad"])
    });
    assert!(
        !summary(&d).iter().any(|s| s.1.starts_with("VPC/")),
        "{:#?}",
        summary(&d)
    );
}

/// A connection that also sets the deprecated `mclag` has no endpoints upstream, so a VPC
/// cannot be attached to it (found by the differential fuzzer).
#[test]
fn rule47_attachment_to_a_connection_with_mclag_has_no_switch_endpoints() {
    let d = cross_with(|v| {
        doc(v, "Connection", "server-02--unbundled--leaf-01")["spec"]["mclag"] = json!({"links": [
            {"server": {"port": "server-02/enp2s1"}, "switch": {"port": "leaf-01/E1/2"}},
            {"server": {"port": "server-02/enp2s2"}, "switch": {"port": "leaf-02/E1/2"}}]})
    });
    assert_one(
        &d,
        "fabric.vpcattachment.no-switch-endpoints",
        "VPCAttachment/server-02--vpc-02--default",
        "spec.connection",
        "connection server-02--unbundled--leaf-01 has no switch endpoints",
    );
}

/// A VLANNamespace whose ranges are invalid is reported on itself; the switches that list it
/// are not told that its (invalid) ranges overlap (found by the differential fuzzer: upstream
/// empties invalid ranges, so it sees no overlap).
#[test]
fn rule55_invalid_ranges_are_not_checked_for_overlap_on_switches() {
    let d = cross_with(|v| {
        doc(v, "VLANNamespace", "default")["spec"]["ranges"] =
            json!([{"from": 1000, "to": 5000}, {"from": 1000, "to": 5000}])
    });
    assert!(
        !summary(&d).iter().any(|s| s.1.starts_with("Switch/")),
        "{:#?}",
        summary(&d)
    );
}
