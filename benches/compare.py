#!/usr/bin/env python3
"""hedgehogd validate against the Python path, on the same generated fabric, in one run.

    python3 benches/compare.py [--objects 20000 100000] [--shape real|scaled] [--runs 3]
                               [--hedgehogd PATH] [--json]

For each size: generates the fabric once (`hedgehogd sample --real N` or `--scaled N`,
hydrated, with kind headers; cached in .cache/bench/), then runs, alternately and `--runs`
times each, the whole `hedgehogd validate --format json --timings FILE` process and the whole
`python3 benches/python/python_path.py FILE` process (PyYAML C loader + jsonschema Draft 7
per kind + existence checks). Keeps the best (fastest) run of each: its wall time, its stage
times, and the peak resident memory of the process (getrusage of the child). Prints a table,
or with `--json` one JSON object per size.

The ratio is Python whole-process time / hedgehogd whole-process time; both read the same
file from the page cache. The machine may be shared: the best of several runs is what counts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON_PATH = os.path.join(ROOT, "benches", "python", "python_path.py")


def default_hedgehogd() -> str:
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(target, "release", "hedgehogd")


def run_timed(argv: list[str]) -> dict:
    """Runs argv to completion: wall seconds, the child's own peak RSS (bytes, from os.wait4),
    stdout, stderr and exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Both pipes are read by threads so that a large report cannot block the child.
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream, name):
        chunks[name].append(stream.read())

    readers = [threading.Thread(target=drain, args=(proc.stdout, "out")),
               threading.Thread(target=drain, args=(proc.stderr, "err"))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "rss": usage.ru_maxrss * 1024, "out": b"".join(chunks["out"]),
            "err": b"".join(chunks["err"]), "code": proc.returncode}


CACHE = os.path.join(ROOT, ".cache", "bench")


def fabric(hedgehogd: str, shape: str, objects: int) -> str:
    path = os.path.join(CACHE, f"{shape}-{objects}.yaml")
    if not os.path.exists(path):
        subprocess.run([hedgehogd, "sample", f"--{shape}", str(objects), "-o", path + ".tmp"], check=True)
        os.replace(path + ".tmp", path)
    return path


def crds(hedgehogd: str) -> str:
    path = os.path.join(CACHE, "crds.yaml")
    subprocess.run([hedgehogd, "crds", "-o", path], check=True)
    return path


def compare(hedgehogd: str, shape: str, objects: int, runs: int, crd_file: str) -> dict:
    path = fabric(hedgehogd, shape, objects)
    rust_runs, python_runs = [], []
    for _ in range(runs):
        r = run_timed([hedgehogd, "validate", "--format", "json", "--timings", path])
        report = json.loads(r["out"])
        if r["code"] != 0 or report["errors"]:
            sys.exit(f"hedgehogd validate failed on {path}: exit {r['code']}, {report['errors']} errors")
        r["stages"] = json.loads(r["err"].decode().strip().splitlines()[-1])
        r["objects"] = report["objects"]
        rust_runs.append(r)
        p = run_timed([sys.executable, PYTHON_PATH, path, "--crds", crd_file])
        if p["code"] != 0:
            sys.exit(f"the Python path failed on {path}: {p['out'].decode()} {p['err'].decode()}")
        p["stages"] = json.loads(p["out"])["seconds"]
        python_runs.append(p)
    rust = min(rust_runs, key=lambda r: r["wall"])
    python = min(python_runs, key=lambda r: r["wall"])
    n = rust["objects"]
    return {
        "shape": shape,
        "objects": n,
        "bytes": os.path.getsize(path),
        "runs": runs,
        "hedgehogd": {"wall": rust["wall"], "stages": rust["stages"],
                      "peak_rss": min(r["rss"] for r in rust_runs),
                      "peak_rss_per_object": min(r["rss"] for r in rust_runs) / n},
        "python": {"wall": python["wall"], "stages": python["stages"],
                   "peak_rss": min(r["rss"] for r in python_runs)},
        "ratio": python["wall"] / rust["wall"],
    }


def show(result: dict) -> None:
    h, p = result["hedgehogd"], result["python"]
    n = result["objects"]
    print(f"{result['shape']} fabric: {n} objects, {result['bytes'] / 1e6:.1f} MB "
          f"({result['bytes'] / n:.0f} bytes/object), best of {result['runs']}")
    stages = ", ".join(f"{k} {v * 1e3:.0f}" for k, v in h["stages"].items())
    print(f"  hedgehogd validate: {h['wall']:.3f} s whole process; stages (ms): {stages}")
    print(f"    peak RSS {h['peak_rss'] / 1e6:.1f} MB = {h['peak_rss_per_object'] / 1e3:.2f} KB/object")
    stages = ", ".join(f"{k} {v * 1e3:.0f}" for k, v in p["stages"].items())
    print(f"  Python path:        {p['wall']:.3f} s whole process; stages (ms): {stages}")
    print(f"    peak RSS {p['peak_rss'] / 1e6:.1f} MB")
    print(f"  ratio: {result['ratio']:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, nargs="+", default=[20_000])
    parser.add_argument("--shape", choices=["real", "scaled"], default="real")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hedgehogd", default=default_hedgehogd())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    crd_file = crds(args.hedgehogd)
    for objects in args.objects:
        result = compare(args.hedgehogd, args.shape, objects, args.runs, crd_file)
        print(json.dumps(result) if args.json else "", end="\n" if args.json else "")
        if not args.json:
            show(result)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
