//! Sync passes of a whole fabric: a [`Fabric`] on a [`Remote`], pass requests and drift
//! polling, shared by the fake- and real-API-server fabric tests.

use std::time::{Duration, Instant};

use hedgehog_sync::drift::{DriftReport, State};
use hedgehog_sync::fabric::{Fabric, FabricSettings, GitSource, PassRequest, Policy};
use hedgehog_sync::git::Credentials;
use hedgehog_sync::kube::ClusterConfig;
use hedgehog_sync::snapshot::Snapshot;

use super::{Remote, author};

/// Settings of fabric `lab` on `remote`'s `main`, base directory `fabric`, no cluster.
pub fn settings(remote: &Remote) -> FabricSettings {
    FabricSettings {
        name: "lab".into(),
        git: GitSource {
            url: remote.url(),
            branch: "main".into(),
            base_dir: "fabric".into(),
            credentials: Credentials::None,
        },
        cluster: None,
        cache_dir: remote.cache.clone(),
        config: Default::default(),
        server_dry_run: false,
        max_delete_percent: hedgehog_sync::guard::DEFAULT_MAX_PERCENT,
    }
}

/// Fabric `lab` ([`settings`]) with `cluster`.
pub async fn fabric(
    remote: &Remote,
    cluster: Option<ClusterConfig>,
    server_dry_run: bool,
) -> Fabric {
    Fabric::new(FabricSettings {
        cluster,
        server_dry_run,
        ..settings(remote)
    })
    .await
    .unwrap()
}

/// A pass request with the test author.
pub fn request(policy: Policy, desired: Option<Snapshot>) -> PassRequest {
    PassRequest {
        policy,
        desired,
        base: None,
        author: author(),
        message: "hedgehog: sync".into(),
        force: false,
        allow_deletions: false,
        adopt_layout: false,
    }
}

/// The state of the object named `name` in the report (`None`: in sync).
pub fn state_of(report: &DriftReport, name: &str) -> Option<State> {
    report
        .objects
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.state)
}

/// Polls the fabric's drift until `check` holds (watch events arrive asynchronously).
pub async fn eventually(fabric: &Fabric, what: &str, check: impl Fn(&DriftReport) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = fabric.drift().unwrap();
        if check(&report) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {report:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
