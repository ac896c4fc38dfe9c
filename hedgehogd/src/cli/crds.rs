//! `hedgehogd crds`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::write_output(args.output.as_deref(), &hedgehog_model::crd::crds_yaml())?;
    Ok(ExitCode::SUCCESS)
}
