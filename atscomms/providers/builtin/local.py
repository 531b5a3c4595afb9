"""`local`: a versioned template store in a folder inside the workspace.

No account, no network: plan, push, rollback and pull work end to end, which
is what the README demo uses. Layout of ``settings.path``::

    <key>/meta.json      {"active": "2", "versions": [{"id": "1", "hash": ...}, ...]}
    <key>/v<N>.json      {"subject", "preheader", "html", "text", "derived", "hash"}

Editing a stored version by hand is drift (its fingerprint is a hash of the file).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from atscomms.providers.base import BaseProvider, Capabilities, ConfigError, Context, Remote
from atscomms.providers.compile import Unit, workspace_path
from atscomms.providers.state import atomic_write


class LocalProvider(BaseProvider):
    name = "local"
    description = "Versioned template store in a folder inside the workspace (no account)."
    capabilities = Capabilities(
        write=True, versions=True, delete=True, channels=("email", "sms"), dialect="handlebars"
    )
    settings_help = {
        "path": "folder inside the workspace (e.g. .atscomms/providers/staging)",
        "dialect": "dialect to store (default handlebars)",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        rel = self.setting("path", required=True)
        try:
            self.root = workspace_path(_Ws(ctx.workspace), str(rel))
        except ValueError as exc:
            raise ConfigError(f"environment {ctx.environment!r}: settings.path: {exc}") from None
        dialect = self.setting("dialect", "handlebars")
        if dialect != self.capabilities.dialect:
            self.capabilities = Capabilities(
                **{**_caps_dict(self.capabilities), "dialect": dialect}
            )
        self.counts: dict[str, int] = {}

    def calls(self) -> dict[str, int]:
        return dict(self.counts)

    def _count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    # -- reading -------------------------------------------------------------------
    def _meta(self, key: str) -> dict[str, Any] | None:
        try:
            return json.loads((self.root / key / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def _remote(self, key: str, meta: dict[str, Any]) -> Remote:
        active = str(meta.get("active", ""))
        path = self.root / key / f"v{active}.json"
        try:
            raw = path.read_bytes()
        except OSError:
            raw = b""
        versions = [
            {"id": str(v["id"]), "hash": v.get("hash"), "active": str(v["id"]) == active}
            for v in meta.get("versions", [])
        ]
        stored = next((v.get("hash") for v in versions if v["active"]), None)
        fingerprint = hashlib.sha256(active.encode() + b"\0" + raw).hexdigest()[:16]
        return Remote(key, key, stored, fingerprint, active or None, versions)

    def list(self) -> list[Remote]:
        self._count("list")
        if not self.root.is_dir():
            return []
        out = []
        for child in sorted(self.root.iterdir()):
            meta = self._meta(child.name) if child.is_dir() else None
            if meta is not None:
                out.append(self._remote(child.name, meta))
        return out

    def get(self, remote: Remote) -> Remote:
        self._count("get")
        meta = self._meta(remote.key) or {}
        fresh = self._remote(remote.key, meta)
        try:
            data = json.loads((self.root / remote.key / f"v{fresh.version_id}.json").read_text())
        except (OSError, ValueError):
            data = {}
        fresh.content = {k: data.get(k) for k in ("subject", "preheader", "html", "text")}
        fresh.extra = {"derived": data.get("derived", {}), "dialect": data.get("dialect")}
        return fresh

    # -- writing -------------------------------------------------------------------
    def _write_version(self, key: str, meta: dict[str, Any], unit: Unit) -> Remote:
        for v in meta.get("versions", []):
            if v.get("hash") == unit.hash:  # same content already stored: re-activate it
                return self.activate(Remote(key, key), str(v["id"]))
        number = str(1 + max((int(v["id"]) for v in meta.get("versions", [])), default=0))
        body = {
            **unit.content(),
            "derived": unit.derived,
            "hash": unit.hash,
            "dialect": unit.dialect,
            "template": unit.template,
            "locale": unit.locale,
            "variant": unit.variant,
            "channel": unit.channel,
        }
        atomic_write(self.root / key / f"v{number}.json", json.dumps(body, indent=1) + "\n")
        meta.setdefault("versions", []).append(
            {"id": number, "hash": unit.hash, "created": time.time()}
        )
        meta["active"] = number
        atomic_write(self.root / key / "meta.json", json.dumps(meta, indent=1) + "\n")
        return self._remote(key, meta)

    def create(self, unit: Unit) -> Remote:
        self._count("write")
        return self._write_version(unit.key, self._meta(unit.key) or {"versions": []}, unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        self._count("write")
        return self._write_version(unit.key, self._meta(unit.key) or {"versions": []}, unit)

    def activate(self, remote: Remote, version_id: str) -> Remote:
        self._count("write")
        meta = self._meta(remote.key) or {}
        if not any(str(v["id"]) == str(version_id) for v in meta.get("versions", [])):
            raise ConfigError(f"{remote.key}: no version {version_id} in the local store")
        meta["active"] = str(version_id)
        atomic_write(self.root / remote.key / "meta.json", json.dumps(meta, indent=1) + "\n")
        return self._remote(remote.key, meta)

    def delete(self, remote: Remote) -> None:
        self._count("write")
        shutil.rmtree(self.root / remote.key, ignore_errors=True)


class _Ws:
    def __init__(self, root: Path) -> None:
        self.root = root


def _caps_dict(caps: Capabilities) -> dict[str, Any]:
    return {f: getattr(caps, f) for f in caps.__dataclass_fields__}
