"""No secret reaches a repr, an exception or a result (issue 12, defect 3), and timeouts that do
not fit are refused with ValueError (defect 9).

A distinctive secret is planted in every secret-bearing argument — Git tokens, SSH keys,
passwords inside Git and cluster URLs, cluster tokens, client keys, kubeconfig tokens — and
every repr, getter, exception (message, args, attributes) and returned report is searched for
it. Failures are provoked on purpose (nothing listens on 127.0.0.1:9), because error paths are
where secrets leak."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import Any

import pytest

import hedgehog_fabric as hf

MARK = "PLNTD"


def secret(what: str) -> str:
    return f"{MARK}-{what}-7d41c9e8f2a6b305"


def assert_clean(what: str, value: object) -> None:
    text = repr(value) + str(value)
    assert MARK not in text, f"a planted secret leaked into {what}: {text}"


def raised(call: Callable[[], Any]) -> BaseException:
    """The exception `call` raises; every part of it is searched."""
    with pytest.raises(Exception) as info:
        call()
    err = info.value
    assert_clean("an exception", err)
    assert_clean("an exception's args", err.args)
    assert_clean("an exception's attributes", vars(err))
    return err


KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{{name: c, cluster: {{server: "{server}"}}}}]
users: [{{name: u, user: {{token: "{token}"}}}}]
contexts: [{{name: lab, context: {{cluster: c, user: u}}}}]
current-context: lab
"""


def test_urls_with_passwords_are_refused_without_showing_the_password(tmp_path: pathlib.Path) -> None:
    url = f"https://bot:{secret('git-url')}@127.0.0.1:9/fabric.git"
    err = raised(lambda: hf.Engine("lab", url, cache_dir=tmp_path))
    assert isinstance(err, hf.ConfigError) and "password" in str(err), err
    err = raised(lambda: hf.GitRepo.clone(url, tmp_path))
    assert isinstance(err, hf.GitError) and "password" in str(err), err
    report = hf.test_remote(url)
    assert report["reachable"] is False and "password" in report["error"]
    assert_clean("test_remote's report", report)

    server = f"https://admin:{secret('kube-url')}@127.0.0.1:9"
    target = hf.KubeTarget(server, token=secret("kube-token"))
    assert_clean("KubeTarget's repr", repr(target))
    assert_clean("KubeTarget.server", target.server)
    err = raised(target.test_connection)
    assert "password" in str(err), err
    err = raised(lambda: hf.Engine("lab", "file:///nonexistent.git", cache_dir=tmp_path, cluster=target))
    assert "password" in str(err), err
    from_file = hf.KubeTarget.from_kubeconfig(KUBECONFIG.format(server=server, token=secret("kubeconfig")))
    assert_clean("KubeTarget's repr", repr(from_file))
    raised(from_file.discover)


def test_secrets_in_credentials_stay_out_of_reprs_errors_and_reports(tmp_path: pathlib.Path) -> None:
    key = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{secret('ssh-key')}\n-----END OPENSSH PRIVATE KEY-----\n"
    with_token = hf.Engine(
        "lab", "https://127.0.0.1:9/fabric.git", cache_dir=tmp_path / "a", token=secret("git-token"), username="bot"
    )
    with_key = hf.Engine("lab", "ssh://git@127.0.0.1:9/fabric.git", cache_dir=tmp_path / "b", ssh_key=key)
    for engine in (with_token, with_key):
        assert_clean("Engine's repr", repr(engine))
        raised(engine.sync)
        assert_clean("Engine.test_connection", engine.test_connection())
    raised(lambda: hf.GitRepo.clone("https://127.0.0.1:9/x.git", tmp_path / "c", token=secret("clone-token")))
    raised(lambda: hf.GitRepo.clone("ssh://git@127.0.0.1:9/x.git", tmp_path / "d", ssh_key=key))
    assert_clean("test_remote", hf.test_remote("https://127.0.0.1:9/x.git", token=secret("remote-token")))
    assert_clean("test_remote", hf.test_remote("ssh://git@127.0.0.1:9/x.git", ssh_key=key))

    with_client_key = hf.KubeTarget(
        "https://127.0.0.1:9",
        client_key_pem=f"-----BEGIN PRIVATE KEY-----\n{secret('client-key')}\n-----END PRIVATE KEY-----\n",
        client_cert_pem="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    assert_clean("KubeTarget's repr", repr(with_client_key))
    raised(with_client_key.discover)
    target = hf.KubeTarget("https://127.0.0.1:9", token=secret("kube-token"), connect_timeout=2.0)
    assert_clean("KubeTarget's repr", repr(target))
    raised(target.discover)
    assert_clean("KubeTarget.test_connection", target.test_connection())
    from_file = hf.KubeTarget.from_kubeconfig(
        KUBECONFIG.format(server="https://127.0.0.1:9", token=secret("kubeconfig-token"))
    )
    assert_clean("KubeTarget's repr", repr(from_file))
    assert_clean("KubeTarget.test_connection", from_file.test_connection())
    engine = hf.Engine("lab", "file:///nonexistent.git", cache_dir=tmp_path / "e", cluster=from_file)
    assert_clean("Engine's repr", repr(engine))
    raised(engine.sync)


@pytest.mark.parametrize("value", [1e300, 1e19, float("inf"), float("nan"), -1.0, 0.0, 86_401.0])
@pytest.mark.parametrize("name", ["connect_timeout", "read_timeout"])
def test_timeouts_that_do_not_fit_are_a_value_error(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name) as err:
        hf.KubeTarget("https://127.0.0.1:9", **{name: value})
    assert err.value.code == "config.timeout"  # type: ignore[attr-defined]


def test_the_longest_timeouts_work() -> None:
    """The largest accepted timeouts together still make a working (failing) connection
    attempt, not an overflow."""
    target = hf.KubeTarget("https://127.0.0.1:9", connect_timeout=86_400.0, read_timeout=86_400.0)
    report = target.test_connection()
    assert report["reachable"] is False and report["error"]["class"] == "connect", report
