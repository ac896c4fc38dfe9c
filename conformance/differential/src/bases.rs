//! The valid fabrics that mutants start from: hhfab's default VLAB and variants of it, the
//! `small` preset (all hydrated as hhfab would), and a hand-written fabric with what the
//! generator does not make (externals, static externals, peerings, DHCP options).

use hedgehog_model::Object;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::sample::{Preset, VlabParams, preset, vlab};
use serde_json::Value;

/// A named valid fabric, as JSON documents.
#[derive(Clone, Debug)]
pub struct Base {
    /// Short name, shown with every case.
    pub name: &'static str,
    /// The documents.
    pub docs: Vec<Value>,
}

const EXTERNALS: &str = include_str!("../bases/externals.yaml");

/// Every base fabric.
pub fn bases() -> Vec<Base> {
    let mesh = VlabParams {
        spines: 0,
        mesh_links: 2,
        ..VlabParams::default()
    };
    let multihomed = VlabParams {
        eslag_leaf_groups: vec![3],
        orphan_leaves: 2,
        multihomed_servers: 2,
        vpc_peerings: 2,
        ..VlabParams::default()
    };
    vec![
        hydrated("vlab", vlab(&VlabParams::default())),
        hydrated("vlab-mesh", vlab(&mesh)),
        hydrated("vlab-multihomed", vlab(&multihomed)),
        hydrated("small", preset(Preset::Small)),
        Base {
            name: "externals",
            docs: documents(EXTERNALS),
        },
    ]
}

fn hydrated(name: &'static str, mut objects: Vec<Object>) -> Base {
    hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    )
    .unwrap_or_else(|problems| panic!("base {name} does not hydrate: {problems:?}"));
    Base {
        name,
        docs: objects.iter().map(Object::to_value).collect(),
    }
}

/// The documents of a multi-document YAML text.
pub fn documents(text: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(text)
        .filter_map(|doc| {
            let value: Value = serde::Deserialize::deserialize(doc).ok()?;
            (!value.is_null()).then_some(value)
        })
        .collect()
}

/// Documents as multi-document YAML.
pub fn to_yaml(docs: &[Value]) -> String {
    docs.iter()
        .map(|d| serde_yaml_ng::to_string(d).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("---\n")
}
