"""Safe YAML loading: every malformed input gets its specific finding, at its position."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atscomms.loading.yamlsafe import Limits, load

BOMB = (
    b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    b"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
)


def found(src: bytes, **limits) -> list[tuple[int, int, str]]:
    doc = load("t.yaml", src, Limits(**limits) if limits else Limits())
    return [(f.line, f.column, f.code) for f in doc.findings]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (b"kind: template\nid: a\n", []),
        (b"kind: template\nsubject: A\nid: x\nsubject: B\n", [(4, 1, "S002")]),
        (b"a:\n  b: 1\n  c: 2\n  b: 3\n", [(4, 3, "S002")]),
        (b"a: [1, 2\n", [(2, 1, "S001")]),
        (b'a: "open\n', [(2, 1, "S001")]),
        (BOMB, [(6, 4, "S003")]),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", [(1, 68, "S004")]),
        (b"a: " + b"[" * 200_000 + b"]" * 200_000, [(1, 68, "S004")]),
        (b"- " * 300_000 + b"x\n", [(1, 129, "S004")]),
        (b"a: 1\n" + b"#" * 2000 + b"\n", [(1, 1, "S005")]),
        (b"a: caf\xe9\n", [(1, 7, "S006")]),
        (b"PK\x03\x04\x00\x00", [(1, 5, "S007")]),
        (b"a: 1\nb: \x00\x01\n", [(2, 4, "S007")]),
        (b"a:\n\tb: 1\n", [(2, 1, "S008")]),
        (b"", [(1, 1, "S009")]),
        (b"# only a comment\n\n", [(1, 1, "S009")]),
        (b"a: 1\n---\nb: 2\n", [(2, 1, "S010")]),
        (b"a: !!python/object/apply:os.system [id]\n", [(1, 4, "S011")]),
        (b"a: !custom 1\n", [(1, 4, "S011")]),
        (b"- kind: template\n", [(1, 1, "S012")]),
        (b"just text\n", [(1, 1, "S012")]),
    ],
)
def test_findings(src: bytes, expected: list) -> None:
    limits = {"max_file_bytes": 1024} if len(src) > 1000 and b"#" in src else {}
    assert found(src, **limits) == expected


def test_utf16_is_reported_not_guessed() -> None:
    assert found("a: 1\n".encode("utf-16")) == [(1, 1, "S006")]


def test_bom_is_accepted() -> None:
    doc = load("t.yaml", b"\xef\xbb\xbfa: 1\n")
    assert doc.data == {"a": 1} and doc.findings == []


def test_data_and_positions() -> None:
    src = b"kind: template\nbody:\n  text: |\n    Hello world\n    Bye world\nn: [1, 2]\n"
    doc = load("t.yaml", src)
    assert doc.data == {
        "kind": "template",
        "body": {"text": "Hello world\nBye world\n"},
        "n": [1, 2],
    }
    assert (doc.span(("n", 1)).line, doc.span(("n", 1)).column) == (6, 8)
    assert (doc.key_span(("body", "text")).line, doc.key_span(("body", "text")).column) == (3, 3)
    # the second "world" inside the block scalar, at its own line and column
    span = doc.span_in_value(("body", "text"), 16, 5)
    assert (span.line, span.column, span.end_column) == (5, 9, 14)


def test_quoted_scalar_positions() -> None:
    doc = load("t.yaml", b'subject: "Hi there, rockstar"\n')
    span = doc.span_in_value(("subject",), 10, 8)
    assert (span.line, span.column) == (1, 21)


def test_keys_are_text_and_dates_stay_text() -> None:
    doc = load("t.yaml", b"no: 1\non: 2\n2026-01-01: x\nd: 2026-12-25\n")
    assert doc.data == {"no": 1, "on": 2, "2026-01-01": "x", "d": "2026-12-25"}


def test_yaml_1_2_scalars_no_norway_problem_no_sexagesimal() -> None:
    doc = load("t.yaml", b"a: no\nb: on\nc: 19:00\nd: true\ne: False\nf: 1_000\ng: 1.5\nh: 012\n")
    assert doc.data == {"a": "no", "b": "on", "c": "19:00", "d": True, "e": False,
                        "f": 1000, "g": 1.5, "h": 12}


def test_merge_keys() -> None:
    doc = load("t.yaml", b"base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n")
    assert doc.data["c"] == {"x": 1, "y": 3}
    assert doc.findings == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    doc = load("t.yaml", raw)
    for f in doc.findings:
        assert f.path == "t.yaml" and f.line >= 1 and f.column >= 1 and f.code


_yamlish = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?%@`0\\~")), max_size=200
)


@settings(max_examples=400, deadline=None)
@given(_yamlish)
def test_random_yaml_never_raises(text: str) -> None:
    doc = load("t.yaml", text.encode())
    assert doc.ok or doc.findings
    for f in doc.findings:
        assert f.line >= 1 and f.column >= 1 and f.code.startswith("S")


def test_parallel_prefetch_gives_the_same_workspace(monkeypatch) -> None:
    """A cold run parses on every core; findings and resources are those of one process."""
    import os

    from atscomms.loading import checked
    from atscomms.model.build import build
    from tests.conftest import FIXTURES

    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs two CPU cores")
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")
    for name in ("bad-workspace", "bad-foundation"):
        monkeypatch.setattr(checked, "PARALLEL_FROM", 10**9)
        ws1, r1 = build(FIXTURES / name)
        primed: list[str] = []
        real = checked.LoadCache.prime

        def prime(self, rel, *args, _real=real, _seen=primed):
            _seen.append(rel)
            return _real(self, rel, *args)

        monkeypatch.setattr(checked, "PARALLEL_FROM", 1)
        monkeypatch.setattr(checked.LoadCache, "prime", prime)
        ws2, r2 = build(FIXTURES / name)
        assert len(primed) >= 19
        assert sorted(f.pack() for f in r2.findings) == sorted(f.pack() for f in r1.findings)
        assert {k: d.data for k, d in ws2.documents.items()} == {
            k: d.data for k, d in ws1.documents.items()
        }
        assert [r.ref for r in ws2.resources()] == [r.ref for r in ws1.resources()]


_LINES = st.sampled_from(
    [
        "kind: template",
        "id: abc-1",
        "id: 'abc-1'",
        "id: abc-1  # comment",
        "id:   abc-1",
        "x: |",
        "  id: abc-1",
        "  id: other",
        "y:",
        "  - id: abc-1",
        "z: {id: abc-1}",
        "# id: abc-1",
        "---",
        "w: >",
        "   text id: abc-1",
        "id: other",
        "",
    ]
)


@given(st.lists(_LINES, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_quick_top_level_span_agrees_with_the_parser(lines: list[str], eol: str) -> None:
    """``Document.span(("id",))`` of a cached document finds a top-level id in the text
    without parsing; whenever it does, the parser agrees."""
    from atscomms.loading.document import Document

    raw = eol.join(lines).encode()
    full = load("t.yaml", raw)
    if not full.ok or not isinstance(full.data, dict):
        return
    lazy = Document(
        path="t.yaml", text=raw.decode(), data=full.data, reload=lambda: (full._values, full._keys)
    )
    quick = lazy._top_level_span("id")
    if quick is not None:
        assert quick == full.span(("id",))
    assert lazy.span(("id",)) == full.span(("id",))
