//! FabricConfig: hhfab defaults, loading from YAML/JSON, and upstream `Init()` checks.

use hedgehog_model::config::FabricConfig;
use hedgehog_model::vlan::VlanRange;

fn checks(cfg: &FabricConfig) -> Vec<(&'static str, String, String)> {
    cfg.check()
        .into_iter()
        .map(|d| (d.code, d.path.to_string(), d.message))
        .collect()
}

#[test]
fn defaults_are_hhfab_values_and_pass() {
    let cfg = FabricConfig::default();
    assert_eq!(cfg.fabric_mtu, 9100);
    assert_eq!(cfg.server_facing_mtu_offset, 64);
    assert_eq!(cfg.max_server_facing_mtu(), 9036);
    assert_eq!(cfg.vpc_irb_vlan_range, vec![VlanRange::new(3000, 3899)]);
    assert_eq!(
        cfg.th5_workaround_vlan_range,
        vec![VlanRange::new(3900, 3999)]
    );
    assert_eq!(cfg.vpc_peering_vlan_range, vec![VlanRange::new(100, 3999)]);
    assert_eq!(
        cfg.reserved_subnets,
        [
            "172.30.0.0/21",
            "172.30.128.0/17",
            "172.30.8.0/22",
            "172.30.12.0/22",
            "172.30.96.0/19",
            "172.30.95.0/31",
            "172.30.16.0/22"
        ]
    );
    assert_eq!(
        (
            cfg.spine_asn,
            cfg.leaf_asn_start,
            cfg.leaf_asn_end,
            cfg.gateway_asn
        ),
        (65100, 65101, 65533, 65534)
    );
    assert_eq!(cfg.fabric_mode, "spine-leaf");
    assert!(cfg.check().is_empty());
}

#[test]
fn loads_partial_yaml_keeping_defaults_and_ignoring_unknown_fields() {
    let cfg = FabricConfig::from_yaml(
        "fabricMTU: 9000
serverFacingMTUOffset: 100
vpcIRBVLANRange: [{from: 3100, to: 3199}]
reservedSubnets: [10.250.0.0/16]
users: null
alloyTargets: {prometheus: {}}
gatewayTolerations: [{key: x}]
",
    )
    .unwrap();
    assert_eq!(cfg.fabric_mtu, 9000);
    assert_eq!(cfg.max_server_facing_mtu(), 8900);
    assert_eq!(cfg.vpc_irb_vlan_range, vec![VlanRange::new(3100, 3199)]);
    assert_eq!(
        cfg.reserved_prefixes()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["10.250.0.0/16"]
    );
    assert_eq!(cfg.spine_asn, 65100);
    assert_eq!(
        cfg.th5_workaround_vlan_range,
        vec![VlanRange::new(3900, 3999)]
    );
    assert!(cfg.check().is_empty());
}

#[test]
fn loads_json_and_round_trips() {
    let cfg = FabricConfig::from_yaml(r#"{"fabricMode": "spine-leaf", "gatewayASN": 65000, "gatewayCommunities": {"50": "65000:1"}}"#)
        .unwrap();
    assert_eq!(cfg.gateway_asn, 65000);
    assert_eq!(
        cfg.gateway_communities.get(&50).map(String::as_str),
        Some("65000:1")
    );
    let text = serde_json::to_string(&cfg).unwrap();
    assert!(text.contains("\"vpcIRBVLANRange\"") && text.contains("\"eslagMACBase\""));
    assert_eq!(FabricConfig::from_yaml(&text).unwrap(), cfg);
    assert_eq!(
        FabricConfig::from_yaml("").unwrap(),
        FabricConfig::default()
    );
}

#[test]
fn rejects_badly_typed_fields() {
    let err = FabricConfig::from_yaml("fabricMTU: huge\n").unwrap_err();
    assert!(
        err.to_string().starts_with("invalid fabric config: "),
        "{err}"
    );
    assert!(FabricConfig::from_yaml("fabricMTU: [").is_err());
}

#[test]
fn check_reports_every_init_problem() {
    let cfg = FabricConfig {
        deployment_id: "x".into(),
        control_vip: String::new(),
        vpc_irb_vlan_range: vec![VlanRange::new(10, 5)],
        th5_workaround_vlan_range: vec![],
        fabric_mode: "collapsed-core".into(),
        reserved_subnets: vec!["10.0.0.0".into(), "10.0.0.0/33".into()],
        fabric_mtu: 9300,
        server_facing_mtu_offset: 0,
        leaf_asn_start: 65000,
        leaf_asn_end: 65200,
        management_dhcp_start: "10.0.0.1".into(),
        gateway_communities: [(1, "1:2:3".into()), (2, "70000:1".into())].into(),
        ..FabricConfig::default()
    };
    let s = |x: &str| x.to_owned();
    assert_eq!(
        checks(&cfg),
        vec![
            (
                "config.deployment-id.too-short",
                s("deploymentID"),
                s("config: deploymentID must be >= 3 characters")
            ),
            (
                "config.control-vip.required",
                s("controlVIP"),
                s("config: controlVIP is required")
            ),
            (
                "config.vlan-range.invalid",
                s("vpcIRBVLANRange[0]"),
                s("config: vpcIRBVLANRange is invalid: invalid range 0: from > to")
            ),
            (
                "config.vlan-range.required",
                s("th5WorkaroundVLANRange"),
                s("config: th5WorkaroundVLANRange is required")
            ),
            (
                "config.fabric-mode.invalid",
                s("fabricMode"),
                s("config: fabricMode must be one of [spine-leaf]")
            ),
            (
                "config.reserved-subnets.invalid",
                s("reservedSubnets[0]"),
                s(
                    "config: reservedSubnets: invalid subnet 10.0.0.0: netip.ParsePrefix(\"10.0.0.0\"): no '/'"
                )
            ),
            (
                "config.reserved-subnets.invalid",
                s("reservedSubnets[1]"),
                s(
                    "config: reservedSubnets: invalid subnet 10.0.0.0/33: netip.ParsePrefix(\"10.0.0.0/33\"): prefix length out of range"
                )
            ),
            (
                "config.fabric-mtu.too-large",
                s("fabricMTU"),
                s("config: fabricMTU must be <= 9216")
            ),
            (
                "config.server-facing-mtu-offset.required",
                s("serverFacingMTUOffset"),
                s("config: serverFacingMTUOffset is required")
            ),
            (
                "config.spine-asn.in-leaf-range",
                s("spineASN"),
                s("config: spineASN must not be in the leaf ASN range")
            ),
            (
                "config.management-dhcp-start.invalid",
                s("managementDHCPStart"),
                s("config: managementDHCPStart is not a valid IP in managementSubnet")
            ),
            (
                "config.gateway-communities.invalid",
                s("gatewayCommunities.1"),
                s("config: gatewayCommunity community 1:2:3 format is invalid")
            ),
            (
                "config.gateway-communities.invalid",
                s("gatewayCommunities.2"),
                s(
                    "config: gatewayCommunity community 70000:1 is invalid: strconv.ParseUint: parsing \"70000\": value out of range"
                )
            ),
        ]
    );
}

#[test]
fn check_eslag_and_management_fields() {
    let cfg = FabricConfig {
        eslag_mac_base: "f2:00:00:00:00:00:00:00".into(),
        eslag_esi_prefix: "00:f2".into(),
        management_subnet: "172.30.0.0".into(),
        ..FabricConfig::default()
    };
    let codes: Vec<(&str, String)> = checks(&cfg).into_iter().map(|(c, _, m)| (c, m)).collect();
    assert_eq!(
        codes,
        vec![
            (
                "config.eslag-mac-base.not-48-bit",
                "config: eslagMACBase should be a valid 48 bit MAC address".to_owned()
            ),
            (
                "config.eslag-esi-prefix.invalid",
                "config: eslagESIPrefix should be a valid 12 hex long prefix, e.g. '00:f2:00:00:'"
                    .to_owned()
            ),
            (
                "config.management-subnet.invalid",
                "config: managementSubnet is invalid: invalid CIDR address: 172.30.0.0".to_owned()
            ),
        ]
    );
    let bad_mac = FabricConfig {
        eslag_mac_base: "zz:00:00:00:00:00".into(),
        ..FabricConfig::default()
    };
    assert_eq!(
        checks(&bad_mac)[0].2,
        "config: eslagMACBase should be a valid MAC address"
    );
}

/// Issue 12, defect 13: a deeply nested configuration was parsed in time growing with the
/// square of its depth (100 000 nested `[` took minutes) before being refused.
#[test]
fn deep_nesting_is_refused_quickly() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let text = format!("reservedSubnets: {}", "[".repeat(100_000));
        let _ = tx.send(
            FabricConfig::from_yaml(&text)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    });
    let result = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("refused within 10 s");
    assert!(result.unwrap_err().contains("nested deeper than 64"));
}

/// Found by the fabric_config fuzz target: JSON text was read by the YAML reader, which
/// folds a raw NEL (U+0085) inside a string into a space, so a configuration did not survive
/// its own JSON serialization.
#[test]
fn json_with_line_separators_in_strings_round_trips() {
    let config = FabricConfig {
        reserved_subnets: vec!["a\u{85}b\u{2028}c".into()],
        ..FabricConfig::default()
    };
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(FabricConfig::from_yaml(&json).unwrap(), config);
}
