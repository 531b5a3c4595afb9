"""CSS -> caniemail features, with the evidence to look for in the author's source.

Every detected feature comes as ``(slug, pattern)``: ``pattern`` is a regular
expression that finds the same construct where the author wrote it (a CSS
declaration ``width: 50%`` or an MJML attribute ``width="50%"``, an ``@media``
rule, a ``:hover`` selector...). A feature whose pattern matches nothing the
author wrote came from MJML's own output and is not reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

Feature = tuple[str, str]  # (caniemail slug, evidence: see `ev`)


def ev(literal: str, pattern: str, *more: str) -> str:
    """Evidence: lowercase literals the author's source must all contain (a cheap
    pre-check) and the regular expression that finds the construct."""
    return "\1".join(x.lower() for x in (literal, *more) if x) + "\0" + pattern


_SIDES = ("top", "right", "bottom", "left")
_ALIASES: dict[str, tuple[str, ...]] = {
    **{f"border-{s}": ("css-border",) for s in _SIDES},
    **{f"border-{s}-{p}": ("css-border",) for s in _SIDES for p in ("width", "style", "color")},
    **{f"border-{p}": ("css-border",) for p in ("width", "style", "color")},
    **{f"border-{a}-{b}-radius": ("css-border-radius",) for a in ("top", "bottom")
       for b in ("left", "right")},
    **{f"border-{a}-{b}-radius": ("css-border-radius-logical",) for a in ("start", "end")
       for b in ("start", "end")},
    **{f"border-{a}": ("css-border-inline-block",) for a in ("inline", "block")},
    **{f"border-{a}-{b}": ("css-border-inline-block-individual",) for a in ("inline", "block")
       for b in ("color", "style", "width", "start", "end")},
    **{f"border-{a}-{b}-{c}": ("css-border-inline-block-longhand",) for a in ("inline", "block")
       for b in ("start", "end") for c in ("color", "style", "width")},
    **{f"margin-{s}": ("css-margin",) for s in _SIDES},
    **{f"padding-{s}": ("css-padding",) for s in _SIDES},
    **{f"{p}-{a}": (f"css-{p}-inline-block",) for p in ("margin", "padding")
       for a in ("inline", "block")},
    **{f"{p}-block-{e}": (f"css-{p}-block-start-end",) for p in ("margin", "padding")
       for e in ("start", "end")},
    **{f"{p}-inline-{e}": (f"css-{p}-inline-start-end",) for p in ("margin", "padding")
       for e in ("start", "end")},
    **{s: ("css-left-right-top-bottom",) for s in _SIDES},
    **{f"inset-{a}": ("css-inset",) for a in ("block", "inline", "block-start", "block-end",
                                               "inline-start", "inline-end")},
    "row-gap": ("css-gap",),
    "column-gap": ("css-gap", "css-column-layout-properties"),
    **{f"grid-template-{p}": ("css-grid-template",) for p in ("areas", "columns", "rows")},
    "column-count": ("css-column-count", "css-column-layout-properties"),
    **{p: ("css-column-layout-properties",) for p in (
        "columns", "column-fill", "column-rule", "column-rule-color", "column-rule-style",
        "column-rule-width", "column-span", "column-width")},
    "block-size": ("css-block-inline-size",),
    "inline-size": ("css-block-inline-size", "css-inline-size"),
    **{f"overflow-{a}": ("css-overflow",) for a in ("x", "y", "block", "inline")},
    "text-emphasis-color": ("css-text-emphasis",),
    "text-emphasis-style": ("css-text-emphasis",),
}  # fmt: skip
_PREFIXED = ("animation", "transition", "scroll-snap")

_FUNCTIONS = {
    "calc": "css-unit-calc",
    "clamp": "css-function-clamp",
    "min": "css-function-min",
    "max": "css-function-max",
    "rgb": "css-rgb",
    "rgba": "css-rgba",
    "light-dark": "css-function-light-dark",
    "lch": "css-modern-color",
    "oklch": "css-modern-color",
    "lab": "css-modern-color",
    "oklab": "css-modern-color",
    "linear-gradient": "css-linear-gradient",
    "repeating-linear-gradient": "css-linear-gradient",
    "radial-gradient": "css-radial-gradient",
    "repeating-radial-gradient": "css-radial-gradient",
    "conic-gradient": "css-conic-gradient",
    "repeating-conic-gradient": "css-conic-gradient",
    "var": "css-variables",
}
_FUNCTION = re.compile(r"(?<![\w-])(" + "|".join(sorted(_FUNCTIONS, key=len)[::-1]) + r")\(", re.I)
_UNITS = "px|em|rem|ex|ch|cm|mm|in|pt|pc|vh|vw|vmin|vmax|%"
_UNIT = re.compile(r"(?<![\w#.])-?(?:\d*\.)?\d+(" + _UNITS + r")(?![\w-])", re.I)
_KEYWORDS = {
    "initial": "css-unit-initial",
    **dict.fromkeys(
        ("system-ui", "ui-serif", "ui-sans-serif", "ui-rounded", "ui-monospace"), "css-sytem-ui"
    ),
    **dict.fromkeys(("fit-content", "min-content", "max-content"), "css-intrinsic-size"),
}
_KEYWORD = re.compile(r"(?<![\w-])(" + "|".join(_KEYWORDS) + r")(?![\w-])", re.I)
_DISPLAY = {"flex": "css-display-flex", "grid": "css-display-grid", "none": "css-display-none"}
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)
IMAGE_EXT = re.compile(
    r"\.(png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?|heic|heif|hdr|mp4)(?=$|[?#&\s\"'])", re.I
)
_EXT_SLUG = {"jpeg": "jpg", "tif": "tiff", "heic": "heif"}


def not_after(chars: str, literal: str, *, at: bool = False) -> str:
    """``literal`` where the character before it (if any) is not one of ``chars`` (a
    character-class body): ``(?<![chars])literal``, written literal first. Python's
    regex engine tries a leading look-behind at every position of the text; it jumps
    straight to a leading literal. ``at``: the literal is the ``at`` group."""
    lit = re.escape(literal)
    return ("(?P<at>" + lit + ")" if at else lit) + "(?<![" + chars + "]" + lit + ")"


def decl_pattern(prop: str, head: str = "") -> str:
    """``prop: head...`` in CSS, or ``prop="head..."`` as an MJML attribute.

    ``head`` (the value's first word) tells the author's ``display: flex`` from MJML's
    own ``display:inline-block``: a property is the author's only with their value."""
    value = r"\s*" + re.escape(head) if head else ""
    pattern = not_after(r"\w(-", prop, at=True) + r"\s*(?::|=\s*[\"'])" + value
    return ev(prop, pattern, head)


def value_head(value: str) -> str:
    """The first word of a CSS value, lower-case; ``url(...)`` -> ``url(``."""
    words = value.replace("!important", " ").lower().split()
    if not words:
        return ""
    word = words[0].strip("\"';,")
    return word.split("(", 1)[0] + "(" if "(" in word else word


@lru_cache(maxsize=16384)
def property_features(prop: str, head: str = "") -> tuple[Feature, ...]:
    if prop.startswith("--"):
        return (("css-variables", ev("--", r"--[\w-]+\s*:")),)
    if prop.startswith(("-", "mso-")):  # vendor (-webkit-, mso-...): not in caniemail
        return ()
    pattern = decl_pattern(prop, head)
    slugs = [f"css-{prop}", *_ALIASES.get(prop, ())]
    slugs += [f"css-{p}" for p in _PREFIXED if prop.startswith(p + "-")]
    return tuple((slug, pattern) for slug in slugs)


def image_features(url: str) -> tuple[Feature, ...]:
    if url.lstrip().lower().startswith("data:image/"):
        return (("image-base64", ev("data:image/", r"data:image/")),)
    m = IMAGE_EXT.search(url)
    if m is None:
        return ()
    ext = m.group(1).lower()
    return ((f"image-{_EXT_SLUG.get(ext, ext)}", ev("." + ext, r"\." + ext + r"(?![\w-])")),)


@lru_cache(maxsize=8192)
def value_features(prop: str, value: str) -> tuple[Feature, ...]:
    out: list[Feature] = []
    low = value.lower()
    if prop == "display":
        word = low.replace("!important", "").strip().removeprefix("inline-")
        slug = _DISPLAY.get(word)
        if slug:
            pattern = not_after(r"\w-", "display") + r"\s*(?::|=\s*[\"'])\s*(?:inline-)?"
            pattern += word + r"\b"
            out.append((slug, ev("display", pattern)))
    if "!" in low and re.search(r"!\s*important", low):
        out.append(("css-important", ev("important", r"!\s*important")))
    for m in _FUNCTION.finditer(low):
        name = m.group(1)
        out.append((_FUNCTIONS[name], ev(name + "(", not_after(r"\w-", name) + r"\(")))
    for m in _UNIT.finditer(low):
        unit = m.group(1)
        slug = "css-unit-percent" if unit == "%" else f"css-unit-{unit}"
        pattern = r"(?<![\w#.])-?(?:\d*\.)?\d+" + re.escape(unit) + r"(?![\w-])"
        out.append((slug, ev(unit, pattern)))
    for m in _KEYWORD.finditer(low):
        word = m.group(1)
        out.append((_KEYWORDS[word], ev(word, not_after(r"\w-", word) + r"(?![\w-])")))
    if "url(" in low:
        for m in _URL.finditer(value):
            out.extend(image_features(m.group(1)))
    return tuple(dict.fromkeys(out))


_DECL = re.compile(r"((?:[^;(\"']|\([^)]*\)|\"[^\"]*\"|'[^']*')+)")


@lru_cache(maxsize=16384)
def declarations(text: str) -> tuple[Feature, ...]:
    """Features of a declaration list (a ``style`` attribute or a rule's body)."""
    out: list[Feature] = []
    for m in _DECL.finditer(text):
        prop, sep, value = m.group(1).partition(":")
        if not sep:
            continue
        prop = prop.strip().lower()
        if not prop or not re.fullmatch(r"-?-?[a-z][a-z0-9-]*", prop):
            continue
        value = value.strip()
        out.extend(property_features(prop, value_head(value)))
        out.extend(value_features(prop, value))
    return tuple(dict.fromkeys(out))


_AT = {
    "media": "css-at-media",
    "supports": "css-at-supports",
    "font-face": "css-at-font-face",
    "import": "css-at-import",
    "keyframes": "css-at-keyframes",
    "-webkit-keyframes": "css-at-keyframes",
}
_GROUPING_AT = ("media", "supports", "document", "container", "layer", "-moz-document")
_MEDIA_FEATURES = (
    ("prefers-color-scheme", r"prefers-color-scheme", "css-at-media-prefers-color-scheme"),
    ("prefers-reduced-motion", r"prefers-reduced-motion", "css-at-media-prefers-reduced-motion"),
    ("hover", r"\(\s*(?:any-)?hover\b", "css-at-media-hover"),
    ("orientation", r"orientation", "css-at-media-orientation"),
    ("device-pixel-ratio", r"device-pixel-ratio", "css-at-media-device-pixel-ratio"),
)
_PSEUDO_ELEMENTS = ("before", "after", "first-letter", "first-line", "marker", "placeholder")
_PSEUDO = re.compile(r"(::?)([a-zA-Z][\w-]*)")


def _literal(text: str) -> str:
    """Evidence for ``text`` as written, any run of whitespace matching any other."""
    parts = text.split()
    return ev(max(parts, key=len), r"\s*".join(re.escape(part) for part in parts))


@lru_cache(maxsize=4096)
def selector_features(selectors: str) -> tuple[Feature, ...]:
    out: list[Feature] = []
    flat = re.sub(r"\([^()]*\)", "()", re.sub(r"\[[^\]]*\]", "[]", selectors))
    parts = [s.strip() for s in _split_top(selectors, ",") if s.strip()]
    if len(parts) > 1:
        out.append(("css-selector-grouping", _literal(parts[0])))
    for m in _PSEUDO.finditer(flat):
        colons, name = m.group(1), m.group(2).lower()
        if colons == "::" or name in _PSEUDO_ELEMENTS[:4]:
            slug = f"css-pseudo-element-{name}"
        else:
            slug = f"css-pseudo-class-{name}"
        out.append((slug, ev(":" + name, r"::?" + re.escape(name) + r"(?![\w-])")))
    for part in parts:
        evidence = _literal(part)
        shape = re.sub(r"\([^()]*\)", "()", re.sub(r"\[[^\]]*\]", "[]", part))
        shape = re.sub(r"::?[\w-]+(?:\(\))?", "", shape)
        shape = re.sub(r"\s*([>+~])\s*", r"\1", shape.strip())
        for sym, slug in ((">", "child"), ("+", "adjacent-sibling"), ("~", "general-sibling")):
            if sym in shape:
                out.append((f"css-selector-{slug}", evidence))
        if " " in shape:
            out.append(("css-selector-descendant", evidence))
        for compound in re.split(r"[\s>+~]+", shape):
            simple = 0
            if compound[:1].isalpha():
                out.append(("css-selector-type", evidence))
                simple += 1
            for sym, slug in (("#", "id"), (".", "class"), ("[", "attribute"), ("*", "universal")):
                count = compound.count(sym)
                if count:
                    out.append((f"css-selector-{slug}", evidence))
                    simple += count
            if simple > 1:
                out.append(("css-selector-chaining", evidence))
    return tuple(dict.fromkeys(out))


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth <= 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _close(css: str, start: int) -> int:
    """Index of the ``}`` that closes the block opened just before ``start``."""
    depth = 1
    for m in re.compile(r"[{}]").finditer(css, start):
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return m.start()
    return len(css)


@lru_cache(maxsize=1024)
def stylesheet(css: str) -> tuple[Feature, ...]:
    """Features of a ``<style>`` block: at-rules and media features, nested
    ``@media``/``@supports`` blocks walked, selectors and declarations."""
    out: list[Feature] = []
    if "/*" in css:
        out.append(("css-comments", ev("/*", r"/\*")))
        css = re.sub(r"/\*.*?\*/", " ", css, flags=re.S)
    _rules(css, out)
    return tuple(dict.fromkeys(out))


def _rules(css: str, out: list[Feature]) -> None:
    pos = 0
    for m in re.compile(r"[{};]").finditer(css):
        if m.start() < pos:
            continue
        prelude = css[pos : m.start()].strip()
        if m.group() != "{":
            if prelude.startswith("@"):
                _at_rule(prelude, out)
            pos = m.end()
            continue
        end = _close(css, m.end())
        body = css[m.end() : end]
        if prelude.startswith("@"):
            name = _at_rule(prelude, out)
            if name in _GROUPING_AT:
                _rules(body, out)
            elif name == "font-face":
                out.extend(declarations(body))
        else:
            out.extend(selector_features(prelude))
            if "{" in body:
                out.append(("css-nesting", ev("&", r"&")))
                _rules(body, out)
            else:
                out.extend(declarations(body))
        pos = end + 1


def _at_rule(prelude: str, out: list[Feature]) -> str:
    name = re.match(r"@([\w-]+)", prelude)
    word = name.group(1).lower() if name else ""
    slug = _AT.get(word)
    if slug:  # the rule as written: MJML's own `@media only screen and (...)` is not the author's
        out.append((slug, _literal(prelude)))
    if word == "media":
        for literal, pattern, feature in _MEDIA_FEATURES:
            if re.search(pattern, prelude, re.I):
                out.append((feature, ev(literal, pattern)))
    return word
