//! Watches against a real kube-apiserver (see `scripts/test-apiserver`): the server sends
//! bookmarks, and after a disconnection long enough for etcd to compact away the watch's
//! resource version, the `410 Gone` leads to a relist that loses no change.

mod support;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use hedgehog_model::Kind;
use hedgehog_sync::kube::{
    ApplyOptions, ChangeEvent, ChangeKind, Cluster, ClusterWatch, DeletePreconditions,
};
use kube::api::{DynamicObject, WatchEvent, WatchParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};
use support::{Options, TestApiServer, kube_client, real_namespace};
use tokio::sync::mpsc::Receiver;

const WRITE: ApplyOptions = ApplyOptions {
    dry_run: false,
    force: false,
};

fn server_object(name: &str, description: &str) -> Value {
    json!({
        "apiVersion": Kind::Server.api_version(), "kind": "Server",
        "metadata": {"name": name},
        "spec": {"description": description},
    })
}

fn servers(client: kube::Client, namespace: &str) -> kube::Api<DynamicObject> {
    let resource = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(Kind::Server.group(), "v1beta1", "Server"),
        "servers",
    );
    kube::Api::namespaced_with(client, namespace, &resource)
}

#[tokio::test]
async fn the_server_sends_bookmarks() {
    let config = real_namespace("bookmarks").await;
    let cluster = Cluster::connect(&config).await.unwrap();
    cluster
        .apply(&[server_object("srv", "x")], WRITE)
        .await
        .unwrap();
    let api = servers(kube_client(&config).await, "bookmarks");
    let list = api.list(&Default::default()).await.unwrap();
    let version = list.metadata.resource_version.unwrap();
    // A change this watch does not see (another namespace) moves the server's resource
    // version on; the watch cache tells the watch with a bookmark, at the latest two
    // seconds before the watch's timeout.
    let params = WatchParams::default().timeout(6);
    assert!(params.bookmarks, "kube asks for bookmarks by default");
    let stream = api.watch(&params, &version).await.unwrap();
    let elsewhere = Cluster::connect(&real_namespace("bookmarks-elsewhere").await)
        .await
        .unwrap();
    elsewhere
        .apply(&[server_object("other", "x")], WRITE)
        .await
        .unwrap();
    let events: Vec<_> = stream.collect().await;
    let bookmarks: Vec<String> = events
        .into_iter()
        .filter_map(|e| match e.unwrap() {
            WatchEvent::Bookmark(b) => Some(b.metadata.resource_version),
            _ => None,
        })
        .collect();
    assert!(!bookmarks.is_empty(), "no bookmark in the watch");
    assert!(bookmarks.iter().all(|v| !v.is_empty()));
}

/// Receives change events until `wanted` have all arrived (others are fine), or fails after
/// a minute with what came.
async fn await_events(rx: &mut Receiver<ChangeEvent>, wanted: &[(ChangeKind, &str)]) {
    let mut missing: HashSet<(ChangeKind, String)> =
        wanted.iter().map(|(c, n)| (*c, (*n).to_owned())).collect();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !missing.is_empty() {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(event)) => {
                missing.remove(&(event.change, event.key.name.clone()));
                seen.push(event);
            }
            _ => panic!("still missing {missing:?}; received {seen:#?}"),
        }
    }
}

fn names(objects: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    objects.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_expired_by_compaction_relists_and_loses_no_change() {
    // Without the watch cache a resumed watch reads etcd, so a compaction past its resource
    // version is a 410 Gone, as after a long disconnection from a production server.
    let server = TestApiServer::start(
        Path::new(env!("CARGO_TARGET_TMPDIR")),
        Options { watch_cache: false },
    )
    .unwrap();
    let direct = Cluster::connect(&server.admin("default")).await.unwrap();
    direct
        .apply(
            &[
                server_object("s1", "one"),
                server_object("s2", "two"),
                server_object("s3", "three"),
            ],
            WRITE,
        )
        .await
        .unwrap();
    let mut through_proxy = server.admin("default");
    through_proxy.server = server.watch_proxy_url.clone();
    let watched = Cluster::connect(&through_proxy).await.unwrap();
    let (watch, mut rx) = ClusterWatch::start(&watched, 1024).await.unwrap();
    assert!(watch.wait_ready(Duration::from_secs(60)).await);
    await_events(
        &mut rx,
        &[
            (ChangeKind::Applied, "s1"),
            (ChangeKind::Applied, "s2"),
            (ChangeKind::Applied, "s3"),
        ],
    )
    .await;

    // Disconnected, the watch misses an edit, a deletion and a creation…
    server.cut_watch_proxy().await.unwrap();
    direct
        .apply(&[server_object("s1", "edited")], WRITE)
        .await
        .unwrap();
    let s2 = hedgehog_model::ObjectKey::new(Kind::Server, "default", "s2");
    direct
        .delete(&s2, &DeletePreconditions::default(), false)
        .await
        .unwrap();
    direct
        .apply(&[server_object("s4", "four")], WRITE)
        .await
        .unwrap();
    // …and etcd forgets the revisions in between.
    server.compact().await.unwrap();
    server.restore_watch_proxy().await.unwrap();

    // The watch resumes — told 410 Gone, or listing afresh after the cut (which of the two
    // depends on when the broken connection is noticed; the 410 path itself is covered by
    // the scripted `watch_relists_after_410_gone_and_publishes_only_the_difference`) — and
    // publishes every change it missed.
    await_events(
        &mut rx,
        &[
            (ChangeKind::Applied, "s1"),
            (ChangeKind::Deleted, "s2"),
            (ChangeKind::Applied, "s4"),
        ],
    )
    .await;
    let status = watch.status();
    assert!(status.relists >= 1, "{status:?}");
    let listed = direct.list_all(500).await.unwrap();
    let expected = names(
        listed
            .objects
            .iter()
            .filter(|o| o.key.kind == "Server")
            .map(|o| o.key.name.clone()),
    );
    assert_eq!(expected, names(["s1", "s3", "s4"].map(String::from)));
    let stored = names(
        watch
            .snapshot()
            .objects
            .iter()
            .filter(|o| o.key.kind == "Server")
            .map(|o| o.key.name.clone()),
    );
    assert_eq!(stored, expected);
    let s1 = watch
        .get(&hedgehog_model::ObjectKey::new(
            Kind::Server,
            "default",
            "s1",
        ))
        .unwrap();
    assert_eq!(s1.value["spec"]["description"], "edited");
}
