//! The daemon under faults (issue 12): configurations that cannot work are refused before
//! anything runs (defect 9), the state file is written safely and a corrupt one is kept aside
//! (defect 10), and a slow Git history lookup does not block the API (defect 11). Real parts:
//! the `hedgehogd` binary over TCP on 127.0.0.1, `file://` and ssh-transport Git remotes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Daemon, bare_remote};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_hedgehogd"))
}

/// A temp directory with a HOME and a bare remote with one commit.
struct Fixture {
    tmp: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            tmp: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(f.home()).unwrap();
        bare_remote(&f.home(), f.tmp.path()).unwrap();
        f
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn home(&self) -> PathBuf {
        self.path("home")
    }

    /// Writes `hedgehogd.toml`: `top` lines, then one fabric per `(name, extra)`.
    fn config(&self, top: &str, fabrics: &[(&str, &str)]) -> PathBuf {
        let mut text = format!("data_dir = \"{}\"\n{top}\n", self.path("data").display());
        for (name, extra) in fabrics {
            text.push_str(&format!(
                "[[fabrics]]\nname = \"{name}\"\ninterval_secs = 3600\n\
                 git = {{ url = \"file://{}\" }}\n{extra}\n",
                self.path("remote.git").display()
            ));
        }
        let path = self.path("hedgehogd.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn start(&self, config: &Path, env: &[(&str, &str)]) -> Daemon {
        let home = self.home();
        let mut all = vec![
            ("HOME", home.to_str().unwrap()),
            ("GIT_CONFIG_NOSYSTEM", "1"),
        ];
        all.extend_from_slice(env);
        Daemon::start(binary(), &["--config", config.to_str().unwrap()], &all).unwrap()
    }
}

/// Defect 9: a huge `interval_secs` was accepted and, after the first pass, panicked the
/// fabric's scheduler task (nothing noticed: `/readyz` stayed 200 and no pass ever ran
/// again); a huge `request_timeout_secs` was accepted too. Both are configuration errors now.
#[test]
fn durations_that_do_not_fit_are_configuration_errors() {
    let f = Fixture::new();
    let config = f.config(
        "request_timeout_secs = 18446744073709551615",
        &[("lab", ""), ("huge", "")],
    );
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "name = \"huge\"\ninterval_secs = 3600",
        "name = \"huge\"\ninterval_secs = 18446744073709551615",
    );
    std::fs::write(&config, text).unwrap();
    let out = Command::new(binary())
        .args(["serve", "--once", "--config", config.to_str().unwrap()])
        .env("HOME", f.home())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty(), "no pass may run");
    for expected in [
        "fabrics[1] (huge): interval_secs must be at most 2592000 (30 days)",
        "request_timeout_secs: must be between 1 and 86400 (a day)",
    ] {
        assert!(err.contains(expected), "{expected:?} missing in {err}");
    }
}

/// Defect 10: a corrupt state file was silently ignored (and then overwritten). Now it is
/// kept aside with a warning in the log, and the first pass writes a fresh one.
#[tokio::test]
async fn a_corrupt_state_file_is_kept_aside_with_a_warning() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.path("data")).unwrap();
    std::fs::write(
        f.path("data/state.json"),
        "{\"fabrics\": {\"lab\": {\"commi",
    )
    .unwrap();
    let config = f.config("", &[("lab", "")]);
    let daemon = f.start(&config, &[]);
    let mut c = daemon.client().await.unwrap();
    c.wait_ready().await.unwrap();
    drop(c);
    let log = daemon.stop_and_collect();
    assert!(
        log.iter()
            .any(|l| l.contains("WARN") && l.contains("the state file is corrupt; kept it aside")),
        "{}",
        log.join("\n")
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(f.path("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("state.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read_to_string(&aside[0]).unwrap(),
        "{\"fabrics\": {\"lab\": {\"commi"
    );
    let fresh: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("data/state.json")).unwrap()).unwrap();
    assert!(fresh["fabrics"]["lab"]["commit"].is_string(), "{fresh}");
}

/// Defect 11: a watch event whose Git history lookup is slow (here it has to clone the cache
/// repository again, from a remote that answers slowly) held the lock that `GET
/// /v1/fabrics`, `/drift` and `/metrics` need for the whole lookup. Now they answer while the
/// lookup is in flight.
///
/// The slow remote is real: `git` reaches the bare repository through an ssh transport
/// (`GIT_SSH_COMMAND`) that runs `git-upload-pack` locally, after a pause while a flag file
/// exists. The cluster is the loopback fake API server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_history_lookup_does_not_block_the_api() {
    use hedgehog_benches::fake_apiserver::{FakeApiServer, TOKEN};
    use hedgehog_sync::kube::{ApplyOptions, Cluster, ClusterConfig};
    let server = FakeApiServer::start(Path::new(env!("CARGO_TARGET_TMPDIR")), &[]).unwrap();
    let f = Fixture::new();
    let slow = f.path("slow");
    let ssh = f.path("slow-ssh");
    std::fs::write(
        &ssh,
        "#!/bin/sh\n# A slow ssh: the last argument is the git command, run here after a pause.\n\
         if [ -e \"$HH_SLOW\" ]; then touch \"$HH_SLOW.started\"; sleep 3; fi\n\
         eval \"cmd=\\${$#}\"\nexec sh -c \"$cmd\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&ssh, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let sample = Command::new(binary())
        .arg("sample")
        .output()
        .unwrap()
        .stdout;
    std::fs::create_dir_all(f.path("desired")).unwrap();
    std::fs::write(f.path("desired/fabric.yaml"), sample).unwrap();
    let config = f.path("hedgehogd.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{data}\"\n[[fabrics]]\nname = \"lab\"\npolicy = \"apply\"\ninterval_secs = 3600\n\
             desired = \"{desired}\"\ngit = {{ url = \"ssh://slowhost{remote}\", base_dir = \"fabric\" }}\n\
             [fabrics.cluster]\nserver = \"{server}\"\ntoken_env = \"HH_KUBE_TOKEN\"\n",
            data = f.path("data").display(),
            desired = f.path("desired").display(),
            remote = f.path("remote.git").display(),
            server = server.url,
        ),
    )
    .unwrap();
    let daemon = f.start(
        &config,
        &[
            ("GIT_SSH_COMMAND", ssh.to_str().unwrap()),
            ("GIT_SSH_VARIANT", "simple"),
            ("HH_SLOW", slow.to_str().unwrap()),
            ("HH_KUBE_TOKEN", TOKEN),
        ],
    );
    let mut c = daemon.client().await.unwrap();
    c.wait_ready().await.unwrap();
    let lab = c.get("/v1/fabrics/lab", None).await.unwrap().json();
    assert_eq!(lab["drift"]["status"], "in_sync", "{lab}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while c.get("/v1/fabrics/lab", None).await.unwrap().json()["watch"]["ready"] != true {
        assert!(Instant::now() < deadline, "the watch did not become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The next history lookup must clone again, slowly.
    for clone in std::fs::read_dir(f.path("data/git-cache")).unwrap() {
        std::fs::remove_dir_all(clone.unwrap().path()).unwrap();
    }
    std::fs::write(&slow, "").unwrap();
    let mut config = ClusterConfig::new(&server.url).with_token(TOKEN);
    config.allow_writes = true;
    let edited = serde_json::json!({"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {"name": "vpc-01", "namespace": "default"},
        "spec": {"subnets": {"subnet-01": {"vlan": 3999}}}});
    Cluster::connect(&config)
        .await
        .unwrap()
        .apply(
            &[edited],
            ApplyOptions {
                dry_run: false,
                force: true,
            },
        )
        .await
        .unwrap();
    let started = PathBuf::from(format!("{}.started", slow.display()));
    while !started.exists() {
        assert!(Instant::now() < deadline, "no history lookup started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for path in ["/v1/fabrics", "/v1/fabrics/lab/drift", "/metrics"] {
        let sent = Instant::now();
        let r = c.get(path, None).await.unwrap();
        let took = sent.elapsed();
        assert_eq!(r.status, 200, "{path}");
        assert!(
            took < Duration::from_secs(1),
            "{path} took {took:?} while a history lookup ran"
        );
    }
    // The lookup was still in flight: its clone is not in place yet.
    let cloned = std::fs::read_dir(f.path("data/git-cache"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".git"));
    assert!(
        !cloned,
        "the history lookup finished before the requests were made"
    );
    // And it completes (the clone is in place), and the edit is drifted.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_dir(f.path("data/git-cache"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".git"))
    {
        assert!(
            Instant::now() < deadline,
            "the history lookup did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    loop {
        let drift = c
            .get("/v1/fabrics/lab/drift?state=drifted", None)
            .await
            .unwrap()
            .json();
        if drift["objects"].as_array().is_some_and(|o| !o.is_empty()) {
            assert_eq!(drift["objects"][0]["name"], "vpc-01");
            break;
        }
        assert!(Instant::now() < deadline, "{drift}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Defect 6: CPU work is bounded. With one worker and no waiting place, a validation that
/// arrives while another runs is answered at once with 503 and `Retry-After` (before, every
/// request started its own blocking task and they all shared the cores). A request whose
/// client goes away gives its place back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cpu_work_beyond_the_queue_is_refused_with_retry_after() {
    let f = Fixture::new();
    let config = f.config("cpu_workers = 1\nmax_queued_requests = 1", &[]);
    // Large enough that its validation is still running when C comes, 0.6 s later, however
    // fast validation gets (10 000 objects once took little more than that in a debug build).
    let large = Command::new(binary())
        .args(["sample", "--scaled", "40000"])
        .output()
        .unwrap()
        .stdout;
    let small = Command::new(binary())
        .arg("sample")
        .output()
        .unwrap()
        .stdout;
    let daemon = f.start(&config, &[]);
    let (mut a, mut b, mut c) = (
        daemon.client().await.unwrap(),
        daemon.client().await.unwrap(),
        daemon.client().await.unwrap(),
    );
    // A runs, B waits (then its client goes away), C finds the queue full.
    let running = {
        let large = large.clone();
        tokio::spawn(async move { a.post("/v1/validate", None, large).await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let waiting = {
        let large = large.clone();
        tokio::spawn(async move { b.post("/v1/validate", None, large).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let busy = c.post("/v1/validate", None, small.clone()).await.unwrap();
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.headers["retry-after"], "1");
    assert_eq!(busy.json()["error"]["code"], "server.busy");
    assert!(
        !running.is_finished(),
        "the running validation must still run"
    );
    // B's client goes away: its place is free again, so C is queued (and answered) now.
    waiting.abort();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let queued = c.post("/v1/validate", None, small).await.unwrap();
    assert_eq!(queued.status, 200, "{}", queued.text());
    assert_eq!(running.await.unwrap().status, 200);
}
