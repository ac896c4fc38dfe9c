"""Loading, validation, defaulting, rendering, hydration, samples and CRDs on plain data."""

from __future__ import annotations

import json
import pathlib
import subprocess
import threading
import time

import pytest

import hedgehog_fabric as hf

from conftest import REPO

VLAB = (REPO / "examples" / "fabrics" / "vlab.yaml").read_text()
BROKEN = """\
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 5000
      bogus: true
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
spec:
  role: leaf
  profile: vs
"""
DIAGNOSTIC_KEYS = {"severity", "code", "message", "kind", "namespace", "name", "path", "file", "line", "column"}


def cli_validate(hedgehogd: pathlib.Path, text: str) -> dict[str, object]:
    out = subprocess.run(
        [str(hedgehogd), "validate", "--format", "json", "-"], input=text, capture_output=True, text=True
    )
    assert out.returncode in (0, 1), out.stderr
    result: dict[str, object] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("text", [VLAB, BROKEN, "not: [yaml", ""], ids=["vlab", "broken", "unparseable", "empty"])
def test_validate_is_exactly_the_cli_report(hedgehogd: pathlib.Path, text: str) -> None:
    assert hf.validate(text) == cli_validate(hedgehogd, text)


def test_validate_reports_every_problem_with_position() -> None:
    report = hf.validate(BROKEN)
    assert report["objects"] == 2
    assert report["errors"] == len([d for d in report["diagnostics"] if d["severity"] == "error"])
    codes = {d["code"] for d in report["diagnostics"]}
    assert "decode.unknown-field" in codes
    assert "schema.enum" in codes
    for d in report["diagnostics"]:
        assert set(d) == DIAGNOSTIC_KEYS
    bogus = next(d for d in report["diagnostics"] if d["code"] == "decode.unknown-field")
    assert (bogus["name"], bogus["path"], bogus["line"], bogus["file"]) == (
        "vpc-1", "spec.subnets.default.bogus", 10, None
    )


def test_validate_options() -> None:
    per_object = hf.validate(BROKEN, fabric=False)
    assert per_object["errors"] < hf.validate(BROKEN)["errors"]
    # A fabric config with upstream field names; an invalid one is a ConfigError.
    assert hf.validate(VLAB, config={"fabricMTU": 9100})["errors"] == 0
    with pytest.raises(hf.ConfigError) as err:
        hf.validate(VLAB, config={"fabricMTU": "big"})
    assert err.value.code == "config.invalid"
    with pytest.raises(hf.ConfigError):
        hf.validate(VLAB, hydrate="sometimes")
    unhydrated = hf.render_yaml(hf.sample("vlab", hydrated=False))
    assert hf.validate(unhydrated, hydrate="if-not-present")["errors"] == 0


def test_parse_documents_keeps_positions_and_unknown_fields() -> None:
    parsed = hf.parse_documents(BROKEN, source="fabric.yaml")
    docs = parsed["documents"]
    assert [(d["kind"], d["name"], d["line"], d["file"]) for d in docs] == [
        ("VPC", "vpc-1", 1, "fabric.yaml"),
        ("Switch", "leaf-01", 12, "fabric.yaml"),
    ]
    assert docs[0]["unknown"] == ["spec.subnets.default.bogus"]
    assert docs[0]["object"]["spec"]["subnets"]["default"]["bogus"] is True
    assert docs[1]["apiVersion"] == "wiring.githedgehog.com/v1beta1"
    assert any(d["code"] == "decode.unknown-field" for d in parsed["diagnostics"])


def test_default_adds_what_the_webhook_adds() -> None:
    vpc = {
        "apiVersion": "vpc.githedgehog.com/v1beta1",
        "kind": "VPC",
        "metadata": {"name": "vpc-1"},
        "spec": {"subnets": {"default": {"subnet": "10.0.1.0/24", "vlan": 1001, "dhcp": {"enable": True}}}},
    }
    defaulted = hf.default(vpc)
    assert defaulted["spec"]["ipv4Namespace"] == "default"
    assert defaulted["spec"]["vlanNamespace"] == "default"
    assert defaulted["metadata"]["labels"] == {
        "fabric.githedgehog.com/ipv4ns": "default",
        "fabric.githedgehog.com/vlanns": "default",
    }
    subnet = defaulted["spec"]["subnets"]["default"]
    assert (subnet["gateway"], subnet["dhcp"]["range"]) == ("10.0.1.1", {"start": "10.0.1.2", "end": "10.0.1.255"})


def test_validate_objects_and_change_safety() -> None:
    objects = hf.sample("vlab")
    assert hf.validate_objects(objects)["errors"] == 0
    bad = [dict(o) for o in objects]
    bad[0] = {**bad[0], "spec": {**bad[0].get("spec", {}), "bogus": 1}}
    report = hf.validate_objects(bad)
    assert any(d["code"] == "decode.unknown-field" and d["line"] is None for d in report["diagnostics"])
    with pytest.raises(hf.ParseError) as err:
        hf.validate_objects("not a list of objects")
    assert err.value.code == "input.invalid"

    # Deleting a VPC that attachments use is refused by upstream's webhook.
    attachment = next(o for o in objects if o["kind"] == "VPCAttachment")
    vpc_name = attachment["spec"]["subnet"].split("/")[0]
    after = [o for o in objects if not (o["kind"] == "VPC" and o["metadata"]["name"] == vpc_name)]
    diagnostics = hf.validate_change(objects, after)
    assert any(d["code"] == "fabric.change.vpc-has-attachments" for d in diagnostics)
    assert hf.validate_change(objects, objects) == []


def test_render_hydrate_sample_crds_kinds() -> None:
    objects = hf.sample("vlab")
    # The example file is `hedgehogd sample`: a two-line preamble, then the rendering.
    expected = VLAB[VLAB.index("#\n# VLANNamespaceList") :]
    assert hf.render_yaml(objects, headers=True) == expected
    assert not hf.render_yaml(objects).startswith("#")
    unhydrated = hf.sample("vlab", hydrated=False)
    hydrated = hf.hydrate(unhydrated)
    assert hf.render_yaml(hydrated, headers=True) == expected
    with pytest.raises(hf.ConfigError):
        hf.hydrate(unhydrated, mode="sometimes")
    assert len(hf.sample("small")) >= 100
    assert 1800 <= len(hf.sample(objects=2000)) <= 2200
    crds = hf.crds_yaml()
    assert crds.count("kind: CustomResourceDefinition") == 14
    kinds = hf.kinds()
    assert len(kinds) == 14
    switch = next(k for k in kinds if k["kind"] == "Switch")
    assert (switch["plural"], switch["apiVersion"]) == ("switches", "wiring.githedgehog.com/v1beta1")


def test_a_python_thread_runs_while_a_long_validation_runs() -> None:
    text = hf.render_yaml(hf.sample("large"))
    ticks: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    time.sleep(0.01)
    started = time.perf_counter()
    report = hf.validate(text)
    ended = time.perf_counter()
    stop.set()
    thread.join()
    assert report["errors"] == 0 and report["objects"] > 9000
    # Were the GIL held for the call, the other thread could not run at all inside it.
    inside = [t for t in ticks if started < t < ended]
    assert len(inside) >= 5, (len(inside), ended - started)


@pytest.mark.parametrize("fmt", ["drawio", "dot", "mermaid", "svg"])
def test_diagram_is_exactly_the_cli_output(hedgehogd: pathlib.Path, fmt: str) -> None:
    out = subprocess.run(
        [str(hedgehogd), "diagram", "--format", fmt, "-"], input=VLAB, capture_output=True, text=True, check=True
    )
    drawn = hf.diagram(VLAB, fmt)
    assert drawn == out.stdout
    for name in ("spine-01", "leaf-03", "server-06"):
        assert name in drawn


def test_diagram_refuses_unknown_format_and_broken_text() -> None:
    with pytest.raises(ValueError, match="unknown diagram format"):
        hf.diagram(VLAB, "png")  # type: ignore[arg-type]
    with pytest.raises(hf.ParseError) as err:
        hf.diagram("not: [yaml")
    assert err.value.diagnostics[0]["code"] == "load.parse"  # type: ignore[attr-defined]
