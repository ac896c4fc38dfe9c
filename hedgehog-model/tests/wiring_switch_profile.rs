//! SwitchProfile defaulting (ports annotation) and validation (rule 36), on the real built-in
//! profiles and on small custom ones.

mod vpc_support;

use std::path::Path;

use hedgehog_model::defaults;
use vpc_support::{assert_one, assert_valid, check, defaulted, indent, json as to_json, triples};

const PROFILES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/profiles");

fn builtin(name: &str) -> String {
    std::fs::read_to_string(Path::new(PROFILES).join(format!("{name}.yaml"))).unwrap()
}

fn ports_annotation(yaml: &str) -> serde_json::Value {
    to_json(&defaulted(yaml))["metadata"]["annotations"]["fabric.githedgehog.com/ports"].clone()
}

/// A small custom profile: M1, two grouped 25G ports, one breakout port on a pipeline.
const BASE: &str = "displayName: Custom
switchSilicon: X
nosType: sonic-bcm-base
platform: x86_64-custom
ports:
  M1: {nos: Management0, management: true, oniePortName: eth0}
  E1/1: {nos: Ethernet0, label: '1', group: '1'}
  E1/2: {nos: Ethernet1, label: '2', group: '1'}
  E1/3: {nos: '1/3', baseNOSName: Ethernet4, label: '3', profile: QSFP28-100G, pipeline: p0}
portGroups:
  '1': {nos: '1', profile: SFP28-25G}
portProfiles:
  SFP28-25G:
    speed: {default: 25G, supported: [10G, 25G]}
  QSFP28-100G:
    breakout:
      default: 1x100G
      supported:
        1x100G: {offsets: ['0']}
        4x25G: {offsets: ['0', '1', '2', '3']}
pipelines:
  p0: {maxPorts: 4}
";

fn profile(spec: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchProfile\nmetadata:\n  name: custom\nspec:\n{}",
        indent(spec, 2)
    )
}

#[test]
fn every_builtin_profile_is_valid() {
    let mut count = 0;
    for entry in std::fs::read_dir(PROFILES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let diags = check(&text);
            assert!(
                diags.is_empty(),
                "{}: {:#?}",
                path.display(),
                triples(&diags)
            );
            count += 1;
        }
    }
    assert!(count >= 20, "only {count} profiles found");
}

#[test]
fn defaults_ports_annotation_like_upstream() {
    assert_eq!(
        ports_annotation(&builtin("dell-s5248f-on")),
        "48xSFP28-25G, 8xQSFP28-100G"
    );
    assert_eq!(ports_annotation(&builtin("vs")), "48xSFP28-25G");
    assert_eq!(
        ports_annotation(&builtin("celestica-ds5000")),
        "64xOSFP-800G, 2xSFP28-25G"
    );
    // Equal counts are ordered by profile name; grouped ports count under the group's profile.
    assert_eq!(
        ports_annotation(&profile(BASE)),
        "2xSFP28-25G, 1xQSFP28-100G"
    );
}

#[test]
fn defaults_keep_annotation_when_summary_fails_and_are_idempotent() {
    let broken = profile(&BASE.replace("group: '1'}", "group: '9'}")).replace(
        "  name: custom\n",
        "  name: custom\n  annotations:\n    fabric.githedgehog.com/ports: old\n",
    );
    assert_eq!(ports_annotation(&broken), "old");
    let once = defaulted(&profile(BASE));
    let mut twice = once.clone();
    defaults::default_object(&mut twice);
    assert_eq!(once, twice);
}

#[test]
fn rule_36_custom_profile_is_valid() {
    assert_valid(&profile(BASE));
}

#[test]
fn rule_36_top_level_fields() {
    let cases = [
        (
            "displayName: Custom\n",
            "",
            "switch-profile.display-name.required",
            "spec.displayName",
            "displayName is required",
        ),
        (
            "switchSilicon: X\n",
            "",
            "switch-profile.switch-silicon.required",
            "spec.switchSilicon",
            "switchSilicon is required",
        ),
        (
            "nosType: sonic-bcm-base\n",
            "",
            "switch-profile.nos-type.required",
            "spec.nosType",
            "nosType is required",
        ),
        (
            "nosType: sonic-bcm-base\n",
            "nosType: sonic-xyz\n",
            "switch-profile.nos-type.invalid",
            "spec.nosType",
            "nosType \"sonic-xyz\" is invalid",
        ),
        (
            "platform: x86_64-custom\n",
            "",
            "switch-profile.platform.required",
            "spec.platform",
            "platform is required",
        ),
        (
            "platform: x86_64-custom\n",
            "platform: x86_64-custom\notherNames: [a, b, c, d, e, f]\n",
            "switch-profile.other-names.too-many",
            "spec.otherNames",
            "otherNames must not exceed 5 items",
        ),
        (
            "platform: x86_64-custom\n",
            "platform: x86_64-custom\notherNames: [a, '']\n",
            "switch-profile.other-names.empty",
            "spec.otherNames[1]",
            "otherNames must not contain empty strings",
        ),
        (
            "platform: x86_64-custom\n",
            "platform: x86_64-custom\notherNames: [a, b, a]\n",
            "switch-profile.other-names.duplicate",
            "spec.otherNames[2]",
            "otherNames must not contain duplicates",
        ),
    ];
    for (from, to, code, path, message) in cases {
        assert_one(&profile(&BASE.replace(from, to)), code, path, message);
    }
}

#[test]
fn rule_36_ports() {
    let port = |from: &str, to: &str| profile(&BASE.replace(from, to));
    let cases = [
        (
            "M1: {nos: Management0,",
            "M1: {nos: Mgmt0,",
            "switch-profile.port.management-nos-prefix",
            "spec.ports.M1.nos",
            "management port \"M1\" NOS name must start with Management",
        ),
        (
            "M1: {nos: Management0, management: true, oniePortName: eth0}",
            "M0: {nos: Management0, management: true, oniePortName: eth0}",
            "switch-profile.port.management-name-number",
            "spec.ports.M0",
            "management port \"M0\" name must end with a positive integer",
        ),
        (
            "oniePortName: eth0}",
            "oniePortName: enp0}",
            "switch-profile.port.management-onie-prefix",
            "spec.ports.M1.oniePortName",
            "management port \"M1\" ONIE port name must start with eth",
        ),
        (
            "oniePortName: eth0}",
            "oniePortName: eth0, group: '1'}",
            "switch-profile.port.management-field-set",
            "spec.ports.M1.group",
            "management port \"M1\" must not have a group",
        ),
        (
            "E1/2: {nos: Ethernet1,",
            "E1/2: {nos: Ethernet0,",
            "switch-profile.port.nos-duplicate",
            "spec.ports.E1/2.nos",
            "port \"E1/2\" NOS name \"Ethernet0\" is duplicated",
        ),
        (
            "E1/2: {nos: Ethernet1, label: '2'",
            "E1/2: {nos: Ethernet1, label: '1'",
            "switch-profile.port.label-duplicate",
            "spec.ports.E1/2.label",
            "port \"E1/2\" label \"1\" is duplicated",
        ),
        (
            "E1/2: {nos: Ethernet1, label: '2', group: '1'}",
            "E1/2: {nos: Ethernet1, label: '2'}",
            "switch-profile.port.profile-or-group-required",
            "spec.ports.E1/2",
            "port \"E1/2\" must have a profile or group",
        ),
        (
            "E1/2: {nos: Ethernet1, label: '2', group: '1'}",
            "E1/2: {nos: Ethernet1, label: '2', group: '1', profile: SFP28-25G}",
            "switch-profile.port.profile-and-group",
            "spec.ports.E1/2",
            "port \"E1/2\" must have either a profile or group, not both",
        ),
        (
            "E1/2: {nos: Ethernet1,",
            "E1/2: {nos: Eth1,",
            "switch-profile.port.data-nos-prefix",
            "spec.ports.E1/2.nos",
            "data port \"E1/2\" NOS name must start with Ethernet",
        ),
        (
            "E1/3: {nos: '1/3',",
            "E1/3: {nos: Ethernet9,",
            "switch-profile.port.breakout-nos-prefix",
            "spec.ports.E1/3.nos",
            "breakout port \"E1/3\" NOS name must start with 1/",
        ),
        (
            "baseNOSName: Ethernet4,",
            "baseNOSName: Eth4,",
            "switch-profile.port.breakout-base-nos-prefix",
            "spec.ports.E1/3.baseNOSName",
            "breakout port \"E1/3\" base NOS name must start with Ethernet",
        ),
        (
            "pipeline: p0}",
            "pipeline: p1}",
            "switch-profile.port.pipeline-missing",
            "spec.ports.E1/3.pipeline",
            "port \"E1/3\" references non-existent pipeline \"p1\"",
        ),
        (
            "group: '1'}\n  E1/2",
            "group: '1', pipeline: p0}\n  E1/2",
            "switch-profile.port.pipeline-not-breakout",
            "spec.ports.E1/1.pipeline",
            "port \"E1/1\" must be a breakout port to reference a pipeline",
        ),
        (
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n",
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n  X1/1: {nos: Ethernet2, label: '4', group: '1'}\n",
            "switch-profile.port.data-name-prefix",
            "spec.ports.X1/1",
            "data port \"X1/1\" must start with E",
        ),
        (
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n",
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n  E1: {nos: Ethernet2, label: '4', group: '1'}\n",
            "switch-profile.port.data-name-segments",
            "spec.ports.E1",
            "data port \"E1\" name must have two segments separated by a slash (e.g. asic/port)",
        ),
        (
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n",
            "  E1/2: {nos: Ethernet1, label: '2', group: '1'}\n  E0/5: {nos: Ethernet2, label: '4', group: '1'}\n",
            "switch-profile.port.data-name-asic",
            "spec.ports.E0/5",
            "data port \"E0/5\" name must contain a positive integer as the first segment (e.g. asic)",
        ),
        (
            "E1/2: {nos: Ethernet1, label: '2', group: '1'}",
            "E1/2: {nos: Ethernet1, label: '2', group: '7'}",
            "switch-profile.port.group-missing",
            "spec.ports.E1/2.group",
            "port \"E1/2\" references non-existent group \"7\"",
        ),
    ];
    for (from, to, code, path, message) in cases {
        assert!(BASE.contains(from), "{from}");
        assert_one(&port(from, to), code, path, message);
    }
}

#[test]
fn rule_36_groups_profiles_and_pipelines() {
    let cases = [
        (
            "  '1': {nos: '1', profile: SFP28-25G}\n",
            "  '1': {nos: '1', profile: SFP28-25G}\n  '2': {nos: '2', profile: SFP28-25G}\n",
            "switch-profile.group.unreferenced",
            "spec.portGroups.2",
            "group \"2\" is not referenced by any port",
        ),
        (
            "'1': {nos: '1',",
            "'1': {nos: 'one',",
            "switch-profile.group.nos-invalid",
            "spec.portGroups.1.nos",
            "group \"1\" NOS name must be a positive integer",
        ),
        (
            "    speed: {default: 25G, supported: [10G, 25G]}\n",
            "    speed: {default: 25G, supported: [10G, 25G]}\n    autoNegAllowed: true\n",
            "switch-profile.group.profile-autoneg",
            "spec.portGroups.1.profile",
            "group \"1\" profile \"SFP28-25G\" must not have auto-negotiation allowed",
        ),
        (
            "    speed: {default: 25G, supported: [10G, 25G]}\n",
            "    speed: {default: 25G, supported: [10G, 25G]}\n  Unused:\n    speed: {default: 1G, supported: [1G]}\n",
            "switch-profile.profile.unreferenced",
            "spec.portProfiles.Unused",
            "profile \"Unused\" is not referenced by any port or group",
        ),
        (
            "speed: {default: 25G, supported: [10G, 25G]}",
            "speed: {default: 40G, supported: [10G, 25G]}",
            "switch-profile.profile.speed-default-unsupported",
            "spec.portProfiles.SFP28-25G.speed.default",
            "profile \"SFP28-25G\" must have default speed in supported speeds",
        ),
        (
            "speed: {default: 25G, supported: [10G, 25G]}",
            "speed: {default: 25G, supported: ['10', 25G]}",
            "switch-profile.profile.speed-invalid",
            "spec.portProfiles.SFP28-25G.speed.supported[0]",
            "profile \"SFP28-25G\" speed \"10\" is invalid: speed \"10\" must have a G suffix",
        ),
        (
            "        4x25G: {offsets: ['0', '1', '2', '3']}\n",
            "        3x25G: {offsets: ['0', '1', '2']}\n",
            "switch-profile.profile.breakout-mode-invalid",
            "spec.portProfiles.QSFP28-100G.breakout.supported.3x25G",
            "profile \"QSFP28-100G\" breakout \"3x25G\" is invalid: mode \"3x25G\" must have a valid number",
        ),
        (
            "        4x25G: {offsets: ['0', '1', '2', '3']}\n",
            "        4x25G: {offsets: []}\n",
            "switch-profile.profile.breakout-offsets-required",
            "spec.portProfiles.QSFP28-100G.breakout.supported.4x25G.offsets",
            "profile \"QSFP28-100G\" must have non-empty offsets for mode \"4x25G\"",
        ),
        (
            "      default: 1x100G\n",
            "      default: 2x50G\n",
            "switch-profile.profile.breakout-default-unsupported",
            "spec.portProfiles.QSFP28-100G.breakout.default",
            "profile \"QSFP28-100G\" must have default breakout in supported breakouts",
        ),
        (
            "    speed: {default: 25G, supported: [10G, 25G]}\n",
            "    speed: {default: 25G, supported: [10G, 25G]}\n    autoNegDefault: true\n    autoNegAllowed: false\n",
            "switch-profile.profile.autoneg-default",
            "spec.portProfiles.SFP28-25G.autoNegDefault",
            "profile \"SFP28-25G\" must not have default auto-negotiation enabled if it's not allowed",
        ),
        (
            "  p0: {maxPorts: 4}\n",
            "  p0: {maxPorts: 0}\n",
            "switch-profile.pipeline.max-ports-required",
            "spec.pipelines.p0.maxPorts",
            "pipeline \"p0\" must have a non-zero max ports",
        ),
    ];
    for (from, to, code, path, message) in cases {
        assert!(BASE.contains(from), "{from}");
        assert_one(&profile(&BASE.replace(from, to)), code, path, message);
    }
}

#[test]
fn rule_36_speed_and_breakout_together_and_neither() {
    let both = BASE.replace(
        "    speed: {default: 25G, supported: [10G, 25G]}\n",
        "    speed: {default: 25G, supported: [10G, 25G]}\n    breakout: {default: 1x25G, supported: {1x25G: {offsets: ['0']}}}\n",
    );
    assert_one(
        &profile(&both),
        "switch-profile.profile.speed-and-breakout",
        "spec.portProfiles.SFP28-25G",
        "profile \"SFP28-25G\" must have either a speed or breakout, not both",
    );
    let neither = BASE.replace(
        "    speed: {default: 25G, supported: [10G, 25G]}\n",
        "    autoNegAllowed: false\n",
    );
    let diags = check(&profile(&neither));
    assert_eq!(
        triples(&diags),
        vec![
            (
                "switch-profile.group.profile-not-speed",
                "spec.portGroups.1.profile".to_owned(),
                "group \"1\" references non-speed profile \"SFP28-25G\"".to_owned()
            ),
            (
                "switch-profile.profile.speed-or-breakout-required",
                "spec.portProfiles.SFP28-25G".to_owned(),
                "profile \"SFP28-25G\" must have a speed or breakout".to_owned()
            ),
        ]
    );
}

#[test]
fn reports_every_problem_without_cascades() {
    // A port with a missing label and a bad NOS name still counts as using its group, so the
    // group is not reported as unreferenced.
    let yaml = profile(
        &BASE
            .replace("displayName: Custom\n", "")
            .replace("E1/1: {nos: Ethernet0, label: '1',", "E1/1: {nos: Eth0,")
            .replace("p0: {maxPorts: 4}", "p0: {}"),
    );
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "switch-profile.display-name.required",
            "switch-profile.port.label-required",
            "switch-profile.port.data-nos-prefix",
            "switch-profile.pipeline.max-ports-required",
        ]
    );
}
