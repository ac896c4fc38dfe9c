"""Overhead of the Python bindings over the Rust call, validating a generated fabric.

    .venv/bin/python benches/python/bench_validate.py [--objects 20000] [--rounds 7]

`hf.validate(text)` (text in, report dict out, GIL released during the work) is timed from
Python; the baseline is the same pipeline timed inside Rust (`_rust_validate_seconds`: load and
validate, no conversion). Overhead = (Python − Rust) / Rust, medians over the rounds. Also
prints the same for `validate_objects` (dicts in), which converts every object from Python.
"""

from __future__ import annotations

import argparse
import statistics
import time

import hedgehog_fabric as hf
from hedgehog_fabric import _native


def median_seconds(call: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=20_000, help="size of the generated fabric")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    objects = hf.sample(objects=args.objects)
    text = hf.render_yaml(objects)
    report = hf.validate(text)
    print(f"fabric: {report['objects']} objects, {len(text) / 1e6:.1f} MB of YAML, {report['errors']} errors")

    rust = statistics.median(_native._rust_validate_seconds(text) for _ in range(args.rounds))
    python = median_seconds(lambda: hf.validate(text), args.rounds)
    print(f"validate(text): Rust {rust * 1e3:.1f} ms, from Python {python * 1e3:.1f} ms, "
          f"overhead {100 * (python - rust) / rust:.1f}% ({report['objects'] / python:,.0f} objects/s)")

    dicts = median_seconds(lambda: hf.validate_objects(objects), args.rounds)
    print(f"validate_objects(dicts): {dicts * 1e3:.1f} ms "
          f"({100 * (dicts - rust) / rust:+.1f}% vs the Rust text pipeline; includes converting every dict)")


if __name__ == "__main__":
    main()
