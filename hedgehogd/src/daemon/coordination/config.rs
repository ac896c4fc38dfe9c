//! The `[coordination]` table: where the Leases live and how long they last.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hedgehog_sync::kube::{ClusterConfig, ExecPlugins};
use serde::Deserialize;

use crate::daemon::config::Problems;

/// The environment variable that overrides the replica's identity.
pub const IDENTITY_ENV: &str = "HEDGEHOGD_IDENTITY";
/// The environment variable that overrides the address other replicas forward requests to.
pub const ADVERTISE_ENV: &str = "HEDGEHOGD_ADVERTISE";

const DEFAULT_LEASE_SECS: u64 = 15;
const DEFAULT_RENEW_DEADLINE_SECS: u64 = 10;
const DEFAULT_RETRY_SECS: u64 = 2;
/// An hour: longer leases leave fabrics without an owner for too long after a crash.
const MAX_LEASE_SECS: u64 = 3600;

/// The table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoordinationFile {
    kubeconfig: Option<PathBuf>,
    context: Option<String>,
    namespace: Option<String>,
    lease_duration_secs: Option<u64>,
    renew_deadline_secs: Option<u64>,
    retry_period_secs: Option<u64>,
    identity: Option<String>,
    advertise: Option<String>,
}

/// Checked coordination settings.
#[derive(Clone, Debug)]
pub struct Coordination {
    /// The API server holding the Leases (a kubeconfig, or the pod's service account).
    pub cluster: ClusterConfig,
    /// The namespace of the Leases.
    pub namespace: String,
    /// How long a Lease holds without a renewal.
    pub lease_duration: Duration,
    /// A replica that has not renewed a Lease for this long stops working on its fabric
    /// (shorter than the lease duration, so it stops before anyone else may start).
    pub renew_deadline: Duration,
    /// Time between renewals and attempts to acquire.
    pub retry_period: Duration,
    /// This replica's identity (`None`: host name and listen address, decided at start).
    pub identity: Option<String>,
    /// `host:port` other replicas forward requests to (`None`: the listen address).
    pub advertise: Option<String>,
}

impl Coordination {
    /// The identity: `HEDGEHOGD_IDENTITY`, the configured one, or `<host name>-<listen>`.
    pub fn identity(&self, listen: SocketAddr) -> String {
        std::env::var(IDENTITY_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.identity.clone())
            .unwrap_or_else(|| format!("{}-{listen}", host_name()))
    }

    /// The address to record in the Leases: `HEDGEHOGD_ADVERTISE`, the configured one, or
    /// the listen address (refused when it is unspecified, `0.0.0.0`: nobody can reach it).
    pub fn advertise(&self, listen: SocketAddr) -> Result<String, String> {
        let given = std::env::var(ADVERTISE_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.advertise.clone());
        match given {
            Some(a) => Ok(a),
            None if listen.ip().is_unspecified() => Err(format!(
                "coordination.advertise: the daemon listens on {listen}, which other replicas \
                 cannot reach; set advertise (or {ADVERTISE_ENV}) to this replica's host:port"
            )),
            None => Ok(listen.to_string()),
        }
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// Checks the table; records every problem and returns `None` if there was one.
pub fn check(c: &CoordinationFile, base: &Path, problems: &mut Problems) -> Option<Coordination> {
    let at = "coordination";
    let lease = c.lease_duration_secs.unwrap_or(DEFAULT_LEASE_SECS);
    let renew = c.renew_deadline_secs.unwrap_or(DEFAULT_RENEW_DEADLINE_SECS);
    let retry = c.retry_period_secs.unwrap_or(DEFAULT_RETRY_SECS);
    let mut ok = true;
    let mut problem = |p: String| {
        problems.push(p);
        ok = false;
    };
    if !(2..=MAX_LEASE_SECS).contains(&lease) {
        problem(format!(
            "{at}.lease_duration_secs: must be between 2 and {MAX_LEASE_SECS}"
        ));
    }
    if renew == 0 || renew >= lease {
        problem(format!(
            "{at}.renew_deadline_secs: must be at least 1 and less than lease_duration_secs \
             ({lease}), so a replica stops working on a fabric before its lease can expire"
        ));
    }
    if retry == 0 || retry >= renew {
        problem(format!(
            "{at}.retry_period_secs: must be at least 1 and less than renew_deadline_secs \
             ({renew}), so a renewal can be retried before the deadline"
        ));
    }
    if c.identity.as_ref().is_some_and(|i| i.trim().is_empty()) {
        problem(format!("{at}.identity: must not be empty"));
    }
    let cluster = match &c.kubeconfig {
        // Exec plugins are refused, as for fabrics' clusters.
        Some(path) => ClusterConfig::from_kubeconfig_files(
            &[base.join(path)],
            c.context.as_deref(),
            ExecPlugins::Refuse,
        )
        .map_err(|e| format!("{at}.kubeconfig: {e}")),
        None => ClusterConfig::in_cluster()
            .map_err(|e| format!("{at}: no kubeconfig given and not running in a pod ({e})")),
    };
    let cluster = cluster.map_err(&mut problem).ok();
    let namespace = c
        .namespace
        .clone()
        .or_else(|| cluster.as_ref().map(|c| c.namespace.clone()))
        .unwrap_or_default();
    if namespace.is_empty() {
        problem(format!("{at}.namespace: must not be empty"));
    }
    let cluster = cluster?;
    ok.then(|| Coordination {
        cluster,
        namespace,
        lease_duration: Duration::from_secs(lease),
        renew_deadline: Duration::from_secs(renew),
        retry_period: Duration::from_secs(retry),
        identity: c.identity.clone(),
        advertise: c.advertise.clone(),
    })
}

#[cfg(test)]
mod tests {
    use crate::daemon::config::Config;
    use std::path::Path;

    #[test]
    fn durations_must_leave_room_for_fencing() {
        let text = "[coordination]\nkubeconfig = \"/nonexistent/kubeconfig\"\n\
                    lease_duration_secs = 5\nrenew_deadline_secs = 5\nretry_period_secs = 0\n\
                    identity = \" \"\n";
        let problems = Config::parse(text, Path::new("/")).err().unwrap();
        let all = problems.join("\n");
        for expected in [
            "coordination.renew_deadline_secs: must be at least 1 and less than lease_duration_secs (5)",
            "coordination.retry_period_secs: must be at least 1 and less than renew_deadline_secs (5)",
            "coordination.identity: must not be empty",
            "coordination.kubeconfig: ",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
        }
        let text = "[coordination]\nlease_duration_secs = 99999\nbogus = 1\n";
        assert!(Config::parse(text, Path::new("/")).is_err());
    }

    #[test]
    fn a_kubeconfig_and_the_defaults_are_accepted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("kubeconfig"),
            "apiVersion: v1\nkind: Config\ncurrent-context: c\n\
             clusters: [{name: k, cluster: {server: \"https://127.0.0.1:6443\"}}]\n\
             users: [{name: u, user: {token: abcdefabcdefabcdef}}]\n\
             contexts: [{name: c, context: {cluster: k, user: u, namespace: ops}}]\n",
        )
        .unwrap();
        let text = "[coordination]\nkubeconfig = \"kubeconfig\"\n";
        let config = Config::parse(text, dir.path()).unwrap();
        let c = config.coordination.unwrap();
        assert_eq!(c.namespace, "ops");
        assert_eq!(
            (
                c.lease_duration.as_secs(),
                c.renew_deadline.as_secs(),
                c.retry_period.as_secs()
            ),
            (15, 10, 2)
        );
        let listen = "0.0.0.0:8080".parse().unwrap();
        assert!(c.advertise(listen).unwrap_err().contains("cannot reach"));
        let loopback = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(c.advertise(loopback).unwrap(), "127.0.0.1:8080");
        assert!(c.identity(loopback).ends_with("-127.0.0.1:8080"));
        assert!(
            Config::parse("", dir.path())
                .unwrap()
                .coordination
                .is_none()
        );
    }
}
