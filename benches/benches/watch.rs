//! Watch path throughput: initial list of N VPCs plus M MODIFIED watch events through
//! `ClusterWatch` (kube-runtime watcher + reflector store + change channel), served in-process
//! by the scripted transport of hedgehog-sync's tests (no HTTP, no API server).

#[path = "../../hedgehog-sync/tests/support/scripted.rs"]
mod scripted;

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hedgehog_sync::kube::ClusterWatch;
use serde_json::Value;

const OBJECTS: usize = 10_000;
const EVENTS: usize = 10_000;

fn watch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let objects: Arc<Vec<Value>> =
        Arc::new((0..OBJECTS).map(|i| scripted::vpc(i, i + 1)).collect());
    let body = Arc::new(scripted::modified_events(OBJECTS, EVENTS));
    let mut group = c.benchmark_group("watch");
    group.sample_size(10);
    group.throughput(Throughput::Elements((OBJECTS + EVENTS) as u64));
    group.bench_function("list_10k_then_10k_events_into_store", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let cluster = scripted::scripted_cluster(objects.clone(), body.clone());
                let (watch, mut events) = ClusterWatch::start(&cluster, 4096).await.unwrap();
                for _ in 0..OBJECTS + EVENTS {
                    events.recv().await.unwrap();
                }
                assert_eq!(watch.len(), OBJECTS);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, watch);
criterion_main!(benches);
