//! The whole validation pipeline (defaulting, hydration, per-object, schema and cross-object
//! rules) on any text: it never panics and its report counts what it holds.
#![no_main]

use hedgehog_model::hydrate::HydrateMode;
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::{Severity, ValidateOptions, validate_loaded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut loaded = Loader::new(Limits::default()).load_str(&text, Some("fabric.yaml"));
    let options = ValidateOptions {
        hydrate: match mode % 3 {
            0 => None,
            1 => Some(HydrateMode::IfNotPresent),
            _ => Some(HydrateMode::Override),
        },
        fabric: mode & 0x80 == 0,
        ..ValidateOptions::default()
    };
    let report = validate_loaded(&mut loaded, &options);
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(report.errors, errors);
    for d in &report.diagnostics {
        assert!(!d.code.is_empty() && !d.message.is_empty(), "{d:?}");
    }
});
