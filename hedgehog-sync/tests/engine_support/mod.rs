//! Shared by the engine's tests: real repositories (a bare remote over `file://` and a
//! second clone that pushes in between) and YAML fixtures.

#![allow(dead_code)] // each test binary uses a different part of it

pub mod passes;

use std::path::{Path, PathBuf};

use hedgehog_sync::git::{Credentials, Repo, Signature};

/// Runs `git` like another engineer (see `hedgehog_benches::git`).
pub fn git(home: &Path, dir: &Path, args: &[&str]) -> String {
    hedgehog_benches::git(home, dir, args).unwrap()
}

/// A bare remote, a work tree clone of it ("another engineer") and a cache directory.
pub struct Remote {
    pub tmp: tempfile::TempDir,
    pub remote: PathBuf,
    pub work: PathBuf,
    pub cache: PathBuf,
}

impl Remote {
    /// A remote whose `main` holds one commit with `README.md`.
    pub fn new() -> Remote {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let remote = tmp.path().join("remote.git");
        let work = tmp.path().join("work");
        let r = Remote {
            remote: remote.clone(),
            work: work.clone(),
            cache: tmp.path().join("cache"),
            tmp,
        };
        r.git(
            r.tmp.path(),
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                remote.to_str().unwrap(),
            ],
        );
        r.git(
            r.tmp.path(),
            &["init", "-q", "-b", "main", work.to_str().unwrap()],
        );
        r.git(
            &work,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        r.commit(&[("README.md", Some("fabric\n"))], "initial");
        r
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        git(&self.tmp.path().join("home"), dir, args)
    }

    pub fn url(&self) -> String {
        format!("file://{}", self.remote.display())
    }

    /// Commits files (`None` deletes) in the work clone and pushes; returns the commit id.
    pub fn commit(&self, files: &[(&str, Option<&str>)], message: &str) -> String {
        if !self
            .git(&self.work, &["ls-remote", "origin", "main"])
            .is_empty()
        {
            self.git(&self.work, &["pull", "-q", "--rebase", "origin", "main"]);
        }
        for (path, content) in files {
            let full = self.work.join(path);
            match content {
                Some(text) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(&full, text).unwrap();
                    self.git(&self.work, &["add", path]);
                }
                None => {
                    self.git(&self.work, &["rm", "-q", path]);
                }
            }
        }
        self.git(&self.work, &["commit", "-q", "-m", message]);
        self.git(&self.work, &["push", "-q", "origin", "main"]);
        self.git(&self.work, &["rev-parse", "HEAD"])
    }

    /// Makes every push to the remote take `seconds`, and logs `start`/`end` of each to the
    /// returned file, so a test can see whether two pushes overlapped.
    pub fn slow_pushes(&self, seconds: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let log = self.tmp.path().join("pushes.log");
        let hook = self.remote.join("hooks/pre-receive");
        let script = format!(
            "#!/bin/sh\ncat >/dev/null\necho start >> '{log}'\nsleep {seconds}\necho end >> '{log}'\n",
            log = log.display()
        );
        std::fs::write(&hook, script).unwrap();
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        log
    }

    /// The engine's cache clone of the remote.
    pub fn clone(&self) -> Repo {
        Repo::clone_or_open(&self.url(), &self.cache, &Credentials::None).unwrap()
    }

    /// `git log --format=%s` of the remote's `main`, newest first.
    pub fn remote_log(&self) -> Vec<String> {
        let out = self.git(&self.remote, &["log", "--format=%s", "main"]);
        out.lines().map(str::to_owned).collect()
    }
}

pub fn author() -> Signature {
    Signature {
        name: "hedgehog".into(),
        email: "hedgehog@example.com".into(),
        time: Some(1_790_000_000),
    }
}

/// A VPC as a person writes it in Git.
pub fn vpc_yaml(name: &str, vlan: u16, subnet: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: {name}
spec:
  subnets:
    default:
      subnet: {subnet}
      vlan: {vlan}
      dhcp:
        enable: true
"
    )
}

/// What the API server returns for an applied YAML: defaulted by upstream's webhook and
/// decorated with server-managed fields.
pub fn as_cluster_returns(yaml: &str, resource_version: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_yaml_ng::from_str(yaml).unwrap();
    let decoded = hedgehog_model::Object::from_value(value);
    let mut object = decoded.object;
    hedgehog_model::defaults::default_object(&mut object);
    let mut defaulted = object.to_value_with(&decoded.unknown);
    defaulted["metadata"]["namespace"] = "default".into();
    let meta = defaulted["metadata"].as_object_mut().unwrap();
    meta.insert("uid".into(), "8d0c2f".into());
    meta.insert("resourceVersion".into(), resource_version.into());
    meta.insert("generation".into(), 3.into());
    meta.insert("creationTimestamp".into(), "2026-11-01T10:00:00Z".into());
    meta.insert(
        "managedFields".into(),
        serde_json::json!([{"manager": "argocd-controller", "operation": "Apply"}]),
    );
    defaulted["status"] = serde_json::json!({"state": "ready"});
    defaulted
}
