"""The stubs are complete enough for a strictly typed caller."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_typed_usage_passes_mypy_strict() -> None:
    example = REPO / "hedgehog-py" / "examples" / "typed_usage.py"
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(example)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_example_runs() -> None:
    example = REPO / "hedgehog-py" / "examples" / "typed_usage.py"
    out = subprocess.run([sys.executable, str(example)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "<redacted>" in out.stdout and "token=t" not in out.stdout
