//! The Kubernetes backend: the cluster side of a fabric, on raw objects of the 14 Hedgehog kinds.
//!
//! * [`ClusterConfig`] — explicit settings (URL, token, CA PEM text, namespace); no silent
//!   fallback to a kubeconfig; secrets never appear in `Debug`, logs or errors.
//! * [`Cluster::test_connection`] — a [`ConnectionReport`] for a settings page.
//! * [`Cluster::list_all`] — a paginated, concurrent [`ClusterSnapshot`]; [`plan_import`] turns
//!   it into bulk create/update/unchanged/missing sets for NetBox.
//! * [`ClusterWatch`] — kube-runtime reflectors over every served kind, with change events.
//! * [`Cluster::apply`] / [`Cluster::delete`] — opt-in server-side apply and guarded deletes.
//! * [`rbac_manifests`] — least-privilege RBAC for the fabric's service account.
//!
//! Resource plurals come from API discovery at run time; [`hedgehog_model::Kind`]'s table is
//! only used when the server does not serve discovery for a group (and for RBAC manifests).

mod apply;
mod config;
mod connection;
mod discovery;
mod error;
mod rbac;
mod snapshot;
mod watch;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use apply::{ApplyOptions, ApplyOutcome, ApplyResult, DeleteOutcome, DeletePreconditions};
pub use config::{ClusterConfig, ExecPlugins};
pub use connection::{ConnectionReport, KindReport};
pub use discovery::{ServedKind, ServedKinds};
pub use error::{ErrorClass, ErrorInfo, KubeError};
pub use rbac::{Access, rbac_manifests};
pub use snapshot::{
    ClusterObject, ClusterSnapshot, DEFAULT_PAGE_SIZE, ImportPlan, KindError, Known, content_hash,
    plan_import,
};
pub use watch::{ChangeEvent, ChangeKind, ClusterWatch, WatchStatus};

use error::{Redactor, timeout_error};

/// Field manager of every server-side apply hedgehog sends.
pub const FIELD_MANAGER: &str = "hedgehog";

/// A connection to one fabric's cluster. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    client: kube::Client,
    namespace: String,
    all_namespaces: bool,
    allow_writes: bool,
    request_timeout: Duration,
    redactor: Redactor,
    served: Arc<Mutex<Option<Arc<ServedKinds>>>>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("namespace", &self.namespace)
            .field("all_namespaces", &self.all_namespaces)
            .field("allow_writes", &self.allow_writes)
            .finish_non_exhaustive()
    }
}

const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Cluster {
    /// Builds a client from explicit settings. No request is sent yet.
    pub async fn connect(config: &ClusterConfig) -> Result<Cluster, KubeError> {
        if crate::secret::url_has_password(&config.server) {
            return Err(KubeError::Config(format!(
                "the server URL {} contains a password; give a token or a client certificate \
                 instead",
                crate::secret::redact_url(&config.server)
            )));
        }
        let redactor = Redactor::new(config.secrets());
        let kube_config = config.to_kube_config().await.map_err(|e| match e {
            KubeError::Config(m) => KubeError::Config(redactor.clean(&m)),
            other => other,
        })?;
        let client = kube::Client::try_from(kube_config).map_err(|e| redactor.request_error(&e))?;
        let mut cluster = Cluster::from_client(client, &config.namespace);
        cluster.all_namespaces = config.all_namespaces;
        cluster.allow_writes = config.allow_writes;
        cluster.request_timeout = config
            .connect_timeout
            .saturating_add(config.read_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT));
        cluster.redactor = redactor;
        Ok(cluster)
    }

    /// The kube client the cluster uses, for requests hedgehog does not make itself.
    pub fn client(&self) -> &kube::Client {
        &self.client
    }

    /// Wraps an existing kube client (tests, or callers that build their own transport).
    /// Writes are off; see [`Cluster::allow_writes`].
    pub fn from_client(client: kube::Client, namespace: &str) -> Cluster {
        Cluster {
            client,
            namespace: namespace.to_owned(),
            all_namespaces: false,
            allow_writes: false,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            redactor: Redactor::default(),
            served: Arc::default(),
        }
    }

    /// Enables or disables apply and delete on this connection.
    pub fn allow_writes(mut self, allow: bool) -> Cluster {
        self.allow_writes = allow;
        self
    }

    /// The namespace this connection lists, watches and applies to by default.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The dynamic API of one served kind in this connection's scope.
    fn api(
        &self,
        served: &ServedKind,
        namespace: Option<&str>,
    ) -> kube::Api<kube::api::DynamicObject> {
        match namespace {
            Some(ns) => kube::Api::namespaced_with(self.client.clone(), ns, &served.resource),
            None if self.all_namespaces => {
                kube::Api::all_with(self.client.clone(), &served.resource)
            }
            None => {
                kube::Api::namespaced_with(self.client.clone(), &self.namespace, &served.resource)
            }
        }
    }

    /// Runs `fut` under the request deadline and classifies its error.
    async fn call<T>(
        &self,
        what: &str,
        fut: impl std::future::Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, KubeError> {
        match tokio::time::timeout(self.request_timeout, fut).await {
            Ok(result) => result.map_err(|e| self.redactor.request_error(&e)),
            Err(_) => Err(timeout_error(what)),
        }
    }
}
