//! Our generated CRDs against upstream's controller-gen output, vendored in `upstream/crds/`:
//! a structural diff that ignores descriptions and key order and reports every difference
//! with its path.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hedgehog_model::Kind;
use hedgehog_model::crd::{crd, crds_yaml};
use serde_json::Value;

/// Differences we keep on purpose, as `(kind, path prefix)`. Empty: we match upstream.
const ALLOWED: &[(&str, &str)] = &[];

fn upstream(kind: Kind) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("upstream/crds")
        .join(format!("{}_{}.yaml", kind.group(), kind.plural()));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml_ng::from_str(&text).unwrap()
}

/// JSON equality with numbers compared by value (`50` and `50.0` are the same bound).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Compares two schemas; `description` is ignored at every schema level (but a *property*
/// called `description` is compared like any other).
fn diff_schema(ours: &Value, theirs: &Value, path: &str, out: &mut Vec<String>) {
    let (Some(o), Some(t)) = (ours.as_object(), theirs.as_object()) else {
        if !same(ours, theirs) {
            out.push(format!("{path}: ours {ours} upstream {theirs}"));
        }
        return;
    };
    let keys: BTreeSet<&String> = o
        .keys()
        .chain(t.keys())
        .filter(|k| *k != "description")
        .collect();
    for key in keys {
        let here = format!("{path}.{key}");
        match (o.get(key), t.get(key)) {
            (Some(a), None) => out.push(format!("{here}: only ours: {a}")),
            (None, Some(b)) => out.push(format!("{here}: only upstream: {b}")),
            (Some(a), Some(b)) => match key.as_str() {
                "properties" => diff_properties(a, b, &here, out),
                "items" | "additionalProperties" => diff_schema(a, b, &here, out),
                "required" => {
                    let set = |v: &Value| -> BTreeSet<String> {
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .map(|s| s.to_string())
                            .collect()
                    };
                    if set(a) != set(b) {
                        out.push(format!("{here}: ours {a} upstream {b}"));
                    }
                }
                _ if !same(a, b) => out.push(format!("{here}: ours {a} upstream {b}")),
                _ => {}
            },
            (None, None) => {}
        }
    }
}

fn diff_properties(ours: &Value, theirs: &Value, path: &str, out: &mut Vec<String>) {
    let empty = serde_json::Map::new();
    let o = ours.as_object().unwrap_or(&empty);
    let t = theirs.as_object().unwrap_or(&empty);
    let names: BTreeSet<&String> = o.keys().chain(t.keys()).collect();
    for name in names {
        let here = format!("{path}.{name}");
        match (o.get(name), t.get(name)) {
            (Some(a), Some(b)) => diff_schema(a, b, &here, out),
            (Some(_), None) => out.push(format!("{here}: property only ours")),
            (None, Some(_)) => out.push(format!("{here}: property only upstream")),
            (None, None) => {}
        }
    }
}

/// Compares the non-schema parts of the CRD value at `pointer`.
fn diff_at(ours: &Value, theirs: &Value, pointer: &str, out: &mut Vec<String>) {
    let (a, b) = (ours.pointer(pointer), theirs.pointer(pointer));
    if !a.zip(b).map_or(a == b, |(a, b)| same(a, b)) {
        let show = |v: Option<&Value>| v.map_or("nothing".to_owned(), Value::to_string);
        out.push(format!("{pointer}: ours {} upstream {}", show(a), show(b)));
    }
}

fn differences(kind: Kind) -> Vec<String> {
    let ours = serde_json::to_value(crd(kind)).unwrap();
    let theirs = upstream(kind);
    let mut out = Vec::new();
    for pointer in [
        "/apiVersion",
        "/kind",
        "/metadata/name",
        "/spec/group",
        "/spec/scope",
        "/spec/names",
        "/spec/versions/0/name",
        "/spec/versions/0/served",
        "/spec/versions/0/storage",
        "/spec/versions/0/additionalPrinterColumns",
        "/spec/versions/0/subresources",
        "/spec/versions/1",
    ] {
        diff_at(&ours, &theirs, pointer, &mut out);
    }
    let schema = "/spec/versions/0/schema/openAPIV3Schema";
    match (ours.pointer(schema), theirs.pointer(schema)) {
        (Some(a), Some(b)) => diff_schema(a, b, "openAPIV3Schema", &mut out),
        (a, b) => out.push(format!("{schema}: ours {a:?} upstream {b:?}")),
    }
    out.retain(|d| {
        !ALLOWED
            .iter()
            .any(|(k, p)| *k == kind.name() && d.starts_with(p))
    });
    out
}

#[test]
fn generated_crds_equal_upstream() {
    let mut failures = Vec::new();
    for kind in Kind::ALL {
        for d in differences(kind) {
            failures.push(format!("{kind}: {d}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_diff_sees_a_difference() {
    // Guards the comparison itself: a changed bound and a dropped property must show up.
    let kind = Kind::Switch;
    let ours = serde_json::to_value(crd(kind)).unwrap();
    let mut theirs = ours.clone();
    let spec = theirs
        .pointer_mut("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties")
        .unwrap();
    spec["linkFlapErrDisable"]["properties"]["flapThreshold"]["maximum"] = 49.into();
    spec.as_object_mut().unwrap().remove("description");
    let mut out = Vec::new();
    diff_schema(
        ours.pointer("/spec/versions/0/schema/openAPIV3Schema")
            .unwrap(),
        theirs
            .pointer("/spec/versions/0/schema/openAPIV3Schema")
            .unwrap(),
        "openAPIV3Schema",
        &mut out,
    );
    assert_eq!(
        out,
        [
            "openAPIV3Schema.properties.spec.properties.description: property only ours",
            "openAPIV3Schema.properties.spec.properties.linkFlapErrDisable.properties.flapThreshold.maximum: ours 50.0 upstream 49",
        ]
    );
}

#[test]
fn crds_yaml_is_a_stream_of_all_kinds_in_order() {
    let text = crds_yaml();
    assert_eq!(text, crds_yaml(), "deterministic");
    let names: Vec<String> = serde_yaml_ng::Deserializer::from_str(&text)
        .map(|doc| {
            let v: Value = serde::Deserialize::deserialize(doc).unwrap();
            v["spec"]["names"]["kind"].as_str().unwrap().to_owned()
        })
        .collect();
    let expected: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names, expected);
}
