//! Live watch: one kube-runtime watcher and store per served Hedgehog kind, plus change
//! events.
//!
//! A kind whose watch fails (an error from the API server, a dropped connection) is
//! *failing* from that error until it has listed again: after each error the kind's watch
//! starts over with a fresh list (after a backoff) instead of resuming quietly, so that its
//! recovery is observed. While a kind fails, its objects in the store may be stale:
//! [`ClusterWatch::snapshot`] names it in [`ClusterSnapshot::errors`] and a
//! [`ChangeKind::Unreadable`] event (then [`ChangeKind::Readable`]) tells consumers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use hedgehog_model::{Kind, ObjectKey};
use kube::api::DynamicObject;
use kube::runtime::WatchStreamExt;
use kube::runtime::reflector::{self, Store, store::Writer};
use kube::runtime::watcher::{self, Event};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::discovery::ServedKind;
use super::error::Redactor;
use super::{Cluster, ClusterObject, ClusterSnapshot, ErrorInfo, KindError, KubeError};

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Created or changed; read the object with [`ClusterWatch::get`].
    Applied,
    /// Gone from the cluster.
    Deleted,
    /// The kind's watch failed; its objects may be stale until [`ChangeKind::Readable`]. The
    /// event's key names the kind only (empty namespace and name).
    Unreadable,
    /// The kind's watch has listed again after failing; the changes it missed came first.
    Readable,
}

/// One change published by a [`ClusterWatch`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// Applied, deleted, or the health of a kind.
    pub change: ChangeKind,
    /// The object (the kind only for [`ChangeKind::Unreadable`] and [`ChangeKind::Readable`]).
    pub key: ObjectKey,
}

/// Health of a [`ClusterWatch`], for a status page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchStatus {
    /// Every watched kind has completed its initial list.
    pub ready: bool,
    /// Kinds watched.
    pub kinds: Vec<Kind>,
    /// Kinds whose initial list has completed.
    pub kinds_ready: Vec<Kind>,
    /// Objects in the store.
    pub objects: usize,
    /// Time of the last watch event (ms since the Unix epoch).
    pub last_event_unix_ms: Option<u64>,
    /// The last watch error; the watch lists again with backoff after each.
    pub last_error: Option<ErrorInfo>,
    /// Kinds whose watch is failing now (from an error until the kind has listed again).
    pub failing: Vec<KindError>,
    /// Relists done after the first list (410 Gone, reconnects).
    pub relists: u64,
    /// Watches the server ended with 410 Gone (the resource version they resumed from was
    /// compacted away, as after a long disconnection); each is followed by a relist.
    pub expired: u64,
}

#[derive(Default)]
struct Shared {
    ready: Vec<Kind>,
    last_event: Option<SystemTime>,
    last_error: Option<ErrorInfo>,
    relists: u64,
    expired: u64,
    failing: BTreeMap<Kind, ErrorInfo>,
}

/// The cluster objects of one fabric, kept current by watches; see the module docs.
///
/// Events are sent on a bounded channel: a consumer that stops reading pauses the watches
/// (back-pressure) instead of letting memory grow. Dropping the receiver is fine: the
/// store keeps updating. Dropping the `ClusterWatch` stops every watch.
pub struct ClusterWatch {
    stores: Vec<(ServedKind, Store<DynamicObject>)>,
    shared: Arc<Mutex<Shared>>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for ClusterWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterWatch")
            .field("status", &self.status())
            .finish()
    }
}

/// Server-side watch timeout; kube's default, below the 5-minute apiserver cap.
const WATCH_TIMEOUT_SECS: u32 = 290;
/// Wait before listing again after the first watch error; doubled per further error.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl ClusterWatch {
    /// Starts watching every served Hedgehog kind (discovery first). Needs a Tokio runtime.
    pub async fn start(
        cluster: &Cluster,
        event_capacity: usize,
    ) -> Result<(ClusterWatch, mpsc::Receiver<ChangeEvent>), KubeError> {
        let served = cluster.served_kinds().await?;
        let (tx, rx) = mpsc::channel(event_capacity.max(1));
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mut stores = Vec::new();
        let mut tasks = Vec::new();
        for kind in &served.served {
            let writer = Writer::new(kind.resource.clone());
            stores.push((kind.clone(), writer.as_reader()));
            let task = KindTask {
                kind: kind.clone(),
                api: cluster.api(kind, None),
                writer,
                tx: tx.clone(),
                shared: shared.clone(),
                redactor: cluster.redactor.clone(),
                known: HashMap::new(),
                relist: None,
                listed_once: false,
            };
            tasks.push(tokio::spawn(task.run()));
        }
        Ok((
            ClusterWatch {
                stores,
                shared,
                tasks,
            },
            rx,
        ))
    }

    /// Kinds whose watch task has ended (it only ends by a panic: the watch retries every
    /// error), so their objects are no longer kept current.
    pub fn stopped_kinds(&self) -> Vec<Kind> {
        self.stores
            .iter()
            .zip(&self.tasks)
            .filter(|(_, task)| task.is_finished())
            .map(|((kind, _), _)| kind.kind)
            .collect()
    }

    /// True once every watched kind has completed its initial list.
    pub fn is_ready(&self) -> bool {
        self.shared
            .lock()
            .map(|s| s.ready.len() >= self.stores.len())
            .unwrap_or(false)
    }

    /// Waits until every watched kind has completed its initial list, or `limit` passes.
    pub async fn wait_ready(&self, limit: Duration) -> bool {
        let all = futures::future::join_all(self.stores.iter().map(|(_, s)| s.wait_until_ready()));
        matches!(tokio::time::timeout(limit, all).await, Ok(r) if r.iter().all(Result::is_ok))
    }

    /// Readiness, counts, last event and last error.
    pub fn status(&self) -> WatchStatus {
        let failing = self.failing();
        let shared = self.shared.lock().ok();
        let kinds: Vec<Kind> = self.stores.iter().map(|(k, _)| k.kind).collect();
        let mut kinds_ready = shared.as_ref().map(|s| s.ready.clone()).unwrap_or_default();
        kinds_ready.sort();
        WatchStatus {
            ready: kinds_ready.len() >= kinds.len(),
            kinds,
            kinds_ready,
            objects: self.len(),
            last_event_unix_ms: shared
                .as_ref()
                .and_then(|s| s.last_event)
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            last_error: shared.as_ref().and_then(|s| s.last_error.clone()),
            relists: shared.as_ref().map_or(0, |s| s.relists),
            expired: shared.as_ref().map_or(0, |s| s.expired),
            failing,
        }
    }

    /// Kinds whose watch is failing now, with the error.
    pub fn failing(&self) -> Vec<KindError> {
        self.shared
            .lock()
            .map(|s| {
                s.failing
                    .iter()
                    .map(|(kind, error)| KindError {
                        kind: *kind,
                        error: error.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Number of objects in the store.
    pub fn len(&self) -> usize {
        self.stores.iter().map(|(_, s)| s.len()).sum()
    }

    /// True when the store holds no object.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The current object of a key.
    pub fn get(&self, key: &ObjectKey) -> Option<ClusterObject> {
        let (kind, store) = self
            .stores
            .iter()
            .find(|(k, _)| k.resource.kind == key.kind && k.resource.group == key.api_group)?;
        let mut obj_ref = reflector::ObjectRef::new_with(&key.name, kind.resource.clone());
        if !key.namespace.is_empty() {
            obj_ref = obj_ref.within(&key.namespace);
        }
        let obj = store.get(&obj_ref)?;
        ClusterObject::from_dynamic(&obj, &kind.resource).ok()
    }

    /// Every object in the store, as a snapshot sorted by key; kinds whose watch is failing
    /// are in [`ClusterSnapshot::errors`] (their objects may be stale).
    pub fn snapshot(&self) -> ClusterSnapshot {
        let mut objects: Vec<ClusterObject> = self
            .stores
            .iter()
            .flat_map(|(kind, store)| {
                store
                    .state()
                    .into_iter()
                    .filter_map(|o| ClusterObject::from_dynamic(&o, &kind.resource).ok())
            })
            .collect();
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        ClusterSnapshot {
            objects,
            errors: self.failing(),
            missing_kinds: Vec::new(),
        }
    }
}

impl Drop for ClusterWatch {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The event loop of one kind: keeps its store and turns watcher events into change events.
/// Keeps only name → resourceVersion per object, so a relist publishes just what changed
/// meanwhile.
struct KindTask {
    kind: ServedKind,
    api: kube::Api<DynamicObject>,
    writer: Writer<DynamicObject>,
    tx: mpsc::Sender<ChangeEvent>,
    shared: Arc<Mutex<Shared>>,
    redactor: Redactor,
    known: HashMap<(String, String), Option<String>>,
    relist: Option<HashMap<(String, String), Option<String>>>,
    listed_once: bool,
}

impl KindTask {
    /// Watches until the task is aborted: after an error (or an ended stream) the kind lists
    /// again, after a backoff that grows until a list completes.
    async fn run(mut self) {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let config = watcher::Config::default()
                .page_size(500)
                .timeout(WATCH_TIMEOUT_SECS);
            let stream = watcher::watcher(self.api.clone(), config)
                .modify(|o: &mut DynamicObject| o.metadata.managed_fields = None);
            let mut stream = std::pin::pin!(stream);
            while let Some(item) = stream.next().await {
                match item {
                    Ok(event) => {
                        if matches!(event, Event::InitDone) {
                            backoff = FIRST_BACKOFF;
                        }
                        self.writer.apply_watcher_event(&event);
                        self.touch(None);
                        self.on_event(event).await;
                    }
                    Err(e) => {
                        tracing::warn!(kind = %self.kind.kind, error = %self.redactor.clean(&e.to_string()), "watch error; listing again");
                        let info = self.error_info(&e);
                        self.touch(Some(info.clone()));
                        self.set_failing(Some(info)).await;
                        break;
                    }
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2).min(MAX_BACKOFF);
        }
    }

    /// Records the kind as failing (`Some`) or read again (`None`) and publishes the change.
    async fn set_failing(&self, error: Option<ErrorInfo>) {
        let changed = match self.shared.lock() {
            Ok(mut s) => match error {
                Some(error) => s.failing.insert(self.kind.kind, error).is_none(),
                None => s.failing.remove(&self.kind.kind).is_some(),
            },
            Err(_) => false,
        };
        if changed {
            let change = if self.is_failing() {
                ChangeKind::Unreadable
            } else {
                ChangeKind::Readable
            };
            self.publish(change, (String::new(), String::new())).await;
        }
    }

    fn is_failing(&self) -> bool {
        self.shared
            .lock()
            .is_ok_and(|s| s.failing.contains_key(&self.kind.kind))
    }

    fn touch(&self, error: Option<ErrorInfo>) {
        if let Ok(mut s) = self.shared.lock() {
            s.last_event = Some(SystemTime::now());
            if let Some(error) = error {
                s.expired += u64::from(error.status == Some(410));
                s.last_error = Some(error);
            }
        }
    }

    fn error_info(&self, e: &watcher::Error) -> ErrorInfo {
        let err = match e {
            watcher::Error::InitialListFailed(k)
            | watcher::Error::WatchStartFailed(k)
            | watcher::Error::WatchFailed(k) => self.redactor.request_error(k),
            watcher::Error::WatchError(status) => self
                .redactor
                .request_error(&kube::Error::Api(status.clone())),
            watcher::Error::NoResourceVersion => KubeError::Object(e.to_string()),
        };
        err.info()
    }

    fn id(obj: &DynamicObject) -> ((String, String), Option<String>) {
        let ns = obj.metadata.namespace.clone().unwrap_or_default();
        let name = obj.metadata.name.clone().unwrap_or_default();
        ((ns, name), obj.metadata.resource_version.clone())
    }

    async fn on_event(&mut self, event: Event<DynamicObject>) {
        match event {
            Event::Apply(obj) => {
                let (id, rv) = Self::id(&obj);
                // A resumed watch may replay an object at the version already seen.
                let seen = rv.is_some() && self.known.get(&id) == Some(&rv);
                if !seen {
                    self.known.insert(id.clone(), rv);
                    self.publish(ChangeKind::Applied, id).await;
                }
            }
            Event::Delete(obj) => {
                let (id, _) = Self::id(&obj);
                self.known.remove(&id);
                self.publish(ChangeKind::Deleted, id).await;
            }
            Event::Init => self.relist = Some(HashMap::new()),
            Event::InitApply(obj) => {
                let (id, rv) = Self::id(&obj);
                self.relist.get_or_insert_with(HashMap::new).insert(id, rv);
            }
            Event::InitDone => {
                let fresh = self.relist.take().unwrap_or_default();
                let old = std::mem::replace(&mut self.known, fresh);
                let mut changed: Vec<(String, String)> = self
                    .known
                    .iter()
                    .filter(|(id, rv)| old.get(*id) != Some(*rv))
                    .map(|(id, _)| id.clone())
                    .collect();
                let mut gone: Vec<(String, String)> = old
                    .into_keys()
                    .filter(|id| !self.known.contains_key(id))
                    .collect();
                // Hash order would make the event order differ from run to run.
                changed.sort();
                gone.sort();
                for id in changed {
                    self.publish(ChangeKind::Applied, id).await;
                }
                for id in gone {
                    self.publish(ChangeKind::Deleted, id).await;
                }
                self.set_failing(None).await;
                if let Ok(mut s) = self.shared.lock() {
                    if self.listed_once {
                        s.relists += 1;
                    } else if !s.ready.contains(&self.kind.kind) {
                        s.ready.push(self.kind.kind);
                    }
                }
                self.listed_once = true;
            }
        }
    }

    async fn publish(&self, change: ChangeKind, (namespace, name): (String, String)) {
        let key = ObjectKey {
            api_group: self.kind.resource.group.clone(),
            kind: self.kind.resource.kind.clone(),
            namespace,
            name,
        };
        // A closed receiver only means nobody listens; the store stays current regardless.
        let _ = self.tx.send(ChangeEvent { change, key }).await;
    }
}
