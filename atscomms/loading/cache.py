"""A per-workspace cache of loaded and schema-checked files, keyed by content.

A file whose bytes (and atscomms version, schemas and limits) are unchanged is
not parsed or validated again: its data and findings come from
``.atscomms-cache/load-v4.marshal``, with the positions of its values and keys
(unpacked only when a finding in that file needs them). The folder is safe to
delete; ``ATSCOMMS_NO_CACHE=1`` turns the cache off.

Each entry also keeps the file's size and modification time (when the file was
at least two seconds old, so an edit within the same clock tick cannot go
unseen): :meth:`LoadCache.peek` answers "what is in this unchanged file" from a
``stat`` alone, without reading it (the pre-commit path, ``build(focus=...)``).
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
_FILE = "load-v4.marshal"
_OLD_FILES = ("load-v3.marshal",)
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
        self.fingerprint = _fingerprint(extra) if self.enabled else b""
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        if self.enabled:
            try:
                stored = marshal.loads(self.path.read_bytes())
                if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
                    self.entries = stored["entries"]
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                self.entries = {}

    @staticmethod
    def digest(raw: bytes) -> bytes:
        return hashlib.blake2b(raw, digest_size=16).digest()

    # An entry: (digest, marshalled data, packed findings, settled stat, (kind, id),
    # marshalled marks). Data and marks stay marshalled until a file is used, so opening
    # the cache of a large workspace (the pre-commit path uses a handful of its files)
    # costs little.

    def get(
        self, rel: str, digest: bytes, stat: tuple[int, int] | None = None
    ) -> tuple[Any, list[Finding], bytes | None] | None:
        """``(data, findings, marks)``; marks for :func:`unpack_marks` (None: not kept)."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != digest:
            return None
        if stat is not None and entry[3] != _settled(stat):
            self.entries[rel] = (*entry[:3], _settled(stat), *entry[4:])
            self.dirty = True
        return marshal.loads(entry[1]), [Finding.unpack(t) for t in entry[2]], entry[5]

    def peek(self, rel: str, stat: tuple[int, int] | None) -> tuple[Any, Any] | None:
        """``(kind, id)`` of ``rel`` when its ``(mtime_ns, size)`` is the one recorded."""
        entry = self.entries.get(rel)
        if stat is None or entry is None or entry[3] is None or entry[3] != stat:
            return None
        return entry[4]

    @staticmethod
    def entry(
        digest: bytes, data: Any, packed: list[tuple], stat: Any = None, marks: Any = None
    ) -> tuple:
        """``marks``: ``(values, keys)`` position tables of the loaded document."""
        head = (data.get("kind"), data.get("id")) if isinstance(data, dict) else (None, None)
        blob = marshal.dumps(marks) if marks is not None else None
        return (digest, marshal.dumps(data), packed, stat, head, blob)

    def prime(self, rel: str, entry: tuple) -> None:
        """An entry made by :meth:`entry` elsewhere (a worker process); kept in memory
        even when the cache is off, for this run."""
        self.entries[rel] = entry
        self.dirty = self.dirty or self.enabled

    def put(
        self,
        rel: str,
        digest: bytes,
        data: Any,
        findings: list[Finding],
        stat: tuple[int, int] | None = None,
        marks: Any = None,
    ) -> None:
        if self.enabled:
            packed = [f.pack() for f in findings]
            self.entries[rel] = self.entry(digest, data, packed, _settled(stat), marks)
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        if not self.enabled:
            return
        stale = set(self.entries) - keep
        if not self.dirty and not stale:
            return
        for rel in stale:
            del self.entries[rel]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# atscomms cache: safe to delete\n*\n")
            tmp = self.path.with_name(f"{_FILE}.{os.getpid()}.tmp")
            tmp.write_bytes(
                marshal.dumps({"fingerprint": self.fingerprint, "entries": self.entries})
            )
            tmp.replace(self.path)
            for old in _OLD_FILES:
                (self.path.parent / old).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a read-only checkout still works, just without the cache


def unpack_marks(blob: bytes) -> tuple[dict, dict]:
    """``(values, keys)`` position tables kept by :meth:`LoadCache.entry`."""
    values, keys = marshal.loads(blob)
    return values, keys
