//! Validation of VPCAttachment (rules 15–16), VPCPeering (17–18) and IPv4Namespace (19).

mod vpc_support;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::validate::validate_object;
use vpc_support::*;

fn attach(spec: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: a1\nspec:\n{}",
        indent(spec, 2)
    )
}

fn attach_p2p(value: &str) -> String {
    attach("subnet: vpc-1/default\nconnection: c1").replace(
        "name: a1",
        &format!("name: a1\n  annotations:\n    fabric.githedgehog.com/p2p-link: \"{value}\""),
    )
}

#[test]
fn rule15_attachment_subnet_and_connection() {
    assert_valid(&attach("subnet: vpc-1/default\nconnection: c1"));
    assert_valid(&attach("subnet: vpc-1\nconnection: c1"));
    assert_one(
        &attach("connection: c1"),
        "vpc-attachment.subnet.required",
        "spec.subnet",
        "subnet is required",
    );
    assert_one(
        &attach("subnet: /default\nconnection: c1"),
        "vpc-attachment.subnet.vpc-missing",
        "spec.subnet",
        "subnet should be in <vpc>/<subnet> format, vpc is missing",
    );
    assert_one(
        &attach("subnet: vpc-1/default"),
        "vpc-attachment.connection.required",
        "spec.connection",
        "connection is required",
    );
    // Only reachable without defaulting, which appends `/default`.
    let mut obj = load(&attach("subnet: vpc-1\nconnection: c1"));
    if let Some(meta) = obj.meta_mut() {
        meta.namespace = Some("default".into());
    }
    assert_eq!(
        triples(&validate_object(&obj, None)),
        vec![(
            "vpc-attachment.subnet.subnet-missing",
            "spec.subnet".into(),
            "subnet should be in <vpc>/<subnet> format, subnet is missing".into()
        )]
    );
}

#[test]
fn rule16_p2p_link_annotation() {
    assert_valid(&attach_p2p("10.50.0.0/31"));
    let path = r#"metadata.annotations["fabric.githedgehog.com/p2p-link"]"#;
    assert_one(
        &attach_p2p(""),
        "vpc-attachment.p2p-link.empty",
        path,
        "empty p2p link annotation subnet",
    );
    assert_one(
        &attach_p2p("10.50.0.0"),
        "vpc-attachment.p2p-link.invalid",
        path,
        "p2p link annotation subnet should be a valid prefix, got: \"10.50.0.0\": netip.ParsePrefix(\"10.50.0.0\"): no '/'",
    );
    assert_one(
        &attach_p2p("10.50.0.0/30"),
        "vpc-attachment.p2p-link.not-ipv4-31",
        path,
        "p2p link annotation subnet must be a valid IPv4 /31 prefix, got: \"10.50.0.0/30\"",
    );
    assert_one(
        &attach_p2p("fd00::/31"),
        "vpc-attachment.p2p-link.not-ipv4-31",
        path,
        "p2p link annotation subnet must be a valid IPv4 /31 prefix, got: \"fd00::/31\"",
    );
}

fn peering(spec: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCPeering\nmetadata:\n  name: vpc-1--vpc-2\nspec:\n{}",
        indent(spec, 2)
    )
}

#[test]
fn rule17_peering_disabled_and_remote() {
    let ok = peering("permit:\n- {vpc-1: {}, vpc-2: {}}");
    assert_valid(&ok);
    let cfg = FabricConfig {
        vpc_peering_disabled: true,
        ..FabricConfig::default()
    };
    assert_eq!(
        triples(&validate_object(&defaulted(&ok), Some(&cfg))),
        vec![(
            "vpc-peering.disabled",
            String::new(),
            "vpc peering is not allowed".into()
        )]
    );
    assert!(validate_object(&defaulted(&ok), None).is_empty());
    assert_one(
        &peering("remote: border\npermit:\n- {vpc-1: {}, vpc-2: {}}"),
        "vpc-peering.remote.deprecated",
        "spec.remote",
        "remote field is deprecated and no longer supported",
    );
}

#[test]
fn rule18_exactly_two_vpcs() {
    assert_valid(&peering(
        "permit:\n- {vpc-1: {subnets: [default]}, vpc-2: {}}\n- {vpc-2: {subnets: [s2]}, vpc-1: {}}",
    ));
    assert_one(
        &peering("permit:\n- {vpc-1: {}, vpc-2: {}}\n- {vpc-1: {}}"),
        "vpc-peering.permit.not-two-vpcs",
        "spec.permit[1]",
        "each permit policy must have exactly 2 VPCs (idx 1)",
    );
    assert_one(
        &peering("permit:\n- {vpc-1: {}, vpc-2: {}}\n- {vpc-1: {}, vpc-3: {}}"),
        "vpc-peering.vpcs.not-two",
        "spec.permit",
        "VPCPeering must have exactly 2 VPCs",
    );
    assert_one(
        &peering("permit: []"),
        "vpc-peering.vpcs.not-two",
        "spec.permit",
        "VPCPeering must have exactly 2 VPCs",
    );
}

fn ipns(name: &str, subnets: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata:\n  name: {name}\nspec:\n  subnets: {subnets}"
    )
}

#[test]
fn rule19_ipv4_namespace() {
    assert_valid(&ipns("default", "[10.0.0.0/16, 192.168.0.0/16]"));
    assert_one(
        &ipns("namespace-123", "[10.0.0.0/16]"),
        "meta.name-too-long",
        "metadata.name",
        "name namespace-123 is too long, must be <= 11 characters",
    );
    assert_one(
        &ipns("default", "[10.0.0.0/16, 10.1.0.0]"),
        "ipv4-namespace.subnet.invalid",
        "spec.subnets[1]",
        "failed to parse cidr 10.1.0.0: netip.ParsePrefix(\"10.1.0.0\"): no '/'",
    );
    let eleven: Vec<String> = (1..=11).map(|i| format!("10.{i}.0.0/16")).collect();
    assert_one(
        &ipns("default", &format!("[{}]", eleven.join(", "))),
        "ipv4-namespace.subnets.too-many",
        "spec.subnets",
        "too many subnets defined (11), maximum is 10",
    );
    assert_valid(&ipns("default", &format!("[{}]", eleven[..10].join(", "))));
    // Subnets are sorted by defaulting and compared masked.
    assert_one(
        &ipns("default", "[10.0.5.7/24, 10.0.0.0/16]"),
        "ipv4-namespace.subnet.overlap",
        "spec.subnets[1]",
        "subnets overlap: subnets 10.0.0.0/16 and 10.0.5.0/24 overlap",
    );
    assert_one(
        &ipns("default", "[172.30.8.0/24]"),
        "ipv4-namespace.subnet.reserved",
        "spec.subnets[0]",
        "subnets overlap with reserved subnets: subnets 172.30.8.0/24 and 172.30.8.0/22 overlap",
    );
    assert!(validate_object(&defaulted(&ipns("default", "[172.30.8.0/24]")), None).is_empty());
}
