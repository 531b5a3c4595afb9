"""M rules (SMS), in yamllint's style, plus `--fix` / `--diff` end to end.

Each test copies tests/fixtures/lint/sms (a workspace that passes every M rule),
adds or replaces the snippet files, and lints with one rule selected.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from atscomms.checks.sms import non_gsm
from atscomms.cli.app import main
from tests.conftest import FIXTURES
from tests.test_rules_legal import problems, run_lint

BASE = FIXTURES / "lint" / "sms"


def check(
    tmp_path: Path, files: dict[str, str], select: str, options: dict[str, dict] | None = None
) -> list[tuple[str, int, int, str]]:
    return problems(tmp_path, BASE, files, select, options)


def sms(text: str, *, extra: str = "", layout: bool = True) -> str:
    """A template whose body is a `|` block (the text's lines, indented)."""
    head = "kind: template\nid: t\nchannel: sms\ncategory: interview\nstage: interview\n"
    head += "layout: sms\n" if layout else ""
    return head + extra + "body:\n  text: |\n" + "".join(f"    {x}\n" for x in text.split("\n"))


def test_fixture_passes_every_sms_rule(tmp_path: Path) -> None:
    assert check(tmp_path, {}, "M") == []


# -- M101 sms-too-many-segments -----------------------------------------------------------

LONG = "Hi {{ candidate.first_name }}, " + "see you tomorrow at ten. " * 6 + "Reply STOP."


def test_m101_over_budget(tmp_path: Path) -> None:
    files = {"templates/t.yaml": sms(LONG, extra="sms:\n  max_segments: 1\n")}
    assert check(tmp_path, files, "M101") == [("templates/t.yaml", 10, 3, "M101")]
    [found] = run_lint(tmp_path, BASE, files, "M101")
    assert found.message == (
        "SMS needs 2 segments (GSM-7, 175 characters) for the sample data in en-US; the budget is 1"
    )


def test_m101_default_budget_is_two(tmp_path: Path) -> None:
    files = {"templates/t.yaml": sms(LONG)}
    assert check(tmp_path, files, "M101") == []
    files = {"templates/t.yaml": sms(LONG + " And more." * 14)}
    assert check(tmp_path, files, "M101") == [("templates/t.yaml", 8, 3, "M101")]


def test_m101_persona_data_forces_ucs2(tmp_path: Path) -> None:
    text = "Hi {{ candidate.first_name }}, see you tomorrow at ten at our office in Berlin."
    text += " Reply STOP to opt out."
    files = {
        "templates/t.yaml": sms(text, extra="sms:\n  max_segments: 1\n"),
        "personas/lukasz.yaml": "kind: persona\nid: lukasz\nlocale: de-DE\n"
        "fields:\n  candidate.first_name: Łukasz\n",
    }
    [found] = run_lint(tmp_path, BASE, files, "M101")
    assert (found.line, found.column, found.locale) == (10, 3, "de-DE")
    assert found.message == (
        "SMS needs 2 segments (UCS-2, 88 characters; non-GSM: Ł) for persona `lukasz` "
        "in de-DE; the budget is 1"
    )


def test_m101_points_at_the_locale_override(tmp_path: Path) -> None:
    files = {
        "templates/t.yaml": sms("Hi. Reply STOP.", extra="sms:\n  max_segments: 1\n")
        + "locales:\n  de-DE:\n    body:\n      text: '"
        + "Hallo, bis morgen. " * 9
        + "STOP.'\n"
    }
    assert check(tmp_path, files, "M101") == [("templates/t.yaml", 15, 7, "M101")]


# -- M102 sms-non-gsm-character -----------------------------------------------------------


def test_m102_each_character_at_its_column(tmp_path: Path) -> None:
    text = "We\u2019re glad \u2013 see you \U0001f600\n{# a comment \u2019 #}Reply STOP."
    files = {"templates/t.yaml": sms(text)}
    found = run_lint(tmp_path, BASE, files, "M102")
    assert [(f.line, f.column, f.end_column, f.code) for f in found] == [
        (9, 7, 8, "M102"),
        (9, 16, 17, "M102"),
        (9, 26, 27, "M102"),
    ]
    assert [f.fix["replacement"] if f.fix else None for f in found] == ["'", "-", None]
    assert found[0].message == (
        "'\u2019' (U+2019 Right Single Quotation Mark) forces UCS-2 for the whole SMS: "
        '70 characters per segment instead of 160; replace it with "\'"'
    )


def test_m102_gsm_text_and_layouts(tmp_path: Path) -> None:
    files = {
        "templates/t.yaml": sms("Café? 5 € [ok] {{ candidate.first_name }}. Reply STOP."),
        "layouts/sms.yaml": "kind: layout\nid: sms\nchannel: sms\n"
        'body:\n  text: "{{ brand.sms_sender }} \u2014 {{ content }}"\n',
    }
    assert check(tmp_path, files, "M102") == [("layouts/sms.yaml", 5, 33, "M102")]


def test_non_gsm_composes_decomposed_accents() -> None:
    assert list(non_gsm("Jose\u0301 \u00e1")) == [(3, 2, "\u00e9"), (6, 1, "a")]


# -- M103 sms-url-rewritten ---------------------------------------------------------------


def test_m103_long_and_http_links(tmp_path: Path) -> None:
    text = (
        "Book: https://careers.acme.example/interviews/schedule?ref=sms.\n"
        "Map: http://acme.example/m\n"
        "Portal: https://acme.example/p. Reply STOP."
    )
    files = {"templates/t.yaml": sms(text)}
    found = run_lint(tmp_path, BASE, files, "M103")
    assert [(f.line, f.column, f.end_column, str(f.severity)) for f in found] == [
        (9, 11, 67, "warning"),
        (10, 10, 31, "warning"),
    ]
    assert found[0].message == (
        "56-character link: providers shorten links over 35 characters into tracked links "
        "(1 segment(s) as rendered, 1 after the rewrite)"
    )


def test_m103_field_links_are_info_and_tests_do_not_count(tmp_path: Path) -> None:
    text = "{% if interview.reschedule_url %}New time: {{ interview.reschedule_url }}{% endif %}"
    files = {"templates/t.yaml": sms(text + " Reply STOP.")}
    found = run_lint(tmp_path, BASE, files, "M103")
    assert [(f.line, f.column, str(f.severity)) for f in found] == [(9, 51, "info")]


def test_m103_option_max_url_length(tmp_path: Path) -> None:
    text = "Book: https://careers.acme.example/interviews/schedule?ref=sms. Reply STOP."
    files = {"templates/t.yaml": sms(text)}
    assert check(tmp_path, files, "M103", {"M103": {"max_url_length": 60}}) == []


# -- --fix and --diff end to end ----------------------------------------------------------

FIXABLE = """\
kind: template
id: t
channel: sms
category: interview
stage: interview
layout: sms
# The reminder text. Keep it short!
body:
  text: |  # written in a word processor
    Hi {{ candidate.first_name }}, we\u2019re looking forward to it \u2013 see you soon.
    Reply STOP to opt out.  # not a comment: part of the text
"""
FIXED = FIXABLE.replace("\u2019", "'").replace("\u2013", "-")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    (root / "templates" / "t.yaml").write_text(FIXABLE, encoding="utf-8")
    return root


def test_m102_diff_shows_fixes_and_writes_nothing(tmp_path: Path, capsys) -> None:
    root = _workspace(tmp_path)
    code, out, _ = _run(["lint", "-w", str(root), "--select", "M102", "--diff"], capsys)
    assert (root / "templates" / "t.yaml").read_text(encoding="utf-8") == FIXABLE
    assert code == 0  # warnings only, --fail-on error
    assert out == (
        "--- a/templates/t.yaml\n"
        "+++ b/templates/t.yaml\n"
        "@@ -7,5 +7,5 @@\n"
        " # The reminder text. Keep it short!\n"
        " body:\n"
        "   text: |  # written in a word processor\n"
        "-    Hi {{ candidate.first_name }}, we\u2019re looking forward to it "
        "\u2013 see you soon.\n"
        "+    Hi {{ candidate.first_name }}, we're looking forward to it - see you soon.\n"
        "     Reply STOP to opt out.  # not a comment: part of the text\n"
    )


def test_m102_fix_edits_in_place_and_keeps_comments(tmp_path: Path, capsys) -> None:
    root = _workspace(tmp_path)
    args = ["lint", "-w", str(root), "--select", "M", "--fail-on", "warning", "--format", "json"]
    code, out, err = _run([*args, "--fix"], capsys)
    assert (root / "templates" / "t.yaml").read_text(encoding="utf-8") == FIXED
    assert "Fixed 2 finding(s) in 1 file(s)" in err
    assert json.loads(out)["findings"] == []
    assert code == 0
    code, out, _ = _run(args, capsys)  # and the fixed file lints clean
    assert (code, json.loads(out)["findings"]) == (0, [])


def test_m103_long_brand_links_are_warnings_at_the_field(tmp_path: Path) -> None:
    config = (BASE / "atscomms.yaml").read_text().replace(
        "privacy_url: https://acme.example/privacy",
        "privacy_url: https://acme.example/privacy/applicants",
    )
    text = "Privacy: {{ brand.privacy_url }} Reply STOP."
    files = {"templates/t.yaml": sms(text), "atscomms.yaml": config}
    found = run_lint(tmp_path, BASE, files, "M103")
    assert [(f.line, f.column, f.end_column, str(f.severity)) for f in found] == [
        (9, 17, 34, "warning")
    ]
    assert found[0].message == (
        "`brand.privacy_url` is a 39-character link (`brand:` in atscomms.yaml: "
        "https://acme.example/privacy/applicants) (1 segment(s) as rendered, 1 after the "
        "rewrite)"
    )
    short = {"templates/t.yaml": sms(text)}  # the fixture's own 28-character link
    assert check(tmp_path, short, "M103") == []
