//! Rendering loses nothing: whatever loads without errors renders to text that loads back
//! to the same objects, and rendering that again gives the same text.
#![no_main]

use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::render;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loader = Loader::new(Limits::default());
    let first = loader.load_str(text, Some("in.yaml"));
    if first.has_errors() {
        return;
    }
    let rendered = render(&first.documents);
    let second = loader.load_str(&rendered, Some("rendered.yaml"));
    assert!(!second.has_errors(), "{:?}\n{rendered}", second.diagnostics);
    let values = |loaded: &hedgehog_model::load::Loaded| {
        let mut values: Vec<Value> = loaded.documents.iter().map(|d| d.to_value()).collect();
        values.sort_by_key(Value::to_string);
        values
    };
    assert_eq!(values(&first), values(&second), "{rendered}");
    assert_eq!(render(&second.documents), rendered);
});
