"""The stubs are complete enough for a strictly typed caller."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, Remote


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


def test_the_error_code_literal_is_the_library_list() -> None:
    """The stubs' ``ErrorCode`` names exactly the codes ``list_codes()`` returns."""
    import ast
    import typing

    import hedgehog_fabric as hf

    stubs = REPO / "hedgehog-py" / "python" / "hedgehog_fabric" / "_native.pyi"
    tree = ast.parse(stubs.read_text())
    literal = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "ErrorCode"
    )
    assert isinstance(literal, ast.Subscript) and isinstance(literal.slice, ast.Tuple)
    in_stubs = [typing.cast(ast.Constant, e).value for e in literal.slice.elts]
    listed = hf.list_codes()
    errors = [c for c in listed if c["kind"] == "error"]
    assert in_stubs == [c["code"] for c in errors]
    assert all(isinstance(c["retry"], bool) for c in errors)
    diagnostics = [c for c in listed if c["kind"] == "diagnostic"]
    assert "vpc.subnet.vlan-required" in {c["code"] for c in diagnostics}
    assert all(c["meaning"].endswith(".") for c in listed)


def test_raised_codes_are_listed(remote: Remote) -> None:
    """A raised exception's code is one of the listed codes (same mapping as the daemon)."""
    import pytest

    import hedgehog_fabric as hf

    codes = {c["code"] for c in hf.list_codes() if c["kind"] == "error"}
    with pytest.raises(hf.GitError) as err:
        hf.GitRepo.clone(remote.url + "-missing", str(remote.cache))
    assert err.value.code in codes
    with pytest.raises(hf.ConfigError) as cfg:
        hf.KubeTarget("ftp://nowhere").test_connection()
    assert cfg.value.code == "kube.config"
