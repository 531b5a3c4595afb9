"""Dialect source -> the portable Jinja subset (for `atscomms pull`).

Handles what our compilers produce and the common hand-written forms:
Handlebars ``if/unless/else/each/this/@root``, Mustachio sections, ``{{.}}`` and
``../``, and ATS tokens (through the field registry's token table). Anything
else (custom helpers, partials) is kept as a Jinja comment and reported.
"""

from __future__ import annotations

import html
import re

from atscomms.rendering.subset import FILTERS

_HB = re.compile(r"\{\{(\{)?(~)?\s*(.*?)\s*(~)?(\})?\}\}", re.S)
_NAME = re.compile(r"^(?:@root\.|(?:\.\./)+)?[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$")


def _jinja_text(text: str) -> str:
    """Literal text that must not start Jinja syntax."""
    return re.sub(r"(\{[{%#])", lambda m: '{{ "' + m.group(1) + '" }}', text)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _field(name: str, item: str | None, sections: list[str]) -> str:
    """A dialect path as a dotted Jinja name, with derived suffixes as filters."""
    name = re.sub(r"^(?:@root\.|(?:\.\./)+)", "", name)
    if name in ("this", "."):
        base = item or (sections[-1] if sections else "item")
        return base
    if name.startswith("this."):
        name = f"{item or 'item'}.{name[5:]}"
    base, *suffixes = name.split("__")
    filters = []
    for suffix in suffixes:
        fname, _, arg = suffix.partition("_")
        if fname in FILTERS:
            filters.append(f"{fname}({_quote(arg)})" if arg else fname)
    return " | ".join([base, *filters])


def from_handlebars(source: str, *, html_mode: bool = True) -> tuple[str, list[str]]:
    return _convert(source, mustachio=False, html_mode=html_mode)


def from_mustachio(source: str, *, html_mode: bool = True) -> tuple[str, list[str]]:
    return _convert(source, mustachio=True, html_mode=html_mode)


def _defaults(source: str, mustachio: bool, html_mode: bool) -> str:
    def fallback(text: str) -> str:
        return html.unescape(text) if html_mode else text

    if mustachio:
        pattern = re.compile(
            r"\{\{#\s*([\w.]+)\s*\}\}\{\{(\{?)\s*\.\s*\}?\}\}\{\{/\s*\1\s*\}\}"
            r"\{\{\^\s*\1\s*\}\}([^{}]*)\{\{/\s*\1\s*\}\}"
        )
    else:
        pattern = re.compile(
            r"(?:\{\{!\}\})?\{\{#if\s+([\w.@]+)\s*\}\}\{\{(\{?)\s*\1\s*\}?\}\}"
            r"(?:\{\{!\}\})?\{\{else\}\}([^{}]*)(?:\{\{!\}\})?\{\{/if\}\}"
        )
    return pattern.sub(
        lambda m: (
            "{{ "
            + _field(m.group(1), None, [])
            + " | default("
            + _quote(fallback(m.group(3)))
            + ") }}"
        ),
        source,
    )


def _convert(source: str, *, mustachio: bool, html_mode: bool) -> tuple[str, list[str]]:
    source = _defaults(source, mustachio, html_mode)
    out: list[str] = []
    warnings: list[str] = []
    stack: list[tuple[str, str]] = []  # (kind, name)
    items: list[str] = []
    pos = 0
    while pos < len(source):
        m = _HB.search(source, pos)
        if m is None:
            out.append(_jinja_text(source[pos:]))
            break
        out.append(_jinja_text(source[pos : m.start()]))
        pos = m.end()
        body = m.group(3)
        item = items[-1] if items else None
        sections = [n for k, n in stack if k == "section"]
        if body.startswith("!"):
            continue
        if body.startswith("#each ") or body.startswith("#each\t"):
            name = body[6:].strip()
            loop_var = "item" if not items else f"item{len(items) + 1}"
            items.append(loop_var)
            stack.append(("each", name))
            out.append(f"{{% for {loop_var} in {_field(name, item, sections)} %}}")
        elif body.startswith("#if ") or body.startswith("#unless "):
            helper, name = body[1:].split(None, 1)
            stack.append(("if", name))
            neg = "not " if helper == "unless" else ""
            out.append(f"{{% if {neg}{_field(name.strip(), item, sections)} %}}")
        elif body.startswith("else if "):
            out.append(f"{{% elif {_field(body[8:].strip(), item, sections)} %}}")
        elif body == "else":
            out.append("{% else %}")
        elif body.startswith("/"):
            kind = stack.pop()[0] if stack else "if"
            if kind == "each":
                items.pop()
            out.append("{% endfor %}" if kind == "each" else "{% endif %}")
        elif mustachio and body[:1] in "#^" and _NAME.match(body[1:].strip()):
            name = body[1:].strip()
            stack.append(("section", _field(name, item, sections)))
            neg = "not " if body[0] == "^" else ""
            out.append(f"{{% if {neg}{_field(name, item, sections)} %}}")
        elif re.match(r"^[\w.]+ \| ", body):  # a `default` we converted above
            out.append("{{ " + body + " }}")
        elif _NAME.match(body) or body in ("this", "."):
            out.append("{{ " + _field(body, item, sections) + " }}")
        else:
            warnings.append(f"unsupported construct kept as a comment: {{{{{body}}}}}")
            out.append("{# unsupported: " + body.replace("#}", "# }") + " #}")
    return "".join(out), warnings


TOKEN_PATTERNS = {
    "greenhouse": re.compile(r"\{\{([^{}]+)\}\}"),
    "lever": re.compile(r"\{\{([^{}]+)\}\}"),
    "smartrecruiters": re.compile(r"\[([A-Za-z0-9_]+)\]"),
    "teamtailor": re.compile(r"\{([a-z0-9-]+)\}"),
    "opencats": re.compile(r"%([A-Z0-9_]+)%"),
}


def from_tokens(source: str, dialect: str, tokens: dict[str, str]) -> tuple[str, list[str]]:
    """``tokens``: dotted field -> token (the field registry's table for ``dialect``)."""
    reverse = {t: f for f, t in tokens.items()}
    pattern = TOKEN_PATTERNS[dialect]
    warnings: list[str] = []
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(source):
        out.append(_jinja_text(source[pos : m.start()]))
        field = reverse.get(m.group(1).strip())
        if field is None:
            warnings.append(f"unknown {dialect} token {m.group(0)} kept as text")
            out.append("{{ " + _quote(m.group(0)) + " }}")
        else:
            out.append("{{ " + field + " }}")
        pos = m.end()
    out.append(_jinja_text(source[pos:]))
    return "".join(out), warnings


def to_portable(
    source: str, dialect: str, tokens: dict[str, str], *, html_mode: bool = True
) -> tuple[str, list[str]]:
    if dialect == "handlebars":
        return from_handlebars(source, html_mode=html_mode)
    if dialect == "mustachio":
        return from_mustachio(source, html_mode=html_mode)
    return from_tokens(source, dialect, tokens)
