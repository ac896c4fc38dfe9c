//! The real Kubernetes API server for integration tests: `scripts/test-apiserver`, a
//! kube-apiserver built from the Kubernetes Go modules on an embedded etcd, with the Hedgehog
//! CRDs installed and upstream's built-in switch profiles seeded (see
//! `conformance/apiserver`). The script builds the program on first use.
//!
//! Start-up takes seconds, so a test binary shares one server ([`shared`]) and each test
//! works in a namespace of its own; [`TestApiServer::start`] runs a separate one when a test
//! needs other settings (no watch cache).

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use hedgehog_sync::kube::{Access, ClusterConfig, rbac_manifests};

use crate::daemon::Client;

/// Name and namespace of the service account the restricted kubeconfig authenticates as;
/// its Role and RoleBinding are [`rbac_manifests`] with [`Access::ReadOnly`].
pub const RESTRICTED_ACCOUNT: (&str, &str) = ("hedgehog-reader", "default");

/// How long the server may take from start to `READY` (the build is done before).
const START_LIMIT: Duration = Duration::from_secs(180);

/// Settings of a server.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// kube-apiserver's watch cache. Without it a watch reads etcd directly, so an etcd
    /// compaction expires older resource versions (`410 Gone`) as a long disconnection
    /// does in production.
    pub watch_cache: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { watch_cache: true }
    }
}

/// A running server; stopped on drop (and when the test process exits: it watches its
/// standard input).
pub struct TestApiServer {
    child: Mutex<Child>,
    _stdin: ChildStdin,
    /// Where the kubeconfigs and the server's log are.
    pub dir: PathBuf,
    /// The admin kubeconfig (member of `system:masters`).
    pub kubeconfig: PathBuf,
    /// The kubeconfig of [`RESTRICTED_ACCOUNT`].
    pub restricted_kubeconfig: PathBuf,
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// A TCP pass-through to the server that [`TestApiServer::cut_watch_proxy`] can cut.
    pub watch_proxy_url: String,
    control: SocketAddr,
}

/// The server this test binary shares, started on first use.
pub fn shared(target_tmpdir: &Path) -> &'static TestApiServer {
    static SERVER: OnceLock<TestApiServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        TestApiServer::start(target_tmpdir, Options::default())
            .unwrap_or_else(|e| panic!("cannot start the test API server: {e}"))
    })
}

impl TestApiServer {
    /// Builds the program if needed, starts it with its files in a new directory under
    /// `target_tmpdir` (a test's `CARGO_TARGET_TMPDIR`), and waits for `READY`.
    pub fn start(target_tmpdir: &Path, options: Options) -> Result<TestApiServer, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-apiserver");
        let status = Command::new(&script)
            .arg("--build-only")
            .status()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !status.success() {
            return Err(format!(
                "{} --build-only failed: {status}",
                script.display()
            ));
        }
        std::fs::create_dir_all(target_tmpdir).map_err(|e| e.to_string())?;
        let dir = tempfile::Builder::new()
            .prefix("test-apiserver-")
            .tempdir_in(target_tmpdir)
            .map_err(|e| e.to_string())?
            .keep();
        let (name, namespace) = RESTRICTED_ACCOUNT;
        let rbac = dir.join("rbac.yaml");
        std::fs::write(&rbac, rbac_manifests(name, namespace, Access::ReadOnly))
            .map_err(|e| e.to_string())?;
        let log_path = dir.join("server.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let kubeconfig = dir.join("admin.kubeconfig");
        let restricted_kubeconfig = dir.join("restricted.kubeconfig");
        let mut child = Command::new(&script)
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--restricted-kubeconfig")
            .arg(&restricted_kubeconfig)
            .arg("--rbac-manifests")
            .arg(&rbac)
            .arg(format!("--watch-cache={}", options.watch_cache))
            .arg("--exit-with-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", script.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let announced = match wait_ready(stdout) {
            Ok(a) => a,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{e}; server log:\n{}", tail(&log_path, 40)));
            }
        };
        let text = std::fs::read_to_string(&kubeconfig).map_err(|e| e.to_string())?;
        let url = ClusterConfig::from_kubeconfig(&text, None)
            .map_err(|e| e.to_string())?
            .server;
        Ok(TestApiServer {
            child: Mutex::new(child),
            _stdin: stdin,
            dir,
            kubeconfig,
            restricted_kubeconfig,
            url,
            watch_proxy_url: announced.watch_proxy_url,
            control: announced.control,
        })
    }

    /// Settings of the admin user, writes allowed, in `namespace`.
    pub fn admin(&self, namespace: &str) -> ClusterConfig {
        let mut config = read_kubeconfig(&self.kubeconfig).with_namespace(namespace);
        config.allow_writes = true;
        config
    }

    /// Settings of [`RESTRICTED_ACCOUNT`] (writes allowed on our side; RBAC decides).
    pub fn restricted(&self) -> ClusterConfig {
        let mut config = read_kubeconfig(&self.restricted_kubeconfig);
        config.allow_writes = true;
        config
    }

    /// Compacts etcd at its current revision; returns the revision.
    pub async fn compact(&self) -> Result<i64, String> {
        let body = self.control("/compact").await?;
        body["revision"]
            .as_i64()
            .ok_or_else(|| format!("unexpected answer {body}"))
    }

    /// Closes every connection through the watch proxy and refuses new ones.
    pub async fn cut_watch_proxy(&self) -> Result<(), String> {
        self.control("/watch-proxy/cut").await.map(drop)
    }

    /// Accepts connections through the watch proxy again.
    pub async fn restore_watch_proxy(&self) -> Result<(), String> {
        self.control("/watch-proxy/restore").await.map(drop)
    }

    async fn control(&self, path: &str) -> Result<serde_json::Value, String> {
        let response = Client::connect(self.control)
            .await?
            .post(path, None, Vec::new())
            .await?;
        if !response.status.is_success() {
            return Err(format!("{path}: {} {}", response.status, response.text()));
        }
        Ok(response.json())
    }
}

impl Drop for TestApiServer {
    fn drop(&mut self) {
        let Ok(child) = self.child.get_mut() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

struct Announced {
    control: SocketAddr,
    watch_proxy_url: String,
}

/// Reads `CONTROL`, `WATCH-PROXY` and `READY` lines; the rest of standard output is drained
/// in the background so the server never blocks on a full pipe.
fn wait_ready(stdout: impl Read + Send + 'static) -> Result<Announced, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + START_LIMIT;
    let (mut control, mut watch_proxy_url) = (None, None);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .map_err(|_| format!("no READY line within {} s", START_LIMIT.as_secs()))?;
        if let Some(url) = line.strip_prefix("CONTROL http://") {
            control = url.trim().parse::<SocketAddr>().ok();
        } else if let Some(url) = line.strip_prefix("WATCH-PROXY ") {
            watch_proxy_url = Some(url.trim().to_owned());
        } else if line.trim() == "READY" {
            return match (control, watch_proxy_url) {
                (Some(control), Some(watch_proxy_url)) => Ok(Announced {
                    control,
                    watch_proxy_url,
                }),
                _ => Err("READY came before the CONTROL and WATCH-PROXY lines".into()),
            };
        }
    }
}

fn read_kubeconfig(path: &Path) -> ClusterConfig {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    ClusterConfig::from_kubeconfig(&text, None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
