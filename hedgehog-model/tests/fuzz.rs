//! Property tests: no input makes load, locate or render panic, and rendering loses nothing.

use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::render;
use hedgehog_model::{Diagnostic, FieldPath};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn loader() -> Loader {
    Loader::new(Limits {
        max_depth: 16,
        max_alias_expansions: 10_000,
        ..Limits::default()
    })
}

/// Strings that stress quoting: YAML indicators, numbers, booleans, blanks, unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,8}",
        Just(String::new()),
        prop::sample::select(vec![
            "yes",
            "No",
            "~",
            "null",
            "true",
            "0123",
            "1e3",
            "0x1F",
            "- x",
            "a: b",
            "#c",
            "x #y",
            "'q'",
            "\"d\"",
            " lead",
            "trail ",
            "multi\nline",
            "tab\there",
            "10.0.0.1/24",
            "é",
            "---",
            "...",
            "&a",
            "*a",
            "!t",
            "{a}",
            "[b]",
            "%x",
            "@y",
            "`z",
            "1:2",
            ".inf",
            "-.5",
            "\u{feff}bom",
            "\u{85}nel",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A document of some kind (modelled or not) with arbitrary extra content.
fn document() -> impl Strategy<Value = Value> {
    let kinds = prop::sample::select(vec![
        ("wiring.githedgehog.com/v1beta1", "Switch"),
        ("vpc.githedgehog.com/v1beta1", "VPC"),
        ("example.com/v1", "Gadget"),
    ]);
    (kinds, "[a-z]{1,6}", value(), value()).prop_map(|((api, kind), name, spec, extra)| {
        serde_json::json!({
            "apiVersion": api, "kind": kind, "metadata": {"name": name},
            "spec": spec, "extra": extra,
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let loaded = loader().load_str(&text, Some("fuzz.yaml"));
        let _ = render(&loaded.documents);
        locate_everything(&loaded);
    }

    #[test]
    fn yaml_like_text_never_panics(lines in prop::collection::vec((0usize..6, text(), prop::sample::select(vec![": ", ":", "- ", "", " #"]), text()), 0..20)) {
        let text: String = lines
            .iter()
            .map(|(indent, a, sep, b)| format!("{}{a}{sep}{b}\n", " ".repeat(*indent)))
            .collect();
        let loaded = loader().load_str(&text, None);
        let _ = render(&loaded.documents);
        locate_everything(&loaded);
    }

    #[test]
    fn rendering_loses_no_field(docs in prop::collection::vec(document(), 1..4)) {
        let text: String = docs
            .iter()
            .map(|d| serde_yaml_ng::to_string(d).unwrap())
            .collect::<Vec<_>>()
            .join("---\n");
        let first = loader().load_str(&text, None);
        let rendered = render(&first.documents);
        let second = loader().load_str(&rendered, None);
        prop_assert_eq!(first.documents.len(), second.documents.len());
        let mut before: Vec<Value> = first.documents.iter().map(|d| d.to_value()).collect();
        let mut after: Vec<Value> = second.documents.iter().map(|d| d.to_value()).collect();
        before.sort_by_key(|v| v.to_string());
        after.sort_by_key(|v| v.to_string());
        prop_assert_eq!(before, after);
        prop_assert_eq!(render(&second.documents), rendered);
    }

    #[test]
    fn fast_and_reference_parsers_agree(v in value()) {
        // Whatever the reader picks for a document, it must read what serde_yaml_ng reads.
        let doc = serde_json::json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}, "data": v});
        let text = serde_yaml_ng::to_string(&doc).unwrap();
        let expected: Value = serde_yaml_ng::from_str(&text).unwrap();
        let loaded = loader().load_str(&text, None);
        prop_assert_eq!(loaded.documents.len(), 1);
        prop_assert_eq!(loaded.documents[0].to_value(), expected);
    }
}

fn locate_everything(loaded: &hedgehog_model::load::Loaded) {
    for doc in &loaded.documents {
        for path in ["", "spec", "spec.a[0].b", "metadata.name", "[3]"] {
            let mut d = Diagnostic::error("x", "y")
                .with_object(doc.key())
                .at(FieldPath::parse(path));
            loaded.locate(&mut d);
            assert!(d.span.is_some());
        }
    }
}
