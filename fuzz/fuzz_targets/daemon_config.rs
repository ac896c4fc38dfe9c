//! The daemon's TOML configuration: parsing never panics, and no problem it reports shows
//! the password of a URL or the value of a token in the text.
#![no_main]

use std::path::Path;

use hedgehogd::daemon::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A base directory that does not exist: relative token and state paths resolve nowhere.
    let Err(problems) = Config::parse(text, Path::new("/nonexistent/hedgehog-fuzz")) else {
        return;
    };
    let shown = problems.join("\n");
    for secret in hedgehog_fuzz::url_passwords(text) {
        assert!(!shown.contains(&format!(":{secret}@")), "password shown: {shown}");
    }
});
