//! The desired state from files: what `hedgehogd drift --desired` and a daemon fabric's
//! `desired` directory hold.

use std::path::Path;

use hedgehog_model::load::{Limits, Loader};
use hedgehog_sync::snapshot::Snapshot;

/// Loads a file or directory as a desired-state snapshot. Any document that does not load
/// refuses the whole state: a partial desired state would plan deletions.
pub fn load(path: &Path) -> Result<Snapshot, String> {
    let loaded = Loader::new(Limits::default())
        .load_paths(&[path])
        .map_err(|e| format!("desired state: {e}"))?;
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "the desired state in {} does not load:\n{}",
            path.display(),
            errors.join("\n")
        ));
    }
    Ok(Snapshot::from_loaded(
        loaded.documents,
        &path.display().to_string(),
    ))
}
