//! The validation pipeline on generated, valid fabrics of ~100 to ~100 000 objects: loading,
//! defaulting, per-object validation, cross-object validation, and all of it together
//! (what `hedgehogd validate` does). Reports objects/s and bytes/s of YAML per stage, and resident memory per
//! loaded object once for the largest fabric.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use hedgehog_benches::{ScaleParams, fabric_yaml};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::load::{Limits, Loaded, Loader};
use hedgehog_model::{Object, ValidateOptions, defaults, fabric, validate, validate_loaded};
use rayon::prelude::*;

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

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
    let cfg = FabricConfig::default();
    let mut group = c.benchmark_group("validate");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for size in SIZES {
        let text = fabric_yaml(ScaleParams::about(size));
        let loaded = load(&text);
        let n = loaded.documents.len();
        if size == SIZES[SIZES.len() - 1] {
            let before = rss();
            let again = load(&text);
            let after = rss();
            eprintln!(
                "{n} objects, {:.1} MB of YAML: {} bytes resident per loaded object",
                text.len() as f64 / 1e6,
                after.saturating_sub(before) / n.max(1)
            );
            drop(again);
        }
        group.throughput(Throughput::ElementsAndBytes {
            elements: n as u64,
            bytes: text.len() as u64,
        });
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, text| {
            b.iter(|| load(black_box(text)))
        });
        let objects: Vec<Object> = loaded.documents.iter().map(|d| d.object.clone()).collect();
        group.bench_with_input(BenchmarkId::new("default", n), &objects, |b, objects| {
            b.iter_batched(
                || objects.clone(),
                |mut objects| objects.par_iter_mut().for_each(defaults::default_object),
                BatchSize::LargeInput,
            )
        });
        let mut defaulted = objects;
        defaulted.par_iter_mut().for_each(defaults::default_object);
        group.bench_with_input(
            BenchmarkId::new("per-object", n),
            &defaulted,
            |b, objects| {
                b.iter(|| {
                    objects
                        .par_iter()
                        .map(|o| validate::validate_object(o, Some(&cfg)).len())
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("cross-object", n),
            &defaulted,
            |b, objects| b.iter(|| fabric::validate_all(black_box(objects), &cfg)),
        );
        group.bench_with_input(BenchmarkId::new("pipeline", n), &text, |b, text| {
            b.iter(|| {
                let mut loaded = load(black_box(text));
                validate_loaded(&mut loaded, &ValidateOptions::default())
            })
        });
    }
    group.finish();
}

criterion::criterion_group!(benches, bench);
criterion::criterion_main!(benches);
