"""rendering.fastparse builds exactly Jinja's parse tree (node types, fields, line
numbers, environment) or declines, on generated templates and on every body, subject
and partial of the example workspaces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import nodes

from atscomms.model.build import build
from atscomms.rendering.engine import _make_env
from atscomms.rendering.fastparse import parse
from tests.conftest import FIXTURES, REPO
from tests.test_render_direct import block

ENV = _make_env(False, "en-US")


def dump(node: Any) -> Any:
    """Everything Jinja's own tree says: type, line, fields (recursively), environment."""
    if isinstance(node, list):
        return [dump(n) for n in node]
    if not isinstance(node, nodes.Node):
        return node
    assert node.environment is ENV
    return (
        type(node).__name__,
        node.lineno,
        tuple((name, dump(value)) for name, value in node.iter_fields()),
    )


def check(source: str) -> bool:
    """Same tree as Jinja, or declined; True when the fast parser took it."""
    ours = parse(source, ENV)
    try:
        theirs = ENV.parse(source)
    except jinja2.TemplateSyntaxError:
        assert ours is None, source
        return False
    if ours is None:
        return False
    assert dump(ours) == dump(theirs), source
    return True


SPACES = st.sampled_from(["", " ", "  ", "\n", " \n  "])


@st.composite
def spaced(draw: Any) -> str:
    """Generated templates with the spacing inside tags varied (line numbers move)."""
    source = draw(block(2))
    for old in ("{{ ", " }}", "{% ", " %}", " | ", "."):
        source = source.replace(old, old.replace(" ", draw(SPACES)), 1)
    return source


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.one_of(block(2), spaced()))
def test_generated_templates(source: str) -> None:
    check(source)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="{}%#-+ab|.'\"()\n \\0", max_size=24))
def test_odd_text_is_jinjas_or_declined(text: str) -> None:
    check(text)


def _sources(root: Path) -> list[str]:
    ws, _ = build(root)
    out = []
    for resource in [*ws.templates.values(), *ws.layouts.values(), *ws.partials.values()]:
        for parts in [resource, *getattr(resource, "locales", {}).values()]:
            body = getattr(parts, "body", None)
            if body is not None and body.source is not None:
                out.append(body.source.value)
        if hasattr(resource, "parts"):
            for parts in [resource.parts, *resource.locales.values()]:
                out += [t.value for t in (parts.subject, parts.preheader, parts.text) if t]
                if parts.body is not None and parts.body.source is not None:
                    out.append(parts.body.source.value)
    return out


@pytest.mark.parametrize("root", [REPO / "examples" / "acme", FIXTURES / "bad-workspace"])
def test_every_example_source(root: Path) -> None:
    sources = _sources(root)
    taken = [check(s) for s in sources]
    assert len(sources) > 20
    assert sum(taken) > len(sources) // 2  # most take the fast path


@pytest.mark.parametrize(
    ("source", "fast"),
    [
        ("Hi {{ candidate.first_name | default('there') }},\n\nThanks", True),
        ("{% if not a.b %}x{% elif c %}\ny{% else %}z{% endif %}", True),
        ("{% for item in items %}<{{ item }}>{% else %}none{% endfor %}", True),
        ("{% include 'signature' %}\n{{ 42 }}{{ none }}", True),
        ("{{ a\n  | upper\n  | default('x') }}", True),
        ("{% if a %}x{% elif\n b.c %}y{% elif not\n\n d %}{% endif %}", True),
        ("{% for\n item in\n a\n .b %}{% include\n 'p' %}{% endfor %}", True),
        ("{{- a }}", False),  # whitespace control
        ("{# note #}{{ a }}", False),  # a comment
        ("{{ a[0] }}", False),  # subscript
        ("{{ a }}\r\n", False),  # newline normalisation
        ("{% if a %}", False),  # unclosed: Jinja reports it
        ("{{ a ", False),
        ("{{ 'a\\n' }}", False),  # escapes
    ],
)
def test_which_templates_take_the_fast_path(source: str, fast: bool) -> None:
    assert check(source) is fast
