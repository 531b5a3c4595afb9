"""`atscomms preview --serve` (real HTTP on loopback, rebuild on change, Ctrl-C) and
`--screenshots` with the real headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from atscomms.cli.app import main
from atscomms.preview.screenshots import EMAIL_WINDOW, SMS_WINDOW, find_browser
from tests.conftest import REPO

ACME = REPO / "examples" / "acme"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ACME, tmp_path / "acme"))


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback only
        return resp.status, resp.read().decode("utf-8"), dict(resp.headers)


def test_serve_rebuilds_on_change_and_stops_on_ctrl_c(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    proc = subprocess.Popen(
        [sys.executable, "-m", "atscomms", "preview", "offer-extended", "-w", str(acme),
         "--out", str(out), "--serve", "--port", "0", "--persona", "sms-optout"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("preview: 2 pages of 1 templates (2 rendered"), first
        serving = proc.stdout.readline()
        assert serving.startswith("serving http://127.0.0.1:"), serving
        url = serving.split()[1]
        status, body, headers = fetch(url + "index.html")
        assert status == 200 and "offer-extended" in body
        assert headers["Cache-Control"] == "no-store"
        before = fetch(url + "offer-extended/en-US/_views/sms-optout.email.html")[1]
        tmpl = acme / "templates" / "offer-extended.yaml"
        time.sleep(1.1)  # a different mtime even on coarse file systems
        tmpl.write_text(tmpl.read_text().replace("Hi {{", "Hello again {{", 1))
        deadline = time.monotonic() + 20
        after = before
        while "Hello again" not in after and time.monotonic() < deadline:
            time.sleep(0.3)
            after = fetch(url + "offer-extended/en-US/_views/sms-optout.email.html")[1]
        assert "Hello again Jordan" in after
        assert after != before and after.startswith("<!DOCTYPE html>")
        assert proc.stdout.readline().startswith("preview: 2 pages of 1 templates (2 rendered")
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    assert stdout.splitlines()[-1] == "stopped"
    assert stderr == ""


def test_screenshots_without_chromium_say_how_to_install_it(acme, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on PATH
    with pytest.raises(SystemExit) as exit_info:
        main(["preview", "-w", str(acme), "--out", str(tmp_path / "p"), "--screenshots"])
    _, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert len(err.splitlines()) == 1
    assert "apt-get install chromium" in err
    assert not (tmp_path / "p").exists()  # checked before any work


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(
    find_browser() is None,
    reason="headless Chromium is not installed (apt-get install chromium)",
)
def test_screenshots_with_real_chromium(acme, tmp_path, capsys) -> None:
    out = tmp_path / "p"
    args = ["preview", "talent-pool-nurture", "interview-reminder-sms", "-w", str(acme),
            "--out", str(out), "--persona", "executive-newyork", "--locale", "en-US",
            "--screenshots"]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    stdout, err = capsys.readouterr()
    assert exit_info.value.code == 0, err
    shots = out / "_screenshots"
    assert f"screenshots: 2 taken, 0 unchanged -> {shots}" in stdout
    email = shots / "talent-pool-nurture" / "en-US" / "executive-newyork.png"
    sms = shots / "interview-reminder-sms" / "en-US" / "executive-newyork.png"
    assert png_size(email) == EMAIL_WINDOW  # desktop and mobile side by side
    assert png_size(sms) == SMS_WINDOW  # the phone
    assert email.stat().st_size > 20_000  # not a blank page
    with pytest.raises(SystemExit):
        main(args)
    stdout, _ = capsys.readouterr()
    assert "screenshots: 0 taken, 2 unchanged" in stdout
