//! Writes the fixture of the drift measurement: a real-shaped fabric of about N objects
//! (`hedgehogd sample --real N`) committed to a bare Git repository with one file per object
//! in hedgehog's layout (`managed/<kind plural>/<name>.yaml`), and the same objects as one
//! desired-state file, so that `hedgehogd drift --git DIR/bench.git --desired DIR/desired.yaml`
//! finds them in sync.
//!
//!     cargo run --release -p hedgehog-benches --bin drift-fixture -- DIR [OBJECTS]

use std::path::PathBuf;

use hedgehog_benches::seeded_bare_repo;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::{HydrateMode, hydrate};
use hedgehog_model::load::Document;
use hedgehog_model::render::{RenderOptions, render, render_with};
use hedgehog_model::sample::realistic;
use hedgehog_sync::git::{FileChange, Repo};
use hedgehog_sync::layout::Layout;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: drift-fixture DIR [OBJECTS]")?);
    let objects: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("OBJECTS: {e}"))?,
        None => 20_000,
    };
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut fabric = realistic(objects);
    hydrate(
        &mut fabric,
        &FabricConfig::default(),
        HydrateMode::IfNotPresent,
    )
    .map_err(|problems| format!("{} hydration problems", problems.len()))?;
    let documents: Vec<Document> = fabric.into_iter().map(Document::new).collect();
    let layout = Layout::new("").map_err(|e| e.to_string())?;
    let changes: Vec<FileChange> = documents
        .iter()
        .map(|doc| FileChange {
            path: layout.managed_path(&doc.key()),
            content: Some(render(std::slice::from_ref(doc)).into_bytes()),
        })
        .collect();
    let (repo_dir, author) = seeded_bare_repo(&dir)?;
    let repo = Repo::open(&repo_dir).map_err(|e| e.to_string())?;
    let seed = repo
        .head("main")
        .map_err(|e| e.to_string())?
        .local
        .ok_or("the seed commit")?;
    repo.commit("main", seed, "", &changes, "fabric", &author)
        .map_err(|e| e.to_string())?;
    let desired = dir.join("desired.yaml");
    std::fs::write(
        &desired,
        render_with(&documents, &RenderOptions { headers: true }),
    )
    .map_err(|e| e.to_string())?;
    println!(
        "{} objects: {} and {}",
        documents.len(),
        repo_dir.display(),
        desired.display()
    );
    Ok(())
}
