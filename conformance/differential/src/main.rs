//! `hedgehog-differential`: runs fixtures or a mutation campaign through hedgehog-model and
//! the upstream oracle and compares them object by object.
//!
//! ```sh
//! hedgehog-differential fixtures [UPSTREAM] DIR_OR_FILE...
//! hedgehog-differential fuzz [UPSTREAM] [--seed N] [--cases N | --minutes M]
//! # UPSTREAM: --oracle BIN (default: built by scripts/upstream-oracle) [--record FILE]
//! #           or --recorded FILE (verdicts recorded earlier, no Go needed)
//! ```
//! Exits 0 when every case agrees, 1 on a disagreement, 2 on other errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use hedgehog_conformance::bases::bases;
use hedgehog_conformance::campaign::{Case, Score, Upstream, fuzz_case};
use hedgehog_conformance::oracle::{self, Oracles};
use hedgehog_conformance::record::{Recorded, Recorder};
use hedgehog_model::ValidateOptions;

#[derive(Parser)]
#[command(about = "Compares hedgehog-model's validation with upstream's own Go validation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The oracle binary (default: `scripts/upstream-oracle build`).
    #[arg(long, global = true, conflicts_with = "recorded")]
    oracle: Option<PathBuf>,
    /// Compare against verdicts recorded earlier instead of a running oracle.
    #[arg(long, global = true)]
    recorded: Option<PathBuf>,
    /// Record the oracle's verdicts into this file (JSON lines).
    #[arg(long, global = true, conflicts_with = "recorded")]
    record: Option<PathBuf>,
    /// Write every case's fabric into this directory (`seed-S-case-N.yaml`).
    #[arg(long, global = true)]
    dump: Option<PathBuf>,
    /// Fail when more than this share (percent) of the cases has no recorded verdict.
    #[arg(long, global = true, default_value_t = 10)]
    max_unrecorded_percent: usize,
}

#[derive(Subcommand)]
enum Command {
    /// Every fabric in the given files and directories (*.yaml, one fabric per file).
    Fixtures {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Mutants of the base fabrics.
    Fuzz {
        /// Seed of the campaign.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of cases.
        #[arg(long, default_value_t = 2000)]
        cases: u64,
        /// First case number (to reproduce one case: `--start N --cases 1`).
        #[arg(long, default_value_t = 0)]
        start: u64,
        /// Run for this many minutes instead of a number of cases.
        #[arg(long)]
        minutes: Option<u64>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("hedgehog-differential: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn upstream(cli: &Cli) -> anyhow::Result<Upstream> {
    if let Some(path) = &cli.recorded {
        return Ok(Upstream::Recorded(Recorded::read(path)?));
    }
    let binary = match &cli.oracle {
        Some(b) => b.clone(),
        None => oracle::build(&repo_root())?,
    };
    let recorder = cli.record.as_deref().map(Recorder::create).transpose()?;
    Ok(Upstream::Live(Oracles::start(binary)?, recorder))
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    let mut upstream = upstream(&cli)?;
    let options = ValidateOptions::default();
    let mut score = Score::default();
    let started = Instant::now();
    let what = match &cli.command {
        Command::Fixtures { paths } => {
            for case in fixtures(paths)? {
                score.run(&case, &options, &mut upstream)?;
            }
            "fixtures".to_owned()
        }
        Command::Fuzz {
            seed,
            cases,
            start,
            minutes,
        } => {
            let bases = bases();
            let deadline = minutes.map(|m| started + Duration::from_secs(m * 60));
            let mut n = *start;
            while deadline.map_or(n < start + cases, |d| Instant::now() < d) {
                let case = fuzz_case(&bases, *seed, n);
                score.run(&case, &options, &mut upstream)?;
                if let Some(dir) = &cli.dump {
                    std::fs::create_dir_all(dir)?;
                    std::fs::write(dir.join(format!("seed-{seed}-case-{n}.yaml")), &case.text)?;
                }
                n += 1;
            }
            format!("fuzz seed {seed}")
        }
    };
    print!("{}", score.summary(&what));
    println!("{what}: {:.1} s", started.elapsed().as_secs_f64());
    let compared = score.cases + score.unrecorded;
    if score.unrecorded * 100 > compared * cli.max_unrecorded_percent {
        eprintln!(
            "{what}: {} of {compared} cases have no recorded verdict; record them again with the oracle (--record)",
            score.unrecorded
        );
        return Ok(false);
    }
    Ok(score.passed())
}

/// Every `*.yaml` file under the paths, one fabric each, in path order.
fn fixtures(paths: &[PathBuf]) -> anyhow::Result<Vec<Case>> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let label = file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            Ok(Case {
                label,
                edits: Vec::new(),
                text,
            })
        })
        .collect()
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        for entry in
            std::fs::read_dir(path).with_context(|| format!("reading {}", path.display()))?
        {
            collect(&entry?.path(), files)?;
        }
    } else if path.extension().is_some_and(|e| e == "yaml") {
        files.push(path.to_path_buf());
    }
    Ok(())
}
