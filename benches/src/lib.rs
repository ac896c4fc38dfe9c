//! Criterion benchmarks of the hedgehog crates; run `cargo bench -p hedgehog-benches`.
//!
//! This library holds what several benchmarks share: [`fabric_yaml`], a valid, hydrated
//! fabric of a given size ([`hedgehog_model::sample::scaled`]) written as multi-document YAML,
//! the way operators keep fabrics in Git; and [`daemon`], a running `hedgehogd serve` with an
//! HTTP client (also used by the daemon's integration tests), and [`fake_apiserver`], the
//! loopback fake Kubernetes API server the integration tests share.

pub mod daemon;
pub mod fake_apiserver;

use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::render;
pub use hedgehog_model::sample::ScaleParams;
use hedgehog_model::sample::scaled;
use hedgehog_sync::git::Signature;

/// The fabric of `shape`, hydrated, as canonical multi-document YAML.
pub fn fabric_yaml(shape: ScaleParams) -> String {
    let mut objects = scaled(shape);
    // The generator stays within hhfab's default address and ASN pools, so hydration cannot
    // fail; an empty fabric would show up as a benchmark of nothing.
    let _ = hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    );
    render(&objects.into_iter().map(Document::new).collect::<Vec<_>>())
}

/// A bare repository at `dir/bench.git` whose `main` holds one empty commit, made with the
/// `git` CLI (HOME pointed at `dir`, so no user configuration applies); returns its path and
/// the author the benchmarks commit as.
pub fn seeded_bare_repo(dir: &std::path::Path) -> Result<(std::path::PathBuf, Signature), String> {
    let repo = dir.join("bench.git");
    let git = |cwd: &std::path::Path, args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .current_dir(cwd)
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args([
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@example.com",
            ])
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let path = repo.to_str().ok_or("the path is not UTF-8")?;
    git(dir, &["init", "--quiet", "--bare", "-b", "main", path])?;
    let empty = git(&repo, &["mktree"])?;
    let seed = git(&repo, &["commit-tree", "-m", "seed", &empty])?;
    git(&repo, &["update-ref", "refs/heads/main", &seed])?;
    let author = Signature {
        name: "bench".into(),
        email: "bench@example.com".into(),
        time: Some(0),
    };
    Ok((repo, author))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::load::{Limits, Loader};
    use hedgehog_model::{ValidateOptions, validate_loaded};

    #[test]
    fn benchmark_fabrics_are_valid_and_sized_as_announced() {
        for objects in [100, 2_000] {
            let shape = ScaleParams::about(objects);
            let text = fabric_yaml(shape);
            let mut loaded = Loader::new(Limits::default()).load_str(&text, Some("fabric.yaml"));
            assert_eq!(loaded.documents.len(), shape.objects());
            let report = validate_loaded(&mut loaded, &ValidateOptions::default());
            assert!(
                report.diagnostics.is_empty(),
                "{shape:?}: {:#?}",
                &report.diagnostics[..report.diagnostics.len().min(5)]
            );
        }
    }
}
