"""CSS inlining for rendered email HTML, guaranteed not to touch the network.

``inline_css`` turns ``<style>`` rules into ``style=""`` attributes so that mail
clients that ignore ``<style>`` (older Outlook, some webmail) still render the
message. Two engines are supported:

``css-inline`` (default)
    Rust-based and fast. Rules that were inlined are removed from ``<style>``;
    at-rules (``@media``, ``@font-face``, ``@import``) are kept in a ``<style>``
    block in ``<head>`` so responsive and dark-mode CSS still works. Rules that
    cannot be inlined and are not at-rules (e.g. ``a:hover``) are dropped.
    ``<link rel="stylesheet">`` tags are left in the output but never loaded.

``premailer``
    Pure Python (lxml + cssutils), much slower. The original ``<style>`` blocks
    are kept verbatim and ``!important`` is preserved, so ``@media`` overrides
    keep working. premailer's ``allow_network=False`` only covers ``<link>``
    tags: cssutils would still fetch ``@import url(...)`` (remote URLs, and
    relative ones resolved against the working directory as ``file:`` URLs).
    Every CSS parse therefore goes through a cssutils parser whose fetcher
    returns an empty stylesheet without opening anything, and premailer's
    own stylesheet loader is replaced by one that loads nothing.

Neither engine reads files or opens sockets: ``<link>`` and ``@import``
references are kept in the output for the recipient's mail client (web fonts)
but are not resolved while inlining.
"""

from __future__ import annotations

import functools
import logging
import re
from contextvars import ContextVar
from typing import Any

__all__ = ["ENGINES", "inline_css"]

ENGINES: tuple[str, ...] = ("css-inline", "premailer")

_DOCTYPE_RE = re.compile(r"\s*(<!doctype\b[^>]*>)", re.IGNORECASE)

# premailer options: no network, no files, no URL rewriting, keep the <style>
# blocks (so @media / @font-face / :hover survive) and keep !important (the
# @media overrides emitted by MJML rely on it).
_PREMAILER_OPTIONS: dict[str, Any] = {
    "base_url": None,
    "allow_network": False,
    "allow_loading_external_files": False,
    "external_styles": None,
    "disable_link_rewrites": True,
    "keep_style_tags": True,
    "strip_important": False,
    "disable_validation": True,
    "cache_css_parsing": False,
}


def inline_css(html: str, engine: str = "css-inline") -> str:
    """Return ``html`` with its ``<style>`` rules inlined into ``style`` attributes.

    Blank input is returned unchanged. Raises ``ValueError`` for an unknown engine.
    """
    if engine not in ENGINES:
        raise ValueError(
            f"unknown CSS inliner engine {engine!r} (expected one of: {', '.join(ENGINES)})"
        )
    if not html.strip():
        return html
    if engine == "css-inline":
        return str(_css_inliner().inline(html))
    return _inline_with_premailer(html)


@functools.cache
def _css_inliner() -> Any:
    import css_inline

    return css_inline.CSSInliner(
        inline_style_tags=True,
        keep_style_tags=False,
        keep_at_rules=True,
        keep_link_tags=True,
        load_remote_stylesheets=False,
        base_url=None,
    )


# cssutils logs a WARNING for every vendor property it does not know
# (mso-*, -ms-*, word-break, ...), i.e. for most email CSS. Silence its logger
# only for records emitted while *this* module runs premailer (per thread /
# task), leaving other cssutils users alone.
_QUIET_CSSUTILS: ContextVar[bool] = ContextVar("atscomms_quiet_cssutils", default=False)


class _QuietWhileInlining(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _QUIET_CSSUTILS.get()


def _refuse_fetch(url: str) -> tuple[None, str]:
    """cssutils fetcher: every ``@import`` resolves to an empty stylesheet, offline."""
    return None, ""


@functools.cache
def _offline_premailer_class() -> type[Any]:
    import cssutils
    from premailer import Premailer

    # Fail closed if a premailer upgrade renames the hooks the guard relies on.
    for hook in ("_parse_css_string", "_load_external"):
        if not callable(getattr(Premailer, hook, None)):
            raise RuntimeError(
                f"unsupported premailer version: Premailer.{hook} is missing, "
                "cannot guarantee network-free inlining"
            )

    class OfflinePremailer(Premailer):  # type: ignore[misc]
        def _parse_css_string(self, css_body: str, validate: bool = True) -> Any:
            parser = cssutils.CSSParser(fetcher=_refuse_fetch, validate=validate)
            return parser.parseString(css_body)

        def _load_external(self, url: str) -> str:
            return ""

    logging.getLogger("CSSUTILS").addFilter(_QuietWhileInlining())
    return OfflinePremailer


def _inline_with_premailer(html: str) -> str:
    premailer_cls = _offline_premailer_class()
    quiet = _QUIET_CSSUTILS.set(True)
    try:
        out = str(premailer_cls(html, **_PREMAILER_OPTIONS).transform(pretty_print=False))
    finally:
        _QUIET_CSSUTILS.reset(quiet)
    # lxml only re-emits the doctype when the input spelled it "<!DOCTYPE";
    # MJML writes "<!doctype html>", and dropping it switches clients to quirks mode.
    doctype = _DOCTYPE_RE.match(html)
    if doctype and not _DOCTYPE_RE.match(out):
        out = f"{doctype.group(1)}\n{out}"
    return out
