//! Python objects ⇄ serde values: results become plain dicts and lists (what a Django
//! JSONField stores); inputs are read as JSON-like data.

use pyo3::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::{HedgehogError, ParseError, error};

/// Any serialisable result as Python data.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    serde_pyobject::to_pyobject(py, value)
        .map_err(|e| error::<HedgehogError>("internal.convert", e.0.to_string()))
}

/// Python data (dicts, lists, str, int, float, bool, None) as `T`; `what` names the argument
/// in the error.
pub fn from_py<T: DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    serde_pyobject::from_pyobject(value.clone())
        .map_err(|e| error::<ParseError>("input.invalid", format!("{what}: {}", e.0)))
}

/// An optional argument: `None` stays `None`.
pub fn from_py_opt<T: DeserializeOwned>(
    value: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<T>> {
    match value {
        Some(v) if !v.is_none() => from_py(v, what).map(Some),
        _ => Ok(None),
    }
}
