//! The Kubernetes backend against a real kube-apiserver (built from the Kubernetes Go
//! modules, RBAC on, the Hedgehog CRDs installed; see `scripts/test-apiserver`): discovery,
//! paginated listing, server-side apply with field ownership, dry runs, deletes with
//! preconditions, and what a least-privilege service account may do. Each test works in a
//! namespace of its own on the server this binary shares.

mod support;

use hedgehog_model::{Kind, ObjectKey};
use hedgehog_sync::kube::{
    ApplyOptions, ApplyOutcome, Cluster, ClusterConfig, DeleteOutcome, DeletePreconditions,
    ErrorClass,
};
use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::{Value, json};
use support::{RESTRICTED_ACCOUNT, kube_client, real_apiserver, real_namespace};

fn server_object(name: &str, description: &str) -> Value {
    json!({
        "apiVersion": Kind::Server.api_version(), "kind": "Server",
        "metadata": {"name": name},
        "spec": {"description": description},
    })
}

const WRITE: ApplyOptions = ApplyOptions {
    dry_run: false,
    force: false,
};

async fn connect(config: &ClusterConfig) -> Cluster {
    Cluster::connect(config).await.unwrap()
}

/// The server's copy of an object, as another client would read it.
async fn read(config: &ClusterConfig, kind: Kind, name: &str) -> Option<Value> {
    let resource = kube::core::ApiResource::from_gvk_with_plural(
        &kube::core::GroupVersionKind::gvk(kind.group(), "v1beta1", kind.name()),
        kind.plural(),
    );
    let api: kube::Api<DynamicObject> =
        kube::Api::namespaced_with(kube_client(config).await, &config.namespace, &resource);
    api.get_opt(name)
        .await
        .unwrap()
        .map(|o| serde_json::to_value(o).unwrap())
}

#[tokio::test]
async fn discovery_finds_all_fourteen_kinds_under_their_plurals() {
    let config = real_namespace("discovery").await;
    let report = connect(&config).await.test_connection().await;
    assert_eq!(report.error, None, "{report:#?}");
    assert!(report.ok() && report.discovery, "{report:#?}");
    assert_eq!(report.server_version.as_deref(), Some("v1.36.3"));
    assert_eq!(report.namespace_accessible, Some(true));
    assert!(report.missing_kinds.is_empty());
    let mut served: Vec<(Kind, String)> = report
        .kinds
        .iter()
        .map(|k| (k.kind, k.plural.clone()))
        .collect();
    served.sort();
    let mut expected: Vec<(Kind, String)> = Kind::ALL
        .iter()
        .map(|k| (*k, k.plural().to_owned()))
        .collect();
    expected.sort();
    assert_eq!(served, expected);
    assert!(report.kinds.iter().all(|k| k.versions == ["v1beta1"]
        && k.can_read == Some(true)
        && k.can_write == Some(true)));
}

#[tokio::test]
async fn lists_twelve_hundred_objects_in_pages_of_five_hundred() {
    let config = real_namespace("paging").await;
    let cluster = connect(&config).await;
    let objects: Vec<Value> = (0..1_200)
        .map(|i| server_object(&format!("server-{i:04}"), "paging"))
        .collect();
    let results = cluster.apply(&objects, WRITE).await.unwrap();
    assert!(
        results.iter().all(|r| r.outcome == ApplyOutcome::Created),
        "{:?}",
        results.iter().find(|r| r.outcome != ApplyOutcome::Created)
    );
    let snapshot = cluster.list_all(500).await.unwrap();
    assert!(snapshot.errors.is_empty() && snapshot.missing_kinds.is_empty());
    let names: Vec<&str> = snapshot
        .objects
        .iter()
        .filter(|o| o.key.kind == "Server")
        .map(|o| o.key.name.as_str())
        .collect();
    // Three pages, two continue tokens: every object once, in order.
    assert_eq!(names.len(), 1_200);
    let expected: Vec<String> = (0..1_200).map(|i| format!("server-{i:04}")).collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn a_field_owned_by_another_manager_is_a_reported_conflict_unless_forced() {
    let config = real_namespace("ownership").await;
    let cluster = connect(&config).await;
    let ours = server_object("srv", "ours");
    let created = cluster
        .apply(std::slice::from_ref(&ours), WRITE)
        .await
        .unwrap();
    assert_eq!(created[0].outcome, ApplyOutcome::Created);

    // Another controller takes the field over (forcing, as controllers do).
    let resource = kube::core::ApiResource::from_gvk_with_plural(
        &kube::core::GroupVersionKind::gvk(Kind::Server.group(), "v1beta1", "Server"),
        "servers",
    );
    let api: kube::Api<DynamicObject> =
        kube::Api::namespaced_with(kube_client(&config).await, "ownership", &resource);
    let theirs = server_object("srv", "theirs");
    api.patch(
        "srv",
        &PatchParams::apply("other-controller").force(),
        &Patch::Apply(&theirs),
    )
    .await
    .unwrap();

    // Our apply of a different value is refused with a conflict that names the owner…
    let refused = cluster
        .apply(std::slice::from_ref(&ours), WRITE)
        .await
        .unwrap();
    let ApplyOutcome::Error(error) = &refused[0].outcome else {
        panic!("expected a conflict, got {refused:?}");
    };
    assert_eq!(error.status, Some(409), "{error:?}");
    assert!(
        error.message.contains("other-controller") && error.message.contains(".spec.description"),
        "{error:?}"
    );
    let live = read(&config, Kind::Server, "srv").await.unwrap();
    assert_eq!(live["spec"]["description"], "theirs", "nothing was forced");

    // …a dry run of a forced apply reports the change without making it…
    let dry = ApplyOptions {
        dry_run: true,
        force: true,
    };
    let answer = cluster
        .apply(std::slice::from_ref(&ours), dry)
        .await
        .unwrap();
    assert_eq!(answer[0].outcome, ApplyOutcome::Configured);
    let live = read(&config, Kind::Server, "srv").await.unwrap();
    assert_eq!(live["spec"]["description"], "theirs");

    // …and forcing takes the field back, after which we own it.
    let force = ApplyOptions {
        dry_run: false,
        force: true,
    };
    let forced = cluster
        .apply(std::slice::from_ref(&ours), force)
        .await
        .unwrap();
    assert_eq!(forced[0].outcome, ApplyOutcome::Configured);
    let live = read(&config, Kind::Server, "srv").await.unwrap();
    assert_eq!(live["spec"]["description"], "ours");
    let managers: Vec<&str> = live["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["fieldsV1"]["f:spec"]["f:description"].is_object())
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert_eq!(managers, ["hedgehog"]);
    // Applying the same again changes nothing.
    let again = cluster.apply(&[ours], WRITE).await.unwrap();
    assert_eq!(again[0].outcome, ApplyOutcome::Unchanged);
}

#[tokio::test]
async fn a_dry_run_apply_creates_nothing() {
    let config = real_namespace("dry-run").await;
    let mut reader = config.clone();
    reader.allow_writes = false;
    let cluster = connect(&reader).await;
    let dry = ApplyOptions {
        dry_run: true,
        force: false,
    };
    // Allowed on a read-only connection, answered by the server, stored nowhere.
    let answer = cluster
        .apply(&[server_object("ghost", "x")], dry)
        .await
        .unwrap();
    assert_eq!(answer[0].outcome, ApplyOutcome::Created);
    assert_eq!(read(&config, Kind::Server, "ghost").await, None);
    let refused = cluster
        .apply(&[server_object("ghost", "x")], WRITE)
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "writes to this cluster are disabled (set allow_writes to enable apply and delete)"
    );
}

#[tokio::test]
async fn deletes_check_their_preconditions() {
    let config = real_namespace("preconditions").await;
    let cluster = connect(&config).await;
    cluster
        .apply(&[server_object("doomed", "x")], WRITE)
        .await
        .unwrap();
    let live = read(&config, Kind::Server, "doomed").await.unwrap();
    let uid = live["metadata"]["uid"].as_str().unwrap().to_owned();
    let version = live["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = ObjectKey::new(Kind::Server, "preconditions", "doomed");

    // Someone changed it since we read it: the server refuses.
    cluster
        .apply(&[server_object("doomed", "changed")], WRITE)
        .await
        .unwrap();
    let stale = DeletePreconditions {
        uid: Some(uid.clone()),
        resource_version: Some(version),
    };
    let err = cluster.delete(&key, &stale, false).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert!(err.to_string().contains("precondition"), "{err}");
    let wrong_uid = DeletePreconditions {
        uid: Some("00000000-0000-0000-0000-000000000000".into()),
        resource_version: None,
    };
    assert_eq!(
        cluster
            .delete(&key, &wrong_uid, false)
            .await
            .unwrap_err()
            .status(),
        Some(409)
    );
    assert!(read(&config, Kind::Server, "doomed").await.is_some());

    // A dry run deletes nothing; the right uid deletes; a second delete finds nothing.
    let current = DeletePreconditions {
        uid: Some(uid),
        resource_version: None,
    };
    assert_eq!(
        cluster.delete(&key, &current, true).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(read(&config, Kind::Server, "doomed").await.is_some());
    assert_eq!(
        cluster.delete(&key, &current, false).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(read(&config, Kind::Server, "doomed").await, None);
    assert_eq!(
        cluster.delete(&key, &current, false).await.unwrap(),
        DeleteOutcome::NotFound
    );
}

#[tokio::test]
async fn the_least_privilege_account_reads_but_may_not_write() {
    let (account, namespace) = RESTRICTED_ACCOUNT;
    let config = real_apiserver().restricted();
    assert_eq!(config.namespace, namespace);
    let cluster = connect(&config).await;
    let report = cluster.test_connection().await;
    assert_eq!(report.error, None, "{report:#?}");
    assert!(report.reachable && report.discovery);
    // The Role grants no access to namespaces themselves.
    assert_eq!(report.namespace_accessible, None);
    assert_eq!(report.kinds.len(), 14);
    // Exactly the missing permissions: every kind readable, none writable.
    for kind in &report.kinds {
        assert_eq!(
            (kind.can_read, kind.can_write),
            (Some(true), Some(false)),
            "{kind:?}"
        );
    }
    // Enough for detecting drift, which only reads.
    assert!(report.ok());

    // Reading works (the built-in switch profiles live in `default`)…
    let snapshot = cluster.list_all(500).await.unwrap();
    assert!(snapshot.errors.is_empty(), "{:?}", snapshot.errors);
    assert!(
        snapshot
            .objects
            .iter()
            .any(|o| o.key.kind == "SwitchProfile")
    );
    // …and a write is refused by RBAC with the server's reason.
    let refused = cluster
        .apply(&[server_object("not-allowed", "x")], WRITE)
        .await
        .unwrap();
    let ApplyOutcome::Error(error) = &refused[0].outcome else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert_eq!(
        (error.class, error.status),
        (ErrorClass::Forbidden, Some(403))
    );
    assert!(
        error
            .message
            .contains(&format!("system:serviceaccount:{namespace}:{account}"))
            && error.message.contains("cannot patch resource \"servers\""),
        "{error:?}"
    );

    // In a namespace its Role does not cover it may do nothing.
    let elsewhere = connect(&config.clone().with_namespace("elsewhere")).await;
    let report = elsewhere.test_connection().await;
    assert!(
        report
            .kinds
            .iter()
            .all(|k| (k.can_read, k.can_write) == (Some(false), Some(false))),
        "{report:#?}"
    );
}

/// Upstream's admission webhooks cannot run here (see `conformance/apiserver`), but the
/// CRDs' structural schemas are enforced by the server: its message reaches the caller.
#[tokio::test]
async fn an_object_the_crd_schema_rejects_fails_with_the_servers_message() {
    let config = real_namespace("schema").await;
    let cluster = connect(&config).await;
    let mut bad = server_object("bad", "x");
    bad["spec"]["description"] = json!(42);
    let results = cluster.apply(&[bad], WRITE).await.unwrap();
    let ApplyOutcome::Error(error) = &results[0].outcome else {
        panic!("expected a rejection, got {results:?}");
    };
    // kube-apiserver 1.36 answers a server-side apply whose field has the wrong type with
    // 500 (it cannot build the typed patch), not 422; the caller still gets its reason.
    assert_eq!(error.status, Some(500), "{error:?}");
    assert!(
        error
            .message
            .contains("failed to create typed patch object (schema/bad; wiring.githedgehog.com/v1beta1, Kind=Server): .spec.description: expected string"),
        "{error:?}"
    );
    assert_eq!(read(&config, Kind::Server, "bad").await, None);
}
