//! `hedgehogd sample`.

use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::sample::{Preset, ScaleParams, preset, realistic, scaled};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `vlab` is hhfab's default VLAB with a VPC per server; `small`, `large` and `huge` are
    /// valid fabrics of about 100, 10 000 and 100 000 objects.
    #[arg(long, default_value = "vlab")]
    preset: Preset,
    /// Instead of a preset, a fabric of about this many objects shaped as operators write
    /// them (labels, descriptions, several subnets per VPC, hostBGP, bundled servers,
    /// peerings, externals), as the benchmarks use.
    #[arg(long, value_name = "OBJECTS", conflicts_with = "preset")]
    real: Option<usize>,
    /// Instead of a preset, the `large`/`huge` shape at about this many objects.
    #[arg(long, value_name = "OBJECTS", conflicts_with_all = ["preset", "real"])]
    scaled: Option<usize>,
    /// Leave the wiring un-hydrated (no IPs, ASNs or link addresses), as NetBox exports it.
    #[arg(long)]
    unhydrated: bool,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut objects = match (args.real, args.scaled) {
        (Some(objects), _) => realistic(objects),
        (_, Some(objects)) => scaled(ScaleParams::about(objects)),
        _ => preset(args.preset),
    };
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
