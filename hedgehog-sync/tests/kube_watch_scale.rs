//! Scale measurement of the watch path (ignored by default; run in release):
//! `cargo test --release -p hedgehog-sync --test kube_watch_scale -- --ignored --nocapture`
//!
//! An in-process tower-test transport answers discovery (one kind), a paged list of N objects
//! and one watch stream of M MODIFIED events, so the numbers are those of our watcher,
//! reflector store and event channel, without HTTP or an API server.

#[path = "support/scripted.rs"]
mod scripted;

use std::sync::Arc;
use std::time::{Duration, Instant};

use hedgehog_model::Kind;
use hedgehog_sync::kube::ClusterWatch;
use scripted::{modified_events, scripted_cluster, vpc};
use serde_json::Value;

const OBJECTS: usize = 100_000;
const EVENTS: usize = 100_000;

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "scale measurement; run in release with --ignored --nocapture"]
async fn watch_throughput_and_memory_per_object() {
    let objects: Arc<Vec<Value>> = Arc::new((0..OBJECTS).map(|i| vpc(i, i + 1)).collect());
    let cluster = scripted_cluster(objects.clone(), Arc::new(modified_events(OBJECTS, EVENTS)));
    let baseline = rss_kib();

    let started = Instant::now();
    let (watch, mut events) = ClusterWatch::start(&cluster, 4096).await.unwrap();
    let mut received = 0usize;
    let mut ready_at = None;
    while received < OBJECTS + EVENTS {
        let ev = tokio::time::timeout(Duration::from_secs(120), events.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ev.key.kind, Kind::Vpc.name());
        received += 1;
        if received == OBJECTS {
            ready_at = Some(started.elapsed());
        }
    }
    let total = started.elapsed();
    let ready_at = ready_at.unwrap();
    assert!(watch.is_ready());
    assert_eq!(watch.len(), OBJECTS);
    let rss_growth_kib = rss_kib().saturating_sub(baseline);

    let snapshot_started = Instant::now();
    let snapshot = watch.snapshot();
    let snapshot_time = snapshot_started.elapsed();
    assert_eq!(snapshot.objects.len(), OBJECTS);
    assert!(
        snapshot
            .objects
            .iter()
            .all(|o| o.value["metadata"].get("managedFields").is_none())
    );
    let stored_json: usize = snapshot
        .objects
        .iter()
        .map(|o| serde_json::to_vec(&o.value).unwrap().len())
        .sum();
    drop(snapshot);

    let list_rate = OBJECTS as f64 / ready_at.as_secs_f64();
    let watch_rate = EVENTS as f64 / (total - ready_at).as_secs_f64();
    let per_object = rss_growth_kib as f64 * 1024.0 / OBJECTS as f64;
    println!(
        "initial list of {OBJECTS} objects (pages of 500) into the store: {ready_at:?} ({list_rate:.0} objects/s)"
    );
    println!(
        "{EVENTS} watch MODIFIED events into the store + channel: {:?} ({watch_rate:.0} events/s)",
        total - ready_at
    );
    println!(
        "RSS growth with {OBJECTS} stored objects: {} MiB = {per_object:.0} B/object (JSON size {} B/object)",
        rss_growth_kib / 1024,
        stored_json / OBJECTS
    );
    println!("snapshot() of {OBJECTS} objects: {snapshot_time:?}");
    // Loose bounds that would only trip on a pathological regression.
    assert!(per_object < 16_384.0, "{per_object} B/object");
    assert!(watch_rate > 1_000.0, "{watch_rate} events/s");
}
