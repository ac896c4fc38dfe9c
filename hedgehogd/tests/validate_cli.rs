//! `hedgehogd validate` as operators and scripts call it: exit codes, the JSON contract and
//! the compiler-style text format pointing at file:line:column.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BROKEN: &str = "\
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
      bogus: true
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
spec:
  role: leaf
  profile: vs
";

fn hedgehogd(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hedgehogd"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn example(name: &str) -> String {
    format!("{}/../examples/fabrics/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_report_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    std::fs::write(&file, BROKEN).unwrap();
    let out = hedgehogd(
        &["validate", "--format", "json", file.to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let top: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["objects", "errors", "warnings", "diagnostics"]);
    assert_eq!(report["objects"], 2);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(
        report["errors"].as_u64().unwrap() as usize,
        diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .count()
    );
    for d in diagnostics {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "severity",
                "code",
                "message",
                "kind",
                "namespace",
                "name",
                "path",
                "file",
                "line",
                "column"
            ]
        );
    }
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "decode.unknown-field")
        .unwrap();
    assert_eq!(unknown["message"], "unknown field \"bogus\"");
    assert_eq!(unknown["path"], "spec.subnets.default.bogus");
    assert_eq!(unknown["file"], file.to_str().unwrap());
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(10), Some(7))
    );
    let role = diagnostics
        .iter()
        .find(|d| d["code"] == "schema.enum")
        .unwrap();
    assert_eq!(
        (
            role["kind"].as_str(),
            role["name"].as_str(),
            role["line"].as_u64()
        ),
        (Some("Switch"), Some("leaf-01"), Some(17))
    );
}

#[test]
fn text_format_points_at_file_line_and_column() {
    let out = hedgehogd(&["validate", "-"], Some(BROKEN));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l == "<input>:10:7: error[decode.unknown-field]: VPC/vpc-1: spec.subnets.default.bogus: unknown field \"bogus\""),
        "{text}"
    );
    assert!(text.trim_end().ends_with("errors, 0 warnings"), "{text}");
}

#[test]
fn stdin_json_has_no_file_name() {
    let out = hedgehogd(&["validate", "--format", "json", "-"], Some(BROKEN));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"].is_null())
    );
}

#[test]
fn bundled_example_is_valid_and_exits_zero() {
    let out = hedgehogd(
        &["validate", "--format", "json", &example("vlab.yaml")],
        None,
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(report["objects"].as_u64().unwrap() > 20);
}

#[test]
fn usage_and_io_problems_exit_two() {
    assert_eq!(hedgehogd(&["validate"], None).status.code(), Some(2));
    assert_eq!(
        hedgehogd(&["validate", "/nonexistent/fabric.yaml"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        hedgehogd(&["validate", "--hydrate", "sometimes", "-"], None)
            .status
            .code(),
        Some(2)
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("fab.yaml");
    std::fs::write(&cfg, "fabricMTU: [not, a, number]\n").unwrap();
    assert_eq!(
        hedgehogd(
            &["validate", "--fabric-config", cfg.to_str().unwrap(), "-"],
            Some(BROKEN)
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn fabric_config_overrides_hhfab_defaults() {
    // A VLAN namespace that overlaps hhfab's reserved IRB VLANs (3000-3899) is refused with
    // the default config and accepted once the reserved range moves away.
    let ns = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: default\nspec:\n  ranges:\n  - from: 3000\n    to: 3100\n";
    let default = hedgehogd(&["validate", "--format", "json", "-"], Some(ns));
    let report: Value = serde_json::from_slice(&default.stdout).unwrap();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"]
                .as_str()
                .unwrap()
                .contains("ranges overlap with Fabric reserved VLANs")),
        "{report:#}"
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("fab.yaml");
    std::fs::write(&cfg, "vpcIRBVLANRange:\n- from: 3500\n  to: 3599\nth5WorkaroundVLANRange:\n- from: 3600\n  to: 3699\n").unwrap();
    let moved = hedgehogd(
        &[
            "validate",
            "--format",
            "json",
            "--fabric-config",
            cfg.to_str().unwrap(),
            "-",
        ],
        Some(ns),
    );
    let report: Value = serde_json::from_slice(&moved.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report:#}");
}

#[test]
fn sample_prints_the_bundled_vlab_and_hydrate_fills_the_unhydrated_one() {
    let strip = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.starts_with("# "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let bundled = std::fs::read_to_string(example("vlab.yaml")).unwrap();
    let out = hedgehogd(&["sample"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        strip(&String::from_utf8(out.stdout).unwrap()),
        strip(&bundled)
    );
    let out = hedgehogd(&["hydrate", &example("vlab-unhydrated.yaml")], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        strip(&String::from_utf8(out.stdout).unwrap()),
        strip(&bundled)
    );
    let out = hedgehogd(&["sample", "--preset", "large", "--unhydrated"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.matches("\nkind: ").count() > 9_000 && !text.contains("protocolIP"));
}
