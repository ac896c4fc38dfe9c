"""What protects a user's GitOps repository: refused accidental deletions and other writers'
commits merged (never reverted), on a real bare remote over file:// with a second clone."""

from __future__ import annotations

from typing import Any

import pytest

import hedgehog_fabric as hf

from conftest import Remote


def engine(remote: Remote) -> hf.Engine:
    return hf.Engine("lab", remote.url, cache_dir=str(remote.cache), base_dir="fabric")


def test_an_empty_desired_state_is_refused_everywhere(remote: Remote) -> None:
    lab = engine(remote)
    objects = hf.sample("vlab")
    lab.sync(policy="commit", desired=objects)
    assert remote.log() == ["hedgehog: sync", "initial"]
    with pytest.raises(hf.ValidationError) as err:
        lab.sync(policy="commit", desired=[])
    assert err.value.code == "plan.empty-desired-state"
    assert remote.log() == ["hedgehog: sync", "initial"]
    repo = hf.GitRepo.clone(remote.url, str(remote.cache / "other"))
    with pytest.raises(hf.ValidationError) as err:
        repo.publish([], branch="main", base_dir="fabric", message="empty", author_name="a", author_email="a@b")
    assert err.value.code == "plan.empty-desired-state"
    files = repo.read_tree("origin/main", "fabric")["files"]
    with pytest.raises(hf.ValidationError) as err:
        hf.plan([], files, allow_deletions=True)
    assert err.value.code == "plan.empty-desired-state"
    assert remote.log() == ["hedgehog: sync", "initial"]


def test_deleting_a_whole_kind_needs_allow_deletions(remote: Remote) -> None:
    lab = engine(remote)
    objects = hf.sample("vlab")
    lab.sync(policy="commit", desired=objects)
    without_vpcs = [o for o in objects if o["kind"] not in ("VPC", "VPCAttachment")]
    with pytest.raises(hf.ValidationError) as err:
        lab.sync(policy="commit", desired=without_vpcs)
    assert err.value.code == "plan.mass-deletion"
    assert "every VPC" in str(err.value)
    files = hf.GitRepo.clone(remote.url, str(remote.cache / "x")).read_tree("origin/main", "fabric")["files"]
    with pytest.raises(hf.ValidationError):
        hf.plan(without_vpcs, files)
    planned = hf.plan(without_vpcs, files, allow_deletions=True)
    assert planned["deletions"]["whole_kinds"] == ["VPC", "VPCAttachment"]
    assert remote.log() == ["hedgehog: sync", "initial"]
    report = lab.sync(policy="commit", desired=without_vpcs, allow_deletions=True)
    assert report["plan"]["deletions"]["deleted"] == 12
    assert remote.log() == ["hedgehog: sync", "hedgehog: sync", "initial"]
