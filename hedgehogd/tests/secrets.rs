//! No secret reaches any output (issue 12, defect 3). A distinctive secret is planted in every
//! secret-bearing setting of the daemon and the CLI — API tokens (variable and file), Git
//! tokens (variable and file), an SSH key file, cluster tokens (variable and file), a
//! kubeconfig's token and passwords inside Git and cluster URLs — and every answer of every
//! endpoint, every log line (the daemon's standard error, at debug level), `/metrics` and every
//! CLI message is searched for it. Failures are provoked on purpose (unreachable remotes, a
//! cluster that refuses the token), because error paths are where secrets leak.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon, bare_remote};

/// Every planted secret contains this marker, so a partial leak is found too.
const MARK: &str = "PLNTD";

fn secret(what: &str) -> String {
    format!("{MARK}-{what}-7d41c9e8f2a6b305")
}

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_hedgehogd"))
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(MARK),
        "a planted secret leaked into {what}:\n{text}"
    );
}

/// A URL with a password in it is refused when the configuration is loaded, with a pointer
/// to `token_env`/`token_file`, and the refusal does not repeat the password.
#[test]
fn urls_with_passwords_are_refused_at_config_load() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("kubeconfig"),
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {{ server: \"https://admin:{}@127.0.0.1:9\" }}\n\
             users:\n- name: u\n  user: {{}}\ncontexts:\n- name: c\n  context: {{ cluster: k, user: u }}\n",
            secret("kubeconfig-url")
        ),
    )
    .unwrap();
    for (table, line) in [
        (
            "git",
            format!(
                "url = \"https://bot:{}@127.0.0.1:9/x.git\"",
                secret("git-url")
            ),
        ),
        (
            "cluster",
            format!(
                "server = \"https://admin:{}@127.0.0.1:9\"",
                secret("kube-url")
            ),
        ),
    ] {
        let git = if table == "git" {
            String::new()
        } else {
            "[fabrics.git]\nurl = \"file:///nonexistent.git\"\n".to_owned()
        };
        let config = tmp.path().join("hedgehogd.toml");
        std::fs::write(
            &config,
            format!(
                "[[fabrics]]\nname = \"lab\"\ninterval_secs = 3600\n{git}[fabrics.{table}]\n{line}\n"
            ),
        )
        .unwrap();
        let out = Command::new(binary())
            .args(["serve", "--once", "--config", config.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{table}: {stderr}");
        assert!(stdout.is_empty(), "{table}: no pass may run: {stdout}");
        assert!(
            stderr.contains("password") && stderr.contains("token_env"),
            "{table}: the refusal must say why and where the secret goes: {stderr}"
        );
        assert_clean(&format!("the {table} refusal"), &stderr);
    }
}

/// Secrets in every setting; every endpoint (successes and errors), `/metrics` and the whole
/// debug log are free of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_planted_secret_reaches_an_answer_a_log_line_or_a_metric() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let bare = bare_remote(&home, tmp.path()).unwrap();
    let read = secret("api-read-token");
    let write = secret("api-write-token");
    std::fs::write(tmp.path().join("write.token"), &write).unwrap();
    std::fs::write(tmp.path().join("git.token"), secret("git-token-file")).unwrap();
    std::fs::write(
        tmp.path().join("id_test"),
        format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
            secret("ssh-key-material")
        ),
    )
    .unwrap();
    std::fs::write(tmp.path().join("kube.token"), secret("kube-token-file")).unwrap();
    // Nothing listens on port 9 of the loopback: every cluster request fails, and its error
    // goes through the redaction.
    std::fs::write(
        tmp.path().join("kubeconfig"),
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {{ server: \"https://127.0.0.1:9\" }}\n\
             users:\n- name: u\n  user: {{ token: \"{}\" }}\ncontexts:\n- name: c\n  context: {{ cluster: k, user: u }}\n",
            secret("kubeconfig-token")
        ),
    )
    .unwrap();
    let remote_url = format!("file://{}", bare.display());
    let config = format!(
        "data_dir = \"{data}\"\n\
         [[tokens]]\nname = \"reader\"\nscope = \"read\"\nenv = \"HH_READ\"\n\
         [[tokens]]\nname = \"writer\"\nscope = \"write\"\nfile = \"write.token\"\n\
         [[fabrics]]\nname = \"git-env\"\ninterval_secs = 3600\n\
         git = {{ url = \"{remote_url}\", token_env = \"HH_GIT_TOKEN\" }}\n\
         cluster = {{ server = \"https://127.0.0.1:9\", token_env = \"HH_KUBE_TOKEN\" }}\n\
         [[fabrics]]\nname = \"git-file\"\ninterval_secs = 3600\n\
         git = {{ url = \"{remote_url}\", token_file = \"git.token\", username = \"bot\" }}\n\
         cluster = {{ server = \"https://127.0.0.1:9\", token_file = \"kube.token\" }}\n\
         [[fabrics]]\nname = \"ssh\"\ninterval_secs = 3600\n\
         git = {{ url = \"ssh://git@127.0.0.1:9/fabric.git\", ssh_key_file = \"id_test\" }}\n\
         [[fabrics]]\nname = \"kubeconfig\"\ninterval_secs = 3600\n\
         git = {{ url = \"{remote_url}\" }}\ncluster = {{ kubeconfig = \"kubeconfig\" }}\n",
        data = tmp.path().join("data").display(),
    );
    std::fs::write(tmp.path().join("hedgehogd.toml"), config).unwrap();
    let daemon = Daemon::start(
        binary(),
        &[
            "--config",
            tmp.path().join("hedgehogd.toml").to_str().unwrap(),
        ],
        &[
            ("HOME", home.to_str().unwrap()),
            ("GIT_CONFIG_NOSYSTEM", "1"),
            ("RUST_LOG", "debug"),
            ("HH_READ", &read),
            ("HH_GIT_TOKEN", &secret("git-token-env")),
            ("HH_KUBE_TOKEN", &secret("kube-token-env")),
        ],
    )
    .unwrap();
    let mut c = daemon.client().await.unwrap();
    let mut answers = Vec::new();
    let mut record = |what: String, r: &hedgehog_benches::daemon::Response| {
        let headers = format!("{:?}", r.headers);
        answers.push((what, format!("{} {headers}\n{}", r.status, r.text())));
    };
    // Every fabric has finished its first pass (each fails somewhere: that is the point).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let r = c.get("/readyz", None).await.unwrap();
        record("GET /readyz".into(), &r);
        if r.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "not ready: {}", r.text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let fabrics = ["git-env", "git-file", "ssh", "kubeconfig"];
    for name in fabrics {
        let started = c
            .post(&format!("/v1/fabrics/{name}/sync"), Some(&write), "")
            .await
            .unwrap();
        record(format!("POST sync {name}"), &started);
        let id = started.json()["operation"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        wait_operation(&mut c, &id, &read).await;
        let op = c
            .get(&format!("/v1/operations/{id}"), Some(&read))
            .await
            .unwrap();
        record(format!("GET operation of {name}"), &op);
        for path in ["", "/drift", "/gitops-status"] {
            let r = c
                .get(&format!("/v1/fabrics/{name}{path}"), Some(&read))
                .await
                .unwrap();
            record(format!("GET /v1/fabrics/{name}{path}"), &r);
        }
        let r = c
            .post(
                &format!("/v1/fabrics/{name}/test-connection"),
                Some(&read),
                "",
            )
            .await
            .unwrap();
        record(format!("POST test-connection {name}"), &r);
    }
    for (method, path, token) in [
        ("GET", "/v1/fabrics", Some(read.as_str())),
        ("GET", "/metrics", Some(read.as_str())),
        ("GET", "/healthz", None),
        ("GET", "/v1/openapi.json", None),
        ("GET", "/v1/fabrics", None),
        ("GET", "/v1/fabrics", Some("wrong-token-0123456789")),
        ("POST", "/v1/fabrics/ssh/sync", Some(read.as_str())),
        ("POST", "/v1/validate", Some(read.as_str())),
        ("POST", "/v1/render", Some(read.as_str())),
    ] {
        let r = if method == "GET" {
            c.get(path, token).await.unwrap()
        } else {
            c.post(path, token, "kind: VPC\nmetadata: {name: x}\n")
                .await
                .unwrap()
        };
        record(format!("{method} {path} ({token:?})"), &r);
    }
    let metrics = c.get("/metrics", Some(&read)).await.unwrap().text();
    // The checks above really ran against the failures they were meant to provoke.
    let ssh = c.get("/v1/fabrics/ssh", Some(&read)).await.unwrap().json();
    assert!(ssh["last_error"]["message"].is_string(), "{ssh}");
    let kube = c
        .get("/v1/fabrics/kubeconfig", Some(&read))
        .await
        .unwrap()
        .json();
    assert!(
        kube["last_error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("kube."),
        "{kube}"
    );
    assert!(metrics.contains("hedgehogd_sync_passes_total"), "{metrics}");
    drop(c);
    let log_receiver = daemon.stop_and_collect();
    assert!(
        log_receiver.iter().any(|l| l.contains("sync pass failed")),
        "the log shows the failures"
    );
    for (what, text) in &answers {
        assert_clean(what, text);
    }
    assert_clean("/metrics", &metrics);
    for line in &log_receiver {
        assert_clean("the daemon's log", line);
    }
}

async fn wait_operation(c: &mut Client, id: &str, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while c
        .get(&format!("/v1/operations/{id}"), Some(token))
        .await
        .unwrap()
        .json()["state"]
        == "running"
    {
        assert!(Instant::now() < deadline, "operation {id} did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `hedgehogd drift` with secrets in the Git URL, the token variable, the SSH key file and the
/// kubeconfig: its messages name none of them.
#[test]
fn the_cli_never_prints_a_planted_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("id_test");
    std::fs::write(&key, secret("cli-ssh-key")).unwrap();
    let kubeconfig = tmp.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {{ server: \"https://127.0.0.1:9\" }}\n\
             users:\n- name: u\n  user: {{ token: \"{}\" }}\ncontexts:\n- name: c\n  context: {{ cluster: k, user: u }}\n",
            secret("cli-kubeconfig")
        ),
    )
    .unwrap();
    let url = format!("https://bot:{}@127.0.0.1:9/x.git", secret("cli-url"));
    let runs: Vec<Vec<String>> = vec![
        vec!["--git".into(), url.clone()],
        vec!["--git".into(), format!("{url}@")],
        vec!["--git".into(), format!("{url}@main:fabric")],
        vec![
            "--git".into(),
            "https://127.0.0.1:9/x.git@main".into(),
            "--git-token-env".into(),
            "HH_CLI_TOKEN".into(),
        ],
        vec![
            "--git".into(),
            "ssh://git@127.0.0.1:9/x.git@main".into(),
            "--git-ssh-key".into(),
            key.display().to_string(),
        ],
        vec![
            "--git".into(),
            "https://127.0.0.1:9/x.git@main".into(),
            "--cluster-config".into(),
            kubeconfig.display().to_string(),
        ],
    ];
    for args in runs {
        let out = Command::new(binary())
            .arg("drift")
            .args(&args)
            .env("HH_CLI_TOKEN", secret("cli-token-env"))
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .unwrap();
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_ne!(out.status.code(), Some(0), "{args:?}: {text}");
        assert!(!text.trim().is_empty(), "{args:?}: an error is reported");
        assert_clean(&format!("hedgehogd drift {args:?}"), &text);
    }
}
