//! Canonical rendering: order, headers, unknown fields, round trips and the fixed point.

use hedgehog_model::load::{Limits, Loaded, Loader};
use hedgehog_model::render::{RenderOptions, render, render_with};

const INPUT: &str = "\
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-2
spec:
  subnets:
    default: {subnet: 10.0.2.0/24, vlan: 1002}
  futureField: {x: [1, 2]}
---
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g
spec:
  z: 1
  a: 'yes'
  n: \"0123\"
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-2
  labels:
    fabric.githedgehog.com/rack: r1
spec:
  role: server-leaf
  asn: 65102
  description: \"multi\\nline: text\"
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
";

fn load(text: &str) -> Loaded {
    Loader::new(Limits::default()).load_str(text, Some("in.yaml"))
}

#[test]
fn renders_in_key_order_with_unknown_fields_and_headers() {
    let loaded = load(INPUT);
    let out = render_with(&loaded.documents, &RenderOptions { headers: true });
    let kinds: Vec<&str> = out.lines().filter(|l| l.starts_with("kind: ")).collect();
    assert_eq!(
        kinds,
        ["kind: Switch", "kind: VPC", "kind: VPC", "kind: Gadget"]
    );
    let names: Vec<&str> = out.lines().filter(|l| l.starts_with("  name: ")).collect();
    assert_eq!(
        names,
        [
            "  name: leaf-2",
            "  name: vpc-1",
            "  name: vpc-2",
            "  name: g"
        ]
    );
    assert!(
        out.starts_with("#\n# SwitchList\n#\napiVersion: wiring.githedgehog.com/v1beta1\n"),
        "{out}"
    );
    assert!(
        out.contains("#\n# VPCList\n#\n---\napiVersion: vpc.githedgehog.com/v1beta1\n"),
        "{out}"
    );
    assert_eq!(out.matches("# VPCList").count(), 1);
    assert!(out.contains("#\n# GadgetList\n#\n---\n"));
    // The unknown field of a known kind is written back, YAML-1.1-ambiguous strings quoted.
    assert!(
        out.contains("  futureField:\n    x:\n    - 1\n    - 2\n"),
        "{out}"
    );
    assert!(
        out.contains("  a: \"yes\"\n") && out.contains("  \"n\": \"0123\"\n"),
        "{out}"
    );
    assert!(
        out.contains("  description: \"multi\\nline: text\"\n"),
        "{out}"
    );
    assert!(!out.contains("creationTimestamp"));
}

#[test]
fn round_trips_and_is_a_fixed_point() {
    let first = load(INPUT);
    let rendered = render(&first.documents);
    let second = load(&rendered);
    let unknown_codes: Vec<_> = second.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(unknown_codes, ["decode.unknown-field", "load.unknown-kind"]);
    let mut a: Vec<_> = first
        .documents
        .iter()
        .map(|d| (d.key(), d.object.clone(), d.unknown.clone()))
        .collect();
    a.sort_by(|x, y| x.0.cmp(&y.0));
    let b: Vec<_> = second
        .documents
        .iter()
        .map(|d| (d.key(), d.object.clone(), d.unknown.clone()))
        .collect();
    assert_eq!(a, b);
    assert_eq!(render(&second.documents), rendered);
    let headers = RenderOptions { headers: true };
    let with_headers = render_with(&first.documents, &headers);
    assert_eq!(
        render_with(&load(&with_headers).documents, &headers),
        with_headers
    );
    // Rendering reads back identically through serde_yaml_ng too.
    for (doc, text) in second.documents.iter().zip(rendered.split("---\n")) {
        let value: serde_json::Value = serde_yaml_ng::from_str(text).unwrap();
        assert_eq!(value, doc.to_value());
    }
}

#[test]
fn renders_nothing_for_no_documents() {
    assert_eq!(render(&[]), "");
}
