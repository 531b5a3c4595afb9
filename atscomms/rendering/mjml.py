"""MJML -> HTML through mjml-python (MRML), offline and rooted in the workspace."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

#: Every tag MJML 4 defines; mjml-python passes unknown `mj-*` tags through silently.
_TAG_NAMES = """mjml mj-head mj-body mj-attributes mj-all mj-class mj-breakpoint mj-font
    mj-html-attributes mj-html-attribute mj-selector mj-preview mj-style mj-title
    mj-accordion mj-accordion-element mj-accordion-title mj-accordion-text mj-button
    mj-carousel mj-carousel-image mj-column mj-divider mj-group mj-hero mj-image
    mj-navbar mj-navbar-link mj-raw mj-section mj-social mj-social-element mj-spacer
    mj-table mj-text mj-wrapper mj-include"""
KNOWN_TAGS = frozenset(_TAG_NAMES.split())
_TAG = re.compile(r"<(mj(?:ml|-[a-zA-Z0-9-]*))\b")  # opening tags: one finding a tag
_FONT = re.compile(r"<mj-font\b[^>]*?(/>|>\s*</mj-font>)", re.S)
_ROOT = re.compile(r"<mjml(\s[^>]*)?>")


class MjmlError(Exception):
    """MJML could not be compiled; the message is MRML's."""


def unknown_tags(source: str) -> Iterator[tuple[str, int]]:
    """``(tag, offset)`` for each tag MJML does not know."""
    for m in _TAG.finditer(source):
        if m.group(1) not in KNOWN_TAGS:
            yield m.group(1), m.start(1)


def wrap(content: str) -> str:
    """A fragment becomes a document; a document stays one."""
    if _ROOT.search(content):
        return content
    return f"<mjml><mj-body>{content}</mj-body></mjml>"


def to_html(
    source: str,
    *,
    lang: str | None = None,
    include: Callable[[str], str] | None = None,
    offline: bool = True,
) -> str:
    """Compile an MJML document. ``include(path)`` resolves ``<mj-include>`` paths and
    raises to refuse one; ``offline`` drops web-font links so nothing is fetched."""
    import mjml  # mjml-python: imported when the first email is rendered

    if offline:
        source = _FONT.sub("", source)
    if lang:
        source = _ROOT.sub(
            lambda m: (
                m.group(0)
                if "lang=" in (m.group(1) or "")
                else f'<mjml lang="{lang}"' + (m.group(1) or "") + ">"
            ),
            source,
            count=1,
        )
    try:
        return mjml.mjml2html(source, fonts={}, include_loader=include)
    except ValueError as exc:
        raise MjmlError(str(exc)) from None
