"""Ctrl-C during a push, and input the converters must refuse before recursing into it."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import hedgehog_fabric as hf

from conftest import Remote

SCRIPT = textwrap.dedent(
    """
    import sys
    import hedgehog_fabric as hf

    url, cache = sys.argv[1], sys.argv[2]
    author = {"author_name": "NetBox", "author_email": "netbox@example.com"}

    def vpc(vlan):
        return {"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
                "metadata": {"name": "a"},
                "spec": {"subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": vlan}}}}

    repo = hf.GitRepo.clone(url, cache)
    print("publishing", flush=True)
    try:
        repo.publish([vpc(1001)], branch="main", base_dir="fabric", message="first", **author)
        print("returned", flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    # The interrupted publish's push is still running in the background: this call waits for
    # it instead of pushing beside it.
    repo.publish([vpc(1002)], branch="main", base_dir="fabric", message="second", **author)
    print("published", flush=True)
    """
)


def slow_pushes(remote: Remote, seconds: int) -> pathlib.Path:
    log = remote.bare.parent / "pushes.log"
    hook = remote.bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\ncat >/dev/null\necho start >> '{log}'\nsleep {seconds}\necho end >> '{log}'\n")
    hook.chmod(0o755)
    return log


def test_ctrl_c_during_a_push_never_overlaps_the_next_call(remote: Remote) -> None:
    log = slow_pushes(remote, 2)
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, remote.url, str(remote.cache)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "publishing"
    # Wait until the push is inside the hook, then interrupt.
    for _ in range(200):
        if log.exists():
            break
        subprocess.run(["sleep", "0.05"], check=True)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert (proc.returncode, out.split()) == (0, ["interrupted", "published"])
    assert log.read_text().split() == ["start", "end", "start", "end"], "pushes overlapped"
    assert remote.log() == ["second", "first", "initial"]


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"x": value}
    return value


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_input_is_refused_not_overflowing_the_stack(depth: int) -> None:
    obj = {"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": {"name": "a"}, "spec": nested(depth)}
    with pytest.raises(hf.ParseError) as err:
        hf.validate_objects([obj])
    assert err.value.code == "input.too-deep"
    with pytest.raises(hf.ParseError):
        hf.normalize(obj)


def test_self_referencing_input_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(hf.ParseError) as err:
        hf.validate_objects(loop)
    assert err.value.code == "input.too-deep"


def test_input_within_the_limit_still_converts() -> None:
    obj = {"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": {"name": "a"}, "spec": nested(40)}
    report = hf.validate_objects([obj])
    assert report["objects"] == 1
