"""inline_css: CSS inlining with css-inline / premailer, provably offline."""

from __future__ import annotations

import logging
import re
import select
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from atscomms.rendering.inline import ENGINES, inline_css

SIMPLE = '<html><head><style>.a{color:red}</style></head><body><p class="a">Hello</p></body></html>'
RESPONSIVE = (
    "<html><head><style>.a{color:red} "
    "@media (max-width:600px){.a{color:blue !important}}</style></head>"
    '<body><p class="a">Hello</p></body></html>'
)
REMOTE = (
    '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    '<style>@import url("http://127.0.0.1:9/y.css"); @import "local.css"; .a{color:red}</style>'
    '</head><body><p class="a">Hello</p></body></html>'
)
INLINED_A = {"css-inline": '<p class="a" style="color: red;">Hello</p>', "premailer": (
    '<p class="a" style="color:red">Hello</p>'
)}  # fmt: skip


def _style_blocks(html: str) -> list[str]:
    return re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.DOTALL)


# -- network guards ------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every Python-level connection attempt fail and record it.

    Libraries swallow fetch errors (cssutils logs and carries on), so raising
    alone would not fail a test: assert that the returned list stays empty.
    """
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            # urlopen gets a Request: record its URL (file: URLs count too)
            shown = tuple(getattr(arg, "full_url", arg) for arg in args)
            attempts.append(f"{name}{shown!r}")
            raise OSError(f"network access attempted in a test: {name}{shown!r}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    yield attempts


@pytest.fixture
def loopback_listener() -> Iterator[tuple[str, Callable[[], bool]]]:
    """A listening TCP socket on 127.0.0.1 and a probe "did anyone connect?".

    css-inline does its HTTP in Rust, below Python's socket module, so the
    monkeypatches above cannot see it; the kernel's accept queue can.
    """
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def connected() -> bool:
        readable, _, _ = select.select([server], [], [], 0.2)
        return bool(readable)

    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connected
    finally:
        server.close()


def test_guard_sees_what_premailer_would_fetch(no_network: list[str]) -> None:
    # Positive control for the fixture, and the reason for the hardening:
    # plain premailer with allow_network=False still lets cssutils fetch @import.
    import premailer

    premailer.Premailer(REMOTE, allow_network=False, cache_css_parsing=False).transform()
    assert any("http://127.0.0.1:9/y.css" in attempt for attempt in no_network)
    assert any("local.css" in attempt for attempt in no_network)  # file: URL from the cwd


def test_listener_sees_a_connection(loopback_listener: tuple[str, Callable[[], bool]]) -> None:
    url, connected = loopback_listener
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1):
        assert connected()


@pytest.mark.parametrize("engine", ENGINES)
def test_remote_css_is_never_fetched(engine: str, no_network: list[str]) -> None:
    out = inline_css(REMOTE, engine)
    assert no_network == []
    assert INLINED_A[engine] in out


@pytest.mark.parametrize("engine", ENGINES)
def test_remote_css_is_never_fetched_natively(
    engine: str, loopback_listener: tuple[str, Callable[[], bool]]
) -> None:
    url, connected = loopback_listener
    html = REMOTE.replace("http://127.0.0.1:9", url)
    out = inline_css(html, engine)
    assert not connected()
    assert INLINED_A[engine] in out


# -- behaviour -----------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_class_rule_becomes_inline_style(engine: str) -> None:
    assert INLINED_A[engine] in inline_css(SIMPLE, engine)


def test_css_inline_output_exactly() -> None:
    assert inline_css(SIMPLE) == (
        '<html><head></head><body><p class="a" style="color: red;">Hello</p></body></html>'
    )


def test_media_query_survives_in_style_block_css_inline() -> None:
    out = inline_css(RESPONSIVE)
    assert '<p class="a" style="color: red;">Hello</p>' in out
    # inlined rules leave the <style>, the @media rule stays
    assert [block.strip() for block in _style_blocks(out)] == [
        "@media (max-width:600px){.a{color:blue !important}}"
    ]


def test_media_query_survives_in_style_block_premailer() -> None:
    out = inline_css(RESPONSIVE, "premailer")
    assert '<p class="a" style="color:red">Hello</p>' in out
    # premailer keeps the original <style> verbatim, !important included
    assert _style_blocks(out) == [
        ".a{color:red} @media (max-width:600px){.a{color:blue !important}}"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_links_and_imports_kept_for_the_mail_client(engine: str) -> None:
    out = inline_css(REMOTE, engine)
    assert '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">' in out
    assert '@import url("http://127.0.0.1:9/y.css");' in out


@pytest.mark.parametrize("engine", ENGINES)
def test_lowercase_doctype_kept(engine: str) -> None:
    assert inline_css("<!doctype html>" + SIMPLE, engine).lower().startswith("<!doctype html>")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("html", ["", "  \n"])
def test_blank_input_unchanged(engine: str, html: str) -> None:
    assert inline_css(html, engine) == html


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match=r"^unknown CSS inliner engine 'juice' \(expected one of: "
                       r"css-inline, premailer\)$"):  # fmt: skip
        inline_css(SIMPLE, "juice")


def test_engines() -> None:
    assert ENGINES == ("css-inline", "premailer")


def test_premailer_does_not_spam_cssutils_warnings(caplog: pytest.LogCaptureFixture) -> None:
    import cssutils

    html = (
        "<html><head><style>.a{mso-line-height-rule:exactly}</style></head><body>"
        '<img class="a" style="-ms-interpolation-mode:bicubic" alt=""></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="CSSUTILS"):
        inline_css(html, "premailer")
        assert [r for r in caplog.records if r.name == "CSSUTILS"] == []
        cssutils.parseStyle("mso-line-height-rule:exactly")  # others still get warnings
        assert [r.name for r in caplog.records] == ["CSSUTILS"]


def test_import_is_cheap() -> None:
    code = (
        "import sys, atscomms.rendering.inline; "
        "print(sorted(m for m in ('css_inline', 'premailer', 'cssutils', 'lxml') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
