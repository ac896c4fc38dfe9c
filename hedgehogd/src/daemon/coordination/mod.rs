//! Several replicas sharing the fabrics, coordinated by Kubernetes Leases
//! (`coordination.k8s.io/v1`), the way client-go's leader election and controller sharding
//! do it — no membership protocol of our own.
//!
//! * Ownership: one Lease per fabric (`hedgehogd-<fabric>`). A replica runs passes (and the
//!   cluster watch) only for fabrics whose Lease it holds; every retry period it renews
//!   them with a compare-and-swap replace.
//! * Membership: one Lease per replica (`hedgehogd-member.<hash>`), renewed the same way;
//!   the live replicas are those whose membership Lease has not expired.
//! * Balance: with `F` fabrics and `L` live replicas sorted by identity, the first `F mod L`
//!   may hold `ceil(F / L)` fabrics and the others `floor(F / L)`; a replica takes free or
//!   expired fabrics below its quota and releases those above it, so shares differ by at
//!   most one once members are stable.
//! * Fencing: each owned fabric has a [`gate::Gate`] open until the last renewal plus the
//!   renew deadline (shorter than the Lease): when it passes, the fabric's pass is aborted,
//!   its scheduler and watch stopped, and its write fence refuses any commit, push or apply
//!   — before the Lease can expire and another replica take it. A new owner starts with a
//!   full pass. Git pushes keep their compare-and-swap as the second line of defence.
//! * Routing: [`Coordinator::route`] tells the API whether to answer, forward to the owner
//!   (the address in its Lease) or answer 503 while nobody owns the fabric.

mod balance;
pub mod config;
pub mod forward;
pub mod gate;
mod lease;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use hedgehog_sync::kube::Cluster;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::scheduler;
use super::state::{Daemon, lock};
use config::Coordination;
use lease::{Leases, Observed, Record, Written, fabric_lease, member_lease};

/// How often the deadlines of owned fabrics are checked (the write fence itself reads the
/// clock at every write).
const DEADLINE_CHECK: Duration = Duration::from_millis(100);

/// Where a request for a fabric goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// This replica owns it.
    Local,
    /// Another replica owns it.
    Owner {
        /// Its identity.
        identity: String,
        /// Its API address (`host:port`).
        address: String,
    },
    /// Nobody owns it now.
    Nobody,
}

/// A fabric this replica holds.
struct Held {
    record: Record,
    scheduler: JoinHandle<()>,
}

/// This replica's side of the coordination.
pub struct Coordinator {
    settings: Coordination,
    identity: String,
    address: String,
    leases: Leases,
    daemon: Arc<Daemon>,
    stopping: watch::Receiver<bool>,
    /// The last listing of the Leases, and when their versions were first seen.
    view: Mutex<(Vec<Record>, Observed)>,
    held: Mutex<BTreeMap<String, Held>>,
}

impl Coordinator {
    /// Connects to the API server (no request yet) and closes every fabric's gate until a
    /// Lease opens it. `listen` is the bound address (identity and advertised address
    /// default to it).
    pub async fn new(
        settings: &Coordination,
        listen: SocketAddr,
        daemon: Arc<Daemon>,
        stopping: watch::Receiver<bool>,
    ) -> anyhow::Result<Arc<Coordinator>> {
        let identity = settings.identity(listen);
        let address = settings.advertise(listen).map_err(anyhow::Error::msg)?;
        let cluster = Cluster::connect(&settings.cluster)
            .await
            .context("coordination: cannot build the API server client")?;
        let leases = Leases::new(
            cluster.client().clone(),
            &settings.namespace,
            identity.clone(),
            address.clone(),
            settings.lease_duration,
            settings.retry_period,
        );
        for entry in daemon.fabrics.values() {
            entry.gate.coordinate();
            let gate = entry.gate.clone();
            entry
                .fabric
                .set_write_fence(Some(Arc::new(move || gate.permits())));
        }
        tracing::info!(%identity, %address, namespace = %settings.namespace, "coordinating fabrics with other replicas through Leases");
        Ok(Arc::new(Coordinator {
            settings: settings.clone(),
            identity,
            address,
            leases,
            daemon,
            stopping,
            view: Mutex::default(),
            held: Mutex::default(),
        }))
    }

    /// This replica's identity.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// Renews, balances and acquires every retry period until shutdown.
    pub async fn run(self: Arc<Self>) {
        let mut stopping = self.stopping.clone();
        loop {
            self.tick().await;
            tokio::select! {
                () = tokio::time::sleep(self.settings.retry_period) => {}
                _ = stopping.changed() => return,
            }
        }
    }

    /// Stops work on every owned fabric whose renew deadline has passed, until shutdown.
    pub async fn watch_deadlines(self: Arc<Self>) {
        let mut stopping = self.stopping.clone();
        loop {
            let expired: Vec<String> = lock(&self.held)
                .keys()
                .filter(|name| {
                    self.daemon
                        .fabrics
                        .get(*name)
                        .is_some_and(|e| !e.gate.permits())
                })
                .cloned()
                .collect();
            for name in expired {
                self.lose(&name, "its Lease was not renewed before the renew deadline");
            }
            tokio::select! {
                () = tokio::time::sleep(DEADLINE_CHECK) => {}
                _ = stopping.changed() => return,
            }
        }
    }

    async fn tick(&self) {
        let records = match self.leases.list().await {
            Ok(records) => records,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the Leases");
                self.daemon.metrics.lease_renewal_failures.inc();
                return;
            }
        };
        let now = Instant::now();
        let live = {
            let mut view = lock(&self.view);
            view.1.update(&records, now);
            view.0 = records.clone();
            live_members(&view.0, &view.1, now)
        };
        self.renew_membership(&records).await;
        let fabrics: HashMap<&str, &Record> = records
            .iter()
            .filter(|r| !r.member)
            .filter_map(|r| r.fabric.as_deref().map(|f| (f, r)))
            .collect();
        self.renew_owned(&fabrics).await;
        let quota = balance::quota(self.daemon.fabrics.len(), &live, &self.identity);
        self.release_extras(quota);
        self.acquire(quota, &fabrics, now).await;
    }

    async fn renew_membership(&self, records: &[Record]) {
        let name = member_lease(&self.identity);
        let result = match records
            .iter()
            .find(|r| r.lease.metadata.name.as_deref() == Some(&name))
        {
            Some(r) => self.leases.hold(r, None).await,
            None => self.leases.create(&name, None).await,
        };
        self.count(&result);
    }

    fn count(&self, result: &Result<Written, String>) {
        match result {
            Ok(Written::Ok(_)) => self.daemon.metrics.lease_renewals.inc(),
            Ok(Written::Lost) | Err(_) => self.daemon.metrics.lease_renewal_failures.inc(),
        };
    }

    async fn renew_owned(&self, fabrics: &HashMap<&str, &Record>) {
        let owned: Vec<String> = lock(&self.held).keys().cloned().collect();
        for name in owned {
            let Some(record) = fabrics
                .get(name.as_str())
                .filter(|r| r.holder.as_deref() == Some(self.identity.as_str()))
            else {
                self.lose(&name, "another replica holds its Lease now");
                continue;
            };
            let base = self
                .daemon
                .fabrics
                .get(&name)
                .and_then(|e| lock(&e.status).base_commit());
            let sent = Instant::now();
            let result = self.leases.hold(record, base.as_deref()).await;
            self.count(&result);
            match result {
                Ok(Written::Ok(record)) => self.renewed(&name, *record, sent),
                Ok(Written::Lost) => self.lose(&name, "another replica wrote its Lease first"),
                Err(e) => {
                    tracing::warn!(fabric = %name, error = %e, "cannot renew the fabric's Lease")
                }
            }
        }
    }

    /// Keeps the gate of `name` open until `sent` (when the renewal was sent) plus the
    /// renew deadline — unless the fabric was lost meanwhile.
    fn renewed(&self, name: &str, record: Record, sent: Instant) {
        if let Some(held) = lock(&self.held).get_mut(name) {
            held.record = record;
            if let Some(entry) = self.daemon.fabrics.get(name) {
                entry.gate.open_until(sent + self.settings.renew_deadline);
            }
        }
    }

    /// Gives up the fabrics above `quota`: work stops at once; the Lease is released when
    /// the running pass (if any) has ended, so the next owner never overlaps it.
    fn release_extras(&self, quota: usize) {
        let mut held = lock(&self.held);
        if held.len() <= quota {
            return;
        }
        let names: Vec<String> = held.keys().cloned().collect();
        let order = balance::preference(&self.identity, names.iter().map(String::as_str));
        let extras: Vec<String> = order[quota..].iter().map(|s| (*s).to_owned()).collect();
        for name in extras {
            let Some(h) = held.remove(&name) else {
                continue;
            };
            let Some(entry) = self.daemon.fabrics.get(&name).cloned() else {
                continue;
            };
            h.scheduler.abort();
            entry.gate.close();
            entry.fabric.stop_watch();
            self.daemon.metrics.leases_lost.inc();
            tracing::info!(fabric = %name, quota, "releasing the fabric's Lease to balance the replicas");
            let (leases, limit) = (self.leases.clone(), self.settings.renew_deadline);
            tokio::spawn(async move {
                let deadline = Instant::now() + limit;
                while lock(&entry.status).running.is_some() && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                if let Err(e) = leases.release(&h.record).await {
                    tracing::warn!(fabric = %entry.fabric.name(), error = %e, "cannot release the fabric's Lease; it expires instead");
                }
            });
        }
    }

    async fn acquire(&self, quota: usize, fabrics: &HashMap<&str, &Record>, now: Instant) {
        let mut have = lock(&self.held).len();
        if have >= quota {
            return;
        }
        let candidates: Vec<String> = {
            let view = lock(&self.view);
            let held = lock(&self.held);
            balance::preference(
                &self.identity,
                self.daemon.fabrics.keys().map(String::as_str),
            )
            .into_iter()
            .filter(|f| !held.contains_key(*f))
            .filter(|f| {
                fabrics.get(f).is_none_or(|r| {
                    r.holder.as_deref() == Some(self.identity.as_str()) || !view.1.held(r, now)
                })
            })
            .map(str::to_owned)
            .collect()
        };
        for name in candidates {
            if have >= quota {
                break;
            }
            let previous = fabrics.get(name.as_str());
            let sent = Instant::now();
            let result = match previous {
                Some(r) => self.leases.hold(r, None).await,
                None => self.leases.create(&fabric_lease(&name), Some(&name)).await,
            };
            match result {
                Ok(Written::Ok(record)) => {
                    let from = previous.and_then(|r| r.holder.clone());
                    if previous.is_some() && from.as_deref() != Some(self.identity.as_str()) {
                        self.daemon.metrics.takeovers.inc();
                    }
                    self.start(&name, *record, sent, from.as_deref());
                    have += 1;
                }
                Ok(Written::Lost) => {}
                Err(e) => {
                    tracing::warn!(fabric = %name, error = %e, "cannot acquire the fabric's Lease")
                }
            }
        }
    }

    /// Opens the gate of a fabric just acquired and starts its scheduler: a full pass now,
    /// rebased on the base commit the previous owner recorded in the Lease.
    fn start(&self, name: &str, record: Record, sent: Instant, from: Option<&str>) {
        let Some(entry) = self.daemon.fabrics.get(name).cloned() else {
            return;
        };
        if let Some(base) = &record.base {
            lock(&entry.status).inherited_base = Some(base.clone());
        }
        entry.gate.open_until(sent + self.settings.renew_deadline);
        tracing::info!(fabric = %name, previous_holder = from.unwrap_or("none"), "acquired the fabric's Lease; starting with a full pass");
        let scheduler = tokio::spawn(scheduler::run(
            self.daemon.clone(),
            entry,
            self.stopping.clone(),
        ));
        lock(&self.held).insert(name.to_owned(), Held { record, scheduler });
    }

    /// Stops all work on a fabric whose Lease is lost.
    fn lose(&self, name: &str, why: &str) {
        let Some(held) = lock(&self.held).remove(name) else {
            return;
        };
        held.scheduler.abort();
        if let Some(entry) = self.daemon.fabrics.get(name) {
            entry.fence();
        }
        self.daemon.metrics.leases_lost.inc();
        tracing::warn!(fabric = %name, reason = why, "lost the fabric's Lease; its work stopped");
    }

    /// Where a request for `fabric` goes.
    pub fn route(&self, fabric: &str) -> Route {
        if self
            .daemon
            .fabrics
            .get(fabric)
            .is_some_and(|e| e.gate.permits())
        {
            return Route::Local;
        }
        let view = lock(&self.view);
        let now = Instant::now();
        view.0
            .iter()
            .filter(|r| !r.member && r.fabric.as_deref() == Some(fabric))
            .filter(|r| view.1.held(r, now))
            .find_map(|r| {
                let identity = r.holder.clone()?;
                (identity != self.identity).then_some(Route::Owner {
                    identity,
                    address: r.address.clone()?,
                })
            })
            .unwrap_or(Route::Nobody)
    }

    /// The identity of the replica that owns `fabric`, as far as this one knows.
    pub fn owner(&self, fabric: &str) -> Option<String> {
        match self.route(fabric) {
            Route::Local => Some(self.identity.clone()),
            Route::Owner { identity, .. } => Some(identity),
            Route::Nobody => None,
        }
    }

    /// The API addresses of the other live replicas.
    pub fn peers(&self) -> Vec<String> {
        let view = lock(&self.view);
        let now = Instant::now();
        view.0
            .iter()
            .filter(|r| r.member && view.1.held(r, now))
            .filter(|r| r.holder.as_deref() != Some(self.identity.as_str()))
            .filter_map(|r| r.address.clone())
            .filter(|a| *a != self.address)
            .collect()
    }

    /// Graceful shutdown, after the passes ended: releases every held Lease (other replicas
    /// take the fabrics at once instead of after the Lease duration) and deletes the
    /// membership Lease.
    pub async fn release_all(&self) {
        let held: Vec<(String, Held)> =
            std::mem::take(&mut *lock(&self.held)).into_iter().collect();
        for (name, h) in held {
            h.scheduler.abort();
            if let Some(entry) = self.daemon.fabrics.get(&name) {
                entry.fence();
            }
            if let Err(e) = self.leases.release(&h.record).await {
                tracing::warn!(fabric = %name, error = %e, "cannot release the fabric's Lease; it expires instead");
            }
        }
        if let Err(e) = self.leases.delete(&member_lease(&self.identity)).await {
            tracing::warn!(error = %e, "cannot delete this replica's membership Lease; it expires instead");
        }
        tracing::info!("released every Lease");
    }
}

/// The identities of the replicas whose membership Lease is held.
fn live_members(records: &[Record], observed: &Observed, now: Instant) -> Vec<String> {
    records
        .iter()
        .filter(|r| r.member && observed.held(r, now))
        .filter_map(|r| r.holder.clone())
        .collect()
}
