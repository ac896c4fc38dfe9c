//! The validation pipeline on generated, valid fabrics of ~100 to ~100 000 objects, of two
//! shapes (`scaled`: the `large`/`huge` presets; `real`: `hedgehogd sample --real N`, shaped
//! as operators write them, about twice the bytes per object): loading, defaulting,
//! per-object validation (rules and CRD schema), cross-object validation, the report and its
//! JSON, and all of it together (what `hedgehogd validate` does); and one `POST /v1/validate`
//! of hhfab's default VLAB as the daemon runs it (`request/vlab`). Reports objects/s and bytes/s of YAML per stage, and resident memory per
//! loaded object once for the largest fabric.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use hedgehog_benches::{ScaleParams, fabric_yaml, real_fabric_yaml, vlab_yaml};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::load::{Limits, Loaded, Loader};
use hedgehog_model::{
    Object, ValidateOptions, ValidationReport, defaults, fabric, validate, validate_loaded,
};
use rayon::prelude::*;

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];
/// Sizes of the real-shaped fabric.
const REAL_SIZES: [usize; 3] = [10_000, 20_000, 100_000];

fn load(text: &str) -> Loaded {
    Loader::new(Limits::default()).load_str(text, Some("fabric.yaml"))
}

/// Resident set size in bytes (Linux).
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for size in SIZES {
        let text = fabric_yaml(ScaleParams::about(size));
        if size == SIZES[SIZES.len() - 1] {
            resident_per_object(&text);
        }
        stages(&mut group, "", &text);
    }
    for size in REAL_SIZES {
        stages(&mut group, "real/", &real_fabric_yaml(size));
    }
    group.finish();
}

/// One `POST /v1/validate` of hhfab's default VLAB, as the daemon runs it: the whole
/// pipeline as one job on rayon's pool (see hedgehogd's `daemon::cpu`).
fn request(c: &mut Criterion) {
    let text = vlab_yaml();
    let mut group = c.benchmark_group("request");
    stages(&mut group, "vlab/", &text);
    group.throughput(Throughput::Elements(1));
    group.bench_function("vlab", |b| {
        b.iter(|| {
            let (sent, received) = std::sync::mpsc::channel();
            let text = text.clone();
            rayon::spawn(move || {
                let mut loaded = load(&text);
                let _ = sent.send(validate_loaded(&mut loaded, &ValidateOptions::default()));
            });
            received.recv().map(|report| report.objects)
        })
    });
    group.finish();
}

/// Prints the resident memory a load of `text` adds, per loaded object.
fn resident_per_object(text: &str) {
    let before = rss();
    let loaded = load(text);
    let after = rss();
    let n = loaded.documents.len();
    eprintln!(
        "{n} objects, {:.1} MB of YAML: {} bytes resident per loaded object",
        text.len() as f64 / 1e6,
        after.saturating_sub(before) / n.max(1)
    );
}

/// Every stage of the pipeline on `text`; benchmark names are `<prefix><stage>/<objects>`.
fn stages(group: &mut BenchmarkGroup<'_, WallTime>, prefix: &str, text: &str) {
    let cfg = FabricConfig::default();
    let loaded = load(text);
    let n = loaded.documents.len();
    let id = |stage: &str| BenchmarkId::new(format!("{prefix}{stage}"), n);
    group.throughput(Throughput::ElementsAndBytes {
        elements: n as u64,
        bytes: text.len() as u64,
    });
    group.bench_with_input(id("load"), text, |b, text| b.iter(|| load(black_box(text))));
    let objects: Vec<Object> = loaded.documents.iter().map(|d| d.object.clone()).collect();
    group.bench_with_input(id("default"), &objects, |b, objects| {
        b.iter_batched(
            || objects.clone(),
            |mut objects| objects.par_iter_mut().for_each(defaults::default_object),
            BatchSize::LargeInput,
        )
    });
    let mut defaulted = objects;
    defaulted.par_iter_mut().for_each(defaults::default_object);
    group.bench_with_input(id("per-object"), &defaulted, |b, objects| {
        b.iter(|| {
            objects
                .par_iter()
                .map(|o| validate::validate_object(o, Some(&cfg)).len())
                .sum::<usize>()
        })
    });
    group.bench_with_input(id("cross-object"), &defaulted, |b, objects| {
        b.iter(|| fabric::validate_all(black_box(objects), &cfg))
    });
    let mut validated = load(text);
    let report = validate_loaded(&mut validated, &ValidateOptions::default());
    group.bench_with_input(id("report-json"), &report, |b, report| {
        b.iter(|| {
            let again = ValidationReport::new(report.objects, report.diagnostics.clone());
            serde_json::to_vec(&again).map(|json| json.len())
        })
    });
    group.bench_with_input(id("pipeline"), text, |b, text| {
        b.iter(|| {
            let mut loaded = load(black_box(text));
            validate_loaded(&mut loaded, &ValidateOptions::default())
        })
    });
}

criterion::criterion_group!(benches, request, bench);
criterion::criterion_main!(benches);
