//! The daemon under faults (issue 12): configurations that cannot work are refused before
//! anything runs (defect 9), the state file is written safely and a corrupt one is kept aside
//! (defect 10), and a slow Git history lookup does not block the API (defect 11). Real parts:
//! the `hedgehogd` binary over TCP on 127.0.0.1, `file://` and ssh-transport Git remotes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_hedgehogd"))
}

fn git(home: &Path, dir: &Path, args: &[&str]) -> String {
    hedgehog_benches::git(home, dir, args).unwrap()
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
        let (bare, work) = (f.path("remote.git"), f.path("work"));
        git(
            &f.home(),
            f.tmp.path(),
            &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
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
            &["push", "-q", bare.to_str().unwrap(), "main"],
        );
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

async fn ready(client: &mut Client) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = client.get("/readyz", None).await.unwrap();
        if r.status == 200 {
            return;
        }
        assert!(Instant::now() < deadline, "not ready: {}", r.text());
        tokio::time::sleep(Duration::from_millis(50)).await;
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
    ready(&mut c).await;
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
