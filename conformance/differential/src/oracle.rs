//! The upstream oracle (`scripts/upstream-oracle`, Go) as a subprocess: one process answers
//! many fabrics over its `--stream` protocol.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{Context, bail};
use hedgehog_model::ValidationReport;

/// Builds the oracle if needed (`scripts/upstream-oracle build`) and returns its binary.
/// Exit code 3 of the script means it cannot be built here; the error says why.
pub fn build(repo: &Path) -> anyhow::Result<PathBuf> {
    let out = Command::new("bash")
        .arg(repo.join("scripts/upstream-oracle"))
        .arg("build")
        .stderr(Stdio::inherit())
        .output()
        .context("running scripts/upstream-oracle build")?;
    if !out.status.success() {
        bail!("scripts/upstream-oracle build failed ({})", out.status);
    }
    Ok(PathBuf::from(String::from_utf8(out.stdout)?.trim()))
}

/// The oracles a campaign needs: hhfab's configuration, and the same allowing extra switch
/// profiles (started on first use) for fabrics that bring their own.
pub struct Oracles {
    binary: PathBuf,
    default: Oracle,
    extra_profiles: Option<Oracle>,
}

impl Oracles {
    /// Starts the oracle with hhfab's configuration.
    pub fn start(binary: PathBuf) -> anyhow::Result<Oracles> {
        Ok(Oracles {
            default: Oracle::start(&binary, None)?,
            binary,
            extra_profiles: None,
        })
    }

    /// Upstream's report on one fabric, with `allowExtraSwitchProfiles` if asked.
    pub fn validate(
        &mut self,
        text: &str,
        extra_profiles: bool,
    ) -> anyhow::Result<ValidationReport> {
        if !extra_profiles {
            return self.default.validate(text);
        }
        if self.extra_profiles.is_none() {
            let config = std::env::temp_dir()
                .join(format!("hedgehog-differential-{}.json", std::process::id()));
            std::fs::write(&config, r#"{"allowExtraSwitchProfiles": true}"#)?;
            self.extra_profiles = Some(Oracle::start(&self.binary, Some(&config))?);
        }
        self.extra_profiles
            .as_mut()
            .context("the second oracle")?
            .validate(text)
    }
}

/// A running oracle.
pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Oracle {
    /// Starts `binary validate --format json --stream --store-defaulted [--fabric-config F]`.
    pub fn start(binary: &Path, fabric_config: Option<&Path>) -> anyhow::Result<Oracle> {
        let mut cmd = Command::new(binary);
        cmd.args([
            "validate",
            "--format",
            "json",
            "--stream",
            "--store-defaulted",
        ]);
        if let Some(cfg) = fabric_config {
            cmd.arg("--fabric-config").arg(cfg);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting the oracle {}", binary.display()))?;
        let stdin = child.stdin.take().context("oracle stdin")?;
        let stdout = BufReader::new(child.stdout.take().context("oracle stdout")?);
        Ok(Oracle {
            child,
            stdin,
            stdout,
        })
    }

    /// Upstream's report on one fabric (YAML text).
    pub fn validate(&mut self, text: &str) -> anyhow::Result<ValidationReport> {
        write!(self.stdin, "{}\n{text}", text.len())?;
        self.stdin.flush()?;
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            bail!("the oracle stopped ({:?})", self.child.try_wait()?);
        }
        serde_json::from_str(&line).context("reading the oracle's report")
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        // Closing stdin ends the stream; the oracle then exits by itself.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
