"""The direct renderer (closures over Jinja's parse tree) against Jinja's own compiled
code: same output, or the same error with the same template frames, on generated
portable-subset templates, partials and contexts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from atscomms.rendering.direct import DirectTemplate, template_frames
from atscomms.rendering.engine import Engine, fields

PARTIALS = {
    "p1": "P1[{{ a.b }}]\n",
    "p2": "{% for i in items %}<{{ i }}>{% endfor %}{% include 'p1' %}",
    "loopvar": "({{ item }})",
    "broken": "ok\n{% if %}",
    "cycle": "{% include 'cycle' %}",
    "outside": "{{ a | join(',') }}",
}


def engine() -> Engine:
    return Engine("en-US", PARTIALS.get)


def jinja_render(e: Engine, source: str, ctx: dict[str, Any], html: bool) -> str:
    env = e._envs[html]
    code = env.compile(e.parse(source))
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    return template.render(ctx)


def outcome(render: Any) -> tuple:
    try:
        return ("ok", render())
    except jinja2.TemplateSyntaxError as exc:
        return ("syntax", exc.name, exc.lineno, exc.message)
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return ("error", type(exc).__name__, str(exc), template_frames(exc))


def both(source: str, ctx: dict[str, Any], html: bool) -> tuple[tuple, tuple | None]:
    e = engine()
    direct = e._compile_direct(source, html)
    values = fields(ctx)  # the same objects for both (`a.items` renders a bound method)
    theirs = outcome(lambda: jinja_render(e, source, values, html))
    ours = None if direct is None else outcome(lambda: direct.render(values))
    return theirs, ours


# -- generated templates -------------------------------------------------------------
TEXT = st.text(alphabet="ab <>&\"'\n-", max_size=6)
NAMES = st.sampled_from(
    ["a", "a.b", "a.b.c", "a.items", "a.keys", "items", "n", "s", "d", "missing", "missing.x",
     "item", "item.b"]
)  # fmt: skip
FILTERS = st.sampled_from(
    ["", "| default('x<y')", "| default(3)", "| upper", "| lower", "| title", "| capitalize",
     "| trim", "| date('short')", "| default('') | upper"]
)  # fmt: skip
DASH = st.sampled_from(["", "-"])


@st.composite
def expression(draw: Any) -> str:
    if draw(st.integers(0, 6)) == 0:
        return draw(st.sampled_from(["'lit<&>'", "42", "none", "true"]))
    return f"{draw(NAMES)} {draw(FILTERS)}".strip()


@st.composite
def output(draw: Any) -> str:
    return "{{" + draw(DASH) + " " + draw(expression()) + " " + draw(DASH) + "}}"


def block(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(TEXT, output())
    if depth <= 0:
        return st.lists(leaf, max_size=4).map("".join)
    return st.lists(
        st.one_of(leaf, if_stmt(depth - 1), for_stmt(depth - 1), include_stmt()), max_size=4
    ).map("".join)


@st.composite
def if_stmt(draw: Any, depth: int) -> str:
    def test() -> str:
        return ("not " if draw(st.booleans()) else "") + draw(NAMES)

    out = "{%" + draw(DASH) + " if " + test() + " %}" + draw(block(depth))
    for _ in range(draw(st.integers(0, 2))):
        out += "{% elif " + test() + " %}\n" + draw(block(depth))
    if draw(st.booleans()):
        out += "{% else %}" + draw(block(depth))
    return out + "{% endif " + draw(DASH) + "%}"


@st.composite
def for_stmt(draw: Any, depth: int) -> str:
    out = "{% for item in " + draw(NAMES) + " %}" + draw(block(depth))
    if draw(st.booleans()):
        out += "{% else %}" + draw(block(depth))
    return out + "{% endfor %}\n"


def include_stmt() -> st.SearchStrategy[str]:
    names = st.sampled_from([*sorted(PARTIALS), "nowhere"])
    return names.map(lambda n: "{% include '" + n + "' %}")


SCALARS = st.one_of(
    st.text(alphabet="x<&>\"' ", max_size=5),
    st.integers(-3, 3),
    st.none(),
    st.booleans(),
    st.just(Markup("<i>ok</i>")),
    st.just(dt.date(2026, 11, 26)),
    st.just("2026-11-26T10:00:00Z"),
)
KEYS = st.sampled_from(["a", "b", "c", "items", "keys", "x"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)
CONTEXTS = st.dictionaries(st.sampled_from(["a", "items", "n", "s", "d", "item"]), VALUES)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=block(2), ctx=CONTEXTS, html=st.booleans())
def test_direct_rendering_is_jinjas(source: str, ctx: dict[str, Any], html: bool) -> None:
    theirs, ours = both(source, ctx, html)
    if ours is not None:
        assert ours == theirs


# -- exact cases ---------------------------------------------------------------------
def test_subset_templates_take_the_direct_path_and_others_do_not() -> None:
    e = engine()
    direct = [
        "Hi {{ a.b | default('there') }}!",
        "{% if not a %}x{% elif n %}y{% else %}z{% endif %}",
        "{% for item in items %}{% include 'loopvar' %}{% else %}none{% endfor %}",
        "{% include 'p2' %}",
        "{% include 'nowhere' %}{% include 'broken' %}",
    ]
    jinja = [
        "{{ a[0] }}",  # subscript: outside the subset
        "{{ a | join(',') }}",  # filter outside the subset
        "{% include 'outside' %}",  # a partial outside the subset
        "{% include 'cycle' %}",  # an include cycle
        "{% set x = 1 %}{{ x }}",
    ]
    for source in direct:
        assert isinstance(e._compile_direct(source, True), DirectTemplate), source
    for source in jinja:
        assert e._compile_direct(source, True) is None, source


@pytest.mark.parametrize(
    ("source", "ctx", "expected"),
    [
        ("a\n{% if a %}\n{{ a.b.c }}\n{% endif %}", {"a": {"x": 1}},
         ("error", "MissingValue", "no value for `a.b.c`", [("<template>", 3)])),
        ("x\n\n{% include 'nowhere' %}", {},
         ("error", "TemplateNotFound", "nowhere", [("<template>", 3)])),
        ("1\n{% include 'p1' %}", {"a": {}},
         ("error", "MissingValue", "no value for `a.b`",
          [("<template>", 2), ("<partial:p1>", 1)])),
        ("{% for item in n %}{{ item }}{% endfor %}", {"n": 3},
         ("error", "TypeError", "'int' object is not iterable", [("<template>", 1)])),
        ("{% for item in items %}{% include 'loopvar' %}{% endfor %}", {"items": ["<b>", 2]},
         ("ok", "(&lt;b&gt;)(2)")),
        ("{% include 'broken' %}", {},
         ("syntax", "broken", 2, "Expected an expression, got 'end of statement block'")),
    ],
)  # fmt: skip
def test_errors_name_the_same_place(source: str, ctx: dict, expected: tuple) -> None:
    theirs, ours = both(source, ctx, True)
    assert theirs == expected
    assert ours == expected
