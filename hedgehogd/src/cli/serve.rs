//! `hedgehogd serve`: the daemon. Without `--config`, a demo fabric.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::daemon::config::{Config, DEFAULT_LISTEN, Problems};
use crate::daemon::{self, demo};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration file (TOML; see deploy/hedgehogd.example.toml). Without it, a demo
    /// fabric in a local Git repository is served.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on (overrides the configuration's `listen`).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Where state, clones and the demo live (overrides `data_dir`; the demo's default is a
    /// temporary directory removed on exit).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Run one pass of every fabric, print the outcome as JSON and exit: 0 in sync, 3 drift,
    /// 2 errors.
    #[arg(long)]
    once: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_logging();
    // The first validation request should not pay for compiling the schemas.
    rayon::spawn(hedgehog_model::prepare);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<ExitCode> {
    let mut temp = None;
    let mut config = match &args.config {
        Some(path) => Config::load(path).map_err(|problems| {
            anyhow::anyhow!(
                "invalid configuration {}:\n  - {}",
                path.display(),
                problems.join("\n  - ")
            )
        })?,
        None => {
            let listen = DEFAULT_LISTEN
                .parse()
                .context("the default listen address")?;
            Config::empty(listen)
        }
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
        let mut problems = Problems::default();
        config.check_exposure(&mut problems);
        if let Err(p) = problems.finish(()) {
            bail!("{}", p.join("; "));
        }
    }
    if let Some(dir) = &args.data_dir {
        config.data_dir = Some(dir.clone());
    }
    let demo_mode = args.config.is_none();
    if demo_mode {
        let dir = match &config.data_dir {
            Some(dir) => dir.clone(),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("hedgehogd-demo-")
                    .tempdir()
                    .context("cannot create a temporary directory")?;
                let path = t.path().to_path_buf();
                temp = Some(t);
                path
            }
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        config.data_dir = Some(dir.clone());
        config.fabrics.push(demo::fabric(&dir).await?);
        tracing::info!(data_dir = %dir.display(), "demo mode: a sample fabric in a local Git repository");
    }
    if config.tokens.is_empty() {
        tracing::warn!(listen = %config.listen, "no tokens configured: the API is unauthenticated (loopback only)");
    }
    let daemon = daemon::daemon(&config).await?;
    if args.once {
        let (outcome, in_sync) = daemon::once(&daemon).await;
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &outcome)?;
        writeln!(out)?;
        drop(temp);
        return Ok(match in_sync {
            Some(true) => ExitCode::SUCCESS,
            Some(false) => ExitCode::from(3),
            None => ExitCode::from(2),
        });
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, fabrics = config.fabrics.len(), "hedgehogd listening");
    if demo_mode {
        print_demo_help(addr);
    }
    daemon::serve(&config, daemon, listener, daemon::shutdown_signal()).await?;
    drop(temp);
    Ok(ExitCode::SUCCESS)
}

fn print_demo_help(addr: SocketAddr) {
    let base = format!("http://{addr}");
    let name = demo::NAME;
    println!(
        "\nhedgehogd is serving a demo fabric (hhfab's default VLAB in a local Git repository, \
         with one VPC edited in the desired state). Try:\n\n  \
         curl -s {base}/v1/fabrics/{name}\n  \
         curl -s {base}/v1/fabrics/{name}/drift\n  \
         curl -s -X POST {base}/v1/fabrics/{name}/sync\n  \
         curl -s --data-binary @examples/fabrics/vlab.yaml {base}/v1/validate\n  \
         curl -s {base}/metrics\n  \
         curl -s {base}/v1/openapi.json\n\nCtrl-C stops it.\n"
    );
}

/// Structured logs on standard error; `RUST_LOG` filters (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}
