//! `GitRepo`: a cache clone of a GitOps repository — fetch, read, plan, commit, push and
//! publish — and `test_remote`.

use hedgehog_sync::codes;
use std::collections::BTreeMap;
use std::path::PathBuf;

use hedgehog_sync::engine::{Engine, EngineError, PublishOptions};
use hedgehog_sync::git::{
    CommitId, Credentials, FileChange, Published, PushOutcome, Repo, Signature,
};
use hedgehog_sync::guard::DeletionGuard;
use hedgehog_sync::layout::Layout;
use hedgehog_sync::secret::{SecretString, redact_url};
use pyo3::prelude::*;
use serde_json::json;

use crate::convert::{from_py, to_py};
use crate::errors::{self, ConfigError, error};
use crate::model::config_from_py;
use crate::runtime::blocking;
use crate::sync::{cluster_snapshot, desired_snapshot};

/// Credentials from keyword arguments: an HTTPS token (with an optional user name) or an SSH
/// private key (with optional `known_hosts` lines); neither uses git's own configuration.
pub fn credentials(
    token: Option<String>,
    username: Option<String>,
    ssh_key: Option<String>,
    known_hosts: Option<String>,
) -> PyResult<Credentials> {
    match (token, ssh_key) {
        (Some(_), Some(_)) => Err(error::<ConfigError>(
            codes::CONFIG_CREDENTIALS.code,
            "give either a token or an SSH key, not both",
        )),
        (Some(token), None) => Ok(Credentials::Token {
            username,
            token: SecretString::from(token),
        }),
        (None, Some(key)) => Ok(Credentials::SshKey {
            private_key: SecretString::from(key),
            known_hosts,
        }),
        (None, None) => Ok(Credentials::None),
    }
}

fn layout(base_dir: &str) -> PyResult<Layout> {
    Layout::new(base_dir)
        .map_err(|e| error::<ConfigError>(codes::CONFIG_LAYOUT.code, e.to_string()))
}

fn commit_id(text: &str) -> PyResult<CommitId> {
    text.parse().map_err(|e| errors::git(&e))
}

/// A bare cache clone of one remote. Credentials are kept for fetch and push and never
/// shown (`repr` names the URL and the directory only).
#[pyclass(module = "hedgehog_fabric", frozen)]
pub struct GitRepo {
    url: Option<String>,
    path: PathBuf,
    credentials: Credentials,
}

impl GitRepo {
    fn open_repo(&self) -> PyResult<Repo> {
        Repo::open(&self.path).map_err(|e| errors::git(&e))
    }

    /// Runs blocking Git work on a fresh handle of the repository (handles are not shared
    /// between threads), holding the clone's lock: calls on one clone run one at a time, and
    /// a call abandoned by Ctrl-C finishes its fetch or push before the next one starts.
    fn run<T: Send + 'static>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&Repo, &Credentials) -> Result<T, EngineError> + Send + 'static,
    ) -> PyResult<T> {
        let path = self.path.clone();
        let creds = self.credentials.clone();
        let result = blocking(py, move || {
            let repo = Repo::open(&path).map_err(EngineError::Git)?;
            let _cache = repo.lock().map_err(EngineError::Git)?;
            work(&repo, &creds)
        })?;
        result.map_err(|e| match e {
            EngineError::Git(g) => errors::git(&g),
            EngineError::Refused(r) => errors::refused_err(py, &r),
        })
    }
}

#[pymethods]
impl GitRepo {
    /// Opens the cache clone of `url` under `cache_dir`, cloning it (bare) the first time.
    #[staticmethod]
    #[pyo3(signature = (url, cache_dir, *, token = None, username = None, ssh_key = None, known_hosts = None))]
    fn clone(
        py: Python<'_>,
        url: String,
        cache_dir: PathBuf,
        token: Option<String>,
        username: Option<String>,
        ssh_key: Option<String>,
        known_hosts: Option<String>,
    ) -> PyResult<GitRepo> {
        let creds = credentials(token, username, ssh_key, known_hosts)?;
        let (u, c) = (url.clone(), creds.clone());
        let path = blocking(py, move || {
            Repo::clone_or_open(&u, &cache_dir, &c).map(|r| r.path().to_path_buf())
        })?
        .map_err(|e| errors::git(&e))?;
        Ok(GitRepo {
            url: Some(url),
            path,
            credentials: creds,
        })
    }

    /// Opens an existing repository (bare or not) without network access.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<GitRepo> {
        let repo = Repo::open(&path).map_err(|e| errors::git(&e))?;
        Ok(GitRepo {
            url: None,
            path: repo.path().to_path_buf(),
            credentials: Credentials::None,
        })
    }

    /// The repository's directory.
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    /// The remote URL, when the repository was cloned by this package (user information,
    /// if any, shown as `<redacted>`).
    #[getter]
    fn url(&self) -> Option<String> {
        self.url.as_deref().map(redact_url)
    }

    fn __repr__(&self) -> String {
        format!(
            "GitRepo(url={:?}, path={:?})",
            redact_url(self.url.as_deref().unwrap_or("")),
            self.path.display().to_string()
        )
    }

    /// Fetches every branch of the remote into `origin/*`.
    fn fetch(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, |repo, creds| Ok(repo.fetch(creds)?))
    }

    /// `{"local": sha | None, "remote": sha | None}`: the branch here and as last fetched.
    fn head<'py>(&self, py: Python<'py>, branch: &str) -> PyResult<Bound<'py, PyAny>> {
        let heads = self
            .open_repo()?
            .head(branch)
            .map_err(|e| errors::git(&e))?;
        to_py(
            py,
            &json!({"local": heads.local.map(|c| c.to_hex()), "remote": heads.remote.map(|c| c.to_hex())}),
        )
    }

    /// The files below `dir` at `rev` (a branch, `origin/<branch>`, a ref or a commit):
    /// `{"commit": sha, "files": {path: text}}`, paths relative to `dir`; files that are not
    /// UTF-8 are decoded with replacement characters.
    #[pyo3(signature = (rev, dir = String::new()))]
    fn read_tree<'py>(
        &self,
        py: Python<'py>,
        rev: String,
        dir: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let tree = self.run(py, move |repo, _| Ok(repo.read_tree(&rev, &dir)?))?;
        let files: BTreeMap<String, String> = tree
            .files
            .into_iter()
            .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
            .collect();
        to_py(py, &json!({"commit": tree.commit.to_hex(), "files": files}))
    }

    /// Commits `changes` (path below `base_dir` → text, or `None` to delete) on top of
    /// `parent` as one commit on the local `branch`; returns the commit, or `None` when
    /// nothing changes. Raises `GitError` (code `git.conflict`) if the branch moved.
    #[pyo3(signature = (branch, parent, changes, message, *, author_name, author_email, base_dir = String::new()))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn commit(
        &self,
        py: Python<'_>,
        branch: String,
        parent: &str,
        changes: &Bound<'_, PyAny>,
        message: String,
        author_name: &str,
        author_email: &str,
        base_dir: String,
    ) -> PyResult<Option<String>> {
        let parent = commit_id(parent)?;
        let changes: BTreeMap<String, Option<String>> = from_py(changes, "changes")?;
        let changes: Vec<FileChange> = changes
            .into_iter()
            .map(|(path, content)| FileChange {
                path,
                content: content.map(String::into_bytes),
            })
            .collect();
        let sig = Signature::new(author_name, author_email);
        let commit = self.run(py, move |repo, _| {
            Ok(repo.commit(&branch, parent, &base_dir, &changes, &message, &sig)?)
        })?;
        Ok(commit.map(|c| c.to_hex()))
    }

    /// Pushes the local `branch` if the remote branch is still at `expected_remote_tip`
    /// (`None`: it must not exist): `{"pushed": True, "commit"}` or `{"pushed": False,
    /// "reason", "stale"}` (`stale`: the remote moved; fetch and plan again).
    fn push<'py>(
        &self,
        py: Python<'py>,
        branch: String,
        expected_remote_tip: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let expected = expected_remote_tip.map(commit_id).transpose()?;
        let outcome = self.run(py, move |repo, creds| {
            Ok(repo.push(&branch, expected, creds)?)
        })?;
        let value = match outcome {
            PushOutcome::Pushed { commit } => json!({"pushed": true, "commit": commit.to_hex()}),
            PushOutcome::Rejected { reason, stale } => {
                json!({"pushed": false, "reason": reason, "stale": stale})
            }
        };
        to_py(py, &value)
    }

    /// Publishes `desired` (objects) to the remote `branch` as one commit: fetch, plan on
    /// the tip (merging what was committed since `base_commit`, if given), check the
    /// change-safety rules, commit, push; re-plans when the push is rejected because the
    /// branch moved. Returns `{"commit": sha | None, "attempts", "plan"}`. Raises
    /// `ValidationError` for a refused plan (also when it deletes a whole kind or more than
    /// `max_delete_percent` of the managed objects without `allow_deletions`, and always for
    /// an empty `desired`), `GitError` (`git.conflict`, with the kept local commit in the
    /// message) when the branch kept moving.
    #[pyo3(signature = (desired, *, branch, message, author_name, author_email, base_dir = "", base_commit = None, force = false, config = None, max_attempts = 3, allow_deletions = false, max_delete_percent = hedgehog_sync::guard::DEFAULT_MAX_PERCENT))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn publish<'py>(
        &self,
        py: Python<'py>,
        desired: &Bound<'py, PyAny>,
        branch: String,
        message: String,
        author_name: &str,
        author_email: &str,
        base_dir: &str,
        base_commit: Option<String>,
        force: bool,
        config: Option<&Bound<'py, PyAny>>,
        max_attempts: u32,
        allow_deletions: bool,
        max_delete_percent: u8,
    ) -> PyResult<Bound<'py, PyAny>> {
        let desired = desired_snapshot(desired, "desired")?;
        let config = config_from_py(config)?;
        let layout = layout(base_dir)?;
        let sig = Signature::new(author_name, author_email);
        let outcome = self.run(py, move |repo, creds| {
            let engine = Engine::new(repo, layout, &branch);
            let base = match &base_commit {
                Some(commit) => Some(engine.read(commit)?.1),
                None => None,
            };
            let options = PublishOptions {
                message: &message,
                author: &sig,
                force,
                config,
                max_attempts,
                base,
                deletions: DeletionGuard {
                    max_percent: max_delete_percent,
                    allow: allow_deletions,
                },
            };
            engine.publish(&desired, creds, &options)
        })?;
        let (commit, attempts) = match outcome.published {
            Published::Pushed { commit, attempts } => (Some(commit.to_hex()), attempts),
            Published::NothingToDo { .. } => (None, 1),
        };
        let plan = to_py(py, &outcome.plan)?;
        let result = pyo3::types::PyDict::new(py);
        result.set_item("commit", commit)?;
        result.set_item("attempts", attempts)?;
        result.set_item("plan", plan)?;
        Ok(result.into_any())
    }

    /// Drift of `desired` (objects, or `None`: Git is the desired state) and `cluster`
    /// (objects, e.g. `KubeTarget.discover()["objects"]` values; `None`: no cluster), with
    /// `unread_kinds` (`[{"api_group", "kind", "reason"}]`: kinds the cluster listing could
    /// not read, whose objects are then `unknown`, never missing or orphaned) against
    /// the managed files below `base_dir` at `rev`, with Git history telling `pending_apply`
    /// from `drifted`. Returns the drift report.
    #[pyo3(signature = (*, rev, base_dir = "", desired = None, cluster = None, unread_kinds = None))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn drift<'py>(
        &self,
        py: Python<'py>,
        rev: String,
        base_dir: &str,
        desired: Option<&Bound<'py, PyAny>>,
        cluster: Option<&Bound<'py, PyAny>>,
        unread_kinds: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let desired = match desired {
            Some(d) if !d.is_none() => Some(desired_snapshot(d, "desired")?),
            _ => None,
        };
        let cluster = cluster_snapshot(cluster, unread_kinds)?;
        let layout = layout(base_dir)?;
        let report = self.run(py, move |repo, _| {
            let engine = Engine::new(repo, layout, "unused");
            Ok(engine.drift(&rev, desired, cluster)?.report())
        })?;
        to_py(py, &report)
    }
}

/// Checks a remote: `{"reachable", "default_branch", "head", "can_push", "error"}`. Never
/// raises for an unreachable remote; `can_push` comes from a dry-run push to a scratch ref.
#[pyfunction]
#[pyo3(signature = (url, branch = "main".to_owned(), *, token = None, username = None, ssh_key = None, known_hosts = None))]
pub fn test_remote<'py>(
    py: Python<'py>,
    url: String,
    branch: String,
    token: Option<String>,
    username: Option<String>,
    ssh_key: Option<String>,
    known_hosts: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let creds = credentials(token, username, ssh_key, known_hosts)?;
    let status = blocking(py, move || {
        hedgehog_sync::git::test_remote(&url, &branch, &creds)
    })?;
    to_py(
        py,
        &json!({
            "reachable": status.reachable, "default_branch": status.default_branch,
            "head": status.head.map(|c| c.to_hex()), "can_push": status.can_push,
            "error": status.error,
        }),
    )
}
