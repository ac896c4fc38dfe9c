#!/usr/bin/env bash
# Runs the whole test suite: every Rust crate, the differential tests against upstream's Go
# validation, then the Python bindings in a fresh virtualenv.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean build of every crate, test binary, fuzz target and the wheel is large: without
# incremental caches and with line tables only (backtraces keep file:line) it needs about
# half the disk. Set either variable to override.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"

echo "==> test API server (kube-apiserver + etcd from the Kubernetes Go modules; cached in .cache/)"
scripts/test-apiserver --build-only

echo "==> cargo fmt --check and clippy (warnings are errors)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> cargo test (all Rust crates)"
# The validation tests also write every fixture they check, for the differential tests below.
fixtures=$PWD/.cache/fixtures
rm -rf "$fixtures"
HEDGEHOG_FIXTURE_DIR=$fixtures cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked

echo "==> differential tests against upstream's own Go validation (builds the oracle on first use)"
bash scripts/differential-tests "$fixtures"

# Every cargo-fuzz target for a short bounded time (HEDGEHOG_FUZZ_SECONDS each, default 25;
# five model targets, so about two minutes after the build). HEDGEHOG_SKIP_FUZZ=1 skips it,
# and says so.
if [ "${HEDGEHOG_SKIP_FUZZ:-0}" = 1 ]; then
  echo "==> fuzzing SKIPPED (HEDGEHOG_SKIP_FUZZ=1)"
else
  echo "==> fuzzing (scripts/fuzz.sh)"
  bash scripts/fuzz.sh --seconds "${HEDGEHOG_FUZZ_SECONDS:-25}"
fi

if [ -d hedgehog-py/tests ]; then
  echo "==> Python bindings (maturin + pytest in .venv)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r hedgehog-py/requirements-test.txt
  .venv/bin/maturin develop --quiet --release -m hedgehog-py/Cargo.toml
  .venv/bin/python -m pytest -q hedgehog-py/tests
fi

echo "==> performance guard: hedgehogd validate against the Python path (scripts/perf-ratio-check)"
RUNS="${HEDGEHOG_PERF_RUNS:-5}" bash scripts/perf-ratio-check
