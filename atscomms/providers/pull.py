"""Import remote templates as workspace YAML (the adoption path)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from atscomms.providers.base import Provider
from atscomms.providers.compile import parse_key
from atscomms.providers.dialects import is_token_dialect, tokens_for
from atscomms.providers.dialects.reverse import to_portable
from atscomms.providers.state import BACKUP_DIR, atomic_write


@dataclass(slots=True)
class Pulled:
    template: str
    path: str
    written: bool
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


class _Literal(str):
    pass


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.")
    return slug or "template"


def _text(value: str) -> str:
    return _Literal(value) if "\n" in value else value


def _parts(
    content: dict[str, Any], dialect: str, tokens: dict[str, str], warn: list[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("subject", "preheader"):
        if content.get(key):
            text, w = to_portable(content[key], dialect, tokens, html_mode=False)
            out[key] = text
            warn.extend(w)
    if content.get("html"):
        text, w = to_portable(content["html"], dialect, tokens, html_mode=True)
        out["body"] = {"html": _text(text)}
        warn.extend(w)
        if content.get("text"):
            text, w = to_portable(content["text"], dialect, tokens, html_mode=False)
            out["text"] = _text(text)
            warn.extend(w)
    elif content.get("text") is not None:
        text, w = to_portable(content["text"], dialect, tokens, html_mode=False)
        out["body"] = {"text": _text(text)}
        warn.extend(w)
    return out


def pull(
    ws: Any,
    env: str,
    provider: Provider,
    *,
    out_dir: str = "templates",
    force: bool = False,
    only: list[str] | None = None,
) -> list[Pulled]:
    dialect = provider.capabilities.dialect
    tokens = tokens_for(ws, dialect) if is_token_dialect(dialect) else {}
    default = ws.config.default_locale
    groups: dict[str, dict[tuple[str | None, str], dict[str, Any]]] = {}
    channels: dict[str, str] = {}
    for remote in provider.list():
        tid, variant, locale = parse_key(remote.key, ws.config.locales)
        if locale is None:
            tid, locale = _slug(remote.extra.get("name") or remote.key), default
        if only and tid not in only:
            continue
        full = provider.get(remote)
        groups.setdefault(tid, {})[(variant, locale)] = full.content or {}
        channels[tid] = full.extra.get("channel") or (
            "email"
            if (full.content or {}).get("html") or (full.content or {}).get("subject")
            else "sms"
        )
    results: list[Pulled] = []
    root = Path(ws.root)
    for tid, units in sorted(groups.items()):
        warnings: list[str] = []
        main = units.get((None, default)) or next(
            (c for (v, _), c in units.items() if v is None), {}
        )
        doc: dict[str, Any] = {
            "kind": "template",
            "id": tid,
            "channel": channels[tid],
            "category": "transactional",
            **_parts(main, dialect, tokens, warnings),
        }
        locales = {
            loc: _parts(c, dialect, tokens, warnings)
            for (v, loc), c in sorted(units.items(), key=lambda kv: kv[0][1])
            if v is None and loc != default and c is not main
        }
        if locales:
            doc["locales"] = locales
        variants = sorted({v for v, _ in units if v is not None})
        if variants:
            doc["variants"] = [
                {"id": v, **_parts(units.get((v, default)) or {}, dialect, tokens, warnings)}
                for v in variants
            ]
        existing = ws.templates.get(tid)
        rel = existing.path if existing is not None else f"{out_dir.rstrip('/')}/{tid}.yaml"
        path = root / rel
        header = f"# Pulled from environment {env} (provider {provider.name}) by atscomms pull.\n"
        text = header + yaml.dump(
            doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )
        if path.exists() and not force:
            results.append(Pulled(tid, rel, False, "exists (use --force to overwrite)", warnings))
            continue
        reason = ""
        if path.exists():
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            saved = root / BACKUP_DIR / "pull" / f"{rel}.{stamp}"
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_bytes(path.read_bytes())
            reason = f"previous file saved to {saved.relative_to(root)}"
        atomic_write(path, text)
        results.append(Pulled(tid, rel, True, reason, warnings))
    return results
