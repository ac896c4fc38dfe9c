//! The whole validation pipeline in one call — what `hedgehogd validate`, `POST /v1/validate`
//! and `hedgehog_fabric.validate` all run, so that they give the same answer.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::FabricConfig;
use crate::hydrate::{HydrateMode, hydrate};
use crate::load::Loaded;
use crate::{Diagnostic, Object, Severity, defaults, fabric, profiles, schema, validate};

/// What [`validate_loaded`] checks, and against which fabric configuration.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// The fabric configuration (hhfab's defaults unless overridden).
    pub config: FabricConfig,
    /// Also run the cross-object rules over the whole set (on by default).
    pub fabric: bool,
    /// Hydrate the wiring before validating it, as hhfab would; `None` (the default)
    /// validates the objects as given.
    pub hydrate: Option<HydrateMode>,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            config: FabricConfig::default(),
            fabric: true,
            hydrate: None,
        }
    }
}

/// The outcome of validating a set of documents. Its JSON form is the contract of
/// `hedgehogd validate --format json`:
/// `{"objects": N, "errors": N, "warnings": N, "diagnostics": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValidationReport {
    /// Documents checked.
    pub objects: usize,
    /// Diagnostics of severity error.
    pub errors: usize,
    /// Diagnostics of severity warning.
    pub warnings: usize,
    /// Every diagnostic, in source order (file, line, column), then by object.
    pub diagnostics: Vec<Diagnostic>,
}

impl ValidationReport {
    /// Builds a report from diagnostics, counting and ordering them.
    pub fn new(objects: usize, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            let place =
                |d: &Diagnostic| d.span.as_ref().map(|s| (s.file.clone(), s.line, s.column));
            place(a)
                .cmp(&place(b))
                .then_with(|| a.object.cmp(&b.object))
                .then_with(|| a.path.to_string().cmp(&b.path.to_string()))
                .then_with(|| a.code.cmp(b.code))
                .then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup();
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        ValidationReport {
            objects,
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics,
        }
    }

    /// Whether no diagnostic is an error.
    pub fn is_ok(&self) -> bool {
        self.errors == 0
    }
}

/// Defaults every loaded object in place (as upstream's mutating webhook would) and validates
/// it: the loader's own diagnostics, the fabric configuration, hydration if asked for, every
/// object on its own (upstream's rules and the CRD schema), and — with [`ValidateOptions::fabric`] — the cross-object rules
/// (switch profiles, namespaces, ports, IPs, …). Every diagnostic gets the `file:line:column`
/// of the field it names.
pub fn validate_loaded(loaded: &mut Loaded, options: &ValidateOptions) -> ValidationReport {
    validate_loaded_timed(loaded, options).0
}

/// Does now the one-time work of the first validation in this process: compiling the CRD
/// schemas and reading the compiled-in switch profiles (a few milliseconds). Validation does
/// it on first use anyway; running this beside other work (loading the files, say) takes it
/// off the path of the first answer.
pub fn prepare() {
    rayon::join(schema::prepare, || {
        profiles::builtin_profiles();
    });
}

/// The wall time of each stage of one [`validate_loaded_timed`] call, in the order they ran:
/// `default`, `hydrate`, `per-object`, `cross-object`, `locate`, `report`. The per-object
/// and cross-object stages run at the same time; each time is that stage's own.
pub type StageTimes = Vec<(&'static str, Duration)>;

/// [`validate_loaded`], also returning how long each stage took (for the benchmarks and
/// `hedgehogd validate --timings`).
pub fn validate_loaded_timed(
    loaded: &mut Loaded,
    options: &ValidateOptions,
) -> (ValidationReport, StageTimes) {
    let mut clock = Clock {
        last: Instant::now(),
        times: Vec::with_capacity(6),
    };
    let cfg = &options.config;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(cfg.check());
    loaded
        .documents
        .par_iter_mut()
        .for_each(|doc| defaults::default_object(&mut doc.object));
    clock.lap("default");
    if let Some(mode) = options.hydrate
        && let Err(problems) = with_objects(loaded, |objects| hydrate(objects, cfg, mode))
    {
        diagnostics.extend(problems);
    }
    clock.lap("hydrate");
    // The per-object and the cross-object rules only read the defaulted objects: they run
    // side by side, so the second core works while the other group of rules does.
    let fabric_wide = options.fabric;
    let (own, fabric_wide_found) = with_objects(loaded, |objects| {
        let objects = &*objects;
        rayon::join(
            || timed(|| per_object(objects, cfg)),
            || timed(|| fabric_wide.then(|| fabric::validate_all(objects, cfg))),
        )
    });
    diagnostics.extend(own.0);
    diagnostics.extend(fabric_wide_found.0.unwrap_or_default());
    clock.overlapped([("per-object", own.1), ("cross-object", fabric_wide_found.1)]);
    loaded.locate_all(&mut diagnostics);
    clock.lap("locate");
    let report = ValidationReport::new(loaded.documents.len(), diagnostics);
    clock.lap("report");
    (report, clock.times)
}

/// Every object on its own: upstream's rules and the CRD schema.
fn per_object(objects: &[Object], cfg: &FabricConfig) -> Vec<Diagnostic> {
    objects
        .par_iter()
        .flat_map_iter(|object| {
            let mut found = validate::validate_object(object, Some(cfg));
            // The API server checks the schema after the mutating webhooks, so it sees the
            // defaulted object, as here. Unknown fields are left out: the schema has nothing
            // to say about a field it does not know.
            if let Some(schema) = object.check_schema()
                && !schema.is_empty()
            {
                let key = object.key();
                found.extend(schema.into_iter().map(|d| d.with_object(key.clone())));
            }
            found
        })
        .collect()
}

/// `f`'s answer and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    (f(), start.elapsed())
}

/// Measures consecutive stages.
struct Clock {
    last: Instant,
    times: StageTimes,
}

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.times.push((stage, now - self.last));
        self.last = now;
    }

    /// Stages that ran at the same time, each with its own time, ending now.
    fn overlapped<const N: usize>(&mut self, stages: [(&'static str, Duration); N]) {
        self.times.extend(stages);
        self.last = Instant::now();
    }
}

/// Runs `f` over the loaded objects as one slice (what hydration and the cross-object rules
/// take). The objects are moved out of their documents and back, so nothing is copied.
fn with_objects<T>(loaded: &mut Loaded, f: impl FnOnce(&mut [Object]) -> T) -> T {
    let mut objects: Vec<Object> = loaded
        .documents
        .iter_mut()
        .map(|d| std::mem::replace(&mut d.object, Object::Unknown(Box::default())))
        .collect();
    let result = f(&mut objects);
    for (doc, object) in loaded.documents.iter_mut().zip(objects) {
        doc.object = object;
    }
    result
}
