//! hedgehog-model on plain data: loading, defaulting, validation, rendering, hydration,
//! samples, CRDs.

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::HydrateMode;
use hedgehog_model::load::{Document, Limits, Loaded, Loader};
use hedgehog_model::profiles::Catalog;
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::sample::{Preset, ScaleParams, preset, scaled};
use hedgehog_model::{Kind, Object, ValidateOptions, validate_loaded};
use hedgehog_sync::codes;
use pyo3::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::convert::{from_py, from_py_opt, to_py};
use crate::errors::{ConfigError, ParseError, ValidationError, error, with_attr};

/// Objects given as Python data, decoded strictly: the documents and the decoding
/// diagnostics (unknown fields, type errors).
pub fn objects_from_py(objects: &Bound<'_, PyAny>, what: &str) -> PyResult<Loaded> {
    let values: Vec<Value> = from_py(objects, what)?;
    Ok(loaded_from_values(values))
}

/// Decodes values into documents, keeping unknown fields and reporting them.
pub fn loaded_from_values(values: Vec<Value>) -> Loaded {
    let mut diagnostics = Vec::new();
    let documents = values
        .into_iter()
        .map(|v| {
            let decoded = Object::from_value(v);
            diagnostics.extend(decoded.diagnostics);
            Document {
                object: decoded.object,
                unknown: decoded.unknown,
                source: None,
            }
        })
        .collect();
    Loaded::new(documents, diagnostics)
}

/// A fabric configuration from a dict with upstream's FabricConfig field names (`None`:
/// hhfab's defaults).
pub fn config_from_py(config: Option<&Bound<'_, PyAny>>) -> PyResult<FabricConfig> {
    let Some(value) = from_py_opt::<Value>(config, "config")? else {
        return Ok(FabricConfig::default());
    };
    FabricConfig::from_yaml(&value.to_string()).map_err(|e| {
        error::<ConfigError>(
            codes::CONFIG_INVALID.code,
            format!("invalid fabric config: {e}"),
        )
    })
}

fn hydrate_mode(mode: Option<&str>) -> PyResult<Option<HydrateMode>> {
    match mode {
        None | Some("never") => Ok(None),
        Some(m) => m
            .parse()
            .map(Some)
            .map_err(|e: hedgehog_model::hydrate::UnknownHydrateMode| {
                error::<ConfigError>(codes::CONFIG_HYDRATE_MODE.code, e.to_string())
            }),
    }
}

fn validate_options(
    fabric: bool,
    config: Option<&Bound<'_, PyAny>>,
    hydrate: Option<&str>,
) -> PyResult<ValidateOptions> {
    Ok(ValidateOptions {
        config: config_from_py(config)?,
        fabric,
        hydrate: hydrate_mode(hydrate)?,
    })
}

/// Validates YAML or JSON text exactly as `hedgehogd validate --format json -` does and
/// returns its report: `{"objects", "errors", "warnings", "diagnostics": [...]}`.
#[pyfunction]
#[pyo3(signature = (text, *, fabric = true, config = None, hydrate = None))]
pub fn validate<'py>(
    py: Python<'py>,
    text: String,
    fabric: bool,
    config: Option<&Bound<'py, PyAny>>,
    hydrate: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = validate_options(fabric, config, hydrate)?;
    let report = py.detach(|| {
        let mut loaded = Loader::new(Limits::default()).load_str(&text, None);
        validate_loaded(&mut loaded, &options)
    });
    to_py(py, &report)
}

/// The seconds the Rust pipeline of [`validate`] takes for `text` (load and validate, no
/// conversion to Python): the baseline of the binding-overhead benchmark
/// (`benches/python/bench_validate.py`). Not part of the public API.
#[pyfunction]
#[pyo3(signature = (text, *, fabric = true))]
pub fn _rust_validate_seconds(py: Python<'_>, text: String, fabric: bool) -> f64 {
    py.detach(|| {
        let started = std::time::Instant::now();
        let mut loaded = Loader::new(Limits::default()).load_str(&text, None);
        let report = validate_loaded(
            &mut loaded,
            &ValidateOptions {
                fabric,
                ..ValidateOptions::default()
            },
        );
        std::hint::black_box(report);
        started.elapsed().as_secs_f64()
    })
}

/// Validates objects given as dicts (per object and, with `fabric`, across the set); same
/// report as [`validate`], without source positions.
#[pyfunction]
#[pyo3(signature = (objects, *, fabric = true, config = None, hydrate = None))]
pub fn validate_objects<'py>(
    py: Python<'py>,
    objects: &Bound<'py, PyAny>,
    fabric: bool,
    config: Option<&Bound<'py, PyAny>>,
    hydrate: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = validate_options(fabric, config, hydrate)?;
    let mut loaded = objects_from_py(objects, "objects")?;
    let report = py.detach(|| validate_loaded(&mut loaded, &options));
    to_py(py, &report)
}

/// One parsed document for Python.
#[derive(Serialize)]
struct ParsedDocument {
    index: usize,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    kind: Option<String>,
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    name: String,
    namespace: String,
    object: Value,
    unknown: Vec<String>,
}

/// Parses YAML or JSON text into documents with their positions:
/// `{"documents": [{index, file, line, column, kind, apiVersion, name, namespace, object,
/// unknown}], "diagnostics": [...]}`.
#[pyfunction]
#[pyo3(signature = (text, source = None))]
pub fn parse_documents<'py>(
    py: Python<'py>,
    text: String,
    source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let loaded = py.detach(|| Loader::new(Limits::default()).load_str(&text, source.as_deref()));
    let documents: Vec<ParsedDocument> = loaded
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let object = d.to_value();
            let text = |field: &str| object.get(field).and_then(Value::as_str).map(str::to_owned);
            let key = d.key();
            ParsedDocument {
                index: d.source.as_ref().map_or(i, |s| s.index),
                file: d
                    .source
                    .as_ref()
                    .and_then(|s| s.file.as_deref().map(str::to_owned)),
                line: d.source.as_ref().map(|s| s.line),
                column: d.source.as_ref().map(|s| s.column),
                kind: text("kind"),
                api_version: text("apiVersion"),
                name: key.name,
                namespace: key.namespace,
                unknown: d.unknown.iter().map(|u| u.path.to_string()).collect(),
                object,
            }
        })
        .collect();
    #[derive(Serialize)]
    struct Parsed<'a> {
        documents: Vec<ParsedDocument>,
        diagnostics: &'a [hedgehog_model::Diagnostic],
    }
    to_py(
        py,
        &Parsed {
            documents,
            diagnostics: &loaded.diagnostics,
        },
    )
}

/// The object with upstream's defaulting applied (what the mutating webhook would store).
#[pyfunction]
pub fn default<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let value: Value = from_py(obj, "obj")?;
    let decoded = Object::from_value(value);
    let mut object = decoded.object;
    hedgehog_model::defaults::default_object(&mut object);
    to_py(py, &object.to_value_with(&decoded.unknown))
}

/// Upstream's change-safety rules (what the admission webhooks refuse on update and
/// delete) for replacing the objects `before` with `after`; returns the diagnostics.
#[pyfunction]
#[pyo3(signature = (before, after, *, config = None))]
pub fn validate_change<'py>(
    py: Python<'py>,
    before: &Bound<'py, PyAny>,
    after: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let cfg = config_from_py(config)?;
    let objects = |loaded: Loaded| -> Vec<Object> {
        loaded
            .documents
            .into_iter()
            .map(|mut d| {
                hedgehog_model::defaults::default_object(&mut d.object);
                d.object
            })
            .collect()
    };
    let before = objects(objects_from_py(before, "before")?);
    let after = objects(objects_from_py(after, "after")?);
    let diagnostics = py.detach(|| {
        let (catalog, _) = Catalog::for_objects(&after, &cfg);
        hedgehog_model::fabric::validate_change(&before, &after, &cfg, &catalog)
    });
    to_py(py, &diagnostics)
}

/// Canonical YAML of objects (hhfab kind order, stable keys, one document per object);
/// `headers` adds hhfab's `# <Kind>List` comments.
#[pyfunction]
#[pyo3(signature = (objects, *, headers = false))]
pub fn render_yaml(py: Python<'_>, objects: &Bound<'_, PyAny>, headers: bool) -> PyResult<String> {
    let loaded = objects_from_py(objects, "objects")?;
    Ok(py.detach(|| render_with(&loaded.documents, &RenderOptions { headers })))
}

/// Hydrates wiring as hhfab does (`mode`: `if-not-present` or `override`); returns the
/// objects. Raises `ValidationError` (with `diagnostics`) when hydration is impossible.
#[pyfunction]
#[pyo3(signature = (objects, *, mode = "if-not-present", config = None))]
pub fn hydrate<'py>(
    py: Python<'py>,
    objects: &Bound<'py, PyAny>,
    mode: &str,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let cfg = config_from_py(config)?;
    let mode: HydrateMode =
        mode.parse()
            .map_err(|e: hedgehog_model::hydrate::UnknownHydrateMode| {
                error::<ConfigError>(codes::CONFIG_HYDRATE_MODE.code, e.to_string())
            })?;
    let loaded = objects_from_py(objects, "objects")?;
    let mut objects: Vec<Object> = loaded.documents.into_iter().map(|d| d.object).collect();
    match py.detach(|| hedgehog_model::hydrate::hydrate(&mut objects, &cfg, mode)) {
        Ok(_) => {
            let values: Vec<Value> = objects.iter().map(Object::to_value).collect();
            to_py(py, &values)
        }
        Err(problems) => {
            let err = error::<ValidationError>(
                codes::HYDRATE_FAILED.code,
                format!(
                    "hydration failed: {}",
                    problems.first().map_or("", |d| d.message.as_str())
                ),
            );
            Err(with_attr(err, "diagnostics", to_py(py, &problems)?))
        }
    }
}

/// A sample fabric: `vlab` (hhfab's default VLAB), `small`, `large` or `huge` — or, with
/// `objects`, a valid generated fabric of about that many objects — hydrated unless
/// `hydrated=False`.
#[pyfunction]
#[pyo3(signature = (preset = "vlab", *, hydrated = true, objects = None))]
pub fn sample<'py>(
    py: Python<'py>,
    preset: &str,
    hydrated: bool,
    objects: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let which: Preset = preset
        .parse()
        .map_err(|e: String| error::<ConfigError>(codes::CONFIG_PRESET.code, e))?;
    let values = py.detach(|| -> Result<Vec<Value>, String> {
        let mut objects = match objects {
            Some(n) => scaled(ScaleParams::about(n)),
            None => self::preset(which),
        };
        if hydrated {
            hedgehog_model::hydrate::hydrate(
                &mut objects,
                &FabricConfig::default(),
                HydrateMode::IfNotPresent,
            )
            .map_err(|p| p.first().map_or_else(String::new, |d| d.message.clone()))?;
        }
        Ok(objects.iter().map(Object::to_value).collect())
    });
    let values = values.map_err(|e| error::<ParseError>(codes::SAMPLE_FAILED.code, e))?;
    to_py(py, &values)
}

/// The CustomResourceDefinitions of every Hedgehog kind, as multi-document YAML.
#[pyfunction]
pub fn crds_yaml() -> String {
    hedgehog_model::crd::crds_yaml()
}

/// Every Hedgehog kind: `{"kind", "group", "version", "apiVersion", "plural"}`, in hhfab
/// order.
#[pyfunction]
pub fn kinds(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .map(|k| {
            serde_json::json!({
                "kind": k.name(), "group": k.group(), "version": hedgehog_model::VERSION,
                "apiVersion": k.api_version(), "plural": k.plural(),
            })
        })
        .collect();
    to_py(py, &kinds)
}

/// The wiring in `text` drawn as `drawio`, `dot`, `mermaid` or `svg` (the same bytes as
/// `hedgehogd diagram`; `config` is its `--fabric-config`, as a dict). Raises `ValueError` for another format and `ParseError` (with
/// `diagnostics`) when the text cannot be loaded.
#[pyfunction]
#[pyo3(signature = (text, format = "svg", *, config = None))]
pub fn diagram<'py>(
    py: Python<'py>,
    text: String,
    format: &str,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<String> {
    let cfg = config_from_py(config)?;
    let format: hedgehog_model::diagram::Format = format
        .parse()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let loaded = py.detach(|| Loader::new(Limits::default()).load_str(&text, None));
    if loaded.has_errors() {
        let first = loaded.diagnostics.iter().find(|d| d.is_error());
        let err = error::<ParseError>(
            codes::INPUT_INVALID.code,
            format!(
                "cannot load the wiring: {}",
                first.map_or("", |d| d.message.as_str())
            ),
        );
        return Err(with_attr(
            err,
            "diagnostics",
            to_py(py, &loaded.diagnostics)?,
        ));
    }
    let objects: Vec<Object> = loaded.documents.into_iter().map(|d| d.object).collect();
    // Hydration problems do not stop the drawing (see `draw`); the CLI prints them as warnings.
    Ok(py.detach(|| hedgehog_model::diagram::draw(objects, &cfg, format).0))
}
