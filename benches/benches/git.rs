//! Committing a large change set with the Git backend: 20 000 files (a big fabric rendered
//! from scratch) written as one commit into a bare repository.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hedgehog_sync::git::{CommitId, FileChange, Repo};

const FILES: usize = 20_000;

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
    let (dir, author) = hedgehog_benches::seeded_bare_repo(tmp.path()).expect("a bare repository");
    let repo = Repo::open(&dir).expect("open");
    let mut tip: CommitId = repo
        .head("main")
        .expect("heads")
        .local
        .expect("the seed commit");
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
