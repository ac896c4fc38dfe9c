//! Hydrates an un-hydrated wiring diagram (as NetBox exports it: no IPs, no ASNs) the way
//! hhfab does, then validates the result and prints it as canonical YAML.
//!
//! `cargo run -p hedgehog-examples --example hydrate -- examples/fabrics/vlab-unhydrated.yaml`

use std::process::ExitCode;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::{Document, Limits, Loader};
use hedgehog_model::render::render;
use hedgehog_model::{Object, ValidateOptions, validate_loaded};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: hydrate PATH");
        return ExitCode::from(2);
    };
    let loaded = match Loader::new(Limits::default()).load_file(&path) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let cfg = FabricConfig::default();
    let mut objects: Vec<Object> = loaded.documents.into_iter().map(|d| d.object).collect();
    match hydrate(&mut objects, &cfg, HydrateMode::IfNotPresent) {
        Ok(report) => eprintln!("before: {:?}, hydrated: {}", report.before, report.hydrated),
        Err(problems) => {
            problems.iter().for_each(|p| eprintln!("{p}"));
            return ExitCode::from(1);
        }
    }
    let mut hydrated = hedgehog_model::load::Loaded::new(
        objects.into_iter().map(Document::new).collect(),
        Vec::new(),
    );
    let report = validate_loaded(&mut hydrated, &ValidateOptions::default());
    eprintln!(
        "after hydration: {} errors, {} warnings",
        report.errors, report.warnings
    );
    print!("{}", render(&hydrated.documents));
    if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
