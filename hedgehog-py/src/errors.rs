//! The exception hierarchy and the mapping of library errors onto it. Every exception has a
//! stable `code` attribute; messages come from the library errors, which never carry secrets.

use hedgehog_sync::codes;
use hedgehog_sync::fabric::SyncError;
use hedgehog_sync::git::GitError as GitFailure;
use hedgehog_sync::kube::KubeError as KubeFailure;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(
    hedgehog_fabric,
    HedgehogError,
    PyException,
    "Base class of every error the package raises; `code` is a stable identifier."
);
pyo3::create_exception!(
    hedgehog_fabric,
    ParseError,
    HedgehogError,
    "Input that is not YAML/JSON or not an object of the expected shape."
);
pyo3::create_exception!(
    hedgehog_fabric,
    ValidationError,
    HedgehogError,
    "A plan or object refused by validation or change-safety rules; `diagnostics` and \
     `conflicts` list why."
);
pyo3::create_exception!(
    hedgehog_fabric,
    GitError,
    HedgehogError,
    "A Git operation failed (unreachable remote, authentication, conflict, rejected push)."
);
pyo3::create_exception!(
    hedgehog_fabric,
    KubeError,
    HedgehogError,
    "A Kubernetes operation failed; `code` says how (kube.tls, kube.unauthorized, …)."
);
pyo3::create_exception!(
    hedgehog_fabric,
    ConfigError,
    HedgehogError,
    "Unusable settings (a bad URL, an unknown hydration mode, an invalid fabric config)."
);

/// An exception of type `E` with `code` set.
pub fn error<E: pyo3::PyTypeInfo>(code: &str, message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| {
        let err = PyErr::new::<E, _>(message);
        // Setting an attribute on a fresh exception instance cannot fail in practice; if it
        // did, the exception without its code is still the right one to raise.
        let _ = err.value(py).setattr("code", code);
        err
    })
}

/// Sets an extra attribute (a JSON-like payload) on an exception.
pub fn with_attr(err: PyErr, name: &str, value: Bound<'_, PyAny>) -> PyErr {
    let _ = err.value(value.py()).setattr(name, value);
    err
}

/// A Git failure as `GitError`, with its code.
pub fn git(e: &GitFailure) -> PyErr {
    error::<GitError>(e.error_code().code, e.to_string())
}

/// A Kubernetes failure as `KubeError` (settings problems as `ConfigError`), with its code.
pub fn kube(e: &KubeFailure) -> PyErr {
    let code = e.error_code().code;
    match e {
        KubeFailure::Config(_) => error::<ConfigError>(code, e.to_string()),
        _ => error::<KubeError>(code, e.to_string()),
    }
}

/// A sync-pass failure, by its cause.
pub fn sync(py: Python<'_>, e: &SyncError) -> PyErr {
    match e {
        SyncError::Git(g) => git(g),
        SyncError::Kube(k) => kube(k),
        SyncError::Refused(refused) => refused_err(py, refused),
        SyncError::Settings(_) => error::<ConfigError>(e.code(), e.to_string()),
        SyncError::Internal(_) | SyncError::Fenced(_) => {
            error::<HedgehogError>(e.code(), e.to_string())
        }
        SyncError::BaseMissing { .. } => error::<GitError>(e.code(), e.to_string()),
    }
}

/// A refused plan as `ValidationError` with `diagnostics` and `conflicts`.
pub fn refused_err(py: Python<'_>, refused: &hedgehog_sync::plan::PlanRefused) -> PyErr {
    let err = error::<ValidationError>(refused.code(), refused.to_string());
    let err = match crate::convert::to_py(py, &refused.errors) {
        Ok(v) => with_attr(err, "diagnostics", v),
        Err(_) => err,
    };
    match crate::convert::to_py(py, &refused.conflicts) {
        Ok(v) => with_attr(err, "conflicts", v),
        Err(_) => err,
    }
}

/// One entry of [`list_codes`].
#[derive(serde::Serialize)]
struct Listed {
    code: &'static str,
    meaning: &'static str,
    /// `error` (an exception's `code`) or `diagnostic` (a validation diagnostic's `code`).
    kind: &'static str,
    /// Whether retrying can help (errors only).
    retry: Option<bool>,
}

/// Every stable code with its meaning: the error codes the package raises (with whether
/// retrying the call can help; the same list as the daemon's and the command line's,
/// `hedgehog_sync::codes`), then the validation diagnostics' codes
/// (`hedgehog_model::codes`), each group sorted by code.
#[pyfunction]
pub fn list_codes(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let errors = codes::ALL.iter().map(|c| Listed {
        code: c.code,
        meaning: c.meaning,
        kind: "error",
        retry: Some(c.retry),
    });
    let diagnostics = hedgehog_model::codes::DIAGNOSTICS.iter().map(|c| Listed {
        code: c.code,
        meaning: c.meaning,
        kind: "diagnostic",
        retry: None,
    });
    let all: Vec<Listed> = errors.chain(diagnostics).collect();
    crate::convert::to_py(py, &all)
}
