//! Loads wiring and VPC objects from files or directories, defaults and validates them as
//! upstream would (per object and across the fabric), and prints every diagnostic.
//!
//! `cargo run -p hedgehog-examples --example validate -- examples/fabrics/vlab.yaml`

use std::process::ExitCode;

use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::{ValidateOptions, validate_loaded};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: validate PATH...");
        return ExitCode::from(2);
    }
    let mut loaded = match Loader::new(Limits::default()).load_paths(&paths) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let report = validate_loaded(&mut loaded, &ValidateOptions::default());
    for diagnostic in &report.diagnostics {
        println!("{diagnostic}");
    }
    println!(
        "{} objects: {} errors, {} warnings",
        report.objects, report.errors, report.warnings
    );
    if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
