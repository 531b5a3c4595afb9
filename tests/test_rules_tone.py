"""T rules (tone), in yamllint's style: a snippet in, exact positions out.

Each test copies tests/fixtures/lint/tone (a workspace whose copy passes every T
rule; its style guide extends the three built-in packs and has one rule of each
Vale type), adds template snippets and lints with the T rules selected.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from atscomms.checks.config import LintConfig
from atscomms.checks.engine import lint
from atscomms.cli.app import main
from atscomms.findings import Finding, Severity
from atscomms.model.build import build
from tests.conftest import FIXTURES, REPO

BASE = FIXTURES / "lint" / "tone"


def workspace(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "ws"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE, root, ignore=shutil.ignore_patterns(".atscomms-cache"))
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_lint(
    tmp_path: Path,
    files: dict[str, str],
    select: str = "T",
    options: dict[str, dict] | None = None,
) -> list[Finding]:
    root = workspace(tmp_path, files)
    ws, result = build(root)
    assert [f for f in result.findings if f.severity >= Severity.WARNING] == [], "valid snippet"
    config = LintConfig.build({"options": options or {}}, select=[select])
    return sorted(lint(ws, result, config).result.findings, key=Finding.sort_key)


def check(
    tmp_path: Path,
    files: dict[str, str],
    select: str = "T",
    options: dict[str, dict] | None = None,
) -> list[tuple[str, int, int, str]]:
    """Sorted (path, line, column, code) of every finding."""
    return [(f.path, f.line, f.column, f.code) for f in run_lint(tmp_path, files, select, options)]


def text_template(body: str, *, category: str = "interview", subject: str = "Hello") -> str:
    """A template whose plain-text body is ``body`` (its first line is line 10)."""
    lines = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return (
        "kind: template\n"
        "id: t\n"
        "channel: email\n"
        f"category: {category}\n"
        "stage: interview\n"
        "layout: email\n"
        f"subject: {subject}\n"
        "body:\n"
        "  text: |\n"
        f"{lines}\n"
    )


def t(body: str, **kw: str) -> dict[str, str]:
    return {"templates/t.yaml": text_template(body, **kw)}


T = "templates/t.yaml"


def test_fixture_passes_every_tone_rule(tmp_path: Path) -> None:
    assert check(tmp_path, {}) == []


def test_acme_has_no_tone_findings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "-w", str(REPO / "examples" / "acme"), "--select", "T", "--format", "json"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


# -- T001-T007: the style guide's own rules ----------------------------------------------


def test_t001_existence_reports_the_word_with_the_rule_id(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t("Your req is open.\nYour ATS profile is ready."), "T001")
    assert [(f.line, f.column, f.end_column, f.code) for f in found] == [
        (10, 10, 13, "T001"),
        (11, 10, 13, "T001"),
    ]
    assert found[0].message == "[no-internal-jargon] 'req' is internal jargon."
    assert found[0].severity == Severity.ERROR  # the style guide's level


def test_t001_existence_negative_case_and_word_boundaries(tmp_path: Path) -> None:
    body = "Your Req is open; see the requirements.\nOur ats? No: we use reqs."
    assert check(tmp_path, t(body), "T001") == []  # ignorecase: false, whole words


def test_t001_existence_honours_categories(tmp_path: Path) -> None:
    offer = t("Unfortunately, the start date moved.", category="offer")
    assert check(tmp_path, offer, "T001") == [(T, 10, 5, "T001")]
    other = t("Unfortunately, the start date moved.", category="interview")
    assert check(tmp_path, other, "T001") == []


def test_t002_substitution_in_a_block_scalar_with_fix(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t("Reply to this\nE-mail, job applicant."), "T002")
    assert [(f.line, f.column, f.code) for f in found] == [(11, 5, "T002"), (11, 13, "T002")]
    assert found[0].message == "[house-terms] Use 'Email' instead of 'E-mail'."
    assert found[0].severity == Severity.WARNING
    assert [f.fix["replacement"] for f in found if f.fix] == ["Email", "candidate"]


def test_t002_substitution_negative(tmp_path: Path) -> None:
    assert check(tmp_path, t("Reply to this email, candidate."), "T002") == []


def test_t002_phrase_across_a_line_break_is_found_without_a_fix(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t("Dear job\napplicant, hello."), "T002")
    assert [(f.line, f.column, f.end_column) for f in found] == [(10, 10, 13)]
    assert found[0].fix is None
    assert found[0].message == "[house-terms] Use 'candidate' instead of 'job applicant'."


def test_word_lists_skip_german_copy(tmp_path: Path) -> None:
    template = text_template("Reply by email.") + (
        "locales:\n"
        "  de-DE:\n"
        "    subject: Ihre E-Mail vom Rockstar-Team\n"
        "    body:\n"
        "      text: Antworten Sie per E-Mail, Sie Ninja. Keep your CV on file.\n"
    )
    assert check(tmp_path, {T: template}) == []


def test_t003_occurrence_counts_across_the_message(tmp_path: Path) -> None:
    files = t("Great news! See you soon.", subject="'Welcome!'")
    assert check(tmp_path, files, "T003") == [(T, 10, 15, "T003")]


def test_t003_occurrence_negative_and_scope(tmp_path: Path) -> None:
    # the plain-text part is outside the rule's scope (subject, preheader, body)
    template = text_template("See you soon.", subject="'Welcome!'").replace(
        "body:\n  text: |\n    See you soon.\n",
        "body:\n  text: |\n    See you soon.\ntext: Welcome! Great news!\n",
    )
    assert check(tmp_path, {T: template}, "T003") == []


LONG = (
    "Thank you for taking the time to talk with us about the role last week and for "
    "sharing so much about your work."
)  # 23 words


def test_t004_metric_points_at_the_longest_sentence(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t(f"Hi.\n{LONG}"), "T004")
    assert [(f.line, f.column, f.code) for f in found] == []  # average 12 words
    found = run_lint(tmp_path, t(f"{LONG}\nThanks again for your {LONG[6:]}"), "T004")
    assert [(f.line, f.column, f.code) for f in found] == [(11, 5, "T004")]  # 26 words
    assert found[0].message == "[short-sentences] Sentences average 24.5 words."


def test_t005_capitalization_with_fix_in_every_locale(tmp_path: Path) -> None:
    template = text_template("Find us on Linkedin or at ACME corp.") + (
        "locales:\n  de-DE:\n    body:\n      text: Folgen Sie uns auf linkedin.\n"
    )
    found = run_lint(tmp_path, {T: template}, "T005")
    assert [(f.line, f.column, f.code) for f in found] == [
        (10, 16, "T005"),
        (10, 31, "T005"),
        (14, 32, "T005"),
    ]
    assert [f.fix["replacement"] for f in found] == ["LinkedIn", "Acme Corp", "LinkedIn"]


def test_t005_capitalization_negative(tmp_path: Path) -> None:
    assert check(tmp_path, t("Find us on LinkedIn, Acme Corp."), "T005") == []


def test_t006_consistency_reports_the_second_spelling(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t("Bring your resume.\nA CV is fine too."), "T006")
    assert [(f.line, f.column, f.code, str(f.severity)) for f in found] == [(11, 7, "T006", "info")]


def test_t006_consistency_negative(tmp_path: Path) -> None:
    assert check(tmp_path, t("Bring your CV.\nA short CV is fine."), "T006") == []


BROKEN_GUIDE = """\
kind: styleguide
extends: [inclusive]
disable: [T101, T999]
rules:
  - id: fine
    type: existence
    tokens: [synergy]
  - id: no-max
    type: metric
    metric: sentence_length
"""


def test_t007_invalid_style_rules_and_disable_entries(tmp_path: Path) -> None:
    found = check(tmp_path, {"styleguide.yaml": BROKEN_GUIDE}, "T007")
    assert found == [("styleguide.yaml", 3, 17, "T007"), ("styleguide.yaml", 8, 5, "T007")]


def test_t007_negative(tmp_path: Path) -> None:
    assert check(tmp_path, {}, "T007") == []


# -- T010-T013: readability ------------------------------------------------------------------

DENSE = (
    "Following considerable deliberation regarding organisational requirements, "
    "the evaluation committee determined that alternative candidacies demonstrated "
    "comparatively substantial qualifications. Consequently, continuation of your "
    "application is impracticable. Nevertheless, we appreciate your considerable "
    "investment throughout the assessment."
)


def test_t010_reading_grade_above_the_category_target(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t(DENSE, category="rejection"), "T010")
    assert [(f.line, f.column, f.code) for f in found] == [(10, 5, "T010")]
    assert "above the target of 9 for rejection messages" in found[0].message


def test_t010_negative_no_target_short_or_german(tmp_path: Path) -> None:
    assert check(tmp_path, t(DENSE, category="interview"), "T010") == []  # no target
    assert check(tmp_path, t("Notwithstanding considerable deliberation.", category="rejection"),
                 "T010") == []  # fmt: skip
    german = text_template("We have decided not to go on.", category="rejection") + (
        "locales:\n  de-DE:\n    body:\n      text: >-\n"
        + textwrap.indent(textwrap.fill(DENSE, 70), "        ")
        + "\n"
    )
    assert check(tmp_path, {T: german}, "T010") == []  # syllables are English-only


def test_t011_long_sentence(tmp_path: Path) -> None:
    words = " ".join(["word"] * 36)
    assert check(tmp_path, t(f"Hi.\n{words.capitalize()}."), "T011") == [(T, 11, 5, "T011")]
    short = " ".join(["word"] * 35)
    assert check(tmp_path, t(f"{short}.\n{short}."), "T011") == []


def test_t011_block_tags_end_sentences(tmp_path: Path) -> None:
    words = " ".join(["word"] * 20)
    mjml = (
        "kind: template\nid: t\nchannel: email\ncategory: interview\nstage: interview\n"
        "layout: email\nsubject: Hello\nbody:\n  mjml: |\n"
        f"    <mj-text><p>{words}</p><p>{words}</p>\n"
        f"    <ul><li>{words}</li><li>{words}<br>{words}</li></ul></mj-text>\n"
    )
    assert check(tmp_path, {T: mjml}, "T011") == []


def test_t012_exclamation_marks(tmp_path: Path) -> None:
    assert check(tmp_path, t("Thanks!", category="rejection"), "T012") == [(T, 10, 11, "T012")]
    assert check(tmp_path, t("Thanks!!"), "T012") == [(T, 10, 11, "T012")]
    assert check(tmp_path, t("Thanks! See you soon."), "T012") == []


def test_t013_shouting(tmp_path: Path) -> None:
    body = "This is URGENT.\nPLEASE REPLY today.\nHR and the CV team, reply STOP or HELP."
    assert check(tmp_path, t(body), "T013") == [(T, 10, 13, "T013"), (T, 11, 5, "T013")]


def test_t013_allow_option(tmp_path: Path) -> None:
    files = t("Meet the NASA-style MARS team.")
    assert check(tmp_path, files, "T013") == [(T, 10, 25, "T013")]
    assert check(tmp_path, files, "T013", {"T013": {"allow": ["mars"]}}) == []


# -- T1xx: inclusive -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "bad", "column", "good"),
    [
        ("T101", "We want a coding rockstar.", 22, "We want an experienced developer."),
        ("T101", "Are you a Python NINJA?", 22, "Do you know Python?"),
        ("T102", "Thanks, guys.", 13, "Thanks, everyone. The guyot is a seamount."),
        ("T102", "The manpower plan", 9, "The staffing plan"),
        ("T103", "Join our young and dynamic team.", 14, "Join our team."),
        ("T103", "Maximum 5 years of experience.", 5, "At least 5 years of experience."),
        ("T104", "You are a native English speaker.", 15, "You speak fluent English."),
        ("T105", "We have a crazy amount of work.", 15, "We have a lot of work."),
    ],
)
def test_inclusive_word_lists(tmp_path: Path, code: str, bad: str, column: int, good: str) -> None:
    assert check(tmp_path, t(bad), code) == [(T, 10, column, code)]
    assert check(tmp_path, t(good), code) == []


MASCULINE = "We want a driven, competitive person who leads from the front.\nBe fearless."


def test_t106_masculine_coded_words_in_sourcing(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t(MASCULINE, category="sourcing"), "T106")
    assert [(f.line, f.column, f.code, str(f.severity)) for f in found] == [
        (10, 15, "T106", "warning"),  # 4 masculine- vs 0 feminine-coded: strongly coded
        (10, 23, "T106", "warning"),
        (10, 46, "T106", "warning"),
        (11, 8, "T106", "warning"),
    ]
    assert found[0].message == (
        "'driven' is masculine-coded; this message has 4 masculine- and 0 feminine-coded words"
    )


def test_t106_negative_balanced_other_category_or_exception(tmp_path: Path) -> None:
    balanced = "We want a driven person who leads.\nWe support and trust each other."
    assert check(tmp_path, t(balanced, category="sourcing"), "T106") == []
    assert check(tmp_path, t(MASCULINE, category="interview"), "T106") == []
    assert check(tmp_path, t("A confidential chat.", category="sourcing"), "T106") == []
    one = run_lint(tmp_path, t("We want a driven person.", category="sourcing"), "T106")
    assert [(f.column, str(f.severity)) for f in one] == [(15, "info")]


# -- T2xx: recruiting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "bad", "column", "category"),
    [
        ("T201", "Given your family commitments, we stop here.", 11, "rejection"),
        ("T201", "The role suits a younger person.", 22, "rejection"),
        ("T202", "We chose a stronger candidate.", 16, "rejection"),
        ("T202", "Other applicants were more experienced.", 5, "rejection"),
        ("T203", "We will keep your CV on file.", 13, "rejection"),
        ("T203", "We will contact you if a suitable role\ncomes up.", 13, "nurture"),
        ("T204", "You are overqualified for this role.", 13, "rejection"),
        ("T205", "We value culture fit.", 14, "sourcing"),
        ("T205", "You were not a good fit.", 14, "rejection"),
        ("T206", "This role comes with job security.", 26, "offer"),
    ],
)
def test_recruiting_phrases(
    tmp_path: Path, code: str, bad: str, column: int, category: str
) -> None:
    assert check(tmp_path, t(bad, category=category), code) == [(T, 10, column, code)]


@pytest.mark.parametrize(
    ("code", "text", "category"),
    [
        ("T201", "If you have a disability, tell us what adjustments you need.", "interview"),
        ("T201", "Thank you for your time and interest.", "rejection"),
        ("T201", "Acme hires regardless of race, religion or gender.", "rejection"),
        ("T202", "We have decided to move forward with other candidates for this role.",
         "rejection"),
        ("T202", "You are a stronger candidate than you think.", "sourcing"),
        ("T203", "You are welcome to apply again.", "rejection"),
        ("T204", "You are qualified for this role.", "rejection"),
        ("T205", "You are not a good fit.", "sourcing"),
        ("T206", "This role comes with job security.", "sourcing"),
    ],
)  # fmt: skip
def test_recruiting_phrases_negative(tmp_path: Path, code: str, text: str, category: str) -> None:
    assert check(tmp_path, t(text, category=category), code) == []


# -- T3xx: plain language -----------------------------------------------------------------


def test_t301_wordy_phrases_with_case_kept(tmp_path: Path) -> None:
    found = run_lint(tmp_path, t("In order to book, UTILIZE the link prior to Friday."), "T301")
    assert [(f.line, f.column, f.code, f.fix["replacement"]) for f in found] == [
        (10, 5, "T301", "To"),
        (10, 23, "T301", "USE"),
        (10, 40, "T301", "before"),
    ]


def test_t302_t303_jargon_and_legalese(tmp_path: Path) -> None:
    body = "Let's touch base soon.\nWe hereby confirm it."
    assert check(tmp_path, t(body), "T30") == [(T, 10, 11, "T302"), (T, 11, 8, "T303")]
    assert check(tmp_path, t("Let's talk soon. We confirm it."), "T30") == []


# -- packs: extends, disable, shared copy ------------------------------------------------------

GUIDE = "kind: styleguide\n"


def test_packs_run_only_when_extended_and_can_be_disabled(tmp_path: Path) -> None:
    files = t("Hey rockstar, in order to apply, keep your CV on file.", category="rejection")
    assert check(tmp_path, files, "T1") == [(T, 10, 9, "T101")]
    only = {**files, "styleguide.yaml": GUIDE + "extends: [recruiting]\n"}
    assert check(tmp_path, only) == [(T, 10, 38, "T203")]
    disabled = {
        **files,
        "styleguide.yaml": GUIDE
        + "extends: [inclusive, recruiting, plain-language]\n"
        + "disable: [exclusionary-jargon, T2, T301]\n",
    }
    assert check(tmp_path, disabled) == []


def test_lint_options_replace_pack_categories(tmp_path: Path) -> None:
    files = t("Given your age, we stop here.", category="interview")
    assert check(tmp_path, files, "T201") == []
    options = {"T201": {"categories": ["interview", "rejection"]}}
    assert check(tmp_path, files, "T201", options) == [(T, 10, 11, "T201")]


PARTIAL = """\
kind: partial
id: closing
channel: email
body:
  mjml: |
    <mj-text>
      We keep your CV on file. Given your age, that is best.
    </mj-text>
"""


def with_closing(category: str) -> str:
    return text_template("Hi.", category=category).replace(
        "body:\n  text: |\n    Hi.\n",
        'body:\n  mjml: |\n    <mj-section><mj-column>{% include "closing" %}'
        "</mj-column></mj-section>\n",
    )


def test_shared_copy_takes_the_categories_of_its_templates(tmp_path: Path) -> None:
    rejection = {"partials/closing.yaml": PARTIAL, T: with_closing("rejection")}
    assert check(tmp_path, rejection, "T20") == [
        ("partials/closing.yaml", 7, 10, "T203"),
        ("partials/closing.yaml", 7, 38, "T201"),
    ]
    nurture = {"partials/closing.yaml": PARTIAL, T: with_closing("nurture")}
    assert check(tmp_path, nurture, "T20") == [("partials/closing.yaml", 7, 10, "T203")]


def test_file_bodies_report_positions_in_the_file(tmp_path: Path) -> None:
    template = text_template("x").replace("  text: |\n    x\n", "  file: t.txt\n")
    files = {T: template, "templates/t.txt": "Hello.\n\nOur rockstar team.\n"}
    assert check(tmp_path, files, "T101") == [("templates/t.txt", 3, 5, "T101")]


# -- inline suppression -----------------------------------------------------------------------

SUPPRESSED = """\
kind: template
id: t
channel: email
category: interview
stage: interview
layout: email
# atscomms: disable=T101 -- quoting the candidate
subject: You called yourself a rockstar
preheader: The ninja quote  # atscomms: disable=T101 -- quoting the candidate
body:
  text: |  # atscomms: disable=T101 -- quoting the candidate
    You said: "I am a guru."
    Welcome, wizard.
text: Hello, unicorn.  # atscomms: disable=T101
"""


def test_inline_suppression_of_a_tone_rule(tmp_path: Path) -> None:
    assert check(tmp_path, {T: SUPPRESSED}) == [(T, 14, 24, "S020")]


def test_unused_suppression_is_reported(tmp_path: Path) -> None:
    files = {T: text_template("Hello.").replace(
        "subject: Hello\n", "subject: Hello  # atscomms: disable=T101 -- just in case\n"
    )}  # fmt: skip
    assert check(tmp_path, files) == [(T, 7, 17, "S021")]


# -- --fix and --diff end to end --------------------------------------------------------------

FIXABLE = """\
kind: template
id: t
channel: email
category: interview
stage: interview
layout: email
# Subject line: keep it short.
subject: "In order to meet: your \\"e-mail\\" reply"  # quoted
body:
  text: |  # the plain-text body
    Please do not hesitate to reply by e-mail.
    Find us on Linkedin.  # not a comment
"""
FIXED = """\
kind: template
id: t
channel: email
category: interview
stage: interview
layout: email
# Subject line: keep it short.
subject: "To meet: your \\"email\\" reply"  # quoted
body:
  text: |  # the plain-text body
    Feel free to reply by email.
    Find us on LinkedIn.  # not a comment
"""


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path, capsys) -> None:
    root = workspace(tmp_path, {T: FIXABLE})
    code, out, _ = _run(["lint", "-w", str(root), "--select", "T", "--diff"], capsys)
    assert (root / T).read_text(encoding="utf-8") == FIXABLE
    assert code == 0
    assert out == (
        "--- a/templates/t.yaml\n"
        "+++ b/templates/t.yaml\n"
        "@@ -5,8 +5,8 @@\n"
        " stage: interview\n"
        " layout: email\n"
        " # Subject line: keep it short.\n"
        '-subject: "In order to meet: your \\"e-mail\\" reply"  # quoted\n'
        '+subject: "To meet: your \\"email\\" reply"  # quoted\n'
        " body:\n"
        "   text: |  # the plain-text body\n"
        "-    Please do not hesitate to reply by e-mail.\n"
        "-    Find us on Linkedin.  # not a comment\n"
        "+    Feel free to reply by email.\n"
        "+    Find us on LinkedIn.  # not a comment\n"
    )


def test_fix_edits_in_place_keeps_comments_and_writes_a_backup(tmp_path: Path, capsys) -> None:
    root = workspace(tmp_path, {T: FIXABLE})
    args = ["lint", "-w", str(root), "--select", "T", "--fail-on", "warning", "--format", "json"]
    code, out, err = _run([*args, "--fix"], capsys)
    assert (root / T).read_text(encoding="utf-8") == FIXED
    assert "Fixed 5 finding(s) in 1 file(s)" in err
    assert (code, json.loads(out)["findings"]) == (0, [])
    backups = list((root / ".atscomms-cache" / "backups").glob("*/templates/t.yaml"))
    assert [b.read_text(encoding="utf-8") for b in backups] == [FIXABLE]
    code, out, _ = _run(args, capsys)
    assert (code, json.loads(out)["findings"]) == (0, [])


# -- documentation and data -------------------------------------------------------------------


def test_rules_t_lists_every_tone_rule_with_its_documentation(capsys) -> None:
    code, out, _ = _run(["rules", "T"], capsys)
    assert code == 0
    codes = [line.split()[0] for line in out.splitlines()[1:]]
    assert codes == [
        "T001", "T002", "T003", "T004", "T005", "T006", "T007",
        "T010", "T011", "T012", "T013",
        "T101", "T102", "T103", "T104", "T105", "T106",
        "T201", "T202", "T203", "T204", "T205", "T206",
        "T301", "T302", "T303",
    ]  # fmt: skip
    for code_ in codes:
        _, doc, _ = _run(["rules", code_], capsys)
        for heading in ("## What it does", "## Why", "## Example", "## Fix"):
            assert heading in doc, (code_, heading)
        assert "{pack}" not in doc and "{common}" not in doc


def test_gender_decoder_lists_ship_with_their_notice() -> None:
    import yaml

    data_dir = REPO / "atscomms" / "checks" / "tone" / "data"
    lists = yaml.safe_load((data_dir / "gender_decoder.yaml").read_text(encoding="utf-8"))
    assert (len(lists["feminine"]), len(lists["masculine"])) == (50, 52)
    assert {"driven", "compet", "lead"} <= set(lists["masculine"])
    assert {"support", "understand", "together"} <= set(lists["feminine"])
    notice = (data_dir / "LICENSE-gender-decoder.md").read_text(encoding="utf-8")
    assert "Copyright (c) 2016 lovedaybrooke" in notice and "MIT License" in notice


def test_one_compiled_guide_per_style_guide(tmp_path: Path) -> None:
    from atscomms.checks.context import LintContext
    from atscomms.checks.tone.state import ToneState

    ws, _ = build(workspace(tmp_path, {}))
    a = ToneState(LintContext(ws, None)).guide
    b = ToneState(LintContext(ws, None)).guide
    assert a is b
    assert a.lexicon("en") is b.lexicon("en")


LOCALES_GUIDE = """\
kind: styleguide
rules:
  - id: de-words
    type: existence
    locales: [de]
    tokens: [Bewerber]
  - id: everywhere
    type: existence
    locales: ["*"]
    tokens: [recruiter]
"""


def test_style_rule_locales(tmp_path: Path) -> None:
    template = text_template("Your recruiter, not the Bewerber.") + (
        "locales:\n  de-DE:\n    body:\n      text: Ihr Recruiter und die Bewerber.\n"
    )
    files = {T: template, "styleguide.yaml": LOCALES_GUIDE}
    assert check(tmp_path, files) == [(T, 10, 10, "T001"), (T, 14, 17, "T001"), (T, 14, 35, "T001")]


def test_lexicon_overlaps_boundaries_stems_and_case() -> None:
    from atscomms.checks.tone.lexicon import Entry, Lexicon

    lex = Lexicon(
        [
            Entry("A", "in order"),
            Entry("B", "in order to"),
            Entry("C", "order*"),
            Entry("D", "(keep|hold) your (cv|resume) on file"),
            Entry("E", "HM", case=True, syntax=False),
        ]
    )
    text = "In  order to\nkeep your CV on file, HM. Ordering hm. Finorder"
    hits = sorted((h.entry.rule, h.offset, h.text) for h in lex.scan(text, text.lower()))
    assert hits == [
        ("A", 0, "In  order"),
        ("B", 0, "In  order to"),
        ("C", 4, "order"),
        ("C", 39, "Ordering"),
        ("D", 13, "keep your CV on file"),
        ("E", 35, "HM"),
    ]


FILTER_GUIDE = """\
kind: styleguide
rules:
  - id: sms-only
    type: existence
    channels: [sms]
    tokens: [asap]
  - id: subject-only
    type: existence
    scope: [subject]
    tokens: [update]
"""

SMS = """\
kind: template
id: s
channel: sms
category: interview
stage: interview
layout: sms
body:
  text: Reply asap with an update. Reply STOP to opt out.
"""


def test_style_rules_honour_channels_and_scope(tmp_path: Path) -> None:
    email = text_template("Reply asap with an update.", subject="An update")
    files = {T: email, "templates/s.yaml": SMS, "styleguide.yaml": FILTER_GUIDE}
    assert check(tmp_path, files) == [("templates/s.yaml", 8, 15, "T001"), (T, 7, 13, "T001")]
