//! Hydration as hhfab does it (`fabricator:pkg/hhfab/hydrate.go`), on hhfab's default VLAB
//! wiring: `examples/fabrics/vlab-unhydrated.yaml` (as `hhfab vlab gen` writes it, no IPs)
//! and `examples/fabrics/vlab.yaml` (the same, hydrated).

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, HydrationStatus, hydrate};
use hedgehog_model::load::{Document, Limits, Loaded, Loader};
use hedgehog_model::render::render;
use hedgehog_model::{Object, ValidateOptions, validate_loaded};

fn objects(name: &str) -> Vec<Object> {
    let path = format!("{}/../examples/fabrics/{name}", env!("CARGO_MANIFEST_DIR"));
    let loaded = Loader::new(Limits::default()).load_file(path).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.documents.into_iter().map(|d| d.object).collect()
}

fn rendered(objects: &[Object]) -> String {
    render(
        &objects
            .iter()
            .cloned()
            .map(Document::new)
            .collect::<Vec<_>>(),
    )
}

fn switch<'a>(objects: &'a [Object], name: &str) -> &'a hedgehog_model::api::SwitchSpec {
    objects
        .iter()
        .find_map(|o| match o {
            Object::Switch(s) if s.metadata.name.as_deref() == Some(name) => Some(&s.spec),
            _ => None,
        })
        .unwrap()
}

fn fabric_link_ips(objects: &[Object], name: &str) -> Vec<(String, String)> {
    objects
        .iter()
        .find_map(|o| match o {
            Object::Connection(c) if c.metadata.name.as_deref() == Some(name) => {
                c.spec.fabric.as_ref()
            }
            _ => None,
        })
        .unwrap()
        .links
        .iter()
        .map(|l| (l.spine.ip.clone(), l.leaf.ip.clone()))
        .collect()
}

#[test]
fn hydrates_the_default_vlab_like_hhfab() {
    let cfg = FabricConfig::default();
    let mut wiring = objects("vlab-unhydrated.yaml");
    let report = hydrate(&mut wiring, &cfg, HydrateMode::IfNotPresent).unwrap();
    assert_eq!(
        (report.before, report.hydrated),
        (HydrationStatus::None, true)
    );

    // Switches sorted spines first, then by role and name. Management IPs start at the VIP
    // (172.30.0.1) + 4, the /21 of the management subnet; protocol and VTEP IPs start at the
    // base address of their subnets; spines get the spine ASN, leaves the next leaf ASN.
    let expect = [
        ("spine-01", "172.30.0.5/21", "172.30.8.0/32", 65100, ""),
        ("spine-02", "172.30.0.6/21", "172.30.8.1/32", 65100, ""),
        (
            "leaf-01",
            "172.30.0.7/21",
            "172.30.8.2/32",
            65101,
            "172.30.12.0/32",
        ),
        (
            "leaf-02",
            "172.30.0.8/21",
            "172.30.8.3/32",
            65102,
            "172.30.12.1/32",
        ),
        (
            "leaf-03",
            "172.30.0.9/21",
            "172.30.8.4/32",
            65103,
            "172.30.12.2/32",
        ),
    ];
    for (name, ip, protocol_ip, asn, vtep_ip) in expect {
        let sw = switch(&wiring, name);
        assert_eq!(
            (
                sw.ip.as_str(),
                sw.protocol_ip.as_str(),
                sw.asn,
                sw.vtep_ip.as_str()
            ),
            (ip, protocol_ip, asn, vtep_ip),
            "{name}"
        );
    }
    // Connections sorted by name; each fabric link takes the next two addresses of the
    // fabric subnet as /31s, spine side first.
    let pair = |a: u8| {
        (
            format!("172.30.128.{a}/31"),
            format!("172.30.128.{}/31", a + 1),
        )
    };
    assert_eq!(
        fabric_link_ips(&wiring, "spine-01--fabric--leaf-01"),
        [pair(0), pair(2)]
    );
    assert_eq!(
        fabric_link_ips(&wiring, "spine-01--fabric--leaf-03"),
        [pair(8), pair(10)]
    );
    assert_eq!(
        fabric_link_ips(&wiring, "spine-02--fabric--leaf-03"),
        [pair(20), pair(22)]
    );

    // The bundled hydrated example is exactly this result, and it validates.
    assert_eq!(rendered(&wiring), rendered(&objects("vlab.yaml")));
    let mut loaded = Loaded::new(wiring.into_iter().map(Document::new).collect(), Vec::new());
    let report = validate_loaded(&mut loaded, &ValidateOptions::default());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn keeps_a_hydrated_wiring_and_overrides_on_request() {
    let cfg = FabricConfig::default();
    let hydrated = objects("vlab.yaml");
    let mut again = hydrated.clone();
    let report = hydrate(&mut again, &cfg, HydrateMode::IfNotPresent).unwrap();
    assert_eq!(
        (report.before, report.hydrated),
        (HydrationStatus::Full, false)
    );
    assert_eq!(again, hydrated);
    let report = hydrate(&mut again, &cfg, HydrateMode::Never).unwrap();
    assert!(!report.hydrated);

    // Override re-allocates every value: hand-edited addresses go back to hhfab's.
    if let Some(Object::Switch(sw)) = again.iter_mut().find(|o| matches!(o, Object::Switch(_))) {
        sw.spec.ip = "172.30.1.200/21".into();
    }
    let report = hydrate(&mut again, &cfg, HydrateMode::Override).unwrap();
    assert_eq!(
        (report.before, report.hydrated),
        (HydrationStatus::Full, true)
    );
    assert_eq!(rendered(&again), rendered(&hydrated));
}

#[test]
fn refuses_partial_and_missing_hydration_like_hhfab() {
    let cfg = FabricConfig::default();
    let mut partial = objects("vlab.yaml");
    if let Some(Object::Switch(sw)) = partial.iter_mut().find(|o| matches!(o, Object::Switch(_))) {
        sw.spec.ip.clear();
    }
    let before = partial.clone();
    let problems = hydrate(&mut partial, &cfg, HydrateMode::IfNotPresent).unwrap_err();
    assert_eq!(
        problems[0].message,
        "wiring is already partially hydrated, cleanup or change hydration mode"
    );
    assert_eq!(partial, before, "nothing changes on error");

    let mut bare = objects("vlab-unhydrated.yaml");
    let problems = hydrate(&mut bare, &cfg, HydrateMode::Never).unwrap_err();
    assert_eq!(problems[0].code, "hydrate.not-hydrated");

    // Values that are present are checked while counting, as hhfab does.
    let mut clash = objects("vlab.yaml");
    let ips: Vec<String> = clash
        .iter()
        .filter_map(|o| match o {
            Object::Switch(sw) => Some(sw.spec.ip.clone()),
            _ => None,
        })
        .collect();
    if let Some(Object::Switch(sw)) = clash
        .iter_mut()
        .filter(|o| matches!(o, Object::Switch(_)))
        .nth(1)
    {
        sw.spec.ip = ips[0].clone();
    }
    let problems = hydrate(&mut clash, &cfg, HydrateMode::IfNotPresent).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("is already in use")),
        "{problems:#?}"
    );
}
