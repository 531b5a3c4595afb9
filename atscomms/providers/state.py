"""Per-environment state: what we pushed where, written atomically.

``.atscomms/state/<env>.json`` maps each unit key to the remote id, the
version we pushed (content hash and governance version), the remote
fingerprint after our write, and a short history for rollbacks. A ``pending``
entry is recorded before a write and cleared after it, so a push killed in
between is recognised (and adopted, not duplicated) when it is re-run.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

STATE_DIR = Path(".atscomms") / "state"
BACKUP_DIR = Path(".atscomms") / "backups"
HISTORY = 10


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class State:
    def __init__(self, root: Path, env: str) -> None:
        self.path = root / STATE_DIR / f"{env}.json"
        self.env = env
        self.lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            from atscomms.providers.base import ProviderError

            raise ProviderError(f"cannot read state file {self.path}: {exc}") from None
        self.units: dict[str, dict[str, Any]] = data.get("units", {})
        self.pending: dict[str, dict[str, Any]] = data.get("pending", {})
        self.provider: str | None = data.get("provider")
        self.flush_every = 1.0  # seconds between saves while pushing (see `flush`)
        self._saved = 0.0

    def save(self) -> None:
        data = {
            "version": 1,
            "environment": self.env,
            "provider": self.provider,
            "units": dict(sorted(self.units.items())),
            "pending": self.pending,
        }
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def _maybe_save(self) -> None:
        """Save at most every ``flush_every`` seconds during a push; ``flush()`` at the end.
        Losing the last second of records is safe: remote names and hashes let the next
        run adopt what was written (no duplicates), so a full rewrite per unit is not needed."""
        now = time.monotonic()
        if now - self._saved >= self.flush_every:
            self._saved = now
            self.save()

    def flush(self) -> None:
        with self.lock:
            self.save()

    def begin(self, key: str, info: dict[str, Any]) -> None:
        with self.lock:
            self.pending[key] = {**info, "started": time.time()}
            self._maybe_save()

    def record(self, key: str, entry: dict[str, Any]) -> None:
        with self.lock:
            old = self.units.get(key)
            history = list(old.get("history", [])) if old else []
            if old and old.get("version_id") and old.get("hash") != entry.get("hash"):
                history.append({k: old.get(k) for k in ("hash", "version", "version_id")})
            entry["history"] = history[-HISTORY:]
            entry["pushed_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.units[key] = entry
            self.pending.pop(key, None)
            self._maybe_save()

    def template_versions(self) -> dict[str, set[str]]:
        """Template id -> governance versions currently pushed (for promotion)."""
        out: dict[str, set[str]] = {}
        for entry in self.units.values():
            if entry.get("template") and entry.get("version"):
                out.setdefault(entry["template"], set()).add(entry["version"])
        return out


def backup(root: Path, env: str, key: str, content: dict[str, Any]) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = root / BACKUP_DIR / env / f"{key}.{stamp}.json"
    atomic_write(path, json.dumps(content, indent=1, ensure_ascii=False) + "\n")
    return path
