//! `hedgehogd`: the hedgehog daemon and operator command line.
//!
//! Exit codes: 0 success; 1 validation errors found; 2 usage or I/O problems; 3 drift found;
//! 4 `drift` could not read some kinds from the cluster (the report is partial).

mod cli;
mod daemon;
mod desired;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("hedgehogd: {err:#}");
            ExitCode::from(2)
        }
    }
}
