"""IR -> dialect source: Handlebars (SendGrid, Mailgun), Mustachio (Postmark) and
the token syntaxes of ATSs (Greenhouse, Lever, SmartRecruiters, Teamtailor, OpenCATS)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from atscomms.providers.dialects.align import _has_markup
from atscomms.providers.dialects.ir import (
    Each,
    If,
    Lit,
    Mark,
    Node,
    Problem,
    Var,
    derived_name,
)

#: A line holding only a block tag is removed by Handlebars and Mustache ("standalone");
#: Jinja keeps it. An empty comment before such a tag keeps the line, as Jinja does.
GUARD = "{{!}}"


@dataclass(slots=True)
class Seg:
    text: str
    block: bool = False  # an if/unless/each/section tag
    tag: bool = False
    hide: bool = False  # hidden from MJML while it runs (see dialects.align)
    at: Mark | None = None  # the construct a block tag comes from


_TAG = re.compile(r"\{\{\{?[^{}]*\}?\}\}")


def guard_standalone(text: str) -> str:
    """Insert :data:`GUARD` before every block tag that stands alone on its line."""
    parts = _TAG.split(text)
    tags = _TAG.findall(text)
    out = [parts[0]]
    for i, tag in enumerate(tags):
        before, after = parts[i], parts[i + 1]
        block = re.match(r"\{\{[#/^]|\{\{else\b", tag) is not None
        prev_ok = (i == 0 and before.strip(" \t") == "") or (
            before != "" and re.search(r"\n[ \t]*$", before) is not None
        )
        if i > 0 and before == "":
            prev_ok = False  # right after another tag
        next_ok = (after == "" and i == len(tags) - 1) or (
            re.match(r"[ \t]*(\r?\n)", after) is not None
            or (i == len(tags) - 1 and after.strip(" \t") == "")
        )
        if block and prev_ok and next_ok:
            out[-1] = out[-1] + GUARD
        out.append(tag)
        out.append(after)
    return "".join(out)


class Emitter:
    """Writes IR in one dialect; what the dialect cannot express becomes a
    :class:`Problem` (code F107, F108 for a missing ATS token) at the construct."""

    name = ""
    token_only = False

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.resource = ""
        self.hidden_at: list[Mark | None] = []  # per hidden tag of the last emit_marked

    def emit(self, tree: tuple[Node, ...], resource: str = "") -> str:
        text, _ = self.emit_marked(tree, resource, markers=False)
        return text

    def check(self, tree: tuple[Node, ...], resource: str = "") -> None:
        """Only :attr:`problems`: what :meth:`emit` would report, without the text."""
        self.resource = resource
        self.nodes(tree, [], [])

    def emit_marked(
        self, tree: tuple[Node, ...], resource: str = "", *, markers: bool = True
    ) -> tuple[str, list[str]]:
        """With ``markers``, block tags outside HTML tags become ``<!--atscomms:N-->``
        (restore with :func:`dialects.align.restore`); returns (source, hidden tags)."""
        from atscomms.providers.dialects.align import MARK

        self.resource = resource
        segs: list[Seg] = []
        self.nodes(tree, segs, [])
        out: list[str] = []
        hidden: list[str] = []
        self.hidden_at = []
        in_tag = False
        for seg in segs:
            if markers and seg.hide and not in_tag and not self.token_only:
                out.append(MARK.format(len(hidden)))
                hidden.append(seg.text)
                self.hidden_at.append(seg.at)
                continue
            out.append(seg.text)
            if markers and not seg.tag:  # inside an HTML tag after this text?
                opened, closed = seg.text.rfind("<"), seg.text.rfind(">")
                if opened != closed:  # both -1: no change
                    in_tag = opened > closed
        text = "".join(out)
        return (text if markers else guard_standalone(text)), hidden

    def nodes(self, tree: tuple[Node, ...], segs: list[Seg], stack: list[str]) -> None:
        for node in tree:
            if isinstance(node, Lit):
                segs.append(Seg(self.literal(node.text, node.at)))
            elif isinstance(node, Var):
                segs.append(Seg(self.var(node, stack), tag=True))
            elif isinstance(node, If):
                self.if_(node, segs, stack)
            else:
                self.each(node, segs, stack)

    def problem(self, message: str, at: Mark | None, code: str = "F107") -> None:
        self.problems.append(Problem.at(at, message, code, self.resource))

    def loop_filters(self, node: Var) -> None:
        """Derived fields are computed per message, not per loop item."""
        for (name, _), at in zip(node.filters, _marks(node), strict=True):
            self.problem(f"{self.name} cannot format loop items: `{_written(node)} | {name}`", at)

    def literal(self, text: str, at: Mark | None = None) -> str:
        if "{{" in text:
            self.problem(f"literal `{{{{` cannot be expressed in {self.name}", at)
        return text

    def var(self, node: Var, stack: list[str]) -> str:
        raise NotImplementedError

    def if_(self, node: If, segs: list[Seg], stack: list[str]) -> None:
        raise NotImplementedError

    def each(self, node: Each, segs: list[Seg], stack: list[str]) -> None:
        raise NotImplementedError


def _block(segs: list[Seg], text: str, hide: bool = True, at: Mark | None = None) -> None:
    segs.append(Seg(text, block=True, tag=True, hide=hide, at=at))


def _written(node: Var | If | Each) -> str:
    """The field as the template writes it (loop items by their own name)."""
    at = node.at
    return at.word if at is not None and at.kind in ("field", "if") and at.word else node.name


class Handlebars(Emitter):
    """Handlebars as SendGrid and Mailgun run it: `if`/`unless`/`each`, no custom helpers
    (so `else if` chains are nested, which every implementation understands)."""

    name = "handlebars"

    def path(self, node: Var | If, stack: list[str]) -> str:
        if node.local:
            return f"this.{node.name}" if node.name else "this"
        name = derived_name(node) if isinstance(node, Var) and node.filters else node.name
        return f"@root.{name}" if stack else name

    def var(self, node: Var, stack: list[str]) -> str:
        if node.local:
            self.loop_filters(node)
        path = self.path(node, stack)
        return f"{{{{{path}}}}}" if node.escape else f"{{{{{{{path}}}}}}}"

    def if_(self, node: If, segs: list[Seg], stack: list[str]) -> None:
        helper = "unless" if node.negate else "if"
        _block(segs, f"{{{{#{helper} {self.path(node, stack)}}}}}", at=node.at)
        self.nodes(node.body, segs, stack)
        if node.else_:
            _block(segs, "{{else}}", at=node.at)
            self.nodes(node.else_, segs, stack)
        _block(segs, f"{{{{/{helper}}}}}", at=node.at)

    def each(self, node: Each, segs: list[Seg], stack: list[str]) -> None:
        path = f"@root.{node.name}" if stack else node.name
        hide = _has_markup(node.body + node.else_)
        _block(segs, f"{{{{#each {path}}}}}", hide, node.at)
        self.nodes(node.body, segs, [*stack, node.name])
        if node.else_:
            _block(segs, "{{else}}", hide, node.at)
            self.nodes(node.else_, segs, stack)
        _block(segs, "{{/each}}", hide, node.at)


class Mustachio(Emitter):
    """Postmark's Mustachio: sections test presence, `{{#each}}` iterates, `../` reaches
    out of a section (one level per path segment of the section name)."""

    name = "mustachio"

    def prefix(self, stack: list[str]) -> str:
        return "../" * sum(len(s.split(".")) for s in stack)

    def var(self, node: Var, stack: list[str]) -> str:
        if node.local:
            self.loop_filters(node)
            path = node.name or "."
            return f"{{{{{path}}}}}" if node.escape else f"{{{{{{{path}}}}}}}"
        if stack and not node.filters and stack[-1] == node.name:
            path = "."
        else:
            name = derived_name(node) if node.filters else node.name
            path = self.prefix(stack) + name
        return f"{{{{{path}}}}}" if node.escape else f"{{{{{{{path}}}}}}}"

    def if_(self, node: If, segs: list[Seg], stack: list[str]) -> None:
        if node.local:
            what = "fallbacks" if node.origin == "default" else "conditions"
            self.problem(f"{self.name} cannot express {what} on loop items", node.at)
            self.nodes(node.body + node.else_, [], stack)  # what is inside, for its problems
            return
        path = self.prefix(stack) + node.name
        positive, negative = (node.else_, node.body) if node.negate else (node.body, node.else_)
        if positive:
            _block(segs, f"{{{{#{path}}}}}", at=node.at)
            self.nodes(positive, segs, [*stack, node.name])
            _block(segs, f"{{{{/{path}}}}}", at=node.at)
        if negative:
            _block(segs, f"{{{{^{path}}}}}", at=node.at)
            self.nodes(negative, segs, stack)
            _block(segs, f"{{{{/{path}}}}}", at=node.at)

    def each(self, node: Each, segs: list[Seg], stack: list[str]) -> None:
        path = self.prefix(stack) + node.name
        hide = _has_markup(node.body + node.else_)
        _block(segs, f"{{{{#each {path}}}}}", hide, node.at)
        self.nodes(node.body, segs, [*stack, node.name + ".item"])
        _block(segs, "{{/each}}", hide, node.at)
        if node.else_:
            _block(segs, f"{{{{^{path}}}}}", hide, node.at)
            self.nodes(node.else_, segs, stack)
            _block(segs, f"{{{{/{path}}}}}", hide, node.at)


#: ATS placeholder syntax: token -> placeholder.
TOKEN_SYNTAX: dict[str, Callable[[str], str]] = {
    "greenhouse": lambda t: f"{{{{{t}}}}}",
    "lever": lambda t: f"{{{{{t}}}}}",
    "smartrecruiters": lambda t: f"[{t}]",
    "teamtailor": lambda t: f"{{{t}}}",
    "opencats": lambda t: f"%{t}%",
}


class Tokens(Emitter):
    """Token-only ATS syntaxes: plain placeholders, no logic at all.

    Every construct inside a conditional or loop is still looked at, so that one
    compile reports every problem (not only the outermost)."""

    token_only = True

    def __init__(self, name: str, tokens: dict[str, str], known: set[str] | None = None) -> None:
        super().__init__()
        self.name = name
        self.tokens = tokens  # dotted field -> token
        self.known = known  # fields the registry declares (None: not known)

    def literal(self, text: str, at: Mark | None = None) -> str:
        return text

    def var(self, node: Var, stack: list[str]) -> str:
        for (name, _), at in zip(node.filters, _marks(node), strict=True):
            self.problem(f"{self.name} has no formatting: `{_written(node)} | {name}`", at)
        if node.local:
            return ""  # inside a loop, which is reported
        token = self.tokens.get(node.name)
        if token is None:
            if self.known is not None and node.name not in self.known:
                self.problem(
                    f"field `{node.name}` is not in the field registry, so it has no "
                    f"{self.name} token",
                    node.at,
                    "F101",
                )
            else:
                self.problem(
                    f"field `{node.name}` has no {self.name} token in the field registry",
                    node.at,
                    "F108",
                )
            return ""
        if node.filters:
            return ""
        return TOKEN_SYNTAX[self.name](token)

    def if_(self, node: If, segs: list[Seg], stack: list[str]) -> None:
        if node.origin == "default":
            self.problem(
                f"{self.name} placeholders have no fallback: `{_written(node)} | default(...)`",
                node.at,
            )
        else:
            self.problem(
                f"{self.name} cannot express conditionals (`{{% if {_written(node)} %}}`)",
                node.at,
            )
        self.nodes(node.body + node.else_, [], stack)

    def each(self, node: Each, segs: list[Seg], stack: list[str]) -> None:
        self.problem(
            f"{self.name} cannot express loops (`{{% for ... in {node.name} %}}`)", node.at
        )
        self.nodes(node.body + node.else_, [], [*stack, node.name])


def _marks(node: Var) -> tuple[Mark | None, ...]:
    return node.filter_at or (None,) * len(node.filters)


def block_tags(text: str) -> list[str]:
    """The Handlebars / Mustachio tags of a source, in order (checks MJML kept them)."""
    return re.findall(r"\{\{\{?[^{}]*\}?\}\}", text)
