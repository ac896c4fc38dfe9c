//! Criterion benchmarks of the hedgehog crates; run `cargo bench -p hedgehog-benches`.
