"""Apply safe fixes to the files users edit, keeping comments and formatting."""

from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

from atscomms.findings import Finding


def _edits(findings: list[Finding]) -> dict[str, list[dict]]:
    by_path: dict[str, list[dict]] = {}
    for f in findings:
        if f.fix:
            by_path.setdefault(f.fix["path"], []).append(f.fix)
    return by_path


def fixed_texts(findings: list[Finding], read) -> dict[str, tuple[str, str]]:
    """path -> (old text, new text); overlapping edits keep the first one."""
    out: dict[str, tuple[str, str]] = {}
    for path, edits in _edits(findings).items():
        old = read(path)
        if old is None:
            continue
        new = old
        taken_until = len(old) + 1
        for e in sorted(edits, key=lambda e: (e["offset"], e["length"]), reverse=True):
            start, end = e["offset"], e["offset"] + e["length"]
            if end > taken_until:
                continue
            new = new[:start] + e["replacement"] + new[end:]
            taken_until = start
        if new != old:
            out[path] = (old, new)
    return out


def diff(changes: dict[str, tuple[str, str]]) -> str:
    chunks = []
    for path, (old, new) in sorted(changes.items()):
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                f"a/{path}",
                f"b/{path}",
            )
        )
    return "".join(chunks)


def write(root: Path, changes: dict[str, tuple[str, str]], backup_dir: Path) -> Path:
    """Write fixed files atomically, after copying the originals to ``backup_dir``."""
    stamp = backup_dir / time.strftime("%Y%m%d-%H%M%S")
    for path in changes:
        target = root / path
        saved = stamp / path
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, saved)
    for path, (_old, new) in changes.items():
        target = root / path
        tmp = target.with_name(target.name + ".atscomms-tmp")
        tmp.write_bytes(new.encode("utf-8"))
        tmp.replace(target)
    return stamp
