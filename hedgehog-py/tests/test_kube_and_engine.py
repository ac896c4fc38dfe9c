"""KubeTarget and Engine against the loopback fake API server (kmock; it emulates discovery,
CRUD, merge-style server-side apply, paging, dry-run, delete preconditions, access reviews and
watches — see hedgehog-sync/tests/support/fake_apiserver.py) and a file:// Git remote, and the
NetBox plugin's flow end to end."""

from __future__ import annotations

import time
from typing import Any

import pytest

import hedgehog_fabric as hf

from conftest import FakeApiServer, Remote


def target(server: FakeApiServer, **kw: Any) -> hf.KubeTarget:
    return hf.KubeTarget(server.url, token=server.token, **kw)


def test_connection_discovery_apply_delete(apiserver: FakeApiServer) -> None:
    read_only = target(apiserver)
    assert apiserver.token not in repr(read_only) and "<redacted>" in repr(read_only)
    report = read_only.test_connection()
    assert report["reachable"] and report["error"] is None
    assert len(report["kinds"]) == 14 and report["missing_kinds"] == []
    assert next(k for k in report["kinds"] if k["kind"] == "Switch")["plural"] == "switches"

    objects = hf.sample("vlab")
    with pytest.raises(hf.KubeError) as err:
        read_only.apply(objects)
    assert err.value.code == "kube.writes-disabled"
    dry = read_only.apply(objects[:3], dry_run=True)
    assert [r["outcome"] for r in dry] == ["created"] * 3
    assert read_only.discover()["objects"] == []

    writer = target(apiserver, allow_writes=True)
    results = writer.apply(objects)
    assert {r["outcome"] for r in results} == {"created"}
    snapshot = read_only.discover(page_size=5)
    assert len(snapshot["objects"]) == len(objects)
    assert snapshot["errors"] == [] and snapshot["missing_kinds"] == []
    server = next(o for o in objects if o["kind"] == "Server")
    name = server["metadata"]["name"]
    assert writer.delete("Server", name) == "deleted"
    assert writer.delete("Server", name) == "not_found"
    with pytest.raises(hf.ConfigError):
        writer.delete("Gadget", name)


def test_connection_errors_are_classified() -> None:
    unreachable = hf.KubeTarget("https://127.0.0.1:9", token="s3cr3t-token", connect_timeout=2.0)
    report = unreachable.test_connection()
    assert report["reachable"] is False and report["error"]["class"] == "connect"
    assert "s3cr3t-token" not in str(report)
    with pytest.raises(hf.KubeError) as err:
        unreachable.discover()
    assert err.value.code == "kube.connect" and "s3cr3t-token" not in str(err.value)
    with pytest.raises(hf.ConfigError):
        hf.KubeTarget.from_kubeconfig("apiVersion: v1\nkind: Config\nclusters: []\n", "nope")
    kubeconfig = """\
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]
users: [{name: u, user: {token: s3cr3t-token}}]
contexts: [{name: lab, context: {cluster: c, user: u, namespace: fab}}]
current-context: lab
"""
    from_file = hf.KubeTarget.from_kubeconfig(kubeconfig)
    assert (from_file.server, from_file.namespace) == ("https://10.0.0.1:6443", "fab")
    assert "s3cr3t-token" not in repr(from_file)


def test_the_plugin_flow(apiserver: FakeApiServer, remote: Remote) -> None:
    """Import a cluster, write it to Git as one commit, edit desired state, see drift and a plan."""
    # A cluster someone built by hand.
    existing = hf.sample("vlab")
    target(apiserver, allow_writes=True).apply(existing)

    # 1. Import: what NetBox must create (it knows nothing yet).
    cluster = target(apiserver)
    snapshot = cluster.discover()
    imported = hf.plan_import(snapshot, [])
    assert len(imported["create"]) == len(existing)
    netbox = [o["value"] for o in imported["create"]]

    # 2. Write the imported objects to Git as one commit.
    engine = hf.Engine("lab", remote.url, cache_dir=str(remote.cache), base_dir="fabric", cluster=cluster)
    first = engine.sync(policy="commit", desired=netbox, message="netbox: import", author_name="NetBox")
    assert remote.log() == ["netbox: import", "initial"]
    assert first["published"] == first["commit"]
    assert first["drift"]["summary"]["status"] == "in_sync"
    assert first["drift"]["summary"]["counts"]["in_sync"] == len(existing)

    # 3. Edit the desired state in NetBox: drift shows it pending commit, with the plan.
    vpc = next(o for o in netbox if o["kind"] == "VPC")
    vpc["spec"]["subnets"]["subnet-01"]["vlan"] = 1999
    report = engine.sync(policy="detect", desired=netbox)
    assert report["drift"]["summary"]["status"] == "git_ahead"
    [changed] = report["drift"]["objects"]
    assert (changed["name"], changed["state"]) == (vpc["metadata"]["name"], "pending_commit")
    assert changed["changes"][0]["path"] == "spec.subnets.subnet-01.vlan"
    assert report["plan"]["update"] == [f"managed/vpcs/{vpc['metadata']['name']}.yaml"]
    assert remote.log()[0] == "netbox: import"
    assert engine.drift() == report["drift"]

    # 4. Commit it: Git is ahead of the cluster until Argo CD applies it.
    committed = engine.sync(policy="commit", desired=netbox, base=first["commit"])
    [behind] = committed["drift"]["objects"]
    assert (behind["state"], behind["cluster_at"]) == ("pending_apply", first["commit"])

    # 5. The watch sees the cluster catch up.
    engine.watch()
    deadline = time.monotonic() + 20
    while not (engine.watch_status() or {}).get("ready"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    target(apiserver, allow_writes=True).apply([vpc])
    while (engine.drift() or {}).get("summary", {}).get("status") != "in_sync":
        assert time.monotonic() < deadline, engine.drift()
        time.sleep(0.05)

    status = engine.test_connection()
    assert status["git"]["reachable"] and status["cluster"]["reachable"]
    assert engine.name == "lab" and "lab" in repr(engine)


def test_engine_errors(remote: Remote, tmp_path: Any) -> None:
    engine = hf.Engine("lab", remote.url, cache_dir=str(tmp_path / "c"))
    with pytest.raises(hf.ConfigError) as err:
        engine.sync(policy="yolo")
    assert err.value.code == "config.policy"
    assert engine.drift() is None and engine.watch_status() is None
    with pytest.raises(hf.ConfigError):
        engine.watch()
    with pytest.raises(hf.ConfigError):
        hf.Engine("lab", remote.url, cache_dir=str(tmp_path / "c"), base_dir="../outside")
    missing = hf.Engine("lab", remote.url, cache_dir=str(tmp_path / "c"), branch="nope")
    with pytest.raises(hf.GitError) as git_err:
        missing.sync()
    assert git_err.value.code == "git.not-found"
    # Events from callers that watch the cluster themselves.
    ok = hf.Engine("lab", remote.url, cache_dir=str(tmp_path / "d"))
    ok.sync()
    extra = hf.sample("vlab")[0]
    assert ok.apply_cluster_event(extra) is not None
    with pytest.raises(hf.ConfigError):
        ok.apply_cluster_event()
