//! The drift state machine on hand-built snapshots and history: every row of the table, the
//! conflict's merge, the roll-up, and incremental updates agreeing with a full recompute.

use std::collections::BTreeMap;
use std::convert::Infallible;

use hedgehog_model::{Kind, ObjectKey};
use hedgehog_sync::drift::{Drift, GitVersion, History, State, Status};
use hedgehog_sync::normalize::normalize;
use hedgehog_sync::snapshot::{Provenance, Snapshot};
use proptest::prelude::*;
use serde_json::{Value, json};

fn vpc(name: &str, vlan: u16) -> Value {
    normalize(json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {"name": name},
        "spec": {"subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": vlan}}}
    }))
    .value
}

fn key(name: &str) -> ObjectKey {
    ObjectKey::new(Kind::Vpc, "default", name)
}

fn snapshot<S: AsRef<str>>(objects: &[(S, u16)], provenance: Provenance) -> Snapshot {
    let mut s = Snapshot::new();
    for (name, vlan) in objects {
        s.insert(normalize(vpc(name.as_ref(), *vlan)), provenance.clone());
    }
    s
}

fn git() -> Provenance {
    Provenance::Git {
        path: String::new(),
        commit: "c2".into(),
    }
}

fn cluster() -> Provenance {
    Provenance::Cluster {
        resource_version: "7".into(),
    }
}

/// Every object's history: `c2` set the current VLAN, `c1` had the VLAN minus one.
fn history(git: &Snapshot) -> impl FnOnce(&[ObjectKey]) -> Result<History, Infallible> + use<> {
    let git = git.clone();
    move |keys| {
        Ok(keys
            .iter()
            .filter_map(|k| {
                let current = git.get(k)?.clone();
                let vlan = current["spec"]["subnets"]["default"]["vlan"].as_u64()?;
                let older = vpc(&k.name, u16::try_from(vlan - 1).ok()?);
                Some((
                    k.clone(),
                    vec![
                        GitVersion {
                            commit: "c2".into(),
                            value: Some(current),
                        },
                        GitVersion {
                            commit: "c1".into(),
                            value: Some(older),
                        },
                    ],
                ))
            })
            .collect())
    }
}

fn compute(desired: Option<Snapshot>, git: Snapshot, cluster: Snapshot) -> Drift {
    let h = history(&git);
    Drift::compute(desired, git, Some(cluster), h).unwrap()
}

#[test]
fn every_row_of_the_state_table() {
    // name: (desired, git, cluster) VLANs; 0 = absent.
    let rows: [(&str, u16, u16, u16, State); 9] = [
        ("same", 10, 10, 10, State::InSync),
        ("missing", 10, 10, 0, State::MissingInCluster),
        ("orphan", 0, 0, 10, State::Orphaned),
        ("behind", 10, 10, 9, State::PendingApply),
        ("edited", 10, 10, 30, State::Drifted),
        ("draft", 11, 10, 10, State::PendingCommit),
        ("draft-behind", 11, 10, 9, State::PendingCommit),
        ("applied-directly", 11, 10, 11, State::PendingCommit),
        ("both", 11, 10, 30, State::Conflict),
    ];
    let pick = |f: fn(&(&str, u16, u16, u16, State)) -> u16| {
        rows.iter()
            .filter(|r| f(r) != 0)
            .map(|r| (r.0, f(r)))
            .collect::<Vec<_>>()
    };
    let desired = snapshot(&pick(|r| r.1), Provenance::Desired { id: "d".into() });
    let g = snapshot(&pick(|r| r.2), git());
    let c = snapshot(&pick(|r| r.3), cluster());
    let drift = compute(Some(desired), g, c);
    for (name, .., state) in rows {
        assert_eq!(drift.object(&key(name)).state, state, "{name}");
    }
    let summary = drift.summary();
    assert_eq!(summary.status, Status::Conflicts);
    assert_eq!(summary.counts.get(State::PendingCommit), 3);
    assert_eq!(summary.by_kind["VPC"].get(State::InSync), 1);

    let conflict = drift.object(&key("both"));
    assert_eq!(conflict.conflicts.len(), 1);
    assert_eq!(
        conflict.conflicts[0].path.to_string(),
        "spec.subnets.default.vlan"
    );
    assert_eq!(
        (
            conflict.conflicts[0].ours.clone(),
            conflict.conflicts[0].theirs.clone()
        ),
        (Some(json!(11)), Some(json!(30)))
    );
    let draft = drift.object(&key("draft"));
    assert_eq!(draft.changes.len(), 1);
    assert_eq!(draft.changes[0].change.before, Some(json!(10)));
    assert_eq!(draft.changes[0].change.after, Some(json!(11)));
    let edited = drift.object(&key("edited"));
    assert_eq!(edited.changes[0].set_by.as_deref(), Some("c2"));
    assert_eq!(
        drift.object(&key("behind")).cluster_at.as_deref(),
        Some("c1")
    );
    // Only objects out of sync are listed, in key order.
    let names: Vec<String> = drift.report().objects.into_iter().map(|o| o.name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 8);
}

#[test]
fn roll_up_follows_the_most_serious_state() {
    let g = snapshot(&[("a", 10)], git());
    let status = |c: &[(&str, u16)], d: Option<&[(&str, u16)]>| {
        let desired = d.map(|d| snapshot(d, Provenance::Desired { id: "d".into() }));
        compute(desired, g.clone(), snapshot(c, cluster()))
            .summary()
            .status
    };
    assert_eq!(status(&[("a", 10)], None), Status::InSync);
    assert_eq!(status(&[("a", 9)], None), Status::GitAhead);
    assert_eq!(status(&[("a", 10)], Some(&[("a", 11)])), Status::GitAhead);
    assert_eq!(status(&[("a", 10), ("b", 1)], None), Status::ClusterAhead);
    assert_eq!(status(&[("a", 50), ("b", 1)], None), Status::DriftDetected);
    assert_eq!(status(&[], None), Status::DriftDetected);
}

fn report_json(drift: &Drift) -> Value {
    serde_json::to_value(drift.report()).unwrap()
}

/// Starts from `git_vlans` and `cluster_vlans` (per object `vpc-0` … `vpc-5`, `None`:
/// absent), applies `events` (object index, new cluster VLAN or `None`: deleted) with
/// `apply`, and returns the incremental report and the one computed from scratch.
fn replay(
    git_vlans: &[Option<u16>],
    cluster_vlans: &[Option<u16>],
    events: Vec<(usize, Option<u16>)>,
    apply: impl Fn(&mut Drift, &Snapshot, &str, Option<Value>),
) -> (Value, Value) {
    let names: Vec<String> = (0..6).map(|i| format!("vpc-{i}")).collect();
    let pairs = |v: &[Option<u16>]| -> Vec<(String, u16)> {
        names
            .iter()
            .zip(v)
            .filter_map(|(n, v)| v.map(|v| (n.clone(), v)))
            .collect()
    };
    let g = snapshot(&pairs(git_vlans), git());
    let mut c_now: BTreeMap<String, u16> = pairs(cluster_vlans).into_iter().collect();
    let mut drift = compute(None, g.clone(), snapshot(&pairs(cluster_vlans), cluster()));
    for (i, vlan) in events {
        let name = &names[i];
        let value = vlan.map(|v| {
            c_now.insert(name.clone(), v);
            let mut value = vpc(name, v);
            value["metadata"]["resourceVersion"] = json!("7");
            value
        });
        if vlan.is_none() {
            c_now.remove(name);
        }
        apply(&mut drift, &g, name, value);
    }
    let c_now: Vec<(String, u16)> = c_now.into_iter().collect();
    let fresh = compute(None, g, snapshot(&c_now, cluster()));
    (report_json(&drift), report_json(&fresh))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Applying watch events one by one gives the same report as computing from scratch.
    #[test]
    fn incremental_updates_match_a_full_recompute(
        git_vlans in proptest::collection::vec(proptest::option::of(5u16..8), 6),
        cluster_vlans in proptest::collection::vec(proptest::option::of(4u16..9), 6),
        events in proptest::collection::vec((0usize..6, proptest::option::of(4u16..9)), 0..12),
    ) {
        let (incremental, fresh) = replay(&git_vlans, &cluster_vlans, events, |drift, g, name, value| {
            match value {
                Some(value) => drift.update_cluster(value, history(g)).unwrap(),
                None => drift.remove_cluster(&key(name), history(g)).unwrap(),
            };
        });
        prop_assert_eq!(incremental, fresh);
    }

    /// The watch's way (issue 12, defect 11): each event is applied without reading history
    /// (the read is refused, as under the fabric's lock), and the history is added afterwards
    /// with `add_history`; the end result equals a full recompute.
    #[test]
    fn history_added_after_the_event_matches_a_full_recompute(
        git_vlans in proptest::collection::vec(proptest::option::of(5u16..8), 6),
        cluster_vlans in proptest::collection::vec(proptest::option::of(4u16..9), 6),
        events in proptest::collection::vec((0usize..6, proptest::option::of(4u16..9)), 0..12),
    ) {
        let (incremental, fresh) = replay(&git_vlans, &cluster_vlans, events, |drift, g, name, value| {
            let deferred = match value {
                Some(value) => drift.update_cluster(value, |_| Err(())).is_err(),
                None => drift.remove_cluster(&key(name), |_| Err(())).is_err(),
            };
            if deferred {
                drift.add_history(history(g)(&[key(name)]).unwrap());
            }
        });
        prop_assert_eq!(incremental, fresh);
    }
}

/// Found against the real API server: upstream's controller creates its built-in switch
/// profiles in every cluster, and they were reported as 16 orphaned objects.
#[test]
fn built_in_switch_profiles_in_the_cluster_are_not_orphaned() {
    let profile = |namespace: &str, name: &str| {
        normalize(json!({
            "apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "SwitchProfile",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"displayName": name},
        }))
    };
    let mut cluster = Snapshot::new();
    for (namespace, name) in [("default", "vs"), ("default", "my-profile"), ("fab1", "vs")] {
        cluster.insert(
            profile(namespace, name),
            Provenance::Cluster {
                resource_version: String::new(),
            },
        );
    }
    let drift = Drift::compute(None, Snapshot::new(), Some(cluster), |_| {
        Ok::<_, Infallible>(History::new())
    })
    .unwrap();
    let report = drift.report();
    let orphaned: Vec<(&str, &str)> = report
        .objects
        .iter()
        .map(|o| (o.namespace.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(orphaned, [("default", "my-profile"), ("fab1", "vs")]);
    assert_eq!(drift.summary().counts.get(State::InSync), 1);
    assert_eq!(drift.summary().counts.get(State::Orphaned), 2);
    let key = ObjectKey::new(Kind::SwitchProfile, "default", "vs");
    assert_eq!(drift.object(&key).state, State::InSync);
}

#[test]
fn objects_of_an_unread_kind_are_unknown_and_the_roll_up_is_never_in_sync() {
    let git_side = snapshot(&[("same", 1001), ("edited", 1002), ("gone", 1003)], git());
    let desired = snapshot(&[("same", 1001), ("edited", 1102), ("gone", 1003)], git());
    // The cluster could not list VPCs: the stale or empty listing proves nothing.
    let mut cluster_side = snapshot(&[("extra", 1009)], cluster());
    cluster_side.unread = vec![hedgehog_sync::snapshot::UnreadKind {
        api_group: "vpc.githedgehog.com".into(),
        kind: "VPC".into(),
        reason: "403 Forbidden".into(),
    }];
    let mut drift = Drift::compute(
        Some(desired),
        git_side.clone(),
        Some(cluster_side),
        history(&git_side),
    )
    .unwrap();
    let report = drift.report();
    assert_eq!(report.summary.status, Status::Incomplete);
    assert_eq!(report.summary.counts.get(State::Unknown), 4);
    assert_eq!(report.summary.unread_kinds[0].reason, "403 Forbidden");
    // What the desired state changes is still shown.
    let edited = report.objects.iter().find(|o| o.name == "edited").unwrap();
    assert_eq!(edited.state, State::Unknown);
    assert_eq!(
        edited.changes[0].change.path.to_string(),
        "spec.subnets.default.vlan"
    );
    // The watch reads VPCs again: the objects get their real states.
    drift
        .set_unread("vpc.githedgehog.com", "VPC", None, history(&git_side))
        .unwrap();
    let summary = drift.summary();
    assert_eq!(summary.status, Status::Conflicts);
    assert_eq!(summary.counts.get(State::Unknown), 0);
    assert_eq!(summary.counts.get(State::MissingInCluster), 2);
    assert_eq!(summary.counts.get(State::Orphaned), 1);
    // Desired state and cluster (where it is gone) both changed it since Git.
    assert_eq!(summary.counts.get(State::Conflict), 1);
    assert!(summary.unread_kinds.is_empty());
    // And unread once more: back to unknown, counted once each.
    drift
        .set_unread(
            "vpc.githedgehog.com",
            "VPC",
            Some("500".into()),
            history(&git_side),
        )
        .unwrap();
    assert_eq!(drift.summary().counts.get(State::Unknown), 4);
    assert_eq!(drift.summary().counts.get(State::InSync), 0);
}

/// A VPC as a GitOps repository and a desired state hold it: labels, annotations, an
/// unknown field and fields the API server writes.
fn full_vpc() -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {
            "name": "vpc-1", "namespace": "default",
            "labels": {"team": "blue", "tier": "prod"},
            "annotations": {"owner": "netops",
                            "kubectl.kubernetes.io/last-applied-configuration": "{}"},
            "resourceVersion": "41", "uid": "u-1", "generation": 3,
            "managedFields": [{"manager": "kubectl"}]
        },
        "spec": {
            "subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": 1001}},
            "extra": {"weight": 0.1, "deep": {"list": [1, "two", {"three": 3}]}}
        },
        "status": {"ready": true}
    })
}

/// The drift of `desired` against Git holding [`full_vpc`]: its state and changed paths.
fn drift_of(desired: Value) -> (State, Vec<String>) {
    let id = |_: &ObjectKey| Provenance::Desired { id: "d".into() };
    let desired = Snapshot::from_values(vec![desired], id);
    let git = Snapshot::from_values(vec![full_vpc()], |_| git());
    let drift = Drift::compute(Some(desired), git, None, |_| {
        Ok::<_, Infallible>(History::new())
    })
    .unwrap();
    let object = drift.object(&key("vpc-1"));
    let paths = object
        .changes
        .iter()
        .map(|c| c.change.path.to_string())
        .collect();
    (object.state, paths)
}

/// Snapshots keep objects as text and compare texts first: a difference of one field
/// anywhere — spec, labels, annotations, a field the model does not know, one float ULP —
/// is still found at its path, and what normalisation drops, or the order fields come in,
/// is still no drift.
#[test]
fn one_field_differences_are_found_and_dropped_fields_ignored() {
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut v = full_vpc();
        edit(&mut v);
        drift_of(v)
    };
    let found = [
        (
            "spec.subnets.default.vlan",
            edited(&|v| v["spec"]["subnets"]["default"]["vlan"] = json!(1002)),
        ),
        (
            "metadata.labels.tier",
            edited(&|v| v["metadata"]["labels"]["tier"] = json!("dev")),
        ),
        (
            "metadata.annotations.owner",
            edited(&|v| v["metadata"]["annotations"]["owner"] = json!("x")),
        ),
        (
            "spec.extra.deep.list[2].three",
            edited(&|v| v["spec"]["extra"]["deep"]["list"][2]["three"] = json!(4)),
        ),
        (
            "spec.extra.weight",
            edited(&|v| v["spec"]["extra"]["weight"] = json!(0.1 + f64::EPSILON / 8.0)),
        ),
    ];
    for (path, (state, paths)) in found {
        assert_eq!(state, State::PendingCommit, "{path}");
        assert_eq!(paths, [path], "{path}");
    }
    let ignored = [
        edited(&|_| {}),
        edited(&|v| v["status"] = json!({"ready": false})),
        edited(&|v| v["metadata"]["resourceVersion"] = json!("42")),
        edited(&|v| v["metadata"]["managedFields"] = json!([])),
        edited(&|v| {
            v["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
                json!("{\"changed\": true}")
        }),
        // The same object with every map's fields in reverse order.
        drift_of(reversed(&full_vpc())),
    ];
    for (i, (state, paths)) in ignored.into_iter().enumerate() {
        assert_eq!((state, paths), (State::InSync, vec![]), "case {i}");
    }
}

fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}
