"""`export`: a folder of per-ATS bundles, tokens translated, for systems without a write API.

``settings.path`` (inside the workspace) receives ``<dialect>/<key>.json`` and a
plain ``<dialect>/<key>.txt`` per unit for each dialect in ``settings.dialect``
(one of greenhouse, lever, smartrecruiters, teamtailor, opencats, handlebars,
mustachio). Templates a token-only ATS cannot express are errors before writing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from atscomms.providers.base import BaseProvider, Capabilities, ConfigError, Context, Remote
from atscomms.providers.compile import Unit, workspace_path
from atscomms.providers.dialects import DIALECTS
from atscomms.providers.state import atomic_write


class _Root:
    def __init__(self, root: Path) -> None:
        self.root = root


class ExportProvider(BaseProvider):
    name = "export"
    description = "Folder of per-ATS bundles with tokens translated (no write API needed)."
    capabilities = Capabilities(
        write=True, delete=True, channels=("email", "sms"), dialect="greenhouse"
    )
    settings_help = {"path": "folder inside the workspace", "dialect": "ATS token syntax"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        dialect = self.setting("dialect", "greenhouse")
        if dialect not in DIALECTS:
            raise ConfigError(f"export: unknown dialect {dialect!r} ({', '.join(DIALECTS)})")
        fields = {f: getattr(self.capabilities, f) for f in Capabilities.__dataclass_fields__}
        self.capabilities = Capabilities(**{**fields, "dialect": dialect})
        try:
            base = workspace_path(_Root(ctx.workspace), str(self.setting("path", required=True)))
        except ValueError as exc:
            raise ConfigError(f"export: settings.path: {exc}") from None
        self.dir = base / dialect

    def _remote(self, path: Path) -> Remote:
        raw = path.read_bytes()
        data = json.loads(raw)
        return Remote(path.stem, path.stem, data.get("hash"), hashlib.sha256(raw).hexdigest()[:16])

    def list(self) -> list[Remote]:
        return (
            [self._remote(p) for p in sorted(self.dir.glob("*.json"))] if self.dir.is_dir() else []
        )

    def get(self, remote: Remote) -> Remote:
        path = self.dir / f"{remote.key}.json"
        fresh = self._remote(path)
        data = json.loads(path.read_text("utf-8"))
        fresh.content = {k: data.get(k) for k in ("subject", "preheader", "html", "text")}
        fresh.extra = {"channel": data.get("channel")}
        return fresh

    def create(self, unit: Unit) -> Remote:
        return self.update(Remote(unit.key, unit.key), unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        data = {
            **unit.content(),
            "hash": unit.hash,
            "template": unit.template,
            "locale": unit.locale,
            "variant": unit.variant,
            "channel": unit.channel,
            "dialect": unit.dialect,
        }
        path = self.dir / f"{unit.key}.json"
        atomic_write(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        text = (f"Subject: {unit.subject}\n\n" if unit.subject else "") + (unit.text or "")
        atomic_write(self.dir / f"{unit.key}.txt", text)
        return self._remote(path)

    def delete(self, remote: Remote) -> None:
        for suffix in (".json", ".txt"):
            (self.dir / f"{remote.key}{suffix}").unlink(missing_ok=True)
