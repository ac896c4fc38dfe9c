//! `hedgehogd validate`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use hedgehog_model::hydrate::HydrateMode;
use std::time::Instant;

use hedgehog_model::{ValidateOptions, validate_loaded_timed};

use super::{Format, input};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Fabric configuration (YAML or JSON, upstream FabricConfig field names); fields left
    /// out keep hhfab's defaults.
    #[arg(long, value_name = "FILE")]
    fabric_config: Option<PathBuf>,
    /// Accept SwitchProfiles other than the built-in ones (upstream's allowExtraSwitchProfiles).
    #[arg(long)]
    allow_extra_switch_profiles: bool,
    /// Hydrate the wiring first as hhfab would (`never` validates it as given).
    #[arg(long, value_name = "MODE", default_value = "never")]
    hydrate: HydrateMode,
    /// Print the time of each stage to standard error as one JSON object (seconds), for the
    /// benchmarks.
    #[arg(long, hide = true)]
    timings: bool,
    /// Files or directories (`*.yaml`, `*.yml`, `*.json`, recursively); `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut config = input::fabric_config(args.fabric_config.as_deref())?;
    config.allow_extra_switch_profiles |= args.allow_extra_switch_profiles;
    let started = Instant::now();
    // The schemas and built-in profiles are made ready while the files are read and cut into
    // documents, which keeps one core busy and the other idle.
    let (loaded, ()) = rayon::join(|| input::load(&args.paths), hedgehog_model::prepare);
    let mut loaded = loaded?;
    let load = started.elapsed();
    let options = ValidateOptions {
        config,
        fabric: true,
        hydrate: (args.hydrate != HydrateMode::Never).then_some(args.hydrate),
    };
    let (report, stages) = validate_loaded_timed(&mut loaded, &options);
    let written = Instant::now();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Text => {
            for d in &report.diagnostics {
                writeln!(out, "{d}")?;
            }
            writeln!(
                out,
                "{} objects: {} errors, {} warnings",
                report.objects, report.errors, report.warnings
            )?;
        }
    }
    if args.timings {
        let mut times = serde_json::Map::new();
        times.insert("load".into(), load.as_secs_f64().into());
        for (stage, took) in stages {
            times.insert(stage.into(), took.as_secs_f64().into());
        }
        times.insert("write".into(), written.elapsed().as_secs_f64().into());
        eprintln!("{}", serde_json::Value::Object(times));
    }
    out.flush()?;
    let code = if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    // The process ends now: freeing the loaded fabric object by object would only delay the
    // exit (about a twentieth of a 20 000-object run, on one core). The daemon and the
    // bindings free theirs; they run this pipeline, not this function.
    std::mem::forget((loaded, report));
    Ok(code)
}
