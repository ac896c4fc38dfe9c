//! `test_connection`: what a settings page needs to know about a fabric's cluster.

use futures::{StreamExt, stream};
use hedgehog_model::Kind;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::PostParams;
use serde::{Deserialize, Serialize};

use super::discovery::ServedKind;
use super::{Cluster, ErrorClass, ErrorInfo};

/// Result of [`Cluster::test_connection`]. Serialisable; holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConnectionReport {
    /// The API server answered at all (even if it refused the credentials).
    pub reachable: bool,
    /// `gitVersion` of the API server.
    pub server_version: Option<String>,
    /// The namespace checked.
    pub namespace: String,
    /// Whether the namespace exists; `None` when the credentials may not read namespaces.
    pub namespace_accessible: Option<bool>,
    /// Served Hedgehog kinds with their plurals, versions and permissions.
    pub kinds: Vec<KindReport>,
    /// Hedgehog kinds the cluster does not serve at `v1beta1`.
    pub missing_kinds: Vec<Kind>,
    /// False when discovery was refused and the plurals come from the built-in table.
    pub discovery: bool,
    /// The first failure, classified; `None` when every check ran.
    pub error: Option<ErrorInfo>,
}

impl ConnectionReport {
    /// Reachable, authorised, every kind served and readable.
    pub fn ok(&self) -> bool {
        self.error.is_none()
            && self.missing_kinds.is_empty()
            && self.kinds.iter().all(|k| k.can_read == Some(true))
    }
}

/// One served kind in a [`ConnectionReport`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KindReport {
    /// The kind.
    pub kind: Kind,
    /// The plural the server serves it under.
    pub plural: String,
    /// Versions of the group serving the kind.
    pub versions: Vec<String>,
    /// `list` and `watch` allowed in the namespace (SelfSubjectAccessReview); `None` if the
    /// review itself failed.
    pub can_read: Option<bool>,
    /// `create` and `patch` allowed in the namespace; `None` if the review itself failed.
    pub can_write: Option<bool>,
}

const READ_VERBS: [&str; 2] = ["list", "watch"];
const WRITE_VERBS: [&str; 2] = ["create", "patch"];
/// Parallel access reviews; 14 kinds × 4 verbs would otherwise be 56 sequential round trips.
const REVIEW_CONCURRENCY: usize = 8;

impl Cluster {
    /// Checks reachability, version, namespace, served kinds and permissions. Never fails:
    /// the first error is classified into [`ConnectionReport::error`].
    pub async fn test_connection(&self) -> ConnectionReport {
        let mut report = ConnectionReport {
            reachable: false,
            server_version: None,
            namespace: self.namespace.clone(),
            namespace_accessible: None,
            kinds: Vec::new(),
            missing_kinds: Vec::new(),
            discovery: false,
            error: None,
        };
        match self
            .call("the version request", self.client.apiserver_version())
            .await
        {
            Ok(info) => {
                report.reachable = true;
                report.server_version = Some(info.git_version);
            }
            Err(e) => {
                report.reachable =
                    matches!(e.class(), ErrorClass::Unauthorized | ErrorClass::Forbidden);
                report.error = Some(e.info());
                return report;
            }
        }
        let namespaces: kube::Api<Namespace> = kube::Api::all(self.client.clone());
        report.namespace_accessible = match self
            .call("the namespace request", namespaces.get_opt(&self.namespace))
            .await
        {
            Ok(found) => Some(found.is_some()),
            Err(e) if e.class() == ErrorClass::Forbidden => None,
            Err(e) => {
                report.error = Some(e.info());
                return report;
            }
        };
        let served = match self.refresh_served_kinds().await {
            Ok(s) => s,
            Err(e) => {
                report.error = Some(e.info());
                return report;
            }
        };
        report.discovery = served.from_discovery;
        report.missing_kinds = served.missing.clone();
        // The futures are made before they are streamed: a stream holding the closure would
        // not be `Send` (a higher-ranked lifetime rustc cannot prove), and callers spawn this.
        let reviews: Vec<_> = served.served.iter().map(|s| self.kind_report(s)).collect();
        report.kinds = stream::iter(reviews)
            .buffered(REVIEW_CONCURRENCY)
            .collect()
            .await;
        report
    }

    async fn kind_report(&self, served: &ServedKind) -> KindReport {
        KindReport {
            kind: served.kind,
            plural: served.resource.plural.clone(),
            versions: served.versions.clone(),
            can_read: self.may_all(served, &READ_VERBS).await,
            can_write: self.may_all(served, &WRITE_VERBS).await,
        }
    }

    async fn may_all(&self, served: &ServedKind, verbs: &[&str]) -> Option<bool> {
        let mut all = true;
        for verb in verbs {
            all &= self.may(served, verb).await?;
        }
        Some(all)
    }

    /// One SelfSubjectAccessReview; allowed to every authenticated user by default RBAC.
    async fn may(&self, served: &ServedKind, verb: &str) -> Option<bool> {
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    group: Some(served.resource.group.clone()),
                    resource: Some(served.resource.plural.clone()),
                    verb: Some(verb.to_owned()),
                    namespace: (!self.all_namespaces).then(|| self.namespace.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let api: kube::Api<SelfSubjectAccessReview> = kube::Api::all(self.client.clone());
        let answer = self
            .call(
                "an access review",
                api.create(&PostParams::default(), &review),
            )
            .await
            .ok()?;
        answer.status.map(|s| s.allowed)
    }
}
