//! Port names and NOS port numbers at the edges of 64 bits (issue 12, defect 9): the port
//! queries of a switch profile and the validation pipeline answer with an error, never a
//! panic or a wrapped-around port name.

use hedgehog_model::api::{SwitchProfileSpec, SwitchSpec};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::profiles::PortError;
use hedgehog_model::{ValidateOptions, validate_loaded};
use proptest::prelude::*;
use serde_json::json;

/// A custom profile: one grouped port, one breakout port with these names and offsets.
fn profile(port: &str, nos: &str, base: &str, offsets: &[String]) -> serde_json::Value {
    json!({
        "displayName": "Custom", "switchSilicon": "X", "nosType": "sonic-bcm-base",
        "platform": "x86_64-custom",
        "ports": {
            "M1": {"nos": "Management0", "management": true, "oniePortName": "eth0"},
            "E1/1": {"nos": "Ethernet0", "label": "1", "group": "1"},
            port: {"nos": nos, "baseNOSName": base, "label": "3", "profile": "QSFP28-100G"},
        },
        "portGroups": {"1": {"nos": "1", "profile": "SFP28-25G"}},
        "portProfiles": {
            "SFP28-25G": {"speed": {"default": "25G", "supported": ["10G", "25G"]}},
            "QSFP28-100G": {"breakout": {"default": "1x100G", "supported": {
                "1x100G": {"offsets": ["0"]},
                "4x25G": {"offsets": offsets},
            }}},
        },
    })
}

fn spec(value: serde_json::Value) -> SwitchProfileSpec {
    serde_json::from_value(value).unwrap()
}

fn broken_out(port: &str) -> SwitchSpec {
    SwitchSpec {
        port_breakouts: [(port.to_owned(), "4x25G".to_owned())].into(),
        ..SwitchSpec::default()
    }
}

/// Every port query of `spec` for `sw`; their results are not the point, finishing is.
fn run_queries(spec: &SwitchProfileSpec, sw: &SwitchSpec, names: &[&str]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut note = |r: Result<(), PortError>| errors.extend(r.err().map(|e| e.to_string()));
    note(spec.api_to_nos_ports(sw).map(drop));
    note(spec.nos_to_api_ports(sw).map(drop));
    note(spec.all_breakout_nos_names().map(drop));
    note(spec.available_api_ports(sw).map(drop));
    note(spec.fec_configurable_ports(sw).map(drop));
    note(spec.auto_neg_defaults(sw).map(drop));
    note(spec.breakout_modes(sw).map(drop));
    note(spec.port_lanes(sw).map(drop));
    for name in names {
        note(spec.normalize_port_name(name).map(drop));
        let _ = (spec.port_speeds(name), spec.port_default_speed(name));
        let _ = (spec.port_breakouts(name), spec.group_speeds(name));
    }
    errors
}

/// Base `Ethernet9223372036854775807` plus offset 1 overflowed (a panic in debug builds, a
/// port named `Ethernet-9223372036854775808` in release and upstream).
#[test]
fn nos_numbers_beyond_64_bits_are_refused_with_an_error() {
    let offsets = ["0", "1", "2", "3"].map(String::from);
    let huge = spec(profile(
        "E1/3",
        "1/3",
        "Ethernet9223372036854775807",
        &offsets,
    ));
    let sw = broken_out("E1/3");
    let overflow = |r: Result<(), PortError>| matches!(r, Err(PortError::OffsetOverflow { .. }));
    assert!(overflow(huge.api_to_nos_ports(&sw).map(drop)));
    assert!(overflow(huge.nos_to_api_ports(&sw).map(drop)));
    assert!(overflow(huge.all_breakout_nos_names().map(drop)));
    let message = huge.all_breakout_nos_names().unwrap_err().to_string();
    assert!(message.contains("overflows"), "{message}");
    // A negative offset past the bottom, and an offset past the top of 64 bits.
    let low = ["0", "-9223372036854775808", "-2", "-3"].map(String::from);
    let negative = spec(profile("E1/3", "1/3", "Ethernet-1", &low));
    assert!(overflow(negative.all_breakout_nos_names().map(drop)));
    let high = ["0", "9223372036854775807", "1", "2"].map(String::from);
    let over = spec(profile("E1/3", "1/3", "Ethernet1", &high));
    assert!(overflow(over.api_to_nos_ports(&sw).map(drop)));
    // Numbers past 64 bits in names are not numbers, as for Go's strconv.Atoi.
    let wide = spec(profile(
        "E1/99999999999999999999",
        "1/3",
        "Ethernet99999999999999999999",
        &offsets,
    ));
    let errors = run_queries(
        &wide,
        &broken_out("E1/99999999999999999999"),
        &["E1/99999999999999999999"],
    );
    assert!(
        errors.iter().any(|e| e.contains("suffix isn't a number")),
        "{errors:?}"
    );
}

/// The same profile through the whole pipeline: the connection on that switch gets an error
/// naming the overflow, and nothing panics.
#[test]
fn the_pipeline_reports_port_overflow() {
    let offsets = ["0", "1", "2", "3"].map(String::from);
    let mut sp = profile("E1/3", "1/3", "Ethernet9223372036854775807", &offsets);
    sp["maxPorts"] = json!(8);
    let docs = json!([
        {"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "SwitchProfile",
         "metadata": {"name": "custom"}, "spec": sp},
        {"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Switch",
         "metadata": {"name": "leaf-1"},
         "spec": {"role": "server-leaf", "profile": "custom", "asn": 65101,
                  "ip": "172.30.0.8/21", "vtepIP": "172.30.12.0/32", "protocolIP": "172.30.8.2/32",
                  "portBreakouts": {"E1/3": "4x25G"}}},
        {"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Server",
         "metadata": {"name": "server-1"}, "spec": {}},
        {"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Connection",
         "metadata": {"name": "server-1--unbundled--leaf-1"},
         "spec": {"unbundled": {"link": {"server": {"port": "server-1/enp2s1"},
                                         "switch": {"port": "leaf-1/E1/3/2"}}}}},
    ]);
    let mut loaded = Loader::new(Limits::default()).load_str(&docs.to_string(), Some("f.json"));
    let options = ValidateOptions {
        config: FabricConfig {
            allow_extra_switch_profiles: true,
            ..FabricConfig::default()
        },
        ..ValidateOptions::default()
    };
    let report = validate_loaded(&mut loaded, &options);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "fabric.connection.switch-ports" && d.message.contains("overflows")),
        "{:#?}",
        report.diagnostics
    );
}

/// Port names, NOS names and numbers as an attacker or a typo writes them.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..100).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551615",
            "99999999999999999999",
            "+1",
            "-0",
            "007",
            "",
            "+",
            "1_0",
            " 1",
            "0x10",
            "٣",
        ])
        .prop_map(str::to_owned),
    ]
}

fn port_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (number(), number()).prop_map(|(a, p)| format!("E{a}/{p}")),
        (number(), number(), number()).prop_map(|(a, p, s)| format!("E{a}/{p}/{s}")),
        number().prop_map(|n| format!("M{n}")),
        "[EM]?[0-9/]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn port_queries_never_panic(
        port in port_name(),
        nos in prop_oneof![number().prop_map(|n| format!("1/{n}")), any::<String>()],
        base in prop_oneof![number().prop_map(|n| format!("Ethernet{n}")), any::<String>()],
        offsets in prop::collection::vec(number(), 0..5),
        others in prop::collection::vec(port_name(), 0..3),
    ) {
        let spec = spec(profile(&port, &nos, &base, &offsets));
        let mut names: Vec<&str> = others.iter().map(String::as_str).collect();
        names.push(&port);
        for sw in [SwitchSpec::default(), broken_out(&port)] {
            let _ = run_queries(&spec, &sw, &names);
        }
        let object = hedgehog_model::Object::SwitchProfile(Box::new(
            serde_json::from_value(json!({"metadata": {"name": "custom"}, "spec": profile(&port, &nos, &base, &offsets)})).unwrap(),
        ));
        let _ = hedgehog_model::validate::validate_object(&object, Some(&FabricConfig::default()));
    }
}
