//! Criterion benchmarks of the hedgehog crates; run `cargo bench -p hedgehog-benches`.
//!
//! This library holds what several benchmarks share: [`fabric_yaml`], a valid, hydrated
//! fabric of a given size ([`hedgehog_model::sample::scaled`]) written as multi-document YAML,
//! the way operators keep fabrics in Git; and [`daemon`], a running `hedgehogd serve` with an
//! HTTP client (also used by the daemon's integration tests), and [`fake_apiserver`], the
//! loopback fake Kubernetes API server the integration tests share.

pub mod daemon;
pub mod fake_apiserver;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::render;
pub use hedgehog_model::sample::ScaleParams;
use hedgehog_model::sample::scaled;

/// The fabric of `shape`, hydrated, as canonical multi-document YAML.
pub fn fabric_yaml(shape: ScaleParams) -> String {
    let mut objects = scaled(shape);
    // The generator stays within hhfab's default address and ASN pools, so hydration cannot
    // fail; an empty fabric would show up as a benchmark of nothing.
    let _ = hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    );
    render(&objects.into_iter().map(Document::new).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::load::{Limits, Loader};
    use hedgehog_model::{ValidateOptions, validate_loaded};

    #[test]
    fn benchmark_fabrics_are_valid_and_sized_as_announced() {
        for objects in [100, 2_000] {
            let shape = ScaleParams::about(objects);
            let text = fabric_yaml(shape);
            let mut loaded = Loader::new(Limits::default()).load_str(&text, Some("fabric.yaml"));
            assert_eq!(loaded.documents.len(), shape.objects());
            let report = validate_loaded(&mut loaded, &ValidateOptions::default());
            assert!(
                report.diagnostics.is_empty(),
                "{shape:?}: {:#?}",
                &report.diagnostics[..report.diagnostics.len().min(5)]
            );
        }
    }
}
