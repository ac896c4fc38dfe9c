//! What the daemon knows: its fabrics with their status, the sync operations, and the small
//! state file that keeps the last successful pass of each fabric across restarts.

use hedgehog_sync::codes;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hedgehog_sync::fabric::{Fabric, PassReport, PassRequest, SyncError};
use hedgehog_sync::git::Signature;
use hedgehog_sync::snapshot::Snapshot;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use super::config::FabricSpec;
use super::coordination::gate::Gate;
use super::metrics::Metrics;
use super::tasks::TaskHealth;

/// Operations kept for `GET /v1/operations/{id}`.
const KEPT_OPERATIONS: usize = 256;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Locks a mutex; the data behind the daemon's mutexes stays consistent when a holder
/// panics (each update is one assignment), so poisoning is ignored.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A successful pass, as kept and reported.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SyncRecord {
    /// When it finished (ms since the Unix epoch).
    pub finished_unix_ms: u64,
    /// The branch tip the drift was computed against.
    pub commit: String,
    /// The commit the pass published, if any.
    pub published: Option<String>,
    /// How long it took.
    pub duration_ms: u64,
    /// The fabric roll-up then (`in_sync`, `drift_detected`, …).
    pub status: String,
    /// Files the plan of the desired state would add, update and delete (empty without a
    /// desired state or after publishing).
    pub pending: Pending,
    /// The commit the desired state last agreed with (after a publish, or a plan with
    /// nothing to publish): the next pass rebases on it, so what other writers committed
    /// since is merged or reported as a conflict, never reverted. Kept across restarts.
    #[serde(default)]
    pub base_commit: Option<String>,
}

/// Pending file changes of the last plan.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Pending {
    /// Files to add.
    pub add: Vec<String>,
    /// Files to rewrite.
    pub update: Vec<String>,
    /// Files to delete.
    pub delete: Vec<String>,
}

/// A failed pass.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ErrorRecord {
    /// When (ms since the Unix epoch).
    pub unix_ms: u64,
    /// Stable code (`git.conflict`, `plan.refused`, `plan.conflict`,
    /// `plan.empty-desired-state`, `plan.mass-deletion`, `kube.unauthorized`, …).
    pub code: String,
    /// What failed (never a secret).
    pub message: String,
    /// For `plan.conflict`: the objects the desired state and another writer both changed,
    /// with the fields in conflict (base, desired and Git values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<serde_json::Value>,
}

impl ErrorRecord {
    fn new(unix_ms: u64, e: &SyncError) -> ErrorRecord {
        let conflicts = match e {
            SyncError::Refused(r) => r
                .conflicts
                .iter()
                .filter_map(|c| serde_json::to_value(c).ok())
                .collect(),
            _ => Vec::new(),
        };
        ErrorRecord {
            unix_ms,
            code: e.code().to_owned(),
            message: e.to_string(),
            conflicts,
        }
    }
}

/// How a fabric stands after its last pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FabricState {
    /// No pass has finished since the daemon started.
    Pending,
    /// The last pass succeeded.
    Ok,
    /// The last pass was refused: the desired state and another writer's commit changed the
    /// same fields (`plan.conflict`); nothing was committed.
    Conflict,
    /// The last pass was refused by the deletion guard or change-safety rules (`plan.*`);
    /// nothing was committed.
    Refused,
    /// The last pass failed otherwise (Git, cluster, settings).
    Failing,
}

impl FabricState {
    /// Every state, in the order metrics list them.
    pub const ALL: [FabricState; 5] = [
        FabricState::Pending,
        FabricState::Ok,
        FabricState::Conflict,
        FabricState::Refused,
        FabricState::Failing,
    ];

    /// The state's name in the API and metrics.
    pub const fn as_str(self) -> &'static str {
        match self {
            FabricState::Pending => "pending",
            FabricState::Ok => "ok",
            FabricState::Conflict => "conflict",
            FabricState::Refused => "refused",
            FabricState::Failing => "failing",
        }
    }
}

/// How an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OperationState {
    /// Started, not finished.
    Running,
    /// Finished; see `result`.
    Succeeded,
    /// Finished; see `error`.
    Failed,
}

/// One sync pass started by the scheduler or a request.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Operation {
    /// Its id.
    pub id: String,
    /// The fabric.
    pub fabric: String,
    /// `scheduled` or `request`.
    pub trigger: String,
    /// Running, succeeded or failed.
    pub state: OperationState,
    /// When it started (ms since the Unix epoch).
    pub started_unix_ms: u64,
    /// When it finished.
    pub finished_unix_ms: Option<u64>,
    /// The outcome of a successful pass.
    pub result: Option<SyncRecord>,
    /// The error of a failed pass.
    pub error: Option<ErrorRecord>,
}

/// Mutable status of one fabric.
#[derive(Debug, Default)]
pub struct Status {
    /// The last successful pass.
    pub last_sync: Option<SyncRecord>,
    /// The last failure (cleared by a success).
    pub last_error: Option<ErrorRecord>,
    /// Failures since the last success (drives the backoff).
    pub failures: u32,
    /// The operation running now.
    pub running: Option<String>,
    /// A pass has finished (either way) since the daemon started.
    pub attempted: bool,
    /// Among several replicas: the base commit the fabric's previous owner recorded in its
    /// Lease, taken over with the fabric; it wins over this replica's own (older) one until
    /// a pass here succeeds.
    pub inherited_base: Option<String>,
}

impl Status {
    /// The commit the desired state last agreed with: the next pass rebases on it.
    pub fn base_commit(&self) -> Option<String> {
        self.inherited_base
            .clone()
            .or_else(|| self.last_sync.as_ref().and_then(|s| s.base_commit.clone()))
    }

    /// How the fabric stands after its last pass.
    pub fn state(&self) -> FabricState {
        match &self.last_error {
            _ if !self.attempted => FabricState::Pending,
            None => FabricState::Ok,
            Some(e) if e.code == codes::PLAN_CONFLICT.code => FabricState::Conflict,
            Some(e) if e.code.starts_with("plan.") => FabricState::Refused,
            Some(_) => FabricState::Failing,
        }
    }
}

/// One fabric the daemon runs.
pub struct FabricEntry {
    /// The engine.
    pub fabric: Fabric,
    /// Its configuration.
    pub spec: FabricSpec,
    /// Its status.
    pub status: Mutex<Status>,
    /// Notified when a pass of this fabric finishes.
    pub wake: Notify,
    /// Whether this replica may work on the fabric now (always, without coordination).
    pub gate: Arc<Gate>,
    /// The running pass's task, so that losing the fabric's Lease can stop it.
    pass_task: Mutex<Option<AbortHandle>>,
}

impl FabricEntry {
    /// Stops this replica's work on the fabric (its Lease is lost or given up): closes the
    /// gate, aborts the running pass and stops the cluster watch. A pass stopped in its
    /// blocking Git work finishes that step, but its write fence refuses any commit, push or
    /// apply from then on.
    pub fn fence(&self) {
        self.gate.close();
        if let Some(task) = lock(&self.pass_task).take() {
            task.abort();
        }
        self.fabric.stop_watch();
    }
}

/// The state file: the last successful pass of each fabric.
#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    fabrics: BTreeMap<String, SyncRecord>,
}

/// Everything the handlers and the scheduler share.
pub struct Daemon {
    /// Fabrics by name.
    pub fabrics: BTreeMap<String, Arc<FabricEntry>>,
    operations: Mutex<(HashMap<String, Operation>, VecDeque<String>)>,
    next_id: AtomicU64,
    /// Differs between processes, so that replicas never hand out the same operation id (an
    /// operation unknown to one replica is asked for at the others).
    process_tag: u32,
    state_file: Option<PathBuf>,
    /// Held while the state file is written: one writer at a time.
    save_lock: Mutex<()>,
    /// Counters and gauges for `/metrics`.
    pub metrics: Metrics,
    /// Long-running tasks that died (they fail `/readyz`).
    pub tasks: TaskHealth,
}

/// Whether a pass was started or one was already running.
pub struct Started {
    /// The operation (the running one if there was one).
    pub operation: Operation,
    /// `false` when a pass of the fabric was already running.
    pub new: bool,
}

impl Daemon {
    /// The daemon state for `fabrics`, with the last passes read from `data_dir`'s state file.
    pub fn new(fabrics: Vec<(Fabric, FabricSpec)>, data_dir: Option<&Path>) -> Daemon {
        let state_file = data_dir.map(|d| d.join("state.json"));
        let saved = state_file.as_deref().map(load_state).unwrap_or_default();
        let fabrics = fabrics
            .into_iter()
            .map(|(fabric, spec)| {
                let name = fabric.name().to_owned();
                let status = Status {
                    last_sync: saved.fabrics.get(&name).cloned(),
                    ..Status::default()
                };
                let entry = FabricEntry {
                    fabric,
                    spec,
                    status: Mutex::new(status),
                    wake: Notify::new(),
                    gate: Arc::default(),
                    pass_task: Mutex::default(),
                };
                (name, Arc::new(entry))
            })
            .collect();
        Daemon {
            fabrics,
            operations: Mutex::default(),
            next_id: AtomicU64::new(1),
            process_tag: process_tag(),
            state_file,
            save_lock: Mutex::new(()),
            metrics: Metrics::default(),
            tasks: TaskHealth::default(),
        }
    }

    /// An operation by id.
    pub fn operation(&self, id: &str) -> Option<Operation> {
        lock(&self.operations).0.get(id).cloned()
    }

    /// Starts a pass of `entry` unless one is running (single flight): the pass runs in the
    /// background; the returned operation is the new or the running one. `None` when this
    /// replica may not work on the fabric now (another replica holds its Lease).
    pub fn start_pass(
        self: &Arc<Self>,
        entry: &Arc<FabricEntry>,
        trigger: &str,
    ) -> Option<Started> {
        let mut status = lock(&entry.status);
        if let Some(running) = status.running.as_ref().and_then(|id| self.operation(id)) {
            return Some(Started {
                operation: running,
                new: false,
            });
        }
        if !entry.gate.permits() {
            return None;
        }
        let id = format!(
            "op-{}-{:08x}-{}",
            now_ms(),
            self.process_tag,
            self.next_id.fetch_add(1, Ordering::Relaxed)
        );
        let operation = Operation {
            id: id.clone(),
            fabric: entry.fabric.name().to_owned(),
            trigger: trigger.to_owned(),
            state: OperationState::Running,
            started_unix_ms: now_ms(),
            finished_unix_ms: None,
            result: None,
            error: None,
        };
        self.record(operation.clone());
        status.running = Some(id.clone());
        drop(status);
        let daemon = self.clone();
        let entry = entry.clone();
        tokio::spawn(async move { daemon.run_pass(entry, id).await });
        Some(Started {
            operation,
            new: true,
        })
    }

    async fn run_pass(self: Arc<Self>, entry: Arc<FabricEntry>, id: String) {
        let name = entry.fabric.name().to_owned();
        tracing::info!(fabric = %name, operation = %id, "sync pass started");
        let base = lock(&entry.status).base_commit();
        let result = match desired(entry.spec.desired.as_deref()).await {
            // Its own task, so that a panic in the pass is a failed pass, not a pass that
            // never ends (which would stop the fabric's scheduler for good).
            Ok(desired) => {
                let (fabric, request) = (entry.fabric.clone(), request(&entry.spec, desired, base));
                let task = tokio::spawn(async move { fabric.pass(request).await });
                *lock(&entry.pass_task) = Some(task.abort_handle());
                let outcome = task.await.unwrap_or_else(|e| {
                    Err(if e.is_cancelled() {
                        SyncError::Fenced(name.clone())
                    } else {
                        SyncError::Internal(format!("the pass failed: {e}"))
                    })
                });
                lock(&entry.pass_task).take();
                outcome
            }
            Err(e) => Err(e),
        };
        let finished = now_ms();
        self.finish_pass(&entry, &id, &name, finished, result);
        // The state file is written before the pass counts as finished, so shutdown (which
        // waits for running passes) never cuts a save short.
        let daemon = self.clone();
        match tokio::task::spawn_blocking(move || daemon.save()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot write the state file"),
            Err(e) => tracing::warn!(error = %e, "writing the state file failed"),
        }
        lock(&entry.status).running = None;
        entry.wake.notify_waiters();
        if entry.fabric.settings().cluster.is_some()
            && entry.gate.permits()
            && entry.fabric.watch_status().is_none()
            && let Err(e) = entry.fabric.watch().await
        {
            tracing::warn!(fabric = %name, error = %e, "cannot start the cluster watch");
        }
    }

    /// Records a finished pass in the fabric's status, its operation and the state file.
    fn finish_pass(
        &self,
        entry: &FabricEntry,
        id: &str,
        name: &str,
        finished: u64,
        result: Result<PassReport, SyncError>,
    ) {
        let mut status = lock(&entry.status);
        status.attempted = true;
        let mut operation = self.operation(id).unwrap_or_else(|| Operation {
            id: id.to_owned(),
            fabric: name.to_owned(),
            trigger: String::new(),
            state: OperationState::Running,
            started_unix_ms: finished,
            finished_unix_ms: None,
            result: None,
            error: None,
        });
        operation.finished_unix_ms = Some(finished);
        match result {
            Ok(report) => {
                let mut record = sync_record(&report, finished);
                if record.base_commit.is_none() {
                    record.base_commit = status.base_commit();
                }
                status.inherited_base = None;
                tracing::info!(fabric = %name, operation = %id, status = %record.status,
                    commit = %record.commit, duration_ms = record.duration_ms, "sync pass finished");
                self.metrics.pass_finished(name, report.duration_ms, true);
                status.last_sync = Some(record.clone());
                status.last_error = None;
                status.failures = 0;
                operation.state = OperationState::Succeeded;
                operation.result = Some(record);
            }
            Err(e) => {
                tracing::warn!(fabric = %name, operation = %id, code = e.code(), error = %e, "sync pass failed");
                let elapsed = finished.saturating_sub(operation.started_unix_ms);
                self.metrics.pass_finished(name, elapsed, false);
                self.metrics.pass_failed(name, e.code());
                let record = ErrorRecord::new(finished, &e);
                status.last_error = Some(record.clone());
                status.failures = status.failures.saturating_add(1);
                operation.state = OperationState::Failed;
                operation.error = Some(record);
            }
        }
        drop(status);
        self.record(operation);
    }

    fn record(&self, operation: Operation) {
        let mut ops = lock(&self.operations);
        let (map, order) = &mut *ops;
        if map
            .insert(operation.id.clone(), operation.clone())
            .is_none()
        {
            order.push_back(operation.id);
        }
        while order.len() > KEPT_OPERATIONS {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Writes the state file: one writer at a time (the state is read under the same lock,
    /// so the last write holds the latest state), a temporary file of its own in the same
    /// directory, fsync of the file, rename over the old one, fsync of the directory — so
    /// the file is always either the old or the new state, also after a crash.
    fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let _writer = lock(&self.save_lock);
        let state = StateFile {
            fabrics: self
                .fabrics
                .iter()
                .filter_map(|(name, e)| {
                    lock(&e.status).last_sync.clone().map(|s| (name.clone(), s))
                })
                .collect(),
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut file = tempfile::Builder::new()
            .prefix(".state.json.")
            .tempfile_in(dir)?;
        serde_json::to_writer_pretty(&mut file, &state)?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        sync_dir(dir)
    }

    /// Waits until no pass runs, or `limit` passes.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now().checked_add(limit);
        loop {
            let busy = self
                .fabrics
                .values()
                .any(|e| lock(&e.status).running.is_some());
            if !busy {
                return true;
            }
            if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A number that differs between processes: the process id and the start time's
/// nanoseconds.
fn process_tag() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::process::id().rotate_left(16) ^ nanos
}

/// Reads the state file. A missing one is a first start; one that cannot be parsed is kept
/// aside as `state.json.corrupt-<ms since the epoch>` with a warning (never silently
/// dropped, never overwritten), and the daemon starts without the last passes.
fn load_state(path: &Path) -> StateFile {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return StateFile::default(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e,
                "cannot read the state file; starting without the last passes");
            return StateFile::default();
        }
    };
    let e = match serde_json::from_slice::<StateFile>(&bytes) {
        Ok(state) => return state,
        Err(e) => e,
    };
    let aside = path.with_extension(format!("json.corrupt-{}", now_ms()));
    match std::fs::rename(path, &aside) {
        Ok(()) => tracing::warn!(path = %path.display(), kept = %aside.display(), error = %e,
            "the state file is corrupt; kept it aside and starting without the last passes"),
        Err(re) => tracing::warn!(path = %path.display(), error = %e, rename_error = %re,
            "the state file is corrupt and cannot be moved aside; starting without the last passes"),
    }
    StateFile::default()
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn request(spec: &FabricSpec, desired: Option<Snapshot>, base: Option<String>) -> PassRequest {
    PassRequest {
        policy: spec.policy,
        desired,
        base,
        author: Signature::new("hedgehogd", "hedgehogd@localhost"),
        message: format!("hedgehogd: sync {}", spec.settings.name),
        force: false,
        allow_deletions: spec.allow_deletions,
        adopt_layout: spec.adopt_layout,
    }
}

/// The desired state from its files, read on the blocking pool.
async fn desired(path: Option<&Path>) -> Result<Option<Snapshot>, SyncError> {
    let Some(path) = path else { return Ok(None) };
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || crate::desired::load(&path).map(Some))
        .await
        .map_err(|e| SyncError::Internal(e.to_string()))?
        .map_err(SyncError::Settings)
}

fn sync_record(report: &PassReport, finished: u64) -> SyncRecord {
    let pending = match (&report.plan, &report.published) {
        (Some(plan), None) => Pending {
            add: plan.add.clone(),
            update: plan.update.clone(),
            delete: plan.delete.clone(),
        },
        _ => Pending::default(),
    };
    SyncRecord {
        finished_unix_ms: finished,
        commit: report.commit.clone(),
        published: report.published.clone(),
        duration_ms: report.duration_ms,
        status: report.drift.summary.status.as_str().to_owned(),
        pending,
        base_commit: report.agreed.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::config::Config;

    async fn daemon(dir: &Path, fabrics: usize) -> Daemon {
        let mut text = String::new();
        for i in 0..fabrics {
            text.push_str(&format!(
                "[[fabrics]]\nname = \"f{i}\"\ngit = {{ url = \"file:///nonexistent.git\" }}\n"
            ));
        }
        let config = Config::parse(&text, dir).unwrap();
        let mut made = Vec::new();
        for spec in config.fabrics {
            made.push((Fabric::new(spec.settings.clone()).await.unwrap(), spec));
        }
        Daemon::new(made, Some(dir))
    }

    fn record(n: u64) -> SyncRecord {
        SyncRecord {
            finished_unix_ms: n,
            commit: format!("{n:040x}"),
            published: None,
            duration_ms: n,
            status: "in_sync".into(),
            pending: Pending::default(),
            base_commit: None,
        }
    }

    /// Saves from many threads at once (passes of different fabrics finishing together)
    /// while the file is read: every read is a whole state, every save succeeds, the last
    /// one wins and no temporary file is left behind. Before, all saves shared one temporary
    /// name: renames failed and readers saw half-written files.
    #[tokio::test]
    async fn concurrent_saves_never_tear_the_state_file() {
        let tmp = tempfile::tempdir().unwrap();
        let daemon = Arc::new(daemon(tmp.path(), 4).await);
        let path = tmp.path().join("state.json");
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut torn = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(bytes) = std::fs::read(&path)
                        && serde_json::from_slice::<StateFile>(&bytes).is_err()
                    {
                        torn += 1;
                    }
                }
                torn
            })
        };
        let writers: Vec<_> = (0..8u64)
            .map(|t| {
                let daemon = daemon.clone();
                std::thread::spawn(move || {
                    let entries: Vec<_> = daemon.fabrics.values().cloned().collect();
                    let mut failed = 0;
                    for n in 0..150 {
                        let entry = &entries[usize::try_from(n % 4).unwrap()];
                        lock(&entry.status).last_sync = Some(record(t * 1000 + n));
                        failed += usize::from(daemon.save().is_err());
                    }
                    failed
                })
            })
            .collect();
        let failed: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
        stop.store(true, Ordering::Relaxed);
        let torn = reader.join().unwrap();
        assert_eq!((failed, torn), (0, 0), "failed saves, torn reads");
        let saved: StateFile = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for (name, entry) in &daemon.fabrics {
            assert_eq!(
                saved.fabrics[name].commit,
                lock(&entry.status).last_sync.as_ref().unwrap().commit
            );
        }
        let files: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(files, ["state.json"]);
    }

    /// A state file that cannot be parsed is moved aside (not overwritten, not silently
    /// dropped) and the daemon starts without it.
    #[tokio::test]
    async fn a_corrupt_state_file_is_kept_aside() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("state.json"), "{\"fabrics\": {\"f0\": tru").unwrap();
        let daemon = daemon(tmp.path(), 1).await;
        assert!(lock(&daemon.fabrics["f0"].status).last_sync.is_none());
        let aside: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("state.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read_to_string(&aside[0]).unwrap(),
            "{\"fabrics\": {\"f0\": tru"
        );
        assert!(!tmp.path().join("state.json").exists());
    }
}
