//! Criterion benchmarks of the hedgehog crates; run `cargo bench -p hedgehog-benches`.
//!
//! This library holds what several benchmarks share: [`fabric_yaml`], a valid, hydrated
//! fabric of a given size ([`hedgehog_model::sample::scaled`]) written as multi-document YAML,
//! the way operators keep fabrics in Git; and [`daemon`], a running `hedgehogd serve` with an
//! HTTP client (also used by the daemon's integration tests), [`fake_apiserver`], the
//! loopback fake Kubernetes API server of the fast unit-level checks, and [`test_apiserver`],
//! the real kube-apiserver the Kubernetes integration tests run against, and [`git_http`], a
//! Git smart-HTTP server that demands a token.

pub mod daemon;
pub mod fake_apiserver;
pub mod git_http;
pub mod test_apiserver;

use hedgehog_model::Object;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render, render_with};
pub use hedgehog_model::sample::ScaleParams;
use hedgehog_model::sample::{Preset, preset, realistic, scaled};
use hedgehog_sync::git::{FileChange, Repo, Signature};
use hedgehog_sync::layout::Layout;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fabric of `shape`, hydrated, as canonical multi-document YAML.
pub fn fabric_yaml(shape: ScaleParams) -> String {
    hydrated_yaml(scaled(shape), false)
}

/// A fabric of about `objects` objects shaped as operators write them
/// ([`hedgehog_model::sample::realistic`]: labels, several subnets per VPC, peerings,
/// externals), hydrated, as multi-document YAML with hhfab's `#` kind headers — the file
/// `hedgehogd sample --real N` writes and `benches/compare.py` measures.
pub fn real_fabric_yaml(objects: usize) -> String {
    hydrated_yaml(realistic(objects), true)
}

/// hhfab's default VLAB (45 objects), hydrated, with kind headers: what `hedgehogd sample`
/// writes, and the body of the HTTP load test's `vlab` scenario.
pub fn vlab_yaml() -> String {
    hydrated_yaml(preset(Preset::Vlab), true)
}

fn hydrated_yaml(mut objects: Vec<Object>, headers: bool) -> String {
    // The generators stay within hhfab's default address and ASN pools, so hydration cannot
    // fail; an empty fabric would show up as a benchmark of nothing.
    let _ = hydrate(
        &mut objects,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    );
    let documents: Vec<Document> = objects.into_iter().map(Document::new).collect();
    render_with(&documents, &RenderOptions { headers })
}

/// Runs the `git` CLI in `dir` as "another engineer" would, for tests and benchmarks: a
/// fixed identity and dates, `HOME` pointed at `home` and no system configuration, so the
/// user's Git settings never apply. Returns standard output, trimmed.
pub fn git(home: &Path, dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Other Engineer")
        .env("GIT_AUTHOR_EMAIL", "other@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "Other Engineer")
        .env("GIT_COMMITTER_EMAIL", "other@example.com")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A bare repository at `dir/bench.git` whose `main` holds one empty commit (`HOME` is
/// `dir`); returns its path and the author the benchmarks commit as.
pub fn seeded_bare_repo(dir: &Path) -> Result<(PathBuf, Signature), String> {
    let repo = dir.join("bench.git");
    let path = repo.to_str().ok_or("the path is not UTF-8")?;
    git(dir, dir, &["init", "--quiet", "--bare", "-b", "main", path])?;
    let empty = git(dir, &repo, &["mktree"])?;
    let seed = git(dir, &repo, &["commit-tree", "-m", "seed", &empty])?;
    git(dir, &repo, &["update-ref", "refs/heads/main", &seed])?;
    let author = Signature {
        name: "bench".into(),
        email: "bench@example.com".into(),
        time: Some(0),
    };
    Ok((repo, author))
}

/// The drift measurement's fixture ([`drift_fixture`]).
#[derive(Debug)]
pub struct DriftFixture {
    /// The bare repository: one file per object in hedgehog's layout, on `main`.
    pub repo: PathBuf,
    /// The same objects as one desired-state file (with hhfab's `#` kind headers).
    pub desired: PathBuf,
    /// How many objects.
    pub objects: usize,
}

/// Writes a real-shaped fabric of about `objects` objects
/// ([`hedgehog_model::sample::realistic`], hydrated) into `dir`: committed to
/// `dir/bench.git` with one file per object at its canonical path
/// (`managed/<kind plural>/<name>.yaml`), and as `dir/desired.yaml`, so that
/// `hedgehogd drift --git DIR/bench.git --desired DIR/desired.yaml` finds them in sync.
pub fn drift_fixture(dir: &Path, objects: usize) -> Result<DriftFixture, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut fabric = realistic(objects);
    hydrate(
        &mut fabric,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    )
    .map_err(|problems| format!("{} hydration problems", problems.len()))?;
    let documents: Vec<Document> = fabric.into_iter().map(Document::new).collect();
    let layout = Layout::new("").map_err(|e| e.to_string())?;
    let changes: Vec<FileChange> = documents
        .iter()
        .map(|doc| FileChange {
            path: layout.managed_path(&doc.key()),
            content: Some(render(std::slice::from_ref(doc)).into_bytes()),
        })
        .collect();
    let (repo_dir, author) = seeded_bare_repo(dir)?;
    let repo = Repo::open(&repo_dir).map_err(|e| e.to_string())?;
    let seed = repo
        .head("main")
        .map_err(|e| e.to_string())?
        .local
        .ok_or("the seed commit")?;
    repo.commit("main", seed, "", &changes, "fabric", &author)
        .map_err(|e| e.to_string())?;
    let desired = dir.join("desired.yaml");
    std::fs::write(
        &desired,
        render_with(&documents, &RenderOptions { headers: true }),
    )
    .map_err(|e| e.to_string())?;
    Ok(DriftFixture {
        repo: repo_dir,
        desired,
        objects: documents.len(),
    })
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
