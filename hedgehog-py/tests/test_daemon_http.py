"""`hedgehogd serve` over real HTTP on 127.0.0.1: `/metrics` read by the Prometheus client's
exposition parsers (OpenMetrics and the text format 0.0.4), and schemathesis run against the
daemon's own OpenAPI document, bounded in examples and time."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import jsonschema_rs
import pytest
import yaml
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

VLAB = pathlib.Path(__file__).resolve().parents[2] / "examples" / "fabrics" / "vlab.yaml"
READ = "read-token-0123456789abcdef"
WRITE = "write-token-0123456789abcdef"
TOKENS = f"""
[[tokens]]
name = "reader"
scope = "read"
env = "HH_READ_TOKEN"
[[tokens]]
name = "writer"
scope = "write"
env = "HH_WRITE_TOKEN"
"""
# Bounds of each schemathesis run: test cases per operation, and the whole run's wall time.
MAX_EXAMPLES = 20
RUN_TIMEOUT_SECS = 600


@dataclass
class Served:
    """A running daemon: its base URL and the lines it logged."""

    url: str
    log: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def start(hedgehogd: pathlib.Path, tmp: pathlib.Path, config: str | None) -> tuple[subprocess.Popen[str], Served]:
    """`hedgehogd serve` on a free loopback port (demo mode without `config`), with a HOME of
    its own; returns once it listens and every fabric has finished its first pass."""
    home = tmp / "home"
    home.mkdir()
    args = [str(hedgehogd), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp / "data")]
    if config is not None:
        (tmp / "hedgehogd.toml").write_text(config)
        args += ["--config", str(tmp / "hedgehogd.toml")]
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "RUST_LOG": "info",
        "NO_COLOR": "1",
        "HH_READ_TOKEN": READ,
        "HH_WRITE_TOKEN": WRITE,
    }
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    served = Served(url="")
    listening = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            served.log.append(line)
            if "hedgehogd listening" in line:
                addr = next(w for w in line.split() if w.startswith("addr="))
                served.url = "http://" + addr.removeprefix("addr=")
                listening.set()

    threading.Thread(target=read, daemon=True).start()
    if not listening.wait(timeout=120):
        proc.kill()
        pytest.fail("hedgehogd did not listen within 120 s:\n" + "".join(served.log))
    deadline = time.monotonic() + 120
    while served.request("GET", "/readyz")[0] != 200:
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("hedgehogd not ready within 120 s:\n" + "".join(served.log))
        time.sleep(0.2)
    return proc, served


@pytest.fixture
def demo(hedgehogd: pathlib.Path, tmp_path: pathlib.Path) -> Iterator[Served]:
    proc, served = start(hedgehogd, tmp_path, None)
    try:
        yield served
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def families(text: str, openmetrics: bool) -> dict[str, Metric]:
    parse = parse_openmetrics if openmetrics else parse_prometheus
    return {f.name: f for f in parse(text)}


def value(family: Metric, suffix: str = "", **labels: str) -> float:
    matches = [
        s.value for s in family.samples if s.name == family.name + suffix and s.labels == labels
    ]
    assert len(matches) == 1, f"{family.name}{suffix}{labels}: {family.samples}"
    return float(matches[0])


def test_metrics_parse_with_the_prometheus_parsers_with_types_and_values(demo: Served) -> None:
    started = time.time()
    sample = VLAB.read_bytes()
    for _ in range(2):
        assert demo.request("POST", "/v1/validate", sample)[0] == 200
    assert demo.request("GET", "/v1/fabrics/nope")[0] == 404
    status, _, body = demo.request("GET", "/v1/fabrics/demo/drift")
    assert status == 200
    counts = json.loads(body)["summary"]["counts"]

    status, headers, body = demo.request(
        "GET", "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert status == 200
    assert headers["content-type"].startswith("application/openmetrics-text; version=1.0.0")
    om = families(body.decode(), openmetrics=True)
    status, headers, body = demo.request("GET", "/metrics")
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = families(body.decode(), openmetrics=False)

    types = {
        "hedgehogd_sync_pass_duration_seconds": "histogram",
        "hedgehogd_sync_passes": "counter",
        "hedgehogd_drift_objects": "gauge",
        "hedgehogd_last_successful_sync_timestamp_seconds": "gauge",
        "hedgehogd_http_requests": "counter",
    }
    for parsed in (om, text):
        assert {name: parsed[name].type for name in types} == types
    assert om["hedgehogd_sync_pass_duration_seconds"].unit == "seconds"
    assert om["hedgehogd_last_successful_sync_timestamp_seconds"].unit == "seconds"

    for parsed in (om, text):
        drift = parsed["hedgehogd_drift_objects"]
        assert {s.labels["state"]: s.value for s in drift.samples} == counts
        assert value(drift, fabric="demo", state="pending_commit") == 1
        passes = parsed["hedgehogd_sync_passes"]
        ok = value(passes, "_total", fabric="demo", result="success")
        failed = value(passes, "_total", fabric="demo", result="error")
        assert ok >= 1 and failed == 0
        duration = parsed["hedgehogd_sync_pass_duration_seconds"]
        assert value(duration, "_count", fabric="demo") == ok + failed
        assert value(duration, "_bucket", fabric="demo", le="+Inf") == ok + failed
        requests = parsed["hedgehogd_http_requests"]
        assert value(requests, "_total", route="/v1/validate", status="200") == 2
        assert value(requests, "_total", route="/v1/fabrics/{name}", status="404") == 1
        last = parsed["hedgehogd_last_successful_sync_timestamp_seconds"]
        assert started - 300 < value(last, fabric="demo") <= time.time()


def operation(doc: dict, method: str, path: str) -> dict:
    """The documented operation a request path matches (templates such as `{name}`)."""
    parts = path.split("?")[0].strip("/").split("/")
    for template, item in doc["paths"].items():
        t = template.strip("/").split("/")
        if len(t) == len(parts) and all(a == b or a.startswith("{") for a, b in zip(t, parts)):
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not documented")


def check_schema(doc: dict, schema: dict | None, value: object, what: str) -> None:
    if schema is None:
        return
    # `$ref`s point into the document's components, so validate within the document.
    root = {**schema, "components": doc["components"]}
    errors = [e.message for e in jsonschema_rs.Draft202012Validator(root).iter_errors(value)]
    assert not errors, f"{what}: {errors}"


def yaml_value(text: bytes) -> object:
    """A YAML stream as a client reads it: one document's value, or the list of several."""
    documents = list(yaml.safe_load_all(text))
    return documents[0] if len(documents) == 1 else documents


def test_answers_match_the_document(demo: Served) -> None:
    """A fixed list of exchanges, each checked against the document: the request body fits its
    schema, and the answer's status, media type and body are the documented ones. Regression
    tests of what schemathesis found: fields left out when empty were required (the schemas
    described deserialisation), YAML answers were given a string schema, an empty body or a
    JSON object was accepted though the document required a body of a JSON string."""
    doc = json.loads(demo.request("GET", "/v1/openapi.json")[2])
    bad_yaml = "kind: [".encode()
    exchanges: list[tuple[str, str, bytes | None, str | None]] = [
        ("GET", "/v1/fabrics", None, None),
        ("GET", "/v1/fabrics/demo", None, None),
        ("GET", "/v1/fabrics/demo/drift", None, None),
        ("GET", "/v1/fabrics/demo/drift?state=pending_commit", None, None),
        ("GET", "/v1/fabrics/demo/gitops-status", None, None),
        ("POST", "/v1/fabrics/demo/test-connection", None, None),
        ("POST", "/v1/fabrics/demo/sync", None, None),
        ("GET", "/v1/fabrics/nope", None, None),
        ("GET", "/readyz", None, None),
        ("POST", "/v1/validate", b"", None),
        ("POST", "/v1/validate", b"{}", "application/json"),
        ("POST", "/v1/render", b"", "application/yaml"),
        ("POST", "/v1/render", VLAB.read_bytes(), "application/yaml"),
        ("POST", "/v1/render", bad_yaml, "text/plain"),
    ]  # fmt: skip
    for method, path, body, content_type in exchanges:
        what = f"{method} {path}"
        op = operation(doc, method, path)
        if body is not None:
            request = op.get("requestBody", {})
            assert body or not request.get("required"), f"{what}: an empty body is accepted"
            media = request["content"][content_type or "text/plain"]
            sent = body.decode() if content_type in (None, "text/plain") else yaml_value(body)
            check_schema(doc, media.get("schema"), sent, f"{what} request")
        headers = {"Content-Type": content_type} if content_type else {}
        status, got, answer = demo.request(method, path, body, headers)
        response = op["responses"].get(str(status))
        assert response is not None, f"{what}: {status} not documented"
        media_type = got["content-type"].split(";")[0]
        assert media_type in response["content"], f"{what}: {media_type} not documented"
        value = json.loads(answer) if media_type == "application/json" else yaml_value(answer)
        check_schema(doc, response["content"][media_type].get("schema"), value, f"{what} {status}")


def answered(served: Served) -> float:
    """Requests the daemon has answered, by its own counter."""
    headers = {"Authorization": f"Bearer {READ}"}
    _, _, body = served.request("GET", "/metrics", headers=headers)
    requests = families(body.decode(), openmetrics=False)["hedgehogd_http_requests"]
    return sum(s.value for s in requests.samples if s.name.endswith("_total"))


@pytest.mark.parametrize("mode", ["demo", "tokens"])
def test_schemathesis_finds_nothing(
    mode: str, hedgehogd: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    """Every check but `positive_data_acceptance` (a body that is a valid string but not
    loadable YAML is rightly answered 422 by render: the schema cannot say "loads"). In
    `tokens` mode (tokens, no fabric) every request carries the write token, and the
    `ignored_auth` check sends some without it."""
    proc, served = start(hedgehogd, tmp_path, TOKENS if mode == "tokens" else None)
    try:
        before = answered(served)
        st = pathlib.Path(sys.executable).parent / "st"
        command = [
            str(st), "run", served.url + "/v1/openapi.json",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            "--max-examples", str(MAX_EXAMPLES), "--seed", "1", "--workers", "1",
            "--request-timeout", "30", "--report", "json", "--report-dir", str(tmp_path / "report"),
        ]  # fmt: skip
        if mode == "tokens":
            command += ["--header", f"Authorization: Bearer {WRITE}"]
        # The working directory holds hypothesis' example database.
        run = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECS
        )
        assert run.returncode == 0, run.stdout + run.stderr
        report = json.loads(next((tmp_path / "report").glob("json-*.json")).read_text())
        assert report["operations"]["tested"] >= 12, report["operations"]
        assert report["failures"] == [] and report["errors"] == []
        made = answered(served) - before
        print(
            f"schemathesis ({mode}): {report['test_cases']['generated']} test cases, "
            f"{made:.0f} requests answered, {report['running_time']:.1f} s"
        )
        assert made >= report["test_cases"]["generated"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
