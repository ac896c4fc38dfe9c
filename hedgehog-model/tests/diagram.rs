//! `diagram`: every format on the VLAB, the large preset and a fixture with every link kind
//! holds every device and every link (drawio and svg parsed as XML, dot rendered by
//! Graphviz), output is the same bytes whatever the input order, and odd names are escaped
//! for each format.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use hedgehog_model::Object;
use hedgehog_model::diagram::{Diagram, Format, LinkKind};
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::sample::{Preset, preset};

const EVERY_LINK: &str = include_str!("diagram_support/every_link.yaml");
const ODD_NAMES: &str = include_str!("diagram_support/odd_names.yaml");

fn load(text: &str) -> Vec<Object> {
    let loaded = Loader::new(Limits::default()).load_str(text, Some("fixture.yaml"));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.documents.into_iter().map(|d| d.object).collect()
}

/// What must be drawn, counted from the objects without the diagram's code: the names of
/// every switch, server and external, and the number of physical links.
struct Expected {
    devices: BTreeSet<String>,
    links: usize,
}

fn expected(objects: &[Object]) -> Expected {
    let mut devices = BTreeSet::new();
    let mut links = 0;
    let attachments: Vec<&str> = objects
        .iter()
        .filter_map(|o| match o {
            Object::ExternalAttachment(a) => Some(a.spec.connection.as_str()),
            _ => None,
        })
        .collect();
    for o in objects {
        match o {
            Object::Switch(x) => drop(devices.insert(x.metadata.name.clone().unwrap())),
            Object::Server(x) => drop(devices.insert(x.metadata.name.clone().unwrap())),
            Object::External(x) => drop(devices.insert(x.metadata.name.clone().unwrap())),
            Object::Connection(c) => {
                let s = &c.spec;
                let name = c.metadata.name.as_deref().unwrap();
                links += usize::from(s.unbundled.is_some())
                    + s.bundled.as_ref().map_or(0, |x| x.links.len())
                    + s.mclag.as_ref().map_or(0, |x| x.links.len())
                    + s.eslag.as_ref().map_or(0, |x| x.links.len())
                    + s.fabric.as_ref().map_or(0, |x| x.links.len())
                    + s.mesh.as_ref().map_or(0, |x| x.links.len())
                    + s.vpc_loopback.as_ref().map_or(0, |x| x.links.len())
                    + s.gateway.as_ref().map_or(0, |x| x.links.len())
                    + s.mclag_domain
                        .as_ref()
                        .map_or(0, |x| x.peer_links.len() + x.session_links.len())
                    + usize::from(s.static_external.is_some());
                if s.external.is_some() {
                    links += attachments.iter().filter(|a| **a == name).count().max(1);
                }
                if s.static_external.is_some() {
                    devices.insert(format!("static-external-{name}"));
                }
                for l in s.gateway.iter().flat_map(|g| &g.links) {
                    devices.insert(l.gateway.port.split('/').next().unwrap().to_owned());
                }
            }
            _ => {}
        }
    }
    Expected { devices, links }
}

fn cases() -> Vec<(&'static str, Vec<Object>)> {
    vec![
        ("vlab", preset(Preset::Vlab)),
        ("large", preset(Preset::Large)),
        ("every-link", load(EVERY_LINK)),
    ]
}

/// The text of the first child `<text>` element (svg nodes hold their name there).
fn attr_set<'a>(
    doc: &'a roxmltree::Document,
    pred: impl Fn(&roxmltree::Node) -> bool,
    attr: &str,
) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| pred(n))
        .filter_map(|n| n.attribute(attr))
        .collect()
}

#[test]
fn drawio_is_mxgraph_xml_with_every_device_and_link_laid_out() {
    for (name, objects) in cases() {
        let want = expected(&objects);
        let text = Diagram::from_objects(&objects).render(Format::Drawio);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "mxfile");
        let nodes: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("mxCell") && n.attribute("id").is_some_and(|i| i.starts_with('n'))
            })
            .collect();
        let names: BTreeSet<String> = nodes
            .iter()
            .map(|n| n.attribute("value").unwrap().to_owned())
            .collect();
        assert_eq!(names, want.devices, "{name}");
        let ids: BTreeSet<&str> = nodes.iter().map(|n| n.attribute("id").unwrap()).collect();
        let edges: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.attribute("edge") == Some("1"))
            .collect();
        assert_eq!(edges.len(), want.links, "{name}");
        for e in &edges {
            assert!(
                ids.contains(e.attribute("source").unwrap())
                    && ids.contains(e.attribute("target").unwrap())
            );
        }
        // Laid out: every node at its own place, none overlapping another in its row.
        let places: BTreeSet<(i64, i64)> = nodes
            .iter()
            .map(|n| {
                let g = n.first_element_child().unwrap();
                let num = |a| g.attribute(a).unwrap().parse::<i64>().unwrap();
                (num("x"), num("y"))
            })
            .collect();
        assert_eq!(places.len(), nodes.len(), "{name}: nodes share a place");
    }
}

#[test]
fn svg_is_xml_with_every_device_and_link() {
    for (name, objects) in cases() {
        let want = expected(&objects);
        let text = Diagram::from_objects(&objects).render(Format::Svg);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let class = |c: &'static str| {
            move |n: &roxmltree::Node| {
                n.attribute("class")
                    .is_some_and(|x| x.split(' ').next() == Some(c))
            }
        };
        let names: BTreeSet<String> = attr_set(&doc, class("node"), "data-name")
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(names, want.devices, "{name}");
        assert_eq!(
            attr_set(&doc, class("edge"), "data-link").len(),
            want.links,
            "{name}"
        );
    }
}

#[test]
fn every_link_kind_is_told_apart() {
    let d = Diagram::from_objects(&load(EVERY_LINK));
    let kinds: BTreeSet<LinkKind> = d.edges.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        LinkKind::ALL.into_iter().collect(),
        "the fixture has every kind"
    );
    let svg = d.render(Format::Svg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let drawn: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-link"))
        .collect();
    let names: BTreeSet<&str> = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(drawn, names);
    // Each kind looks different from every other (colour, width or dash) in every format.
    let looks: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.attribute("data-link").is_some())
        .map(|n| {
            let p = n.children().find(|c| c.has_tag_name("path")).unwrap();
            format!(
                "{:?}{:?}{:?}",
                p.attribute("stroke"),
                p.attribute("stroke-width"),
                p.attribute("stroke-dasharray")
            )
        })
        .collect();
    assert_eq!(
        looks.len(),
        LinkKind::ALL.len(),
        "two link kinds look alike: {looks:?}"
    );
    // The redundancy groups are boxed, each with its type.
    for text in ["mclag mclag-1", "eslag eslag-1"] {
        assert!(
            svg.contains(text)
                && d.render(Format::Dot).contains(text)
                && d.render(Format::Drawio).contains(text)
        );
    }
    assert_eq!(
        d.render(Format::Dot).matches("subgraph cluster_").count(),
        2
    );
    assert_eq!(d.render(Format::Mermaid).matches("  subgraph g").count(), 2);
}

#[test]
fn mermaid_declares_every_device_and_link() {
    for (name, objects) in cases() {
        let want = expected(&objects);
        let text = Diagram::from_objects(&objects).render(Format::Mermaid);
        assert!(text.starts_with("flowchart TB\n"));
        let labels: BTreeSet<String> = text
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix('n')
                    .filter(|r| r.contains("[\"") && r.ends_with(|c: char| c.is_ascii_lowercase()))
            })
            .map(|r| decode_mermaid(r.split_once("[\"").unwrap().1.rsplit_once("\"]").unwrap().0))
            .collect();
        assert_eq!(labels, want.devices, "{name}");
        let links = text
            .lines()
            .filter(|l| l.contains(" ---|\"") || l.contains(" -.-|\""))
            .count();
        assert_eq!(links, want.links, "{name}");
    }
}

/// Renders `dot` with Graphviz; `None` (said loudly) when Graphviz is missing outside CI.
fn graphviz(dot: &str) -> Option<String> {
    graphviz_svg(dot).map(|svg| {
        // Graphviz writes a DOCTYPE, which the XML parser refuses; the drawing follows it.
        let start = svg.find("<svg").expect("an svg element");
        svg[start..].to_owned()
    })
}

fn graphviz_svg(dot: &str) -> Option<String> {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("Graphviz `dot` is required in CI: {e}")
        }
        Err(e) => {
            eprintln!(
                "\n!!! SKIPPING the Graphviz check: `dot` cannot run ({e}); install graphviz !!!\n"
            );
            return None;
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    let input = dot.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "dot warned: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn dot_renders_with_graphviz_with_every_device_and_link() {
    for (name, objects) in cases() {
        let want = expected(&objects);
        let Some(svg) = graphviz(&Diagram::from_objects(&objects).render(Format::Dot)) else {
            return;
        };
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let class = |c: &'static str| move |n: &roxmltree::Node| n.attribute("class") == Some(c);
        let texts = |n: roxmltree::Node| {
            n.descendants()
                .filter(|c| c.has_tag_name("text"))
                .filter_map(|t| t.text())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let names: BTreeSet<String> = doc
            .descendants()
            .filter(class("node"))
            .flat_map(texts)
            .collect();
        assert_eq!(names, want.devices, "{name}");
        assert_eq!(
            doc.descendants().filter(class("edge")).count(),
            want.links,
            "{name}"
        );
    }
}

#[test]
fn same_objects_in_any_order_give_the_same_bytes() {
    for (name, objects) in cases() {
        let mut reversed = objects.clone();
        reversed.reverse();
        for format in Format::ALL {
            let a = Diagram::from_objects(&objects).render(format);
            let b = Diagram::from_objects(&reversed).render(format);
            assert!(a == b, "{name} {format:?}: input order changed the output");
        }
    }
}

fn decode_mermaid(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..i]);
        let (code, tail) = rest[i + 1..].split_once(';').unwrap();
        out.push(char::from_u32(code.parse().unwrap()).unwrap());
        rest = tail;
    }
    out + rest
}

#[test]
fn odd_names_are_escaped_for_each_format() {
    let objects = load(ODD_NAMES);
    let want = expected(&objects);
    let d = Diagram::from_objects(&objects);
    let switch = "leaf<b>&amp;\"q'\\N#35;";
    let port = "E1/1\\l";
    // XML formats: they parse, and the parsed text is the name exactly.
    let drawio = d.render(Format::Drawio);
    let doc = roxmltree::Document::parse(&drawio).unwrap();
    let values: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("value"))
        .collect();
    assert!(
        values.contains(switch) && values.contains(port),
        "{values:?}"
    );
    assert!(
        !drawio.contains("html=1"),
        "labels must not be read as HTML"
    );
    let svg = d.render(Format::Svg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: BTreeSet<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.contains(switch) && texts.contains(port) && texts.contains("eslag g]\"<x>"),
        "{texts:?}"
    );
    // Mermaid: no raw quote, bracket or markup in a label; the entity codes decode back.
    let mermaid = d.render(Format::Mermaid);
    let label_line = mermaid.lines().find(|l| l.contains("n0[\"")).unwrap();
    let inner = label_line
        .split_once("[\"")
        .unwrap()
        .1
        .rsplit_once("\"]")
        .unwrap()
        .0;
    assert!(
        !inner.contains(['"', '<', '>', '[', ']', '&', '`', '|', '{', '}']),
        "{inner}"
    );
    assert_eq!(decode_mermaid(inner), switch);
    // dot: Graphviz reads it, and shows the names as written (no `\N` or `\l` escapes).
    if let Some(out) = graphviz(&d.render(Format::Dot)) {
        let doc = roxmltree::Document::parse(&out).unwrap();
        let texts: BTreeSet<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        for name in want.devices.iter().map(String::as_str).chain([port]) {
            assert!(texts.contains(name), "{name:?} not in {texts:?}");
        }
    }
}
