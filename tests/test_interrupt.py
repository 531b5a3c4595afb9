"""Ctrl-C during a large lint: one line and exit 130, from the main process only (the
forked workers ignore SIGINT and end with their pool), never a traceback per worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads worker pids from /proc (Linux)"
)


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.mark.parametrize("after", [0.2, 2.0])  # while parsing / while checking templates
def test_ctrl_c_stops_a_parallel_lint_with_one_line(tmp_path: Path, after: float) -> None:
    ws = tmp_path / "ws"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), str(ws), "--templates", "400",
         "--locales", "2"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env = {**os.environ, "ATSCOMMS_NO_SERVER": "1", "ATSCOMMS_NO_CACHE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "atscomms", "lint", "-w", str(ws), "--jobs", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the lint ended before it forked workers"
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (130, "atscomms: interrupted\n")
