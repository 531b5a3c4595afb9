"""The pre-commit path: `atscomms lint|validate -w WS FILE` loads only what FILE needs.

Whatever is loaded, the findings reported for the picked files must be exactly the ones
a full run reports for them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from atscomms.cli.app import main
from atscomms.model.build import build
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad-workspace"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple]]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, _ = capsys.readouterr()
    keys = ("path", "line", "column", "code", "message")
    return int(exit_info.value.code or 0), [
        tuple(f[k] for k in keys) for f in json.loads(out)["findings"]
    ]


def _aged(src: Path, dest: Path) -> Path:
    """A copy whose files are an hour old (the cache trusts only settled stats)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".atscomms-cache"))
    old = time.time() - 3600
    for folder, _, names in os.walk(dest):
        for name in names:
            os.utime(os.path.join(folder, name), (old, old))
    return dest


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return _aged(BAD, tmp_path / "ws")


def test_focus_loads_only_the_picked_template(ws: Path) -> None:
    build(ws)  # fills the cache
    picked = "templates/sms-url.yaml"
    focused, _ = build(ws, focus=lambda rel: rel == picked)
    full, _ = build(ws)
    assert [t.path for t in focused.templates.values()] == [picked]
    assert len(focused.unloaded) == len(full.templates) - 1
    assert set(focused.layouts) == set(full.layouts)
    assert set(focused.sequences) == set(full.sequences)


def test_without_a_cache_everything_is_loaded(ws: Path, monkeypatch) -> None:
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")
    focused, _ = build(ws, focus=lambda rel: rel == "templates/sms-url.yaml")
    assert focused.unloaded == {} and len(focused.templates) > 1


def test_a_shared_file_in_focus_loads_every_template(ws: Path) -> None:
    build(ws)
    focused, _ = build(ws, focus=lambda rel: rel.startswith("layouts/"))
    full, _ = build(ws)
    assert focused.unloaded == {} and set(focused.templates) == set(full.templates)


def test_an_edited_template_is_loaded_again(ws: Path) -> None:
    build(ws)
    other = ws / "templates" / "sms-unicode.yaml"
    other.write_text(other.read_text() + "\n")  # fresh mtime: the cache entry is not trusted
    focused, _ = build(ws, focus=lambda rel: rel == "templates/sms-url.yaml")
    assert set(focused.templates) >= {"sms-url"} and len(focused.templates) == 2


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_each_file_alone_reports_what_the_full_run_reports(
    ws: Path, command: str, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(ws)
    _, everything = run([command, "-w", ".", "-f", "json", "--fail-on", "info"], capsys)
    files = sorted(
        p.relative_to(ws).as_posix() for p in ws.rglob("*.yaml") if ".atscomms-cache" not in p.parts
    )
    assert len(files) > 40
    for rel in files:
        _, alone = run([command, "-w", ".", rel, "-f", "json", "--fail-on", "info"], capsys)
        assert alone == [f for f in everything if f[0] == rel], rel


def test_duplicate_id_of_an_unloaded_template_is_reported(tmp_path: Path, capsys) -> None:
    ws = _aged(FIXTURES / "bad-foundation", tmp_path / "ws")
    _, everything = run(["validate", "-w", str(ws), "-f", "json"], capsys)
    dup = [f for f in everything if f[3] == "R002" and f[0] == "templates/dup-a.yaml"]
    assert dup and "also defined in templates/dup-b.yaml" in dup[0][4]
    focused, _ = build(ws, focus=lambda rel: rel == "templates/dup-a.yaml")
    assert "templates/dup-b.yaml" in focused.unloaded.values()
    picked = str(ws / "templates" / "dup-a.yaml")
    _, alone = run(["validate", "-w", str(ws), picked, "-f", "json"], capsys)
    assert alone == dup


def test_a_few_edits_leave_the_cache_alone_until_many_have_piled_up(ws: Path) -> None:
    from atscomms.model.build import FOCUS_SAVE_FROM

    build(ws)
    cache = ws / ".atscomms-cache" / "load-v5.marshal"
    before = cache.read_bytes()
    picked = "templates/sms-url.yaml"
    (ws / picked).write_text((ws / picked).read_text() + "\n# edited\n")
    focused, _ = build(ws, focus=lambda rel: rel == picked)
    assert "sms-url" in focused.templates
    assert cache.read_bytes() == before  # one edit: parsing it again is cheaper
    templates = sorted(ws.glob("templates/*.yaml"))
    assert len(templates) >= FOCUS_SAVE_FROM
    for path in templates:
        path.write_bytes(path.read_bytes() + b"\n# edited\n")
    build(ws, focus=lambda rel: rel == picked)
    assert cache.read_bytes() != before  # many edits: written


def test_positions_in_cached_files_come_from_the_cache(ws: Path, monkeypatch) -> None:
    """A finding in a file the cache answered for is placed without parsing it again."""
    from atscomms.loading import checked

    fresh, _ = build(ws)
    doc = fresh.templates["sms-url"].doc
    paths = sorted(doc.values)[:12]
    expected = [doc.span(p) for p in paths]
    monkeypatch.setattr(checked, "load", lambda *a, **k: pytest.fail("parsed again"))
    cached, _ = build(ws)
    assert cached.templates["sms-url"].doc.reload is not None
    assert [cached.templates["sms-url"].doc.span(p) for p in paths] == expected
