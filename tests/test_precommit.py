"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit framework."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None, reason="pre-commit is not installed (test extra)"
)

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this project (try-repo needs a git repository)."""
    snapshot = tmp_path_factory.mktemp("hooks") / "atscomms"
    shutil.copytree(
        REPO,
        snapshot,
        ignore=shutil.ignore_patterns(".git", ".atscomms-cache", "__pycache__", "*.egg-info",
                                      ".pytest_cache", ".hypothesis", "build", ".ruff_cache"),
    )
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run(["git", *args], cwd=snapshot, env=ENV, check=True)
    return snapshot


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("user") / "repo"
    shutil.copytree(REPO / "examples" / "acme", repo / "comms",
                    ignore=shutil.ignore_patterns(".atscomms-cache"))
    (repo / "other.yaml").write_text("not: [an, atscomms, file]\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=repo, env=ENV, check=True)
    return repo


def try_repo(hooks: Path, project: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pre-commit", "try-repo", str(hooks), hook, "--all-files", "--color", "never"],
        cwd=project,
        env={**ENV, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.parametrize("hook", ["atscomms-validate", "atscomms-lint"])
def test_hooks_pass_on_a_clean_workspace_and_fail_on_a_broken_one(
    hooks_repo: Path, project: Path, hook: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"
    clean = try_repo(hooks_repo, project, hook, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    template = project / "comms" / "templates" / "offer-extended.yaml"
    original = template.read_text()
    try:
        template.write_text(original.replace("category: offer", "category: ofer"))
        broken = try_repo(hooks_repo, project, hook, home)
        assert broken.returncode == 1
        assert "Failed" in broken.stdout
        assert "templates/offer-extended.yaml:9:11: S104" in broken.stdout
        assert "S104" in broken.stdout
    finally:
        template.write_text(original)


def _status(sock_path: Path) -> dict:
    import json
    import socket

    from atscomms.cli import launch

    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(sock_path))
        data = json.dumps({"protocol": launch.PROTOCOL, "op": "status"}).encode()
        sock.sendall(len(data).to_bytes(4, "big") + data)
        return json.loads(launch.read_frame(sock)[1])


@pytest.mark.skipif(os.name != "posix", reason="the server needs fork and UNIX sockets")
def test_the_hook_starts_a_server_that_serves_the_next_commit(
    hooks_repo: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Outside CI the hook leaves a server behind for pre-commit's own virtualenv (an
    installed hook, as `pre-commit install` users have); the framework does not wait
    for it, and the next run goes through it."""
    import signal
    import tempfile
    import time

    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks_repo, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "acme", repo / "comms",
                    ignore=shutil.ignore_patterns(".atscomms-cache"))  # fmt: skip
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: atscomms-lint\n"
    )
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=repo, env=ENV, check=True)
    runtime = Path(tempfile.mkdtemp(prefix="pc", dir="/tmp"))  # short: socket paths
    env = {k: v for k, v in ENV.items() if k != "CI"}
    env |= {"ATSCOMMS_SERVER_AUTOSTART": "1", "XDG_RUNTIME_DIR": str(runtime),
            "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home")}
    folder = runtime / "atscomms"

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["pre-commit", "run", "atscomms-lint", "--all-files", "--color", "never"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    try:
        first = run()
        assert first.returncode == 0, first.stdout + first.stderr
        deadline = time.monotonic() + 120
        while not list(folder.glob("*.sock")) and time.monotonic() < deadline:
            time.sleep(0.2)
        socks = list(folder.glob("*.sock"))
        assert len(socks) == 1, [p.read_text() for p in folder.glob("*.log")]
        assert _status(socks[0])["requests"] == 0
        second = run()
        assert second.returncode == 0, second.stdout + second.stderr
        assert "Passed" in second.stdout
        assert _status(socks[0])["requests"] >= 1
    finally:
        for lock in folder.glob("*.lock"):
            pid = lock.read_text().strip()
            if pid.isdigit():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGTERM)
        shutil.rmtree(runtime, ignore_errors=True)
