//! The daemon's TOML configuration: listen address, tokens, data directory and fabrics.
//! Secrets are never written in the file: each comes from an environment variable or a file
//! named there. Every problem of a configuration is reported at once.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hedgehog_model::config::FabricConfig;
use hedgehog_sync::fabric::{FabricSettings, GitSource, Policy};
use hedgehog_sync::git::Credentials;
use hedgehog_sync::kube::{ClusterConfig, ExecPlugins};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::secret::{
    ExposeSecret, SecretString, Zeroizing, parser_message, redact_url, secret_from,
    url_has_password,
};
use serde::Deserialize;

use super::cpu::DEFAULT_QUEUE_PER_CORE;

/// The default listen address: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_MAX_BODY: usize = 32 << 20;
const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// A day: longer requests are mistakes.
const MAX_TIMEOUT_SECS: u64 = 86_400;
const DEFAULT_INTERVAL_SECS: u64 = 300;
const MIN_INTERVAL_SECS: u64 = 5;
/// Thirty days: longer intervals are mistakes (and durations far beyond do not fit the
/// scheduler's clock).
const MAX_INTERVAL_SECS: u64 = 30 * 86_400;

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `host:port` to listen on.
    listen: Option<String>,
    /// Where state, caches and clones live.
    data_dir: Option<PathBuf>,
    /// Largest accepted request body.
    max_body_bytes: Option<usize>,
    /// Limit on one request.
    request_timeout_secs: Option<u64>,
    /// Validations and renderings run at once (default: the number of cores).
    cpu_workers: Option<usize>,
    /// Validations and renderings that may wait for a worker; more get 503.
    max_queued_requests: Option<usize>,
    #[serde(default)]
    tokens: Vec<TokenFile>,
    #[serde(default)]
    fabrics: Vec<FabricFile>,
    /// Share the fabrics with other replicas under Kubernetes Leases.
    coordination: Option<super::coordination::config::CoordinationFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFile {
    name: String,
    scope: Scope,
    env: Option<String>,
    file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FabricFile {
    name: String,
    #[serde(default)]
    policy: Policy,
    interval_secs: Option<u64>,
    desired: Option<PathBuf>,
    #[serde(default)]
    server_dry_run: bool,
    /// Largest share (percent) of the managed objects a pass may delete.
    max_delete_percent: Option<u8>,
    /// Passes may delete whole kinds and more than `max_delete_percent`.
    #[serde(default)]
    allow_deletions: bool,
    /// Passes first move managed files to the canonical layout, as a commit of their own.
    #[serde(default)]
    adopt_layout: bool,
    fabric_config: Option<PathBuf>,
    git: GitFile,
    cluster: Option<ClusterFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GitFile {
    url: String,
    #[serde(default = "main_branch")]
    branch: String,
    #[serde(default)]
    base_dir: String,
    username: Option<String>,
    token_env: Option<String>,
    token_file: Option<PathBuf>,
    ssh_key_file: Option<PathBuf>,
    known_hosts_file: Option<PathBuf>,
}

fn main_branch() -> String {
    "main".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterFile {
    server: Option<String>,
    ca_file: Option<PathBuf>,
    token_env: Option<String>,
    token_file: Option<PathBuf>,
    namespace: Option<String>,
    #[serde(default)]
    insecure_skip_tls_verify: bool,
    kubeconfig: Option<PathBuf>,
    context: Option<String>,
}

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every `GET` and the read-only `POST`s (validate, render, test-connection).
    Read,
    /// Also the mutating endpoints (sync).
    Write,
}

/// A bearer token and its scope.
#[derive(Clone)]
pub struct Token {
    /// Its name, for logs.
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// The token.
    pub secret: SecretString,
}

/// One fabric as the daemon runs it.
#[derive(Clone, Debug)]
pub struct FabricSpec {
    /// What passes may change.
    pub policy: Policy,
    /// Time between scheduled passes.
    pub interval: Duration,
    /// Files or a directory of the desired state, read at every pass (`None`: Git is the
    /// desired state).
    pub desired: Option<PathBuf>,
    /// Passes may delete whole kinds and more than `max_delete_percent` of the managed
    /// objects (an empty desired state is refused regardless).
    pub allow_deletions: bool,
    /// Passes with policy `commit` or `apply` first adopt the canonical layout (renames and
    /// canonical rendering, a commit of its own); without it plans leave such files alone.
    pub adopt_layout: bool,
    /// Everything the engine needs.
    pub settings: FabricSettings,
}

/// A checked configuration with its secrets read.
#[derive(Clone)]
pub struct Config {
    /// The listen address.
    pub listen: SocketAddr,
    /// Where state and caches live (`None`: a temporary directory).
    pub data_dir: Option<PathBuf>,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Limit on one request.
    pub request_timeout: Duration,
    /// Validations and renderings run at once.
    pub cpu_workers: usize,
    /// Validations and renderings that may wait for a worker; more are answered 503.
    pub max_queued_requests: usize,
    /// Bearer tokens; none means no authentication (loopback only).
    pub tokens: Vec<Token>,
    /// The fabrics.
    pub fabrics: Vec<FabricSpec>,
    /// With other replicas: which fabrics this one runs is decided by Kubernetes Leases
    /// (`None`: it runs every fabric, as a single daemon).
    pub coordination: Option<super::coordination::config::Coordination>,
}

impl Config {
    /// A configuration with no fabric and no token.
    pub fn empty(listen: SocketAddr) -> Config {
        Config {
            listen,
            data_dir: None,
            max_body_bytes: DEFAULT_MAX_BODY,
            request_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            cpu_workers: cores(),
            max_queued_requests: DEFAULT_QUEUE_PER_CORE * cores(),
            tokens: Vec::new(),
            fabrics: Vec::new(),
            coordination: None,
        }
    }

    /// Reads and checks a configuration file; relative paths in it are relative to its
    /// directory. Every problem is listed in the error.
    pub fn load(path: &Path) -> Result<Config, Vec<String>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, base)
    }

    /// Parses and checks configuration text; relative paths are relative to `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Config, Vec<String>> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| vec![syntax_error(text, &e)])?;
        let mut problems = Problems::default();
        let listen = file.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
        let listen = match listen.parse::<SocketAddr>() {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("listen: {listen:?} is not an address:port ({e})"));
                SocketAddr::from(([127, 0, 0, 1], 8080))
            }
        };
        let data_dir = file.data_dir.map(|d| base.join(d));
        let cache_dir = data_dir
            .clone()
            .unwrap_or_else(std::env::temp_dir)
            .join("git-cache");
        let tokens = tokens(&file.tokens, base, &mut problems);
        let mut names = BTreeSet::new();
        let fabrics = file
            .fabrics
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let at = format!("fabrics[{i}] ({})", f.name);
                if !names.insert(f.name.clone()) {
                    problems.push(format!("{at}: another fabric has this name"));
                }
                fabric(f, base, &cache_dir, &at, &mut problems)
            })
            .collect();
        if file.cpu_workers == Some(0) {
            problems.push("cpu_workers: must be at least 1".into());
        }
        if file.max_body_bytes == Some(0) {
            problems.push("max_body_bytes: must be at least 1".into());
        }
        if file
            .request_timeout_secs
            .is_some_and(|t| !(1..=MAX_TIMEOUT_SECS).contains(&t))
        {
            problems.push(format!(
                "request_timeout_secs: must be between 1 and {MAX_TIMEOUT_SECS} (a day)"
            ));
        }
        let config = Config {
            listen,
            data_dir,
            max_body_bytes: file.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY),
            request_timeout: Duration::from_secs(
                file.request_timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS),
            ),
            cpu_workers: file.cpu_workers.unwrap_or_else(cores),
            max_queued_requests: file
                .max_queued_requests
                .unwrap_or(DEFAULT_QUEUE_PER_CORE * cores()),
            tokens,
            fabrics,
            coordination: file
                .coordination
                .as_ref()
                .and_then(|c| super::coordination::config::check(c, base, &mut problems)),
        };
        config.check_exposure(&mut problems);
        problems.finish(config)
    }

    /// Without tokens the API has no authentication: only loopback addresses may serve it.
    pub fn check_exposure(&self, problems: &mut Problems) {
        if self.tokens.is_empty() && !self.listen.ip().is_loopback() {
            problems.push(format!(
                "listen: {} is not a loopback address and no [[tokens]] are configured; \
                 refusing to serve an unauthenticated API beyond this machine",
                self.listen
            ));
        }
    }
}

/// The cores of this machine.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Problems found while checking a configuration.
#[derive(Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records one.
    pub fn push(&mut self, problem: String) {
        self.0.push(problem);
    }

    /// The value, or every problem.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<String>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// A secret from an environment variable or a file (one of the two).
fn secret(
    env: Option<&str>,
    file: Option<&Path>,
    base: &Path,
    at: &str,
    problems: &mut Problems,
) -> Option<SecretString> {
    match (env, file) {
        (Some(_), Some(_)) => {
            problems.push(format!(
                "{at}: give either an environment variable or a file, not both"
            ));
            None
        }
        (Some(var), None) => match std::env::var(var).map(Zeroizing::new) {
            Ok(v) if !v.trim().is_empty() => Some(secret_from(v)),
            _ => {
                problems.push(format!("{at}: environment variable {var} is not set"));
                None
            }
        },
        (None, Some(path)) => {
            read(base, path, at, problems).map(|v| secret_from(Zeroizing::new(v)))
        }
        (None, None) => None,
    }
}

/// Reads a file named in the configuration (relative to `base`), or records why it cannot.
pub(super) fn read(base: &Path, path: &Path, at: &str, problems: &mut Problems) -> Option<String> {
    let full = base.join(path);
    match std::fs::read_to_string(&full) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(format!("{at}: cannot read {}: {e}", full.display()));
            None
        }
    }
}

fn tokens(files: &[TokenFile], base: &Path, problems: &mut Problems) -> Vec<Token> {
    files
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let at = format!("tokens[{i}] ({})", t.name);
            let secret = secret(t.env.as_deref(), t.file.as_deref(), base, &at, problems);
            if t.env.is_none() && t.file.is_none() {
                problems.push(format!("{at}: needs `env` or `file`"));
            }
            if let Some(s) = &secret
                && s.expose_secret().len() < 16
            {
                problems.push(format!("{at}: the token is shorter than 16 characters"));
            }
            secret.map(|secret| Token {
                name: t.name.clone(),
                scope: t.scope,
                secret,
            })
        })
        .collect()
}

fn fabric(
    f: &FabricFile,
    base: &Path,
    cache_dir: &Path,
    at: &str,
    problems: &mut Problems,
) -> Option<FabricSpec> {
    let before = problems.0.len();
    let valid_name = !f.name.is_empty()
        && f.name.len() <= 63
        && f.name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_name {
        problems.push(format!(
            "{at}: name must be 1–63 characters of a-z, 0-9 and -"
        ));
    }
    let interval = f.interval_secs.unwrap_or(DEFAULT_INTERVAL_SECS);
    if interval < MIN_INTERVAL_SECS {
        problems.push(format!(
            "{at}: interval_secs must be at least {MIN_INTERVAL_SECS}"
        ));
    }
    if interval > MAX_INTERVAL_SECS {
        problems.push(format!(
            "{at}: interval_secs must be at most {MAX_INTERVAL_SECS} (30 days)"
        ));
    }
    if f.max_delete_percent.is_some_and(|p| p > 100) {
        problems.push(format!("{at}: max_delete_percent must be at most 100"));
    }
    if let Err(e) = Layout::new(&f.git.base_dir) {
        problems.push(format!("{at}: git.base_dir: {e}"));
    }
    if f.git.url.trim().is_empty() {
        problems.push(format!("{at}: git.url is empty"));
    }
    if url_has_password(&f.git.url) {
        problems.push(format!(
            "{at}: git.url {} contains a password; remove it from the URL and give the \
             password or token with git.token_env or git.token_file (the user name with \
             git.username)",
            redact_url(&f.git.url)
        ));
    }
    let credentials = git_credentials(&f.git, base, at, problems);
    let config = match &f.fabric_config {
        Some(path) => {
            read(base, path, &format!("{at}: fabric_config"), problems).and_then(|text| {
                FabricConfig::from_yaml(&text)
                    .map_err(|e| problems.push(format!("{at}: fabric_config: {e}")))
                    .ok()
            })
        }
        None => Some(FabricConfig::default()),
    };
    let cluster = f
        .cluster
        .as_ref()
        .map(|c| cluster(c, base, f.policy == Policy::Apply, at, problems));
    if f.policy == Policy::Apply && f.cluster.is_none() {
        problems.push(format!("{at}: policy \"apply\" needs a [fabrics.cluster]"));
    }
    if f.server_dry_run && f.cluster.is_none() {
        problems.push(format!("{at}: server_dry_run needs a [fabrics.cluster]"));
    }
    let desired = f.desired.as_ref().map(|d| base.join(d));
    if let Some(d) = &desired
        && !d.exists()
    {
        problems.push(format!("{at}: desired: {} does not exist", d.display()));
    }
    if problems.0.len() > before {
        return None;
    }
    Some(FabricSpec {
        policy: f.policy,
        interval: Duration::from_secs(interval),
        desired,
        allow_deletions: f.allow_deletions,
        adopt_layout: f.adopt_layout,
        settings: FabricSettings {
            name: f.name.clone(),
            git: GitSource {
                url: f.git.url.clone(),
                branch: f.git.branch.clone(),
                base_dir: f.git.base_dir.clone(),
                credentials: credentials?,
            },
            cluster: cluster.flatten(),
            cache_dir: cache_dir.to_path_buf(),
            config: config?,
            server_dry_run: f.server_dry_run,
            max_delete_percent: f
                .max_delete_percent
                .unwrap_or(hedgehog_sync::guard::DEFAULT_MAX_PERCENT),
        },
    })
}

fn git_credentials(
    g: &GitFile,
    base: &Path,
    at: &str,
    problems: &mut Problems,
) -> Option<Credentials> {
    let token = secret(
        g.token_env.as_deref(),
        g.token_file.as_deref(),
        base,
        &format!("{at}: git token"),
        problems,
    );
    let key = g
        .ssh_key_file
        .as_ref()
        .and_then(|p| read(base, p, &format!("{at}: git.ssh_key_file"), problems));
    let known_hosts = g
        .known_hosts_file
        .as_ref()
        .and_then(|p| read(base, p, &format!("{at}: git.known_hosts_file"), problems));
    match (token, key) {
        (Some(_), Some(_)) => {
            problems.push(format!("{at}: git: give a token or an SSH key, not both"));
            None
        }
        (Some(token), None) => Some(Credentials::Token {
            username: g.username.clone(),
            token,
        }),
        (None, Some(key)) => Some(Credentials::SshKey {
            private_key: secret_from(Zeroizing::new(key)),
            known_hosts,
        }),
        (None, None) => Some(Credentials::None),
    }
}

fn cluster(
    c: &ClusterFile,
    base: &Path,
    writes: bool,
    at: &str,
    problems: &mut Problems,
) -> Option<ClusterConfig> {
    let at = format!("{at}: cluster");
    let token = secret(
        c.token_env.as_deref(),
        c.token_file.as_deref(),
        base,
        &format!("{at} token"),
        problems,
    );
    let mut config = match (&c.server, &c.kubeconfig) {
        (Some(_), Some(_)) => {
            problems.push(format!("{at}: give `server` or `kubeconfig`, not both"));
            return None;
        }
        (None, None) => {
            problems.push(format!("{at}: needs `server` or `kubeconfig`"));
            return None;
        }
        (Some(server), None) => {
            let mut config = ClusterConfig::new(server.clone());
            config.token = token;
            if let Some(ca) = &c.ca_file {
                config.ca_pem = read(base, ca, &format!("{at}.ca_file"), problems);
            }
            config
        }
        (None, Some(path)) => {
            // Exec plugins are refused: a configuration file should not make the daemon run
            // programs; give it a service account token instead.
            let paths = [base.join(path)];
            match ClusterConfig::from_kubeconfig_files(
                &paths,
                c.context.as_deref(),
                ExecPlugins::Refuse,
            ) {
                Ok(config) => config,
                Err(e) => {
                    problems.push(format!("{at}.kubeconfig: {e}"));
                    return None;
                }
            }
        }
    };
    if let Some(ns) = &c.namespace {
        config.namespace = ns.clone();
    }
    if url_has_password(&config.server) {
        let from = if c.kubeconfig.is_some() {
            "the kubeconfig's server URL"
        } else {
            "server"
        };
        problems.push(format!(
            "{at}: {from} {} contains a password; remove it from the URL and give a token \
             with token_env or token_file",
            redact_url(&config.server)
        ));
        return None;
    }
    config.insecure_skip_tls_verify |= c.insecure_skip_tls_verify;
    config.allow_writes = writes;
    Some(config)
}

/// A TOML error without the source line toml quotes (a line may hold a URL's password or a
/// token, whole or mangled past recognition by the syntax error): its position and message.
fn syntax_error(text: &str, e: &toml::de::Error) -> String {
    let message = parser_message(e.message());
    let Some(span) = e.span() else {
        return format!("TOML: {message}");
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count()
        + 1;
    format!("TOML error at line {line}, column {column}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A syntax error on a line holding a URL with a password used to quote the line, and
    /// the URL redaction cannot recognise a URL the error mangled (found by the
    /// `daemon_config` fuzz target).
    #[test]
    fn a_syntax_error_never_quotes_the_line() {
        let text = "[[fabrics]]\nname = \"lab\"\n\
            git = { url = \"https://user:sw0rdfish-123@git.example.com/f.git\", base_dir||| = \"f\", \
            x = \"er:sw0rdfish-123@git\" }\n";
        let problems = Config::parse(text, Path::new("/nonexistent"))
            .err()
            .unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].contains("sw0rdfish"), "{problems:?}");
        assert!(
            problems[0].starts_with("TOML error at line 3, column "),
            "{problems:?}"
        );
    }

    #[test]
    fn every_problem_is_listed() {
        let text = r#"
listen = "0.0.0.0:80"
[[tokens]]
name = "ci"
scope = "write"
env = "HEDGEHOGD_TEST_UNSET_VARIABLE"
[[fabrics]]
name = "Lab"
interval_secs = 1
policy = "apply"
git = { url = "", base_dir = "../up" }
[[fabrics]]
name = "Lab"
max_delete_percent = 101
git = { url = "file:///srv/x.git" }
cluster = { }
[[fabrics]]
name = "huge"
interval_secs = 18446744073709551615
git = { url = "file:///srv/x.git" }
"#;
        let problems = Config::parse(text, Path::new("/nonexistent"))
            .err()
            .unwrap();
        let all = problems.join("\n");
        for expected in [
            "environment variable HEDGEHOGD_TEST_UNSET_VARIABLE is not set",
            "fabrics[0] (Lab): name must be",
            "interval_secs must be at least 5",
            "git.base_dir",
            "git.url is empty",
            "policy \"apply\" needs a [fabrics.cluster]",
            "fabrics[1] (Lab): another fabric has this name",
            "needs `server` or `kubeconfig`",
            "max_delete_percent must be at most 100",
            "is not a loopback address and no [[tokens]]",
            "fabrics[2] (huge): interval_secs must be at most 2592000 (30 days)",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
        }
        assert!(Config::parse("bogus = 1", Path::new(".")).is_err());
        let huge = Config::parse(
            "request_timeout_secs = 18446744073709551615",
            Path::new("."),
        );
        assert_eq!(
            huge.err().unwrap(),
            ["request_timeout_secs: must be between 1 and 86400 (a day)"]
        );
    }
}
