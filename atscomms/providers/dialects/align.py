"""Make conditionals survive MJML and CSS inlining exactly as rendered text would.

MJML drops whitespace-only text that holds a line break between two elements.
Rendering first and running MJML after, as previews do, a conditional's output
merges with the text around it before MJML sees it; compiling first, MJML sees
the conditional's tags instead. To give the same bytes in every case, each
condition is widened to the nearest markup on both sides (the text around it
is copied into every branch) and its tags are hidden from MJML as HTML comments
(:data:`MARK`), so every text node MJML sees is one the renderer would produce.
Conditions inside a tag (an attribute value) are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from atscomms.providers.dialects.ir import Each, If, Lit, Node, Var, join

#: Placeholders for block tags while MJML runs: ``<!--atscomms:N-->``.
MARK = "<!--atscomms:{}-->"
MARK_RE = re.compile(r"<!--atscomms:(\d+)-->")
_MARKUP = re.compile(r"<[^<>]*>|<[^<>]*$|^[^<>]*>")
_ANGLE = re.compile(r"(<|>)")


def align(tree: tuple[Node, ...]) -> tuple[Node, ...]:
    return tuple(_align(list(tree)))


def _has_markup(nodes: tuple[Node, ...]) -> bool:
    for n in nodes:
        if isinstance(n, Lit) and ("<" in n.text or ">" in n.text):
            return True
        if isinstance(n, If | Each) and (_has_markup(n.body) or _has_markup(n.else_)):
            return True
    return False


def _pieces(seq: list[Node]) -> list[tuple[str, Node]]:
    """Split literals into markup and text; classify every item.

    kinds: ``markup`` (a tag, or anything inside one), ``text``, ``var``, ``if``,
    ``each`` (a loop over markup: a boundary) and ``loop`` (a text-only loop)."""
    out: list[tuple[str, Node]] = []
    in_tag = False
    for node in seq:
        if isinstance(node, Lit):
            for part in _ANGLE.split(node.text):
                if not part:
                    continue
                if part == "<":
                    in_tag = True
                    out.append(("markup", Lit(part, node.at)))
                elif part == ">":
                    in_tag = False
                    out.append(("markup", Lit(part, node.at)))
                else:
                    out.append(("markup" if in_tag else "text", Lit(part, node.at)))
        elif in_tag:
            out.append(("markup", node))
        elif isinstance(node, Var):
            out.append(("var", node))
        elif isinstance(node, If):
            out.append(("if", node))
        else:
            out.append(("each" if _has_markup(node.body + node.else_) else "loop", node))
    return out


def _align(seq: list[Node]) -> list[Node]:
    seq = [
        replace(n, body=align(n.body), else_=align(n.else_)) if isinstance(n, Each) else n
        for n in seq
    ]
    items = _pieces(seq)
    index = next((i for i, (kind, _) in enumerate(items) if kind == "if"), None)
    if index is None:
        return _merge([n for _, n in items])
    start = index
    while start > 0 and items[start - 1][0] in ("text", "var", "loop"):
        start -= 1
    end = index + 1
    while end < len(items) and items[end][0] in ("text", "var", "loop", "if"):
        end += 1
    node = items[index][1]
    assert isinstance(node, If)
    left = [n for _, n in items[start:index]]
    right = [n for _, n in items[index + 1 : end]]
    widened = replace(
        node,
        body=tuple(_align([*left, *node.body, *right])),
        else_=tuple(_align([*left, *node.else_, *right])),
    )
    head = _merge([n for _, n in items[:start]])
    return [*head, widened, *_align([n for _, n in items[end:]])]


def _merge(items: list[Node]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        if isinstance(item, Lit) and out and isinstance(out[-1], Lit):
            out[-1] = join(out[-1], item)
        elif not (isinstance(item, Lit) and not item.text):
            out.append(item)
    return out


def hide(source: str, tags: list[str]) -> str:
    """Replace each block tag (in order) by a numbered comment MJML keeps."""
    out, pos = [], 0
    for i, tag in enumerate(tags):
        at = source.index(tag, pos)
        out.append(source[pos:at] + MARK.format(i))
        pos = at + len(tag)
    return "".join(out) + source[pos:]


def restore(html: str, tags: list[str]) -> str:
    return MARK_RE.sub(lambda m: tags[int(m.group(1))], html)
