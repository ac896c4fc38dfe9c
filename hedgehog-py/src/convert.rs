//! Python objects ⇄ serde values: results become plain dicts and lists (what a Django
//! JSONField stores); inputs are read as JSON-like data.

use hedgehog_model::load::Limits;
use hedgehog_sync::codes;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::{HedgehogError, ParseError, error};

/// Any serialisable result as Python data.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    serde_pyobject::to_pyobject(py, value)
        .map_err(|e| error::<HedgehogError>(codes::INTERNAL_CONVERT.code, e.0.to_string()))
}

/// Python data (dicts, lists, str, int, float, bool, None) as `T`; `what` names the argument
/// in the error. Input nested deeper than the loader's depth limit is refused first.
pub fn from_py<T: DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    check_depth(value, what)?;
    serde_pyobject::from_pyobject(value.clone())
        .map_err(|e| error::<ParseError>(codes::INPUT_INVALID.code, format!("{what}: {}", e.0)))
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

/// Refuses containers nested deeper than the loader allows in a document (plus one level for
/// a list of documents), walking without recursion: the conversion recurses once per level,
/// so deep input would overflow the stack, and a list that contains itself is infinitely
/// deep.
fn check_depth(value: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    let limit = Limits::default().max_depth + 1;
    let mut pending = vec![(value.clone(), 0usize)];
    while let Some((item, depth)) = pending.pop() {
        let children: Vec<Bound<'_, PyAny>> = if let Ok(dict) = item.cast::<PyDict>() {
            dict.values().into_iter().collect()
        } else if let Ok(list) = item.cast::<PyList>() {
            list.iter().collect()
        } else if let Ok(tuple) = item.cast::<PyTuple>() {
            tuple.iter().collect()
        } else {
            continue;
        };
        if depth >= limit {
            return Err(error::<ParseError>(
                codes::INPUT_TOO_DEEP.code,
                format!("{what}: nested deeper than {limit} levels (or contains itself)"),
            ));
        }
        pending.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}
