//! The sample generator: hhfab's default VLAB exactly (names, roles, groups, descriptions,
//! ports, connection names, boot MACs — API reference §9), and presets that stay valid at
//! every size.

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::{Document, Loaded};
use hedgehog_model::render::{RenderOptions, render, render_with};
use hedgehog_model::sample::{Preset, ScaleParams, VlabParams, preset, realistic, scaled, vlab};
use hedgehog_model::{Object, ValidateOptions, validate_loaded};

/// `(connection, [(port, port)…])` with the ports of each link in the order hhfab writes them.
fn connections(objects: &[Object]) -> Vec<(String, Vec<(String, String)>)> {
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    objects
        .iter()
        .filter_map(|o| match o {
            Object::Connection(c) => {
                let s = &c.spec;
                let links: Vec<(String, String)> = if let Some(u) = &s.unbundled {
                    vec![pair(&u.link.server.port, &u.link.switch.port)]
                } else if let Some(b) = &s.bundled {
                    b.links
                        .iter()
                        .map(|l| pair(&l.server.port, &l.switch.port))
                        .collect()
                } else if let Some(e) = &s.eslag {
                    e.links
                        .iter()
                        .map(|l| pair(&l.server.port, &l.switch.port))
                        .collect()
                } else if let Some(f) = &s.fabric {
                    f.links
                        .iter()
                        .map(|l| pair(&l.spine.port, &l.leaf.port))
                        .collect()
                } else {
                    Vec::new()
                };
                Some((c.metadata.name.clone().unwrap_or_default(), links))
            }
            _ => None,
        })
        .collect()
}

fn p(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[test]
fn default_vlab_is_hhfabs_topology() {
    let objects = vlab(&VlabParams::default());
    let switches: Vec<(String, String, String, String)> = objects
        .iter()
        .filter_map(|o| match o {
            Object::Switch(s) => Some((
                s.metadata.name.clone().unwrap_or_default(),
                s.spec.role.to_string(),
                s.spec.description.clone(),
                s.spec.boot.mac.clone(),
            )),
            _ => None,
        })
        .collect();
    let expect = [
        (
            "leaf-01",
            "server-leaf",
            "VS-01 ESLAG 1",
            "0c:20:12:ff:00:00",
        ),
        (
            "leaf-02",
            "server-leaf",
            "VS-02 ESLAG 1",
            "0c:20:12:ff:01:00",
        ),
        ("leaf-03", "server-leaf", "VS-03", "0c:20:12:ff:02:00"),
        ("spine-01", "spine", "VS-04", "0c:20:12:ff:03:00"),
        ("spine-02", "spine", "VS-05", "0c:20:12:ff:04:00"),
    ];
    let expect: Vec<(String, String, String, String)> = expect
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(switches, expect);

    let conns = connections(&objects);
    let want = vec![
        (
            "server-01--eslag--leaf-01--leaf-02",
            vec![
                p("server-01/enp2s1", "leaf-01/E1/1"),
                p("server-01/enp2s2", "leaf-02/E1/1"),
            ],
        ),
        (
            "server-02--eslag--leaf-01--leaf-02",
            vec![
                p("server-02/enp2s1", "leaf-01/E1/2"),
                p("server-02/enp2s2", "leaf-02/E1/2"),
            ],
        ),
        (
            "server-03--unbundled--leaf-01",
            vec![p("server-03/enp2s1", "leaf-01/E1/3")],
        ),
        (
            "server-04--bundled--leaf-02",
            vec![
                p("server-04/enp2s1", "leaf-02/E1/3"),
                p("server-04/enp2s2", "leaf-02/E1/4"),
            ],
        ),
        (
            "server-05--unbundled--leaf-03",
            vec![p("server-05/enp2s1", "leaf-03/E1/1")],
        ),
        (
            "server-06--bundled--leaf-03",
            vec![
                p("server-06/enp2s1", "leaf-03/E1/2"),
                p("server-06/enp2s2", "leaf-03/E1/3"),
            ],
        ),
        (
            "spine-01--fabric--leaf-01",
            vec![
                p("spine-01/E1/1", "leaf-01/E1/4"),
                p("spine-01/E1/2", "leaf-01/E1/5"),
            ],
        ),
        (
            "spine-01--fabric--leaf-02",
            vec![
                p("spine-01/E1/3", "leaf-02/E1/5"),
                p("spine-01/E1/4", "leaf-02/E1/6"),
            ],
        ),
        (
            "spine-01--fabric--leaf-03",
            vec![
                p("spine-01/E1/5", "leaf-03/E1/4"),
                p("spine-01/E1/6", "leaf-03/E1/5"),
            ],
        ),
        (
            "spine-02--fabric--leaf-01",
            vec![
                p("spine-02/E1/1", "leaf-01/E1/6"),
                p("spine-02/E1/2", "leaf-01/E1/7"),
            ],
        ),
        (
            "spine-02--fabric--leaf-02",
            vec![
                p("spine-02/E1/3", "leaf-02/E1/7"),
                p("spine-02/E1/4", "leaf-02/E1/8"),
            ],
        ),
        (
            "spine-02--fabric--leaf-03",
            vec![
                p("spine-02/E1/5", "leaf-03/E1/6"),
                p("spine-02/E1/6", "leaf-03/E1/7"),
            ],
        ),
    ];
    let want: Vec<(String, Vec<(String, String)>)> =
        want.into_iter().map(|(n, l)| (n.to_owned(), l)).collect();
    assert_eq!(conns, want);

    let descriptions: Vec<String> = objects
        .iter()
        .filter_map(|o| match o {
            Object::Server(s) => Some(s.spec.description.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        descriptions,
        [
            "S-01 ESLAG leaf-01 leaf-02",
            "S-02 ESLAG leaf-01 leaf-02",
            "S-03 Unbundled leaf-01",
            "S-04 Bundled leaf-02",
            "S-05 Unbundled leaf-03",
            "S-06 Bundled leaf-03"
        ]
    );
    // setup-vpcs: server-01 → vpc-01 10.0.1.0/24 VLAN 1001, attached over its connection.
    let vpc = objects.iter().find_map(|o| match o {
        Object::Vpc(v) if v.metadata.name.as_deref() == Some("vpc-01") => Some(v),
        _ => None,
    });
    let subnet = &vpc.unwrap().spec.subnets["subnet-01"];
    assert_eq!((subnet.subnet.as_str(), subnet.vlan), ("10.0.1.0/24", 1001));
    assert!(
        objects
            .iter()
            .any(|o| o.key().name == "server-01--eslag--leaf-01--leaf-02--vpc-01--subnet-01")
    );
}

#[test]
fn bundled_examples_are_the_generated_vlab() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fabrics");
    let without_comments = |name: &str| -> String {
        std::fs::read_to_string(format!("{dir}/{name}"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("# "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = |objects: Vec<Object>| -> String {
        let docs: Vec<Document> = objects.into_iter().map(Document::new).collect();
        hedgehog_model::render::render_with(
            &docs,
            &hedgehog_model::render::RenderOptions { headers: true },
        )
        .lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
    };
    let mut objects = preset(Preset::Vlab);
    assert_eq!(
        without_comments("vlab-unhydrated.yaml"),
        text(objects.clone())
    );
    hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    )
    .unwrap();
    assert_eq!(without_comments("vlab.yaml"), text(objects));
}

fn assert_valid_after_hydration(mut objects: Vec<Object>) -> usize {
    let report = hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    );
    assert!(
        report.is_ok(),
        "{:#?}",
        report
            .err()
            .map(|p| p.into_iter().take(5).collect::<Vec<_>>())
    );
    let n = objects.len();
    let mut loaded = Loaded::new(objects.into_iter().map(Document::new).collect(), Vec::new());
    let report = validate_loaded(&mut loaded, &ValidateOptions::default());
    let first: Vec<String> = report
        .diagnostics
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect();
    assert!(report.diagnostics.is_empty(), "{n} objects: {first:#?}");
    n
}

#[test]
fn every_preset_hydrates_and_validates() {
    for p in [Preset::Vlab, Preset::Small, Preset::Large] {
        assert_valid_after_hydration(preset(p));
    }
    assert_eq!(preset(Preset::Vlab).len(), 39);
    // Generation is deterministic.
    let docs = |o: Vec<Object>| render(&o.into_iter().map(Document::new).collect::<Vec<_>>());
    assert_eq!(docs(preset(Preset::Small)), docs(preset(Preset::Small)));
}

#[test]
fn huge_preset_has_over_100k_valid_objects() {
    let objects = preset(Preset::Huge);
    assert_eq!(objects.len(), ScaleParams::about(101_000).objects());
    assert!(objects.len() >= 100_000, "{}", objects.len());
    assert_valid_after_hydration(objects);
}

#[test]
fn scale_limits_are_clamped_to_stay_valid() {
    let shape = ScaleParams {
        leaves: 10_000,
        servers_per_leaf: 99,
        attachments_per_server: 9,
    };
    assert_eq!(shape.objects(), scaled(shape).len());
    let small = ScaleParams {
        leaves: 50,
        servers_per_leaf: 2,
        attachments_per_server: 4,
    };
    assert_valid_after_hydration(scaled(small));
}

#[test]
fn builder_flags_give_valid_fabrics() {
    // hhfab `vlab gen --mesh-links-count 2` (no spines), `--multihomed-servers 2`, and
    // `setup-peerings` for the first VPCs.
    let mesh = VlabParams {
        spines: 0,
        fabric_links: 0,
        mesh_links: 2,
        ..VlabParams::default()
    };
    let objects = vlab(&mesh);
    assert!(
        objects
            .iter()
            .any(|o| o.key().name == "leaf-01--mesh--leaf-03")
    );
    assert_valid_after_hydration(objects);

    let multihomed = VlabParams {
        multihomed_servers: 2,
        vpc_peerings: 3,
        ..VlabParams::default()
    };
    let objects = vlab(&multihomed);
    let names: Vec<String> = objects.iter().map(|o| o.key().name).collect();
    for name in [
        // Round robin over the ESLAG leaves (fewer than two orphans), then the orphan.
        "server-07--unbundled--leaf-01",
        "server-07--unbundled--leaf-02",
        "server-08--unbundled--leaf-03",
        "server-08--unbundled--leaf-01",
        "server-07--unbundled--leaf-02--vpc-07--subnet-01",
        "vpc-03--vpc-04",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:#?}"
        );
    }
    assert_valid_after_hydration(objects);
}

/// The benchmarks' real-shaped fabrics: valid at every size they are measured at (and at the
/// smallest and largest the generator makes), close to the asked size, deterministic, and
/// about 400 bytes per object when rendered with kind headers as `hedgehogd sample --real`.
#[test]
fn realistic_fabrics_are_valid_and_sized_as_asked() {
    for asked in [1_000, 20_000, 200_000] {
        let objects = realistic(asked);
        let n = objects.len();
        if asked <= 100_000 {
            assert!(n.abs_diff(asked) * 20 <= asked, "asked {asked}, got {n}");
        }
        assert!(
            objects.iter().all(|o| o
                .meta()
                .is_some_and(|m| m.labels.as_ref().is_some_and(|l| l.len() == 5))),
            "every object has its labels"
        );
        assert_valid_after_hydration(objects);
    }
    let mut objects = realistic(20_000);
    hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    )
    .expect("hydrates");
    let documents: Vec<Document> = objects.into_iter().map(Document::new).collect();
    let text = render_with(&documents, &RenderOptions { headers: true });
    let per_object = text.len() / documents.len();
    assert!(
        (380..=460).contains(&per_object),
        "{per_object} bytes/object"
    );
    assert!(text.starts_with("#\n# VLANNamespaceList\n#\n"));
    let again: Vec<Document> = realistic(20_000).into_iter().map(Document::new).collect();
    assert_eq!(
        render(&again),
        render(
            &realistic(20_000)
                .into_iter()
                .map(Document::new)
                .collect::<Vec<_>>()
        )
    );
}
