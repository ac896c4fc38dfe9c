//! `ClusterConfig`: explicit settings for one fabric's cluster, and how they become a kube client.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::{Value, json};

use super::error::KubeError;

use crate::secret::{ExposeSecret, SecretString, parser_message, redact_url};

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
    /// The kubeconfig these settings came from, handed to kube as it is, so that everything
    /// kube understands in it (`tls-server-name`, `proxy-url`, file paths, plugins) keeps
    /// working; `server`, `namespace`, `insecure_skip_tls_verify` and `token`, when changed
    /// after loading, override it. `None` for explicit settings.
    kubeconfig: Option<Arc<KubeconfigSource>>,
}

/// Whether a kubeconfig user's `exec` credential plugin may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecPlugins {
    /// Refuse such users (the default for the daemon and the bindings: a configuration file
    /// should not make the daemon run programs).
    Refuse,
    /// Run the plugin as kubectl would (the command line, with the user's own kubeconfig).
    Allow,
}

/// A parsed kubeconfig and its selected context.
struct KubeconfigSource {
    kubeconfig: Kubeconfig,
    context: String,
    /// The selected user's inline secrets, to be scrubbed from messages.
    secrets: Vec<SecretString>,
}

impl std::fmt::Debug for KubeconfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kubeconfig")
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
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
            kubeconfig: None,
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
    /// kube reads the text exactly as kubectl would (`tls-server-name`, `proxy-url`, inline
    /// `*-data` fields and file paths, which are relative to the working directory here).
    /// `exec` and `auth-provider` credential plugins are refused: they would run programs.
    pub fn from_kubeconfig(text: &str, context: Option<&str>) -> Result<Self, KubeError> {
        let kubeconfig = Kubeconfig::from_yaml(text).map_err(|e| {
            KubeError::Config(format!("kubeconfig: {}", parser_message(&e.to_string())))
        })?;
        Self::from_parsed_kubeconfig(kubeconfig, context, ExecPlugins::Refuse)
    }

    /// Settings from kubeconfig files, merged by kubectl's rules (the first file to set a value
    /// wins, as with a `KUBECONFIG` list); relative paths in each file are relative to that
    /// file. `exec` decides whether a user's `exec` credential plugin may run (`auth-provider`
    /// plugins are always refused).
    pub fn from_kubeconfig_files(
        paths: &[std::path::PathBuf],
        context: Option<&str>,
        exec: ExecPlugins,
    ) -> Result<Self, KubeError> {
        if paths.is_empty() {
            return Err(KubeError::Config("no kubeconfig file named".into()));
        }
        let mut merged = Kubeconfig::default();
        for path in paths {
            let file = Kubeconfig::read_from(path).map_err(|e| {
                KubeError::Config(format!(
                    "kubeconfig {}: {}",
                    path.display(),
                    parser_message(&e.to_string())
                ))
            })?;
            merged = merged.merge(file).map_err(|e| {
                KubeError::Config(format!(
                    "kubeconfig {}: {}",
                    path.display(),
                    parser_message(&e.to_string())
                ))
            })?;
        }
        Self::from_parsed_kubeconfig(merged, context, exec)
    }

    /// Settings from `$KUBECONFIG` (every file it lists) or `~/.kube/config` — only when asked
    /// for by name. Credential plugins are refused.
    pub fn from_default_kubeconfig(context: Option<&str>) -> Result<Self, KubeError> {
        let paths: Vec<std::path::PathBuf> = match std::env::var_os("KUBECONFIG") {
            Some(list) => std::env::split_paths(&list)
                .filter(|p| !p.as_os_str().is_empty())
                .collect(),
            None => std::env::var_os("HOME")
                .map(|h| vec![Path::new(&h).join(".kube/config")])
                .unwrap_or_default(),
        };
        if paths.is_empty() {
            return Err(KubeError::Config("no KUBECONFIG and no HOME".into()));
        }
        Self::from_kubeconfig_files(&paths, context, ExecPlugins::Refuse)
    }

    /// Checks the selected context (so that a wrong name fails at load, not at the first
    /// request) and keeps the kubeconfig for [`ClusterConfig::to_kube_config`]. `server`,
    /// `namespace` and `insecure_skip_tls_verify` are filled in for display and overrides.
    fn from_parsed_kubeconfig(
        kubeconfig: Kubeconfig,
        context: Option<&str>,
        exec: ExecPlugins,
    ) -> Result<Self, KubeError> {
        let ctx_name = match context {
            Some(c) => c.to_owned(),
            None => kubeconfig
                .current_context
                .clone()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    KubeError::Config("kubeconfig has no current-context; name a context".into())
                })?,
        };
        let named = |kind: &str, name: &str| {
            KubeError::Config(format!("kubeconfig has no {kind} named {name:?}"))
        };
        let ctx = kubeconfig
            .contexts
            .iter()
            .find(|c| c.name == ctx_name)
            .and_then(|c| c.context.as_ref())
            .ok_or_else(|| named("context", &ctx_name))?;
        let cluster = kubeconfig
            .clusters
            .iter()
            .find(|c| c.name == ctx.cluster)
            .and_then(|c| c.cluster.as_ref())
            .ok_or_else(|| named("cluster", &ctx.cluster))?;
        let server = cluster
            .server
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| KubeError::Config(format!("cluster {:?} has no server", ctx.cluster)))?;
        let user = match &ctx.user {
            Some(name) => Some(
                kubeconfig
                    .auth_infos
                    .iter()
                    .find(|u| &u.name == name)
                    .and_then(|u| u.auth_info.as_ref())
                    .ok_or_else(|| named("user", name))?,
            ),
            None => None,
        };
        let mut secrets = Vec::new();
        if let (Some(user), Some(name)) = (user, &ctx.user) {
            let plugin = user.auth_provider.is_some()
                || (user.exec.is_some() && exec == ExecPlugins::Refuse);
            if plugin {
                return Err(KubeError::Config(format!(
                    "user {name:?} authenticates with an exec or auth-provider plugin, which would run a program; use a service account token{}",
                    if user.exec.is_some() {
                        " (or allow exec plugins explicitly)"
                    } else {
                        ""
                    }
                )));
            }
            secrets.extend(user.token.clone());
            secrets.extend(user.password.clone());
            secrets.extend(user.client_key_data.clone());
        }
        let mut cfg = ClusterConfig::new(server);
        if let Some(ns) = ctx.namespace.as_ref().filter(|n| !n.is_empty()) {
            cfg.namespace = ns.clone();
        }
        cfg.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify.unwrap_or(false);
        cfg.kubeconfig = Some(Arc::new(KubeconfigSource {
            kubeconfig,
            context: ctx_name,
            secrets,
        }));
        Ok(cfg)
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
            .chain(
                self.kubeconfig
                    .iter()
                    .flat_map(|k| k.secrets.iter().cloned()),
            )
            .collect()
    }

    /// The kube client configuration: the kubeconfig as kube reads it, or the explicit
    /// settings; either way with this config's namespace, TLS override and timeouts.
    pub(crate) async fn to_kube_config(&self) -> Result<kube::Config, KubeError> {
        let mut config = match &self.kubeconfig {
            Some(source) => {
                let options = KubeConfigOptions {
                    context: Some(source.context.clone()),
                    ..KubeConfigOptions::default()
                };
                let mut config =
                    kube::Config::from_custom_kubeconfig(source.kubeconfig.clone(), &options)
                        .await
                        .map_err(|e| {
                            KubeError::Config(format!(
                                "kubeconfig: {}",
                                parser_message(&e.to_string())
                            ))
                        })?;
                // The public fields start as the kubeconfig's; a caller's change wins.
                config.cluster_url = self.server.parse().map_err(|e| {
                    KubeError::Config(format!(
                        "server URL {:?} is invalid: {e}",
                        redact_url(&self.server)
                    ))
                })?;
                if let Some(token) = &self.token {
                    config.auth_info.token = Some(token.clone());
                    config.auth_info.token_file = None;
                }
                config
            }
            None => {
                let mut config = self.explicit_kube_config().await?;
                // Explicit settings name everything; no proxy comes from the environment.
                config.proxy_url = None;
                config
            }
        };
        config.default_namespace.clone_from(&self.namespace);
        config.accept_invalid_certs |= self.insecure_skip_tls_verify;
        config.connect_timeout = Some(self.connect_timeout);
        config.read_timeout = self.read_timeout;
        Ok(config)
    }

    /// Explicit settings, built through an in-memory kubeconfig so that kube parses the PEM
    /// data exactly as it would from a file.
    async fn explicit_kube_config(&self) -> Result<kube::Config, KubeError> {
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
        kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
            .await
            .map_err(|e| {
                KubeError::Config(format!("cannot use the TLS or credential settings: {e}"))
            })
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

fn read_file(path: &str) -> Result<String, KubeError> {
    std::fs::read_to_string(path).map_err(|e| KubeError::Config(format!("cannot read {path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kube's YAML errors quote the source lines around the error, a token's among them
    /// (found by the `kubeconfig` fuzz target); a type error quotes the value.
    #[test]
    fn a_kubeconfig_that_does_not_parse_never_shows_its_token() {
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enoifQ.secret-part";
        let broken = format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: ainsecure-er:\n    token: {token}\n"
        );
        let mistyped = format!("apiVersion: v1\nkind: Config\nusers: \"{token}\"\n");
        for text in [broken, mistyped] {
            let e = ClusterConfig::from_kubeconfig(&text, None).unwrap_err();
            assert!(!e.to_string().contains("secret-part"), "{e}");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("config");
            std::fs::write(&path, &text).unwrap();
            let e = ClusterConfig::from_kubeconfig_files(&[path], None, ExecPlugins::Refuse)
                .unwrap_err();
            assert!(!e.to_string().contains("secret-part"), "{e}");
        }
    }

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
        // The user's token stays in the kubeconfig that kube reads, and is scrubbed from
        // messages.
        let secrets: Vec<String> = a
            .secrets()
            .iter()
            .map(|s| s.expose_secret().to_owned())
            .collect();
        assert_eq!(secrets, ["tok-aaaaaaaaaaaa"]);
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

    /// What the hand-written kubeconfig reader lost: `tls-server-name`, `proxy-url`, paths
    /// relative to the kubeconfig file, and a second file of a `KUBECONFIG` list.
    #[tokio::test]
    async fn kubeconfig_files_keep_what_kube_understands() {
        let dir = tempfile::tempdir().unwrap();
        let ca = rcgen::generate_simple_self_signed(vec!["api.internal".into()]).unwrap();
        std::fs::write(dir.path().join("ca.crt"), ca.cert.pem()).unwrap();
        std::fs::write(dir.path().join("token"), "tok-from-a-file-0000\n").unwrap();
        let clusters = r#"
apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab
  cluster:
    server: https://10.1.2.3:6443
    certificate-authority: ca.crt
    tls-server-name: api.internal
    proxy-url: http://127.0.0.1:3128
contexts:
- name: lab
  context: { cluster: lab, user: reader, namespace: fab }
"#;
        let users = r#"
apiVersion: v1
kind: Config
users:
- name: reader
  user: { tokenFile: token }
"#;
        std::fs::write(dir.path().join("clusters.yaml"), clusters).unwrap();
        std::fs::write(dir.path().join("users.yaml"), users).unwrap();
        let paths = [
            dir.path().join("clusters.yaml"),
            dir.path().join("users.yaml"),
        ];
        let cfg = ClusterConfig::from_kubeconfig_files(&paths, None, ExecPlugins::Refuse).unwrap();
        assert_eq!(
            (cfg.server.as_str(), cfg.namespace.as_str()),
            ("https://10.1.2.3:6443", "fab")
        );
        // Run from another directory: the relative paths are the kubeconfig's, not ours.
        let kube = cfg.to_kube_config().await.unwrap();
        assert_eq!(kube.tls_server_name.as_deref(), Some("api.internal"));
        assert_eq!(
            kube.proxy_url.map(|u| u.to_string()).as_deref(),
            Some("http://127.0.0.1:3128/")
        );
        assert_eq!(kube.root_cert.map(|c| c.len()), Some(1));
        assert_eq!(kube.default_namespace, "fab");
        let token_file = kube.auth_info.token_file.unwrap();
        assert_eq!(Path::new(&token_file), dir.path().join("token"));
    }

    /// `exec` plugins run programs: refused unless the caller allows them by name, and then
    /// handed to kube (which runs them per request, as kubectl does).
    #[tokio::test]
    async fn exec_plugins_run_only_when_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"
apiVersion: v1
kind: Config
current-context: eks
clusters:
- name: eks
  cluster: { server: "https://10.9.9.9" }
users:
- name: aws
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: ./get-token, interactiveMode: Never }
contexts:
- name: eks
  context: { cluster: eks, user: aws }
"#;
        let path = dir.path().join("config");
        std::fs::write(&path, text).unwrap();
        let paths = [path];
        let err =
            ClusterConfig::from_kubeconfig_files(&paths, None, ExecPlugins::Refuse).unwrap_err();
        assert!(err.to_string().contains("exec"), "{err}");
        assert!(ClusterConfig::from_kubeconfig(text, None).is_err());
        let cfg = ClusterConfig::from_kubeconfig_files(&paths, None, ExecPlugins::Allow).unwrap();
        let exec = cfg.to_kube_config().await.unwrap().auth_info.exec.unwrap();
        // A command with a path separator is relative to the kubeconfig, as in client-go.
        assert_eq!(
            exec.command.map(std::path::PathBuf::from),
            Some(dir.path().join("get-token"))
        );
    }

    #[tokio::test]
    async fn explicit_settings_take_no_proxy_from_the_environment() {
        let kube = ClusterConfig::new("https://127.0.0.1:6443")
            .to_kube_config()
            .await
            .unwrap();
        assert_eq!(kube.proxy_url, None);
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
