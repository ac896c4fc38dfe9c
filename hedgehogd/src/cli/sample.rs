//! `hedgehogd sample`.

use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::sample::{Preset, preset};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `vlab` is hhfab's default VLAB with a VPC per server; `small`, `large` and `huge` are
    /// valid fabrics of about 100, 10 000 and 100 000 objects.
    #[arg(long, default_value = "vlab")]
    preset: Preset,
    /// Leave the wiring un-hydrated (no IPs, ASNs or link addresses), as NetBox exports it.
    #[arg(long)]
    unhydrated: bool,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut objects = preset(args.preset);
    if !args.unhydrated {
        hydrate(
            &mut objects,
            &FabricConfig::default(),
            HydrateMode::IfNotPresent,
        )
        .map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("hydrating the sample failed:\n{}", lines.join("\n"))
        })?;
    }
    let documents: Vec<Document> = objects.into_iter().map(Document::new).collect();
    super::write_output(
        args.output.as_deref(),
        &render_with(&documents, &RenderOptions { headers: true }),
    )?;
    Ok(ExitCode::SUCCESS)
}
