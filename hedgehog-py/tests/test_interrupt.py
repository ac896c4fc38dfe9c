"""Ctrl-C interrupts a network call that would otherwise wait for its timeout."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

SCRIPT = textwrap.dedent(
    """
    import socket, sys
    import hedgehog_fabric as hf

    # A server that accepts connections (the kernel's backlog) but never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    target = hf.KubeTarget(f"http://127.0.0.1:{silent.getsockname()[1]}", read_timeout=120.0)
    print("calling", flush=True)
    try:
        target.discover()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    print("returned", flush=True)
    sys.exit(1)
    """
)


def test_ctrl_c_interrupts_a_waiting_call() -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "calling"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    # Well under the 120 s the call would wait; generous for a loaded 2-core machine.
    out, _ = proc.communicate(timeout=90)
    # The call would have waited 120 s for the silent server; it ends on the signal instead.
    assert (proc.returncode, out.strip()) == (0, "interrupted")
