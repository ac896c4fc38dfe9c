//! `hedgehogd render`.

use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::defaults::default_object;
use hedgehog_model::render::{RenderOptions, render_with};

use super::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Apply upstream's defaulting before rendering.
    #[arg(long)]
    default: bool,
    /// Precede each kind with an hhfab-style `# <Kind>List` header.
    #[arg(long)]
    headers: bool,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Files or directories; `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut loaded = input::load(&args.paths)?;
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    if loaded.has_errors() {
        return Ok(ExitCode::from(1));
    }
    if args.default {
        loaded
            .documents
            .iter_mut()
            .for_each(|d| default_object(&mut d.object));
    }
    let text = render_with(
        &loaded.documents,
        &RenderOptions {
            headers: args.headers,
        },
    );
    super::write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
