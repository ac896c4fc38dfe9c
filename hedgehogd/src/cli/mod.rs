//! The command line: one module per subcommand.

mod crds;
mod diagram;
mod drift;
mod hydrate;
mod input;
mod progress;
mod render;
mod sample;
mod serve;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Validate, render and keep Hedgehog Fabric state in agreement across NetBox, Git and the cluster.
#[derive(Debug, Parser)]
#[command(name = "hedgehogd", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate wiring and VPC API objects (files or directories) as upstream would, all errors at once.
    Validate(validate::Args),
    /// Print objects as canonical YAML (hhfab kind order, stable keys, one document per object).
    Render(render::Args),
    /// Print the CustomResourceDefinitions of every Hedgehog kind.
    Crds(crds::Args),
    /// Fill management, protocol and VTEP IPs, ASNs and fabric link addresses as hhfab does.
    Hydrate(hydrate::Args),
    /// Print a sample fabric: hhfab's default VLAB, or a large valid one.
    Sample(sample::Args),
    /// Compare desired state, a GitOps branch and (optionally) the cluster; exit 0 in sync, 3 on
    /// drift, 4 when some kinds could not be read from the cluster (named in the report; their
    /// objects are `unknown`), 2 on errors.
    Drift(drift::Args),
    /// Draw the wiring: spines, leaves and servers in tiers, every link with its ports
    /// (draw.io, Graphviz dot, Mermaid or SVG).
    Diagram(diagram::Args),
    /// Run the daemon: the HTTP API and scheduled sync passes (a demo fabric without --config).
    Serve(serve::Args),
}

/// Output format of the commands that print a report.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
enum Format {
    /// For people: `validate` prints compiler-style lines, `drift` a summary and each object
    /// that is not in sync.
    #[default]
    Text,
    /// For scripts: the same JSON object the HTTP API and the Python bindings return.
    Json,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let _spinner = match &cli.command {
        Command::Validate(_) => Some(progress::Spinner::start("validating")),
        Command::Render(_) => Some(progress::Spinner::start("rendering")),
        Command::Hydrate(_) => Some(progress::Spinner::start("hydrating")),
        Command::Drift(_) => Some(progress::Spinner::start("comparing")),
        Command::Diagram(_) => Some(progress::Spinner::start("drawing")),
        Command::Crds(_) | Command::Sample(_) | Command::Serve(_) => None,
    };
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Render(args) => render::run(args),
        Command::Crds(args) => crds::run(args),
        Command::Hydrate(args) => hydrate::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Drift(args) => drift::run(args),
        Command::Diagram(args) => diagram::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// Writes command output to a file, or to standard output when none is given.
fn write_output(path: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => Ok(std::io::stdout().lock().write_all(text.as_bytes())?),
    }
}
