"""What protects a user's GitOps repository: refused accidental deletions and other writers'
commits merged (never reverted), on a real bare remote over file:// with a second clone."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

import hedgehog_fabric as hf

from conftest import FakeApiServer, Remote


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


def test_edits_of_another_writer_are_kept(remote: Remote) -> None:
    lab = engine(remote)
    objects = hf.sample("vlab")
    lab.sync(policy="commit", desired=objects)
    switch = next(o for o in objects if o["kind"] == "Switch" and o["metadata"]["name"] == "leaf-01")
    path = "fabric/managed/switches/leaf-01.yaml"
    # (`show` trims the file's last newline.)
    edited = remote.show(path).replace("description: VS-01 ESLAG 1", "description: racked by hand") + "\n"
    remote.commit({path: edited}, "other: describe a switch")
    # The desired state did not touch that switch: the next pass keeps the edit.
    report = lab.sync(policy="commit", desired=objects)
    assert remote.log()[0] == "other: describe a switch"
    assert "racked by hand" in remote.show(path)
    assert report["agreed"] is not None and report["base"] is not None
    # The same field changed in the desired state is a conflict, not an overwrite.
    switch["spec"]["description"] = "mine"
    with pytest.raises(hf.ValidationError) as err:
        lab.sync(policy="commit", desired=objects)
    assert err.value.code == "plan.conflict"
    assert err.value.conflicts[0]["fields"][0]["theirs"] == "racked by hand"
    assert remote.log()[0] == "other: describe a switch"
    # A new Engine (a restarted plugin) given the agreed commit as base does the same.
    again = hf.Engine("lab", remote.url, cache_dir=str(remote.cache), base_dir="fabric")
    with pytest.raises(hf.ValidationError):
        again.sync(policy="commit", desired=objects, base=report["agreed"])


def test_a_plan_changes_only_the_files_of_changed_objects() -> None:
    """Files written by a person, named after their objects, in their own formatting."""
    import json

    objects = hf.sample("vlab")
    plural = {k["kind"]: k["plural"] for k in hf.kinds()}
    files = {f"managed/{plural[o['kind']]}/{o['metadata']['name']}.yaml": json.dumps(o) for o in objects}
    vpc = next(o for o in objects if o["kind"] == "VPC")
    vpc["spec"]["subnets"]["subnet-01"]["vlan"] = 3001
    planned = hf.plan(objects, files)
    changes = planned["changes"]
    assert [p for p, _ in changes["update"]] == [f"managed/vpcs/{vpc['metadata']['name']}.yaml"]
    assert changes["add"] == [] and changes["delete"] == []
    assert planned["adoption"] == {"renames": 0, "rerenders": len(objects) - 1}


def test_a_kind_the_cluster_cannot_list_is_unknown(apiserver: FakeApiServer, remote: Remote) -> None:
    objects = hf.sample("vlab")
    hf.KubeTarget(apiserver.url, token=apiserver.token, allow_writes=True).apply(objects)
    cluster = hf.KubeTarget(apiserver.url, token=apiserver.token)
    lab = hf.Engine("lab", remote.url, cache_dir=str(remote.cache), base_dir="fabric", cluster=cluster)
    lab.sync(policy="commit", desired=objects)
    # An injected fault of the fake API server (RBAC does this to a real one): VPCs answer 403.
    urllib.request.urlopen(urllib.request.Request(f"{apiserver.url}/fault/vpcs/403", method="POST"))
    summary = lab.sync()["drift"]["summary"]
    assert summary["status"] == "incomplete"
    assert summary["counts"]["unknown"] == 6 and summary["counts"]["missing_in_cluster"] == 0
    assert [u["kind"] for u in summary["unread_kinds"]] == ["VPC"]
    # The same from the plain-data functions, given what discovery could not read.
    snapshot = cluster.discover()
    unread = [
        {"api_group": "vpc.githedgehog.com", "kind": e["kind"], "reason": e["error"]["message"]}
        for e in snapshot["errors"]
    ]
    listed = [o["value"] for o in snapshot["objects"]]
    report = hf.drift(objects, objects, listed, unread_kinds=unread)
    assert report["summary"]["status"] == "incomplete"
    assert {o["state"] for o in report["objects"]} == {"unknown"}
    assert hf.drift(objects, objects, listed)["summary"]["status"] == "drift_detected"
