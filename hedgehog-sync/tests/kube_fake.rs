//! Integration tests against a loopback fake API server: kmock 0.8 plus the bookkeeping in
//! tests/support/fake_apiserver.py.
//!
//! Emulated by the fake: discovery of both Hedgehog groups, CRUD, merge-style server-side
//! apply (create on missing), resourceVersion/uid/creationTimestamp bookkeeping, `limit` /
//! `continue` paging, `dryRun=All`, delete preconditions, SelfSubjectAccessReview (verbs
//! denied with `--deny`), live watch streams (ADDED/MODIFIED/DELETED).
//! Not emulated, so not tested here: SSA field ownership and conflicts (`force`),
//! managedFields, selectors, watch bookmarks/resourceVersion resumption, 410 Gone (covered
//! by the tower-test unit tests in src/kube/tests.rs).

mod support;

use std::collections::HashMap;
use std::time::Duration;

use hedgehog_model::{Kind, ObjectKey};
use hedgehog_sync::kube::{
    ApplyOptions, ApplyOutcome, ChangeEvent, ChangeKind, Cluster, ClusterConfig, ClusterWatch,
    DeleteOutcome, DeletePreconditions, Known, content_hash, plan_import,
};
use serde_json::{Value, json};
use support::{FakeApiServer, fake_apiserver};
use tokio::sync::mpsc::Receiver;

async fn connect(server: &FakeApiServer) -> Cluster {
    let mut cfg = ClusterConfig::new(&server.url).with_token("fake-apiserver-token-123");
    cfg.allow_writes = true;
    Cluster::connect(&cfg).await.unwrap()
}

fn object(kind: Kind, name: &str, spec: Value) -> Value {
    json!({"apiVersion": kind.api_version(), "kind": kind.name(), "metadata": {"name": name, "namespace": "default"}, "spec": spec})
}

const WRITE: ApplyOptions = ApplyOptions {
    dry_run: false,
    force: true,
};

#[tokio::test]
async fn connection_report_from_discovery_and_access_reviews() {
    let server = fake_apiserver(&["--omit", "vpcpeerings", "--deny", "patch"]);
    let report = connect(&server).await.test_connection().await;
    assert_eq!(report.error, None, "{report:?}");
    assert!(report.reachable && report.discovery);
    assert_eq!(report.server_version.as_deref(), Some("v1.26.4+k3s1"));
    assert_eq!(report.namespace_accessible, Some(true));
    assert_eq!(report.missing_kinds, [Kind::VpcPeering]);
    assert_eq!(report.kinds.len(), 13);
    let switch = report
        .kinds
        .iter()
        .find(|k| k.kind == Kind::Switch)
        .unwrap();
    assert_eq!(switch.plural, "switches");
    assert!(
        report
            .kinds
            .iter()
            .all(|k| k.can_read == Some(true) && k.can_write == Some(false))
    );
    assert!(!report.ok());
}

#[tokio::test]
async fn missing_namespace_is_reported() {
    let server = fake_apiserver(&["--namespace", "fab1"]);
    let report = connect(&server).await.test_connection().await;
    assert_eq!(report.namespace_accessible, Some(false));
    assert!(report.ok(), "every kind served and readable: {report:?}");
}

#[tokio::test]
async fn lists_all_fourteen_kinds_in_pages_and_plans_an_import() {
    let server = fake_apiserver(&[]);
    let cluster = connect(&server).await;
    let objects: Vec<Value> = Kind::ALL
        .iter()
        .flat_map(|k| {
            (0..3).map(move |i| {
                object(
                    *k,
                    &format!("{}-{i}", k.name().to_lowercase()),
                    json!({"n": i}),
                )
            })
        })
        .collect();
    let results = cluster.apply(&objects, WRITE).await.unwrap();
    assert!(
        results.iter().all(|r| r.outcome == ApplyOutcome::Created),
        "{results:?}"
    );

    // Page size 2 with 3 objects per kind: every kind needs a continue token.
    let snapshot = cluster.list_all(2).await.unwrap();
    assert!(
        snapshot.errors.is_empty() && snapshot.missing_kinds.is_empty(),
        "{snapshot:?}"
    );
    assert_eq!(snapshot.objects.len(), 42);
    for kind in Kind::ALL {
        assert_eq!(
            snapshot
                .objects
                .iter()
                .filter(|o| o.key.kind == kind.name())
                .count(),
            3,
            "{kind}"
        );
    }
    // Sorted in hhfab order, with server bookkeeping present.
    assert_eq!(snapshot.objects[0].key.kind, "SwitchProfile");
    assert!(
        snapshot
            .objects
            .iter()
            .all(|o| o.resource_version.is_some() && o.value["metadata"]["uid"].is_string())
    );

    let mut known = HashMap::new();
    let same = &snapshot.objects[0];
    known.insert(
        same.key.clone(),
        Known::Hash(content_hash(&object(
            Kind::SwitchProfile,
            "switchprofile-0",
            json!({"n": 0}),
        ))),
    );
    known.insert(
        snapshot.objects[1].key.clone(),
        Known::Value(object(
            Kind::SwitchProfile,
            "switchprofile-1",
            json!({"n": 99}),
        )),
    );
    let gone = ObjectKey::new(Kind::Vpc, "default", "deleted-meanwhile");
    known.insert(gone.clone(), Known::Hash("0".into()));
    let plan = plan_import(&snapshot, &known);
    assert_eq!(plan.unchanged, std::slice::from_ref(&same.key));
    assert_eq!(plan.update.len(), 1);
    assert_eq!(plan.update[0].key.name, "switchprofile-1");
    assert_eq!(plan.create.len(), 40);
    assert_eq!(plan.missing_in_cluster, [gone]);
}

#[tokio::test]
async fn apply_dry_run_update_and_guarded_delete() {
    let server = fake_apiserver(&[]);
    let cluster = connect(&server).await;
    let vpc = object(
        Kind::Vpc,
        "vpc-1",
        json!({"subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": 1001}}}),
    );
    let key = ObjectKey::new(Kind::Vpc, "default", "vpc-1");

    let dry = ApplyOptions {
        dry_run: true,
        force: false,
    };
    let r = cluster
        .apply(std::slice::from_ref(&vpc), dry)
        .await
        .unwrap();
    assert_eq!(r[0].outcome, ApplyOutcome::Created);
    assert_eq!(r[0].key.as_ref(), Some(&key));
    assert!(
        cluster.list_all(100).await.unwrap().objects.is_empty(),
        "dry run stored nothing"
    );

    assert_eq!(
        cluster
            .apply(std::slice::from_ref(&vpc), WRITE)
            .await
            .unwrap()[0]
            .outcome,
        ApplyOutcome::Created
    );
    assert_eq!(
        cluster
            .apply(std::slice::from_ref(&vpc), WRITE)
            .await
            .unwrap()[0]
            .outcome,
        ApplyOutcome::Unchanged
    );
    let mut changed = vpc.clone();
    changed["spec"]["subnets"]["default"]["vlan"] = json!(1002);
    assert_eq!(
        cluster
            .apply(std::slice::from_ref(&changed), dry)
            .await
            .unwrap()[0]
            .outcome,
        ApplyOutcome::Configured
    );
    let stored = cluster.list_all(100).await.unwrap().objects;
    assert_eq!(
        stored[0].value["spec"]["subnets"]["default"]["vlan"], 1001,
        "dry run changed nothing"
    );
    assert_eq!(
        cluster
            .apply(std::slice::from_ref(&changed), WRITE)
            .await
            .unwrap()[0]
            .outcome,
        ApplyOutcome::Configured
    );

    let not_hedgehog = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
    match &cluster.apply(&[not_hedgehog], WRITE).await.unwrap()[0].outcome {
        ApplyOutcome::Error(e) => assert!(e.message.contains("not a Hedgehog kind"), "{e:?}"),
        other => panic!("{other:?}"),
    }

    let stored = cluster.list_all(100).await.unwrap().objects;
    let uid = stored[0].value["metadata"]["uid"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = DeletePreconditions {
        uid: Some("not-the-uid".into()),
        resource_version: None,
    };
    assert_eq!(
        cluster
            .delete(&key, &wrong, false)
            .await
            .unwrap_err()
            .status(),
        Some(409)
    );
    let right = DeletePreconditions {
        uid: Some(uid),
        resource_version: stored[0].resource_version.clone(),
    };
    assert_eq!(
        cluster.delete(&key, &right, true).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        cluster.list_all(100).await.unwrap().objects.len(),
        1,
        "dry-run delete kept it"
    );
    assert_eq!(
        cluster.delete(&key, &right, false).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(cluster.list_all(100).await.unwrap().objects.is_empty());
    assert_eq!(
        cluster.delete(&key, &right, false).await.unwrap(),
        DeleteOutcome::NotFound
    );
}

async fn next(events: &mut Receiver<ChangeEvent>) -> (ChangeKind, String) {
    let ev = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event")
        .expect("open");
    (ev.change, ev.key.name)
}

#[tokio::test]
async fn watch_store_and_events_follow_the_cluster() {
    let server = fake_apiserver(&[]);
    let cluster = connect(&server).await;
    cluster
        .apply(
            &[object(
                Kind::Switch,
                "leaf-1",
                json!({"role": "server-leaf"}),
            )],
            WRITE,
        )
        .await
        .unwrap();

    let (watch, mut events) = ClusterWatch::start(&cluster, 64).await.unwrap();
    assert!(
        watch.wait_ready(Duration::from_secs(20)).await,
        "{:?}",
        watch.status()
    );
    assert_eq!(
        next(&mut events).await,
        (ChangeKind::Applied, "leaf-1".into())
    );
    assert_eq!(watch.status().kinds.len(), 14);
    assert!(watch.status().ready);

    cluster
        .apply(
            &[object(
                Kind::Vpc,
                "vpc-1",
                json!({"ipv4Namespace": "default"}),
            )],
            WRITE,
        )
        .await
        .unwrap();
    assert_eq!(
        next(&mut events).await,
        (ChangeKind::Applied, "vpc-1".into())
    );
    let key = ObjectKey::new(Kind::Vpc, "default", "vpc-1");
    assert_eq!(
        watch.get(&key).unwrap().value["spec"]["ipv4Namespace"],
        "default"
    );

    cluster
        .apply(
            &[object(
                Kind::Vpc,
                "vpc-1",
                json!({"ipv4Namespace": "other"}),
            )],
            WRITE,
        )
        .await
        .unwrap();
    assert_eq!(
        next(&mut events).await,
        (ChangeKind::Applied, "vpc-1".into())
    );
    assert_eq!(
        watch.get(&key).unwrap().value["spec"]["ipv4Namespace"],
        "other"
    );

    cluster
        .delete(&key, &DeletePreconditions::default(), false)
        .await
        .unwrap();
    assert_eq!(
        next(&mut events).await,
        (ChangeKind::Deleted, "vpc-1".into())
    );
    assert!(watch.get(&key).is_none());
    let names: Vec<String> = watch
        .snapshot()
        .objects
        .into_iter()
        .map(|o| o.key.name)
        .collect();
    assert_eq!(names, ["leaf-1"]);
    assert!(watch.status().last_event_unix_ms.is_some());
}
