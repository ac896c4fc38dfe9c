//! The whole validation pipeline in one call — what `hedgehogd validate`, `POST /v1/validate`
//! and `hedgehog_fabric.validate` all run, so that they give the same answer.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::FabricConfig;
use crate::hydrate::{HydrateMode, hydrate};
use crate::load::Loaded;
use crate::{Diagnostic, Object, Severity, defaults, fabric, validate};

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
/// object on its own, and — with [`ValidateOptions::fabric`] — the cross-object rules
/// (switch profiles, namespaces, ports, IPs, …). Every diagnostic gets the `file:line:column`
/// of the field it names.
pub fn validate_loaded(loaded: &mut Loaded, options: &ValidateOptions) -> ValidationReport {
    let cfg = &options.config;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(cfg.check());
    let per_object: Vec<Diagnostic> = loaded
        .documents
        .par_iter_mut()
        .flat_map_iter(|doc| {
            defaults::default_object(&mut doc.object);
            validate::validate_object(&doc.object, Some(cfg))
        })
        .collect();
    diagnostics.extend(per_object);
    if options.fabric || options.hydrate.is_some() {
        // Cross-object rules and hydration work on the objects alone; they are moved out of
        // their documents and back so that nothing is copied.
        let mut objects: Vec<Object> = loaded
            .documents
            .iter_mut()
            .map(|d| std::mem::replace(&mut d.object, Object::Unknown(Box::default())))
            .collect();
        if let Some(mode) = options.hydrate
            && let Err(problems) = hydrate(&mut objects, cfg, mode)
        {
            diagnostics.extend(problems);
        }
        if options.fabric {
            diagnostics.extend(fabric::validate_all(&objects, cfg));
        }
        for (doc, object) in loaded.documents.iter_mut().zip(objects) {
            doc.object = object;
        }
    }
    loaded.locate_all(&mut diagnostics);
    ValidationReport::new(loaded.documents.len(), diagnostics)
}
