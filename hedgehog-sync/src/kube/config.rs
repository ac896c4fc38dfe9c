//! `ClusterConfig`: explicit settings for one fabric's cluster, and how they become a kube client.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use super::error::KubeError;

use crate::secret::{ExposeSecret, SecretString};

/// Connection settings of one fabric's cluster. Nothing is inferred from the environment:
/// [`ClusterConfig::from_default_kubeconfig`] and [`ClusterConfig::in_cluster`] exist, but only
/// run when called by name. `Debug` shows no secret and no user information of the URL.
#[derive(Clone)]
pub struct ClusterConfig {
    /// API server URL, `https://host:6443` (`http://` only for loopback test servers).
    pub server: String,
    /// Bearer token of the service account.
    pub token: Option<SecretString>,
    /// The cluster's CA certificate(s) as PEM text (not a file path). Without it, the system's
    /// trusted roots verify the server; verification is never silently turned off.
    pub ca_pem: Option<String>,
    /// Namespace of the fabric's objects (`default`).
    pub namespace: String,
    /// List and watch every namespace instead of [`ClusterConfig::namespace`].
    pub all_namespaces: bool,
    /// Client certificate PEM, for certificate authentication.
    pub client_cert_pem: Option<String>,
    /// Client private key PEM, for certificate authentication.
    pub client_key_pem: Option<SecretString>,
    /// Limit on establishing a TCP+TLS connection.
    pub connect_timeout: Duration,
    /// Limit on waiting for an answer to a single request. Watches stay open for minutes, so
    /// this also bounds how long a quiet watch connection may stay silent; `None` = no limit.
    pub read_timeout: Option<Duration>,
    /// Skip TLS certificate verification. Off unless set explicitly.
    pub insecure_skip_tls_verify: bool,
    /// Allow apply and delete (server-side apply, non-dry-run). Off by default: reading is the
    /// default, writing is opt-in.
    pub allow_writes: bool,
}

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl std::fmt::Debug for ClusterConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterConfig")
            .field("server", &crate::secret::redact_url(&self.server))
            .field("token", &self.token)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "…"))
            .field("namespace", &self.namespace)
            .field("all_namespaces", &self.all_namespaces)
            .field(
                "client_cert_pem",
                &self.client_cert_pem.as_ref().map(|_| "…"),
            )
            .field("client_key_pem", &self.client_key_pem)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("insecure_skip_tls_verify", &self.insecure_skip_tls_verify)
            .field("allow_writes", &self.allow_writes)
            .finish()
    }
}

impl ClusterConfig {
    /// Settings for `server` with no credentials, namespace `default`, TLS verification on and
    /// writes off.
    pub fn new(server: impl Into<String>) -> Self {
        ClusterConfig {
            server: server.into(),
            token: None,
            ca_pem: None,
            namespace: "default".to_owned(),
            all_namespaces: false,
            client_cert_pem: None,
            client_key_pem: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: None,
            insecure_skip_tls_verify: false,
            allow_writes: false,
        }
    }

    /// Sets the bearer token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// Sets the CA certificate PEM text.
    pub fn with_ca_pem(mut self, pem: impl Into<String>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Sets the namespace.
    pub fn with_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Settings from kubeconfig text: the named context, or the file's `current-context`.
    /// Supports token and client-certificate users, inline `*-data` fields and file paths;
    /// `exec` and `auth-provider` plugins are refused (they would run programs).
    pub fn from_kubeconfig(text: &str, context: Option<&str>) -> Result<Self, KubeError> {
        let doc: Value = serde_yaml_ng::from_str(text)
            .map_err(|e| KubeError::Config(format!("kubeconfig is not valid YAML: {e}")))?;
        let ctx_name = match context {
            Some(c) => c.to_owned(),
            None => doc
                .get("current-context")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    KubeError::Config("kubeconfig has no current-context; name a context".into())
                })?
                .to_owned(),
        };
        let ctx = named(&doc, "contexts", &ctx_name, "context")?;
        let cluster_name = str_field(ctx, "cluster")
            .ok_or_else(|| KubeError::Config(format!("context {ctx_name:?} names no cluster")))?;
        let cluster = named(&doc, "clusters", cluster_name, "cluster")?;
        let server = str_field(cluster, "server")
            .ok_or_else(|| KubeError::Config(format!("cluster {cluster_name:?} has no server")))?;
        let mut cfg = ClusterConfig::new(server);
        if let Some(ns) = str_field(ctx, "namespace") {
            cfg.namespace = ns.to_owned();
        }
        cfg.insecure_skip_tls_verify = cluster
            .get("insecure-skip-tls-verify")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        cfg.ca_pem = data_or_file(cluster, "certificate-authority")?;
        if let Some(user_name) = str_field(ctx, "user") {
            let user = named(&doc, "users", user_name, "user")?;
            if user.get("exec").is_some() || user.get("auth-provider").is_some() {
                return Err(KubeError::Config(format!(
                    "user {user_name:?} authenticates with an exec or auth-provider plugin; use a service account token"
                )));
            }
            cfg.token = match (str_field(user, "token"), str_field(user, "tokenFile")) {
                (Some(t), _) => Some(SecretString::from(t)),
                (None, Some(path)) => Some(SecretString::from(read_file(path)?.trim())),
                (None, None) => None,
            };
            cfg.client_cert_pem = data_or_file(user, "client-certificate")?;
            cfg.client_key_pem = data_or_file(user, "client-key")?.map(SecretString::from);
        }
        Ok(cfg)
    }

    /// Settings from `$KUBECONFIG` or `~/.kube/config` — only when asked for by name.
    pub fn from_default_kubeconfig(context: Option<&str>) -> Result<Self, KubeError> {
        let path = std::env::var_os("KUBECONFIG")
            .and_then(|v| std::env::split_paths(&v).next())
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".kube/config")))
            .ok_or_else(|| KubeError::Config("no KUBECONFIG and no HOME".into()))?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            KubeError::Config(format!("cannot read kubeconfig {}: {e}", path.display()))
        })?;
        Self::from_kubeconfig(&text, context)
    }

    /// Settings of the pod's service account (`KUBERNETES_SERVICE_HOST`, the mounted token and
    /// CA) — only when asked for by name.
    pub fn in_cluster() -> Result<Self, KubeError> {
        const SA: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
        let host = std::env::var("KUBERNETES_SERVICE_HOST").map_err(|_| {
            KubeError::Config("not running in a pod: KUBERNETES_SERVICE_HOST is unset".into())
        })?;
        let port = std::env::var("KUBERNETES_SERVICE_PORT").unwrap_or_else(|_| "443".into());
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        let mut cfg = ClusterConfig::new(format!("https://{host}:{port}"));
        cfg.token = Some(SecretString::from(
            read_file(&format!("{SA}/token"))?.trim(),
        ));
        cfg.ca_pem = Some(read_file(&format!("{SA}/ca.crt"))?);
        cfg.namespace = read_file(&format!("{SA}/namespace"))?.trim().to_owned();
        Ok(cfg)
    }

    /// The secrets of these settings, to be scrubbed from every message.
    pub(crate) fn secrets(&self) -> Vec<SecretString> {
        [self.token.as_ref(), self.client_key_pem.as_ref()]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }

    /// The kube client configuration, built through an in-memory kubeconfig so kube parses the
    /// PEM data exactly as it would from a file.
    pub(crate) async fn to_kube_config(&self) -> Result<kube::Config, KubeError> {
        let uri: http::Uri = self.server.parse().map_err(|e| {
            KubeError::Config(format!("server URL {:?} is invalid: {e}", self.server))
        })?;
        match uri.scheme_str() {
            Some("https") | Some("http") if uri.host().is_some() => {}
            _ => {
                return Err(KubeError::Config(format!(
                    "server URL {:?} must be http(s)://host[:port]",
                    self.server
                )));
            }
        }
        if let Some(ca) = &self.ca_pem {
            require_pem(ca, "CERTIFICATE", "CA certificate")?;
        }
        if let Some(cert) = &self.client_cert_pem {
            require_pem(cert, "CERTIFICATE", "client certificate")?;
        }
        if let Some(key) = &self.client_key_pem {
            require_pem(key.expose_secret(), "PRIVATE KEY", "client key")?;
        }
        let mut cluster = json!({ "server": self.server, "insecure-skip-tls-verify": self.insecure_skip_tls_verify });
        let mut user = json!({});
        let put = |obj: &mut Value, key: &str, value: String| {
            if let Some(map) = obj.as_object_mut() {
                map.insert(key.to_owned(), Value::String(value));
            }
        };
        if let Some(ca) = &self.ca_pem {
            put(
                &mut cluster,
                "certificate-authority-data",
                BASE64.encode(ca),
            );
        }
        if let Some(token) = &self.token {
            put(&mut user, "token", token.expose_secret().to_owned());
        }
        if let Some(cert) = &self.client_cert_pem {
            put(&mut user, "client-certificate-data", BASE64.encode(cert));
        }
        if let Some(key) = &self.client_key_pem {
            put(
                &mut user,
                "client-key-data",
                BASE64.encode(key.expose_secret()),
            );
        }
        let kubeconfig = json!({
            "apiVersion": "v1", "kind": "Config", "current-context": "fabric",
            "clusters": [{ "name": "fabric", "cluster": cluster }],
            "users": [{ "name": "fabric", "user": user }],
            "contexts": [{ "name": "fabric", "context": { "cluster": "fabric", "user": "fabric", "namespace": self.namespace } }],
        });
        let kubeconfig: kube::config::Kubeconfig = serde_json::from_value(kubeconfig)
            .map_err(|e| KubeError::Config(format!("cannot build client settings: {e}")))?;
        let mut config = kube::Config::from_custom_kubeconfig(
            kubeconfig,
            &kube::config::KubeConfigOptions::default(),
        )
        .await
        .map_err(|e| {
            KubeError::Config(format!("cannot use the TLS or credential settings: {e}"))
        })?;
        config.connect_timeout = Some(self.connect_timeout);
        config.read_timeout = self.read_timeout;
        Ok(config)
    }
}

fn require_pem(text: &str, label: &str, what: &str) -> Result<(), KubeError> {
    if text.contains("-----BEGIN") && text.contains(label) {
        Ok(())
    } else {
        Err(KubeError::Config(format!(
            "the {what} must be PEM text (-----BEGIN {label}-----), not a file path or base64 blob"
        )))
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn named<'a>(doc: &'a Value, list: &str, name: &str, inner: &str) -> Result<&'a Value, KubeError> {
    doc.get(list)
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .find(|i| i.get("name").and_then(Value::as_str) == Some(name))
        })
        .and_then(|i| i.get(inner))
        .ok_or_else(|| KubeError::Config(format!("kubeconfig has no {inner} named {name:?}")))
}

fn data_or_file(v: &Value, field: &str) -> Result<Option<String>, KubeError> {
    if let Some(data) = str_field(v, &format!("{field}-data")) {
        let bytes = BASE64.decode(data.trim()).map_err(|e| {
            KubeError::Config(format!("kubeconfig {field}-data is not base64: {e}"))
        })?;
        return String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| KubeError::Config(format!("kubeconfig {field}-data is not PEM text")));
    }
    str_field(v, field).map(read_file).transpose()
}

fn read_file(path: &str) -> Result<String, KubeError> {
    std::fs::read_to_string(path).map_err(|e| KubeError::Config(format!("cannot read {path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBECONFIG: &str = r#"
apiVersion: v1
kind: Config
current-context: b
clusters:
- name: ca
  cluster: { server: "https://10.0.0.1:6443", certificate-authority-data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }
- name: cb
  cluster: { server: "https://b.example:6443", insecure-skip-tls-verify: true }
users:
- name: ua
  user: { token: "tok-aaaaaaaaaaaa" }
- name: ub
  user: { exec: { command: "aws" } }
contexts:
- name: a
  context: { cluster: ca, user: ua, namespace: fab1 }
- name: b
  context: { cluster: cb, user: ub }
- name: c
  context: { cluster: cb }
"#;

    #[test]
    fn kubeconfig_context_selection() {
        let a = ClusterConfig::from_kubeconfig(KUBECONFIG, Some("a")).unwrap();
        assert_eq!(a.server, "https://10.0.0.1:6443");
        assert_eq!(a.namespace, "fab1");
        assert_eq!(
            a.token.as_ref().map(ExposeSecret::expose_secret),
            Some("tok-aaaaaaaaaaaa")
        );
        assert_eq!(a.ca_pem.as_deref(), Some("-----BEGIN CERTIFICATE-----\n"));
        assert!(!a.insecure_skip_tls_verify);
        // current-context `b` uses an exec plugin: refused, not run.
        let err = ClusterConfig::from_kubeconfig(KUBECONFIG, None).unwrap_err();
        assert!(err.to_string().contains("exec"), "{err}");
        let c = ClusterConfig::from_kubeconfig(KUBECONFIG, Some("c")).unwrap();
        assert!(c.insecure_skip_tls_verify && c.token.is_none());
        assert_eq!(c.namespace, "default");
        let err = ClusterConfig::from_kubeconfig(KUBECONFIG, Some("zzz")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid cluster settings: kubeconfig has no context named \"zzz\""
        );
    }

    #[tokio::test]
    async fn ca_given_as_a_path_is_rejected_with_a_hint() {
        let cfg =
            ClusterConfig::new("https://127.0.0.1:6443").with_ca_pem("/etc/kubernetes/pki/ca.crt");
        let err = cfg.to_kube_config().await.unwrap_err();
        assert!(err.to_string().contains("must be PEM text"), "{err}");
        let err = ClusterConfig::new("ftp://x")
            .to_kube_config()
            .await
            .unwrap_err();
        assert!(matches!(err, KubeError::Config(_)));
    }

    #[test]
    fn debug_hides_token_and_key() {
        let mut cfg = ClusterConfig::new("https://x").with_token("tok-very-distinctive-1234");
        cfg.client_key_pem = Some("-----BEGIN PRIVATE KEY----- keymaterial-5678".into());
        let text = format!("{cfg:?}");
        assert!(
            !text.contains("tok-very-distinctive-1234") && !text.contains("keymaterial-5678"),
            "{text}"
        );
        assert!(text.contains("REDACTED"));
    }
}
