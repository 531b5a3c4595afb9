"""Where workspace files come from: the worktree, or a git revision (gitpython).

A source lists the YAML files below the workspace root and reads bytes by
path relative to that root (``/`` separators).
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Protocol

CONFIG_NAME = "atscomms.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "build", "dist", "__pycache__", ".venv", "venv"}


class SourceError(Exception):
    """The workspace cannot be read at all (exit code 2)."""


class Source(Protocol):
    root: Path
    label: str

    def yaml_files(self) -> list[str]: ...

    def read(self, rel: str) -> bytes: ...

    def stat(self, rel: str) -> tuple[int, int] | None:
        """``(mtime_ns, size)`` of a file, or None when the source has no such notion."""
        ...

    def exists(self, rel: str) -> bool: ...


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*") for p in patterns
    )


def _skip_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS


class WorktreeSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)

    def yaml_files(self, exclude: list[str] | None = None) -> list[str]:
        found: list[str] = []
        root = str(self.root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not _skip_dir(d))
            rel_dir = os.path.relpath(dirpath, root)
            for name in sorted(filenames):
                if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                    rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                    if not _excluded(rel, exclude or []):
                        found.append(rel)
        return found

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def stat(self, rel: str) -> tuple[int, int] | None:
        try:
            st = os.stat(os.path.join(self.root, rel))
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()


class GitSource:
    """Files as they are at a git revision, read without checking it out."""

    def __init__(self, root: Path, rev: str) -> None:
        import git  # gitpython: imported only when --rev is used

        try:
            repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise SourceError(f"{root} is not inside a git repository (needed for --rev)") from None
        try:
            commit = repo.commit(rev)
        except (git.BadName, ValueError, git.GitCommandError):
            raise SourceError(f"unknown git revision {rev!r}") from None
        self.root = root
        self.label = f"{rev}:{root}"
        top = Path(repo.working_tree_dir or root).resolve()
        try:
            prefix = root.resolve().relative_to(top).as_posix()
        except ValueError:
            raise SourceError(f"{root} is outside the repository at {top}") from None
        self._prefix = "" if prefix == "." else prefix + "/"
        self._blobs: dict[str, object] = {}
        tree = commit.tree
        if self._prefix:
            try:
                tree = tree / self._prefix.rstrip("/")
            except KeyError:
                raise SourceError(f"{prefix} does not exist at revision {rev!r}") from None
        for item in tree.traverse():
            if item.type == "blob":
                self._blobs[item.path[len(self._prefix) :]] = item

    def yaml_files(self, exclude: list[str] | None = None) -> list[str]:
        return sorted(
            rel
            for rel in self._blobs
            if rel.endswith(YAML_SUFFIXES)
            and not any(_skip_dir(part) for part in rel.split("/")[:-1])
            and not rel.rsplit("/", 1)[-1].startswith(".")
            and not _excluded(rel, exclude or [])
        )

    def read(self, rel: str) -> bytes:
        blob = self._blobs.get(rel)
        if blob is None:
            raise FileNotFoundError(rel)
        return blob.data_stream.read()  # type: ignore[attr-defined]

    def stat(self, rel: str) -> tuple[int, int] | None:
        return None  # blobs are compared by content

    def exists(self, rel: str) -> bool:
        return rel in self._blobs


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``atscomms.yaml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None
