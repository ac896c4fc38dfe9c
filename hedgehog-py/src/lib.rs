//! Python bindings of the hedgehog crates: the extension module `hedgehog_fabric._native`.

use pyo3::prelude::*;

/// The native part of the `hedgehog_fabric` package.
#[pymodule]
mod _native {
    #[pymodule_export]
    const VERSION: &str = env!("CARGO_PKG_VERSION");
}
