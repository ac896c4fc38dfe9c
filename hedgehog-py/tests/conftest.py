"""Fixtures on real parts: bare Git remotes over file:// (git run with a temporary HOME), the
loopback fake Kubernetes API server (kmock, hedgehog-sync/tests/support/fake_apiserver.py),
and the hedgehogd binary for contract comparisons."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FAKE_APISERVER = REPO / "hedgehog-sync" / "tests" / "support" / "fake_apiserver.py"
FAKE_TOKEN = "fake-apiserver-token-123"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every git the package or a test runs uses a temporary HOME, never the user's config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(var, "Other Engineer")
    for var in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(var, "other@example.com")


def git(cwd: pathlib.Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, f"git {args}: {out.stderr}"
    return out.stdout.strip()


@dataclass
class Remote:
    """A bare remote and a work clone of it ("another engineer")."""

    bare: pathlib.Path
    work: pathlib.Path
    cache: pathlib.Path

    @property
    def url(self) -> str:
        return f"file://{self.bare}"

    def commit(self, files: dict[str, str | None], message: str) -> str:
        git(self.work, "pull", "-q", "--rebase", "origin", "main")
        for path, text in files.items():
            full = self.work / path
            if text is None:
                git(self.work, "rm", "-q", path)
            else:
                full.parent.mkdir(parents=True, exist_ok=True)
                full.write_text(text)
                git(self.work, "add", path)
        git(self.work, "commit", "-q", "-m", message)
        git(self.work, "push", "-q", "origin", "HEAD:main")
        return git(self.work, "rev-parse", "HEAD")

    def log(self) -> list[str]:
        return git(self.bare, "log", "--format=%s", "main").splitlines()

    def show(self, path: str) -> str:
        return git(self.bare, "show", f"main:{path}")


@pytest.fixture
def remote(tmp_path: pathlib.Path, isolated_git: None) -> Remote:
    bare, work = tmp_path / "remote.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(tmp_path, "clone", "-q", str(bare), str(work))
    (work / "README.md").write_text("fabric\n")
    git(work, "add", "README.md")
    git(work, "commit", "-q", "-m", "initial")
    git(work, "push", "-q", "origin", "HEAD:main")
    return Remote(bare=bare, work=work, cache=tmp_path / "cache")


@dataclass
class FakeApiServer:
    url: str
    token: str = FAKE_TOKEN


@pytest.fixture
def apiserver() -> Iterator[FakeApiServer]:
    """The fake API server (kmock, installed in this virtualenv by requirements-test.txt)."""
    proc = subprocess.Popen(
        [sys.executable, str(FAKE_APISERVER)], stdout=subprocess.PIPE, text=True
    )
    ready: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY "):
                ready.append(line.split()[1])
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=60)
    if not ready:
        proc.kill()
        pytest.fail("the fake API server printed no READY line within 60 s")
    try:
        yield FakeApiServer(url=ready[0])
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def hedgehogd() -> pathlib.Path:
    """The hedgehogd binary of this checkout (built if the test command has not yet)."""
    targets = [REPO / "target"]
    if "CARGO_TARGET_DIR" in os.environ:
        targets.insert(0, pathlib.Path(os.environ["CARGO_TARGET_DIR"]))
    for target in targets:
        if (target / "debug" / "hedgehogd").exists():
            return target / "debug" / "hedgehogd"
    subprocess.run(["cargo", "build", "-q", "-p", "hedgehogd"], cwd=REPO, check=True)
    return targets[0] / "debug" / "hedgehogd"
