//! A small valid fabric (2 spines, 2 ESLAG leaves on profile `vs`, 3 servers, fabric and
//! external connections, namespaces, 2 VPCs with attachments and a peering, an external)
//! and helpers to mutate it and validate the result.

#![allow(dead_code)] // each test binary uses a different subset

#[path = "../fixture_dump/mod.rs"]
mod fixture_dump;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::profiles::Catalog;
use hedgehog_model::{Diagnostic, Object, defaults, fabric, validate};
use serde_json::Value;

pub const BASE: &str = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: VLANNamespace
metadata:
  name: default
spec:
  ranges:
  - from: 1000
    to: 2999
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: IPv4Namespace
metadata:
  name: default
spec:
  subnets:
  - 10.0.0.0/16
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata:
  name: eslag-1
spec: {}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: spine-01
spec:
  role: spine
  profile: vs
  asn: 65100
  ip: 172.30.0.8/21
  protocolIP: 172.30.8.0/32
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: spine-02
spec:
  role: spine
  profile: vs
  asn: 65100
  ip: 172.30.0.9/21
  protocolIP: 172.30.8.1/32
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
spec:
  role: server-leaf
  profile: vs
  asn: 65101
  ip: 172.30.0.10/21
  protocolIP: 172.30.8.2/32
  vtepIP: 172.30.12.0/32
  groups: [eslag-1]
  redundancy:
    group: eslag-1
    type: eslag
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-02
spec:
  role: server-leaf
  profile: vs
  asn: 65102
  ip: 172.30.0.11/21
  protocolIP: 172.30.8.3/32
  vtepIP: 172.30.12.1/32
  groups: [eslag-1]
  redundancy:
    group: eslag-1
    type: eslag
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata:
  name: server-01
spec: {}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata:
  name: server-02
spec: {}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata:
  name: server-03
spec: {}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-01--eslag--leaf-01--leaf-02
spec:
  eslag:
    links:
    - server: {port: server-01/enp2s1}
      switch: {port: leaf-01/E1/1}
    - server: {port: server-01/enp2s2}
      switch: {port: leaf-02/E1/1}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-02--unbundled--leaf-01
spec:
  unbundled:
    link:
      server: {port: server-02/enp2s1}
      switch: {port: leaf-01/E1/2}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-03--bundled--leaf-02
spec:
  bundled:
    links:
    - server: {port: server-03/enp2s1}
      switch: {port: leaf-02/E1/2}
    - server: {port: server-03/enp2s2}
      switch: {port: leaf-02/E1/3}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: spine-01--fabric--leaf-01
spec:
  fabric:
    links:
    - spine: {port: spine-01/E1/1, ip: 172.30.128.0/31}
      leaf: {port: leaf-01/E1/10, ip: 172.30.128.1/31}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: spine-01--fabric--leaf-02
spec:
  fabric:
    links:
    - spine: {port: spine-01/E1/2, ip: 172.30.128.2/31}
      leaf: {port: leaf-02/E1/10, ip: 172.30.128.3/31}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: spine-02--fabric--leaf-01
spec:
  fabric:
    links:
    - spine: {port: spine-02/E1/1, ip: 172.30.128.4/31}
      leaf: {port: leaf-01/E1/11, ip: 172.30.128.5/31}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: spine-02--fabric--leaf-02
spec:
  fabric:
    links:
    - spine: {port: spine-02/E1/2, ip: 172.30.128.6/31}
      leaf: {port: leaf-02/E1/11, ip: 172.30.128.7/31}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: leaf-01--external
spec:
  external:
    link:
      switch: {port: leaf-01/E1/20}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-01
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
    subnet-2:
      subnet: 10.0.2.0/24
      vlan: 1002
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-02
spec:
  subnets:
    default:
      subnet: 10.0.3.0/24
      vlan: 1003
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: server-01--vpc-01--default
spec:
  subnet: vpc-01/default
  connection: server-01--eslag--leaf-01--leaf-02
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: server-02--vpc-02--default
spec:
  subnet: vpc-02/default
  connection: server-02--unbundled--leaf-01
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCPeering
metadata:
  name: vpc-01--vpc-02
spec:
  permit:
  - vpc-01: {}
    vpc-02: {}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: External
metadata:
  name: ext-01
spec:
  inboundCommunity: 65102:5000
  outboundCommunity: 50000:50001
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: ExternalAttachment
metadata:
  name: leaf-01--ext-01
spec:
  external: ext-01
  connection: leaf-01--external
  switch:
    vlan: 100
    ip: 100.1.100.1/24
  neighbor:
    asn: 64102
    ip: 100.1.100.6
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: ExternalPeering
metadata:
  name: vpc-01--ext-01
spec:
  permit:
    vpc:
      name: vpc-01
      subnets: [default]
    external:
      name: ext-01
      prefixes:
      - prefix: 0.0.0.0/0
"#;

/// The YAML documents of `text` as JSON values.
pub fn docs(text: &str) -> Vec<Value> {
    text.split("\n---\n")
        .filter(|d| !d.trim().is_empty())
        .map(|d| serde_yaml_ng::from_str(d).unwrap())
        .collect()
}

/// Decodes (strictly) and defaults every document.
pub fn objects(values: Vec<Value>) -> Vec<Object> {
    let docs: Vec<String> = values
        .iter()
        .map(|v| serde_yaml_ng::to_string(v).expect("JSON values render as YAML"))
        .collect();
    fixture_dump::dump(&docs.join("---\n"));
    values
        .into_iter()
        .map(|v| {
            let decoded = Object::from_value(v);
            assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
            assert!(!matches!(decoded.object, Object::Unknown(_)));
            let mut object = decoded.object;
            defaults::default_object(&mut object);
            object
        })
        .collect()
}

/// The base fabric, as values to edit.
pub fn base_values() -> Vec<Value> {
    docs(BASE)
}

/// The document of `kind`/`name` among `values`.
pub fn doc<'a>(values: &'a mut [Value], kind: &str, name: &str) -> &'a mut Value {
    values
        .iter_mut()
        .find(|v| v["kind"] == kind && v["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}/{name}"))
}

/// Removes the document of `kind`/`name`.
pub fn remove(values: &mut Vec<Value>, kind: &str, name: &str) {
    let before = values.len();
    values.retain(|v| !(v["kind"] == kind && v["metadata"]["name"] == name));
    assert_eq!(values.len() + 1, before, "no {kind}/{name}");
}

/// Appends the documents of `text`.
pub fn add(values: &mut Vec<Value>, text: &str) {
    values.extend(docs(text));
}

/// The base fabric after `edit`, decoded and defaulted.
pub fn fabric_with(edit: impl FnOnce(&mut Vec<Value>)) -> Vec<Object> {
    let mut values = base_values();
    edit(&mut values);
    objects(values)
}

/// Whole-fabric diagnostics with hhfab's default configuration.
pub fn cross(objects: &[Object]) -> Vec<Diagnostic> {
    fabric::validate_all(objects, &FabricConfig::default())
}

/// Whole-fabric diagnostics of the base fabric after `edit`.
pub fn cross_with(edit: impl FnOnce(&mut Vec<Value>)) -> Vec<Diagnostic> {
    cross(&fabric_with(edit))
}

/// Per-object diagnostics of every object.
pub fn per_object(objects: &[Object]) -> Vec<Diagnostic> {
    let cfg = FabricConfig::default();
    objects
        .iter()
        .flat_map(|o| validate::validate_object(o, Some(&cfg)))
        .collect()
}

/// `(code, object name, path, message)` of each diagnostic.
pub fn summary(diags: &[Diagnostic]) -> Vec<(String, String, String, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d.code.to_owned(),
                d.object
                    .as_ref()
                    .map(|k| format!("{}/{}", k.kind, k.name))
                    .unwrap_or_default(),
                d.path.to_string(),
                d.message.clone(),
            )
        })
        .collect()
}

/// Asserts exactly one diagnostic, with this code, object (`Kind/name`), path and message.
pub fn assert_one(diags: &[Diagnostic], code: &str, object: &str, path: &str, message: &str) {
    let got = summary(diags);
    assert_eq!(
        got,
        vec![(
            code.to_owned(),
            object.to_owned(),
            path.to_owned(),
            message.to_owned()
        )],
        "{got:#?}"
    );
}

/// Asserts that some diagnostic has this code, object, path and message.
pub fn assert_has(diags: &[Diagnostic], code: &str, object: &str, path: &str, message: &str) {
    let got = summary(diags);
    let want = (
        code.to_owned(),
        object.to_owned(),
        path.to_owned(),
        message.to_owned(),
    );
    assert!(got.contains(&want), "missing {want:#?} in {got:#?}");
}

/// The built-in catalog of hhfab's default configuration.
pub fn catalog() -> Catalog {
    Catalog::builtin(&FabricConfig::default())
}
