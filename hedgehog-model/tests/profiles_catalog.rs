//! The built-in switch profile catalog and the port queries on real built-in profiles.

use std::collections::BTreeMap;
use std::path::Path;

use hedgehog_model::api::{SwitchProfile, SwitchProfileSpec, SwitchSpec};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::profiles::{Catalog, PortError, builtin_profiles};

/// The compiled-in profiles are the upstream extraction byte for byte: `profiles/SHA256SUMS`
/// was recorded from it, and every YAML file in the folder must be listed there and match.
#[test]
fn profile_files_equal_the_upstream_extraction() {
    use sha2::{Digest, Sha256};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let mut listed = std::collections::BTreeSet::new();
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").expect("`<sha256>  <file>` lines");
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let actual: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(actual, sum, "{name} differs from the upstream extraction");
        listed.insert(name.to_owned());
    }
    let present: std::collections::BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    assert_eq!(
        present, listed,
        "every profile file is listed in SHA256SUMS"
    );
    assert_eq!(listed.len(), 23);
}

#[test]
fn all_built_in_profiles_load_and_pass_validation() {
    let all = builtin_profiles();
    assert_eq!(all.len(), 23);
    let cfg = FabricConfig::default();
    for b in all {
        let object = hedgehog_model::Object::SwitchProfile(Box::new(b.profile.clone()));
        let diags = hedgehog_model::validate::validate_object(&object, Some(&cfg));
        assert!(
            diags.is_empty(),
            "{}: {diags:?}",
            b.profile.metadata.name.as_deref().unwrap()
        );
        assert_eq!(b.profile.metadata.namespace.as_deref(), Some("default"));
    }
}

fn catalog_with(clsp: bool, cumulus: bool) -> Catalog {
    Catalog::builtin(&FabricConfig {
        include_sonic_cls_plus: clsp,
        include_cumulus: cumulus,
        ..FabricConfig::default()
    })
}

#[test]
fn catalog_registers_what_the_fabric_config_includes() {
    let default = catalog_with(false, false);
    assert_eq!(default.len(), 16);
    assert!(
        default.get("vs").is_some()
            && default.get("vs-clsp").is_none()
            && default.get("cumulus-vx").is_none()
    );
    assert!(default.is_builtin("dell-s5248f-on"));
    let clsp = catalog_with(true, false);
    assert_eq!(clsp.len(), 22);
    assert!(clsp.get("celestica-ds5000-clsp").is_some() && clsp.get("cumulus-vx").is_none());
    assert_eq!(catalog_with(false, true).len(), 17);
    let both = catalog_with(true, true);
    assert_eq!(both.len(), 23);
    assert_eq!(both.names().next(), Some("celestica-ds2000"));
}

#[test]
fn defaulting_adds_the_ports_annotation() {
    let catalog = catalog_with(false, false);
    let annotation = |name: &str| {
        catalog
            .get(name)
            .unwrap()
            .metadata
            .annotations
            .as_ref()
            .unwrap()["fabric.githedgehog.com/ports"]
            .clone()
    };
    assert_eq!(annotation("vs"), "48xSFP28-25G");
    assert_eq!(
        annotation("edgecore-eps203"),
        "36xRJ45-2.5G, 12xRJ45-10G, 4xSFP28-25G, 2xQSFP28-100G"
    );
}

fn user_profile(name: &str, display: &str) -> SwitchProfile {
    let mut p = catalog_with(false, false).get("vs").unwrap().clone();
    p.metadata.name = Some(name.to_owned());
    p.spec.display_name = display.to_owned();
    p
}

#[test]
fn user_profiles_need_permission_and_cannot_change_defaults() {
    let cfg = FabricConfig::default();
    let mine = user_profile("my-vs", "Mine");
    let (catalog, diags) = Catalog::builtin(&cfg).with_user_profiles([&mine], false, &cfg);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code, diags[0].message.as_str()),
        (
            "fabric.switchprofile.only-default",
            "only default switch profiles are allowed"
        )
    );
    assert_eq!(diags[0].object.as_ref().unwrap().name, "my-vs");
    assert!(catalog.get("my-vs").is_none());

    let (catalog, diags) = Catalog::builtin(&cfg).with_user_profiles([&mine], true, &cfg);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(catalog.get("my-vs").unwrap().spec.display_name, "Mine");
    assert!(!catalog.is_builtin("my-vs"));

    let changed = user_profile("vs", "Changed");
    let same = user_profile("vs", "Virtual Switch");
    let (catalog, diags) = Catalog::builtin(&cfg).with_user_profiles([&changed, &same], true, &cfg);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code, diags[0].message.as_str()),
        (
            "fabric.switchprofile.default-immutable",
            "default switch profiles are immutable"
        )
    );
    assert_eq!(
        catalog.get("vs").unwrap().spec.display_name,
        "Virtual Switch"
    );

    // An invalid extra profile is refused with its per-object diagnostics (rule 36).
    let mut broken = user_profile("broken", "");
    broken.spec.platform.clear();
    let (catalog, diags) = Catalog::builtin(&cfg).with_user_profiles([&broken], true, &cfg);
    assert!(!diags.is_empty() && catalog.get("broken").is_none());
}

fn spec(name: &str) -> SwitchProfileSpec {
    catalog_with(true, true).get(name).unwrap().spec.clone()
}

fn switch(breakouts: &[(&str, &str)]) -> SwitchSpec {
    SwitchSpec {
        port_breakouts: breakouts
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect(),
        ..SwitchSpec::default()
    }
}

#[test]
fn vs_ports() {
    let vs = spec("vs");
    let ports = vs.api_to_nos_ports(&switch(&[])).unwrap();
    assert_eq!(ports.len(), 49);
    assert_eq!(ports["M1"], "Management0");
    assert_eq!(ports["E1/1"], "Ethernet0");
    assert_eq!(ports["E1/48"], "Ethernet47");
    let available = vs.available_api_ports(&switch(&[])).unwrap();
    assert_eq!(available.len(), 48);
    assert!(!available.contains("M1") && available.contains("E1/48"));
    assert_eq!(vs.port_speeds("E1/1").unwrap(), ["10G", "25G"]);
    assert_eq!(vs.port_default_speed("E1/1"), Some("25G"));
    assert_eq!(vs.group_speeds("1").unwrap(), ["10G", "25G"]);
    assert_eq!(vs.port_breakouts("E1/1"), None);
    assert!(vs.all_breakout_nos_names().unwrap().is_empty());
    assert!(vs.auto_neg_defaults(&switch(&[])).unwrap().is_empty()); // group ports only
    assert_eq!(vs.port_lanes(&switch(&[])).unwrap().total, 48);
}

#[test]
fn dell_s5248f_on_breakouts() {
    let dell = spec("dell-s5248f-on");
    let default = dell.api_to_nos_ports(&switch(&[])).unwrap();
    assert_eq!(default["E1/49"], "Ethernet48");
    assert_eq!(default["E1/49/1"], "Ethernet48");
    assert!(!default.contains_key("E1/49/2"));
    let broken = switch(&[("E1/49", "4x25G")]);
    let ports = dell.api_to_nos_ports(&broken).unwrap();
    let sub: Vec<&str> = (1..=4)
        .map(|i| ports[&format!("E1/49/{i}")].as_str())
        .collect();
    assert_eq!(
        sub,
        ["Ethernet48", "Ethernet49", "Ethernet50", "Ethernet51"]
    );
    assert_eq!(ports["E1/49"], "Ethernet48");
    let nos = dell.nos_to_api_ports(&broken).unwrap();
    assert_eq!(nos["Ethernet48"], "E1/49/1");
    assert_eq!(nos["Ethernet0"], "E1/1");
    let available = dell.available_api_ports(&broken).unwrap();
    assert!(
        available.contains("E1/49/4")
            && !available.contains("E1/49")
            && available.contains("E1/50/1")
    );
    let all = dell.all_breakout_nos_names().unwrap();
    assert!(all.contains("Ethernet48") && all.contains("Ethernet51") && all.contains("Ethernet52"));
    assert_eq!(dell.normalize_port_name("E1/49").unwrap(), "E1/49/1");
    assert_eq!(dell.normalize_port_name("E1/1").unwrap(), "E1/1");
    assert_eq!(dell.normalize_port_name("E1/49/3").unwrap(), "E1/49/3");
    assert_eq!(
        dell.normalize_port_name("E1/99"),
        Err(PortError::UnknownPort("E1/99".into()))
    );
    assert!(dell.port_breakouts("E1/49").unwrap().contains(&"4x25G"));
    assert_eq!(dell.breakout_modes(&broken).unwrap()["E1/49"], "4x25G");
    assert_eq!(dell.breakout_modes(&broken).unwrap()["E1/50"], "1x100G");
    assert_eq!(dell.port_lanes(&broken).unwrap().total, 48 + 4 + 7);
    let bad = switch(&[("E1/49", "3x25G")]);
    assert_eq!(
        dell.api_to_nos_ports(&bad).unwrap_err().to_string(),
        r#"port "E1/49" has a breakout "3x25G" not supported by profile "QSFP28-100G""#
    );
}

#[test]
fn dell_s5232f_on_fec_configurable_ports() {
    // Upstream fec_breakout_test.go TestDellFECConfigurablePorts.
    let dell = spec("dell-s5232f-on");
    let plain = dell.fec_configurable_ports(&switch(&[])).unwrap();
    assert!(plain.contains("E1/1") && plain.contains("E1/1/1") && !plain.contains("M1"));
    let broken = dell
        .fec_configurable_ports(&switch(&[("E1/1", "4x25G")]))
        .unwrap();
    assert!(!broken.contains("E1/1"));
    assert!((1..=4).all(|i| broken.contains(&format!("E1/1/{i}"))));
}

#[test]
fn celestica_ds5000_pipelines_and_max_ports() {
    let ds = spec("celestica-ds5000");
    assert_eq!(ds.max_ports, 320);
    let lanes = ds.port_lanes(&switch(&[])).unwrap();
    assert_eq!(lanes.total, 66);
    assert_eq!(lanes.pipelines.len(), 32);
    assert_eq!(
        lanes.pipelines["1"],
        (2, vec!["E1/1".to_owned(), "E1/4".to_owned()])
    );
    let eight = ds.api_to_nos_ports(&switch(&[("E1/1", "8x100G")])).unwrap();
    assert_eq!(eight["E1/1/8"], "Ethernet7");
    assert_eq!(
        ds.port_lanes(&switch(&[("E1/1", "8x100G")]))
            .unwrap()
            .pipelines["1"]
            .0,
        9
    );
    // No L2VNI and no ESLAG on ds5000.
    assert!(!ds.features.l2vni && !ds.features.eslag && ds.features.l3vni);
}

#[test]
fn edgecore_eps203_auto_negotiation() {
    let eps = spec("edgecore-eps203");
    let autoneg: BTreeMap<String, (bool, bool)> = eps.auto_neg_defaults(&switch(&[])).unwrap();
    assert_eq!(autoneg["E1/1"], (true, true));
    assert!(autoneg.values().any(|(allowed, _)| !allowed));
    assert_eq!(eps.port_speeds("E1/1").unwrap(), ["1G", "2.5G"]);
}
