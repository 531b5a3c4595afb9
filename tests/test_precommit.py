"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit framework."""

from __future__ import annotations

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
