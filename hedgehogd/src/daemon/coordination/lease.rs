//! `coordination.k8s.io/v1` Leases the way client-go's leader election uses them: a holder
//! identity, a duration, acquire and renew times and a transition count, every change a
//! replace with the resourceVersion last read (optimistic concurrency: of two replicas
//! taking the same Lease, the API server accepts one and answers 409 to the other).
//!
//! Whether a Lease has expired is judged as client-go does, by the local monotonic clock: a
//! Lease is expired when its resourceVersion has not changed for its duration since this
//! replica first saw that version. Clocks of different machines are never compared.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use sha2::{Digest, Sha256};

/// Label on every Lease hedgehogd makes.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "hedgehogd");
/// Label saying what a Lease stands for: `member` (a replica) or `fabric`.
pub const ROLE: &str = "hedgehog.githedgehog.com/lease-role";
/// Label naming the fabric of a fabric Lease.
pub const FABRIC: &str = "hedgehog.githedgehog.com/fabric";
/// Annotation with the `host:port` of the holder's API, where requests are forwarded.
pub const ADDRESS: &str = "hedgehog.githedgehog.com/address";
/// Annotation of a fabric Lease with the commit the desired state last agreed with, so that
/// the next owner rebases on it (and keeps what other writers committed since).
pub const BASE: &str = "hedgehog.githedgehog.com/base-commit";

/// The Lease of a fabric: `hedgehogd-<fabric>`.
pub fn fabric_lease(fabric: &str) -> String {
    format!("hedgehogd-{fabric}")
}

/// The membership Lease of a replica: `hedgehogd-member.<12 hex digits of SHA-256 of the
/// identity>` (the dot keeps it apart from every fabric's Lease: fabric names have none).
pub fn member_lease(identity: &str) -> String {
    let digest = Sha256::digest(identity.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("hedgehogd-member.{hex}")
}

/// A Lease as read: who holds it and where it can be reached.
#[derive(Clone, Debug)]
pub struct Record {
    /// The Lease as the server returned it (for the next replace).
    pub lease: Lease,
    /// Its holder (`None`: released).
    pub holder: Option<String>,
    /// The holder's API address.
    pub address: Option<String>,
    /// The base commit its holder recorded (fabric Leases).
    pub base: Option<String>,
    /// The fabric, for a fabric Lease.
    pub fabric: Option<String>,
    /// Whether it is a membership Lease.
    pub member: bool,
    /// How long it holds without renewal.
    pub duration: Duration,
}

impl Record {
    fn new(lease: Lease) -> Record {
        let labels = lease.metadata.labels.clone().unwrap_or_default();
        let annotations = lease.metadata.annotations.clone().unwrap_or_default();
        let spec = lease.spec.clone().unwrap_or_default();
        Record {
            holder: spec.holder_identity.filter(|h| !h.is_empty()),
            address: annotations.get(ADDRESS).cloned(),
            base: annotations.get(BASE).cloned(),
            fabric: labels.get(FABRIC).cloned(),
            member: labels.get(ROLE).is_some_and(|r| r == "member"),
            duration: Duration::from_secs(
                u64::try_from(spec.lease_duration_seconds.unwrap_or(0)).unwrap_or(0),
            ),
            lease,
        }
    }

    fn version(&self) -> &str {
        self.lease
            .metadata
            .resource_version
            .as_deref()
            .unwrap_or("")
    }
}

/// When each Lease version was first seen here, to tell expired Leases by the local clock.
#[derive(Debug, Default)]
pub struct Observed {
    seen: HashMap<String, (String, Instant)>,
}

impl Observed {
    /// Notes the versions of `records` (Leases no longer listed are forgotten).
    pub fn update(&mut self, records: &[Record], now: Instant) {
        let mut seen = HashMap::new();
        for r in records {
            let name = r.lease.metadata.name.clone().unwrap_or_default();
            let at = match self.seen.get(&name) {
                Some((version, at)) if version == r.version() => *at,
                _ => now,
            };
            seen.insert(name, (r.version().to_owned(), at));
        }
        self.seen = seen;
    }

    /// Whether `record` is held and its version unchanged for less than its duration.
    pub fn held(&self, record: &Record, now: Instant) -> bool {
        let name = record.lease.metadata.name.as_deref().unwrap_or_default();
        record.holder.is_some()
            && self
                .seen
                .get(name)
                .is_some_and(|(_, at)| now.saturating_duration_since(*at) < record.duration)
    }
}

/// How a write of a Lease ended, when the API server answered.
#[derive(Debug)]
pub enum Written {
    /// It was written; the Lease as it is now.
    Ok(Box<Record>),
    /// Another replica wrote it first (409): it was not written.
    Lost,
}

/// The Leases of this replica's namespace.
#[derive(Clone)]
pub struct Leases {
    api: Api<Lease>,
    identity: String,
    address: String,
    duration_secs: i32,
    timeout: Duration,
}

impl Leases {
    /// Leases in `namespace` written as `identity`, reachable at `address`.
    pub fn new(
        client: kube::Client,
        namespace: &str,
        identity: String,
        address: String,
        duration: Duration,
        timeout: Duration,
    ) -> Leases {
        Leases {
            api: Api::namespaced(client, namespace),
            identity,
            address,
            duration_secs: i32::try_from(duration.as_secs()).unwrap_or(i32::MAX),
            timeout,
        }
    }

    /// Every Lease hedgehogd made in the namespace.
    pub async fn list(&self) -> Result<Vec<Record>, String> {
        let params = ListParams::default().labels(&format!("{}={}", MANAGED_BY.0, MANAGED_BY.1));
        let list = self.call(self.api.list(&params)).await?;
        Ok(list.items.into_iter().map(Record::new).collect())
    }

    /// Creates the Lease `name` held by this replica.
    pub async fn create(&self, name: &str, fabric: Option<&str>) -> Result<Written, String> {
        let role = if fabric.is_some() { "fabric" } else { "member" };
        let mut labels = std::collections::BTreeMap::from([
            (MANAGED_BY.0.to_owned(), MANAGED_BY.1.to_owned()),
            (ROLE.to_owned(), role.to_owned()),
        ]);
        if let Some(f) = fabric {
            labels.insert(FABRIC.to_owned(), f.to_owned());
        }
        let now = MicroTime(Timestamp::now());
        let lease = Lease {
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                labels: Some(labels),
                annotations: Some([(ADDRESS.to_owned(), self.address.clone())].into()),
                ..ObjectMeta::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: Some(self.identity.clone()),
                lease_duration_seconds: Some(self.duration_secs),
                acquire_time: Some(now.clone()),
                renew_time: Some(now),
                lease_transitions: Some(0),
                ..LeaseSpec::default()
            }),
        };
        match self
            .call(self.api.create(&PostParams::default(), &lease))
            .await
        {
            Ok(lease) => Ok(Written::Ok(Box::new(Record::new(lease)))),
            Err(e) if e.starts_with("409") => Ok(Written::Lost),
            Err(e) => Err(e),
        }
    }

    /// Renews a Lease this replica holds, or takes one that is free or expired (a new
    /// holder: the acquire time is set and the transitions counted); records `base` (the
    /// fabric's base commit) when given.
    pub async fn hold(&self, record: &Record, base: Option<&str>) -> Result<Written, String> {
        let mut lease = record.lease.clone();
        let spec = lease.spec.get_or_insert_with(LeaseSpec::default);
        let now = MicroTime(Timestamp::now());
        if spec.holder_identity.as_deref() != Some(self.identity.as_str()) {
            spec.holder_identity = Some(self.identity.clone());
            spec.acquire_time = Some(now.clone());
            spec.lease_transitions = Some(spec.lease_transitions.unwrap_or(0).saturating_add(1));
        }
        spec.renew_time = Some(now);
        spec.lease_duration_seconds = Some(self.duration_secs);
        let annotations = lease
            .metadata
            .annotations
            .get_or_insert_with(Default::default);
        annotations.insert(ADDRESS.to_owned(), self.address.clone());
        if let Some(base) = base {
            annotations.insert(BASE.to_owned(), base.to_owned());
        }
        self.replace(&lease).await
    }

    /// Gives a Lease up: no holder, so another replica may take it at once.
    pub async fn release(&self, record: &Record) -> Result<Written, String> {
        let mut lease = record.lease.clone();
        let spec = lease.spec.get_or_insert_with(LeaseSpec::default);
        spec.holder_identity = None;
        spec.lease_duration_seconds = Some(1);
        self.replace(&lease).await
    }

    /// Deletes this replica's membership Lease (graceful shutdown).
    pub async fn delete(&self, name: &str) -> Result<(), String> {
        self.call(self.api.delete(name, &DeleteParams::default()))
            .await
            .map(|_| ())
    }

    async fn replace(&self, lease: &Lease) -> Result<Written, String> {
        let name = lease.metadata.name.clone().unwrap_or_default();
        match self
            .call(self.api.replace(&name, &PostParams::default(), lease))
            .await
        {
            Ok(lease) => Ok(Written::Ok(Box::new(Record::new(lease)))),
            Err(e) if e.starts_with("409") || e.starts_with("404") => Ok(Written::Lost),
            Err(e) => Err(e),
        }
    }

    /// Runs a request under the timeout; errors as `"<status> <message>"` (`"timeout"`,
    /// `"000 …"` when the server did not answer).
    async fn call<T>(
        &self,
        fut: impl Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, String> {
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(kube::Error::Api(status))) => Err(format!("{} {}", status.code, status.message)),
            Ok(Err(e)) => Err(format!("000 {e}")),
            Err(_) => Err(format!("000 no answer within {:?}", self.timeout)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, holder: Option<&str>, version: &str, secs: i32) -> Record {
        Record::new(Lease {
            metadata: ObjectMeta {
                name: Some(name.into()),
                resource_version: Some(version.into()),
                ..ObjectMeta::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: holder.map(str::to_owned),
                lease_duration_seconds: Some(secs),
                ..LeaseSpec::default()
            }),
        })
    }

    /// Expiry is judged by when this replica saw a version change, never by the writer's
    /// clock: a Lease renewed by anyone stays held; one left unchanged for its duration, or
    /// released, is not.
    #[test]
    fn a_lease_expires_when_its_version_stays_unchanged_for_its_duration() {
        let t0 = Instant::now();
        let mut observed = Observed::default();
        let a = record("hedgehogd-a", Some("r1"), "1", 4);
        observed.update(std::slice::from_ref(&a), t0);
        assert!(observed.held(&a, t0 + Duration::from_secs(3)));
        assert!(!observed.held(&a, t0 + Duration::from_secs(4)));
        let renewed = record("hedgehogd-a", Some("r1"), "2", 4);
        observed.update(std::slice::from_ref(&renewed), t0 + Duration::from_secs(3));
        assert!(observed.held(&renewed, t0 + Duration::from_secs(6)));
        let released = record("hedgehogd-a", None, "3", 1);
        observed.update(std::slice::from_ref(&released), t0 + Duration::from_secs(6));
        assert!(!observed.held(&released, t0 + Duration::from_secs(6)));
    }

    #[test]
    fn member_leases_never_take_a_fabric_lease_name() {
        let name = member_lease("replica-0/10.0.0.7:8080");
        assert!(
            name.starts_with("hedgehogd-member.") && name.len() == 29,
            "{name}"
        );
        assert_eq!(name, member_lease("replica-0/10.0.0.7:8080"));
        assert_ne!(name, member_lease("replica-1/10.0.0.8:8080"));
        assert_eq!(fabric_lease("lab"), "hedgehogd-lab");
    }
}
