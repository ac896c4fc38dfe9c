//! The engine end to end on real repositories: plan + publish as one commit, re-plan after a
//! rejected push, conflicts that keep the local commit, drift read against Git history, and
//! ingestion published and re-run.

mod engine_support;

use engine_support::{Remote, as_cluster_returns, author, vpc_yaml};
use hedgehog_model::load::Document;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_model::{Kind, ObjectKey};
use hedgehog_sync::drift::{State, Status};
use hedgehog_sync::engine::{Engine, EngineError, PublishOptions};
use hedgehog_sync::git::{Credentials, GitError, Published, Repo};
use hedgehog_sync::guard::{DeletionGuard, EMPTY_DESIRED_STATE, MASS_DELETION};
use hedgehog_sync::layout::{Layout, render_object};
use hedgehog_sync::plan::{PlanOptions, plan};
use hedgehog_sync::snapshot::{MISPLACED, Snapshot};
use serde_json::json;

fn options(message: &str) -> PublishOptions<'static> {
    PublishOptions {
        message: Box::leak(message.to_owned().into_boxed_str()),
        author: Box::leak(Box::new(author())),
        force: false,
        config: Default::default(),
        max_attempts: 3,
        base: None,
        deletions: Default::default(),
    }
}

fn vlab() -> Snapshot {
    let docs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .map(Document::new)
        .collect();
    Snapshot::from_documents(&docs, "draft-1")
}

#[test]
fn a_plan_is_one_commit_and_replanning_after_it_is_empty() {
    let remote = Remote::new();
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    let desired = vlab();
    let out = engine
        .publish(
            &desired,
            &Credentials::None,
            &options("hedgehog: publish vlab"),
        )
        .unwrap();
    assert!(matches!(
        out.published,
        Published::Pushed { attempts: 1, .. }
    ));
    assert_eq!(out.plan.changes.add.len(), desired.len());
    assert_eq!(remote.remote_log(), ["hedgehog: publish vlab", "initial"]);

    let files = remote.git(
        &remote.remote,
        &["ls-tree", "-r", "--name-only", "main", "fabric"],
    );
    assert_eq!(files.lines().count(), desired.len());
    let key = desired.objects.keys().find(|k| k.kind == "VPC").unwrap();
    let path = format!("fabric/{}", engine.layout().managed_path(key));
    let content = remote.git(&remote.remote, &["show", &format!("main:{path}")]);
    assert_eq!(
        format!("{content}\n"),
        render_object(&desired.get(key).unwrap())
    );

    // Same desired state again: nothing to do, no commit.
    let again = engine
        .publish(&desired, &Credentials::None, &options("hedgehog: again"))
        .unwrap();
    assert!(matches!(again.published, Published::NothingToDo { .. }));
    assert!(again.plan.changes.is_empty());
    assert_eq!(again.plan.changes.unchanged.len(), desired.len());
    assert_eq!(remote.remote_log().len(), 2);

    // What Git holds now reads back as the desired state.
    let (_, git) = engine.read("origin/main").unwrap();
    assert!(git.problems.is_empty(), "{:?}", git.problems);
    assert_eq!(git.objects.len(), desired.len());
    for (k, e) in &desired.objects {
        assert_eq!(git.get(k), Some(e.value()), "{k:?}");
    }
}

#[test]
fn a_rejected_push_is_replanned_on_the_new_tip_and_nothing_is_lost() {
    let remote = Remote::new();
    let repo = remote.clone();
    let layout = Layout::new("fabric").unwrap();
    let engine = Engine::new(&repo, layout.clone(), "main");
    let desired = vlab();
    engine
        .publish(&desired, &Credentials::None, &options("first"))
        .unwrap();

    // Desired state changes one VPC; meanwhile another engineer pushes.
    let mut changed = desired.clone();
    let vpc = changed
        .objects
        .keys()
        .find(|k| k.kind == "VPC")
        .unwrap()
        .clone();
    let entry = changed.objects.get_mut(&vpc).unwrap();
    entry.edit(|v| v["spec"]["subnets"]["subnet-01"]["vlan"] = json!(1999));
    let mut calls = 0;
    let out = engine
        .publish_with(&Credentials::None, &options("change a VLAN"), |tree| {
            calls += 1;
            if calls == 1 {
                remote.commit(
                    &[("README.md", Some("edited meanwhile\n"))],
                    "other: readme",
                );
            }
            let p = plan(&changed, tree, &layout, &PlanOptions::default());
            (p.checked(false), p)
        })
        .unwrap();
    assert_eq!(calls, 2);
    let Published::Pushed { commit, attempts } = out.published else {
        panic!("{:?}", out.published)
    };
    assert_eq!(attempts, 2);
    assert_eq!(out.plan.changes.update.len(), 1, "{:?}", out.plan.changes);
    assert_eq!(
        remote.remote_log(),
        ["change a VLAN", "other: readme", "first", "initial"]
    );
    assert_eq!(
        remote.git(&remote.remote, &["rev-parse", "main"]),
        commit.to_hex()
    );
    assert_eq!(
        remote.git(&remote.remote, &["show", "main:README.md"]),
        "edited meanwhile"
    );
}

#[test]
fn a_branch_that_keeps_moving_is_a_conflict_and_the_local_commit_is_kept() {
    let remote = Remote::new();
    let repo = remote.clone();
    let layout = Layout::new("").unwrap();
    let engine = Engine::new(&repo, layout.clone(), "main");
    let desired = vlab();
    let mut n = 0;
    let err = engine
        .publish_with(
            &Credentials::None,
            &PublishOptions {
                max_attempts: 2,
                ..options("hedgehog: vlab")
            },
            |tree| {
                n += 1;
                remote.commit(
                    &[("notes.txt", Some(&format!("{n}\n")))],
                    &format!("other {n}"),
                );
                let p = plan(&desired, tree, &layout, &PlanOptions::default());
                (p.checked(false), p)
            },
        )
        .unwrap_err();
    let EngineError::Git(GitError::Conflict {
        local_commit: Some(kept),
        ..
    }) = err
    else {
        panic!("{err:?}")
    };
    // The remote has every commit the other engineer pushed…
    assert_eq!(remote.remote_log(), ["other 2", "other 1", "initial"]);
    // …and our commit is kept in the cache clone, with all the planned files.
    let unpushed = remote.git(repo.path(), &["rev-parse", "refs/hedgehog/unpushed/main"]);
    assert_eq!(unpushed, kept.to_hex());
    assert_eq!(
        remote.git(repo.path(), &["log", "-1", "--format=%s", &unpushed]),
        "hedgehog: vlab"
    );
    let files = remote.git(
        repo.path(),
        &["ls-tree", "-r", "--name-only", &unpushed, "managed"],
    );
    assert_eq!(files.lines().count(), desired.len());
}

/// A remote whose `main` holds the VLAB below `fabric/`, published by the engine with the
/// message `first`; the engine's cache clone; the VLAB.
fn published_vlab() -> (Remote, Repo, Snapshot) {
    let remote = Remote::new();
    let repo = remote.clone();
    let desired = vlab();
    Engine::new(&repo, Layout::new("fabric").unwrap(), "main")
        .publish(&desired, &Credentials::None, &options("first"))
        .unwrap();
    (remote, repo, desired)
}

#[test]
fn plans_breaking_change_safety_rules_are_refused_unless_forced() {
    let (remote, repo, desired) = published_vlab();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    // Deleting a VPC that attachments still use is what upstream's webhook refuses.
    let mut without = desired.clone();
    let attached = without
        .objects
        .values()
        .find(|e| e.value()["kind"] == "VPCAttachment")
        .map(|e| {
            e.value()["spec"]["subnet"]
                .as_str()
                .unwrap()
                .split('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .unwrap();
    without
        .objects
        .remove(&ObjectKey::new(Kind::Vpc, "default", attached));
    let err = engine
        .publish(&without, &Credentials::None, &options("delete a VPC"))
        .unwrap_err();
    let EngineError::Refused(refused) = err else {
        panic!("{err:?}")
    };
    assert!(
        refused
            .errors
            .iter()
            .any(|d| d.code == "fabric.change.vpc-has-attachments"),
        "{refused:?}"
    );
    assert_eq!(remote.remote_log(), ["first", "initial"]);
    let forced = engine
        .publish(
            &without,
            &Credentials::None,
            &PublishOptions {
                force: true,
                ..options("delete a VPC (forced)")
            },
        )
        .unwrap();
    assert!(matches!(forced.published, Published::Pushed { .. }));
    assert_eq!(forced.plan.changes.delete.len(), 1);
    assert!(!forced.plan.diagnostics.is_empty());
}

#[test]
fn edits_committed_since_the_desired_state_was_read_are_merged_or_refused() {
    let remote = Remote::new();
    let a = vpc_yaml("vpc-a", 1001, "10.0.1.0/24");
    let b = vpc_yaml("vpc-b", 1002, "10.0.2.0/24");
    remote.commit(
        &[
            ("fabric/managed/vpcs/vpc-a.yaml", Some(&a)),
            ("fabric/managed/vpcs/vpc-b.yaml", Some(&b)),
        ],
        "add VPCs",
    );
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    // NetBox reads the branch, then edits vpc-a's VLAN…
    let (_, base) = engine.read("origin/main").unwrap();
    let key_a = ObjectKey::new(Kind::Vpc, "default", "vpc-a");
    let mut desired = base.clone();
    let entry = desired.objects.get_mut(&key_a).unwrap();
    entry.edit(|v| v["spec"]["subnets"]["default"]["vlan"] = json!(1101));
    // …while someone else changes vpc-a's subnet and vpc-b's VLAN in Git.
    remote.commit(
        &[
            (
                "fabric/managed/vpcs/vpc-a.yaml",
                Some(&vpc_yaml("vpc-a", 1001, "10.0.11.0/24")),
            ),
            (
                "fabric/managed/vpcs/vpc-b.yaml",
                Some(&vpc_yaml("vpc-b", 1202, "10.0.2.0/24")),
            ),
        ],
        "other: renumber",
    );
    let with_base = |message| PublishOptions {
        base: Some(base.clone()),
        ..options(message)
    };
    let out = engine
        .publish(&desired, &Credentials::None, &with_base("netbox: vlan"))
        .unwrap();
    assert!(out.plan.conflicts.is_empty(), "{:?}", out.plan.conflicts);
    // vpc-a merges both edits; vpc-b, which only the other writer changed, is left as they
    // wrote it (no canonical re-rendering on the side).
    let updated: Vec<&str> = out
        .plan
        .changes
        .update
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(updated, ["managed/vpcs/vpc-a.yaml"]);
    assert_eq!(
        out.plan.merged,
        ["managed/vpcs/vpc-a.yaml", "managed/vpcs/vpc-b.yaml"]
    );
    // Nothing the other writer committed is lost: both edits of vpc-a, and vpc-b's VLAN.
    let show = |path: &str| remote.git(&remote.remote, &["show", &format!("main:{path}")]);
    let merged_a = show("fabric/managed/vpcs/vpc-a.yaml");
    assert!(merged_a.contains("vlan: 1101"), "{merged_a}");
    assert!(merged_a.contains("subnet: 10.0.11.0/24"), "{merged_a}");
    assert!(show("fabric/managed/vpcs/vpc-b.yaml").contains("vlan: 1202"));
    assert_eq!(
        remote.remote_log(),
        ["netbox: vlan", "other: renumber", "add VPCs", "initial"]
    );

    // The same field changed on both sides is a conflict: refused, nothing committed…
    let (_, base) = engine.read("origin/main").unwrap();
    let mut desired = base.clone();
    desired
        .objects
        .get_mut(&key_a)
        .unwrap()
        .edit(|v| v["spec"]["subnets"]["default"]["vlan"] = json!(1500));
    remote.commit(
        &[(
            "fabric/managed/vpcs/vpc-a.yaml",
            Some(&vpc_yaml("vpc-a", 1600, "10.0.11.0/24")),
        )],
        "other: vlan 1600",
    );
    let err = engine
        .publish(
            &desired,
            &Credentials::None,
            &PublishOptions {
                base: Some(base.clone()),
                ..options("netbox: vlan 1500")
            },
        )
        .unwrap_err();
    let EngineError::Refused(refused) = err else {
        panic!("{err:?}")
    };
    assert_eq!(refused.conflicts.len(), 1);
    let field = &refused.conflicts[0].fields[0];
    assert_eq!(field.path.to_string(), "spec.subnets.default.vlan");
    assert_eq!(
        (field.base.clone(), field.ours.clone(), field.theirs.clone()),
        (Some(json!(1101)), Some(json!(1500)), Some(json!(1600)))
    );
    assert_eq!(remote.remote_log()[0], "other: vlan 1600");
    // …and forcing it lets the desired value win.
    engine
        .publish(
            &desired,
            &Credentials::None,
            &PublishOptions {
                base: Some(base),
                force: true,
                ..options("netbox: vlan 1500 (forced)")
            },
        )
        .unwrap();
    assert!(show("fabric/managed/vpcs/vpc-a.yaml").contains("vlan: 1500"));
}

#[test]
fn drift_tells_a_cluster_behind_git_from_one_changed_out_of_band() {
    let remote = Remote::new();
    let v1 = vpc_yaml("vpc-1", 1001, "10.0.1.0/24");
    let v2 = vpc_yaml("vpc-1", 1002, "10.0.1.0/24");
    let other = vpc_yaml("vpc-2", 1010, "10.0.2.0/24");
    let c1 = remote.commit(
        &[
            ("fabric/managed/vpcs/vpc-1.yaml", Some(&v1)),
            ("fabric/managed/vpcs/vpc-2.yaml", Some(&other)),
        ],
        "add VPCs",
    );
    let c2 = remote.commit(
        &[("fabric/managed/vpcs/vpc-1.yaml", Some(&v2))],
        "vpc-1: VLAN 1002",
    );
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");

    let mut edited = as_cluster_returns(&other, "77");
    edited["spec"]["subnets"]["default"]["subnet"] = json!("10.9.9.0/24");
    let cluster = Snapshot::from_cluster(vec![
        as_cluster_returns(&v1, "41"),
        edited,
        as_cluster_returns(&vpc_yaml("vpc-3", 1020, "10.0.3.0/24"), "90"),
    ]);
    let mut drift = engine.drift("origin/main", None, Some(cluster)).unwrap();
    let report = serde_json::to_value(drift.report()).unwrap();
    assert_eq!(report["summary"]["status"], "drift_detected");
    assert_eq!(
        report["summary"]["counts"],
        json!({"in_sync": 0, "pending_commit": 0, "pending_apply": 1, "drifted": 1,
               "missing_in_cluster": 0, "orphaned": 1, "conflict": 0, "unknown": 0})
    );
    assert_eq!(report["summary"]["by_kind"]["VPC"]["drifted"], 1);
    let objects = report["objects"].as_array().unwrap();
    let by_name = |name: &str| objects.iter().find(|o| o["name"] == name).unwrap();

    let behind = by_name("vpc-1");
    assert_eq!(behind["state"], "pending_apply");
    assert_eq!(behind["cluster_at"], c1.as_str());
    assert_eq!(
        behind["changes"],
        json!([{"path": "spec.subnets.default.vlan", "op": "changed",
                "before": 1002, "after": 1001, "set_by": c2}])
    );
    assert_eq!(behind["resource_version"], "41");
    assert_eq!(behind["git_path"], "managed/vpcs/vpc-1.yaml");

    let drifted = by_name("vpc-2");
    assert_eq!(drifted["state"], "drifted");
    assert_eq!(drifted["kind"], "VPC");
    assert_eq!(drifted["namespace"], "default");
    // The gateway and DHCP range follow the subnet through defaulting; the subnet itself
    // was set by the first commit.
    let subnet = drifted["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "spec.subnets.default.subnet")
        .unwrap();
    assert_eq!(
        subnet,
        &json!({"path": "spec.subnets.default.subnet", "op": "changed",
                "before": "10.0.2.0/24", "after": "10.9.9.0/24", "set_by": c1})
    );
    assert_eq!(by_name("vpc-3")["state"], "orphaned");

    // The watch reports that the GitOps tool applied the newest version: in sync.
    let vpc1 = ObjectKey::new(Kind::Vpc, "default", "vpc-1");
    let now = drift
        .update_cluster(as_cluster_returns(&v2, "42"), |keys| {
            engine.history("origin/main", keys)
        })
        .unwrap();
    assert_eq!(now.state, State::InSync);
    assert_eq!(drift.object(&vpc1).state, State::InSync);
    let summary = drift.summary();
    assert_eq!(summary.counts.get(State::InSync), 1);
    assert_eq!(summary.counts.get(State::PendingApply), 0);
    assert_eq!(summary.status, Status::DriftDetected);
    assert!(drift.report().objects.iter().all(|o| o.name != "vpc-1"));
}

#[test]
fn ingestion_is_published_once_and_a_second_run_does_nothing() {
    let remote = Remote::new();
    remote.commit(
        &[(
            "gitops/raw/vpcs.yaml",
            Some(&format!(
                "{}---\n{}",
                vpc_yaml("vpc-1", 1001, "10.0.1.0/24"),
                vpc_yaml("vpc-2", 1002, "10.0.2.0/24")
            )),
        )],
        "raw VPCs",
    );
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("gitops").unwrap(), "main");
    let out = engine
        .publish_ingestion(&Credentials::None, &options("hedgehog: ingest raw/"))
        .unwrap();
    assert!(matches!(out.published, Published::Pushed { .. }));
    assert_eq!(out.plan.managed.len(), 2);
    let files = remote.git(
        &remote.remote,
        &["ls-tree", "-r", "--name-only", "main", "gitops"],
    );
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [
            "gitops/managed/vpcs/vpc-1.yaml",
            "gitops/managed/vpcs/vpc-2.yaml"
        ]
    );
    let again = engine
        .publish_ingestion(&Credentials::None, &options("hedgehog: ingest raw/"))
        .unwrap();
    assert!(matches!(again.published, Published::NothingToDo { .. }));
    assert_eq!(
        remote.remote_log(),
        ["hedgehog: ingest raw/", "raw VPCs", "initial"]
    );
}

#[test]
fn an_empty_or_mass_deleting_desired_state_is_refused_and_nothing_is_committed() {
    let (remote, repo, desired) = published_vlab();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    let refused = |desired: &Snapshot, options: &PublishOptions<'_>| match engine.publish(
        desired,
        &Credentials::None,
        options,
    ) {
        Err(EngineError::Refused(r)) => r,
        other => panic!("{other:?}"),
    };
    // A mis-mounted desired-state directory: no objects at all. Not even allowing deletions
    // or forcing publishes it.
    let loud = PublishOptions {
        force: true,
        deletions: DeletionGuard {
            allow: true,
            ..DeletionGuard::default()
        },
        ..options("empty")
    };
    let empty = refused(&Snapshot::new(), &loud);
    assert_eq!(empty.code(), EMPTY_DESIRED_STATE);
    assert!(empty.to_string().contains("no objects"), "{empty}");
    // Deleting every VPC (a whole kind) is refused, and so is more than 10 % of the objects.
    let mut without_vpcs = desired.clone();
    without_vpcs
        .objects
        .retain(|k, _| k.kind != "VPC" && k.kind != "VPCAttachment");
    let kind = refused(&without_vpcs, &options("no VPCs"));
    assert_eq!(kind.code(), MASS_DELETION);
    assert!(kind.to_string().contains("every VPC"), "{kind}");
    // Five of the six attachments: 5 of 39 objects (13 %), no whole kind.
    let mut fewer = desired.clone();
    let attachments: Vec<ObjectKey> = fewer
        .objects
        .keys()
        .filter(|k| k.kind == "VPCAttachment")
        .take(5)
        .cloned()
        .collect();
    fewer.objects.retain(|k, _| !attachments.contains(k));
    let share = refused(&fewer, &options("fewer"));
    assert_eq!(share.code(), MASS_DELETION);
    assert!(share.to_string().contains("5 of 39"), "{share}");
    assert_eq!(remote.remote_log(), ["first", "initial"]);
    // Allowed for this publish, in words, it lands.
    let out = engine
        .publish(
            &fewer,
            &Credentials::None,
            &PublishOptions {
                deletions: DeletionGuard {
                    allow: true,
                    ..DeletionGuard::default()
                },
                ..options("fewer, allowed")
            },
        )
        .unwrap();
    assert_eq!(out.plan.deletions.deleted, 5);
    assert_eq!(remote.remote_log(), ["fewer, allowed", "first", "initial"]);
}

/// The file name earlier versions gave an object: every `-` that follows another `-` (and a
/// trailing `-`) written `~2d`, the namespace prefixed with `--`.
fn escaped_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.char_indices() {
        if c == '-' && (name[..i].ends_with('-') || i + 1 == name.len()) {
            out.push_str("~2d");
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_repository_in_the_escaped_layout_of_earlier_versions_keeps_working() {
    let remote = Remote::new();
    let desired = vlab();
    let file = |key: &ObjectKey| {
        format!(
            "fabric/managed/{}/{}.yaml",
            key.known_kind().unwrap().plural(),
            escaped_name(&key.name)
        )
    };
    let files: Vec<(String, String)> = desired
        .objects
        .iter()
        .map(|(k, e)| (file(k), render_object(&e.value())))
        .collect();
    let refs: Vec<(&str, Option<&str>)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), Some(t.as_str())))
        .collect();
    let c1 = remote.commit(&refs, "written by an earlier version");
    let conn = desired
        .objects
        .keys()
        .find(|k| k.kind == "Connection" && k.name.contains("--"))
        .unwrap()
        .clone();
    let old_path = file(&conn);
    assert!(old_path.contains("~2d"), "{old_path}");
    let mut newer = desired.objects[&conn].value();
    newer["metadata"]["labels"]["example.com/rack"] = json!("r2");
    remote.commit(
        &[(old_path.as_str(), Some(render_object(&newer).as_str()))],
        "label a connection",
    );
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");

    // Read: every object, the escaped files reported as misplaced; a cluster holding the
    // connection's older version is behind Git (history follows the escaped file).
    let (_, read) = engine.read("origin/main").unwrap();
    assert_eq!(read.len(), desired.len());
    let misplaced = read.problems.iter().filter(|p| p.code == MISPLACED).count();
    assert_eq!(misplaced, read.problems.len());
    assert!(misplaced >= 12, "{:?}", read.problems);
    let cluster: Vec<serde_json::Value> = desired
        .objects
        .values()
        .map(|e| as_cluster_value(&e.value()))
        .collect();
    let drift = engine
        .drift("origin/main", None, Some(Snapshot::from_cluster(cluster)))
        .unwrap()
        .report();
    let [behind] = drift.objects.as_slice() else {
        panic!("{drift:#?}")
    };
    assert_eq!(
        (behind.name.as_str(), behind.state),
        (conn.name.as_str(), State::PendingApply)
    );
    assert_eq!(behind.cluster_at.as_deref(), Some(c1.as_str()));

    // A change of one VPC changes that one file; the escaped files stay.
    let mut edited = desired.clone();
    let vpc = ObjectKey::new(Kind::Vpc, "default", "vpc-01");
    edited
        .objects
        .get_mut(&vpc)
        .unwrap()
        .edit(|v| v["spec"]["subnets"]["subnet-01"]["vlan"] = json!(3001));
    edited
        .objects
        .get_mut(&conn)
        .unwrap()
        .set_value(&read.get(&conn).unwrap());
    let out = engine
        .publish(&edited, &Credentials::None, &options("vpc-01: vlan 3001"))
        .unwrap();
    assert_eq!(out.plan.changes.update.len(), 1);
    assert_eq!(out.plan.changes.update[0].0, "managed/vpcs/vpc-01.yaml");
    assert!(out.plan.changes.add.is_empty() && out.plan.changes.delete.is_empty());
    assert_eq!(out.plan.adoption.renames, misplaced);

    // Adoption renames them, in a commit of its own that changes no object.
    let adopted = engine
        .publish_adoption(&Credentials::None, &options("unused"))
        .unwrap();
    assert!(matches!(adopted.published, Published::Pushed { .. }));
    assert_eq!(adopted.plan.delete.len(), misplaced);
    assert_eq!(adopted.plan.add.len(), misplaced);
    assert_eq!(
        remote.remote_log()[0],
        "hedgehog: adopt the repository layout"
    );
    let (_, after) = engine.read("origin/main").unwrap();
    assert!(after.problems.is_empty(), "{:?}", after.problems);
    let values = |s: &Snapshot| {
        s.objects
            .iter()
            .map(|(k, e)| (k.clone(), e.value()))
            .collect::<Vec<_>>()
    };
    let (_, before) = engine.read("origin/main~1").unwrap();
    assert_eq!(values(&after), values(&before));
    assert!(
        after
            .path_of(&conn)
            .unwrap()
            .ends_with(&format!("/{}.yaml", conn.name))
    );
    let again = engine
        .publish_adoption(&Credentials::None, &options("unused"))
        .unwrap();
    assert!(matches!(again.published, Published::NothingToDo { .. }));
}

/// An object as the API server returns it after applying `value`.
fn as_cluster_value(value: &serde_json::Value) -> serde_json::Value {
    let mut v = value.clone();
    v["metadata"]["resourceVersion"] = json!("5");
    v["metadata"]["uid"] = json!("u-1");
    v
}
