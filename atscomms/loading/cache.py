"""A per-workspace cache of loaded and schema-checked files, keyed by content.

A file whose bytes (and atscomms version, schemas and limits) are unchanged is
not parsed or validated again: its data and findings come from
``.atscomms-cache/load-v5.marshal``, the positions of its values and keys from
``load-v5.marks`` (read only when a finding in such a file needs a position). The
folder is safe to delete; ``ATSCOMMS_NO_CACHE=1`` turns the cache off.

Each entry also keeps the file's size and modification time (when the file was
at least two seconds old, so an edit within the same clock tick cannot go
unseen): :meth:`LoadCache.peek` answers "what is in this unchanged file" from a
``stat`` alone, without reading it (the pre-commit path, ``build(focus=...)``),
which also leaves the cache as it is when only a few files changed
(``save(min_changes=...)``): rewriting megabytes would cost more than parsing them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from atscomms import __version__
from atscomms.findings import Finding

CACHE_DIR = ".atscomms-cache"
_FILE = "load-v5.marshal"
_MARKS = "load-v5.marks"
_OLD_FILES = ("load-v3.marshal", "load-v4.marshal")
_SETTLED_NS = 2_000_000_000  # a file this much older than now keeps its stat in the cache


def _fingerprint(extra: str) -> bytes:
    from atscomms.loading.schemas import KINDS, schema_text

    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for kind in ("common", *KINDS):
        h.update(schema_text(kind).encode())
    h.update(extra.encode())
    return h.digest()


def _settled(stat: tuple[int, int] | None) -> tuple[int, int] | None:
    import time

    if stat is None or stat[0] > time.time_ns() - _SETTLED_NS:
        return None
    return stat


class LoadCache:
    def __init__(self, root: Path, extra: str = "") -> None:
        self.enabled = os.environ.get("ATSCOMMS_NO_CACHE", "") in ("", "0")
        self.path = root / CACHE_DIR / _FILE
        self.marks_path = root / CACHE_DIR / _MARKS
        self.fingerprint = _fingerprint(extra) if self.enabled else b""
        self.entries: dict[str, tuple] = {}
        self.changed: set[str] = set()  # entries added or updated in this run
        #: rel -> (digest, marshalled marks), made in this run
        self.new_marks: dict[str, tuple[bytes, bytes]] = {}
        #: the same, as saved by earlier runs (read on first need: see :meth:`marks`)
        self._stored_marks: dict[str, tuple[bytes, bytes]] | None = None
        if self.enabled:
            self.entries = self._read(self.path) or {}

    def _read(self, path: Path) -> dict | None:
        try:
            stored = marshal.loads(path.read_bytes())
            if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
                return stored["entries"]  # type: ignore[no-any-return]
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            pass
        return None

    @staticmethod
    def digest(raw: bytes) -> bytes:
        return hashlib.blake2b(raw, digest_size=16).digest()

    # An entry: (digest, marshalled data, packed findings, settled stat, (kind, id)). The
    # data stays marshalled until a file is used, so opening the cache of a large
    # workspace (the pre-commit path uses a handful of its files) costs little.

    def get(
        self, rel: str, digest: bytes, stat: tuple[int, int] | None = None
    ) -> tuple[Any, list[Finding]] | None:
        entry = self.entries.get(rel)
        if entry is None or entry[0] != digest:
            return None
        if stat is not None and entry[3] != _settled(stat):
            self.entries[rel] = (*entry[:3], _settled(stat), entry[4])
            self.changed.add(rel)
        return marshal.loads(entry[1]), [Finding.unpack(t) for t in entry[2]]

    def marks(self, rel: str, digest: bytes) -> tuple[dict, dict] | None:
        """``(values, keys)`` positions of the file with this digest, if kept."""
        found = self.new_marks.get(rel)
        if found is None or found[0] != digest:
            found = self._stored().get(rel)
        if found is None or found[0] != digest:
            return None
        return unpack_marks(found[1])

    def _stored(self) -> dict[str, tuple[bytes, bytes]]:
        if self._stored_marks is None:
            self._stored_marks = (self._read(self.marks_path) if self.enabled else None) or {}
        return self._stored_marks

    def peek(self, rel: str, stat: tuple[int, int] | None) -> tuple[Any, Any] | None:
        """``(kind, id)`` of ``rel`` when its ``(mtime_ns, size)`` is the one recorded."""
        entry = self.entries.get(rel)
        if stat is None or entry is None or entry[3] is None or entry[3] != stat:
            return None
        return entry[4]

    @staticmethod
    def entry(digest: bytes, data: Any, packed: list[tuple], stat: Any = None) -> tuple:
        head = (data.get("kind"), data.get("id")) if isinstance(data, dict) else (None, None)
        return (digest, marshal.dumps(data), packed, stat, head)

    def prime(self, rel: str, entry: tuple, marks: bytes | None = None) -> None:
        """An entry made by :meth:`entry` elsewhere (a worker process), with its marks
        from :func:`pack_marks`; kept in memory even when the cache is off, for this run."""
        self.entries[rel] = entry
        if marks is not None:
            self.new_marks[rel] = (entry[0], marks)
        if self.enabled:
            self.changed.add(rel)

    def put(
        self,
        rel: str,
        digest: bytes,
        data: Any,
        findings: list[Finding],
        stat: tuple[int, int] | None = None,
        marks: Any = None,
    ) -> None:
        """``marks``: the ``(values, keys)`` position tables of the loaded document."""
        if self.enabled:
            packed = [f.pack() for f in findings]
            self.entries[rel] = self.entry(digest, data, packed, _settled(stat))
            if marks is not None:
                self.new_marks[rel] = (digest, pack_marks(marks))
            self.changed.add(rel)

    def save(self, keep: set[str], min_changes: int = 1) -> None:
        """Write the cache when at least ``min_changes`` entries changed (or files are
        gone), keeping the entries of ``keep``."""
        if not self.enabled:
            return
        stale = set(self.entries) - keep
        if len(self.changed) + len(stale) < max(min_changes, 1):
            return
        for rel in stale:
            del self.entries[rel]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# atscomms cache: safe to delete\n*\n")
            self._write(self.path, self.entries)
            if self.new_marks or stale:
                digests = {rel: e[0] for rel, e in self.entries.items()}
                marks = {**self._stored(), **self.new_marks}
                kept = {r: m for r, m in marks.items() if digests.get(r) == m[0]}
                self._write(self.marks_path, kept)
            for old in _OLD_FILES:
                (self.path.parent / old).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a read-only checkout still works, just without the cache

    def _write(self, path: Path, entries: dict) -> None:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({"fingerprint": self.fingerprint, "entries": entries}))
        tmp.replace(path)


def pack_marks(marks: tuple[dict, dict]) -> bytes:
    return marshal.dumps(marks)


def unpack_marks(blob: bytes) -> tuple[dict, dict]:
    """``(values, keys)`` position tables packed by :func:`pack_marks`."""
    values, keys = marshal.loads(blob)
    return values, keys
