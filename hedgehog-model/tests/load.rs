//! Loading real YAML and JSON: documents, sources, every load diagnostic, limits, locate.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use hedgehog_model::load::{Limits, LoadError, Loaded, Loader};
use hedgehog_model::{Diagnostic, FieldPath, Kind, Object, ObjectKey, Severity};

const WIRING: &str = "\
# A small wiring diagram, as hhfab writes it.
#
# SwitchList
#
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-1
  namespace: default
spec:
  role: server-leaf
  description: first leaf   # trailing comment
  profile: celestica-ds3000
  asn: 65101
  ip: 172.30.0.8/21
  vtepIP: 172.30.12.0/32
  protocolIP: 172.30.8.2/32
  boot:
    mac: 0c:20:12:fe:01:00
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-1--unbundled--leaf-1
  namespace: default
spec:
  unbundled:
    link:
      server:
        port: server-1/enp2s1
      switch:
        port: leaf-1/E1/1
---
# an empty document is skipped
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: &meta
  name: vpc-1
  namespace: default
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
...
";

fn load(text: &str, file: &str) -> Loaded {
    Loader::new(Limits::default()).load_str(text, Some(file))
}

fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

fn find<'a>(loaded: &'a Loaded, code: &str) -> &'a Diagnostic {
    loaded
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", loaded.diagnostics))
}

#[test]
fn loads_multi_document_yaml_with_sources() {
    let loaded = load(WIRING, "wiring.yaml");
    assert_eq!(codes(&loaded), Vec::<&str>::new());
    let kinds: Vec<_> = loaded.documents.iter().map(|d| d.object.kind()).collect();
    assert_eq!(
        kinds,
        [Some(Kind::Switch), Some(Kind::Connection), Some(Kind::Vpc)]
    );
    let starts: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| {
            let s = d.source.as_ref().unwrap();
            (s.file.as_deref().unwrap(), s.index, s.line, s.column)
        })
        .collect();
    assert_eq!(
        starts,
        [
            ("wiring.yaml", 0, 5, 1),
            ("wiring.yaml", 1, 21, 1),
            ("wiring.yaml", 3, 36, 1)
        ]
    );
    let Object::Switch(switch) = &loaded.documents[0].object else {
        panic!()
    };
    assert_eq!(switch.spec.asn, 65101);
    assert_eq!(switch.spec.description, "first leaf");
    // The anchor sends the VPC document through serde_yaml_ng; it must decode all the same.
    let Object::Vpc(vpc) = &loaded.documents[2].object else {
        panic!()
    };
    assert_eq!(vpc.spec.subnets["default"].vlan, 1001);
    // Debug output names the place, never the text.
    let debug = format!("{:?}", loaded.documents[0].source);
    assert!(
        debug.contains("wiring.yaml") && !debug.contains("celestica"),
        "{debug}"
    );
}

#[test]
fn locates_fields_named_by_later_diagnostics() {
    let loaded = load(WIRING, "wiring.yaml");
    let key = ObjectKey::new(Kind::Connection, "default", "server-1--unbundled--leaf-1");
    let mut d = Diagnostic::error("x", "y")
        .with_object(key.clone())
        .at("spec.unbundled.link.switch.port");
    loaded.locate(&mut d);
    let span = d.span.unwrap();
    assert_eq!(
        (span.file.as_deref(), span.line, span.column),
        (Some("wiring.yaml"), 32, 9)
    );
    // A defaulted field that is not in the text: its deepest written parent.
    let mut d = Diagnostic::error("x", "y")
        .with_object(key)
        .at("spec.unbundled.link.mtu");
    loaded.locate(&mut d);
    assert_eq!(d.span.unwrap().line, 28);
    // An object that was not loaded stays without span.
    let mut d =
        Diagnostic::error("x", "y").with_object(ObjectKey::new(Kind::Vpc, "default", "nope"));
    loaded.locate(&mut d);
    assert!(d.span.is_none());
    let mut d = Diagnostic::error("x", "y")
        .with_object(ObjectKey::new(Kind::Vpc, "default", "vpc-1"))
        .at("spec.subnets.default.vlan");
    loaded.locate_all(std::slice::from_mut(&mut d));
    assert_eq!(d.span.unwrap().line, 45);
}

#[test]
fn loads_json_arrays_objects_and_lists() {
    let json = r#"[
  {"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "IPv4Namespace",
   "metadata": {"name": "default"}, "spec": {"subnets": ["10.0.0.0/16"]}},
  {"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": {"name": "v1"},
     "spec": {"subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": 1001, "color": "red"}}}}
  ]}
]"#;
    let loaded = load(json, "objects.json");
    assert_eq!(loaded.documents.len(), 2);
    assert_eq!(loaded.documents[1].object.kind(), Some(Kind::Vpc));
    let unknown = find(&loaded, "decode.unknown-field");
    assert_eq!(unknown.path, FieldPath::parse("spec.subnets.default.color"));
    let span = unknown.span.as_ref().unwrap();
    assert_eq!((span.line, span.column), (6, 78));
    let vpc_source = loaded.documents[1].source.as_ref().unwrap();
    assert_eq!((vpc_source.line, vpc_source.column), (5, 5));
    let dup = load(
        "{\"apiVersion\": \"v1\", \"kind\": \"A\",\n \"kind\": \"B\"}",
        "dup.json",
    );
    let d = find(&dup, "load.duplicate-key");
    assert!(d.message.contains("at 1:22 and 2:2"), "{}", d.message);
    assert_eq!(dup.documents[0].key().kind, "B");
    // Without a file name, JSON is recognised by its first character.
    let one = Loader::default().load_str(
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}"#,
        None,
    );
    assert_eq!(one.documents.len(), 1);
    assert_eq!(codes(&one), ["load.unknown-kind"]);
}

#[test]
fn expands_kubectl_lists() {
    let text = "\
apiVersion: v1
items:
- apiVersion: wiring.githedgehog.com/v1beta1
  kind: Switch
  metadata:
    name: s1
  spec:
    asn: 1
- apiVersion: wiring.githedgehog.com/v1beta1
  kind: Switch
  metadata:
    name: s2
  spec:
    asn: twelve
kind: List
metadata:
  resourceVersion: \"\"
";
    let loaded = load(text, "list.yaml");
    assert_eq!(loaded.documents.len(), 2);
    let lines: Vec<u32> = loaded
        .documents
        .iter()
        .map(|d| d.source.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [3, 9]);
    let invalid = find(&loaded, "decode.invalid-value");
    assert_eq!(invalid.object.as_ref().unwrap().name, "s2");
    // Diagnostics on an item are located inside that item.
    let mut d = Diagnostic::error("x", "y")
        .with_object(ObjectKey::new(Kind::Switch, "default", "s1"))
        .at("spec.asn");
    loaded.locate(&mut d);
    assert_eq!(
        (
            d.span.as_ref().unwrap().line,
            d.span.as_ref().unwrap().column
        ),
        (8, 5)
    );
}

#[test]
fn reports_parse_errors_with_file_line_column() {
    let text = "apiVersion: v1\nkind: A\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: B\nspec: [1, 2\nmetadata: {}\n";
    let loaded = load(text, "bad.yaml");
    let d = find(&loaded, "load.parse");
    let span = d.span.as_ref().unwrap();
    assert_eq!(span.file.as_deref(), Some("bad.yaml"));
    assert!(span.line >= 8, "{d}");
    // The good document before it is still loaded.
    assert_eq!(loaded.documents.len(), 1);
    let bad_json = load("[{\"a\": 1},\n {\"b\": }]", "bad.json");
    let span = find(&bad_json, "load.parse").span.clone().unwrap();
    assert_eq!((span.line, span.column), (2, 8));
}

#[test]
fn reports_each_content_problem() {
    let text = "\
kind: Switch
metadata:
  name: a
---
apiVersion: wiring.githedgehog.com/v1beta1
metadata:
  name: b
---
- just
- a list
---
apiVersion: dhcp.githedgehog.com/v1beta1
kind: DHCPSubnet
metadata:
  name: d
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: twice
  name: twice
spec:
  bogus: 1
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: twice
";
    let loaded = load(text, "all.yaml");
    let line = |code: &str| find(&loaded, code).span.as_ref().unwrap().line;
    assert_eq!(line("load.missing-api-version"), 1);
    assert_eq!(line("load.missing-kind"), 5);
    assert_eq!(line("load.not-an-object"), 9);
    assert_eq!(line("load.not-allowed"), 12);
    let dup = find(&loaded, "load.duplicate-key");
    assert_eq!(dup.path, FieldPath::parse("metadata.name"));
    assert!(dup.message.contains("at 20:3 and 21:3"), "{}", dup.message);
    assert_eq!(line("load.duplicate-key"), 21);
    assert_eq!(line("decode.unknown-field"), 23);
    let twice = find(&loaded, "load.duplicate-object");
    assert!(
        twice.message.contains("all.yaml:17:1") && twice.message.contains("all.yaml:25:1"),
        "{}",
        twice.message
    );
    // Refused objects are not kept; everything else is.
    assert!(
        loaded
            .documents
            .iter()
            .all(|d| d.key().api_group != "dhcp.githedgehog.com")
    );
    assert_eq!(loaded.documents.len(), 4);
    let unknown = load(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {a: [1]}\n",
        "w.yaml",
    );
    let d = find(&unknown, "load.unknown-kind");
    assert_eq!(d.severity, Severity::Warning);
    let Object::Unknown(value) = &unknown.documents[0].object else {
        panic!()
    };
    assert_eq!(value["spec"]["a"][0], 1);
}

#[test]
fn billion_laughs_fails_fast_with_a_limit() {
    let mut text = String::from(
        "apiVersion: v1\nkind: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let start = Instant::now();
    let loaded = load(&text, "bomb.yaml");
    assert!(start.elapsed().as_secs() < 5);
    assert_eq!(codes(&loaded), ["load.limit"]);
    assert!(loaded.documents.is_empty());
    // Below serde_yaml_ng's own replay guard, our node budget is what stops it.
    let limits = Limits {
        max_alias_expansions: 100,
        ..Limits::default()
    };
    let small =
        "a: &a [1,2,3,4,5,6,7,8,9,10]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n";
    let loaded = Loader::new(limits).load_str(small, None);
    assert!(
        find(&loaded, "load.limit")
            .message
            .contains("too many nodes")
    );
}

#[test]
fn enforces_limits() {
    let limits = Limits {
        max_document_bytes: 64,
        max_documents: 2,
        max_depth: 5,
        ..Limits::default()
    };
    let loader = Loader::new(limits);
    let big = format!("apiVersion: v1\nkind: Big\ndata: {}\n", "x".repeat(100));
    assert!(
        find(&loader.load_str(&big, None), "load.limit")
            .message
            .contains("exceeds the limit")
    );
    let many =
        "kind: A\napiVersion: v1\n---\nkind: A\napiVersion: v1\n---\nkind: A\napiVersion: v1\n";
    let loaded = loader.load_str(many, None);
    assert_eq!(loaded.documents.len(), 2);
    assert!(
        find(&loaded, "load.limit")
            .message
            .contains("more than 2 documents")
    );
    let deep = "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g: 1\n";
    assert!(
        find(&loader.load_str(deep, None), "load.limit")
            .message
            .contains("deeper")
    );
    let total = Loader::new(Limits {
        max_total_bytes: 10,
        ..Limits::default()
    })
    .load_str(many, None);
    assert_eq!(codes(&total), ["load.limit"]);
}

#[test]
fn loads_directories_in_order_and_reports_io_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/nested")).unwrap();
    let obj = |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
    std::fs::write(root.join("b/nested/z.yml"), obj("z")).unwrap();
    std::fs::write(root.join("a.yaml"), obj("a")).unwrap();
    std::fs::write(
        root.join("c.json"),
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}"#,
    )
    .unwrap();
    std::fs::write(root.join("notes.txt"), "not: loaded\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
    let loaded = Loader::default().load_paths(&[root]).unwrap();
    let names: Vec<String> = loaded.documents.iter().map(|d| d.key().name).collect();
    assert_eq!(names, ["a", "z", "c"]);
    let file = loaded.documents[1]
        .source
        .as_ref()
        .unwrap()
        .file
        .clone()
        .unwrap();
    assert!(file.ends_with("b/nested/z.yml"), "{file}");
    let single = Loader::default().load_file(root.join("notes.txt")).unwrap();
    assert_eq!(
        codes(&single),
        ["load.missing-api-version", "load.missing-kind"]
    );
    let missing = Loader::default().load_file(root.join("nope.yaml"));
    assert!(matches!(missing, Err(LoadError::Io { .. })));
    std::fs::write(root.join("bin.yaml"), b"kind: A\n\xff\xfe\n").unwrap();
    let binary = Loader::default().load_file(root.join("bin.yaml")).unwrap();
    assert_eq!(find(&binary, "load.parse").span.as_ref().unwrap().line, 2);
}

/// Found by `fast_and_reference_parsers_agree`: libyaml reads NEL, LS and PS as line breaks,
/// so documents holding them must be read exactly as `serde_yaml_ng` reads them.
#[test]
fn unicode_line_separators_read_as_the_reference_parser_does() {
    for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
        let doc = serde_json::json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}, "data": {"a": format!("{c}    "), "b": format!("x{c}y")}});
        let text = serde_yaml_ng::to_string(&doc).unwrap();
        let expected: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        let loaded = hedgehog_model::load::Loader::default().load_str(&text, None);
        assert_eq!(loaded.documents[0].to_value(), expected, "{c:?}");
    }
}

/// Go decodes `null` as the zero value: a bare `spec:` or `field: ~` is not an error.
#[test]
fn null_fields_decode_as_zero_values_like_go() {
    let text = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: empty\nspec:\n---\napiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s1\nspec:\n  description: null\n  profile: ~\n";
    let loaded = hedgehog_model::load::Loader::default().load_str(text, None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(matches!(
        loaded.documents[0].object,
        hedgehog_model::Object::SwitchGroup(_)
    ));
    assert!(
        matches!(&loaded.documents[1].object, hedgehog_model::Object::Server(s) if s.spec.description.is_empty())
    );
}

/// Go decodes a document without `spec` with the zero spec (upstream then validates it, e.g.
/// `ASN is required` for a Switch); found by the differential fuzzer against upstream.
#[test]
fn missing_spec_decodes_as_the_zero_spec_like_go() {
    let text = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s1\n---\napiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\n";
    let loaded = hedgehog_model::load::Loader::default().load_str(text, None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(
        matches!(&loaded.documents[0].object, hedgehog_model::Object::Server(s) if s.spec.description.is_empty())
    );
    assert!(
        matches!(&loaded.documents[1].object, hedgehog_model::Object::Switch(s) if s.spec.asn == 0)
    );
}

/// Issue 12, defect 4: the fast parser read `b\u{3000}` as `b` (it trimmed Unicode spaces
/// that libyaml keeps) and accepted escapes and characters libyaml refuses. The loader must
/// read every document exactly as `serde_yaml_ng` (libyaml) does, and refuse what it refuses.
#[test]
fn fast_parser_reads_exactly_what_libyaml_reads() {
    let doc =
        |data: &str| format!("apiVersion: v1\nkind: Gadget\nmetadata:\n  name: g\ndata: {data}\n");
    for data in [
        "b\u{3000}",
        "b\u{a0}",
        "\u{a0}b",
        "b\u{2003}  ",
        "\"q\"\u{3000}",
        "b \u{3000}# not a comment",
        "'a\u{feff}b'",
    ] {
        let text = doc(data);
        let loaded = load(&text, "g.yaml");
        let expected: Result<serde_json::Value, _> = serde_yaml_ng::from_str(&text);
        match expected {
            Ok(expected) => {
                assert!(!loaded.has_errors(), "{data:?}: {:?}", loaded.diagnostics);
                assert_eq!(loaded.documents[0].to_value(), expected, "{data:?}");
            }
            Err(_) => assert_eq!(codes(&loaded), ["load.parse"], "{data:?}"),
        }
    }
    for data in [
        "\"\\u+041\"",
        "\"\\u-041\"",
        "\"\\u 041\"",
        "a\u{1}b",
        "a\u{7f}",
        "a\u{9c}b",
        "\"a\u{1}b\"",
        "a\u{fffe}",
    ] {
        let text = doc(data);
        assert!(
            serde_yaml_ng::from_str::<serde_json::Value>(&text).is_err(),
            "{data:?}"
        );
        let loaded = load(&text, "g.yaml");
        assert_eq!(codes(&loaded), ["load.parse"], "{data:?}");
        assert!(loaded.documents.is_empty(), "{data:?}");
    }
}

/// Issue 12, defect 13: deep flow nesting was refused only after work quadratic in the depth
/// (100 000 nested `[`, 200 KB, took 40 s through the API). Each of these documents of
/// 100-200 KB must now be refused with a limit, all of them within a budget of seconds.
#[test]
fn deep_nesting_is_refused_in_linear_time() {
    let n = 100_000;
    let texts = vec![
        "[".repeat(n),
        format!("a: {}", "[".repeat(n)),
        "{a: ".repeat(n / 2),
        format!("- {}", "[{".repeat(n / 2)),
        format!("a:\n  b: x\n  c: {}", "{d: [".repeat(n / 5)),
        format!("a: [{}", "[1, ".repeat(n / 2)),
    ];
    let count = texts.len();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for text in texts {
            let loaded = load(&text, "deep.yaml");
            let _ = tx.send((text.len(), codes(&loaded).join(",")));
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    for _ in 0..count {
        let left = deadline.saturating_duration_since(Instant::now());
        let (len, codes) = rx
            .recv_timeout(left)
            .expect("deep nesting must be refused within 10 s");
        assert_eq!(codes, "load.limit", "{len} bytes");
    }
}

/// Issue 12, defect 13 (other super-linear paths): a key written 20 000 times (100 KB) made
/// 20 000 diagnostics each naming every place and re-reading the whole document (200 s for
/// half as many). Now one diagnostic per key naming a few places, and locating is bounded
/// per document, so both shapes load in well under the budget.
#[test]
fn many_duplicate_keys_load_in_linear_time() {
    let head = "apiVersion: v1\nkind: Gadget\nmetadata:\n  name: g\n";
    let same = format!("{head}{}", "a: 1\n".repeat(20_000));
    let distinct: String = (0..5_000).map(|i| format!("k{i}: 1\nk{i}: 2\n")).collect();
    let distinct = format!("{head}{distinct}");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for text in [same, distinct] {
            let _ = tx.send(load(&text, "dup.yaml"));
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let next = || {
        rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("loaded within 10 s")
    };
    let same = next();
    let dup = find(&same, "load.duplicate-key");
    assert_eq!(
        codes(&same)
            .iter()
            .filter(|c| **c == "load.duplicate-key")
            .count(),
        1
    );
    assert!(
        dup.message
            .contains("(at 5:1 and 6:1 and 7:1 and 19996 more and 20004:1)"),
        "{}",
        dup.message
    );
    assert_eq!(dup.span.as_ref().unwrap().line, 20004);
    let distinct = next();
    let dups: Vec<&Diagnostic> = distinct
        .diagnostics
        .iter()
        .filter(|d| d.code == "load.duplicate-key")
        .collect();
    assert_eq!(dups.len(), 5_000);
    // The first ones are located exactly; the budget may send the last ones to the start.
    assert!(
        dups[0].message.contains("(at 5:1 and 6:1)"),
        "{}",
        dups[0].message
    );
    assert_eq!(dups[0].span.as_ref().unwrap().line, 6);
}

/// Go's decoder refuses a list where a struct belongs; serde's derived structs would read it
/// as the fields in order (found by the differential fuzzer against upstream).
#[test]
fn a_list_in_place_of_a_struct_does_not_decode_like_go() {
    let text = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-01\nspec:\n  subnets:\n    s:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n      dhcp:\n        enable: true\n        static:\n          0c:20:12:ff:00:01: [10.0.1.5]\n";
    let loaded = hedgehog_model::load::Loader::default().load_str(text, None);
    assert!(matches!(
        loaded.documents[0].object,
        hedgehog_model::Object::Unknown(_)
    ));
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec!["decode.invalid-value"],
        "{:?}",
        loaded.diagnostics
    );
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("spec.subnets.s.dhcp.static.0c:20:12:ff:00:01: invalid type: sequence"),
        "{}",
        loaded.diagnostics[0].message
    );
}

/// Objects are the same object when group, kind, namespace (empty = `default`) and name are
/// the same, whether modelled or not; any one of them differing makes another object.
#[test]
fn duplicate_objects_are_found_by_group_kind_namespace_and_name() {
    let object = |api: &str, kind: &str, ns: &str, name: &str| {
        let ns = if ns.is_empty() {
            String::new()
        } else {
            format!("\n  namespace: {ns}")
        };
        format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}{ns}\nspec: {{}}\n")
    };
    let vpc = |ns: &str, name: &str| object("vpc.githedgehog.com/v1beta1", "VPC", ns, name);
    let other = |ns: &str, name: &str| object("example.com/v1", "Widget", ns, name);
    let text = [
        vpc("", "a"),
        vpc("default", "a"),
        vpc("other", "a"),
        object("vpc.githedgehog.com/v1beta1", "IPv4Namespace", "", "a"),
        other("", "w"),
        other("default", "w"),
        object("example.org/v1", "Widget", "", "w"),
    ]
    .join("---\n");
    let loaded = load(&text, "dups.yaml");
    let twice: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "load.duplicate-object")
        .map(|d| {
            d.object
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(twice, ["VPC/a", "Widget/w"]);
}

/// Files of several megabytes are read in two halves side by side: what is loaded from such a
/// file must be exactly what is loaded from its text, down to the last object's position.
#[test]
fn large_files_load_as_their_text_does() {
    const N: u32 = 40_000;
    let objects: Vec<String> = (0..N)
        .map(|i| {
            format!(
                "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-{i}\n\
                 spec:\n  subnets:\n    default:\n      subnet: 10.{}.{}.0/24\n",
                i / 256 % 256,
                i % 256
            )
        })
        .collect();
    let text = objects.join("---\n");
    assert!(text.len() > 5 << 20, "{} bytes", text.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.yaml");
    std::fs::write(&path, &text).unwrap();
    let from_file = Loader::new(Limits::default()).load_paths(&[&path]).unwrap();
    let from_text = load(&text, &path.display().to_string());
    assert_eq!(from_file.documents.len(), N as usize);
    assert_eq!(from_file.documents, from_text.documents);
    assert_eq!(from_file.diagnostics, from_text.diagnostics);
    let last = from_file.documents.last().unwrap();
    assert_eq!(last.key().name, format!("vpc-{}", N - 1));
    assert_eq!(last.source.as_ref().unwrap().line, 9 * (N - 1) + 1);
}
