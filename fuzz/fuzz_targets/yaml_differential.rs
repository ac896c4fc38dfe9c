//! The fast YAML parser against libyaml (`serde_yaml_ng`): equal values and duplicate keys
//! for every document the fast parser reads, and the same documents for the whole stream.
#![no_main]

use hedgehog_model::load::fuzzing::yaml_differential;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(difference) = yaml_differential(text)
    {
        panic!("{difference}");
    }
});
