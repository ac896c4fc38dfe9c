//! `hedgehogd diagram`.

use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::Object;
use hedgehog_model::diagram::{Format, draw};

use super::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format: `drawio` (draw.io), `dot` (Graphviz), `mermaid` or `svg` (drawn by
    /// hedgehog).
    #[arg(long, default_value = "svg", value_parser = parse_format)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Fabric configuration (hhfab's `fab.yaml` fields) for filling the ASNs and addresses
    /// shown in tooltips, as `hydrate` would. Defaults to hhfab's.
    #[arg(long, value_name = "FILE")]
    fabric_config: Option<PathBuf>,
    /// Files or directories; `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = input::load(&args.paths)?;
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    if loaded.has_errors() {
        return Ok(ExitCode::from(1));
    }
    let cfg = input::fabric_config(args.fabric_config.as_deref())?;
    let objects: Vec<Object> = loaded.documents.into_iter().map(|d| d.object).collect();
    let (text, problems) = draw(objects, &cfg, args.format);
    for p in problems {
        eprintln!("warning: not hydrated: {p}");
    }
    super::write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
