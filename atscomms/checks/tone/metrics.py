"""Metrics over prose: exclamation marks, shouting, sentence length, reading grade."""

from __future__ import annotations

import re
from dataclasses import dataclass

from atscomms.checks.tone.text import Prose, Sentence, flesch_kincaid

_EXCLAIM = re.compile(r"[!?]*![!?]*")
_CAPS = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω]{2}")  # cheap test: two capitals in a row

#: All-caps words that are not shouting: SMS keywords, common acronyms.
ALLOWED_CAPS = [
    "STOP",
    "HELP",
    "START",
    "UNSTOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "QUIT",
    "INFO",
    "YES",
    "ASAP",
    "FAQ",
    "FAQS",
    "GDPR",
    "CCPA",
    "HIPAA",
    "EEOC",
    "OFCCP",
    "NASA",
    "NATO",
    "UNICEF",
    "HTML",
    "JSON",
    "HTTP",
    "HTTPS",
    "SMTP",
    "WCAG",
    "ISO",
    "SOC",
    "COVID",
    "NYSE",
    "NASDAQ",
    "UTC",
    "GMT",
    "CET",
    "CEST",
    "BST",
    "EST",
    "EDT",
    "PST",
    "PDT",
    "AEST",
    "AEDT",
    "IST",
    "JST",
    "MBA",
    "PHD",
    "LGBTQ",
    "LGBTQIA",
]


@dataclass(frozen=True, slots=True)
class Mark:
    """A place in the prose a metric points at."""

    offset: int
    length: int
    text: str


def exclamations(prose: Prose) -> list[Mark]:
    """Each run of exclamation marks (``!``, ``!!``, ``?!``)."""
    return [Mark(m.start(), len(m.group()), m.group()) for m in _EXCLAIM.finditer(prose.text)]


def shouting(prose: Prose, allow: set[str], min_length: int = 4) -> list[Mark]:
    """All-caps words: one of ``min_length`` letters or more, or two or more in a row.

    Words of fewer letters are taken for acronyms (HR, CV, USA); ``allow``
    lists longer ones (and SMS keywords such as STOP). Words with digits are
    codes, not words.
    """
    out: list[Mark] = []
    if not _CAPS.search(prose.text):
        return out
    run: list[tuple[int, str]] = []

    def flush() -> None:
        loud = [w for w in run if w[1] not in allow]
        if len(run) >= 2 and loud:
            start, end = run[0][0], run[-1][0] + len(run[-1][1])
            out.append(Mark(start, end - start, prose.text[start:end]))
        elif len(loud) == 1 and sum(c.isalpha() for c in loud[0][1]) >= min_length:
            out.append(Mark(loud[0][0], len(loud[0][1]), loud[0][1]))
        run.clear()

    text = prose.text
    for offset, word in prose.words:
        caps = (
            word.isupper()
            and not any(c.isdigit() for c in word)
            and sum(c.isalpha() for c in word) >= 2
        )
        if caps and run:
            gap = text[run[-1][0] + len(run[-1][1]) : offset]
            if gap.strip():
                flush()
        if caps:
            run.append((offset, word))
        elif run:
            flush()
    if run:
        flush()
    return out


@dataclass(frozen=True, slots=True)
class SentenceStats:
    count: int
    average: float
    longest: int  # words
    longest_at: int  # offset of its first word
    first_word: int  # length of that word


def sentence_stats(prose: Prose) -> SentenceStats | None:
    sentences = prose.sentences
    if not sentences:
        return None
    longest = max(sentences, key=lambda s: s.count)
    words = sum(s.count for s in sentences)
    return SentenceStats(
        len(sentences),
        words / len(sentences),
        longest.count,
        *_first(prose, longest),
    )


def grade(prose: Prose) -> float | None:
    """Flesch-Kincaid grade; None for non-English prose (syllables are English-only)."""
    if prose.language != "en":
        return None
    return flesch_kincaid(prose.text, prose.sentences)


def word_count(prose: Prose) -> int:
    return sum(s.count for s in prose.sentences)


def _first(prose: Prose, s: Sentence) -> tuple[int, int]:
    offset, word = s.first_word(prose.text)
    return offset, len(word)
