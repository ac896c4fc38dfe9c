//! Python bindings of the hedgehog crates: the extension module `hedgehog_fabric._native`.
//! Functions take and return plain data (str, dict, list); long-lived resources are classes;
//! every call that does real work releases the GIL.

mod convert;
mod engine;
mod errors;
mod git;
mod kube;
mod model;
mod runtime;
mod sync;

use pyo3::prelude::*;

/// The same allocator as `hedgehogd`: loading and validating allocate many small strings
/// and maps (Python's own objects keep Python's allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The native part of the `hedgehog_fabric` package.
#[pymodule]
mod _native {
    #[pymodule_export]
    const VERSION: &str = env!("CARGO_PKG_VERSION");

    #[pymodule_export]
    use super::engine::Engine;
    #[pymodule_export]
    use super::errors::{
        ConfigError, GitError, HedgehogError, KubeError, ParseError, ValidationError, list_codes,
    };
    #[pymodule_export]
    use super::git::{GitRepo, test_remote};
    #[pymodule_export]
    use super::kube::KubeTarget;
    #[pymodule_export]
    use super::model::{
        _rust_validate_seconds, crds_yaml, default, diagram, hydrate, kinds, parse_documents,
        render_yaml, sample, validate, validate_change, validate_objects,
    };
    #[pymodule_export]
    use super::sync::{
        content_hash, diff, drift, ingest, merge3, normalize, plan, plan_import, rbac_manifests,
    };
}
