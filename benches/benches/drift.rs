//! The sync engine at scale: normalising a ~100 000-object generated fabric, drift across
//! three snapshots of it with a few hundred differences, one incremental watch update, and
//! read + plan + commit of a 20 000-file change set into a bare repository.

use std::convert::Infallible;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hedgehog_model::load::Document;
use hedgehog_model::sample::{ScaleParams, scaled};
use hedgehog_sync::drift::{Drift, History};
use hedgehog_sync::git::{CommitId, Repo};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::plan::{PlanOptions, plan};
use hedgehog_sync::snapshot::{Provenance, Snapshot};
use serde_json::json;

fn documents(objects: usize) -> Vec<Document> {
    scaled(ScaleParams::about(objects))
        .into_iter()
        .map(Document::new)
        .collect()
}

fn no_history(_: &[hedgehog_model::ObjectKey]) -> Result<History, Infallible> {
    Ok(History::new())
}

/// `snapshot` with an annotation added to every `step`-th object (from `offset`).
fn edited(snapshot: &Snapshot, step: usize, offset: usize, provenance: &Provenance) -> Snapshot {
    let mut out = snapshot.clone();
    for (i, entry) in out.objects.values_mut().enumerate() {
        entry.provenance = provenance.clone();
        if i % step == offset {
            entry.value["metadata"]["annotations"] = json!({"bench.hedgehog/edited": i});
        }
    }
    out
}

fn drift_100k(c: &mut Criterion) {
    let docs = documents(100_000);
    let mut group = c.benchmark_group("drift");
    group.sample_size(10);
    group.bench_function(format!("normalise {} objects", docs.len()), |b| {
        b.iter(|| black_box(Snapshot::from_documents(&docs, "bench")));
    });
    let desired = Snapshot::from_documents(&docs, "bench");
    let git_prov = Provenance::Git {
        path: String::new(),
        commit: "c".into(),
    };
    let cluster_prov = Provenance::Cluster {
        resource_version: "1".into(),
    };
    // ~200 objects differ between desired and Git, ~300 between Git and the cluster.
    let git = edited(&desired, desired.len() / 200, 0, &git_prov);
    let cluster = edited(&git, git.len() / 300, 1, &cluster_prov);
    group.bench_function(
        format!("three-state drift of {} objects", desired.len()),
        |b| {
            b.iter_batched(
                || (desired.clone(), git.clone(), cluster.clone()),
                |(d, g, c)| black_box(Drift::compute(Some(d), g, Some(c), no_history).unwrap()),
                BatchSize::PerIteration,
            );
        },
    );
    let mut drift = Drift::compute(
        Some(desired.clone()),
        git.clone(),
        Some(cluster.clone()),
        no_history,
    )
    .expect("drift");
    let mut value = docs.get(docs.len() / 2).expect("an object").to_value();
    let mut round = 0u64;
    group.bench_function("incremental update of one cluster object", |b| {
        b.iter(|| {
            round += 1;
            value["metadata"]["resourceVersion"] = json!(round.to_string());
            black_box(drift.update_cluster(value.clone(), no_history).unwrap());
        });
    });
    group.finish();
}

fn plan_commit_20k(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, author) = hedgehog_benches::seeded_bare_repo(tmp.path()).expect("a bare repository");
    let repo = Repo::open(&dir).expect("open");
    let layout = Layout::new("fabric").expect("layout");
    let options = PlanOptions::default();
    let base = Snapshot::from_documents(&documents(20_000), "bench");
    let files = base.len();
    let mut tip: CommitId = repo
        .head("main")
        .expect("heads")
        .local
        .expect("the seed commit");
    let mut round = 0;
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.bench_function(format!("read + plan + commit {files} files"), |b| {
        b.iter_batched(
            || {
                // Every object changes every round, so every file is rewritten.
                round += 1;
                let mut desired = base.clone();
                for entry in desired.objects.values_mut() {
                    entry.value["metadata"]["annotations"] = json!({"bench.hedgehog/round": round});
                }
                desired
            },
            |desired| {
                let tree = repo.read_tree(&tip.to_hex(), layout.base()).expect("tree");
                let p = plan(&desired, &tree, &layout, &options);
                assert_eq!(p.changes.add.len() + p.changes.update.len(), files);
                let changes = p.checked(true).expect("forced");
                tip = repo
                    .commit("main", tip, layout.base(), &changes, "bench", &author)
                    .expect("commit")
                    .expect("a change");
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, drift_100k, plan_commit_20k);
criterion_main!(benches);
