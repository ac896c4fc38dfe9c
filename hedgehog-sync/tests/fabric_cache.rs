//! Fabrics that share a cache clone (two fabrics on one remote) never fetch or push in it at
//! the same time, and a pass whose future is dropped finishes its Git work before the next
//! pass of the fabric starts. A pre-receive hook on the real `file://` remote makes each push
//! take a second and logs it, so overlapping pushes would show in its log.

mod engine_support;

use std::time::Duration;

use engine_support::Remote;
use engine_support::passes::{request, settings};
use hedgehog_model::load::Document;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_sync::fabric::{Fabric, PassRequest, Policy};
use hedgehog_sync::snapshot::Snapshot;

fn vlab() -> Snapshot {
    let docs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .map(Document::new)
        .collect();
    Snapshot::from_documents(&docs, "netbox")
}

async fn fabric(remote: &Remote, name: &str, branch: &str) -> Fabric {
    let mut settings = settings(remote);
    settings.name = name.into();
    settings.git.branch = branch.into();
    Fabric::new(settings).await.unwrap()
}

fn commit_pass(desired: Snapshot) -> PassRequest {
    request(Policy::Commit, Some(desired))
}

/// `start`/`end` lines of the hook's log alternate when no two pushes overlapped.
fn assert_serial(log: &std::path::Path, pushes: usize) {
    let text = std::fs::read_to_string(log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let serial: Vec<&str> = ["start", "end"].repeat(pushes);
    assert_eq!(lines, serial, "pushes overlapped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_fabrics_on_one_remote_never_push_at_once() {
    let remote = Remote::new();
    remote.git(&remote.work, &["push", "-q", "origin", "main:other"]);
    let log = remote.slow_pushes(1);
    let a = fabric(&remote, "a", "main").await;
    let b = fabric(&remote, "b", "other").await;
    let (ra, rb) = tokio::join!(a.pass(commit_pass(vlab())), b.pass(commit_pass(vlab())));
    assert!(ra.unwrap().published.is_some());
    assert!(rb.unwrap().published.is_some());
    assert_serial(&log, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_pass_finishes_its_push_before_the_next_pass() {
    let remote = Remote::new();
    let log = remote.slow_pushes(2);
    let lab = fabric(&remote, "lab", "main").await;
    // Dropped (as Ctrl-C in Python or a cancelled request drops it) while its push runs.
    let dropped = tokio::time::timeout(Duration::from_millis(800), lab.pass(commit_pass(vlab())));
    assert!(dropped.await.is_err(), "the pass should still be pushing");
    let mut edited = vlab();
    let key = edited.objects.keys().next().unwrap().clone();
    let entry = edited.objects.get_mut(&key).unwrap();
    let mut value = entry.value();
    value["metadata"]["labels"] = serde_json::json!({"edited": "yes"});
    entry.set_value(&value);
    let next = lab.pass(commit_pass(edited)).await.unwrap();
    assert!(next.published.is_some());
    assert_serial(&log, 2);
    assert_eq!(
        remote.remote_log(),
        ["hedgehog: sync", "hedgehog: sync", "initial"]
    );
}
