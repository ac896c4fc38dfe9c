"""The operator web page at `/`, driven in headless Chromium (Debian's chromium and
chromium-driver, over WebDriver) against `hedgehogd serve` in demo mode: the overview, the
fabric page (drift, field changes with the commit, the topology), a sync with a write token,
an out-of-band Git change appearing without a reload, and the validation page.

Screenshots go to $HEDGEHOG_SCREENSHOT_DIR (default: target/screenshots); the path is printed.
With $HEDGEHOG_DOCS_SCREENSHOTS set, small copies for the README are written there too.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

from conftest import REPO
from test_daemon_http import Served, start

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT_SECS = 60

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def screenshot_dir() -> pathlib.Path:
    default = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "screenshots"
    path = pathlib.Path(os.environ.get("HEDGEHOG_SCREENSHOT_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        message = f"chromium ({CHROMIUM}) and chromedriver ({CHROMEDRIVER}) are needed for the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI: .ci/run installs them)")
        pytest.skip("!!! SKIPPED: " + message + "; apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="hedgehog-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo(hedgehogd: pathlib.Path, tmp_path: pathlib.Path) -> Iterator[tuple[Served, pathlib.Path]]:
    import signal

    proc, served = start(hedgehogd, tmp_path, None)
    try:
        yield served, tmp_path / "data"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def wait_for(driver: webdriver.Chrome, css: str, text: str | None = None):  # type: ignore[no-untyped-def]
    def found(d):  # type: ignore[no-untyped-def]
        for e in d.find_elements(By.CSS_SELECTOR, css):
            if text is None or text in e.text:
                return e
        return False

    return WebDriverWait(driver, WAIT_SECS).until(found, f"no {css!r} with {text!r}")


def shoot(driver: webdriver.Chrome, name: str) -> None:
    path = screenshot_dir() / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    docs = os.environ.get("HEDGEHOG_DOCS_SCREENSHOTS")
    if docs:
        pathlib.Path(docs).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(pathlib.Path(docs) / f"{name}.png"))


def push_out_of_band_change(data: pathlib.Path, tmp: pathlib.Path) -> None:
    """Another writer changes vpc-02's VLAN in the demo's Git repository."""
    work = tmp / "other-writer"
    git = ["git", "-c", "user.name=other", "-c", "user.email=other@localhost"]
    subprocess.run([*git, "clone", "-q", str(data / "demo-remote.git"), str(work)], check=True)
    file = work / "fabric" / "managed" / "vpcs" / "vpc-02.yaml"
    text = file.read_text()
    assert "vlan: 1002" in text, text
    file.write_text(text.replace("vlan: 1002", "vlan: 1777"))
    subprocess.run([*git, "commit", "-qam", "other writer: vpc-02 VLAN"], cwd=work, check=True)
    subprocess.run([*git, "push", "-q", "origin", "main"], cwd=work, check=True)


def test_page_shell_is_public_with_a_strict_csp(demo: tuple[Served, pathlib.Path]) -> None:
    served, _ = demo
    for path, kind in [("/", "text/html"), ("/ui/app.js", "text/javascript"), ("/ui/app.css", "text/css")]:
        status, headers, body = served.request("GET", path)
        assert status == 200 and headers["content-type"].startswith(kind)
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    _, _, html = served.request("GET", "/")
    assert b"<script>" not in html and b"style=" not in html, "no inline script or style"


def test_operator_page_in_a_browser(demo: tuple[Served, pathlib.Path], browser: webdriver.Chrome,
                                    tmp_path: pathlib.Path) -> None:
    served, data = demo
    print(f"screenshots in {screenshot_dir()}")
    browser.get(served.url + "/")
    # Overview: the demo fabric, git_ahead, with counts by state in words.
    wait_for(browser, 'tr[data-fabric="demo"] .drift-status', "git_ahead")
    row = wait_for(browser, 'tr[data-fabric="demo"]')
    assert "pending_commit 1" in row.text and "detect" in row.text
    shoot(browser, "overview")

    # Fabric page: the edited VPC, its changed field, before/after, and the commit.
    browser.find_element(By.LINK_TEXT, "demo").click()
    toggle = wait_for(browser, 'tr[data-key="VPC/default/vpc-01"] button.toggle')
    toggle.click()
    details = wait_for(browser, ".details", "spec.subnets.subnet-01.vlan")
    import json
    import urllib.request

    with urllib.request.urlopen(served.url + "/v1/fabrics/demo") as r:
        commit = json.load(r)["last_sync"]["commit"]
    assert "1001" in details.text and "1999" in details.text and commit[:12] in details.text
    assert "managed/vpcs/vpc-01.yaml" in details.text
    # Topology: every switch drawn, coloured by state, selectable by keyboard.
    wait_for(browser, ".topology svg g.node")
    names = {g.get_attribute("data-name") for g in browser.find_elements(By.CSS_SELECTOR, '.topology g.node[data-kind="Switch"]')}
    assert names == {"spine-01", "spine-02", "leaf-01", "leaf-02", "leaf-03"}
    leaf = browser.find_element(By.CSS_SELECTOR, '.topology g.node[data-name="leaf-01"]')
    assert "d-in_sync" in leaf.get_attribute("class")
    browser.execute_script("arguments[0].focus()", leaf)
    leaf.send_keys("\n")
    wait_for(browser, ".picked", "Switch leaf-01")
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.CSS_SELECTOR, ".topology"))
    shoot(browser, "topology")
    browser.execute_script("window.scrollTo(0, 0)")
    shoot(browser, "fabric")

    # Sync with a write token: the page follows the operation until it finishes.
    browser.execute_script("window.hhMarker = 'not reloaded'")
    browser.find_element(By.ID, "sync-button").click()
    browser.find_element(By.ID, "write-token").send_keys("demo-write-token")
    browser.find_element(By.CSS_SELECTOR, ".ask button[type=submit]").click()
    wait_for(browser, '.operation[data-state="succeeded"]', "succeeded")
    assert browser.execute_script("return sessionStorage.getItem('hh.write')") == "demo-write-token"
    assert "demo-write-token" not in browser.current_url

    # Another writer changes Git; the next pass (here asked for over HTTP, as the scheduler
    # would at its interval) shows it on the open page, without a reload.
    push_out_of_band_change(data, tmp_path)
    status, _, _ = served.request("POST", "/v1/fabrics/demo/sync")
    assert status == 202
    wait_for(browser, 'tr[data-key="VPC/default/vpc-02"]', "vpc-02")
    assert browser.execute_script("return window.hhMarker") == "not reloaded"

    # Validation page: pasted YAML, diagnostics with file:line and the offending line.
    browser.get(served.url + "/#/validate")
    area = wait_for(browser, "#yaml")
    area.send_keys("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: v\nspec:\n"
                   "  subnets:\n    a: {subnet: 10.0.0.0/24}\n")
    browser.find_element(By.ID, "validate-button").click()
    diag = wait_for(browser, ".diag", "vpc.subnet.vlan-required")
    assert "input:7" in diag.text and "a: {subnet: 10.0.0.0/24}" in diag.find_element(By.CSS_SELECTOR, ".hit").text
    shoot(browser, "validate")
