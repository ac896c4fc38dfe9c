//! Runs fabrics through both programs and keeps the score.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::{ValidateOptions, ValidationReport, validate_loaded};

use crate::bases::{Base, to_yaml};
use crate::compare::{FabricResult, compare};
use crate::mutate::mutate;
use crate::oracle::Oracles;
use crate::record::{Recorded, Recorder};
use crate::rng::Rng;

/// One fabric to compare.
#[derive(Clone, Debug)]
pub struct Case {
    /// What it is: `seed S case N (base)` or a fixture's file name.
    pub label: String,
    /// What was changed in the base (empty for fixtures).
    pub edits: Vec<String>,
    /// The YAML text both programs read.
    pub text: String,
}

impl Case {
    /// A fabric that brings its own SwitchProfiles is validated with
    /// `allowExtraSwitchProfiles` on both sides: otherwise hhfab deletes them unseen.
    pub fn extra_profiles(&self) -> bool {
        self.text.contains("kind: SwitchProfile")
    }
}

/// Case `n` of a campaign with `seed`: a base fabric with one to three edits.
pub fn fuzz_case(bases: &[Base], seed: u64, n: u64) -> Case {
    let mut rng = Rng::for_case(seed, n);
    let base = rng.pick(bases);
    let mut docs = base.docs.clone();
    let edits = mutate(&mut docs, &mut rng);
    Case {
        label: format!("seed {seed} case {n} ({})", base.name),
        edits,
        text: to_yaml(&docs),
    }
}

/// Our report, as `hedgehogd validate --format json` would give it.
pub fn ours(text: &str, options: &ValidateOptions) -> ValidationReport {
    let mut loaded = Loader::new(Limits::default()).load_str(text, Some("fabric.yaml"));
    validate_loaded(&mut loaded, options)
}

/// Where upstream's verdicts come from.
pub enum Upstream {
    /// The running oracles, optionally recording what they say.
    Live(Oracles, Option<Recorder>),
    /// A recording.
    Recorded(Recorded),
}

impl Upstream {
    fn report(&mut self, case: &Case) -> anyhow::Result<Option<ValidationReport>> {
        match self {
            Upstream::Live(oracles, recorder) => {
                let report = oracles.validate(&case.text, case.extra_profiles())?;
                if let Some(rec) = recorder {
                    rec.add(&case.label, &case.text, &report)?;
                }
                Ok(Some(report))
            }
            Upstream::Recorded(recorded) => Ok(recorded.report(&case.text)),
        }
    }
}

/// The score of a campaign.
#[derive(Default)]
pub struct Score {
    /// Cases compared.
    pub cases: usize,
    /// Cases in which every object agrees (known differences included).
    pub agreeing: usize,
    /// Cases in which at least one program found an error.
    pub with_errors: usize,
    /// Cases without a recorded verdict (only when comparing against a recording).
    pub unrecorded: usize,
    /// Objects compared.
    pub objects: usize,
    /// Objects both programs find valid.
    pub both_valid: usize,
    /// Objects by verdict (objects with an error on at least one side).
    pub verdicts: BTreeMap<String, usize>,
    /// Objects explained by each known difference.
    pub known: BTreeMap<&'static str, usize>,
    /// Disagreements (objects) by verdict and kind.
    pub disagreements: BTreeMap<String, usize>,
    /// The first disagreeing cases, for the report.
    pub examples: Vec<String>,
    /// Time spent in our validation and waiting for upstream's.
    pub time_ours: Duration,
    /// Time spent waiting for upstream's verdicts.
    pub time_upstream: Duration,
}

impl Score {
    /// Runs one case and adds it to the score.
    pub fn run(
        &mut self,
        case: &Case,
        options: &ValidateOptions,
        upstream: &mut Upstream,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let theirs = upstream.report(case)?;
        self.time_upstream += started.elapsed();
        let Some(theirs) = theirs else {
            self.unrecorded += 1;
            return Ok(());
        };
        let started = Instant::now();
        let mut options = options.clone();
        options.config.allow_extra_switch_profiles |= case.extra_profiles();
        let mine = ours(&case.text, &options);
        self.time_ours += started.elapsed();
        let result = compare(&mine, &theirs);
        self.add(case, &result);
        Ok(())
    }

    fn add(&mut self, case: &Case, result: &FabricResult) {
        self.cases += 1;
        self.objects += result.objects;
        self.both_valid += result.objects.saturating_sub(result.results.len());
        if result.agrees() {
            self.agreeing += 1;
        }
        if !result.results.is_empty() {
            self.with_errors += 1;
        }
        for r in &result.results {
            *self.verdicts.entry(r.verdict.to_string()).or_default() += 1;
            if let Some(known) = r.known {
                *self.known.entry(known.id).or_default() += 1;
            }
            if r.disagrees() {
                let kind = r.key.split('/').next().unwrap_or("");
                *self
                    .disagreements
                    .entry(format!("{} {kind}", r.verdict))
                    .or_default() += 1;
            }
        }
        if !result.agrees() && self.examples.len() < 40 {
            self.examples.push(describe(case, result));
        }
    }

    /// Whether every compared case agreed.
    pub fn passed(&self) -> bool {
        self.agreeing == self.cases
    }

    /// A human-readable summary, ending with `N passed, N failed`.
    pub fn summary(&self, what: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{what}: {} cases ({} with an error found), {} agree, {} disagree; {} objects: {} valid on both sides, by verdict {:?}",
            self.cases,
            self.with_errors,
            self.agreeing,
            self.cases - self.agreeing,
            self.objects,
            self.both_valid,
            self.verdicts
        );
        let _ = writeln!(
            s,
            "  time: ours {:.1} s, upstream {:.1} s",
            self.time_ours.as_secs_f64(),
            self.time_upstream.as_secs_f64()
        );
        if !self.known.is_empty() {
            let _ = writeln!(s, "  known differences (objects): {:?}", self.known);
        }
        if !self.disagreements.is_empty() {
            let _ = writeln!(s, "  disagreements (objects): {:?}", self.disagreements);
        }
        if self.unrecorded > 0 {
            let _ = writeln!(
                s,
                "  not compared (no recorded verdict): {}",
                self.unrecorded
            );
        }
        for e in &self.examples {
            let _ = writeln!(s, "{e}");
        }
        let _ = writeln!(
            s,
            "{what}: {} passed, {} failed",
            self.agreeing,
            self.cases - self.agreeing
        );
        s
    }
}

fn describe(case: &Case, result: &FabricResult) -> String {
    let mut s = format!("--- {}", case.label);
    for e in &case.edits {
        let _ = write!(s, "\n    edit: {e}");
    }
    for r in result.results.iter().filter(|r| r.disagrees()) {
        let _ = write!(s, "\n  {} {}", r.verdict, r.key);
        for d in &r.errors.upstream {
            let _ = write!(s, "\n    upstream: {}", d.message);
        }
        for d in &r.errors.ours {
            let _ = write!(s, "\n    ours:     [{}] {}", d.code, d.message);
        }
    }
    s
}
