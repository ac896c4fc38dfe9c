//! Reading the objects and configuration that several commands take.

use std::path::{Path, PathBuf};

use anyhow::Context;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::load::{Limits, Loaded, Loader};

/// Loads files and directories; `-` reads standard input.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Loaded> {
    let loader = Loader::new(Limits::default());
    if paths.len() == 1 && paths[0] == Path::new("-") {
        let text = std::io::read_to_string(std::io::stdin()).context("reading standard input")?;
        return Ok(loader.load_str(&text, None));
    }
    Ok(loader.load_paths(paths)?)
}

/// The fabric configuration: hhfab's defaults, overridden by the fields of `path` if given.
pub fn fabric_config(path: Option<&Path>) -> anyhow::Result<FabricConfig> {
    let Some(path) = path else {
        return Ok(FabricConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read fabric config {}", path.display()))?;
    FabricConfig::from_yaml(&text)
        .with_context(|| format!("invalid fabric config {}", path.display()))
}
