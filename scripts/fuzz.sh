#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for a bounded time each.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]
#
# --seconds: time per target (default 60). With no TARGET, every target runs in turn. Needs the nightly toolchain;
# installs cargo-fuzz (pinned) into ~/.cargo when it is missing. Seeds are in fuzz/seeds/
# (read only); the growing corpus and any crash land in .cache/fuzz/ (ignored by Git).
# A crash, a timeout (one input over 10 s: super-linear work) or an out-of-memory fails
# the run and prints the input's path; reproduce it with
#   cargo +nightly fuzz run --fuzz-dir fuzz --sanitizer none TARGET PATH
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

CARGO_FUZZ_VERSION=0.13.2
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "scripts/fuzz.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "==> installing cargo-fuzz $CARGO_FUZZ_VERSION into ~/.cargo"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# The targets are safe Rust: AddressSanitizer would only slow them down. Debug assertions
# (overflow checks included) stay on, as cargo-fuzz builds them by default.
fuzz=(cargo +nightly fuzz)
opts=(--fuzz-dir fuzz --sanitizer none)
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir fuzz)
fi

echo "==> building ${#targets[@]} fuzz targets"
"${fuzz[@]}" build "${opts[@]}"

status=0
summary=()
for target in "${targets[@]}"; do
  corpus=".cache/fuzz/corpus/$target"
  artifacts=".cache/fuzz/artifacts/$target/"
  log=".cache/fuzz/logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "==> fuzzing $target for ${seconds}s"
  # New inputs go to the first folder only: the seeds in the repository stay as they are.
  if "${fuzz[@]}" run "${opts[@]}" "$target" "$corpus" "fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED: $(grep -aoE '(Test unit|artifact_prefix|Running).*written to [^ ]+' "$log" | tail -1)"
    status=1
    tail -40 "$log"
  fi
  runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | awk '{print $2}' | tail -1)
  summary+=("$(printf '%-20s %12s runs  %6s corpus  %s' "$target" "$runs" \
    "$(find "$corpus" -type f | wc -l)" "$result")")
done

echo "==> fuzzing summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$status"
