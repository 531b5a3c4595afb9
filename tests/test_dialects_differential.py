"""Differential: every examples/acme template compiled to Handlebars and rendered by a
real Handlebars implementation gives the same subject and HTML (text for SMS) as our
preview, for every persona, locale and variant."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from atscomms.model.build import build
from atscomms.providers.compile import Compiler
from atscomms.providers.dialects.ir import derive
from atscomms.rendering.context import build_context
from atscomms.rendering.render import Renderer

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"


def cases():
    ws, _ = build(ACME)
    compiler = Compiler(ws, "handlebars", cache=False)
    renderer = Renderer(ws)
    for template in ws.templates.values():
        for unit in compiler.units(template):
            assert not unit.problems, (unit.key, unit.problems)
            for persona in ws.personas.values():
                ours = renderer.render(template, persona=persona, locale=unit.locale,
                                       variant=unit.variant)
                if not ours.ok:
                    continue
                data = derive(build_context(ws, template, persona, unit.locale), unit.derived,
                              unit.locale)
                parts = ["subject", "preheader", "html" if template.channel == "email" else "text"]
                for part in parts:
                    source = getattr(unit, part)
                    if source is not None:
                        yield f"{unit.key}/{persona.id}/{part}", source, data, getattr(ours, part)


def test_pybars_matches_preview():
    pybars = pytest.importorskip("pybars", reason="pybars3 not installed (pip install pybars3)")
    hb = pybars.Compiler()
    checked = 0
    for name, source, data, expected in cases():
        assert str(hb.compile(source)(data)) == expected, name
        checked += 1
    assert checked > 300


def _node_handlebars(tmp: Path) -> Path | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    cache = Path.home() / ".cache" / "atscomms-test-handlebars"
    if not (cache / "node_modules" / "handlebars").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                            "--prefix", str(cache), "handlebars@4"], check=True, timeout=180,
                           capture_output=True)
        except (subprocess.SubprocessError, OSError):
            return None
    return cache


def test_handlebars_js_matches_preview(tmp_path):
    cache = _node_handlebars(tmp_path)
    if cache is None:
        pytest.skip("node/npm or the npm `handlebars` package is not available")
    items = [{"name": n, "source": s, "data": d, "expected": e} for n, s, d, e in cases()]
    script = (
        f"const H = require({json.dumps(str(cache / 'node_modules' / 'handlebars'))});"
        "const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const bad = items.filter(i => H.compile(i.source)(i.data) !== i.expected)"
        ".map(i => i.name); console.log(JSON.stringify(bad));"
    )
    out = subprocess.run(["node", "-e", script], input=json.dumps(items), text=True,
                         capture_output=True, check=True, timeout=120)
    assert json.loads(out.stdout) == []
    assert len(items) > 300
