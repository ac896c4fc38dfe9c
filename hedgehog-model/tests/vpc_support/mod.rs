//! Helpers shared by the VPC-API tests: load YAML, default, validate.

#![allow(dead_code)] // each test binary uses a different subset

#[path = "../fixture_dump/mod.rs"]
mod fixture_dump;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::{Diagnostic, Object, defaults, validate};

/// Decodes one YAML document into a typed object (no decode diagnostics allowed).
pub fn load(yaml: &str) -> Object {
    fixture_dump::dump(yaml);
    let decoded = Object::from_value(serde_yaml_ng::from_str(yaml).unwrap());
    assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
    assert!(
        !matches!(decoded.object, Object::Unknown(_)),
        "not a typed object: {yaml}"
    );
    decoded.object
}

/// Loads and defaults.
pub fn defaulted(yaml: &str) -> Object {
    let mut obj = load(yaml);
    defaults::default_object(&mut obj);
    obj
}

/// Loads, defaults and validates with hhfab's default configuration.
pub fn check(yaml: &str) -> Vec<Diagnostic> {
    validate::validate_object(&defaulted(yaml), Some(&FabricConfig::default()))
}

/// `(code, path, message)` of every diagnostic.
pub fn triples(diags: &[Diagnostic]) -> Vec<(&'static str, String, String)> {
    diags
        .iter()
        .map(|d| (d.code, d.path.to_string(), d.message.clone()))
        .collect()
}

/// Asserts that validation yields exactly one error with this code, path and message.
pub fn assert_one(yaml: &str, code: &str, path: &str, message: &str) {
    let diags = check(yaml);
    assert_eq!(
        triples(&diags),
        vec![(
            code_static(code, &diags),
            path.to_owned(),
            message.to_owned()
        )],
        "for:\n{yaml}"
    );
    assert!(diags[0].is_error());
}

/// Asserts that validation finds nothing.
pub fn assert_valid(yaml: &str) {
    let diags = check(yaml);
    assert!(
        diags.is_empty(),
        "unexpected: {:#?}\nfor:\n{yaml}",
        triples(&diags)
    );
}

fn code_static(code: &str, diags: &[Diagnostic]) -> &'static str {
    diags
        .iter()
        .map(|d| d.code)
        .find(|c| *c == code)
        .unwrap_or("<code not reported>")
}

/// The object as JSON, for comparing defaulted specs and labels.
pub fn json(obj: &Object) -> serde_json::Value {
    obj.to_value()
}

/// Indents every line of `text` by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// A VPC named `name` with `spec_extra` (spec-level YAML) and one subnet `default` whose
/// fields are `subnet` (YAML, unindented).
pub fn vpc_named(name: &str, spec_extra: &str, subnet: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: {name}\nspec:\n{}  subnets:\n    default:\n{}",
        indent(spec_extra, 2),
        indent(subnet, 6)
    )
}

/// [`vpc_named`] with the name `vpc-1` and no spec extras.
pub fn vpc(subnet: &str) -> String {
    vpc_named("vpc-1", "", subnet)
}

/// A subnet with DHCP enabled (`10.0.1.0/24`, VLAN 1001) plus `extra` fields.
pub fn dhcp_subnet(extra: &str) -> String {
    format!(
        "subnet: 10.0.1.0/24\nvlan: 1001\ndhcp:\n  enable: true\n{}",
        indent(extra, 2)
    )
}
