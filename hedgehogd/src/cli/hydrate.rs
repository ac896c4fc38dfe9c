//! `hedgehogd hydrate`.

use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::Object;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render_with};

use super::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `if-not-present` fills a wiring without IPs and keeps a complete one; `override`
    /// re-allocates everything; `never` only checks that the wiring is complete.
    #[arg(long, value_name = "MODE", default_value = "if-not-present")]
    mode: HydrateMode,
    /// Fabric configuration (YAML or JSON, upstream FabricConfig field names).
    #[arg(long, value_name = "FILE")]
    fabric_config: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Files or directories; `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cfg = input::fabric_config(args.fabric_config.as_deref())?;
    let loaded = input::load(&args.paths)?;
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    if loaded.has_errors() {
        return Ok(ExitCode::from(1));
    }
    let mut unknown = Vec::with_capacity(loaded.documents.len());
    let mut objects: Vec<Object> = Vec::with_capacity(loaded.documents.len());
    for doc in loaded.documents {
        unknown.push(doc.unknown);
        objects.push(doc.object);
    }
    if let Err(problems) = hydrate(&mut objects, &cfg, args.mode) {
        for d in &problems {
            eprintln!("{d}");
        }
        return Ok(ExitCode::from(1));
    }
    let documents: Vec<Document> = objects
        .into_iter()
        .zip(unknown)
        .map(|(object, unknown)| Document {
            object,
            unknown,
            source: None,
        })
        .collect();
    let text = render_with(&documents, &RenderOptions { headers: true });
    super::write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
