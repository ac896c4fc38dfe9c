//! `hedgehogd serve` over real TCP on 127.0.0.1: every endpoint, authentication, limits,
//! errors, single-flight sync, passes against a `file://` Git remote and the loopback fake
//! Kubernetes API server, restart with the state file, graceful shutdown.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon};
use serde_json::{Value, json};

const READ: &str = "read-token-0123456789abcdef";
const WRITE: &str = "write-token-0123456789abcdef";
const BROKEN: &str = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 5000\n      bogus: true\n";

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_hedgehogd"))
}

fn git(home: &Path, dir: &Path, args: &[&str]) -> String {
    hedgehog_benches::git(home, dir, args).unwrap()
}

/// A temp directory with a HOME, a bare remote with one commit, and a desired state.
struct Fixture {
    tmp: tempfile::TempDir,
}

impl Fixture {
    fn new(desired: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let f = Fixture { tmp };
        std::fs::create_dir_all(f.home()).unwrap();
        let work = f.path("work");
        git(
            &f.home(),
            f.tmp.path(),
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                f.path("remote.git").to_str().unwrap(),
            ],
        );
        git(
            &f.home(),
            f.tmp.path(),
            &["init", "-q", "-b", "main", work.to_str().unwrap()],
        );
        std::fs::write(work.join("README.md"), "fabric\n").unwrap();
        git(&f.home(), &work, &["add", "."]);
        git(&f.home(), &work, &["commit", "-q", "-m", "initial"]);
        git(
            &f.home(),
            &work,
            &["push", "-q", f.path("remote.git").to_str().unwrap(), "main"],
        );
        std::fs::create_dir_all(f.path("desired")).unwrap();
        std::fs::write(f.path("desired/fabric.yaml"), desired).unwrap();
        f
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn home(&self) -> PathBuf {
        self.path("home")
    }

    fn remote_log(&self) -> Vec<String> {
        git(
            &self.home(),
            self.tmp.path(),
            &[
                "--git-dir",
                self.path("remote.git").to_str().unwrap(),
                "log",
                "--format=%s",
                "main",
            ],
        )
        .lines()
        .map(str::to_owned)
        .collect()
    }

    /// Writes a config with `extra` TOML after the fabric table and starts the daemon.
    fn start(&self, policy: &str, top: &str, fabric_extra: &str) -> Daemon {
        let config = format!(
            "data_dir = \"{data}\"\n{top}\n[[fabrics]]\nname = \"lab\"\npolicy = \"{policy}\"\ninterval_secs = 3600\n\
             desired = \"{desired}\"\ngit = {{ url = \"file://{remote}\", base_dir = \"fabric\" }}\n{fabric_extra}\n",
            data = self.path("data").display(),
            desired = self.path("desired").display(),
            remote = self.path("remote.git").display(),
        );
        std::fs::write(self.path("hedgehogd.toml"), config).unwrap();
        let home = self.home();
        Daemon::start(
            binary(),
            &["--config", self.path("hedgehogd.toml").to_str().unwrap()],
            &[
                ("HOME", home.to_str().unwrap()),
                ("GIT_CONFIG_NOSYSTEM", "1"),
                ("HEDGEHOGD_READ_TOKEN", READ),
                ("HEDGEHOGD_WRITE_TOKEN", WRITE),
            ],
        )
        .unwrap()
    }
}

const TOKENS: &str = "[[tokens]]\nname = \"reader\"\nscope = \"read\"\nenv = \"HEDGEHOGD_READ_TOKEN\"\n\
                      [[tokens]]\nname = \"writer\"\nscope = \"write\"\nenv = \"HEDGEHOGD_WRITE_TOKEN\"\n";

fn vlab_desired() -> String {
    let out = Command::new(binary()).args(["sample"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

async fn ready(client: &mut Client, token: Option<&str>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = client.get("/readyz", token).await.unwrap();
        if r.status == 200 {
            return;
        }
        assert!(Instant::now() < deadline, "not ready: {}", r.text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn finished(client: &mut Client, id: &str, token: Option<&str>) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let op = client
            .get(&format!("/v1/operations/{id}"), token)
            .await
            .unwrap()
            .json();
        if op["state"] != "running" {
            return op;
        }
        assert!(Instant::now() < deadline, "{op}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn demo_mode_serves_every_endpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let daemon = Daemon::start(
        binary(),
        &["--data-dir", tmp.path().join("data").to_str().unwrap()],
        &[
            ("HOME", home.to_str().unwrap()),
            ("GIT_CONFIG_NOSYSTEM", "1"),
        ],
    )
    .unwrap();
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;

    assert_eq!(
        c.get("/healthz", None).await.unwrap().json(),
        json!({"status": "ok", "waiting": []})
    );
    let fabrics = c.get("/v1/fabrics", None).await.unwrap().json();
    assert_eq!(fabrics.as_array().unwrap().len(), 1);
    let demo = c.get("/v1/fabrics/demo", None).await.unwrap().json();
    assert_eq!(demo["policy"], "detect");
    assert_eq!(demo["drift"]["status"], "git_ahead");
    assert_eq!(
        demo["last_sync"]["pending"]["update"],
        json!(["managed/vpcs/vpc-01.yaml"])
    );

    let drift = c.get("/v1/fabrics/demo/drift", None).await.unwrap().json();
    assert_eq!(drift["summary"]["counts"]["pending_commit"], 1);
    let object = &drift["objects"][0];
    assert_eq!(
        (
            object["kind"].as_str(),
            object["name"].as_str(),
            object["state"].as_str()
        ),
        (Some("VPC"), Some("vpc-01"), Some("pending_commit"))
    );
    assert_eq!(object["changes"][0]["path"], "spec.subnets.subnet-01.vlan");
    let filtered = c
        .get("/v1/fabrics/demo/drift?kind=Switch", None)
        .await
        .unwrap()
        .json();
    assert_eq!(filtered["objects"], json!([]));
    let by_state = c
        .get("/v1/fabrics/demo/drift?state=pending_commit", None)
        .await
        .unwrap()
        .json();
    assert_eq!(by_state["objects"].as_array().unwrap().len(), 1);
    let bad = c
        .get("/v1/fabrics/demo/drift?state=sideways", None)
        .await
        .unwrap();
    assert_eq!(
        (bad.status.as_u16(), bad.json()["error"]["code"].as_str()),
        (400, Some("query.invalid"))
    );

    let missing = c.get("/v1/fabrics/nope", None).await.unwrap();
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["code"], "fabric.not-found");
    assert_eq!(
        c.get("/v1/fabrics/nope/drift", None).await.unwrap().status,
        404
    );
    assert_eq!(
        c.get("/v1/operations/op-0", None).await.unwrap().json()["error"]["code"],
        "operation.not-found"
    );
    assert_eq!(
        c.get("/v2/anything", None).await.unwrap().json()["error"]["code"],
        "route.not-found"
    );

    // Validation: the CLI's report; invalid YAML is a report with a parse diagnostic.
    let report = c.post("/v1/validate", None, BROKEN).await.unwrap().json();
    let cli = Command::new(binary())
        .args(["validate", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    let mut cli = cli;
    cli.stdin
        .take()
        .unwrap()
        .write_all(BROKEN.as_bytes())
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(report, cli);
    let invalid = c
        .post("/v1/validate", None, "kind: [unclosed")
        .await
        .unwrap();
    assert_eq!(invalid.status, 200);
    assert!(
        invalid.json()["diagnostics"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("load."),
        "{}",
        invalid.text()
    );
    let per_object = c
        .post("/v1/validate?fabric=false", None, BROKEN)
        .await
        .unwrap()
        .json();
    assert!(per_object["errors"].as_u64() < report["errors"].as_u64());

    let rendered = c.post("/v1/render", None, BROKEN).await.unwrap();
    assert_eq!(rendered.headers["content-type"], "application/yaml");
    assert!(
        rendered
            .text()
            .starts_with("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\n")
    );
    assert_eq!(
        c.post("/v1/render", None, "kind: [").await.unwrap().status,
        422
    );

    let connection = c
        .post("/v1/fabrics/demo/test-connection", None, "")
        .await
        .unwrap()
        .json();
    assert_eq!(connection["git"]["reachable"], true);
    assert_eq!(connection["cluster"], Value::Null);

    let started = c.post("/v1/fabrics/demo/sync", None, "").await.unwrap();
    assert_eq!(started.status, 202);
    let id = started.json()["operation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(started.headers["location"], format!("/v1/operations/{id}"));
    let op = finished(&mut c, &id, None).await;
    assert_eq!(op["state"], "succeeded");
    assert_eq!(op["result"]["status"], "git_ahead");

    let gitops = c
        .get("/v1/fabrics/demo/gitops-status", None)
        .await
        .unwrap()
        .json();
    assert_eq!(gitops["branch"], "main");
    assert_eq!(gitops["head_commit"], op["result"]["commit"]);
    assert_eq!(
        gitops["pending"]["update"],
        json!(["managed/vpcs/vpc-01.yaml"])
    );

    let metrics = c.get("/metrics", None).await.unwrap().text();
    assert!(
        metrics.contains("hedgehogd_drift_objects{fabric=\"demo\",state=\"pending_commit\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("hedgehogd_sync_passes_total{fabric=\"demo\",result=\"success\"}"));
    assert!(
        metrics.contains("hedgehogd_http_requests_total{route=\"/v1/validate\",status=\"200\"}")
    );

    let openapi = c.get("/v1/openapi.json", None).await.unwrap().json();
    assert_eq!(openapi["openapi"], "3.1.0");
    for path in [
        "/v1/validate",
        "/v1/fabrics/{name}/drift",
        "/v1/fabrics/{name}/sync",
        "/metrics",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path}");
    }
    for schema in [
        "DriftReport",
        "ValidationReport",
        "Diagnostic",
        "FabricView",
        "Operation",
        "ConnectionTest",
    ] {
        assert!(
            openapi["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
    assert_eq!(daemon.stop(), Some(0));
}

#[tokio::test]
async fn tokens_scope_every_endpoint() {
    let f = Fixture::new(&vlab_desired());
    let daemon = f.start("detect", TOKENS, "");
    let mut c = daemon.client().await.unwrap();
    // Health needs no token; everything else does.
    assert_eq!(c.get("/healthz", None).await.unwrap().status, 200);
    ready(&mut c, None).await;
    let denied = c.get("/v1/fabrics", None).await.unwrap();
    assert_eq!(denied.status, 401);
    assert_eq!(denied.headers["www-authenticate"], "Bearer");
    assert_eq!(denied.json()["error"]["code"], "auth.unauthorized");
    assert_eq!(
        c.get("/v1/fabrics", Some("wrong-token-0123456789"))
            .await
            .unwrap()
            .status,
        401
    );
    assert_eq!(c.get("/metrics", None).await.unwrap().status, 401);
    assert_eq!(
        c.post("/v1/validate", None, BROKEN).await.unwrap().status,
        401
    );

    assert_eq!(c.get("/v1/fabrics", Some(READ)).await.unwrap().status, 200);
    assert_eq!(
        c.post("/v1/validate", Some(READ), BROKEN)
            .await
            .unwrap()
            .status,
        200
    );
    let forbidden = c
        .post("/v1/fabrics/lab/sync", Some(READ), "")
        .await
        .unwrap();
    assert_eq!(
        (
            forbidden.status.as_u16(),
            forbidden.json()["error"]["code"].as_str()
        ),
        (403, Some("auth.forbidden"))
    );
    assert_eq!(
        c.post("/v1/fabrics/lab/sync", None, "")
            .await
            .unwrap()
            .status,
        401
    );

    let accepted = c
        .post("/v1/fabrics/lab/sync", Some(WRITE), "")
        .await
        .unwrap();
    assert_eq!(accepted.status, 202);
    assert_eq!(c.get("/v1/fabrics", Some(WRITE)).await.unwrap().status, 200);
    // No secret in any answer or log line.
    let all = c.get("/v1/fabrics/lab", Some(READ)).await.unwrap().text();
    assert!(!all.contains(READ) && !all.contains(WRITE));
    drop(c);
    daemon.stop();
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let f = Fixture::new(&vlab_desired());
    let daemon = f.start("detect", "max_body_bytes = 1024", "");
    let mut c = daemon.client().await.unwrap();
    let big = "# padding\n".repeat(200) + BROKEN;
    let r = c.post("/v1/validate", None, big).await.unwrap();
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["code"], "body.too-large");
    assert_eq!(
        c.post("/v1/validate", None, BROKEN).await.unwrap().status,
        200
    );
}

#[tokio::test]
async fn a_commit_pass_publishes_and_concurrent_syncs_share_one_pass() {
    // A larger desired state makes a pass slow enough for requests to overlap it.
    let big = Command::new(binary())
        .args(["sample", "--preset", "large"])
        .output()
        .unwrap()
        .stdout;
    let f = Fixture::new(std::str::from_utf8(&big).unwrap());
    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    // The scheduled first pass published the desired state as one commit.
    assert_eq!(f.remote_log(), ["hedgehogd: sync lab", "initial"]);
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["last_sync"]["published"], lab["last_sync"]["commit"]);
    assert_eq!(lab["drift"]["status"], "in_sync");

    let mut clients = Vec::new();
    for _ in 0..6 {
        clients.push(daemon.client().await.unwrap());
    }
    let answers = futures::future::join_all(
        clients
            .iter_mut()
            .map(|c| c.post("/v1/fabrics/lab/sync", None, "")),
    )
    .await;
    let ids: Vec<String> = answers
        .iter()
        .map(|r| {
            r.as_ref().unwrap().json()["operation"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let new = answers
        .iter()
        .filter(|r| r.as_ref().unwrap().json()["already_running"] == false)
        .count();
    assert_eq!(new, 1);
    let op = finished(&mut c, &ids[0], None).await;
    assert_eq!(op["state"], "succeeded");
    // Two passes in all (the scheduled one and the shared one); nothing more was committed.
    let metrics = c.get("/metrics", None).await.unwrap().text();
    assert!(
        metrics.contains("hedgehogd_sync_passes_total{fabric=\"lab\",result=\"success\"} 2"),
        "{metrics}"
    );
    assert_eq!(f.remote_log().len(), 2);
    assert_eq!(
        c.get("/v1/fabrics/lab/gitops-status", None)
            .await
            .unwrap()
            .json()["pending"],
        json!({"add": [], "update": [], "delete": []})
    );
}

#[tokio::test]
async fn state_survives_a_restart_and_failures_are_reported() {
    let f = Fixture::new(&vlab_desired());
    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    let first = c.get("/v1/fabrics/lab", None).await.unwrap().json()["last_sync"].clone();
    drop(c);
    assert_eq!(daemon.stop(), Some(0), "graceful shutdown exits 0");
    let saved: Value =
        serde_json::from_slice(&std::fs::read(f.path("data/state.json")).unwrap()).unwrap();
    assert_eq!(saved["fabrics"]["lab"]["commit"], first["commit"]);

    // Restarted with a broken desired state: the last good pass is still reported, with the error.
    std::fs::write(f.path("desired/fabric.yaml"), "kind: [\n").unwrap();
    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["last_sync"]["commit"], first["commit"]);
    assert_eq!(lab["last_error"]["code"], "settings.invalid");
    assert!(
        lab["last_error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not load")
    );
    let metrics = c.get("/metrics", None).await.unwrap().text();
    assert!(
        metrics.contains("hedgehogd_sync_passes_total{fabric=\"lab\",result=\"error\"} 1"),
        "{metrics}"
    );
}

#[test]
fn invalid_configuration_lists_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("bad.toml");
    std::fs::write(
        &config,
        "listen = \"0.0.0.0:9\"\n[[fabrics]]\nname = \"Bad Name\"\ninterval_secs = 1\ngit = { url = \"\" }\n",
    )
    .unwrap();
    let out = Command::new(binary())
        .args(["serve", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "name must be",
        "interval_secs must be at least",
        "git.url is empty",
        "not a loopback address",
    ] {
        assert!(err.contains(expected), "{expected:?} missing in {err}");
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/hedgehogd.example.toml");
    let out = Command::new(binary())
        .args(["serve", "--once", "--config", example.to_str().unwrap()])
        .env_remove("HEDGEHOGD_NETBOX_TOKEN")
        .output()
        .unwrap();
    // The example refers to secrets and paths of a real installation: it parses, and every
    // missing one is named.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("environment variable HEDGEHOGD_NETBOX_TOKEN is not set"),
        "{err}"
    );
    assert!(!err.contains("unknown field"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_pass_with_a_cluster_and_watch_driven_drift() {
    use hedgehog_benches::fake_apiserver::{FakeApiServer, TOKEN};
    use hedgehog_sync::kube::{ApplyOptions, Cluster, ClusterConfig};
    let server = FakeApiServer::start(Path::new(env!("CARGO_TARGET_TMPDIR")), &[]).unwrap();
    let f = Fixture::new(&vlab_desired());
    let cluster = format!(
        "[fabrics.cluster]\nserver = \"{}\"\ntoken_env = \"HEDGEHOGD_READ_TOKEN\"\n",
        server.url
    );
    let daemon = f.start("apply", "", &cluster);
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    // One pass: committed to Git, applied to the cluster, everything in sync.
    assert_eq!(f.remote_log(), ["hedgehogd: sync lab", "initial"]);
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["last_error"], Value::Null, "{lab}");
    assert_eq!(lab["drift"]["status"], "in_sync", "{lab}");
    assert_eq!(lab["cluster"], server.url.as_str());
    let connection = c
        .post("/v1/fabrics/lab/test-connection", None, "")
        .await
        .unwrap()
        .json();
    assert_eq!(connection["cluster"]["reachable"], true, "{connection}");
    assert_eq!(connection["cluster"]["kinds"].as_array().unwrap().len(), 14);

    // Between passes the watch keeps drift current: an out-of-band edit shows up as drifted.
    let deadline = Instant::now() + Duration::from_secs(30);
    while c.get("/v1/fabrics/lab", None).await.unwrap().json()["watch"]["ready"] != true {
        assert!(Instant::now() < deadline, "the watch did not become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut config = ClusterConfig::new(&server.url).with_token(TOKEN);
    config.allow_writes = true;
    let kubectl = Cluster::connect(&config).await.unwrap();
    let edited = json!({"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {"name": "vpc-01", "namespace": "default"},
        "spec": {"subnets": {"subnet-01": {"vlan": 3999}}}});
    kubectl
        .apply(
            &[edited],
            ApplyOptions {
                dry_run: false,
                force: true,
            },
        )
        .await
        .unwrap();
    loop {
        let drift = c
            .get("/v1/fabrics/lab/drift?state=drifted", None)
            .await
            .unwrap()
            .json();
        if drift["objects"].as_array().is_some_and(|o| !o.is_empty()) {
            assert_eq!(drift["objects"][0]["name"], "vpc-01");
            assert_eq!(
                drift["objects"][0]["changes"][0]["path"],
                "spec.subnets.subnet-01.vlan"
            );
            assert_eq!(drift["summary"]["status"], "drift_detected");
            break;
        }
        assert!(Instant::now() < deadline, "{drift}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let metrics = c.get("/metrics", None).await.unwrap().text();
    assert!(
        metrics.contains("hedgehogd_watch_ready{fabric=\"lab\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("hedgehogd_drift_objects{fabric=\"lab\",state=\"drifted\"} 1"),
        "{metrics}"
    );
}

/// The daemon killed with SIGKILL in the middle of a push (a slow pre-receive hook holds the
/// push) and started again: its state file still loads, nothing is committed twice or lost,
/// and the next pass converges to the desired state.
#[tokio::test]
async fn killed_mid_push_and_restarted_it_converges() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new(&vlab_desired());
    let hook = f.path("remote.git/hooks/pre-receive");
    let marker = f.path("pushing");
    let slow = format!(
        "#!/bin/sh\ncat >/dev/null\ntouch '{}'\nsleep 3\n",
        marker.display()
    );
    std::fs::write(&hook, slow).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();

    let daemon = f.start("commit", "", "");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "the first pass never pushed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(daemon); // SIGKILL while the push waits in the hook
    std::fs::remove_file(&hook).unwrap();

    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["drift"]["status"], "in_sync", "{lab}");
    // The interrupted push either landed or not; either way the desired state is committed
    // exactly once.
    assert_eq!(f.remote_log(), ["hedgehogd: sync lab", "initial"]);
    if f.path("data/state.json").exists() {
        let text = std::fs::read(f.path("data/state.json")).unwrap();
        serde_json::from_slice::<Value>(&text).expect("the state file is whole");
    }
}

/// Starts a sync of `lab` and waits for its operation. A pass already running (a scheduled
/// one) may have read the files before the caller changed them, so it is waited for and a
/// new pass started.
async fn sync_lab(c: &mut Client) -> Value {
    loop {
        let started = c
            .post("/v1/fabrics/lab/sync", None, "")
            .await
            .unwrap()
            .json();
        let id = started["operation"]["id"].as_str().unwrap().to_owned();
        let op = finished(c, &id, None).await;
        if started["already_running"] == false {
            return op;
        }
    }
}

#[tokio::test]
async fn an_empty_desired_state_directory_commits_nothing_and_is_reported() {
    let f = Fixture::new(&vlab_desired());
    let daemon = f.start("commit", "", "allow_deletions = true");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    assert_eq!(f.remote_log(), ["hedgehogd: sync lab", "initial"]);
    // The desired-state directory is mis-mounted: it is there, but empty. Even with
    // deletions allowed, that is refused.
    std::fs::remove_file(f.path("desired/fabric.yaml")).unwrap();
    let op = sync_lab(&mut c).await;
    assert_eq!(op["state"], "failed", "{op}");
    assert_eq!(op["error"]["code"], "plan.empty-desired-state", "{op}");
    assert_eq!(f.remote_log(), ["hedgehogd: sync lab", "initial"]);
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["state"], "refused", "{lab}");
    assert_eq!(lab["last_error"]["code"], "plan.empty-desired-state");
    assert!(
        lab["last_error"]["message"]
            .as_str()
            .unwrap()
            .contains("no objects"),
        "{lab}"
    );
    let metrics = c.get("/metrics", None).await.unwrap().text();
    for line in [
        "hedgehogd_sync_pass_failures_total{fabric=\"lab\",code=\"plan.empty-desired-state\"} 1",
        "hedgehogd_fabric_state{fabric=\"lab\",state=\"refused\"} 1",
        "hedgehogd_fabric_state{fabric=\"lab\",state=\"ok\"} 0",
    ] {
        assert!(metrics.contains(line), "{line} missing in {metrics}");
    }
    assert!(logged(
        &daemon,
        &["sync pass failed", "plan.empty-desired-state"]
    ));
}

/// Whether the daemon logs (within 10 s) a line holding every one of `parts`.
fn logged(daemon: &Daemon, parts: &[&str]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match daemon.log.recv_timeout(left) {
            Ok(line) if parts.iter().all(|p| line.contains(p)) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

impl Fixture {
    /// Another writer edits a file of the remote's `main` with `edit` and pushes.
    fn push_edit(&self, path: &str, edit: impl Fn(&str) -> String, message: &str) {
        let work = self.path("work");
        git(
            &self.home(),
            &work,
            &[
                "pull",
                "-q",
                "--rebase",
                self.path("remote.git").to_str().unwrap(),
                "main",
            ],
        );
        let file = work.join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, edit(&text)).unwrap();
        git(&self.home(), &work, &["commit", "-q", "-am", message]);
        git(
            &self.home(),
            &work,
            &[
                "push",
                "-q",
                self.path("remote.git").to_str().unwrap(),
                "HEAD:main",
            ],
        );
    }

    fn show(&self, path: &str) -> String {
        git(
            &self.home(),
            self.tmp.path(),
            &[
                "--git-dir",
                self.path("remote.git").to_str().unwrap(),
                "show",
                &format!("main:{path}"),
            ],
        )
    }
}

#[tokio::test]
async fn another_writers_commit_survives_a_restart_and_conflicts_are_refused() {
    let f = Fixture::new(&vlab_desired());
    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    drop(c);
    assert_eq!(daemon.stop(), Some(0));
    // Between two passes (and a restart) another writer describes leaf-01 by hand.
    let leaf = "fabric/managed/switches/leaf-01.yaml";
    f.push_edit(
        leaf,
        |t| t.replace("description: VS-01 ESLAG 1", "description: racked by hand"),
        "other: describe leaf-01",
    );
    let daemon = f.start("commit", "", "");
    let mut c = daemon.client().await.unwrap();
    ready(&mut c, None).await;
    // The desired state never touched that description: the edit stays, nothing is committed.
    assert_eq!(f.remote_log()[0], "other: describe leaf-01");
    assert!(f.show(leaf).contains("racked by hand"));
    let gitops = c
        .get("/v1/fabrics/lab/gitops-status", None)
        .await
        .unwrap()
        .json();
    assert!(gitops["base_commit"].is_string(), "{gitops}");

    // The desired state changes leaf-02: published, and leaf-01's edit still stays.
    let desired = f.path("desired/fabric.yaml");
    let text = std::fs::read_to_string(&desired).unwrap();
    std::fs::write(
        &desired,
        text.replace("VS-02 ESLAG 1", "VS-02 from the desired state"),
    )
    .unwrap();
    let op = sync_lab(&mut c).await;
    assert_eq!(op["state"], "succeeded", "{op}");
    assert_eq!(
        f.remote_log()[..2],
        ["hedgehogd: sync lab", "other: describe leaf-01"]
    );
    assert!(f.show(leaf).contains("racked by hand"));
    assert!(
        f.show("fabric/managed/switches/leaf-02.yaml")
            .contains("VS-02 from the desired state")
    );

    // The desired state changes the description the other writer changed: a conflict,
    // refused and reported; nothing is committed.
    let text = std::fs::read_to_string(&desired).unwrap();
    std::fs::write(
        &desired,
        text.replace("VS-01 ESLAG 1", "VS-01 from the desired state"),
    )
    .unwrap();
    let op = sync_lab(&mut c).await;
    assert_eq!(op["error"]["code"], "plan.conflict", "{op}");
    let field = &op["error"]["conflicts"][0]["fields"][0];
    assert_eq!(
        (
            field["path"].as_str(),
            field["ours"].as_str(),
            field["theirs"].as_str()
        ),
        (
            Some("spec.description"),
            Some("VS-01 from the desired state"),
            Some("racked by hand")
        ),
        "{op}"
    );
    assert_eq!(
        f.remote_log()[..2],
        ["hedgehogd: sync lab", "other: describe leaf-01"]
    );
    assert!(f.show(leaf).contains("racked by hand"));
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["state"], "conflict", "{lab}");
    let metrics = c.get("/metrics", None).await.unwrap().text();
    for line in [
        "hedgehogd_fabric_state{fabric=\"lab\",state=\"conflict\"} 1",
        "hedgehogd_sync_pass_failures_total{fabric=\"lab\",code=\"plan.conflict\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} missing in {metrics}");
    }
}
