"""The fast forms of the email-client rules' evidence patterns find exactly what the
plain forms find: look-behinds written literal-first (:func:`css.not_after`) and
case-insensitive search done case-sensitively on lower-cased text (``Source.folds``)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from atscomms.checks.clients.css import decl_pattern, ev, not_after
from atscomms.checks.clients.sources import Source

# ASCII that matters to the patterns, and the non-ASCII letters IGNORECASE folds oddly
TEXT = st.text(alphabet="padingPADING-(_x:;= '\"\n0\u0130\u0131\u017f\u212aKkSs", max_size=40)
LITERALS = st.sampled_from(["padding", "line-height", "s", "k", "i"])


@given(text=TEXT, literal=LITERALS, chars=st.sampled_from([r"\w-", r"\w(-", r"\w#."]))
def test_literal_first_look_behind_matches_the_same(text: str, literal: str, chars: str) -> None:
    plain = re.compile(r"(?<![" + chars + "])" + re.escape(literal), re.I)
    fast = re.compile(not_after(chars, literal), re.I)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(text=TEXT, literal=LITERALS, head=st.sampled_from(["", "0", "16px"]))
def test_matching_lower_cased_text_is_matching_case_insensitively(
    text: str, literal: str, head: str
) -> None:
    evidence = decl_pattern(literal, head)
    pattern = re.compile(evidence.split("\0", 1)[1], re.I)
    expected = next(((*m.span("at"), False) for m in pattern.finditer(text)), None)
    if not all(x in text.lower() for x in evidence.split("\0", 1)[0].split("\1")):
        expected = None  # the cheap pre-check rules it out first
    assert Source(None, text).match(evidence, False) == expected  # type: ignore[arg-type]


def test_odd_letters_and_upper_case_escapes_take_the_case_insensitive_path() -> None:
    assert Source(None, "PADDING: 0").folds  # type: ignore[arg-type]
    assert not Source(None, "paddı: 0").folds  # type: ignore[arg-type]
    assert not Source(None, "\u0130 padding: 0").folds  # type: ignore[arg-type]
    src = Source(None, "a  B")  # type: ignore[arg-type]
    assert src.match(ev("b", r"a\S*\s+(?P<at>b)"), False) == (3, 4, False)


def test_conditional_blocks_walked_once_give_the_same_scan(monkeypatch) -> None:
    """`scan` remembers what each `<!--[if mso]>` block adds; every email of the example
    workspace (in every locale and variant) scans the same as walking each block."""
    from pathlib import Path

    from atscomms.checks.clients import scan
    from atscomms.model.build import build
    from atscomms.rendering.render import Renderer

    ws, _ = build(Path(__file__).resolve().parents[1] / "examples" / "acme")
    renderer = Renderer(ws)
    htmls = [
        r.html
        for t in ws.templates.values()
        for locale in ws.config.locales
        for r in [renderer.render(t, locale=locale)]
        if r.html
    ]
    assert len(htmls) > 10 and all("<!--[if mso" in h for h in htmls)
    scan._BLOCKS.clear()
    remembered = [scan.scan(h) for h in htmls + htmls]
    assert scan._BLOCKS
    monkeypatch.setattr(scan, "_hidden_block", scan._walk)
    walked = [scan.scan(h) for h in htmls + htmls]
    assert remembered == walked
