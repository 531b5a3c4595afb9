"""The prose of a text unit, as tone rules read it: words, sentences, syllables.

Everything here keeps offsets: ``Prose.text`` has the same length as the unit's
source, so an offset found in it is an offset in the YAML value (or body file).
Everything is computed on first use: most units only ever need the word-list scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from atscomms.checks.context import TextUnit

# Regions whose content is not read by the candidate: CSS, scripts.
_HIDDEN = re.compile(r"<(mj-style|style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_URL = re.compile(r"(?:https?://|www\.|mailto:|tel:)[^\s<>\"']+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_INLINE = (
    "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup"
    "|time|u|var|wbr"
)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z]")
# Tags that end a paragraph: every tag but inline formatting.
_BLOCK_TAG = re.compile(rf"<\s*/?\s*(?!(?:{_INLINE})\b)[A-Za-z][\w-]*[^<>]*>", re.I)
# Blank lines and list items end a paragraph in plain text.
_PARAGRAPH = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])\s)")
# End punctuation (then closing quotes or brackets), before a space or the end.
_SENTENCE_END = re.compile(r"[.!?][.!?\"'”’)\]]*(?!\S)")
# A token without a letter or digit ("-", "&") is not a word.
_NOT_WORD = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr prof st no approx a.m p.m inc ltd co dept jr sr fig".split()  # noqa: SIM905
)
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")


def blank(text: str, start: int, end: int) -> str:
    chunk = re.sub(r"[^\n]", " ", text[start:end])
    return text[:start] + chunk + text[end:]


def language(locale: str | None) -> str:
    """``en-US`` -> ``en``."""
    return (locale or "").split("-")[0].split("_")[0].lower()


def locale_matches(locale: str, wanted: list[str]) -> bool:
    """True when ``locale`` (``en-GB``) is one of ``wanted`` (``*``, ``en``, ``en-GB``)."""
    low = locale.lower()
    for w in wanted:
        w = w.lower()
        if w == "*" or w == low or low.startswith(w + "-"):
            return True
    return False


@dataclass(slots=True)
class Sentence:
    """A sentence of ``Prose.text``; words are whitespace-separated tokens with a
    letter or digit."""

    start: int
    end: int
    count: int  # words

    def first_word(self, text: str) -> tuple[int, str]:
        m = WORD.search(text, self.start, self.end)
        return (m.start(), m.group()) if m else (self.start, text[self.start : self.end].split()[0])

    def words(self, text: str) -> list[str]:
        return WORD.findall(text, self.start, self.end)


@dataclass
class Prose:
    """The readable text of one unit."""

    unit: TextUnit
    text: str  # same length as unit.source; markup, expressions, CSS and URLs blanked
    locale: str  # the unit's effective locale (default locale when unset)
    markup: bool
    language: str = ""  # "en" for "en-US"

    def __post_init__(self) -> None:
        self.language = language(self.locale)

    @classmethod
    def of(cls, unit: TextUnit, default_locale: str) -> Prose:
        text, src = unit.prose, unit.source
        first = _TAG.search(src) if "<" in src else None
        markup = first is not None and text[first.start()] == " "
        if markup and "<" in src:
            for m in _HIDDEN.finditer(src):
                text = blank(text, m.start(), m.end())
        for rx, found in ((_URL, ":" in text or "www." in text), (_EMAIL, "@" in text)):
            if found:
                for m in rx.finditer(text):
                    text = blank(text, m.start(), m.end())
        return cls(unit, text, unit.locale or default_locale, markup)

    @cached_property
    def lower(self) -> str:
        """Lower-cased, curly apostrophes straightened; same length as ``text``."""
        low = self.text.lower()
        if len(low) != len(self.text):  # a few characters lower-case to two
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
        return low.replace("’", "'")

    @cached_property
    def words(self) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in WORD.finditer(self.text)]

    def first_word(self) -> tuple[int, str] | None:
        m = WORD.search(self.text)
        return (m.start(), m.group()) if m else None

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences: split at block tags, blank lines, list items and end punctuation."""
        text = self.text
        cuts = [m.start() for m in _PARAGRAPH.finditer(text)]
        if self.markup:
            cuts += [m.start() for m in _BLOCK_TAG.finditer(self.unit.source)]
        for m in _SENTENCE_END.finditer(text):
            j = m.start()
            if text[j] == ".":  # not after "e.g" or an initial
                i = max(text.rfind(" ", 0, j), text.rfind("\n", 0, j)) + 1
                before = text[i:j].lower()
                if before in _ABBREVIATIONS or len(before) == 1:
                    continue
            cuts.append(m.end())
        cuts.sort()
        cuts.append(len(text))
        out: list[Sentence] = []
        start = 0
        for cut in cuts:
            if cut > start:
                piece = text[start:cut]
                if piece.isspace():
                    start = cut
                    continue
                count = len(piece.split())
                if count and not piece.isalnum():
                    count -= len(_NOT_WORD.findall(piece))
                if count > 0:
                    out.append(Sentence(start + len(piece) - len(piece.lstrip()), cut, count))
                start = cut
        return out


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """English syllables, by the usual vowel-group heuristic (not a dictionary)."""
    if "-" in word:
        return sum(syllables(p) for p in word.split("-") if p)
    w = word.lower().replace("’", "'").split("'")[0]
    if not w.isalpha():
        return 1
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w) or w
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def flesch_kincaid(text: str, sentences: list[Sentence]) -> float | None:
    """Flesch-Kincaid grade level of English text; None without words."""
    words = [w for s in sentences for w in s.words(text)]
    if not words:
        return None
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syl / len(words) - 15.59


def keep_case(match: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation of ``match`` (``In order to`` -> ``To``)."""
    letters = [c for c in match if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and letters[0].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def first_line(text: str, offset: int, length: int) -> int:
    """``length`` cut at the first line break after ``offset`` (spans are single-line)."""
    newline = text.find("\n", offset, offset + length)
    return length if newline < 0 else max(1, newline - offset)
