//! tower-test unit tests: error classes, paging and watch relists against scripted answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hedgehog_model::{Kind, ObjectKey};
use serde_json::json;

use super::mock::{self, Reply, Seen};
use super::*;

fn version() -> Reply {
    Reply::Json(
        200,
        json!({"major": "1", "minor": "33", "gitVersion": "v1.33.1", "gitCommit": "", "gitTreeState": "",
        "buildDate": "", "goVersion": "", "compiler": "", "platform": ""}),
    )
}

#[tokio::test]
async fn unauthorized_is_reachable_but_classified() {
    let cluster = mock::cluster(|_| mock::status(401, "Unauthorized", "Unauthorized"));
    let report = cluster.test_connection().await;
    assert!(report.reachable);
    let error = report.error.unwrap();
    assert_eq!(
        (error.class, error.status),
        (ErrorClass::Unauthorized, Some(401))
    );
    assert!(
        error.message.contains("service account token"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn forbidden_is_classified() {
    let cluster = mock::cluster(|_| {
        mock::status(
            403,
            "Forbidden",
            "forbidden: User \"x\" cannot get path \"/version\"",
        )
    });
    let error = cluster.test_connection().await.error.unwrap();
    assert_eq!(error.class, ErrorClass::Forbidden);
    assert!(error.message.contains("cannot get path"));
}

#[tokio::test]
async fn transport_timeout_is_classified() {
    let cluster = mock::cluster(|_| {
        Reply::Fail(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "deadline passed",
        ))
    });
    let report = cluster.test_connection().await;
    assert!(!report.reachable);
    assert_eq!(report.error.unwrap().class, ErrorClass::Timeout);
}

#[tokio::test]
async fn report_lists_served_missing_and_permissions() {
    let served = [Kind::Vpc, Kind::Switch, Kind::Connection];
    let cluster = mock::cluster(move |seen: &Seen| {
        if let Some(r) = mock::discovery(seen, &served) {
            return r;
        }
        match seen.path.as_str() {
            "/version" => version(),
            "/api/v1/namespaces/default" => mock::status(403, "Forbidden", "cannot get namespaces"),
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" => {
                // Read-only account: every write verb denied.
                Reply::Json(
                    201,
                    json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": {}, "status": {"allowed": false}}),
                )
            }
            _ => mock::status(404, "NotFound", "no"),
        }
    });
    let report = cluster.test_connection().await;
    assert_eq!(report.error, None);
    assert_eq!(report.server_version.as_deref(), Some("v1.33.1"));
    assert_eq!(report.namespace_accessible, None);
    let kinds: Vec<(Kind, &str)> = report
        .kinds
        .iter()
        .map(|k| (k.kind, k.plural.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::Switch, "switches"),
            (Kind::Connection, "connections"),
            (Kind::Vpc, "vpcs")
        ]
    );
    assert!(
        report
            .kinds
            .iter()
            .all(|k| k.can_read == Some(false) && k.versions == ["v1beta1"])
    );
    assert_eq!(report.missing_kinds.len(), 11);
    assert!(!report.ok());
    let text = serde_json::to_string(&report).unwrap();
    assert!(
        text.contains("\"missing_kinds\":[\"SwitchProfile\",\"VLANNamespace\""),
        "{text}"
    );
}

#[tokio::test]
async fn list_follows_continue_tokens() {
    let seen_queries = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen_queries.clone();
    let cluster = mock::cluster(move |seen: &Seen| {
        if let Some(r) = mock::discovery(seen, &[Kind::Vpc]) {
            return r;
        }
        log.lock().unwrap().push(seen.query.clone());
        let (items, cont) = if seen.query.contains("continue=page2") {
            (vec![mock::object(Kind::Vpc, "c", "3")], json!(null))
        } else {
            (
                vec![
                    mock::object(Kind::Vpc, "a", "1"),
                    mock::object(Kind::Vpc, "b", "2"),
                ],
                json!("page2"),
            )
        };
        Reply::Json(
            200,
            json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "9", "continue": cont}, "items": items}),
        )
    });
    let snapshot = cluster.list_all(2).await.unwrap();
    let names: Vec<&str> = snapshot
        .objects
        .iter()
        .map(|o| o.key.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(
        snapshot
            .objects
            .iter()
            .all(|o| o.value["metadata"].get("managedFields").is_none())
    );
    assert_eq!(snapshot.objects[0].resource_version.as_deref(), Some("1"));
    let queries = seen_queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 2);
    assert!(
        queries[0].contains("limit=2") && !queries[0].contains("continue"),
        "{queries:?}"
    );
    assert!(
        queries[1].contains("limit=2") && queries[1].contains("continue=page2"),
        "{queries:?}"
    );
}

#[tokio::test]
async fn watch_relists_after_410_gone_and_publishes_only_the_difference() {
    let lists = Arc::new(AtomicUsize::new(0));
    let watches = Arc::new(AtomicUsize::new(0));
    let (l, w) = (lists.clone(), watches.clone());
    let cluster = mock::cluster(move |seen: &Seen| {
        if let Some(r) = mock::discovery(seen, &[Kind::Vpc]) {
            return r;
        }
        if seen.query.contains("watch=true") {
            if w.fetch_add(1, Ordering::SeqCst) == 0 {
                let gone = json!({"type": "ERROR", "object": {"apiVersion": "v1", "kind": "Status", "status": "Failure",
                    "code": 410, "reason": "Expired", "message": "too old resource version: 5 (20)"}});
                return Reply::Raw(200, format!("{gone}\n").into_bytes());
            }
            return Reply::Hang;
        }
        let items = if l.fetch_add(1, Ordering::SeqCst) == 0 {
            vec![
                mock::object(Kind::Vpc, "a", "1"),
                mock::object(Kind::Vpc, "b", "2"),
            ]
        } else {
            // While the watch was gone, b was deleted and c created; a is unchanged.
            vec![
                mock::object(Kind::Vpc, "a", "1"),
                mock::object(Kind::Vpc, "c", "7"),
            ]
        };
        Reply::Json(
            200,
            json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "20"}, "items": items}),
        )
    });
    let (watch, mut events) = ClusterWatch::start(&cluster, 16).await.unwrap();
    let mut got = Vec::new();
    while got.len() < 6 {
        let ev = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .unwrap()
            .unwrap();
        got.push((ev.change, ev.key.name));
    }
    assert_eq!(
        got,
        [
            (ChangeKind::Applied, "a".to_owned()),
            (ChangeKind::Applied, "b".to_owned()),
            // The kind is unknown from the error until it has listed again.
            (ChangeKind::Unreadable, String::new()),
            (ChangeKind::Applied, "c".to_owned()),
            (ChangeKind::Deleted, "b".to_owned()),
            (ChangeKind::Readable, String::new()),
        ]
    );
    assert!(watch.failing().is_empty());
    let status = watch.status();
    assert!(status.ready && status.last_event_unix_ms.is_some());
    assert_eq!((status.relists, status.expired), (1, 1));
    assert_eq!(status.last_error.unwrap().status, Some(410));
    let names: Vec<String> = watch
        .snapshot()
        .objects
        .into_iter()
        .map(|o| o.key.name)
        .collect();
    assert_eq!(names, ["a", "c"]);
    let a = watch
        .get(&ObjectKey::new(Kind::Vpc, "default", "a"))
        .unwrap();
    assert!(
        a.value["metadata"].get("managedFields").is_none(),
        "managedFields stripped before storing"
    );
    assert_eq!(lists.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn writes_are_opt_in() {
    let cluster = mock::cluster(|_| mock::status(500, "x", "unexpected request"));
    let obj = mock::object(Kind::Vpc, "a", "1");
    assert_eq!(
        cluster.apply(&[obj], ApplyOptions::default()).await,
        Err(KubeError::WritesDisabled)
    );
    let key = ObjectKey::new(Kind::Vpc, "default", "a");
    assert_eq!(
        cluster
            .delete(&key, &DeletePreconditions::default(), false)
            .await,
        Err(KubeError::WritesDisabled)
    );
}

#[tokio::test]
async fn delete_sends_preconditions_and_maps_conflict() {
    let cluster = mock::cluster(move |seen: &Seen| {
        if let Some(r) = mock::discovery(seen, &[Kind::Vpc]) {
            return r;
        }
        assert_eq!(seen.method, "DELETE");
        assert_eq!(
            seen.path,
            "/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs/a"
        );
        mock::status(
            409,
            "Conflict",
            "Precondition failed: UID in precondition: u1, UID in object meta: u2",
        )
    })
    .allow_writes(true);
    let key = ObjectKey::new(Kind::Vpc, "default", "a");
    let pre = DeletePreconditions {
        uid: Some("u1".into()),
        resource_version: None,
    };
    let err = cluster.delete(&key, &pre, false).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert!(err.to_string().contains("Precondition failed"));
}

#[tokio::test]
async fn expired_continue_token_restarts_the_list_once() {
    let expired = Arc::new(AtomicUsize::new(0));
    let e = expired.clone();
    let cluster = mock::cluster(move |seen: &Seen| {
        if let Some(r) = mock::discovery(seen, &[Kind::Vpc]) {
            return r;
        }
        if seen.query.contains("continue=p2") {
            if e.fetch_add(1, Ordering::SeqCst) == 0 {
                return mock::status(410, "Expired", "The provided continue parameter is too old");
            }
            let items = vec![mock::object(Kind::Vpc, "b", "2")];
            return Reply::Json(
                200,
                json!({"apiVersion": "v1", "kind": "List", "metadata": {}, "items": items}),
            );
        }
        let items = vec![mock::object(Kind::Vpc, "a", "1")];
        Reply::Json(
            200,
            json!({"apiVersion": "v1", "kind": "List", "metadata": {"continue": "p2"}, "items": items}),
        )
    });
    let snapshot = cluster.list_all(1).await.unwrap();
    let names: Vec<&str> = snapshot
        .objects
        .iter()
        .map(|o| o.key.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["a", "b"],
        "no duplicate of the first page after the restart"
    );
    assert_eq!(expired.load(Ordering::SeqCst), 2);
}
