//! `hedgehogd`: the hedgehog daemon and operator command line.
//!
//! Exit codes: 0 success; 1 validation errors found; 2 usage or I/O problems; 3 drift found;
//! 4 `drift` could not read some kinds from the cluster (the report is partial).

use std::process::ExitCode;

use clap::Parser;
use hedgehogd::cli;

/// Loading and validating allocate many small strings and maps; with glibc's allocator
/// malloc/free took about a third of `hedgehogd validate` (benches/compare.py measures it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            match code_of(&err) {
                Some(code) => eprintln!("hedgehogd: error[{code}]: {err:#}"),
                None => eprintln!("hedgehogd: {err:#}"),
            }
            ExitCode::from(2)
        }
    }
}

/// The stable code of the first engine error in `err`'s chain (`hedgehog_sync::codes`), so
/// that scripts can match on it as on the API's and the bindings' codes.
fn code_of(err: &anyhow::Error) -> Option<&'static str> {
    use hedgehog_sync::{fabric::SyncError, git::GitError, kube::KubeError};
    err.chain().find_map(|e| {
        e.downcast_ref::<SyncError>()
            .map(|e| e.error_code())
            .or_else(|| e.downcast_ref::<GitError>().map(GitError::error_code))
            .or_else(|| e.downcast_ref::<KubeError>().map(KubeError::error_code))
            .map(|c| c.code)
    })
}
