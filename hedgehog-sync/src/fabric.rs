//! One fabric: its GitOps branch and, optionally, its cluster; a sync pass over them, and the
//! drift kept current between passes by a cluster watch.
//!
//! A pass ([`Fabric::pass`]) is what the daemon's scheduler and the NetBox plugin's sync job
//! run:
//!
//! 1. open (or clone) the cache clone of the repository and fetch;
//! 2. with a desired state: plan it on the remote tip, rebased on the desired state's base
//!    commit — the request's, or else the commit this fabric's last publish agreed with — so
//!    that what others committed since is merged, and a field both changed is a conflict
//!    ([`crate::plan`]); with policy `commit` or `apply` publish it as one commit;
//! 3. read the branch's managed objects;
//! 4. with a cluster and policy `apply`: server-side apply Git's objects (never a delete:
//!    pruning is left to the GitOps tool);
//! 5. list the cluster;
//! 6. compute the three-state drift, with Git history for objects whose cluster copy differs.
//!
//! Git work runs on Tokio's blocking pool (gix and the `git` binary block); cluster work is
//! async. The latest drift is kept, and [`Fabric::watch`] keeps its cluster side current from
//! watch events, at a cost proportional to each event.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use hedgehog_model::ObjectKey;
use hedgehog_model::config::FabricConfig;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::{self, ErrorCode};
use crate::drift::{Drift, DriftReport, History, ObjectDrift, Summary};
use crate::engine::{Engine, EngineError, PublishOptions};
use crate::git::{Credentials, GitError, Published, Repo, Signature, Tree, test_remote};
use crate::guard::{DeletionGuard, Deletions, EMPTY_DESIRED_STATE};
use crate::kube::{
    ApplyOptions, ApplyResult, ChangeKind, Cluster, ClusterConfig, ClusterWatch, ConnectionReport,
    DEFAULT_PAGE_SIZE, KindError, KubeError, WatchStatus,
};
use crate::layout::Layout;
use crate::plan::{ObjectConflict, PendingAdoption, Plan, PlanOptions, PlanRefused, plan_on};
use crate::secret::{redact_url, url_has_password};
use crate::snapshot::{Entry, Snapshot, SnapshotProblem, UnreadKind};

/// Fetch–plan–push attempts of a publish before it reports a conflict.
const PUBLISH_ATTEMPTS: u32 = 3;
/// Watch events buffered between the watch and the drift update.
const WATCH_EVENTS: usize = 1024;

/// Where a fabric's GitOps state lives.
#[derive(Clone)]
pub struct GitSource {
    /// The remote (`https://…`, `ssh://…`, `git@host:path`, `file://…`).
    pub url: String,
    /// The branch Argo CD or Flux applies.
    pub branch: String,
    /// The directory inside the repository that holds `managed/`, `raw/`, `unmanaged/`
    /// (`""` for the root).
    pub base_dir: String,
    /// How to authenticate; redacted in `Debug`.
    pub credentials: Credentials,
}

impl std::fmt::Debug for GitSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitSource")
            .field("url", &redact_url(&self.url))
            .field("branch", &self.branch)
            .field("base_dir", &self.base_dir)
            .field("credentials", &self.credentials)
            .finish()
    }
}

/// What a sync pass may change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Read and report only.
    #[default]
    Detect,
    /// Also commit the desired state to Git.
    Commit,
    /// Also server-side apply Git's objects to the cluster.
    Apply,
}

impl Policy {
    /// The policy's name in configurations and reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Policy::Detect => "detect",
            Policy::Commit => "commit",
            Policy::Apply => "apply",
        }
    }
}

/// Everything a [`Fabric`] needs.
#[derive(Clone, Debug)]
pub struct FabricSettings {
    /// The fabric's name (for reports and logs).
    pub name: String,
    /// Its Git repository.
    pub git: GitSource,
    /// Its cluster, if any; without one, drift compares desired state and Git only.
    pub cluster: Option<ClusterConfig>,
    /// Where cache clones live.
    pub cache_dir: PathBuf,
    /// The fabric configuration plans are checked against.
    pub config: FabricConfig,
    /// Let the API server judge what our normalisation calls drifted: an object whose Git
    /// version, applied server-side as a dry run, would change nothing is in sync (the
    /// approach of Argo CD's server-side diff and Flux). This catches fields that webhooks or
    /// controllers we do not model add. One request per drifted object per pass; between
    /// passes the watch compares with our own normalisation only.
    pub server_dry_run: bool,
    /// The largest share of the managed objects, in percent, that a publish may delete
    /// without [`PassRequest::allow_deletions`] ([`crate::guard`]; 10 by default).
    pub max_delete_percent: u8,
}

/// One sync pass's inputs.
#[derive(Clone, Debug)]
pub struct PassRequest {
    /// What the pass may change.
    pub policy: Policy,
    /// The desired state (from NetBox); `None` takes Git as the desired state.
    pub desired: Option<Snapshot>,
    /// The commit the desired state was edited from: what was committed since is merged
    /// rather than overwritten, and a field changed on both sides is a conflict. `None`: the
    /// commit this fabric's last publish agreed with ([`PassReport::agreed`]), if any.
    pub base: Option<String>,
    /// Author and committer of a publish.
    pub author: Signature,
    /// Commit message of a publish.
    pub message: String,
    /// Publish even when change-safety rules or merge conflicts refuse the plan (never when
    /// the deletion guard does).
    pub force: bool,
    /// This pass may delete whole kinds and more than
    /// [`FabricSettings::max_delete_percent`] of the managed objects. An empty desired state
    /// is refused regardless.
    pub allow_deletions: bool,
    /// With policy `commit` or `apply`: first adopt the canonical layout — move managed files
    /// to their canonical paths and render them canonically — as a commit of its own
    /// ([`crate::adopt`]); otherwise plans leave such files alone and announce them in
    /// [`PlanSummary::adoption`].
    pub adopt_layout: bool,
}

/// A plan without file contents: what a publish would change (or changed).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanSummary {
    /// Files to add.
    pub add: Vec<String>,
    /// Files to rewrite.
    pub update: Vec<String>,
    /// Files to delete.
    pub delete: Vec<String>,
    /// Managed files already right.
    pub unchanged: usize,
    /// Change-safety diagnostics.
    pub diagnostics: Vec<hedgehog_model::Diagnostic>,
    /// Objects changed both in the desired state and in Git since the base.
    pub conflicts: Vec<ObjectConflict>,
    /// The managed objects the plan deletes, and the deletion guard's verdict.
    pub deletions: Deletions,
    /// Files that keep edits other writers committed since the base.
    pub merged: Vec<String>,
    /// Files the plan leaves alone that adopting the layout would rename or re-render.
    pub adoption: PendingAdoption,
}

impl From<&Plan> for PlanSummary {
    fn from(plan: &Plan) -> Self {
        let paths = |list: &[(String, String)]| list.iter().map(|(p, _)| p.clone()).collect();
        PlanSummary {
            add: paths(&plan.changes.add),
            update: paths(&plan.changes.update),
            delete: plan.changes.delete.clone(),
            unchanged: plan.changes.unchanged.len(),
            diagnostics: plan.diagnostics.clone(),
            conflicts: plan.conflicts.clone(),
            deletions: plan.deletions.clone(),
            merged: plan.merged.clone(),
            adoption: plan.adoption.clone(),
        }
    }
}

/// What a pass read from the cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ClusterSummary {
    /// Objects listed.
    pub objects: usize,
    /// Kinds whose listing (or watch) failed: their objects are `unknown` in the drift.
    pub errors: Vec<KindError>,
    /// Hedgehog kinds the cluster does not serve.
    pub missing_kinds: Vec<hedgehog_model::Kind>,
}

/// What a sync pass did and found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassReport {
    /// The fabric.
    pub fabric: String,
    /// The policy the pass ran with.
    pub policy: Policy,
    /// The branch tip the drift was computed against.
    pub commit: String,
    /// The commit the pass published, if it published one.
    pub published: Option<String>,
    /// The commit that adopted the layout ([`PassRequest::adopt_layout`]), if one was
    /// needed; it comes before `published`.
    pub adopted: Option<String>,
    /// The commit the plan was rebased on (see [`PassRequest::base`]).
    pub base: Option<String>,
    /// After a publish (or a plan with nothing to publish): the commit the desired state
    /// agrees with, the base of the next pass. Usually the branch tip; where the pass kept
    /// edits of other writers, a local commit holding the desired state as given
    /// ([`Engine::agree`]). Callers that restart keep it and pass it as
    /// [`PassRequest::base`].
    pub agreed: Option<String>,
    /// The plan of the desired state on the tip (when a desired state was given).
    pub plan: Option<PlanSummary>,
    /// What was read from the cluster (when one is configured).
    pub cluster: Option<ClusterSummary>,
    /// Per-object results of the apply (policy `apply`).
    pub applied: Vec<ApplyResult>,
    /// The drift.
    pub drift: DriftReport,
    /// Managed files of the branch that could not be read as objects.
    pub problems: Vec<SnapshotProblem>,
    /// Wall time of the pass.
    pub duration_ms: u64,
}

/// What [`Fabric::test_connection`] found.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConnectionTest {
    /// The Git remote.
    pub git: GitConnection,
    /// The cluster, when one is configured.
    pub cluster: Option<ConnectionReport>,
}

/// Reachability of the Git remote (from [`crate::git::test_remote`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GitConnection {
    /// `git ls-remote` worked.
    pub reachable: bool,
    /// The branch the remote's `HEAD` points to.
    pub default_branch: Option<String>,
    /// The tip of the fabric's branch.
    pub head: Option<String>,
    /// Whether a dry-run push was accepted; `None` when unknown.
    pub can_push: Option<bool>,
    /// The first error, without secrets.
    pub error: Option<String>,
}

/// Why a pass (or setting up a fabric) failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The Git backend failed; a conflict names the local commit it kept.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The plan broke change-safety rules or conflicts with Git, and was not forced.
    #[error(transparent)]
    Refused(#[from] PlanRefused),
    /// The cluster could not be read or written.
    #[error("cluster: {0}")]
    Kube(#[from] KubeError),
    /// The settings are unusable.
    #[error("invalid fabric settings: {0}")]
    Settings(String),
    /// A worker thread of the pass died (a bug; the pass changed nothing after it).
    #[error("internal error: {0}")]
    Internal(String),
    /// The write fence ([`Fabric::set_write_fence`]) no longer allows this process to write
    /// (it lost the fabric's lease); nothing was committed or applied after that.
    #[error("fenced: this process may no longer write for fabric `{0}` (its lease was lost)")]
    Fenced(String),
    /// The commit to rebase the plan on cannot be read; planning without it could revert
    /// what others committed since, so the pass is refused.
    #[error(
        "the base commit {commit} (what the desired state last agreed with) cannot be read, \
         so other writers' edits since could not be told apart; the pass is refused: {source}"
    )]
    BaseMissing {
        /// The commit.
        commit: String,
        /// Why it cannot be read.
        source: Box<GitError>,
    },
}

impl From<EngineError> for SyncError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Git(e) => SyncError::Git(e),
            EngineError::Refused(e) => SyncError::Refused(e),
        }
    }
}

impl SyncError {
    /// Its stable code, meaning and whether retrying can help ([`crate::codes`]).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            SyncError::Git(e) => e.error_code(),
            SyncError::Kube(e) => e.error_code(),
            SyncError::Refused(refused) => refused.error_code(),
            SyncError::Settings(_) => codes::SETTINGS_INVALID,
            SyncError::Internal(_) => codes::INTERNAL,
            SyncError::Fenced(_) => codes::FABRIC_FENCED,
            SyncError::BaseMissing { .. } => codes::PLAN_BASE_MISSING,
        }
    }

    /// The stable code (`git.conflict`, `plan.refused`, `kube.unauthorized`, …).
    pub fn code(&self) -> &'static str {
        self.error_code().code
    }
}

/// A fabric; cheap to clone, shareable between threads.
#[derive(Clone)]
pub struct Fabric {
    inner: Arc<Inner>,
}

struct Inner {
    settings: FabricSettings,
    layout: Layout,
    cluster: Option<Cluster>,
    live: Mutex<Option<Live>>,
    /// Only the watch thread's `Arc` and this one: dropping the fabric stops the watch.
    watch: Mutex<Option<Arc<ClusterWatch>>>,
    /// The thread that applies watch events to the drift; it ends only with the fabric, so
    /// a finished one died.
    watch_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Objects the watch changed while a pass was reading the cluster; the pass replays them
    /// onto its new drift so no event is lost.
    touched: Mutex<Option<BTreeSet<ObjectKey>>>,
    /// Passes of one fabric never overlap. The guard moves into the pass's blocking Git work,
    /// so a pass whose future is dropped (Ctrl-C in Python, a cancelled request) releases it
    /// only when its fetch or push has finished: the next pass never overlaps it.
    passing: Arc<tokio::sync::Mutex<()>>,
    /// The commit the desired state agreed with after the last publish.
    agreed: Mutex<Option<String>>,
    /// Asked before every write (commit, push, apply).
    fence: Mutex<Option<WriteFence>>,
}

/// Says whether this process may still write for a fabric (see [`Fabric::set_write_fence`]).
pub type WriteFence = Arc<dyn Fn() -> bool + Send + Sync>;

/// The latest drift and where its objects' Git history is.
struct Live {
    drift: Drift,
    history: HistoryAt,
}

/// Where the Git history of a drift's objects is: the commit it was computed against, and
/// the files of objects that are not in their canonical ones.
#[derive(Clone)]
struct HistoryAt {
    commit: String,
    moved: Arc<BTreeMap<ObjectKey, String>>,
}

impl std::fmt::Debug for Fabric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fabric")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

/// Git's state as a pass reads it.
struct GitRead {
    commit: String,
    snapshot: Snapshot,
    plan: Option<Plan>,
    published: Option<String>,
    /// The commit the plan was rebased on.
    base: Option<String>,
    /// The commit the desired state agrees with after a publish.
    agreed: Option<String>,
    /// The commit that adopted the layout.
    adopted: Option<String>,
}

impl GitRead {
    /// The tip as read, with no plan.
    fn of(tree: Tree, snapshot: Snapshot) -> GitRead {
        GitRead {
            commit: tree.commit.to_hex(),
            snapshot,
            plan: None,
            published: None,
            base: None,
            agreed: None,
            adopted: None,
        }
    }
}

impl Fabric {
    /// Checks the settings and builds the cluster client; sends no request. A Git or
    /// cluster URL with a password in it is refused: secrets come as credentials.
    pub async fn new(settings: FabricSettings) -> Result<Fabric, SyncError> {
        let layout =
            Layout::new(&settings.git.base_dir).map_err(|e| SyncError::Settings(e.to_string()))?;
        if settings.git.url.trim().is_empty() {
            return Err(SyncError::Settings("the Git URL is empty".into()));
        }
        if url_has_password(&settings.git.url) {
            return Err(SyncError::Settings(format!(
                "the Git URL {} contains a password; give it (or a token) as the credentials \
                 instead, so it is never stored or shown",
                redact_url(&settings.git.url)
            )));
        }
        let cluster = match &settings.cluster {
            Some(config) => Some(Cluster::connect(config).await?),
            None => None,
        };
        Ok(Fabric {
            inner: Arc::new(Inner {
                settings,
                layout,
                cluster,
                live: Mutex::default(),
                watch: Mutex::default(),
                watch_thread: Mutex::default(),
                touched: Mutex::default(),
                passing: Arc::default(),
                agreed: Mutex::default(),
                fence: Mutex::default(),
            }),
        })
    }

    /// Makes every later write of this fabric (a commit, a push, an apply) ask `fence` first
    /// and fail with [`SyncError::Fenced`] when it says no. A process that shares fabrics
    /// with others under leases sets it, so that a process which lost a lease (paused, cut
    /// off) stops writing even before it notices; the push's compare-and-swap guards what
    /// remains (a write already past the check).
    pub fn set_write_fence(&self, fence: Option<WriteFence>) {
        *lock(&self.inner.fence) = fence;
    }

    fn check_fence(&self) -> Result<(), SyncError> {
        let fence = lock(&self.inner.fence).clone();
        match fence {
            Some(allowed) if !allowed() => Err(SyncError::Fenced(self.name().to_owned())),
            _ => Ok(()),
        }
    }

    /// Stops the cluster watch, if one runs (a later [`Fabric::watch`] starts a new one).
    /// The drift keeps its last state; it is no longer kept current.
    pub fn stop_watch(&self) {
        // The thread ends when the watch's channel closes, i.e. when the watch is dropped.
        lock(&self.inner.watch_thread).take();
        lock(&self.inner.watch).take();
    }

    /// The fabric's name.
    pub fn name(&self) -> &str {
        &self.inner.settings.name
    }

    /// The settings the fabric was made with.
    pub fn settings(&self) -> &FabricSettings {
        &self.inner.settings
    }

    /// The cluster connection, when one is configured.
    pub fn cluster(&self) -> Option<&Cluster> {
        self.inner.cluster.as_ref()
    }

    /// Tests the Git remote and the cluster. Never fails: problems are in the report.
    pub async fn test_connection(&self) -> ConnectionTest {
        let git = self.inner.settings.git.clone();
        let status = tokio::task::spawn_blocking(move || {
            test_remote(&git.url, &git.branch, &git.credentials)
        })
        .await;
        let git = match status {
            Ok(s) => GitConnection {
                reachable: s.reachable,
                default_branch: s.default_branch,
                head: s.head.map(|c| c.to_hex()),
                can_push: s.can_push,
                error: s.error,
            },
            Err(e) => GitConnection {
                reachable: false,
                default_branch: None,
                head: None,
                can_push: None,
                error: Some(format!("the Git check did not finish: {e}")),
            },
        };
        let cluster = match &self.inner.cluster {
            Some(c) => Some(c.test_connection().await),
            None => None,
        };
        ConnectionTest { git, cluster }
    }

    /// Runs one sync pass; see the module docs. The drift it computes becomes the fabric's
    /// current drift. Passes of one fabric run one after the other.
    pub async fn pass(&self, request: PassRequest) -> Result<PassReport, SyncError> {
        let passing = self.inner.passing.clone().lock_owned().await;
        let started = Instant::now();
        let policy = request.policy;
        let fabric = self.clone();
        // The request comes back from the Git step, so the desired state is never copied.
        let (request, read, _passing) = blocking(move || {
            let read = fabric.read_git(&request)?;
            Ok((request, read, passing))
        })
        .await?;
        let desired = request.desired;

        let mut applied = Vec::new();
        let mut cluster_summary = None;
        let mut cluster_snapshot = None;
        let mut from_watch = false;
        // Ends the recording of watch events however the pass ends.
        let _stop_recording = StopRecording(&self.inner.touched);
        if let Some(cluster) = &self.inner.cluster {
            if policy == Policy::Apply {
                self.check_fence()?;
                let objects: Vec<Value> =
                    read.snapshot.objects.values().map(Entry::value).collect();
                applied = cluster.apply(&objects, ApplyOptions::default()).await?;
            }
            *lock(&self.inner.touched) = Some(BTreeSet::new());
            let listed = match self.watch_handle() {
                Some(watch) if watch.is_ready() => {
                    from_watch = true;
                    watch.snapshot()
                }
                _ => cluster.list_all(DEFAULT_PAGE_SIZE).await?,
            };
            cluster_summary = Some(ClusterSummary {
                objects: listed.objects.len(),
                errors: listed.errors.clone(),
                missing_kinds: listed.missing_kinds.clone(),
            });
            let mut snapshot =
                Snapshot::from_cluster(listed.objects.into_iter().map(|o| o.value).collect());
            snapshot.unread = listed.errors.iter().map(unread_kind).collect();
            cluster_snapshot = Some(snapshot);
        }

        // After a publish (or finding nothing to publish) Git holds the desired state, merged
        // with what others committed, so Git stands for it; otherwise the desired state is
        // compared as it is.
        let desired = if read.agreed.is_some() { None } else { desired };
        let problems = read.snapshot.problems.clone();
        let fabric = self.clone();
        let at = HistoryAt {
            commit: read.commit.clone(),
            moved: Arc::new(read.snapshot.moved(&self.inner.layout)),
        };
        let git = read.snapshot;
        let at_pass = at.clone();
        let mut drift = blocking(move || {
            Drift::compute(desired, git, cluster_snapshot, |keys| {
                fabric.history(&at_pass, keys)
            })
        })
        .await?;
        if let (Some(cluster), true) = (&self.inner.cluster, self.inner.settings.server_dry_run) {
            settle_by_dry_run(cluster, &mut drift).await?;
        }
        let report = self.install(drift, at, from_watch);
        Ok(PassReport {
            fabric: self.name().to_owned(),
            policy,
            commit: read.commit,
            published: read.published,
            adopted: read.adopted,
            base: read.base,
            agreed: read.agreed,
            plan: read.plan.as_ref().map(PlanSummary::from),
            cluster: cluster_summary,
            applied,
            drift: report,
            problems,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Makes `drift` the current drift, after replaying the watch events that arrived while
    /// the pass read the cluster, and bringing its unread kinds up to date with the watch
    /// (`from_watch`: the pass read the watch's store, so the watch alone says which kinds
    /// are unread; otherwise kinds the listing could not read stay unread); returns its
    /// report. The replay needs the lock (an event must not fall between the replay and the
    /// install) but no I/O happens under it: Git history the replay needs is read afterwards,
    /// see [`Fabric::fill_history`].
    fn install(&self, mut drift: Drift, at: HistoryAt, from_watch: bool) -> DriftReport {
        let (report, deferred) = {
            let mut live = self.lock_live();
            let touched = lock(&self.inner.touched).take().unwrap_or_default();
            let mut deferred = Vec::new();
            if let Some(watch) = self.watch_handle() {
                for key in touched {
                    let revised = match watch.get(&key) {
                        Some(object) => drift.update_cluster(object.value, |_| Err(Deferred)),
                        None => drift.remove_cluster(&key, |_| Err(Deferred)),
                    };
                    if revised.is_err() {
                        deferred.push(key);
                    }
                }
                sync_unread(&mut drift, &watch, from_watch, &mut deferred);
            }
            let report = drift.report();
            *live = Some(Live {
                drift,
                history: at.clone(),
            });
            (report, deferred)
        };
        if deferred.is_empty() {
            return report;
        }
        self.fill_history(&at, &deferred);
        self.drift().unwrap_or(report)
    }

    /// Reads the Git history of `keys` at `at` — I/O that may open or even clone the
    /// cache repository, so with no lock held — and adds it to the current drift if that is
    /// still computed against the same commit. Until then the objects are evaluated without their
    /// history (`drifted` rather than `pending_apply`), as they stay when the read fails;
    /// the next pass reads history again.
    fn fill_history(&self, at: &HistoryAt, keys: &[ObjectKey]) {
        if keys.is_empty() {
            return;
        }
        let Ok(history) = self.history(at, keys) else {
            return;
        };
        if let Some(live) = self.lock_live().as_mut()
            && live.history.commit == at.commit
        {
            live.drift.add_history(history);
        }
    }

    fn history(&self, at: &HistoryAt, keys: &[ObjectKey]) -> Result<History, SyncError> {
        let repo = self.open_repo()?;
        Ok(self.engine(&repo).history_in(&at.commit, keys, &at.moved)?)
    }

    /// The drift of the last pass, kept current by the watch; `None` before the first pass.
    pub fn drift(&self) -> Option<DriftReport> {
        self.lock_live().as_ref().map(|l| l.drift.report())
    }

    /// The Git side of the last pass (the objects at the commit it compared, normalised);
    /// `None` before the first pass. For pictures of the fabric as Git has it.
    pub fn git_objects(&self) -> Option<Vec<Value>> {
        self.lock_live().as_ref().map(|l| {
            let git = l.drift.git();
            git.objects.values().map(Entry::value).collect()
        })
    }

    /// The roll-up and counts of [`Fabric::drift`], without copying the per-object report
    /// (for status pages and metrics).
    pub fn drift_summary(&self) -> Option<Summary> {
        self.lock_live().as_ref().map(|l| l.drift.summary())
    }

    /// Starts the cluster watch (once; later calls do nothing). Watch events revise the
    /// current drift one object at a time. Needs a configured cluster.
    pub async fn watch(&self) -> Result<(), SyncError> {
        let Some(cluster) = &self.inner.cluster else {
            return Err(SyncError::Settings(format!(
                "fabric `{}` has no cluster to watch",
                self.name()
            )));
        };
        if self.watch_handle().is_some() {
            return Ok(());
        }
        let (watch, mut events) = ClusterWatch::start(cluster, WATCH_EVENTS).await?;
        let watch = Arc::new(watch);
        {
            let mut slot = lock(&self.inner.watch);
            if slot.is_some() {
                return Ok(());
            }
            *slot = Some(watch.clone());
        }
        // A plain thread, because drift updates may read Git history, which blocks. It holds
        // the fabric weakly: dropping the fabric drops the watch, which closes the channel.
        let fabric = Arc::downgrade(&self.inner);
        let watch = Arc::downgrade(&watch);
        let thread = std::thread::Builder::new()
            .name(format!("hedgehog-watch-{}", self.name()))
            .spawn(move || {
                while let Some(event) = events.blocking_recv() {
                    let (Some(inner), Some(watch)) = (fabric.upgrade(), watch.upgrade()) else {
                        break;
                    };
                    let fabric = Fabric { inner };
                    match event.change {
                        ChangeKind::Applied => {
                            let value = watch.get(&event.key).map(|o| o.value);
                            fabric.apply_watch_event(&event.key, value);
                        }
                        ChangeKind::Deleted => {
                            fabric.apply_watch_event(&event.key, None);
                        }
                        ChangeKind::Unreadable | ChangeKind::Readable => {
                            fabric.apply_watch_health(&event.key, &watch.failing());
                        }
                    }
                }
            })
            .map_err(|e| SyncError::Internal(format!("cannot start the watch thread: {e}")))?;
        *lock(&self.inner.watch_thread) = Some(thread);
        Ok(())
    }

    /// Why the cluster watch no longer keeps the drift current, if a part of it died (its
    /// event thread, or the watch of a kind); `None` while it runs or before it started.
    pub fn watch_failure(&self) -> Option<String> {
        let thread_ended = lock(&self.inner.watch_thread)
            .as_ref()
            .is_some_and(std::thread::JoinHandle::is_finished);
        if thread_ended {
            return Some("the thread applying watch events to the drift ended".to_owned());
        }
        let stopped = self.watch_handle()?.stopped_kinds();
        (!stopped.is_empty()).then(|| {
            let names: Vec<&str> = stopped.iter().map(|k| k.name()).collect();
            format!("the watch of {} ended", names.join(", "))
        })
    }

    /// Readiness, last event and errors of the watch, once started.
    pub fn watch_status(&self) -> Option<WatchStatus> {
        self.watch_handle().map(|w| w.status())
    }

    /// Revises the current drift for one cluster object (`None`: deleted). Returns the
    /// object's new drift, or `None` before the first pass. The object's Git history, when
    /// it is needed and not known yet, is read without holding the lock that readers of the
    /// drift ([`Fabric::drift`], [`Fabric::drift_summary`]) need; until it is read the
    /// object is evaluated without it (`drifted` rather than `pending_apply`).
    pub fn apply_watch_event(&self, key: &ObjectKey, value: Option<Value>) -> Option<ObjectDrift> {
        let at = {
            let mut live = self.lock_live();
            if let Some(touched) = lock(&self.inner.touched).as_mut() {
                touched.insert(key.clone());
            }
            let live = live.as_mut()?;
            let revised = match value {
                Some(value) => live.drift.update_cluster(value, |_| Err(Deferred)),
                None => live.drift.remove_cluster(key, |_| Err(Deferred)),
            };
            match revised {
                Ok(object) => return Some(object),
                Err(Deferred) => live.history.clone(),
            }
        };
        self.fill_history(&at, std::slice::from_ref(key));
        self.lock_live().as_ref().map(|l| l.drift.object(key))
    }

    /// Marks the kind of `kind_key` unread or read again in the current drift, as the
    /// watch's `failing` kinds say.
    fn apply_watch_health(&self, kind_key: &ObjectKey, failing: &[KindError]) {
        let reason = failing
            .iter()
            .map(unread_kind)
            .find(|u| u.holds(kind_key))
            .map(|u| u.reason);
        let mut live = self.lock_live();
        let Some(live) = live.as_mut() else { return };
        let at = live.history.clone();
        let history = |keys: &[ObjectKey]| self.history(&at, keys);
        // Without their history, objects are still evaluated; the next pass reads it again.
        let _ = live
            .drift
            .set_unread(&kind_key.api_group, &kind_key.kind, reason, history);
    }

    fn watch_handle(&self) -> Option<Arc<ClusterWatch>> {
        lock(&self.inner.watch).clone()
    }

    fn lock_live(&self) -> MutexGuard<'_, Option<Live>> {
        lock(&self.inner.live)
    }

    fn open_repo(&self) -> Result<Repo, SyncError> {
        let git = &self.inner.settings.git;
        std::fs::create_dir_all(&self.inner.settings.cache_dir).map_err(|e| {
            SyncError::Settings(format!(
                "cannot create the cache directory {}: {e}",
                self.inner.settings.cache_dir.display()
            ))
        })?;
        Ok(Repo::clone_or_open(
            &git.url,
            &self.inner.settings.cache_dir,
            &git.credentials,
        )?)
    }

    fn engine<'r>(&self, repo: &'r Repo) -> Engine<'r> {
        Engine::new(
            repo,
            self.inner.layout.clone(),
            &self.inner.settings.git.branch,
        )
    }

    /// Steps 1–3 of a pass (blocking).
    fn read_git(&self, request: &PassRequest) -> Result<GitRead, SyncError> {
        let git = &self.inner.settings.git;
        let repo = self.open_repo()?;
        let _cache = repo.lock()?;
        repo.fetch(&git.credentials)?;
        let engine = self.engine(&repo);
        let adopted = if request.adopt_layout && request.policy != Policy::Detect {
            self.check_fence()?;
            self.adopt_layout(&engine, request)?
        } else {
            None
        };
        let Some(desired) = &request.desired else {
            let (tree, snapshot) = self.read_tip(&repo, &engine)?;
            return Ok(GitRead {
                adopted,
                ..GitRead::of(tree, snapshot)
            });
        };
        let base_commit = request
            .base
            .clone()
            .or_else(|| lock(&self.inner.agreed).clone());
        let base = match &base_commit {
            Some(commit) => Some(
                engine
                    .read(commit)
                    .map_err(|source| SyncError::BaseMissing {
                        commit: commit.clone(),
                        source: Box::new(source),
                    })?
                    .1,
            ),
            None => None,
        };
        let config = self.inner.settings.config.clone();
        let deletions = DeletionGuard {
            max_percent: self.inner.settings.max_delete_percent,
            allow: request.allow_deletions,
        };
        if request.policy == Policy::Detect {
            let (tree, snapshot) = self.read_tip(&repo, &engine)?;
            let options = PlanOptions {
                config,
                base,
                deletions,
            };
            let planned = plan_on(desired, &tree, &snapshot, &self.inner.layout, &options);
            // Nothing is published, but an empty desired state is an error in every policy.
            if let Some(refusal) = &planned.deletions.refusal
                && refusal.code == EMPTY_DESIRED_STATE
            {
                return Err(SyncError::Refused(PlanRefused {
                    errors: Vec::new(),
                    conflicts: Vec::new(),
                    deletion: Some(refusal.clone()),
                }));
            }
            return Ok(GitRead {
                plan: Some(planned),
                base: base_commit,
                ..GitRead::of(tree, snapshot)
            });
        }
        let options = PublishOptions {
            message: &request.message,
            author: &request.author,
            force: request.force,
            config,
            max_attempts: PUBLISH_ATTEMPTS,
            base,
            deletions,
        };
        self.check_fence()?;
        let outcome = engine.publish(desired, &git.credentials, &options)?;
        let (published, landed) = match outcome.published {
            Published::Pushed { commit, .. } => (Some(commit.to_hex()), commit),
            Published::NothingToDo { tip } => (None, tip),
        };
        // Where the plan kept others' edits, the desired state does not agree with the commit
        // itself; see `Engine::agree`.
        let agreed = if outcome.plan.merged.is_empty() {
            landed
        } else {
            engine.agree(desired, landed, &request.author)?
        };
        *lock(&self.inner.agreed) = Some(agreed.to_hex());
        let (tree, snapshot) = self.read_tip(&repo, &engine)?;
        Ok(GitRead {
            plan: Some(outcome.plan),
            published,
            base: base_commit,
            agreed: Some(agreed.to_hex()),
            adopted,
            ..GitRead::of(tree, snapshot)
        })
    }

    /// Publishes the adoption of the layout as a commit of its own; its id, if one was
    /// needed.
    fn adopt_layout(
        &self,
        engine: &Engine<'_>,
        request: &PassRequest,
    ) -> Result<Option<String>, SyncError> {
        let options = PublishOptions {
            message: "",
            author: &request.author,
            force: false,
            config: self.inner.settings.config.clone(),
            max_attempts: PUBLISH_ATTEMPTS,
            base: None,
            deletions: DeletionGuard::default(),
        };
        let outcome = engine.publish_adoption(&self.inner.settings.git.credentials, &options)?;
        Ok(match outcome.published {
            Published::Pushed { commit, .. } => Some(commit.to_hex()),
            Published::NothingToDo { .. } => None,
        })
    }
}

impl Fabric {
    /// The remote branch's files and objects as of the last fetch.
    fn read_tip(&self, repo: &Repo, engine: &Engine<'_>) -> Result<(Tree, Snapshot), SyncError> {
        let git = &self.inner.settings.git;
        if repo.head(&git.branch)?.remote.is_none() {
            return Err(SyncError::Git(GitError::NotFound {
                what: "branch",
                name: git.branch.clone(),
                repo: PathBuf::from(redact_url(&git.url)),
            }));
        }
        Ok(engine.read(&format!("origin/{}", git.branch))?)
    }
}

/// A kind the cluster could not be read for, as the drift names it.
fn unread_kind(e: &KindError) -> UnreadKind {
    UnreadKind {
        api_group: e.kind.group().to_owned(),
        kind: e.kind.name().to_owned(),
        reason: e.error.message.clone(),
    }
}

/// Marks drifted objects in sync when a server-side dry-run apply of their Git version would
/// change nothing in the cluster.
async fn settle_by_dry_run(cluster: &Cluster, drift: &mut Drift) -> Result<(), SyncError> {
    let drifted: Vec<Value> = drift
        .report()
        .objects
        .into_iter()
        .filter(|o| o.state == crate::drift::State::Drifted)
        .filter_map(|o| {
            let key = ObjectKey {
                api_group: o.api_group,
                kind: o.kind,
                namespace: o.namespace,
                name: o.name,
            };
            let mut value = drift.git().objects.get(&key)?.value();
            // Keep the cluster's resourceVersion as the object's provenance.
            if let (Some(rv), Some(meta)) = (o.resource_version, value.get_mut("metadata")) {
                meta["resourceVersion"] = Value::String(rv);
            }
            Some(value)
        })
        .collect();
    if drifted.is_empty() {
        return Ok(());
    }
    let dry_run = ApplyOptions {
        dry_run: true,
        force: false,
    };
    let results = cluster.apply(&drifted, dry_run).await?;
    for (value, result) in drifted.into_iter().zip(results) {
        if result.outcome == crate::kube::ApplyOutcome::Unchanged {
            // Cluster = Git now, so no history is needed.
            let _ = drift.update_cluster(value, |_| Ok::<_, SyncError>(History::new()));
        }
    }
    Ok(())
}

/// Brings `drift`'s unread kinds up to date with the watch: kinds whose watch is failing are
/// unread; kinds it reads again are read (only when the pass read the watch's store). Keys
/// whose Git history is then needed are added to `deferred`, to be read without the lock.
fn sync_unread(
    drift: &mut Drift,
    watch: &ClusterWatch,
    from_watch: bool,
    deferred: &mut Vec<ObjectKey>,
) {
    let failing: Vec<UnreadKind> = watch.failing().iter().map(unread_kind).collect();
    let recovered: Vec<UnreadKind> = drift
        .unread()
        .iter()
        .filter(|u| from_watch && !failing.iter().any(|f| f.kind == u.kind))
        .cloned()
        .collect();
    let mut later = |keys: &[ObjectKey]| {
        deferred.extend_from_slice(keys);
        Err::<History, _>(Deferred)
    };
    for u in recovered {
        let _ = drift.set_unread(&u.api_group, &u.kind, None, &mut later);
    }
    for u in failing {
        let _ = drift.set_unread(&u.api_group, &u.kind, Some(u.reason), &mut later);
    }
}

/// What a drift revision's `history` returns under the lock: the history is needed, and is
/// read after the lock is released.
struct Deferred;

/// Stops recording the keys of watch events when a pass ends.
struct StopRecording<'a>(&'a Mutex<Option<BTreeSet<ObjectKey>>>);

impl Drop for StopRecording<'_> {
    fn drop(&mut self) {
        *lock(self.0) = None;
    }
}

/// Locks a mutex; a panic elsewhere while it was held leaves data that is still consistent
/// (every update is a single assignment or a drift revision that recounts), so poisoning is
/// ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs blocking work on Tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SyncError::Internal(format!("a pass worker failed: {e}")))?
}
