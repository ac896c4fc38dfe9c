//! Sync passes of whole fabrics against a real kube-apiserver (see `scripts/test-apiserver`):
//! the VLAB sample and the `small` preset applied with server-side apply come back from the
//! server in sync, and out-of-band edits, deletions and creations show as drifted, missing
//! and orphaned. Git is a bare remote over `file://`.
//!
//! Upstream serves Hedgehog objects in the `default` namespace only, where its built-in
//! switch profiles live too, so the scenarios run one after the other in one test.

mod engine_support;
mod support;

use std::time::{Duration, Instant};

use engine_support::Remote;
use engine_support::passes::{eventually, fabric, request, state_of};
use hedgehog_model::load::Document;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_sync::drift::{State, Status};
use hedgehog_sync::fabric::{Fabric, Policy};
use hedgehog_sync::kube::{ApplyOutcome, ClusterConfig};
use hedgehog_sync::snapshot::Snapshot;
use kube::api::{DynamicObject, Patch, PatchParams, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::json;
use support::{kube_client, real_apiserver};

fn sample(which: Preset) -> Snapshot {
    let docs: Vec<Document> = preset(which).into_iter().map(Document::new).collect();
    Snapshot::from_documents(&docs, "netbox")
}

/// The dynamic API of `kind` in the fabric's namespace, for writes by other field managers.
async fn api(config: &ClusterConfig, api_version: &str, kind: &str) -> kube::Api<DynamicObject> {
    let (group, version) = api_version.split_once('/').unwrap();
    let kind = hedgehog_model::Kind::from_type(api_version, kind).unwrap();
    let resource = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(group, version, kind.name()),
        kind.plural(),
    );
    kube::Api::namespaced_with(kube_client(config).await, &config.namespace, &resource)
}

/// Applies `desired` through a pass with policy `apply` and checks that every object comes
/// back from the server in sync, on a second pass too.
async fn applied_fabric_is_in_sync(desired: Snapshot) -> (Remote, Fabric) {
    let config = real_apiserver().admin("default");
    let remote = Remote::new();
    let fabric = fabric(&remote, Some(config), false).await;
    let report = fabric
        .pass(request(Policy::Apply, Some(desired.clone())))
        .await
        .unwrap();
    assert_eq!(report.applied.len(), desired.len());
    let failed: Vec<_> = report
        .applied
        .iter()
        .filter(|a| a.outcome != ApplyOutcome::Created)
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // The cluster also holds upstream's 16 built-in switch profiles; they are not orphaned.
    assert_eq!(report.cluster.as_ref().unwrap().objects, desired.len() + 16);
    assert_eq!(
        report.drift.summary.status,
        Status::InSync,
        "{:#?}",
        report.drift.objects
    );
    assert_eq!(
        report.drift.summary.counts.get(State::InSync),
        desired.len() + 16
    );
    let again = fabric
        .pass(request(Policy::Apply, Some(desired.clone())))
        .await
        .unwrap();
    let changed: Vec<_> = again
        .applied
        .iter()
        .filter(|a| a.outcome != ApplyOutcome::Unchanged)
        .collect();
    assert!(changed.is_empty(), "{changed:#?}");
    assert_eq!(again.drift.summary.status, Status::InSync);
    (remote, fabric)
}

/// Deletes what a scenario applied, so the next one starts from the seeded cluster.
async fn remove(fabric: &Fabric, desired: &Snapshot) {
    let cluster = fabric.cluster().unwrap();
    for key in desired.objects.keys() {
        cluster
            .delete(key, &Default::default(), false)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applied_fabrics_are_in_sync_and_out_of_band_changes_are_drift() {
    let small = sample(Preset::Small);
    let (_remote, fabric) = applied_fabric_is_in_sync(small.clone()).await;
    remove(&fabric, &small).await;
    out_of_band_changes_show_as_drifted_missing_and_orphaned().await;
}

async fn out_of_band_changes_show_as_drifted_missing_and_orphaned() {
    let desired = sample(Preset::Vlab);
    let (remote, fabric) = applied_fabric_is_in_sync(desired.clone()).await;
    let config = fabric.settings().cluster.clone().unwrap();

    fabric.watch().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !fabric.watch_status().unwrap().ready {
        assert!(Instant::now() < deadline, "{:?}", fabric.watch_status());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Another client (kubectl's field manager) edits a VPC subnet's VLAN…
    let vpc = desired
        .objects
        .values()
        .find(|e| e.value()["kind"] == "VPC")
        .unwrap()
        .value();
    let vpc_name = vpc["metadata"]["name"].as_str().unwrap().to_owned();
    let vpcs = api(&config, "vpc.githedgehog.com/v1beta1", "VPC").await;
    let subnet = vpc["spec"]["subnets"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let edit = json!({"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "spec": {"subnets": {subnet.clone(): {"vlan": 3999}}}});
    vpcs.patch(
        &vpc_name,
        &PatchParams::apply("kubectl").force(),
        &Patch::Apply(&edit),
    )
    .await
    .unwrap();
    eventually(&fabric, "the edit is drifted", |r| {
        state_of(r, &vpc_name) == Some(State::Drifted)
    })
    .await;
    let report = fabric.drift().unwrap();
    let object = report.objects.iter().find(|o| o.name == vpc_name).unwrap();
    let paths: Vec<String> = object
        .changes
        .iter()
        .map(|c| c.change.path.to_string())
        .collect();
    assert_eq!(paths, [format!("spec.subnets.{subnet}.vlan")]);

    // …deletes a server…
    let server = desired
        .objects
        .values()
        .find(|e| e.value()["kind"] == "Server")
        .unwrap()
        .value();
    let server_name = server["metadata"]["name"].as_str().unwrap().to_owned();
    let servers = api(&config, "wiring.githedgehog.com/v1beta1", "Server").await;
    servers
        .delete(&server_name, &Default::default())
        .await
        .unwrap();
    eventually(&fabric, "the deletion is missing in the cluster", |r| {
        state_of(r, &server_name) == Some(State::MissingInCluster)
    })
    .await;

    // …and creates one of its own.
    let mut extra: DynamicObject = serde_json::from_value(server.clone()).unwrap();
    extra.metadata.name = Some("server-extra".into());
    servers
        .create(&PostParams::default(), &extra)
        .await
        .unwrap();
    eventually(&fabric, "the new object is orphaned", |r| {
        state_of(r, "server-extra") == Some(State::Orphaned)
    })
    .await;

    // A pass re-reads the cluster and agrees with the live drift.
    let live = fabric.drift().unwrap();
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(report.drift, live);
    let counts = report.drift.summary.counts;
    assert_eq!(counts.get(State::Drifted), 1);
    assert_eq!(counts.get(State::MissingInCluster), 1);
    assert_eq!(counts.get(State::Orphaned), 1);
    assert_eq!(counts.get(State::InSync), desired.len() - 2 + 16);

    // A controller we do not model labels a switch (its own field manager). Our normalisation
    // calls that drift; the server, asked with a dry-run apply of Git's version, keeps the
    // other manager's label and changes nothing, so `server_dry_run` settles it. The VLAN
    // edit stays drifted: Git's apply would change it back.
    let switch = desired
        .objects
        .values()
        .find(|e| e.value()["kind"] == "Switch")
        .unwrap()
        .value()["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let label = json!({"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Switch",
        "metadata": {"labels": {"example.com/rack": "r1"}}});
    api(&config, "wiring.githedgehog.com/v1beta1", "Switch")
        .await
        .patch(
            &switch,
            &PatchParams::apply("rack-labeller"),
            &Patch::Apply(&label),
        )
        .await
        .unwrap();
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(state_of(&report.drift, &switch), Some(State::Drifted));
    let settled = engine_support::passes::fabric(&remote, Some(config), true).await;
    let report = settled.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(
        state_of(&report.drift, &switch),
        None,
        "{:#?}",
        report.drift
    );
    assert_eq!(state_of(&report.drift, &vpc_name), Some(State::Drifted));
}
