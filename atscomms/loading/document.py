"""A loaded YAML file: plain data plus the position of every key and value."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from atscomms.findings import Finding, Span

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # ids, kinds: plain scalars as written

#: A JSON-pointer-like path into a document: ("steps", 0, "send").
Path = tuple[str | int, ...]


@dataclass(slots=True)
class Document:
    path: str  # relative to the workspace root, "/" separators
    text: str = ""
    data: Any = None
    #: value marks: path -> (start, end, line0, col0, end_line0, end_col0, style)
    _values: dict[Path, tuple] = field(default_factory=dict)
    #: marks of mapping keys, same layout
    _keys: dict[Path, tuple] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: for documents restored from the cache: ``(values, keys)`` when positions are needed
    reload: Callable[[], tuple[dict, dict]] | None = None

    def _marks(self) -> None:
        if self.reload is not None:
            values, keys = self.reload()
            self.reload = None
            self._values, self._keys = values, keys

    @property
    def values(self) -> dict[Path, tuple]:
        if self.reload is not None:
            self._marks()
        return self._values

    @property
    def keys(self) -> dict[Path, tuple]:
        if self.reload is not None:
            self._marks()
        return self._keys

    @property
    def ok(self) -> bool:
        return self.data is not None

    @property
    def kind(self) -> str | None:
        if isinstance(self.data, dict):
            kind = self.data.get("kind")
            return kind if isinstance(kind, str) else None
        return None

    def span(self, path: Path, *, key: bool = False) -> Span:
        """Position of the value at ``path`` (or of its key); the nearest parent if absent."""
        if self.reload is not None and not key and len(path) == 1:
            quick = self._top_level_span(path[0])
            if quick is not None:
                return quick
        table = self.keys if key else self.values
        while True:
            mark = table.get(path)
            if mark is not None:
                return Span(mark[2] + 1, mark[3] + 1, mark[4] + 1, mark[5] + 1)
            if not path:
                return Span()
            path = path[:-1]
            table = self.values

    def _top_level_span(self, key: str | int) -> Span | None:
        """The span of a top-level plain scalar like ``id: offer-extended``, found in the
        text without re-parsing the file (a G001 on each of 2,000 unapproved templates
        would re-parse all of them). Only when exactly one line at column 0 holds that
        key with exactly that value; otherwise None (the caller parses)."""
        value = self.data.get(key) if isinstance(self.data, dict) else None
        if not isinstance(key, str) or not isinstance(value, str) or not _PLAIN.fullmatch(value):
            return None
        found = [
            m
            for m in re.finditer(rf"(?m)^{re.escape(key)}:[ \t]+(\S+)[ \t]*(?:#.*)?\r?$", self.text)
            if m.group(1) == value
        ]
        if len(found) != 1 or self.text.count(f"\n{key}:") + self.text.startswith(f"{key}:") != 1:
            return None
        start = found[0].start(1)
        line = self.text.count("\n", 0, start) + 1
        column = start - (self.text.rfind("\n", 0, start) + 1) + 1
        return Span(line, column, line, column + len(value))

    def key_span(self, path: Path) -> Span:
        return self.span(path, key=path in self.keys)

    def index_in_value(self, path: Path, offset: int, length: int) -> int | None:
        """Index in ``self.text`` of ``value[offset:offset+length]`` for the string at ``path``.

        Works for plain, quoted and block scalars: the text is searched in the
        raw source of the scalar (the n-th occurrence for the n-th occurrence
        in the value), so a word inside a ``|`` block is found at its line.
        None when the text does not appear verbatim (it spans an escape or a fold).
        """
        value = self.get(path)
        mark = self.values.get(path)
        if not isinstance(value, str) or mark is None:
            return None
        needle = value[offset : offset + length]
        if not needle or "\n" in needle:
            return None
        occurrence = value.count(needle, 0, offset)
        raw = self.text[mark[0] : mark[1]]
        pos = -1
        for _ in range(occurrence + 1):
            pos = raw.find(needle, pos + 1)
            if pos < 0:
                return None
        return mark[0] + pos

    def span_in_value(self, path: Path, offset: int, length: int) -> Span:
        """Position of ``value[offset:offset+length]`` (see :meth:`index_in_value`)."""
        index = self.index_in_value(path, offset, length)
        if index is None:
            return self.span(path)
        line = self.text.count("\n", 0, index)
        column = index - (self.text.rfind("\n", 0, index) + 1)
        return Span(line + 1, column + 1, line + 1, column + 1 + length)

    def scalar_style(self, path: Path) -> str | None:
        mark = self.values.get(path)
        return mark[6] if mark else None

    def get(self, path: Path, default: Any = None) -> Any:
        data = self.data
        try:
            for part in path:
                data = data[part]
        except (KeyError, IndexError, TypeError):
            return default
        return data
