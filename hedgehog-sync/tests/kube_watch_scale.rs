//! Scale measurement of the watch path (ignored by default; run in release):
//! `cargo test --release -p hedgehog-sync --test kube_watch_scale -- --ignored --nocapture`
//!
//! An in-process tower-test transport answers discovery (one kind), a paged list of N objects
//! and one watch stream of M MODIFIED events, so the numbers are those of our watcher,
//! reflector store and event channel, without HTTP or an API server.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hedgehog_model::Kind;
use hedgehog_sync::kube::{Cluster, ClusterWatch};
use http::{Request, Response};
use kube::client::Body;
use serde_json::{Value, json};

const OBJECTS: usize = 100_000;
const EVENTS: usize = 100_000;

fn vpc(i: usize, rv: usize) -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {
            "name": format!("vpc-{i:06}"), "namespace": "default", "resourceVersion": rv.to_string(),
            "uid": format!("00000000-0000-0000-0000-{i:012}"), "generation": 1,
            "creationTimestamp": "2026-11-22T09:00:00Z",
            "labels": {"fabric.githedgehog.com/ipv4ns": "default", "fabric.githedgehog.com/vlanns": "default"},
            "managedFields": [{"manager": "hhfab", "operation": "Apply", "apiVersion": "vpc.githedgehog.com/v1beta1",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:subnets": {"f:default": {".": {}, "f:subnet": {}, "f:vlan": {}}}}}}],
        },
        "spec": {
            "ipv4Namespace": "default", "vlanNamespace": "default", "mode": "",
            "subnets": {
                "default": {"subnet": format!("10.{}.{}.0/24", i / 256 % 256, i % 256), "gateway": "", "vlan": 1000 + i % 3000,
                            "dhcp": {"enable": true, "range": {"start": "", "end": ""}}},
                "backup": {"subnet": format!("172.16.{}.0/24", i % 256), "vlan": 2000 + i % 1000},
            },
        },
        "status": {},
    })
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn scripted_cluster(objects: Arc<Vec<Value>>, watch_body: Arc<Vec<u8>>) -> Cluster {
    let (svc, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    tokio::spawn(async move {
        let mut open = Vec::new();
        let mut watched = false;
        while let Some((req, send)) = handle.next_request().await {
            let path = req.uri().path().to_owned();
            let query = req.uri().query().unwrap_or_default().to_owned();
            let param = |k: &str| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                    .map(str::to_owned)
            };
            let body: Vec<u8> = if path == "/apis" {
                let gv =
                    json!({"groupVersion": "vpc.githedgehog.com/v1beta1", "version": "v1beta1"});
                serde_json::to_vec(&json!({"kind": "APIGroupList", "apiVersion": "v1",
                    "groups": [{"name": "vpc.githedgehog.com", "versions": [gv.clone()], "preferredVersion": gv}]}))
                .unwrap()
            } else if path == "/apis/vpc.githedgehog.com/v1beta1" {
                serde_json::to_vec(&json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "vpc.githedgehog.com/v1beta1",
                    "resources": [{"name": "vpcs", "singularName": "vpc", "namespaced": true, "kind": "VPC",
                                   "verbs": ["get", "list", "watch"]}]}))
                .unwrap()
            } else if param("watch").as_deref() == Some("true") {
                if watched {
                    open.push(send);
                    continue;
                }
                watched = true;
                watch_body.as_ref().clone()
            } else {
                let start: usize = param("continue").and_then(|c| c.parse().ok()).unwrap_or(0);
                let limit: usize = param("limit")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(objects.len());
                let end = (start + limit).min(objects.len());
                let cont = if end < objects.len() {
                    json!(end.to_string())
                } else {
                    json!(null)
                };
                serde_json::to_vec(&json!({"apiVersion": "v1", "kind": "List",
                    "metadata": {"resourceVersion": OBJECTS.to_string(), "continue": cont}, "items": &objects[start..end]}))
                .unwrap()
            };
            send.send_response(
                Response::builder()
                    .status(200)
                    .body(Body::from(body))
                    .unwrap(),
            );
        }
    });
    Cluster::from_client(kube::Client::new(svc, "default"), "default")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "scale measurement; run in release with --ignored --nocapture"]
async fn watch_throughput_and_memory_per_object() {
    let objects: Arc<Vec<Value>> = Arc::new((0..OBJECTS).map(|i| vpc(i, i + 1)).collect());
    let mut watch_body = Vec::new();
    for e in 0..EVENTS {
        let event = json!({"type": "MODIFIED", "object": vpc(e % OBJECTS, OBJECTS + e + 1)});
        serde_json::to_writer(&mut watch_body, &event).unwrap();
        watch_body.push(b'\n');
    }
    let cluster = scripted_cluster(objects.clone(), Arc::new(watch_body));
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
