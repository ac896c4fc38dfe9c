//! The loader on any bytes: it never panics, every diagnostic has a code and a message, and
//! every field of every loaded document can be located and rendered.
#![no_main]

use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::render;
use hedgehog_model::{Diagnostic, FieldPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let text = String::from_utf8_lossy(data);
    // An odd length reads the input as a `.json` file, an even one as YAML (or JSON by sniffing).
    let name = if data.len() % 2 == 1 {
        "in.json"
    } else {
        "in.yaml"
    };
    let loaded = Loader::new(Limits::default()).load_str(&text, Some(name));
    for d in &loaded.diagnostics {
        assert!(!d.code.is_empty() && !d.message.is_empty(), "{d:?}");
    }
    for doc in &loaded.documents {
        for path in [
            "",
            "metadata.name",
            "spec",
            "spec.a[0].b",
            "items[1]",
            "[2]",
        ] {
            let mut d = Diagnostic::error("x", "y")
                .with_object(doc.key())
                .at(FieldPath::parse(path));
            loaded.locate(&mut d);
            assert!(d.span.is_some(), "{path}");
        }
    }
    let _ = render(&loaded.documents);
});
