//! The sync engine at scale: normalising a ~100 000-object generated fabric, drift across
//! three snapshots of it with a few hundred differences, its JSON report, one incremental
//! watch update; the stages of `hedgehogd drift` on the real-shaped 20 000-object fabric
//! with one file per object in Git (read the tree, its snapshot, load and normalise the
//! desired state, plan, drift, report); and read + plan + commit of a 20 000-file change
//! set into a bare repository.

use std::convert::Infallible;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hedgehog_model::load::{Document, Limits, Loader};
use hedgehog_model::sample::{ScaleParams, scaled};
use hedgehog_sync::drift::{Drift, History, State};
use hedgehog_sync::git::{CommitId, Repo};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::plan::{PlanOptions, plan, plan_on};
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
            let mut value = entry.value();
            value["metadata"]["annotations"] = json!({"bench.hedgehog/edited": i});
            entry.set_value(&value);
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
    group.bench_function("report JSON of the three-state drift", |b| {
        b.iter(|| black_box(serde_json::to_vec(&drift.report()).expect("JSON")));
    });
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

/// The stages of `hedgehogd drift --git REPO --desired FILE` on the drift fixture
/// ([`hedgehog_benches::drift_fixture`], desired state equal to Git).
fn drift_stages_20k(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = hedgehog_benches::drift_fixture(tmp.path(), 20_000).expect("the fixture");
    // `hedgehogd drift` reads its cache clone, whose objects are packed; a fresh commit's
    // are loose files.
    hedgehog_benches::git(tmp.path(), &fixture.repo, &["repack", "-adq"]).expect("repack");
    let repo = Repo::open(&fixture.repo).expect("open");
    let layout = Layout::new("").expect("layout");
    let n = fixture.objects;
    let mut group = c.benchmark_group("drift-cli");
    group.sample_size(10);
    group.bench_function(format!("read the Git tree of {n} files"), |b| {
        b.iter(|| black_box(repo.read_tree("main", "").expect("tree")));
    });
    let tree = repo.read_tree("main", "").expect("tree");
    group.bench_function(format!("snapshot of {n} Git files"), |b| {
        b.iter(|| black_box(Snapshot::from_tree(&tree, &layout)));
    });
    let git = Snapshot::from_tree(&tree, &layout);
    let load_desired = || {
        let loaded = Loader::new(Limits::default())
            .load_file(&fixture.desired)
            .expect("the desired state");
        Snapshot::from_documents(&loaded.documents, "bench")
    };
    group.bench_function(format!("load and normalise the desired {n} objects"), |b| {
        b.iter(|| black_box(load_desired()));
    });
    let desired = load_desired();
    let options = PlanOptions::default();
    group.bench_function(format!("plan of {n} objects"), |b| {
        b.iter(|| black_box(plan_on(&desired, &tree, &git, &layout, &options)));
    });
    group.bench_function(format!("drift of {n} objects, desired and Git"), |b| {
        b.iter_batched(
            || (desired.clone(), git.clone()),
            |(d, g)| black_box(Drift::compute(Some(d), g, None, no_history).unwrap()),
            BatchSize::PerIteration,
        );
    });
    let drift = Drift::compute(Some(desired.clone()), git.clone(), None, no_history).unwrap();
    assert_eq!(
        drift.summary().counts.get(State::InSync),
        n,
        "the fixture is in sync"
    );
    group.bench_function(format!("report JSON of {n} objects"), |b| {
        b.iter(|| black_box(serde_json::to_vec(&drift.report()).expect("JSON")));
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
                    let mut value = entry.value();
                    value["metadata"]["annotations"] = json!({"bench.hedgehog/round": round});
                    entry.set_value(&value);
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

criterion_group!(benches, drift_100k, drift_stages_20k, plan_commit_20k);
criterion_main!(benches);
