"""The content-hash cache. A page's key hashes everything its rendering reads (template,
layout, partials, persona, field registry, workspace config, atscomms version); the files a
``file:`` body or ``mj-include`` pulled in are recorded with their hashes after rendering.
The manifest (page -> key, files read, findings) lives in the workspace's
``.atscomms-cache/preview/``, one per gallery folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from atscomms import __version__
from atscomms.model.workspace import Workspace
from atscomms.preview.spec import Options, Spec

FORMAT = "2"  # bump when the page HTML changes shape, so cached pages are rebuilt


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def file_hash(ws: Workspace, rel: str) -> str:
    try:
        return hashlib.sha256(ws.source.read(rel)).hexdigest()
    except (OSError, KeyError):
        return "missing"


def page_keys(
    ws: Workspace, opts: Options, specs: dict[str, list[Spec]], build_findings: dict
) -> dict[Spec, str]:
    docs = ws.documents
    text = {p: d.text for p, d in docs.items()}
    shared = content_hash(
        FORMAT,
        __version__,
        str(opts.allow_remote_images),
        text.get("atscomms.yaml", ""),
        ws.fields.doc.text if ws.fields else "",
        *sorted(p.doc.text for p in ws.partials.values()),
    )
    keys: dict[Spec, str] = {}
    for tid, tspecs in specs.items():
        tmpl = ws.templates[tid]
        layout = ws.layouts.get(tmpl.layout or "")
        tkey = content_hash(
            shared,
            tmpl.doc.text,
            layout.doc.text if layout else "",
            json.dumps(build_findings.get(tmpl.path, []), sort_keys=True),
            "|".join(s.path for s in tspecs),
        )
        for s in tspecs:
            persona = ws.personas[s.persona].doc.text if s.persona else ""
            keys[s] = content_hash(tkey, persona, s.locale, s.variant or "")
    return keys


def manifest_path(ws: Workspace, out: Path) -> Path:
    name = hashlib.sha256(str(out).encode()).hexdigest()[:16] + ".json"
    return ws.root / ".atscomms-cache" / "preview" / name


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = data.get("pages") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return pages if isinstance(pages, dict) else {}


def save_manifest(path: Path, out: Path, pages: dict[str, dict[str, Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "out": str(out), "pages": pages}))
        tmp.replace(path)
    except OSError:
        pass  # a read-only workspace: no cache, still a gallery
