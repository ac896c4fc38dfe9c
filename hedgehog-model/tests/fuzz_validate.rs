//! The validator never panics: a valid fabric (the bundled VLAB example) is mutated at random
//! — any field set to a hostile value, or removed — and the whole pipeline (defaulting,
//! hydration, per-object, schema and cross-object rules) runs over it.

use hedgehog_model::hydrate::HydrateMode;
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::{Severity, ValidateOptions, validate_loaded};
use proptest::prelude::*;
use serde_json::Value;

fn fabric() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fabrics/vlab.yaml");
    let loaded = Loader::new(Limits::default()).load_file(path).unwrap();
    assert!(loaded.diagnostics.is_empty());
    loaded.documents.iter().map(|d| d.to_value()).collect()
}

/// Every path to a scalar (or empty container) in `value`, as JSON pointers.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}

fn hostile() -> impl Strategy<Value = Option<Value>> {
    let strings = prop::sample::select(vec![
        "",
        "x",
        "default",
        "leaf-01",
        "spine-01",
        "leaf-01/E1/1",
        "leaf-01/E1/55/1",
        "E1/99",
        "/",
        "a/b/c",
        "10.0.0.0/33",
        "10.0.1.0/24",
        "10.0.1.1",
        "172.30.0.1/21",
        "172.30.128.0/31",
        "::1",
        "fe80::1%eth0",
        "0c:20:12:ff:00:00",
        "zz:zz",
        "4x25G",
        "25G",
        "SPEED_25G",
        "eslag",
        "mclag",
        "spine",
        "server-leaf",
        "l3vni",
        "65101:1000",
        "-1",
        "1e9",
        "ü",
        "\u{0}",
    ]);
    prop_oneof![
        1 => Just(None),
        4 => strings.prop_map(|s| Some(Value::from(s))),
        2 => prop::sample::select(vec![0i64, 1, -1, 4094, 4095, 65535, 65536, u32::MAX as i64, i64::MIN]).prop_map(|n| Some(Value::from(n))),
        1 => any::<bool>().prop_map(|b| Some(Value::from(b))),
        1 => Just(Some(serde_json::json!({"a": [1, {"b": null}]}))),
        1 => Just(Some(Value::Array(vec![]))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fabrics_never_panic(
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), hostile()), 1..6),
        hydrate in prop::sample::select(vec![None, Some(HydrateMode::IfNotPresent), Some(HydrateMode::Override)]),
    ) {
        let mut docs = fabric();
        for (doc, leaf, value) in picks {
            let doc = doc.get_mut(&mut docs);
            let mut paths = Vec::new();
            leaves(doc, String::new(), &mut paths);
            let path = leaf.get(&paths).clone();
            let (parent, key) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
            let Some(container) = doc.pointer_mut(parent) else { continue };
            let key = key.replace("~1", "/").replace("~0", "~");
            match (container, value) {
                (Value::Object(map), Some(v)) => { map.insert(key, v); }
                (Value::Object(map), None) => { map.remove(&key); }
                (Value::Array(items), Some(v)) => {
                    if let Some(slot) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) { *slot = v; }
                }
                (Value::Array(items), None) => {
                    if let Some(i) = key.parse::<usize>().ok().filter(|i| *i < items.len()) { items.remove(i); }
                }
                (slot, Some(v)) => *slot = v,
                (_, None) => {}
            }
        }
        let text = serde_json::to_string(&docs).unwrap();
        let mut loaded = Loader::new(Limits::default()).load_str(&text, Some("fabric.json"));
        let options = ValidateOptions { hydrate, ..ValidateOptions::default() };
        let report = validate_loaded(&mut loaded, &options);
        prop_assert_eq!(report.objects, docs.len());
        prop_assert_eq!(report.errors, report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count());
        for d in &report.diagnostics {
            prop_assert!(!d.code.is_empty() && !d.message.is_empty(), "{}", d);
        }
    }
}
