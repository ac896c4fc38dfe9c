//! Sync passes of a whole fabric on real parts: a bare Git remote over `file://` (with a
//! second clone that commits in between) and the loopback fake API server (kmock; see
//! tests/kube_fake.rs for what it emulates), plus watch events reflected in the drift.

mod engine_support;
mod support;

use std::time::{Duration, Instant};

use engine_support::Remote;
use engine_support::passes::{eventually, fabric, request, state_of};
use hedgehog_model::load::Document;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_model::{Kind, Object, ObjectKey};
use hedgehog_sync::drift::{DriftReport, State, Status};
use hedgehog_sync::fabric::{Fabric, PassReport, PassRequest, Policy, SyncError};
use hedgehog_sync::kube::{
    ApplyOptions, ApplyOutcome, Cluster, ClusterConfig, DeletePreconditions,
};
use hedgehog_sync::snapshot::Snapshot;
use serde_json::json;
use support::{FakeApiServer, fake_apiserver};

fn vlab() -> Snapshot {
    let docs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .map(Document::new)
        .collect();
    Snapshot::from_documents(&docs, "netbox")
}

fn cluster_config(server: &FakeApiServer) -> ClusterConfig {
    let mut config = ClusterConfig::new(&server.url).with_token("fake-apiserver-token-123");
    config.allow_writes = true;
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_commits_applies_and_the_watch_keeps_drift_current() {
    let remote = Remote::new();
    let server = fake_apiserver(&[]);
    let fabric = fabric(&remote, Some(cluster_config(&server)), false).await;
    let desired = vlab();

    // One pass: one commit with every object, applied to the cluster, and all in sync.
    let report = fabric
        .pass(request(Policy::Apply, Some(desired.clone())))
        .await
        .unwrap();
    assert_eq!(remote.remote_log(), ["hedgehog: sync", "initial"]);
    assert_eq!(report.published.as_deref(), Some(report.commit.as_str()));
    assert_eq!(report.plan.as_ref().unwrap().add.len(), desired.len());
    assert_eq!(report.applied.len(), desired.len());
    assert!(
        report
            .applied
            .iter()
            .all(|a| a.outcome == ApplyOutcome::Created)
    );
    assert_eq!(report.cluster.as_ref().unwrap().objects, desired.len());
    assert_eq!(
        report.drift.summary.status,
        Status::InSync,
        "{:#?}",
        report.drift
    );
    assert_eq!(
        report.drift.summary.counts.get(State::InSync),
        desired.len()
    );

    // A second pass changes nothing.
    let again = fabric
        .pass(request(Policy::Apply, Some(desired.clone())))
        .await
        .unwrap();
    assert_eq!(again.published, None);
    assert!(
        again
            .applied
            .iter()
            .all(|a| a.outcome == ApplyOutcome::Unchanged)
    );
    assert_eq!(remote.remote_log().len(), 2);

    // The watch: an out-of-band edit is drifted at the edited field, a deletion is missing.
    watch_until_ready(&fabric).await;
    let kubectl = Cluster::connect(&cluster_config(&server)).await.unwrap();
    let vpc = desired
        .objects
        .values()
        .find(|e| e.value()["kind"] == "VPC")
        .unwrap()
        .value();
    let vpc_name = vpc["metadata"]["name"].as_str().unwrap().to_owned();
    let mut edited = vpc.clone();
    edited["spec"]["subnets"]["subnet-01"]["vlan"] = json!(3999);
    let force = ApplyOptions {
        dry_run: false,
        force: true,
    };
    kubectl.apply(&[edited], force).await.unwrap();
    // The field's Git history is read after the event is applied, without the drift's lock
    // held, so the object shows drifted a moment before it knows the commit.
    eventually(&fabric, "the edit is drifted, with its history", |r| {
        r.objects.iter().any(|o| {
            o.name == vpc_name
                && o.state == State::Drifted
                && o.changes.first().is_some_and(|c| c.set_by.is_some())
        })
    })
    .await;
    let report = fabric.drift().unwrap();
    let object = report.objects.iter().find(|o| o.name == vpc_name).unwrap();
    let paths: Vec<String> = object
        .changes
        .iter()
        .map(|c| c.change.path.to_string())
        .collect();
    assert_eq!(paths, ["spec.subnets.subnet-01.vlan"]);
    // The field's Git value was set by the commit of the first pass.
    assert_eq!(
        object.changes[0].set_by.as_deref(),
        Some(report_commit(&remote).as_str())
    );
    assert_eq!(report.summary.status, Status::DriftDetected);

    let server_name = desired
        .objects
        .keys()
        .find(|k| k.kind == "Server")
        .unwrap()
        .clone();
    kubectl
        .delete(&server_name, &DeletePreconditions::default(), false)
        .await
        .unwrap();
    eventually(&fabric, "the deletion is missing in the cluster", |r| {
        state_of(r, &server_name.name) == Some(State::MissingInCluster)
    })
    .await;

    // An object created out of band is orphaned.
    let mut extra = vpc.clone();
    extra["metadata"]["name"] = json!("vpc-extra");
    kubectl.apply(&[extra], force).await.unwrap();
    eventually(&fabric, "the new object is orphaned", |r| {
        state_of(r, "vpc-extra") == Some(State::Orphaned)
    })
    .await;

    // Putting the object back as Git has it brings it back in sync.
    kubectl.apply(&[vpc], force).await.unwrap();
    eventually(&fabric, "the restored object is in sync", |r| {
        state_of(r, &vpc_name).is_none()
    })
    .await;
    let counts = fabric.drift().unwrap().summary.counts;
    assert_eq!(counts.get(State::MissingInCluster), 1);
    assert_eq!(counts.get(State::Orphaned), 1);
    assert_eq!(counts.get(State::InSync), desired.len() - 1);

    // A pass with a ready watch reads the watch's store and agrees with the live drift.
    let live = fabric.drift().unwrap();
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(report.drift, live);
    assert_eq!(report.cluster.unwrap().objects, desired.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_dry_run_settles_fields_the_server_adds() {
    let remote = Remote::new();
    let server = fake_apiserver(&[]);
    let desired = vlab();
    let offline = fabric(&remote, Some(cluster_config(&server)), false).await;
    offline
        .pass(request(Policy::Apply, Some(desired.clone())))
        .await
        .unwrap();
    // A controller we do not model labels a switch; the fake API server merges applies the
    // way SSA keeps fields of other managers, so applying Git's version would keep the label.
    let key = desired
        .objects
        .keys()
        .find(|k| k.kind == "Switch")
        .unwrap()
        .clone();
    let mut labelled = desired.objects[&key].value();
    labelled["metadata"]["labels"]["example.com/rack"] = json!("r1");
    let kubectl = Cluster::connect(&cluster_config(&server)).await.unwrap();
    let force = ApplyOptions {
        dry_run: false,
        force: true,
    };
    kubectl.apply(&[labelled], force).await.unwrap();

    // Our own normalisation sees the extra label as drift…
    let report = offline.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(state_of(&report.drift, &key.name), Some(State::Drifted));
    // …the server, asked with a dry-run apply, says Git's version changes nothing.
    let settled = fabric(&remote, Some(cluster_config(&server)), true).await;
    let report = settled.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(
        report.drift.summary.status,
        Status::InSync,
        "{:#?}",
        report.drift
    );
    // A real change is still drift.
    let mut edited = desired.objects[&key].value();
    edited["spec"]["description"] = json!("moved");
    kubectl.apply(&[edited], force).await.unwrap();
    let report = settled.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(state_of(&report.drift, &key.name), Some(State::Drifted));
}

fn report_commit(remote: &Remote) -> String {
    remote.git(&remote.remote, &["rev-parse", "main"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_cluster_a_pass_compares_desired_state_and_git() {
    let remote = Remote::new();
    let fabric = fabric(&remote, None, false).await;
    let desired = vlab();
    fabric
        .pass(request(Policy::Commit, Some(desired.clone())))
        .await
        .unwrap();

    // Detect only: an edited desired state is pending commit, with its plan; nothing lands.
    let mut edited = desired.clone();
    let key = edited
        .objects
        .keys()
        .find(|k| k.kind == "VPC")
        .unwrap()
        .clone();
    edited
        .objects
        .get_mut(&key)
        .unwrap()
        .edit(|v| v["spec"]["subnets"]["subnet-01"]["vlan"] = json!(3001));
    let report = fabric
        .pass(request(Policy::Detect, Some(edited)))
        .await
        .unwrap();
    assert_eq!(report.published, None);
    assert_eq!(report.cluster, None);
    assert_eq!(report.drift.summary.status, Status::GitAhead);
    assert_eq!(
        state_of(&report.drift, &key.name),
        Some(State::PendingCommit)
    );
    let plan = report.plan.unwrap();
    assert_eq!(plan.update, [format!("managed/vpcs/{}.yaml", key.name)]);
    assert_eq!(remote.remote_log().len(), 2);

    // No desired state: Git is the desired state, and everything is in sync.
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(report.drift.summary.status, Status::InSync);
    assert_eq!(fabric.drift().unwrap(), report.drift);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desired_state_conflicting_with_a_later_commit_is_refused() {
    let (remote, fabric, desired, first) = committed_vlab().await;
    let key = ObjectKey::new(Kind::Vpc, "default", "vpc-01");
    let path = "fabric/managed/vpcs/vpc-01.yaml";
    let by_hand = remote
        .git(&remote.remote, &["show", &format!("main:{path}")])
        .replace("vlan: 1001", "vlan: 1500");
    remote.commit(&[(path, Some(&by_hand))], "hand edit");

    let mut edited = desired.clone();
    edited
        .objects
        .get_mut(&key)
        .unwrap()
        .edit(|v| v["spec"]["subnets"]["subnet-01"]["vlan"] = json!(1600));
    let err = fabric
        .pass(PassRequest {
            base: Some(first.commit.clone()),
            ..request(Policy::Commit, Some(edited))
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "plan.conflict");
    let SyncError::Refused(refused) = err else {
        panic!("{err:?}")
    };
    assert_eq!(refused.conflicts[0].key, key);
    assert_eq!(remote.remote_log()[0], "hand edit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_that_cannot_be_listed_is_unknown_never_missing() {
    let (_remote, server, fabric) = applied_vlab().await;
    for code in [403, 500] {
        // An injected fault of the fake API server (RBAC or an overloaded etcd do this to a
        // real one): every request for VPCs answers `code`.
        server.fail("vpcs", code).unwrap();
        let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
        assert_unknown_vpcs(&report.drift, &code.to_string());
        assert_eq!(report.cluster.unwrap().errors[0].kind, Kind::Vpc);
        assert_eq!(fabric.drift().unwrap(), report.drift);
    }
    server.fail("vpcs", 0).unwrap();
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_eq!(report.drift.summary.status, Status::InSync);
}

/// A remote and a fabric on it (no cluster) whose first pass committed the VLAB, with that
/// pass's report.
async fn committed_vlab() -> (Remote, Fabric, Snapshot, PassReport) {
    let remote = Remote::new();
    let fabric = fabric(&remote, None, false).await;
    let desired = vlab();
    let first = fabric
        .pass(request(Policy::Commit, Some(desired.clone())))
        .await
        .unwrap();
    (remote, fabric, desired, first)
}

/// A remote, the fake API server and a fabric on them that committed and applied the VLAB.
async fn applied_vlab() -> (Remote, FakeApiServer, Fabric) {
    let remote = Remote::new();
    let server = fake_apiserver(&[]);
    let fabric = fabric(&remote, Some(cluster_config(&server)), false).await;
    fabric
        .pass(request(Policy::Apply, Some(vlab())))
        .await
        .unwrap();
    (remote, server, fabric)
}

/// Starts the fabric's watch and waits until it has listed every kind.
async fn watch_until_ready(fabric: &Fabric) {
    fabric.watch().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !fabric.watch_status().unwrap().ready {
        assert!(Instant::now() < deadline, "{:?}", fabric.watch_status());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every VPC is `unknown` (none missing or orphaned), the roll-up is `incomplete` and names
/// the VPC kind with a reason that holds `why`.
fn assert_unknown_vpcs(report: &DriftReport, why: &str) {
    let wrong: Vec<_> = report
        .objects
        .iter()
        .filter(|o| o.kind != "VPC" || o.state != State::Unknown)
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(report.summary.counts.get(State::Unknown), 6);
    assert_eq!(report.summary.counts.get(State::MissingInCluster), 0);
    assert_eq!(report.summary.status, Status::Incomplete);
    let [unread] = report.summary.unread_kinds.as_slice() else {
        panic!("{:#?}", report.summary)
    };
    assert_eq!(
        (unread.api_group.as_str(), unread.kind.as_str()),
        ("vpc.githedgehog.com", "VPC")
    );
    assert!(unread.reason.contains(why), "{unread:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_watch_makes_its_kind_unknown_until_it_recovers() {
    let (_remote, server, fabric) = applied_vlab().await;
    watch_until_ready(&fabric).await;
    // An injected fault of the fake API server: the VPC watch ends with an error and every
    // new request for VPCs answers 500.
    server.fail("vpcs", 500).unwrap();
    eventually(
        &fabric,
        "the failing kind makes the drift incomplete",
        |r| r.summary.status == Status::Incomplete,
    )
    .await;
    assert_unknown_vpcs(&fabric.drift().unwrap(), "500");
    assert_eq!(fabric.watch_status().unwrap().failing[0].kind, Kind::Vpc);
    // A pass meanwhile reads the watch's store, and says the same.
    let report = fabric.pass(request(Policy::Detect, None)).await.unwrap();
    assert_unknown_vpcs(&report.drift, "500");
    // The watch recovers: it lists VPCs again, and the fabric is in sync again.
    server.fail("vpcs", 0).unwrap();
    eventually(&fabric, "the recovered kind is read again", |r| {
        r.summary.status == Status::InSync
    })
    .await;
    assert!(fabric.watch_status().unwrap().failing.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_writers_commit_is_merged_not_reverted() {
    let (remote, fabric, desired, first) = committed_vlab().await;
    assert_eq!(first.agreed, first.published);
    let path = "fabric/managed/switches/leaf-01.yaml";
    let show = |path: &str| remote.git(&remote.remote, &["show", &format!("main:{path}")]);
    // (`show` trims the file's last newline.)
    let by_hand =
        show(path).replace("description: VS-01 ESLAG 1", "description: racked by hand") + "\n";
    remote.commit(&[(path, Some(&by_hand))], "other: describe leaf-01");
    // The desired state never touched leaf-01's description: the edit stays. The pass
    // rebases on what the last publish agreed on (no base given).
    let second = fabric
        .pass(request(Policy::Commit, Some(desired.clone())))
        .await
        .unwrap();
    assert_eq!(remote.remote_log()[0], "other: describe leaf-01");
    assert!(show(path).contains("racked by hand"));
    assert_eq!(second.base, first.agreed);
    assert_eq!(second.published, None);
    assert_eq!(second.plan.unwrap().update, Vec::<String>::new());
    assert_eq!(second.drift.summary.status, Status::InSync);
    // The desired state differs from the tip at leaf-01, so it agrees with a local commit.
    let agreed = second.agreed.clone().unwrap();
    assert_ne!(agreed, second.commit);

    // Again, and with a change to leaf-02: still kept, and leaf-02 is published.
    let mut edited = desired.clone();
    let leaf2 = ObjectKey::new(Kind::Switch, "default", "leaf-02");
    edited
        .objects
        .get_mut(&leaf2)
        .unwrap()
        .edit(|v| v["spec"]["description"] = json!("VS-02 moved"));
    for _ in 0..2 {
        fabric
            .pass(request(Policy::Commit, Some(edited.clone())))
            .await
            .unwrap();
    }
    assert_eq!(
        remote.remote_log()[..2],
        ["hedgehog: sync", "other: describe leaf-01"]
    );
    assert!(show(path).contains("racked by hand"));
    assert!(show("fabric/managed/switches/leaf-02.yaml").contains("VS-02 moved"));

    // Changing the field the other writer changed is a conflict: refused, nothing lands.
    let leaf1 = ObjectKey::new(Kind::Switch, "default", "leaf-01");
    edited
        .objects
        .get_mut(&leaf1)
        .unwrap()
        .edit(|v| v["spec"]["description"] = json!("VS-01 mine"));
    let err = fabric
        .pass(request(Policy::Commit, Some(edited)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "plan.conflict");
    let SyncError::Refused(refused) = err else {
        panic!("{err:?}")
    };
    assert_eq!(refused.conflicts[0].key, leaf1);
    assert_eq!(
        refused.conflicts[0].fields[0].theirs,
        Some(json!("racked by hand"))
    );
    assert_eq!(remote.remote_log().len(), 4);
    // A base that cannot be read refuses the pass rather than planning without one.
    let err = fabric
        .pass(PassRequest {
            base: Some("1111111111111111111111111111111111111111".into()),
            ..request(Policy::Commit, Some(desired))
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "plan.base-missing");
    assert_eq!(remote.remote_log().len(), 4);
}

/// A repository as hhfab's output split by a person (or the NetBox plugin's export) writes
/// it: one file per object named after the object, plain YAML in no particular key order.
fn write_by_hand(remote: &Remote, layout_dir: impl Fn(&ObjectKey) -> String) -> Vec<Object> {
    let objects = preset(Preset::Vlab);
    let files: Vec<(String, String)> = objects
        .iter()
        .map(|o| {
            let key = o.key();
            let path = format!("fabric/managed/{}/{}.yaml", layout_dir(&key), key.name);
            (path, serde_yaml_ng::to_string(&o.to_value()).unwrap())
        })
        .collect();
    let refs: Vec<(&str, Option<&str>)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), Some(t.as_str())))
        .collect();
    remote.commit(&refs, "fabric written by hand");
    objects
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_one_vpc_in_a_hand_written_repository_changes_one_file() {
    let remote = Remote::new();
    let objects = write_by_hand(&remote, |k| k.known_kind().unwrap().plural().to_owned());
    let fabric = fabric(&remote, None, false).await;
    let mut desired: Vec<Document> = objects.into_iter().map(Document::new).collect();
    let vpc = desired
        .iter_mut()
        .find(|d| d.object.key().name == "vpc-01")
        .unwrap();
    let mut value = vpc.object.to_value();
    value["spec"]["subnets"]["subnet-01"]["vlan"] = json!(3001);
    vpc.object = hedgehog_model::Object::from_value(value).object;
    let desired = Snapshot::from_documents(&desired, "netbox");
    let report = fabric
        .pass(request(Policy::Commit, Some(desired.clone())))
        .await
        .unwrap();
    assert!(report.published.is_some());
    let changed = |rev: &str| {
        remote.git(
            &remote.remote,
            &["diff", "--name-status", &format!("{rev}~1"), rev],
        )
    };
    assert_eq!(changed("main"), "M\tfabric/managed/vpcs/vpc-01.yaml");
    // Names are file names as they are: hhfab's connection names need no escaping, and no
    // file is misplaced. The other files keep their formatting; the plan says so.
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let plan = report.plan.unwrap();
    assert_eq!(plan.adoption.renames, 0);
    assert_eq!(plan.adoption.rerenders, desired.len() - 1);
    assert_eq!(report.drift.summary.status, Status::InSync);

    // Adopting the layout is opt-in and a commit of its own, which changes no object.
    let before = remote.remote_log().len();
    let adopted = fabric
        .pass(PassRequest {
            adopt_layout: true,
            ..request(Policy::Commit, Some(desired.clone()))
        })
        .await
        .unwrap();
    assert_eq!(adopted.published, None);
    assert_eq!(adopted.adopted.as_deref(), Some(adopted.commit.as_str()));
    assert_eq!(remote.remote_log().len(), before + 1);
    assert_eq!(
        remote.remote_log()[0],
        "hedgehog: adopt the repository layout"
    );
    assert_eq!(
        changed("main").lines().count(),
        desired.len() - 1,
        "every file but the one just written is re-rendered"
    );
    assert_eq!(adopted.plan.unwrap().adoption.rerenders, 0);
    assert_eq!(adopted.drift.summary.status, Status::InSync);
    let again = fabric
        .pass(PassRequest {
            adopt_layout: true,
            ..request(Policy::Commit, Some(desired))
        })
        .await
        .unwrap();
    assert_eq!((again.adopted, again.published), (None, None));
}
