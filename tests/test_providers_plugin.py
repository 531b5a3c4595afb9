"""A third-party provider installed into a temporary venv is listed and usable."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PLUGIN = HERE / "fixtures" / "sample_plugin"


@pytest.fixture(scope="module")
def env_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(root)
    bindir = root / ("Scripts" if sys.platform == "win32" else "bin")
    src = root / "plugin-src"
    shutil.copytree(PLUGIN, src)
    py = str(bindir / "python")
    try:
        if subprocess.run([py, "-c", "import wheel"], capture_output=True).returncode != 0:
            # setuptools < 70 needs `wheel` to build without isolation
            subprocess.run([py, "-m", "pip", "install", "--quiet", "wheel"], check=True,
                           capture_output=True, text=True, timeout=300)
        subprocess.run(
            [py, "-m", "pip", "install", "--quiet", "--no-deps",
             "--no-build-isolation", str(src)],
            check=True, capture_output=True, text=True, timeout=300,
        )
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot install the sample plugin: {exc.stderr[-300:]}")
    return bindir


def atscomms(bindir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from atscomms.cli.app import main; main(sys.argv[1:])"
    return subprocess.run([str(bindir / "python"), "-c", code, *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_plugin_listed_with_capabilities(env_bin):
    out = atscomms(env_bin, "providers", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)["providers"]}
    assert rows["jsonfile"]["distribution"] == "atscomms-sample-plugin"
    assert rows["jsonfile"]["dialect"] == "mustachio"
    assert rows["jsonfile"]["capabilities"] == ["list", "get", "write"]
    builtins = {"local", "sendgrid", "postmark", "mailgun", "greenhouse", "webhook", "export"}
    assert builtins <= set(rows)
    # not visible outside the venv
    outside = subprocess.run([sys.executable, "-c", "from atscomms.providers.registry import "
                              "installed; print(sorted(installed()))"], capture_output=True,
                             text=True)
    assert "jsonfile" not in outside.stdout


def test_plugin_pushes(env_bin, tmp_path):
    sys.path.insert(0, str(HERE))
    from contract.workspace import make

    ws = make(tmp_path / "ws", "files:\n  provider: jsonfile\n  settings: {file: out.json}\n")
    out = atscomms(env_bin, "push", "--env", "files", "-w", str(ws), "--yes",
                   "--allow-unapproved")
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads((ws / "out.json").read_text())
    assert data["t000--en-us"]["content"]["subject"] == "Hello {{{candidate.first_name}}}"
    again = atscomms(env_bin, "push", "--env", "files", "-w", str(ws), "--yes",
                     "--allow-unapproved")
    assert "Nothing to push." in again.stdout
