//! `KubeTarget`: one fabric's cluster from explicit settings or kubeconfig text — connection
//! test, discovery, opt-in apply and delete.

use hedgehog_sync::codes;
use std::sync::Arc;
use std::time::Duration;

use hedgehog_model::{Kind, ObjectKey};
use hedgehog_sync::kube::{
    ApplyOptions, Cluster, ClusterConfig, DEFAULT_PAGE_SIZE, DeletePreconditions, KubeError,
};
use hedgehog_sync::secret::{SecretString, redact_url};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::Value;
use tokio::sync::OnceCell;

use crate::convert::{from_py, to_py};
use crate::errors::{self, ConfigError, error};
use crate::runtime::block_on;

/// A cluster connection. Secrets (token, client key) are kept out of `repr`, exceptions and
/// logs; writes (apply, delete) are refused unless `allow_writes=True`.
#[pyclass(module = "hedgehog_fabric", frozen)]
pub struct KubeTarget {
    config: ClusterConfig,
    cluster: Arc<OnceCell<Cluster>>,
}

impl KubeTarget {
    /// The settings (for an `Engine`).
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Runs `op` on the connection (made on first use) with the GIL released.
    fn with<F, Fut, T>(&self, py: Python<'_>, op: F) -> PyResult<T>
    where
        F: FnOnce(Cluster) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, KubeError>> + Send,
        T: Send + 'static,
    {
        let cell = self.cluster.clone();
        let config = self.config.clone();
        let result = block_on(py, async move {
            let cluster = cell
                .get_or_try_init(|| async { Cluster::connect(&config).await })
                .await?
                .clone();
            op(cluster).await
        })?;
        result.map_err(|e| errors::kube(&e))
    }

    fn new_target(config: ClusterConfig) -> KubeTarget {
        KubeTarget {
            config,
            cluster: Arc::new(OnceCell::new()),
        }
    }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// The longest accepted connect or read timeout: a day. Longer ones are surely mistakes, and
/// sums of huge ones would not fit a `Duration`.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

/// A timeout in seconds, or `ValueError` (code `config.timeout`) unless it is a number in
/// (0, 86400].
fn seconds(what: &str, value: f64) -> PyResult<Duration> {
    if value > 0.0 && value <= MAX_TIMEOUT_SECS {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(error::<PyValueError>(
            codes::CONFIG_TIMEOUT.code,
            format!(
                "{what} must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}, \
                 not {value}"
            ),
        ))
    }
}

#[pymethods]
impl KubeTarget {
    /// Explicit settings: the API server URL, a bearer token, the CA certificate as PEM text
    /// (not a path), the namespace. TLS verification is on unless
    /// `insecure_skip_tls_verify=True`. Nothing is read from `~/.kube/config`. Timeouts are
    /// seconds in (0, 86400]; others raise `ValueError`.
    #[new]
    #[pyo3(signature = (server, *, token = None, ca_cert_pem = None, namespace = "default", insecure_skip_tls_verify = false, allow_writes = false, client_cert_pem = None, client_key_pem = None, all_namespaces = false, connect_timeout = 10.0, read_timeout = 30.0))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn new(
        server: String,
        token: Option<String>,
        ca_cert_pem: Option<String>,
        namespace: &str,
        insecure_skip_tls_verify: bool,
        allow_writes: bool,
        client_cert_pem: Option<String>,
        client_key_pem: Option<String>,
        all_namespaces: bool,
        connect_timeout: f64,
        read_timeout: f64,
    ) -> PyResult<KubeTarget> {
        let mut config = ClusterConfig::new(server).with_namespace(namespace);
        config.token = token.map(SecretString::from);
        config.ca_pem = ca_cert_pem;
        config.insecure_skip_tls_verify = insecure_skip_tls_verify;
        config.allow_writes = allow_writes;
        config.client_cert_pem = client_cert_pem;
        config.client_key_pem = client_key_pem.map(SecretString::from);
        config.all_namespaces = all_namespaces;
        config.connect_timeout = seconds("connect_timeout", connect_timeout)?;
        config.read_timeout = Some(seconds("read_timeout", read_timeout)?);
        Ok(KubeTarget::new_target(config))
    }

    /// Settings from kubeconfig text (the named context, or its current context). Token and
    /// client-certificate users only; `exec` plugins are refused.
    #[staticmethod]
    #[pyo3(signature = (text, context = None, *, allow_writes = false))]
    fn from_kubeconfig(
        text: &str,
        context: Option<&str>,
        allow_writes: bool,
    ) -> PyResult<KubeTarget> {
        let mut config =
            ClusterConfig::from_kubeconfig(text, context).map_err(|e| errors::kube(&e))?;
        config.allow_writes = allow_writes;
        Ok(KubeTarget::new_target(config))
    }

    /// The API server URL (user information, if any, shown as `<redacted>`).
    #[getter]
    fn server(&self) -> String {
        redact_url(&self.config.server)
    }

    /// The namespace of the fabric's objects.
    #[getter]
    fn namespace(&self) -> String {
        self.config.namespace.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "KubeTarget(server={:?}, namespace={:?}, token={}, insecure_skip_tls_verify={}, allow_writes={})",
            redact_url(&self.config.server),
            self.config.namespace,
            if self.config.token.is_some() {
                "<redacted>"
            } else {
                "None"
            },
            py_bool(self.config.insecure_skip_tls_verify),
            py_bool(self.config.allow_writes),
        )
    }

    /// Reachability, server version, namespace, served Hedgehog kinds and permissions; never
    /// raises for an unreachable or refusing cluster: `error` says what failed (`class`: dns,
    /// connect, tls, unauthorized, forbidden, timeout, other).
    fn test_connection<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = self.with(py, |c| async move { Ok(c.test_connection().await) })?;
        to_py(py, &report)
    }

    /// Every Hedgehog object the cluster serves (paginated, a few kinds at a time):
    /// `{"objects": [{key, value, resource_version}], "errors": [...], "missing_kinds": [...]}`.
    #[pyo3(signature = (page_size = DEFAULT_PAGE_SIZE))]
    fn discover<'py>(&self, py: Python<'py>, page_size: u32) -> PyResult<Bound<'py, PyAny>> {
        let snapshot = self.with(py, move |c| async move { c.list_all(page_size).await })?;
        to_py(py, &snapshot)
    }

    /// Server-side applies objects (field manager `hedgehog`); `dry_run=True` asks the server
    /// what would change without storing it (allowed without `allow_writes`). One result per
    /// object: `{"key", "outcome": "created" | "configured" | "unchanged" | "error", "error"}`.
    #[pyo3(signature = (objects, *, dry_run = false, force = false))]
    fn apply<'py>(
        &self,
        py: Python<'py>,
        objects: &Bound<'py, PyAny>,
        dry_run: bool,
        force: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let objects: Vec<Value> = from_py(objects, "objects")?;
        let options = ApplyOptions { dry_run, force };
        let results = self.with(py, move |c| async move { c.apply(&objects, options).await })?;
        to_py(py, &results)
    }

    /// Deletes one object if it still has `uid` / `resource_version` (when given); returns
    /// `"deleted"` or `"not_found"`. Raises `KubeError` (status 409) when it changed.
    #[pyo3(signature = (kind, name, *, namespace = None, uid = None, resource_version = None, dry_run = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn delete(
        &self,
        py: Python<'_>,
        kind: &str,
        name: String,
        namespace: Option<String>,
        uid: Option<String>,
        resource_version: Option<String>,
        dry_run: bool,
    ) -> PyResult<String> {
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind)
            .ok_or_else(|| {
                error::<ConfigError>(
                    codes::CONFIG_KIND.code,
                    format!("{kind:?} is not a Hedgehog kind"),
                )
            })?;
        let key = ObjectKey::new(
            kind,
            namespace.unwrap_or_else(|| self.config.namespace.clone()),
            name,
        );
        let pre = DeletePreconditions {
            uid,
            resource_version,
        };
        let outcome = self.with(
            py,
            move |c| async move { c.delete(&key, &pre, dry_run).await },
        )?;
        Ok(serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default())
    }
}
