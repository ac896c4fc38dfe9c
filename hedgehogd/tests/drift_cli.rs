//! `hedgehogd drift` against a real GitOps repository (a bare remote over `file://`, written
//! by a second clone with the `git` CLI): exit codes 0/3/2, the JSON report and the text.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hedgehog_model::load::Document;
use hedgehog_model::render::render;
use hedgehog_model::sample::{Preset, preset};
use hedgehog_sync::layout::{Layout, render_object};
use hedgehog_sync::snapshot::Snapshot;
use serde_json::Value;

struct Repo {
    tmp: tempfile::TempDir,
    remote: PathBuf,
    objects: usize,
}

fn git(home: &Path, dir: &Path, args: &[&str]) {
    hedgehog_benches::git(home, dir, args).unwrap();
}

/// A bare remote whose `main` holds hhfab's default VLAB below `fabric/managed/`.
fn repo() -> Repo {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let remote = tmp.path().join("fabric.git");
    let work = tmp.path().join("work");
    git(
        &home,
        tmp.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    git(
        &home,
        tmp.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    let layout = Layout::new("fabric").unwrap();
    let snapshot = vlab();
    for (key, entry) in &snapshot.objects {
        let path = work.join("fabric").join(layout.managed_path(key));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, render_object(&entry.value())).unwrap();
    }
    git(&home, &work, &["add", "."]);
    git(&home, &work, &["commit", "-q", "-m", "vlab"]);
    git(&home, &work, &["push", "-q", "origin", "HEAD:main"]);
    Repo {
        objects: snapshot.len(),
        tmp,
        remote,
    }
}

fn vlab() -> Snapshot {
    let docs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .map(Document::new)
        .collect();
    Snapshot::from_documents(&docs, "test")
}

impl Repo {
    fn drift(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_hedgehogd"))
            .arg("drift")
            .args(args)
            .env("HOME", self.tmp.path().join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap()
    }

    fn spec(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.remote.display())
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn git_alone_is_in_sync_and_exits_zero() {
    let repo = repo();
    let out = repo.drift(&["--git", &repo.spec("@main:fabric"), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["summary"]["status"], "in_sync");
    assert_eq!(report["summary"]["counts"]["in_sync"], repo.objects);
    assert_eq!(report["objects"], serde_json::json!([]));
    // Without @REF the remote's default branch is used.
    let out = repo.drift(&["--git", &format!("file://{}:fabric", repo.remote.display())]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("in_sync: "));
}

#[test]
fn an_edited_desired_state_is_pending_commit_and_exits_three() {
    let repo = repo();
    let mut objects = preset(Preset::Vlab);
    let vpc = objects.iter_mut().find(|o| o.key().kind == "VPC").unwrap();
    let name = vpc.key().name;
    let mut value = vpc.to_value();
    value["spec"]["subnets"]["subnet-01"]["vlan"] = 3001.into();
    *vpc = hedgehog_model::Object::from_value(value).object;
    let desired = repo.tmp.path().join("desired.yaml");
    let docs: Vec<Document> = objects.into_iter().map(Document::new).collect();
    std::fs::write(&desired, render(&docs)).unwrap();

    let args = [
        "--git",
        &repo.spec("@main:fabric"),
        "--desired",
        desired.to_str().unwrap(),
    ];
    let out = repo.drift(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["summary"]["status"], "git_ahead");
    assert_eq!(report["summary"]["counts"]["pending_commit"], 1);
    let object = &report["objects"][0];
    assert_eq!(
        (
            object["kind"].as_str(),
            object["name"].as_str(),
            object["state"].as_str()
        ),
        (Some("VPC"), Some(name.as_str()), Some("pending_commit"))
    );
    assert_eq!(
        object["changes"],
        serde_json::json!([{"path": "spec.subnets.subnet-01.vlan", "op": "changed",
                            "before": 1001, "after": 3001}])
    );

    let text = repo.drift(&args);
    assert_eq!(text.status.code(), Some(3));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("git_ahead: "), "{text}");
    assert!(
        text.contains(&format!("pending_commit     VPC default/{name}")),
        "{text}"
    );
    assert!(
        text.contains("spec.subnets.subnet-01.vlan: 1001 -> 3001"),
        "{text}"
    );
}

#[test]
fn errors_exit_two_with_a_message() {
    let repo = repo();
    let missing = repo.drift(&["--git", &repo.spec("-nothing-here@main")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("hedgehogd: "));

    let branch = repo.drift(&["--git", &repo.spec("@no-such-branch")]);
    assert_eq!(branch.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&branch.stderr).contains("no-such-branch"),
        "{}",
        String::from_utf8_lossy(&branch.stderr)
    );

    let bad = repo.tmp.path().join("bad.yaml");
    std::fs::write(&bad, "kind: VPC\nmetadata: [\n").unwrap();
    let out = repo.drift(&[
        "--git",
        &repo.spec("@main:fabric"),
        "--desired",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.yaml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_the_cluster_does_not_let_us_read_is_named_and_exits_four() {
    use hedgehog_benches::fake_apiserver::{FakeApiServer, TOKEN};
    use hedgehog_sync::kube::{ApplyOptions, Cluster, ClusterConfig};
    let repo = repo();
    let server = FakeApiServer::start(Path::new(env!("CARGO_TARGET_TMPDIR")), &[]).unwrap();
    let mut config = ClusterConfig::new(&server.url).with_token(TOKEN);
    config.allow_writes = true;
    let objects: Vec<Value> = vlab().objects.into_values().map(|e| e.value()).collect();
    Cluster::connect(&config)
        .await
        .unwrap()
        .apply(&objects, ApplyOptions::default())
        .await
        .unwrap();
    let kubeconfig = repo.tmp.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"{}\"}}}}]\n\
             users: [{{name: u, user: {{token: {TOKEN}}}}}]\n\
             contexts: [{{name: lab, context: {{cluster: c, user: u, namespace: default}}}}]\n\
             current-context: lab\n",
            server.url
        ),
    )
    .unwrap();
    // An injected fault of the fake API server (what missing RBAC does to a real one).
    server.fail("vpcs", 403).unwrap();
    let args = [
        "--git",
        &repo.spec("@main:fabric"),
        "--cluster-config",
        kubeconfig.to_str().unwrap(),
    ];
    let out = repo.drift(&[&args[..], &["--format", "json"]].concat());
    let report = json(&out);
    let missing = &report["summary"]["counts"]["missing_in_cluster"];
    assert_eq!(missing, 0, "{report}");
    assert_eq!(out.status.code(), Some(4), "{report}");
    assert_eq!(report["summary"]["status"], "incomplete");
    assert_eq!(report["summary"]["counts"]["unknown"], 6);
    assert_eq!(report["summary"]["unread_kinds"][0]["kind"], "VPC");
    let text = repo.drift(&args);
    assert_eq!(text.status.code(), Some(4));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("incomplete: 33 in_sync, 6 unknown"),
        "{text}"
    );
    assert!(
        text.contains("unread             VPC: the credentials are valid but not allowed"),
        "{text}"
    );
    // The exit codes are in the command's help.
    let help = repo.drift(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(
        help.contains("4 when some kinds could not be read"),
        "{help}"
    );
}

#[test]
fn files_outside_the_layout_are_one_summary_line() {
    let repo = repo();
    // Someone moves every file to a directory named after its kind instead of the plural.
    let home = repo.tmp.path().join("home");
    let work = repo.tmp.path().join("work");
    git(&home, &work, &["pull", "-q", "origin", "main"]);
    let managed = work.join("fabric/managed");
    for dir in std::fs::read_dir(&managed).unwrap() {
        let dir = dir.unwrap().path();
        let moved = managed.join(format!(
            "by-hand-{}",
            dir.file_name().unwrap().to_str().unwrap()
        ));
        git(
            &home,
            &work,
            &["mv", dir.to_str().unwrap(), moved.to_str().unwrap()],
        );
    }
    git(&home, &work, &["commit", "-q", "-m", "move by hand"]);
    git(&home, &work, &["push", "-q", "origin", "HEAD:main"]);
    let out = repo.drift(&["--git", &repo.spec("@main:fabric")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.lines().count() <= 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "hedgehogd: note: {} managed files are not where",
            repo.objects
        )),
        "{stderr}"
    );
    let listed = repo.drift(&["--git", &repo.spec("@main:fabric"), "--list-misplaced"]);
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert_eq!(stderr.lines().count(), repo.objects, "{stderr}");
    assert!(
        stderr
            .lines()
            .all(|l| l.contains("/managed/by-hand-") || l.contains(": managed/by-hand-")),
        "{stderr}"
    );
}

#[test]
fn desired_states_a_commit_would_refuse_are_called_out() {
    let repo = repo();
    let without_vpcs: Vec<Document> = preset(Preset::Vlab)
        .into_iter()
        .filter(|o| !o.key().kind.starts_with("VPC"))
        .map(Document::new)
        .collect();
    let desired = repo.tmp.path().join("desired.yaml");
    std::fs::write(&desired, render(&without_vpcs)).unwrap();
    let args = [
        "--git",
        &repo.spec("@main:fabric"),
        "--desired",
        desired.to_str().unwrap(),
    ];
    let out = repo.drift(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("would be refused") && stderr.contains("plan.mass-deletion"),
        "{stderr}"
    );
    let allowed = repo.drift(&[&args[..], &["--allow-deletions"]].concat());
    assert_eq!(String::from_utf8_lossy(&allowed.stderr), "");
    // An empty desired state is an error, not a plan.
    let empty = repo.tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = repo.drift(&[
        "--git",
        &repo.spec("@main:fabric"),
        "--desired",
        empty.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no objects"), "{stderr}");
}
