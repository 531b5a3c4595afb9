"""Real git repositories with several authors, for the governance tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from atscomms.cli.app import main
from tests.conftest import FIXTURES

WS = FIXTURES / "governance" / "ws"

LEE = ("Lee Legal", "lee@legal.example")  # legal
HANA = ("Hana HR", "hana@hr.example")  # hr
CAM = ("Cam Comms", "cam@comms.example")  # comms
IVAN = ("Ivan Intern", "ivan@intern.example")  # no role
ADMIN = ("Ada Admin", "ada@ops.example")  # edits templates, no role


class GitRepo:
    """A repository in a temp dir; every commit has its own author and a fixed date."""

    def __init__(self, path: Path, home: Path) -> None:
        self.path = path
        self.home = home
        self.tick = 0
        self.git("init", "-q", "-b", "main")

    def env(self, who: tuple[str, str] | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GIT_") and k not in ("HOME", "XDG_CONFIG_HOME")
        }
        env.update(HOME=str(self.home), GIT_CONFIG_NOSYSTEM="1", XDG_CONFIG_HOME=str(self.home))
        if who is not None:
            name, email = who
            date = f"2026-01-{1 + self.tick // 24:02d}T{self.tick % 24:02d}:00:00+00:00"
            env.update(
                GIT_AUTHOR_NAME=name,
                GIT_AUTHOR_EMAIL=email,
                GIT_COMMITTER_NAME=name,
                GIT_COMMITTER_EMAIL=email,
                GIT_AUTHOR_DATE=date,
                GIT_COMMITTER_DATE=date,
            )
        return env

    def git(self, *args: str, who: tuple[str, str] | None = None) -> str:
        return subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env(who),
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def commit(self, message: str, who: tuple[str, str], *paths: str) -> str:
        self.tick += 1
        self.git("add", "-A", *(["--", *paths] if paths else []))
        self.git("commit", "-q", "--allow-empty", "-m", message, who=who)
        return self.git("rev-parse", "HEAD").strip()

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.path / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_repo(tmp_path: Path, source: Path = WS, sub: str = "") -> tuple[GitRepo, Path]:
    """A repository whose first commit (by ADMIN) holds a copy of ``source``."""
    top = tmp_path / "repo"
    home = tmp_path / "home"
    home.mkdir()
    ws = top / sub if sub else top
    shutil.copytree(source, ws)
    repo = GitRepo(top, home)
    repo.commit("Initial workspace", ADMIN)
    return repo, ws


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch | None = None,
    who: tuple[str, str] | None = None,
) -> tuple[int, str, str]:
    """Run the CLI in-process; ``who`` sets the git identity `approve` records."""
    if monkeypatch is not None and who is not None:
        monkeypatch.setenv("GIT_AUTHOR_NAME", who[0])
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", who[1])
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def approve(
    repo: GitRepo,
    ws: Path,
    template: str,
    role: str,
    who: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    commit_as: tuple[str, str] | None = None,
) -> str:
    """`atscomms approve` as ``who``, then commit the approvals file as ``commit_as``."""
    code, out, err = run(
        ["approve", template, "--role", role, "-w", str(ws)], capsys, monkeypatch, who
    )
    assert code == 0, err
    return repo.commit(f"Approve {template} ({role})", commit_as or who)
