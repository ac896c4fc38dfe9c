//! With `HEDGEHOG_FIXTURE_DIR` set, every fixture a test validates is also written there (one
//! fabric per file, named by test binary and content hash), so that the differential tests
//! (`conformance/differential`, `hedgehog-differential fixtures DIR`) can run the same inputs
//! through upstream's own validation.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// Writes `yaml` into `$HEDGEHOG_FIXTURE_DIR` if that is set; otherwise does nothing.
pub fn dump(yaml: &str) {
    let Some(dir) = std::env::var_os("HEDGEHOG_FIXTURE_DIR").map(PathBuf::from) else {
        return;
    };
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // Test binaries are named `<test>-<hash>`.
    let test = binary.rsplit_once('-').map_or(binary.as_str(), |(t, _)| t);
    let hash: String = Sha256::digest(yaml.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::create_dir_all(&dir).expect("HEDGEHOG_FIXTURE_DIR can be created");
    std::fs::write(dir.join(format!("{test}-{hash}.yaml")), yaml)
        .expect("fixtures can be written to HEDGEHOG_FIXTURE_DIR");
}
