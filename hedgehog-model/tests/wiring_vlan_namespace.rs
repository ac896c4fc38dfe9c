//! VLANNamespace defaulting and validation (rules 37–38).

mod vpc_support;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::vlan::VlanRange;
use hedgehog_model::{defaults, validate};
use serde_json::json;
use vpc_support::{assert_one, assert_valid, check, defaulted, json as to_json, triples};

fn ns(ranges: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: default\nspec:\n  ranges: {ranges}\n"
    )
}

#[test]
fn valid_namespaces() {
    assert_valid(&ns("[{from: 1000, to: 2999}]"));
    assert_valid(&ns(
        "[{from: 100, to: 199}, {from: 200}, {from: 4000, to: 4094}]",
    ));
}

#[test]
fn defaults_normalise_without_merging() {
    let v = to_json(&defaulted(&ns(
        "[{from: 300}, {from: 100, to: 200}, {from: 150, to: 160}]",
    )));
    assert_eq!(
        v["spec"]["ranges"],
        json!([{"from": 100, "to": 200}, {"from": 150, "to": 160}, {"from": 300, "to": 300}])
    );
}

#[test]
fn defaults_keep_invalid_ranges_for_validation() {
    // Upstream empties the ranges here, and the namespace then passes validation.
    let yaml = ns("[{from: 300}, {from: 20, to: 10}]");
    let v = to_json(&defaulted(&yaml));
    assert_eq!(
        v["spec"]["ranges"],
        json!([{"from": 300}, {"from": 20, "to": 10}])
    );
    assert_one(
        &yaml,
        "vlan-namespace.ranges.invalid",
        "spec.ranges[1]",
        "invalid ranges: invalid range 1: from > to",
    );
}

#[test]
fn defaulting_is_idempotent() {
    let once = defaulted(&ns("[{from: 300}, {from: 100, to: 200}]"));
    let mut twice = once.clone();
    defaults::default_object(&mut twice);
    assert_eq!(once, twice);
}

#[test]
fn rule_37_range_bounds() {
    assert_one(
        &ns("[{from: 0, to: 10}]"),
        "vlan-namespace.ranges.invalid",
        "spec.ranges[0]",
        "invalid ranges: invalid range 0: from < 1 || from > 4094",
    );
    assert_one(
        &ns("[{from: 10, to: 20}, {from: 4000, to: 4095}]"),
        "vlan-namespace.ranges.invalid",
        "spec.ranges[1]",
        "invalid ranges: invalid range 1: to < 1 || to > 4094",
    );
}

#[test]
fn rule_37_own_overlaps_allowed_without_config() {
    let obj = defaulted(&ns("[{from: 100, to: 200}, {from: 200, to: 250}]"));
    assert!(validate::validate_object(&obj, None).is_empty());
}

#[test]
fn rule_38_reserved_ranges() {
    assert_one(
        &ns("[{from: 1000, to: 3000}]"),
        "vlan-namespace.ranges.overlap-reserved",
        "spec.ranges",
        "ranges overlap with Fabric reserved VLANs: VLAN ranges overlap: 1000-3000 and 3000-3899",
    );
    assert_one(
        &ns("[{from: 3950}]"),
        "vlan-namespace.ranges.overlap-th5",
        "spec.ranges",
        "ranges overlap with VLANs reserved for the TH5 workaround: VLAN ranges overlap: 3900-3999 and 3950-3950",
    );
    // The vpcPeering (workaround) range 100-3999 is not checked.
    assert_valid(&ns("[{from: 100, to: 199}]"));
}

#[test]
fn rule_38_own_overlaps_rejected_with_config_once() {
    assert_one(
        &ns("[{from: 200, to: 250}, {from: 100, to: 200}]"),
        "vlan-namespace.ranges.overlap-reserved",
        "spec.ranges",
        "ranges overlap with Fabric reserved VLANs: VLAN ranges overlap: 100-200 and 200-250",
    );
}

#[test]
fn rule_38_config_ranges_are_normalised() {
    let cfg = FabricConfig {
        vpc_irb_vlan_range: vec![VlanRange::new(500, 0)],
        th5_workaround_vlan_range: vec![VlanRange::new(3900, 3999)],
        ..FabricConfig::default()
    };
    let diags = validate::validate_object(&defaulted(&ns("[{from: 400, to: 500}]")), Some(&cfg));
    assert_eq!(
        triples(&diags),
        vec![(
            "vlan-namespace.ranges.overlap-reserved",
            "spec.ranges".to_owned(),
            "ranges overlap with Fabric reserved VLANs: VLAN ranges overlap: 400-500 and 500-500"
                .to_owned()
        )]
    );
}

#[test]
fn reports_every_problem() {
    let yaml = ns("[{from: 3000, to: 3950}]").replace("name: default", "name: Bad");
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "meta.name-invalid",
            "vlan-namespace.ranges.overlap-reserved",
            "vlan-namespace.ranges.overlap-th5"
        ]
    );
}
