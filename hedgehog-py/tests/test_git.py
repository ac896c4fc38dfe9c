"""GitRepo against a real bare remote over file:// with a second clone pushing in between."""

from __future__ import annotations

from typing import Any

import pytest

import hedgehog_fabric as hf

from conftest import Remote, git

AUTHOR = {"author_name": "NetBox", "author_email": "netbox@example.com"}


def vpc(name: str, vlan: int) -> dict[str, Any]:
    return {
        "apiVersion": "vpc.githedgehog.com/v1beta1",
        "kind": "VPC",
        "metadata": {"name": name},
        "spec": {"subnets": {"default": {"subnet": f"10.0.{vlan % 250}.0/24", "vlan": vlan}}},
    }


def test_clone_read_commit_push(remote: Remote) -> None:
    repo = hf.GitRepo.clone(remote.url, str(remote.cache))
    assert repo.url == remote.url and "token" not in repr(repo)
    assert repo.path.startswith(str(remote.cache)) and repo.path in repr(repo)
    tip = repo.head("main")["remote"]
    assert tip is not None
    tree = repo.read_tree("origin/main")
    assert tree == {"commit": tip, "files": {"README.md": "fabric\n"}}

    commit = repo.commit(
        "main", tip, {"fabric/notes.txt": "hello\n", "README.md": None}, "notes", **AUTHOR
    )
    assert commit is not None
    assert repo.commit("main", commit, {"fabric/notes.txt": "hello\n"}, "again", **AUTHOR) is None
    assert repo.push("main", tip) == {"pushed": True, "commit": commit}
    assert remote.log() == ["notes", "initial"]

    # The branch moved: the lease refuses the push, the local commit stays.
    remote.commit({"other.txt": "x\n"}, "other")
    repo.fetch()
    stale = repo.commit("main", commit, {"fabric/more.txt": "y\n"}, "more", **AUTHOR)
    pushed = repo.push("main", commit)
    assert pushed["pushed"] is False and pushed["stale"] is True
    assert remote.log() == ["other", "notes", "initial"]
    assert repo.head("main")["local"] == stale
    with pytest.raises(hf.GitError) as err:
        repo.commit("main", commit, {"x": "y"}, "moved", **AUTHOR)
    assert err.value.code == "git.conflict"


def test_publish_merges_later_commits_and_refuses_conflicts(remote: Remote) -> None:
    repo = hf.GitRepo.clone(remote.url, str(remote.cache))
    first = repo.publish([vpc("a", 1001), vpc("b", 1002)], branch="main", base_dir="fabric", message="netbox: first", **AUTHOR)
    assert first["commit"] is not None and first["attempts"] == 1
    assert [p for p, _ in first["plan"]["changes"]["add"]] == ["managed/vpcs/a.yaml", "managed/vpcs/b.yaml"]
    again = repo.publish([vpc("a", 1001), vpc("b", 1002)], branch="main", base_dir="fabric", message="noop", **AUTHOR)
    assert again["commit"] is None

    # Someone edits b in Git; NetBox, editing a from the first commit, keeps their edit.
    path = "fabric/managed/vpcs/b.yaml"
    remote.commit({path: remote.show(path).replace("vlan: 1002", "vlan: 1202")}, "hand edit")
    merged = repo.publish(
        [vpc("a", 1101), vpc("b", 1002)], branch="main", base_dir="fabric", message="netbox: a",
        base_commit=first["commit"], **AUTHOR,
    )
    assert merged["commit"] is not None
    assert "vlan: 1202" in remote.show(path) and "vlan: 1101" in remote.show("fabric/managed/vpcs/a.yaml")

    # The same field changed on both sides is refused with the conflict, nothing committed.
    remote.commit({path: remote.show(path).replace("vlan: 1202", "vlan: 1302")}, "hand edit 2")
    with pytest.raises(hf.ValidationError) as err:
        repo.publish(
            [vpc("a", 1101), vpc("b", 1402)], branch="main", base_dir="fabric", message="netbox: b",
            base_commit=merged["commit"], **AUTHOR,
        )
    assert err.value.code == "plan.conflict"
    assert err.value.conflicts[0]["fields"][0]["path"] == "spec.subnets.default.vlan"
    assert isinstance(err.value, hf.HedgehogError)
    assert remote.log()[0] == "hand edit 2"


def test_drift_reads_history(remote: Remote) -> None:
    repo = hf.GitRepo.clone(remote.url, str(remote.cache))
    one = repo.publish([vpc("a", 1001)], branch="main", base_dir="fabric", message="v1", **AUTHOR)
    repo.publish([vpc("a", 1002)], branch="main", base_dir="fabric", message="v2", **AUTHOR)
    cluster_v1 = hf.default(vpc("a", 1001))
    report = repo.drift(rev="origin/main", base_dir="fabric", cluster=[cluster_v1])
    [obj] = report["objects"]
    assert (obj["state"], obj["cluster_at"]) == ("pending_apply", one["commit"])
    edited = hf.default(vpc("a", 1777))
    [obj] = repo.drift(rev="origin/main", base_dir="fabric", cluster=[edited])["objects"]
    assert obj["state"] == "drifted"
    assert "spec.subnets.default.vlan" in [c["path"] for c in obj["changes"]]


def test_remote_checks_and_errors(remote: Remote, tmp_path: Any) -> None:
    status = hf.test_remote(remote.url, "main")
    assert status["reachable"] and status["default_branch"] == "main" and status["head"]
    missing = hf.test_remote(f"file://{tmp_path}/nothing.git", "main", token="s3cr3t-token")
    assert missing["reachable"] is False and "s3cr3t-token" not in str(missing)
    with pytest.raises(hf.GitError) as err:
        hf.GitRepo.clone(f"file://{tmp_path}/nothing.git", str(tmp_path / "c"), token="s3cr3t-token")
    assert "s3cr3t-token" not in str(err.value)
    with pytest.raises(hf.GitError) as err:
        hf.GitRepo.clone("https://user:hunter2@example.invalid/repo.git", str(tmp_path / "c"))
    assert "hunter2" not in str(err.value)
    with pytest.raises(hf.ConfigError):
        hf.GitRepo.clone(remote.url, str(tmp_path / "c"), token="t", ssh_key="k")
    opened = hf.GitRepo.open(str(remote.bare))
    assert opened.read_tree("main")["files"]["README.md"] == "fabric\n"
    with pytest.raises(hf.GitError) as err:
        opened.read_tree("no-such-branch")
    assert err.value.code == "git.not-found"
    assert git(remote.bare, "rev-parse", "main") == opened.head("main")["local"]
