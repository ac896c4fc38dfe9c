//! Committing a large change set with the Git backend: 20 000 files (a big fabric rendered
//! from scratch) written as one commit into a bare repository.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use hedgehog_sync::git::{CommitId, FileChange, Repo, Signature};

const FILES: usize = 20_000;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com")
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// 20 000 Connection-sized YAML files spread over a few directories; `round` makes every
/// file's content new, so each commit writes 20 000 new blobs.
fn change_set(round: usize) -> Vec<FileChange> {
    (0..FILES)
        .map(|i| FileChange {
            path: format!("wiring/connection/group-{:02}/conn-{i:05}.yaml", i % 50),
            content: Some(
                format!(
                    "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  \
                     name: conn-{i}\n  namespace: default\nspec:\n  unbundled:\n    link:\n      \
                     server: {{port: server-{i}/enp2s1}}\n      switch: {{port: leaf-{}/E1/{}}}\n\
                     # round {round}\n",
                    i % 64,
                    i % 48 + 1
                )
                .into_bytes(),
            ),
        })
        .collect()
}

fn commit_20k(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("bench.git");
    git(
        tmp.path(),
        &[
            "init",
            "--quiet",
            "--bare",
            "-b",
            "main",
            dir.to_str().expect("utf-8"),
        ],
    );
    let empty = git(&dir, &["mktree"]);
    let seed = git(&dir, &["commit-tree", "-m", "seed", &empty]);
    git(&dir, &["update-ref", "refs/heads/main", &seed]);
    let repo = Repo::open(&dir).expect("open");
    let author = Signature {
        name: "bench".into(),
        email: "bench@example.com".into(),
        time: Some(0),
    };
    let mut tip: CommitId = seed.parse().expect("commit id");
    let mut round = 0;
    let mut group = c.benchmark_group("git");
    group.sample_size(10);
    group.bench_function("commit 20k-file change set", |b| {
        b.iter_batched(
            || {
                round += 1;
                change_set(round)
            },
            |changes| {
                let commit = repo
                    .commit("main", tip, "fabric", &changes, "bench", &author)
                    .expect("commit")
                    .expect("a change");
                tip = black_box(commit);
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, commit_20k);
criterion_main!(benches);
