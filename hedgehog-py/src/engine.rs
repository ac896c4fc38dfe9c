//! `Engine`: one fabric — its GitOps branch and, optionally, its cluster — and sync passes
//! over them (`hedgehog_sync::fabric`).

use hedgehog_sync::codes;
use std::path::PathBuf;

use hedgehog_sync::fabric::{Fabric, FabricSettings, GitSource, PassRequest, Policy};
use hedgehog_sync::git::Signature;
use hedgehog_sync::secret::redact_url;
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{from_py, to_py};
use crate::errors::{self, ConfigError, error};
use crate::git::credentials;
use crate::kube::KubeTarget;
use crate::model::config_from_py;
use crate::runtime::block_on;
use crate::sync::desired_snapshot;

/// A fabric the NetBox plugin keeps in agreement: `sync()` runs one pass (fetch, plan or
/// publish the desired state, optionally apply, list the cluster, drift); `drift()` returns
/// the latest drift, kept current by `watch()` between passes.
#[pyclass(module = "hedgehog_fabric", frozen)]
pub struct Engine {
    fabric: Fabric,
}

#[pymethods]
impl Engine {
    /// A fabric named `name` on `branch` of `git_url` (its objects below `base_dir`), with an
    /// optional cluster. Clones go to `cache_dir`. Sends nothing until `sync()`. A commit
    /// that deletes more than `max_delete_percent` of the managed objects (or a whole kind)
    /// needs `sync(allow_deletions=True)`.
    #[new]
    #[pyo3(signature = (name, git_url, *, cache_dir, branch = "main".to_owned(), base_dir = String::new(), token = None, username = None, ssh_key = None, known_hosts = None, cluster = None, server_dry_run = false, config = None, max_delete_percent = hedgehog_sync::guard::DEFAULT_MAX_PERCENT))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn new(
        py: Python<'_>,
        name: String,
        git_url: String,
        cache_dir: PathBuf,
        branch: String,
        base_dir: String,
        token: Option<String>,
        username: Option<String>,
        ssh_key: Option<String>,
        known_hosts: Option<String>,
        cluster: Option<PyRef<'_, KubeTarget>>,
        server_dry_run: bool,
        config: Option<&Bound<'_, PyAny>>,
        max_delete_percent: u8,
    ) -> PyResult<Engine> {
        let settings = FabricSettings {
            name,
            git: GitSource {
                url: git_url,
                branch,
                base_dir,
                credentials: credentials(token, username, ssh_key, known_hosts)?,
            },
            cluster: cluster.map(|c| c.config().clone()),
            cache_dir,
            config: config_from_py(config)?,
            server_dry_run,
            max_delete_percent,
        };
        let fabric = block_on(py, Fabric::new(settings))?.map_err(|e| errors::sync(py, &e))?;
        Ok(Engine { fabric })
    }

    /// The fabric's name.
    #[getter]
    fn name(&self) -> String {
        self.fabric.name().to_owned()
    }

    fn __repr__(&self) -> String {
        let s = self.fabric.settings();
        format!(
            "Engine(name={:?}, git_url={:?}, branch={:?}, base_dir={:?}, cluster={})",
            s.name,
            redact_url(&s.git.url),
            s.git.branch,
            s.git.base_dir,
            s.cluster.as_ref().map_or("None".to_owned(), |c| format!(
                "{:?}",
                redact_url(&c.server)
            )),
        )
    }

    /// One sync pass. `policy`: `detect` (read and report; a desired state is planned, not
    /// committed), `commit` (publish the desired state as one commit) or `apply` (also
    /// server-side apply Git's objects). `desired`: objects (`None`: Git is the desired
    /// state); `base`: the commit they were edited from, so later commits are merged, not
    /// overwritten. Returns the pass report (`commit`, `published`, `plan`, `cluster`,
    /// `applied`, `drift`, `problems`, `duration_ms`). An empty `desired` always raises
    /// `ValidationError` (`plan.empty-desired-state`); a commit deleting a whole kind or more
    /// than `max_delete_percent` raises it (`plan.mass-deletion`) unless `allow_deletions`.
    /// `adopt_layout`: with `commit`/`apply`, first move managed files to the canonical layout
    /// (renames, canonical rendering) as a commit of its own (`adopted` in the report);
    /// without it plans leave such files alone and count them in `plan["adoption"]`.
    #[pyo3(signature = (*, policy = "detect", desired = None, base = None, message = "hedgehog: sync".to_owned(), author_name = "hedgehog".to_owned(), author_email = "hedgehog@localhost".to_owned(), force = false, allow_deletions = false, adopt_layout = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn sync<'py>(
        &self,
        py: Python<'py>,
        policy: &str,
        desired: Option<&Bound<'py, PyAny>>,
        base: Option<String>,
        message: String,
        author_name: String,
        author_email: String,
        force: bool,
        allow_deletions: bool,
        adopt_layout: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy: Policy =
            serde_json::from_value(Value::String(policy.to_owned())).map_err(|_| {
                error::<ConfigError>(
                    codes::CONFIG_POLICY.code,
                    format!("unknown policy {policy:?}: use \"detect\", \"commit\" or \"apply\""),
                )
            })?;
        let desired = match desired {
            Some(d) if !d.is_none() => Some(desired_snapshot(d, "desired")?),
            _ => None,
        };
        let request = PassRequest {
            policy,
            desired,
            base,
            author: Signature::new(author_name, author_email),
            message,
            force,
            allow_deletions,
            adopt_layout,
        };
        let fabric = self.fabric.clone();
        let report = block_on(py, async move { fabric.pass(request).await })?
            .map_err(|e| errors::sync(py, &e))?;
        to_py(py, &report)
    }

    /// The drift of the last pass, as updated by the watch since; `None` before the first
    /// pass.
    fn drift<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.fabric.drift().map(|r| to_py(py, &r)).transpose()
    }

    /// Tests the Git remote and the cluster: `{"git": {...}, "cluster": {...} | None}`.
    fn test_connection<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let fabric = self.fabric.clone();
        let report = block_on(py, async move { fabric.test_connection().await })?;
        to_py(py, &report)
    }

    /// Starts the cluster watch that keeps `drift()` current between passes.
    fn watch(&self, py: Python<'_>) -> PyResult<()> {
        let fabric = self.fabric.clone();
        block_on(py, async move { fabric.watch().await })?.map_err(|e| errors::sync(py, &e))
    }

    /// The watch's readiness, object count, last event and last error; `None` before
    /// `watch()`.
    fn watch_status<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.fabric
            .watch_status()
            .map(|s| to_py(py, &s))
            .transpose()
    }

    /// Applies one cluster object as a watch event would (`obj`), or its deletion
    /// (`deleted_key`: `{"api_group", "kind", "namespace", "name"}`), to the current drift;
    /// returns that object's drift. For callers that receive cluster events themselves.
    #[pyo3(signature = (obj = None, *, deleted_key = None))]
    fn apply_cluster_event<'py>(
        &self,
        py: Python<'py>,
        obj: Option<&Bound<'py, PyAny>>,
        deleted_key: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let (key, value) = match (obj, deleted_key) {
            (Some(o), None) => {
                let value: Value = from_py(o, "obj")?;
                (
                    hedgehog_sync::normalize::normalize(value.clone()).key,
                    Some(value),
                )
            }
            (None, Some(k)) => (from_py(k, "deleted_key")?, None),
            _ => {
                return Err(error::<ConfigError>(
                    codes::INPUT_INVALID.code,
                    "give exactly one of obj and deleted_key",
                ));
            }
        };
        let fabric = self.fabric.clone();
        let object = py.detach(move || fabric.apply_watch_event(&key, value));
        object.map(|o| to_py(py, &o)).transpose()
    }
}
