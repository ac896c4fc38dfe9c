//! Demo mode: with no configuration, one fabric in a local Git repository under the data
//! directory — hhfab's default VLAB committed to it, and a desired state with one edit, so
//! the API has something to show. No cluster, no remote.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::sample::{Preset, preset};
use hedgehog_model::{Kind, Object};
use hedgehog_sync::fabric::{Fabric, FabricSettings, GitSource, PassRequest, Policy};
use hedgehog_sync::git::{Credentials, Signature};
use hedgehog_sync::snapshot::Snapshot;

use super::config::FabricSpec;

/// The demo fabric's name.
pub const NAME: &str = "demo";

/// Creates the demo repository and desired state under `data_dir` (once; later runs reuse
/// them) and returns the fabric.
pub async fn fabric(data_dir: &Path) -> anyhow::Result<FabricSpec> {
    let remote = data_dir.join("demo-remote.git");
    let desired_dir = data_dir.join("demo-desired");
    let settings = FabricSettings {
        name: NAME.into(),
        git: GitSource {
            url: format!("file://{}", remote.display()),
            branch: "main".into(),
            base_dir: "fabric".into(),
            credentials: Credentials::None,
        },
        cluster: None,
        cache_dir: data_dir.join("git-cache"),
        config: FabricConfig::default(),
        server_dry_run: false,
        max_delete_percent: hedgehog_sync::guard::DEFAULT_MAX_PERCENT,
    };
    if !remote.exists() {
        let mut objects = preset(Preset::Vlab);
        hydrate(
            &mut objects,
            &FabricConfig::default(),
            HydrateMode::IfNotPresent,
        )
        .map_err(|p| anyhow::anyhow!("cannot hydrate the sample: {:?}", p.first()))?;
        init_remote(data_dir, &remote)?;
        let docs: Vec<Document> = objects.iter().cloned().map(Document::new).collect();
        let seed = Fabric::new(settings.clone()).await?;
        seed.pass(PassRequest {
            policy: Policy::Commit,
            desired: Some(Snapshot::from_documents(&docs, "demo")),
            base: None,
            author: Signature::new("hedgehogd demo", "demo@localhost"),
            message: "demo: hhfab's default VLAB".into(),
            force: false,
            allow_deletions: false,
            adopt_layout: false,
        })
        .await
        .context("cannot commit the demo fabric")?;
        edit_one_vpc(&mut objects);
        std::fs::create_dir_all(&desired_dir)?;
        let docs: Vec<Document> = objects.into_iter().map(Document::new).collect();
        std::fs::write(
            desired_dir.join("vlab.yaml"),
            render_with(&docs, &RenderOptions { headers: true }),
        )?;
    }
    Ok(FabricSpec {
        policy: Policy::Detect,
        interval: Duration::from_secs(60),
        desired: Some(desired_dir),
        allow_deletions: false,
        adopt_layout: false,
        settings,
    })
}

/// A bare repository with one commit on `main` (the git CLI, so the demo works like a real
/// remote), made without touching the user's Git configuration.
fn init_remote(data_dir: &Path, remote: &Path) -> anyhow::Result<()> {
    let work = data_dir.join("demo-init");
    let git = |dir: &Path, args: &[&str]| -> anyhow::Result<()> {
        let out = Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=hedgehogd demo",
                "-c",
                "user.email=demo@localhost",
            ])
            .args(args)
            .output()
            .context("cannot run git (is it installed?)")?;
        if !out.status.success() {
            bail!(
                "git {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    };
    std::fs::create_dir_all(&work)?;
    let (remote_s, work_s) = (remote.display().to_string(), work.display().to_string());
    git(data_dir, &["init", "-q", "--bare", "-b", "main", &remote_s])?;
    git(data_dir, &["init", "-q", "-b", "main", &work_s])?;
    std::fs::write(
        work.join("README.md"),
        "A demo GitOps repository made by `hedgehogd serve`.\n",
    )?;
    git(&work, &["add", "README.md"])?;
    git(&work, &["commit", "-q", "-m", "demo: initial commit"])?;
    git(&work, &["push", "-q", &remote_s, "main"])?;
    std::fs::remove_dir_all(&work)?;
    Ok(())
}

/// Changes the VLAN of the first VPC's first subnet, so drift shows a pending commit.
fn edit_one_vpc(objects: &mut [Object]) {
    let Some(vpc) = objects.iter_mut().find(|o| o.kind() == Some(Kind::Vpc)) else {
        return;
    };
    let mut value = vpc.to_value();
    if let Some(subnets) = value
        .pointer_mut("/spec/subnets")
        .and_then(serde_json::Value::as_object_mut)
        && let Some(first) = subnets.values_mut().next()
    {
        first["vlan"] = serde_json::json!(1999);
    }
    *vpc = Object::from_value(value).object;
}
