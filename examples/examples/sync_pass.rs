//! One sync pass of a fabric: publishes a desired state (a YAML file or directory) to a GitOps
//! branch as one commit, then prints the drift report as JSON. Without a cluster, drift
//! compares the desired state with Git.
//!
//! `cargo run -p hedgehog-examples --example sync_pass -- file:///srv/git/fabric.git main fabric examples/fabrics/vlab.yaml`
//!
//! The branch must exist on the remote. Pass `--detect` last to plan without committing.

use std::process::ExitCode;

use hedgehog_model::load::{Limits, Loader};
use hedgehog_sync::fabric::{Fabric, FabricSettings, GitSource, PassRequest, Policy};
use hedgehog_sync::git::{Credentials, Signature};
use hedgehog_sync::snapshot::Snapshot;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, branch, dir, desired, rest @ ..] = args.as_slice() else {
        eprintln!("usage: sync_pass URL BRANCH DIR DESIRED [--detect]");
        return ExitCode::from(2);
    };
    let loaded = match Loader::new(Limits::default()).load_paths(&[desired]) {
        Ok(loaded) if !loaded.has_errors() => loaded,
        Ok(loaded) => {
            loaded.diagnostics.iter().for_each(|d| eprintln!("{d}"));
            return ExitCode::from(1);
        }
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let cache = std::env::temp_dir().join("hedgehog-example-cache");
    let settings = FabricSettings {
        name: "example".into(),
        git: GitSource {
            url: url.clone(),
            branch: branch.clone(),
            base_dir: dir.clone(),
            credentials: Credentials::None,
        },
        cluster: None,
        cache_dir: cache,
        config: Default::default(),
        server_dry_run: false,
        max_delete_percent: hedgehog_sync::guard::DEFAULT_MAX_PERCENT,
    };
    let request = PassRequest {
        policy: if rest.iter().any(|a| a == "--detect") {
            Policy::Detect
        } else {
            Policy::Commit
        },
        desired: Some(Snapshot::from_documents(&loaded.documents, desired)),
        base: None,
        author: Signature::new("hedgehog example", "example@localhost"),
        message: "hedgehog example: publish the desired state".into(),
        force: false,
        allow_deletions: false,
        adopt_layout: false,
    };
    let report = match Fabric::new(settings).await {
        Ok(fabric) => fabric.pass(request).await,
        Err(err) => Err(err),
    };
    match report {
        Ok(report) => {
            eprintln!(
                "commit {} (published: {})",
                report.commit,
                report.published.as_deref().unwrap_or("nothing")
            );
            match serde_json::to_string_pretty(&report.drift) {
                Ok(json) => println!("{json}"),
                Err(err) => eprintln!("{err}"),
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("[{}] {err}", err.code());
            ExitCode::from(2)
        }
    }
}
