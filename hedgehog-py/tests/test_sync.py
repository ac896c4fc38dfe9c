"""The sync engine on plain data: normalise, diff, hash, drift, plan, merge, ingest, import."""

from __future__ import annotations

from typing import Any

import pytest

import hedgehog_fabric as hf


def vpc(name: str, vlan: int, subnet: str = "10.0.1.0/24", **meta: Any) -> dict[str, Any]:
    return {
        "apiVersion": "vpc.githedgehog.com/v1beta1",
        "kind": "VPC",
        "metadata": {"name": name, **meta},
        "spec": {"subnets": {"default": {"subnet": subnet, "vlan": vlan, "dhcp": {"enable": True}}}},
    }


def as_cluster_returns(obj: dict[str, Any], rv: str = "7") -> dict[str, Any]:
    """What the API server returns: defaulted by the webhook plus server bookkeeping."""
    out = hf.default(obj)
    out["metadata"].update(
        uid="1f2e", resourceVersion=rv, generation=2, creationTimestamp="2026-11-01T10:00:00Z",
        managedFields=[{"manager": "argocd-controller"}],
        annotations={"kubectl.kubernetes.io/last-applied-configuration": "{}"},
    )
    out["status"] = {"state": "ready"}
    return out


def test_normalize_makes_webhook_and_server_additions_disappear() -> None:
    written = vpc("vpc-1", 1001)
    assert hf.normalize(as_cluster_returns(written)) == hf.normalize(written)
    assert "status" not in hf.normalize(as_cluster_returns(written))
    assert hf.diff(written, as_cluster_returns(written)) == []
    assert hf.content_hash(written) == hf.content_hash(as_cluster_returns(written))
    reordered = dict(reversed(list(written.items())))
    assert hf.content_hash(reordered) == hf.content_hash(written)


def test_diff_lists_fields_in_a_stable_order() -> None:
    changes = hf.diff(vpc("vpc-1", 1001), vpc("vpc-1", 1002, "10.0.9.0/24"))
    assert [(c["path"], c["op"], c["before"], c["after"]) for c in changes] == [
        ("spec.subnets.default.dhcp.range.end", "changed", "10.0.1.255", "10.0.9.255"),
        ("spec.subnets.default.dhcp.range.start", "changed", "10.0.1.2", "10.0.9.2"),
        ("spec.subnets.default.gateway", "changed", "10.0.1.1", "10.0.9.1"),
        ("spec.subnets.default.subnet", "changed", "10.0.1.0/24", "10.0.9.0/24"),
        ("spec.subnets.default.vlan", "changed", 1001, 1002),
    ]


def test_drift_across_three_sets() -> None:
    git = [vpc("same", 1001), vpc("edited-in-netbox", 1002), vpc("edited-in-cluster", 1003), vpc("gone", 1004)]
    desired = [vpc("same", 1001), vpc("edited-in-netbox", 1102), vpc("edited-in-cluster", 1003), vpc("gone", 1004)]
    cluster = [
        as_cluster_returns(vpc("same", 1001)),
        as_cluster_returns(vpc("edited-in-netbox", 1002)),
        as_cluster_returns(vpc("edited-in-cluster", 1203)),
        as_cluster_returns(vpc("extra", 1005)),
    ]
    report = hf.drift(desired, git, cluster)
    states = {o["name"]: o["state"] for o in report["objects"]}
    assert states == {
        "edited-in-netbox": "pending_commit",
        "edited-in-cluster": "drifted",
        "gone": "missing_in_cluster",
        "extra": "orphaned",
    }
    assert report["summary"]["status"] == "drift_detected"
    assert report["summary"]["counts"]["in_sync"] == 1
    assert report["summary"]["by_kind"]["VPC"]["drifted"] == 1
    drifted = next(o for o in report["objects"] if o["name"] == "edited-in-cluster")
    assert [(c["path"], c["before"], c["after"]) for c in drifted["changes"]] == [
        ("spec.subnets.default.vlan", 1003, 1203)
    ]
    # Without a cluster only desired and Git are compared.
    no_cluster = hf.drift(desired, git, None)
    assert no_cluster["summary"]["status"] == "git_ahead"
    assert [o["name"] for o in no_cluster["objects"]] == ["edited-in-netbox"]
    assert hf.drift(None, git, None)["summary"]["status"] == "in_sync"


def test_plan_and_merge() -> None:
    files = {"managed/vpcs/a.yaml": "old\n", "managed/vpcs/stale.yaml": "x\n", "raw/keep.yaml": "x\n"}
    planned = hf.plan([vpc("a", 1001), vpc("b", 1002, "10.0.2.0/24")], files)
    changes = planned["changes"]
    assert [p for p, _ in changes["add"]] == ["managed/vpcs/b.yaml"]
    assert [p for p, _ in changes["update"]] == ["managed/vpcs/a.yaml"]
    assert changes["delete"] == ["managed/vpcs/stale.yaml"]
    assert planned["conflicts"] == []
    # Applying the plan and planning again changes nothing.
    applied = {p: t for p, t in files.items() if p not in changes["delete"]}
    applied.update(dict(changes["add"] + changes["update"]))
    again = hf.plan([vpc("a", 1001), vpc("b", 1002, "10.0.2.0/24")], applied)["changes"]
    assert (again["add"], again["update"], again["delete"]) == ([], [], [])

    base, ours, theirs = vpc("a", 1001), vpc("a", 1101), vpc("a", 1001, "10.0.5.0/24")
    merged = hf.merge3(base, ours, theirs)
    assert merged["conflicts"] == []
    assert merged["merged"]["spec"]["subnets"]["default"]["vlan"] == 1101
    assert merged["merged"]["spec"]["subnets"]["default"]["subnet"] == "10.0.5.0/24"
    conflict = hf.merge3(base, ours, vpc("a", 1201))
    assert [(c["path"], c["base"], c["ours"], c["theirs"]) for c in conflict["conflicts"]] == [
        ("spec.subnets.default.vlan", 1001, 1101, 1201)
    ]
    # A plan with a base merges what Git changed since instead of overwriting it.
    git_files = {"managed/vpcs/a.yaml": hf.render_yaml([theirs])}
    rebased = hf.plan([ours], git_files, base=[base])
    assert rebased["conflicts"] == []
    assert "subnet: 10.0.5.0/24" in dict(rebased["changes"]["update"])["managed/vpcs/a.yaml"]


def test_ingest_sorts_raw_documents() -> None:
    files = {
        "raw/fabric.yaml": hf.render_yaml([vpc("a", 1001), vpc("b", 1002, "10.0.2.0/24")])
        + "---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: Bad_Name\nspec: {}\n",
        "raw/again.yaml": hf.render_yaml([vpc("a", 1001)]),
    }
    ingestion = hf.ingest(files)
    managed = [p for p, _ in ingestion["changes"]["add"] if p.startswith("managed/")]
    assert managed == ["managed/vpcs/a.yaml", "managed/vpcs/b.yaml"]
    assert len(ingestion["duplicates"]) == 1
    assert [r["origin"]["document"] for r in ingestion["refused"] if "RFC 1123" in r["reason"]] == [3]
    assert hf.ingest(files) == ingestion


def test_plan_import_and_rbac() -> None:
    a, b = as_cluster_returns(vpc("a", 1001)), as_cluster_returns(vpc("b", 1002, "10.0.2.0/24"))
    key = lambda name: {"api_group": "vpc.githedgehog.com", "kind": "VPC", "namespace": "default", "name": name}
    snapshot = {
        "objects": [
            {"key": key("a"), "value": a, "resource_version": "7"},
            {"key": key("b"), "value": b, "resource_version": "7"},
        ],
        "errors": [],
        "missing_kinds": [],
    }
    known = [vpc("a", 1001), {**key("gone"), "hash": "00"}]
    planned = hf.plan_import(snapshot, known)
    assert [o["key"]["name"] for o in planned["create"]] == ["b"]
    assert [k["name"] for k in planned["unchanged"]] == ["a"]
    assert [k["name"] for k in planned["missing_in_cluster"]] == ["gone"]
    assert planned["update"] == []
    read_only = hf.rbac_manifests("netbox", "fabric")
    assert "kind: ServiceAccount" in read_only and "- patch" not in read_only
    assert "- patch" in hf.rbac_manifests("netbox", "fabric", "read-write")
    with pytest.raises(hf.ConfigError):
        hf.rbac_manifests("netbox", "fabric", "admin")
