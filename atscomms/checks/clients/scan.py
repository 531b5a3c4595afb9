"""One pass over a rendered (inlined) email: which caniemail features it uses and
which clients see them, plus the facts the C2xx rules need (size, ``lang``,
``<title>``, ``<style>`` sizes, images).

MSO conditional comments decide who sees what:

* ``<!--[if mso]> ... <![endif]-->`` (also ``mso | IE``, ``gte mso 9``...): only
  Outlook on Windows (Word rendering) sees the content; ``[if !mso]>`` hides it
  from everyone.
* ``<!--[if !mso]><!--> ... <!--<![endif]-->``: everyone but Outlook on Windows.

A regular expression tokenizer, not a DOM: each distinct tag and each distinct
``style`` attribute is analysed once per process (cached), so thousands of
renders of the same layout cost little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from atscomms.checks.clients import css

MSO = 1  # seen by Outlook on Windows (Word)
OTHERS = 2  # seen by every other client
ALL = MSO | OTHERS

_TOKEN = re.compile(
    r"<!--\[if\s+(?P<rcond>[^\]]*)\]><!-->"
    r"|(?P<rend><!--<!\[endif\]-->)"
    r"|<!--\[if\s+(?P<hcond>[^\]]*)\]>(?P<hbody>.*?)<!\[endif\]-->"
    r"|<!--.*?-->"
    r"|<![^>]*>"
    r"|<(?P<raw>style|script|title)\b(?P<rattrs>[^>]*)>(?P<rbody>.*?)</(?P=raw)\s*>"
    r"|<(?P<tag>[a-zA-Z][\w:-]*)(?P<attrs>[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
    re.S | re.I,
)
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")

_TAGS = {
    **{t: f"html-{t}" for t in (
        "abbr", "acronym", "address", "audio", "base", "bdi", "blockquote", "body", "code",
        "del", "dfn", "dialog", "div", "form", "hr", "img", "link", "marquee", "meter",
        "object", "p", "picture", "pre", "progress", "rp", "rt", "ruby", "select", "small",
        "span", "strike", "strong", "svg", "table", "textarea", "video", "wbr")},
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "html-h1-h6"),
    **dict.fromkeys(("ul", "ol", "dl"), "html-lists"),
    **dict.fromkeys(("map", "area"), "html-image-maps"),
    **dict.fromkeys((
        "article", "aside", "details", "figcaption", "figure", "footer", "header", "main",
        "mark", "nav", "section", "summary", "time"), "html-semantics"),
}  # fmt: skip
# Accessibility attributes (role, aria-*, lang) are left out on purpose: a client that
# ignores them is no reason to remove them, and C203/C207 ask for them.
_ATTRS = {
    **{a: f"html-{a}" for a in (
        "align", "background", "cellpadding", "cellspacing", "dir", "height", "width",
        "hidden", "target", "valign", "popover", "required")},
    "srcset": "html-srcset",
    "sizes": "html-srcset",
    "loading": "html-loading-attribute",
    "usemap": "html-image-maps",
    "inert": "css-inert-attribute",
}  # fmt: skip
_INPUTS = ("checkbox", "hidden", "radio", "reset", "submit", "text")


def tag_pattern(name: str) -> str:
    return css.ev("<" + name, r"<(?P<at>" + re.escape(name) + r")(?![\w:-])")


def attr_pattern(name: str) -> str:
    """The attribute inside an HTML tag the author wrote (not an MJML component)."""
    return css.ev(name, r"<(?!mj)[a-zA-Z][\w:-]*\b[^<>]*?\s(?P<at>" + re.escape(name) + r")\s*=")


@dataclass(slots=True)
class Scan:
    size: int = 0  # bytes, UTF-8
    features: dict[str, int] = field(default_factory=dict)  # slug -> MSO/OTHERS bits
    evidence: dict[str, set[str]] = field(default_factory=dict)  # slug -> patterns
    html_tag: bool = False
    lang: str | None = None
    title: str | None = None  # None: no <title> at all
    styles: list[int] = field(default_factory=list)  # bytes of each <style> block
    images: int = 0  # <img> seen by non-Outlook clients

    def add(self, features: tuple[css.Feature, ...], audience: int) -> None:
        for slug, evidence in features:
            self.features[slug] = self.features.get(slug, 0) | audience
            found = self.evidence.get(slug)
            if found is None:
                self.evidence[slug] = {evidence}
            else:
                found.add(evidence)


@lru_cache(maxsize=16384)
def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        out.setdefault(m.group(1).lower(), value)
    return out


@lru_cache(maxsize=16384)
def tag_features(name: str, attrs_text: str) -> tuple[css.Feature, ...]:
    """Features of one start tag: element, attributes, inline style, image format, links."""
    out: list[css.Feature] = []
    attrs = _attrs(attrs_text) if attrs_text.strip() else {}
    slug = _TAGS.get(name)
    if slug and (name != "body" or attrs):  # a bare <body> loses nothing where unsupported
        out.append((slug, tag_pattern(name)))
    for attr in attrs:
        slug = _ATTRS.get(attr)
        if slug:
            out.append((slug, attr_pattern(attr)))
        elif attr in ("amp4email", "⚡4email", "⚡"):
            out.append(("amp", css.ev("", r"amp4email|⚡")))
    kind = attrs.get("type", "").lower()
    if name == "input" and kind in _INPUTS:
        out.append((f"html-input-{kind}", tag_pattern(name)))
    elif name == "button" and kind in ("reset", "submit"):
        out.append((f"html-button-{kind}", tag_pattern(name)))
    elif name == "meta" and "color-scheme" in attrs.get("name", "").lower():
        out.append(("html-meta-color-scheme", css.ev("color-scheme", r"color-scheme")))
    elif name == "a":
        href = attrs.get("href", "").strip().lower()
        if href.startswith("#") and len(href) > 1:
            out.append(("html-anchor-links", css.ev("#", r"href\s*=\s*[\"']\s*#")))
        elif href.startswith("mailto:"):
            out.append(("html-mailto-links", css.ev("mailto:", r"mailto:")))
    if "src" in attrs and name in ("img", "source", "input"):
        out.extend(css.image_features(attrs["src"]))
    if "background" in attrs:
        out.extend(css.image_features(attrs["background"]))
    style = attrs.get("style")
    if style:
        out.extend(css.declarations(style))
    return tuple(dict.fromkeys(out))


def _condition_audience(cond: str, revealed: bool) -> int:
    negated = cond.strip().startswith("!")
    if revealed:  # non-Word clients always see it; Word if the condition holds for it
        return OTHERS if negated else ALL
    return 0 if negated else MSO


def scan(html: str) -> Scan:
    out = Scan(size=len(html.encode("utf-8")))
    seen: dict[tuple[css.Feature, ...], int] = {}  # distinct feature tuples -> audience
    _walk(html, ALL, out, seen)
    for features, audience in seen.items():
        out.add(features, audience)
    return out


_STYLE = (("html-style", tag_pattern("style")),)


def _walk(html: str, audience: int, out: Scan, seen: dict[tuple, int]) -> None:
    stack: list[int] = []
    current = audience
    for m in _TOKEN.finditer(html):
        kind = m.lastgroup  # which branch matched (a plain comment: None)
        if kind == "attrs":
            name = m.group("tag").lower()
            attrs = m.group("attrs")
            features = tag_features(name, attrs)
            if features:
                seen[features] = seen.get(features, 0) | current
            if name == "img" and current & OTHERS:
                out.images += 1
            elif name == "html":
                out.html_tag = True
                out.lang = _attrs(attrs).get("lang")
        elif kind == "rbody":
            raw = m.group("raw").lower()
            body = m.group("rbody")
            if raw == "style":
                out.styles.append(len(body.encode("utf-8")))
                for features in (_STYLE, css.stylesheet(body)):
                    seen[features] = seen.get(features, 0) | current
            elif raw == "title" and out.title is None:
                out.title = body
        elif kind == "rcond":
            stack.append(current)
            current &= _condition_audience(m.group("rcond"), True)
        elif kind == "rend":
            current = stack.pop() if stack else audience
        elif kind == "hbody":
            inner = current & _condition_audience(m.group("hcond"), False)
            if inner:
                _hidden_block(m.group("hbody"), inner, out, seen)


#: What walking an ``<!--[if mso]>`` block adds, by (content, audience): MJML writes
#: the same few dozen blocks into every email, so each is walked once per process.
_BLOCKS: dict[tuple[str, int], tuple] = {}


def _hidden_block(html: str, audience: int, out: Scan, seen: dict[tuple, int]) -> None:
    key = (html, audience)
    delta = _BLOCKS.get(key)
    if delta is None:
        sub = Scan()
        sub_seen: dict[tuple, int] = {}
        _walk(html, audience, sub, sub_seen)
        delta = (tuple(sub_seen.items()), sub.images, tuple(sub.styles), sub.html_tag,
                 sub.lang, sub.title)  # fmt: skip
        if len(_BLOCKS) >= 4096:
            _BLOCKS.clear()
        _BLOCKS[key] = delta
    features, images, styles, html_tag, lang, title = delta
    for f, bits in features:
        seen[f] = seen.get(f, 0) | bits
    out.images += images
    out.styles.extend(styles)
    if html_tag:
        out.html_tag = True
        out.lang = lang
    if title is not None and out.title is None:
        out.title = title


_CACHE: dict[str, Scan] = {}


def cached(html: str) -> Scan:
    """:func:`scan`, remembered for the last renders (rules of the pack share it)."""
    found = _CACHE.get(html)
    if found is None:
        if len(_CACHE) >= 64:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[html] = scan(html)
    return found
