//! The Git backend against remotes that misbehave, all real: a smart-HTTP server (`git
//! http-backend` behind hyper on 127.0.0.1) that demands a token and redirects, and `file://`
//! remotes whose hooks hang or drop the connection in the middle of a push.

mod engine_support;

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use engine_support::passes::{request, settings};
use engine_support::{Remote, author};
use hedgehog_benches::git_http::GitHttpServer;
use hedgehog_model::load::Document;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_sync::engine::{Engine, EngineError, PublishOptions};
use hedgehog_sync::fabric::{Fabric, PassRequest, Policy};
use hedgehog_sync::git::{Credentials, GitError, Repo};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::secret::SecretString;
use hedgehog_sync::snapshot::Snapshot;

const TOKEN: &str = "glpat-real-token-0123456789";
const WRONG: &str = "glpat-wrong-token-9876543210";

fn vlab() -> Snapshot {
    let docs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .map(Document::new)
        .collect();
    Snapshot::from_documents(&docs, "netbox")
}

fn token(secret: &str) -> Credentials {
    Credentials::Token {
        username: Some("netbox".into()),
        token: SecretString::from(secret),
    }
}

async fn fabric(remote: &Remote, url: String, cache: &str, credentials: Credentials) -> Fabric {
    let mut settings = settings(remote);
    settings.git.url = url;
    settings.git.credentials = credentials;
    settings.cache_dir = remote.tmp.path().join(cache);
    Fabric::new(settings).await.unwrap()
}

fn commit_pass() -> PassRequest {
    request(Policy::Commit, Some(vlab()))
}

#[tokio::test]
async fn a_token_reaches_a_smart_http_remote_and_a_wrong_one_is_an_auth_error() {
    let remote = Remote::new();
    let server = GitHttpServer::start(remote.tmp.path(), "netbox", TOKEN);
    let url = format!("{}/remote.git", server.url);

    let wrong = fabric(&remote, url.clone(), "c1", token(WRONG)).await;
    let err = wrong.pass(commit_pass()).await.unwrap_err();
    assert_eq!(err.code(), "git.auth", "{err}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(WRONG) && !text.contains(TOKEN), "{text}");
    }
    let none = fabric(&remote, url.clone(), "c2", Credentials::None).await;
    assert_eq!(
        none.pass(commit_pass()).await.unwrap_err().code(),
        "git.auth"
    );

    let right = fabric(&remote, url, "c3", token(TOKEN)).await;
    let report = right.pass(commit_pass()).await.unwrap();
    assert!(report.published.is_some());
    assert_eq!(remote.remote_log(), ["hedgehog: sync", "initial"]);
}

#[tokio::test]
async fn a_redirected_remote_is_followed_with_the_token() {
    let remote = Remote::new();
    let server = GitHttpServer::start(remote.tmp.path(), "netbox", TOKEN);
    let url = format!("{}/moved/remote.git", server.url);
    let lab = fabric(&remote, url, "cache", token(TOKEN)).await;
    assert!(lab.pass(commit_pass()).await.unwrap().published.is_some());
    assert_eq!(remote.remote_log(), ["hedgehog: sync", "initial"]);
}

/// Installs a pre-receive hook running `body`.
fn hook(remote: &Remote, body: &str) {
    let path = remote.remote.join("hooks/pre-receive");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn options() -> PublishOptions<'static> {
    PublishOptions {
        message: "hedgehog: publish",
        author: Box::leak(Box::new(author())),
        force: false,
        config: Default::default(),
        max_attempts: 3,
        base: None,
        deletions: Default::default(),
    }
}

fn unpushed(repo: &Repo) -> Option<String> {
    let out = std::process::Command::new("git")
        .args([
            "--git-dir",
            repo.path().to_str().unwrap(),
            "rev-parse",
            "--verify",
            "-q",
        ])
        .arg("refs/hedgehog/unpushed/main")
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Whether process `pid` exists and is not a zombie waiting to be reaped.
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(") ")
                .map(|(_, rest)| rest.starts_with('Z'))
        })
        .is_some_and(|zombie| !zombie)
}

#[test]
fn a_hanging_remote_is_stopped_and_the_commit_kept() {
    let remote = Remote::new();
    let pid_file = remote.tmp.path().join("hook.pid");
    hook(
        &remote,
        &format!("echo $$ > '{}'\nexec sleep 300", pid_file.display()),
    );
    let mut repo = Repo::clone_or_open(&remote.url(), &remote.cache, &Credentials::None).unwrap();
    repo.set_network_timeout(Duration::from_secs(2));
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    let started = Instant::now();
    let err = engine
        .publish(&vlab(), &Credentials::None, &options())
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::Git(GitError::Timeout { op, seconds: 2 }) if op == "push"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    // The hook (a grandchild of our `git`) was killed with it, and nothing was pushed.
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while running(pid.trim()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!running(pid.trim()), "the hook still runs");
    assert_eq!(remote.remote_log(), ["initial"]);
    assert!(unpushed(&repo).is_some(), "the local commit is kept");

    // The remote recovers: the next publish converges to one commit.
    std::fs::remove_file(remote.remote.join("hooks/pre-receive")).unwrap();
    engine
        .publish(&vlab(), &Credentials::None, &options())
        .unwrap();
    assert_eq!(remote.remote_log(), ["hedgehog: publish", "initial"]);
    assert_eq!(unpushed(&repo), None);
}

#[test]
fn a_connection_dropped_mid_push_keeps_the_commit_and_the_next_publish_converges() {
    let remote = Remote::new();
    // receive-pack dies while it holds the pack: the client sees the remote hang up.
    hook(&remote, "cat >/dev/null\nkill -9 $PPID");
    let repo = Repo::clone_or_open(&remote.url(), &remote.cache, &Credentials::None).unwrap();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    let err = engine
        .publish(&vlab(), &Credentials::None, &options())
        .unwrap_err();
    assert!(matches!(err, EngineError::Git(_)), "{err}");
    assert_eq!(remote.remote_log(), ["initial"]);
    assert!(unpushed(&repo).is_some(), "the local commit is kept");

    std::fs::remove_file(remote.remote.join("hooks/pre-receive")).unwrap();
    engine
        .publish(&vlab(), &Credentials::None, &options())
        .unwrap();
    assert_eq!(remote.remote_log(), ["hedgehog: publish", "initial"]);
}

/// A write fence that says no (a daemon replica that lost the fabric's lease) stops the pass
/// before it commits: the remote keeps its history; once it says yes the same pass publishes.
#[tokio::test]
async fn a_closed_write_fence_stops_the_commit() {
    let remote = Remote::new();
    let fabric = fabric(&remote, remote.url(), "c1", Credentials::None).await;
    let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let gate = open.clone();
    fabric.set_write_fence(Some(std::sync::Arc::new(move || {
        gate.load(std::sync::atomic::Ordering::SeqCst)
    })));
    let before = remote.remote_log();
    let err = fabric.pass(commit_pass()).await.unwrap_err();
    assert_eq!(err.code(), "fabric.fenced", "{err}");
    assert_eq!(remote.remote_log(), before, "nothing may reach the remote");
    open.store(true, std::sync::atomic::Ordering::SeqCst);
    let report = fabric.pass(commit_pass()).await.unwrap();
    assert!(report.published.is_some());
    assert_eq!(remote.remote_log().len(), before.len() + 1);
}
