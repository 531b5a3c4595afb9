"""Thin helpers over gitpython: the repository of a workspace, files at revisions,
commit metadata and signature checks. Nothing here writes to the repository."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master", "trunk")


class GitError(Exception):
    """A git problem the user must fix (exit code 2, one line)."""


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # ISO-8601 author date with offset
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "commit": self.sha,
            "author": self.author,
            "email": self.email,
            "date": self.date,
            "message": self.subject,
        }


_FORMAT = "%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e"


def _parse_log(out: str) -> list[CommitInfo]:
    commits: list[CommitInfo] = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, parents, name, email, date, subject = record.split("\x1f")[:6]
        commits.append(CommitInfo(sha, tuple(parents.split()), name, email.lower(), date, subject))
    return commits


def quick_resolve(workspace_root: Path, rev: str) -> tuple[Path, str] | None:
    """``(repository top, commit sha)`` of ``rev`` with one ``git rev-parse`` and without
    importing gitpython (the pre-commit path); None when that does not work (no git, not a
    repository, unknown revision...): callers then use :class:`Repo` for the exact error."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "--verify", "--quiet", f"{rev}^{{commit}}"],
            cwd=workspace_root,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.split("\n")
    if done.returncode != 0 or len(lines) < 2 or len(lines[1]) < 40:
        return None
    return Path(lines[0]).resolve(), lines[1]


class Repo:
    """The git repository holding a workspace, with paths relative to the workspace."""

    def __init__(self, workspace_root: Path, repo_root: Path | None = None) -> None:
        import git

        try:
            self.git_repo = git.Repo(repo_root or workspace_root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{workspace_root} is not inside a git repository") from None
        if self.git_repo.bare or self.git_repo.working_tree_dir is None:
            raise GitError(f"{workspace_root}: a bare repository has no working tree")
        self.top = Path(self.git_repo.working_tree_dir).resolve()
        try:
            prefix = workspace_root.resolve().relative_to(self.top).as_posix()
        except ValueError:
            raise GitError(f"{workspace_root} is outside the repository at {self.top}") from None
        self.prefix = "" if prefix == "." else prefix + "/"
        self.root = workspace_root.resolve()

    # -- paths ---------------------------------------------------------------------------
    def repo_path(self, rel: str) -> str:
        """Workspace-relative -> repository-relative."""
        return self.prefix + rel

    def ws_path(self, repo_rel: str) -> str | None:
        """Repository-relative -> workspace-relative (None outside the workspace)."""
        if not repo_rel.startswith(self.prefix):
            return None
        return repo_rel[len(self.prefix) :]

    @property
    def scope(self) -> str:
        """Pathspec of the workspace inside the repository."""
        return self.prefix.rstrip("/") or "."

    # -- revisions -----------------------------------------------------------------------
    @property
    def has_commits(self) -> bool:
        try:
            self.git_repo.head.commit  # noqa: B018 - raises on an unborn branch
        except ValueError:
            return False
        return True

    def resolve(self, rev: str) -> str:
        import git

        try:
            return self.git_repo.commit(rev).hexsha
        except (git.BadName, ValueError, git.GitCommandError):
            raise GitError(f"unknown git revision {rev!r}") from None

    def main_branch(self) -> str | None:
        for name in MAIN_BRANCHES:
            try:
                self.resolve(name)
            except GitError:
                continue
            return name
        return None

    def merge_base(self, a: str, b: str = "HEAD") -> str | None:
        import git

        try:
            out = self.git_repo.git.merge_base(a, b)
        except git.GitCommandError:
            return None
        return out.strip() or None

    def info(self, rev: str) -> CommitInfo:
        out = self.git_repo.git.log("-1", f"--format={_FORMAT}", self.resolve(rev), "--")
        return _parse_log(out)[0]

    def log(
        self,
        paths: list[str] | None = None,
        *,
        rev: str = "HEAD",
        max_count: int | None = None,
        topo: bool = True,
        follow: bool = False,
        rewrite_parents: bool = False,
    ) -> list[CommitInfo]:
        """Commits reachable from ``rev`` touching workspace ``paths`` (all: the workspace).
        ``rewrite_parents``: parents are the nearest ancestors that are in the list too."""
        import git

        if not self.has_commits:
            return []
        args = [f"--format={_FORMAT}"]
        if topo:
            args.append("--topo-order")
        if follow:
            args.append("--follow")
        if rewrite_parents:
            args.append("--parents")
        if max_count:
            args.append(f"--max-count={max_count}")
        specs = [self.repo_path(p) for p in paths] if paths else [self.scope]
        try:
            out = self.git_repo.git.log(*args, self.resolve(rev), "--", *specs)
        except git.GitCommandError as exc:
            raise GitError(f"git log failed: {exc.stderr.strip() or exc}") from None
        return _parse_log(out)

    def follow_names(self, rel: str, rev: str = "HEAD") -> dict[str, tuple[str, str]]:
        """Commit -> ``(name at that commit, name before it)`` of the file ``rel``, following
        renames (``git log --follow``); names are workspace-relative."""
        out = self.git_repo.git.log(
            "--follow",
            "--name-status",
            "--format=%x1e%H",
            self.resolve(rev),
            "--",
            self.repo_path(rel),
        )
        names: dict[str, tuple[str, str]] = {}
        for record in out.split("\x1e"):
            lines = [x for x in record.strip().splitlines() if x.strip()]
            if not lines:
                continue
            for change in lines[1:]:
                parts = change.split("\t")
                after = self.ws_path(parts[-1])
                before = self.ws_path(parts[1]) if len(parts) == 3 else after
                if after is not None:
                    names[lines[0].strip()] = (after, before or after)
        return names

    def read(self, rev: str, rel: str) -> bytes | None:
        """A workspace file at ``rev`` (None when it does not exist there)."""
        try:
            blob = self.git_repo.commit(rev).tree / self.repo_path(rel)
        except (KeyError, ValueError):
            return None
        if blob.type != "blob":
            return None
        return blob.data_stream.read()

    def blob_id(self, rev: str, rel: str) -> str | None:
        try:
            return (self.git_repo.commit(rev).tree / self.repo_path(rel)).hexsha
        except (KeyError, ValueError):
            return None

    def changed_files(self, a: str, b: str | None = None) -> list[str]:
        """Workspace-relative paths changed between ``a`` and ``b`` (None: the worktree)."""
        args = [a] if b is None else [a, b]
        out = self.git_repo.git.diff("--name-only", "--no-renames", *args, "--", self.scope)
        names = out.splitlines()
        if b is None:
            names += self.git_repo.untracked_files
        return sorted({n for n in (self.ws_path(x) for x in names) if n is not None})

    def dirty(self, rels: list[str]) -> list[str]:
        """Of ``rels``, those whose worktree content differs from HEAD (or untracked)."""
        out: list[str] = []
        for rel in rels:
            path = self.root / rel
            current = path.read_bytes() if path.is_file() else None
            committed = self.read("HEAD", rel) if self.has_commits else None
            if current != committed and current is not None:
                out.append(rel)
        return out

    # -- identity and signatures -----------------------------------------------------------
    def identity(self) -> tuple[str, str]:
        """``(name, email)`` git would author a commit with (env vars, then config)."""
        import git

        try:
            ident = self.git_repo.git.var("GIT_AUTHOR_IDENT")
        except git.GitCommandError:
            raise GitError(
                "no git identity: set it with `git config user.email you@example.com`"
            ) from None
        name, _, rest = ident.partition(" <")
        return name.strip(), rest.split(">", 1)[0].strip().lower()

    @cached_property
    def _signatures(self) -> dict[str, str]:
        return {}

    def signature(self, sha: str) -> str:
        """git's ``%G?``: G good, U good (unknown trust), N none, B bad, E cannot check..."""
        cached = self._signatures.get(sha)
        if cached is None:
            import git

            try:
                cached = self.git_repo.git.log("-1", "--format=%G?", sha).strip() or "N"
            except git.GitCommandError:
                cached = "E"
            self._signatures[sha] = cached
        return cached


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
