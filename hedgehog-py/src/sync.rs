//! The sync engine on plain data: normalise, diff, drift, plan, merge, ingest, import plans.

use hedgehog_sync::codes;
use std::collections::{BTreeMap, HashMap};

use hedgehog_model::ObjectKey;
use hedgehog_sync::drift::Drift;
use hedgehog_sync::git::{CommitId, Tree};
use hedgehog_sync::guard::DeletionGuard;
use hedgehog_sync::ingest::ingest as ingest_tree;
use hedgehog_sync::kube::{Access, ClusterSnapshot, Known};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::normalize::normalize as normalize_value;
use hedgehog_sync::plan::{PlanOptions, PlanRefused, plan as plan_tree};
use hedgehog_sync::snapshot::{Provenance, Snapshot, UnreadKind};
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{from_py, from_py_opt, to_py};
use crate::errors::{ConfigError, ParseError, error};
use crate::model::config_from_py;

/// The object in the form the drift engine compares: upstream defaulting applied,
/// server-managed fields removed, unknown fields kept.
#[pyfunction]
pub fn normalize<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let value: Value = from_py(obj, "obj")?;
    to_py(py, &normalize_value(value).value)
}

/// Field-level differences `[{path, op, before, after}]` between two objects, after
/// normalising both.
#[pyfunction]
pub fn diff<'py>(
    py: Python<'py>,
    before: &Bound<'py, PyAny>,
    after: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let before = normalize_value(from_py(before, "before")?).value;
    let after = normalize_value(from_py(after, "after")?).value;
    to_py(py, &hedgehog_sync::diff::diff(&before, &after))
}

/// Hex SHA-256 of an object's normalised content (key order does not matter); what
/// `plan_import` compares stored hashes with.
#[pyfunction]
pub fn content_hash(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(hedgehog_sync::kube::content_hash(&from_py(obj, "obj")?))
}

/// Three-state drift of object sets: `desired` (NetBox; `None`: Git is the desired state),
/// `git` and `cluster` (`None`: no cluster), with `unread_kinds` (`[{"api_group", "kind",
/// "reason"}]`: kinds the cluster listing could not read; their objects are `unknown`, never
/// missing or orphaned). Returns the drift report. Without Git history a cluster behind Git
/// shows as `drifted`; `GitRepo.drift` reads history to tell `pending_apply` apart.
#[pyfunction]
#[pyo3(signature = (desired, git, cluster, *, unread_kinds = None))]
pub fn drift<'py>(
    py: Python<'py>,
    desired: Option<&Bound<'py, PyAny>>,
    git: &Bound<'py, PyAny>,
    cluster: Option<&Bound<'py, PyAny>>,
    unread_kinds: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let desired: Option<Vec<Value>> = from_py_opt(desired, "desired")?;
    let git: Vec<Value> = from_py(git, "git")?;
    let cluster = cluster_snapshot(cluster, unread_kinds)?;
    let layout = root_layout()?;
    let report = py.detach(|| {
        let desired = desired.map(|d| {
            Snapshot::from_values(d, |_| Provenance::Desired {
                id: "desired".into(),
            })
        });
        let git = Snapshot::from_values(git, |key| Provenance::Git {
            path: layout.managed_path(key),
            commit: String::new(),
        });
        Drift::compute(desired, git, cluster, |_| {
            Ok::<_, std::convert::Infallible>(BTreeMap::new())
        })
        .map(|d| d.report())
    });
    match report {
        Ok(report) => to_py(py, &report),
        Err(never) => match never {},
    }
}

/// Cluster objects and the kinds that could not be read as a cluster snapshot (`None`
/// without objects).
pub fn cluster_snapshot(
    objects: Option<&Bound<'_, PyAny>>,
    unread_kinds: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Snapshot>> {
    let objects: Option<Vec<Value>> = from_py_opt(objects, "cluster")?;
    let unread: Option<Vec<UnreadKind>> = from_py_opt(unread_kinds, "unread_kinds")?;
    Ok(objects.map(|objects| Snapshot {
        unread: unread.unwrap_or_default(),
        ..Snapshot::from_cluster(objects)
    }))
}

/// The layout of a GitOps directory whose paths are given relative to its base.
pub fn root_layout() -> PyResult<Layout> {
    Layout::new("").map_err(|e| error::<ConfigError>(codes::CONFIG_LAYOUT.code, e.to_string()))
}

/// Files (path below the base directory → text) as a tree.
pub fn tree_from_files(files: BTreeMap<String, String>) -> PyResult<Tree> {
    let commit: CommitId = "0000000000000000000000000000000000000000".parse().map_err(
        |e: hedgehog_sync::git::GitError| {
            error::<ParseError>(codes::INPUT_INVALID.code, e.to_string())
        },
    )?;
    Ok(Tree {
        commit,
        files: files
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect(),
        skipped: Vec::new(),
    })
}

/// Desired objects as a snapshot.
pub fn desired_snapshot(objects: &Bound<'_, PyAny>, what: &str) -> PyResult<Snapshot> {
    let values: Vec<Value> = from_py(objects, what)?;
    let id = what.to_owned();
    Ok(objects
        .py()
        .detach(|| Snapshot::from_values(values, |_| Provenance::Desired { id: id.clone() })))
}

/// The file changes that make `files` (the GitOps directory: path below the base directory →
/// text) hold `desired`: `{"changes": {add, update, delete, unchanged}, "diagnostics",
/// "conflicts", "deletions"}`. With `base` (the objects the desired state was edited from),
/// what changed in `files` since is merged rather than overwritten. Raises `ValidationError`
/// for an empty `desired` (`plan.empty-desired-state`) and for a plan deleting a whole kind
/// or more than `max_delete_percent` of the managed objects (`plan.mass-deletion`) unless
/// `allow_deletions`.
#[pyfunction]
#[pyo3(signature = (desired, files, *, base = None, config = None, allow_deletions = false, max_delete_percent = hedgehog_sync::guard::DEFAULT_MAX_PERCENT))]
pub fn plan<'py>(
    py: Python<'py>,
    desired: &Bound<'py, PyAny>,
    files: &Bound<'py, PyAny>,
    base: Option<&Bound<'py, PyAny>>,
    config: Option<&Bound<'py, PyAny>>,
    allow_deletions: bool,
    max_delete_percent: u8,
) -> PyResult<Bound<'py, PyAny>> {
    let desired = desired_snapshot(desired, "desired")?;
    let tree = tree_from_files(from_py(files, "files")?)?;
    let base = match base {
        Some(b) if !b.is_none() => Some(desired_snapshot(b, "base")?),
        _ => None,
    };
    let options = PlanOptions {
        config: config_from_py(config)?,
        base,
        deletions: DeletionGuard {
            max_percent: max_delete_percent,
            allow: allow_deletions,
        },
    };
    let layout = root_layout()?;
    let planned = py.detach(|| plan_tree(&desired, &tree, &layout, &options));
    if let Some(deletion) = planned.deletions.refusal.clone() {
        let refused = PlanRefused {
            errors: Vec::new(),
            conflicts: Vec::new(),
            deletion: Some(deletion),
        };
        return Err(crate::errors::refused_err(py, &refused));
    }
    to_py(py, &planned)
}

/// Three-way merge of one object: `{"merged": obj | None, "conflicts": [{path, base, ours,
/// theirs}]}`; at a conflict the merged object keeps `ours`.
#[pyfunction]
pub fn merge3<'py>(
    py: Python<'py>,
    base: Option<&Bound<'py, PyAny>>,
    ours: Option<&Bound<'py, PyAny>>,
    theirs: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let side = |v: Option<&Bound<'py, PyAny>>, what| -> PyResult<Option<Value>> {
        Ok(from_py_opt::<Value>(v, what)?.map(|v| normalize_value(v).value))
    };
    let (b, o, t) = (
        side(base, "base")?,
        side(ours, "ours")?,
        side(theirs, "theirs")?,
    );
    to_py(
        py,
        &hedgehog_sync::merge::merge3(b.as_ref(), o.as_ref(), t.as_ref()),
    )
}

/// Plans the ingestion of `raw/` files of a GitOps directory (path → text): valid objects to
/// `managed/`, invalid documents to `unmanaged/` with the reason, duplicates reported.
#[pyfunction]
#[pyo3(signature = (files, *, config = None))]
pub fn ingest<'py>(
    py: Python<'py>,
    files: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tree = tree_from_files(from_py(files, "files")?)?;
    let config = config_from_py(config)?;
    let layout = root_layout()?;
    let ingestion = py.detach(|| ingest_tree(&tree, &layout, Some(&config)));
    to_py(py, &ingestion)
}

/// What NetBox must do to mirror a cluster snapshot (from `KubeTarget.discover`): `known`
/// lists what NetBox stores, each either an object or `{"kind", "namespace", "name",
/// "api_group", "hash"}` with a `content_hash`. Returns `{create, update, unchanged,
/// missing_in_cluster}`.
#[pyfunction]
pub fn plan_import<'py>(
    py: Python<'py>,
    snapshot: &Bound<'py, PyAny>,
    known: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let snapshot: ClusterSnapshot = from_py(snapshot, "snapshot")?;
    let entries: Vec<Value> = from_py(known, "known")?;
    let mut map = HashMap::new();
    for entry in entries {
        if let Some(hash) = entry.get("hash").and_then(Value::as_str) {
            let key: ObjectKey = serde_json::from_value(entry.clone()).map_err(|e| {
                error::<ParseError>(
                    codes::INPUT_INVALID.code,
                    format!(
                        "known: an entry with a hash needs api_group, kind, namespace and name: {e}"
                    ),
                )
            })?;
            map.insert(key, Known::Hash(hash.to_owned()));
        } else {
            let key = normalize_value(entry.clone()).key;
            map.insert(key, Known::Value(entry));
        }
    }
    to_py(py, &hedgehog_sync::kube::plan_import(&snapshot, &map))
}

/// ServiceAccount, Role, RoleBinding and token Secret YAML granting `access` (`read-only`
/// or `read-write`) to exactly the Hedgehog kinds.
#[pyfunction]
#[pyo3(signature = (name, namespace = "default", access = "read-only"))]
pub fn rbac_manifests(name: &str, namespace: &str, access: &str) -> PyResult<String> {
    let access: Access =
        serde_json::from_value(Value::String(access.to_owned())).map_err(|_| {
            error::<ConfigError>(
                codes::CONFIG_ACCESS.code,
                format!("unknown access {access:?}: use \"read-only\" or \"read-write\""),
            )
        })?;
    Ok(hedgehog_sync::kube::rbac_manifests(name, namespace, access))
}
