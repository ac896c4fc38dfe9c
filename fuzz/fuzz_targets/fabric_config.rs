//! FabricConfig on any text: loading never panics, a loaded configuration can be checked,
//! and it survives a round trip through its own serialization.
#![no_main]

use hedgehog_model::config::FabricConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = FabricConfig::from_yaml(text) else {
        return;
    };
    let _ = config.check();
    let _ = config.reserved_prefixes().count();
    let json = serde_json::to_string(&config).expect("a config serializes");
    let back = FabricConfig::from_yaml(&json).expect("a serialized config loads");
    assert_eq!(back, config, "{json}");
});
