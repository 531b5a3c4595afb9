"""Word and phrase lists, matched fast: one compiled scan per language.

Every word-list rule (built-in packs and the style guide's existence,
substitution, capitalization and consistency rules) contributes *entries*. A
:class:`Lexicon` merges the entries of one language into a single regular
expression: ``\\b`` + a prefix trie of the literal tokens and of the words
pattern tokens start with, run on the lower-cased prose. That scan only finds
the positions where some token may start; each position is then resolved
exactly (every literal token through the trie, the pattern tokens that can
start with that letter by their own regex, word boundaries checked), so
overlapping tokens of different rules are all reported. Hits are rare, so the
resolution costs little; the scan is one pass per unit whatever the number of
rules and tokens.

Token syntax: words or phrases; a space matches any run of whitespace;
``stem*`` matches every word starting with ``stem``; ``(a|b)`` either
alternative, ``(team |)`` an optional word. Style-guide tokens are literal
(their parentheses and asterisks mean themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_WORDCHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Entry:
    """One token of one rule."""

    rule: str  # "T203", or "style:3" for the style guide's fourth rule
    token: str  # as written in the pack or style guide
    group: int = 0  # which group of the rule (categories, hint)
    replacement: str | None = None  # swap (fix) or suggestion (hint only)
    case: bool = False  # the text must match the token's case exactly
    extra: Any = None  # rule-specific: "masculine", the consistency side...
    syntax: bool = True  # False: the token is literal text (style guide)

    @property
    def stem(self) -> bool:
        return self.syntax and self.token.endswith("*")

    @property
    def body(self) -> str:
        return self.token[:-1] if self.stem else self.token

    @property
    def pattern(self) -> bool:
        return self.syntax and "(" in self.token


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    offset: int
    length: int
    text: str  # as written in the prose


def normalize(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _atom(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def _fragment(body: str) -> str:
    """Pack token syntax -> regular expression (groups, spaces)."""
    out = []
    for part in re.split(r"(\(|\)|\||\s+)", normalize(body)):
        if part == "(":
            out.append("(?:")
        elif part in (")", "|"):
            out.append(part)
        elif part and not part.strip():
            out.append(r"\s+")
        else:
            out.append(re.escape(part))
    return "".join(out)


def _lead_keys(body: str) -> list[str] | None:
    """Literal words a pattern token starts with (its leading word, or the
    alternatives of its leading group); None when one alternative is empty."""
    body = normalize(body)
    if not body.startswith("("):
        lead = body.split("(", 1)[0].strip()
        return [lead] if lead else None
    alts = body[1 : body.index(")")].split("|") if ")" in body else []
    if not alts or any(not a.strip() or "(" in a for a in alts):
        return None
    return [a.strip() for a in alts]


def _trie_regex(keys: Iterable[str]) -> str:
    """A prefix-trie regex that matches where any key starts (stops at the shortest)."""
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        for ch in key:
            if "" in node:
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        alts = []
        for ch, sub in sorted(node.items()):
            atom = _atom(ch)
            while len(sub) == 1 and "" not in sub:
                ((nxt, sub),) = sub.items()
                atom += _atom(nxt)
            alts.append(atom + emit(sub))
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root) if root else ""


class Lexicon:
    """The entries of one language, with one compiled scan."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.literals: dict[str, list[Entry]] = {}
        self.patterns: list[tuple[Entry, re.Pattern[str]]] = []
        self.by_char: dict[str, list[tuple[Entry, re.Pattern[str]]]] = {}
        self.any_char: list[tuple[Entry, re.Pattern[str]]] = []
        self.trie: dict[str, Any] = {}
        leads: list[str] = []  # where a pattern token can start
        fragments: list[str] = []  # patterns without a literal start
        for e in entries:
            body = e.body
            if not body.strip():
                continue
            if e.pattern:
                frag = _fragment(body)
                tail = r"\w*" if e.stem else r"(?!\w)"
                item = (e, re.compile(frag + tail))
                self.patterns.append(item)
                keys = _lead_keys(body)
                if keys is None:
                    fragments.append(frag)
                    self.any_char.append(item)
                    continue
                leads += keys
                for ch in {k[0] for k in keys}:
                    self.by_char.setdefault(ch, []).append(item)
            else:
                key = normalize(body)
                self.literals.setdefault(key, []).append(e)
                node = self.trie
                for ch in key:
                    node = node.setdefault(ch, {})
                node[""] = key
        starts = [*self.literals, *leads]
        words = [k for k in starts if _WORDCHAR.match(k)]
        other = [k for k in starts if not _WORDCHAR.match(k)]
        head = "|".join(x for x in (_trie_regex(words), *fragments) if x)
        parts = [rf"\b(?=(?:{head}))"] if head else []
        if other:
            parts.append(f"(?=(?:{_trie_regex(other)}))")
        self.scan_re = re.compile("|".join(parts)) if parts else None

    def scan(self, text: str, lower: str) -> list[Hit]:
        """Every token occurrence in ``text`` (``lower`` is its lower-cased twin)."""
        if self.scan_re is None:
            return []
        hits: list[Hit] = []
        for m in self.scan_re.finditer(lower):
            pos = m.start()
            self._literals_at(text, lower, pos, hits)
            for e, rx in (*self.by_char.get(lower[pos], ()), *self.any_char):
                pm = rx.match(lower, pos)
                if pm and pm.end() > pos:
                    hits.append(Hit(e, pos, pm.end() - pos, text[pos : pm.end()]))
        return hits

    def _literals_at(self, text: str, lower: str, pos: int, hits: list[Hit]) -> None:
        node = self.trie
        i, n = pos, len(lower)
        while True:
            key = node.get("")
            if key is not None:
                self._accept(key, text, lower, pos, i, hits)
            if i >= n:
                return
            ch = lower[i]
            if ch.isspace():
                node = node.get(" ")
                if node is None:
                    return
                while i < n and lower[i].isspace():
                    i += 1
            else:
                node = node.get(ch)
                if node is None:
                    return
                i += 1

    def _accept(
        self, key: str, text: str, lower: str, start: int, end: int, hits: list[Hit]
    ) -> None:
        for e in self.literals.get(key, ()):
            stop = end
            if e.stem:
                while stop < len(lower) and (lower[stop].isalnum() or lower[stop] == "_"):
                    stop += 1
            elif (
                _WORDCHAR.match(key[-1])
                and stop < len(lower)
                and (lower[stop].isalnum() or lower[stop] == "_")
            ):
                continue
            written = text[start:stop]
            if e.case and " ".join(written.split()) != " ".join(e.body.split()):
                continue
            hits.append(Hit(e, start, stop - start, written))


def keep_longest(hits: list[Hit], text: str) -> list[Hit]:
    """One hit per stretch of text and rule: a hit inside a longer one is dropped
    (``young`` in ``young and dynamic``), overlapping ones are joined (``your
    family`` + ``family commitments``, pack tokens without a fix only)."""
    out: list[Hit] = []
    last: dict[str, int] = {}  # rule -> index in out of its latest hit
    for h in sorted(hits, key=lambda h: (h.offset, -h.length)):
        i = last.get(h.entry.rule)
        if i is not None:
            prev = out[i]
            end, prev_end = h.offset + h.length, prev.offset + prev.length
            if end <= prev_end:
                continue
            if h.offset < prev_end and prev.entry.syntax and prev.entry.extra is None:
                out[i] = Hit(prev.entry, prev.offset, end - prev.offset, text[prev.offset : end])
                continue
        last[h.entry.rule] = len(out)
        out.append(h)
    return out
