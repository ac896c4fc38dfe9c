//! Server, SwitchGroup and ServerProfile: only metadata is validated (rule 39); Server
//! defaulting drops stale fabric labels.

mod vpc_support;

use hedgehog_model::defaults;
use serde_json::json;
use vpc_support::{assert_one, assert_valid, check, defaulted, json as to_json};

fn doc(kind: &str, name: &str, extra: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: {kind}\nmetadata:\n  name: {name}\n{extra}"
    )
}

#[test]
fn rule_39_valid_objects() {
    assert_valid(&doc(
        "Server",
        "server-01",
        "spec:\n  description: S-01 ESLAG\n",
    ));
    assert_valid(&doc("SwitchGroup", "eslag-1", "spec: {}\n"));
    assert_valid(&doc("ServerProfile", "gpu", "spec: {}\n"));
}

#[test]
fn rule_39_metadata_errors() {
    for kind in ["Server", "SwitchGroup", "ServerProfile"] {
        assert_one(
            &doc(kind, "Server_01", "spec: {}\n"),
            "meta.name-invalid",
            "metadata.name",
            "failed to validate metadata: invalid resource name: name does not match a lowercase RFC 1123 subdomain",
        );
    }
    let other_ns = doc("SwitchGroup", "g", "spec: {}\n")
        .replace("  name: g\n", "  name: g\n  namespace: fab\n");
    assert_one(
        &other_ns,
        "meta.namespace",
        "metadata.namespace",
        "failed to validate metadata: invalid resource namespace: only default namespace is currently supported",
    );
    let codes: Vec<&str> = check(
        &doc("Server", "A", "spec: {}\n").replace("  name: A\n", "  name: A\n  namespace: x\n"),
    )
    .iter()
    .map(|d| d.code)
    .collect();
    assert_eq!(codes, vec!["meta.name-invalid", "meta.namespace"]);
}

#[test]
fn server_defaulting_drops_fabric_labels() {
    let yaml = doc("Server", "server-01", "spec: {}\n").replace(
        "  name: server-01\n",
        "  name: server-01\n  labels:\n    rack: r1\n    fabric.githedgehog.com/server-type: old\n",
    );
    let once = defaulted(&yaml);
    let v = to_json(&once);
    assert_eq!(v["metadata"]["labels"], json!({"rack": "r1"}));
    assert_eq!(v["metadata"]["namespace"], "default");
    let mut twice = once.clone();
    defaults::default_object(&mut twice);
    assert_eq!(once, twice);
}
