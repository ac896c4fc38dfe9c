//! Upstream's verdicts recorded from the oracle, one JSON line per fabric keyed by the SHA-256
//! of its text, so that the comparison also runs where the oracle cannot be built.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use hedgehog_model::{Diagnostic, ValidationReport};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The SHA-256 of a fabric's text, in hex.
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One recorded verdict: upstream's error and warning diagnostics of one fabric.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// [`digest`] of the fabric's text.
    pub sha256: String,
    /// What the fabric is (case number and base, or fixture file).
    pub label: String,
    /// Upstream's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Recorded verdicts by digest.
#[derive(Default)]
pub struct Recorded(HashMap<String, Vec<Diagnostic>>);

impl Recorded {
    /// Reads a recording (JSON lines).
    pub fn read(path: &Path) -> anyhow::Result<Recorded> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("reading recorded verdicts {}", path.display()))?;
        let mut map = HashMap::new();
        for line in std::io::BufReader::new(file).lines() {
            let entry: Entry = serde_json::from_str(&line?)?;
            map.insert(entry.sha256, entry.diagnostics);
        }
        Ok(Recorded(map))
    }

    /// Upstream's report on `text`, if it was recorded.
    pub fn report(&self, text: &str) -> Option<ValidationReport> {
        self.0
            .get(&digest(text))
            .map(|diags| ValidationReport::new(0, diags.clone()))
    }
}

/// Writes verdicts as they come.
pub struct Recorder(std::io::BufWriter<std::fs::File>);

impl Recorder {
    /// Creates (truncates) the file.
    pub fn create(path: &Path) -> anyhow::Result<Recorder> {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Recorder(std::io::BufWriter::new(file)))
    }

    /// Records upstream's report on `text`.
    pub fn add(
        &mut self,
        label: &str,
        text: &str,
        report: &ValidationReport,
    ) -> anyhow::Result<()> {
        let entry = Entry {
            sha256: digest(text),
            label: label.to_owned(),
            // Places name the stream position, not the fabric: left out.
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| Diagnostic {
                    span: None,
                    ..d.clone()
                })
                .collect(),
        };
        serde_json::to_writer(&mut self.0, &entry)?;
        writeln!(self.0)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::{Kind, ObjectKey};

    #[test]
    fn a_recording_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let diag = Diagnostic::error("upstream.validate", "vlan is required")
            .with_object(ObjectKey::new(Kind::Vpc, "default", "vpc-01"));
        let mut rec = Recorder::create(&path).unwrap();
        rec.add(
            "case 1",
            "text",
            &ValidationReport::new(1, vec![diag.clone()]),
        )
        .unwrap();
        drop(rec);
        let recorded = Recorded::read(&path).unwrap();
        assert_eq!(recorded.report("text").unwrap().diagnostics, vec![diag]);
        assert!(recorded.report("other").is_none());
    }
}
