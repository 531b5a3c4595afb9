"""SMS analysis: encoding, segment counting and GSM-7 "smart character" fixes.

Pure and dependency-free (standard library only). The rules follow 3GPP TS 23.038
(GSM 03.38) and the usual concatenated-SMS limits:

* A message whose every character is in the GSM 7-bit default alphabet (or its
  extension table) is sent as **GSM-7**. Extension-table characters
  (``^ { } \\ [ ~ ] | €`` and form feed) are sent as ESC + char and cost 2 septets.
  One segment holds 160 septets; a multipart message holds 153 per segment (the
  rest is the concatenation header). An ESC + char pair is never split.
* Anything else forces **UCS-2** (really UTF-16) for the whole message: 70 code units
  in one segment, 67 per segment when multipart. A surrogate pair (e.g. an emoji)
  counts 2 units and is never split.

Segments are packed greedily, so ``segments`` can exceed ``ceil(units / 153)`` when an
extension character or a surrogate pair had to move to the next segment.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "GSM7",
    "GSM_BASIC",
    "GSM_EXTENSION",
    "GSM_MULTI_SEGMENT_SEPTETS",
    "GSM_SINGLE_SEGMENT_SEPTETS",
    "UCS2",
    "UCS2_MULTI_SEGMENT_UNITS",
    "UCS2_SINGLE_SEGMENT_UNITS",
    "SmsInfo",
    "analyze",
    "gsm_fix",
    "is_gsm",
    "suggestion_for",
]

GSM7: Final = "GSM-7"
UCS2: Final = "UCS-2"

GSM_SINGLE_SEGMENT_SEPTETS: Final = 160
GSM_MULTI_SEGMENT_SEPTETS: Final = 153
UCS2_SINGLE_SEGMENT_UNITS: Final = 70
UCS2_MULTI_SEGMENT_UNITS: Final = 67

# GSM 03.38 default alphabet, in code order 0x00..0x7F. 0x1B is the escape to the
# extension table and is deliberately *not* a sendable character here.
_GSM_BASIC_TABLE: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
assert len(_GSM_BASIC_TABLE) == 128

#: Characters of the GSM 7-bit default alphabet (1 septet each).
GSM_BASIC: Final[frozenset[str]] = frozenset(_GSM_BASIC_TABLE) - {"\x1b"}
#: Characters of the GSM 7-bit default extension table (ESC + char: 2 septets each).
GSM_EXTENSION: Final[frozenset[str]] = frozenset("\f^{}\\[~]|€")

_GSM_ALL: Final[frozenset[str]] = GSM_BASIC | GSM_EXTENSION


def _expand(chars: str, replacement: str) -> dict[str, str]:
    return dict.fromkeys(chars, replacement)


# Explicit "smart character" replacements. Consulted before the Unicode-normalisation
# fallback in :func:`suggestion_for`; every value must itself be GSM (checked below).
_REPLACEMENTS: Final[dict[str, str]] = {
    # single quotes, apostrophes, primes, backtick, acute accent
    **_expand("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u2039\u203a`\u00b4", "'"),
    # double quotes, double primes, guillemets
    **_expand("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u02dd", '"'),
    # hyphens, dashes, minus sign
    **_expand("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    # bullets and list markers
    **_expand("\u2022\u2023\u2043\u2219\u25e6\u25cf\u25aa\u00b7", "-"),
    # unicode spaces (no-break, en/em/thin/hair, narrow no-break, ideographic...)
    **_expand(
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000\t",
        " ",
    ),
    # line / paragraph separators
    "\u2028": "\n",
    "\u2029": "\n",
    # invisible characters that only cost units (ZWJ / ZWNJ are kept: they matter
    # inside emoji sequences and some scripts)
    **_expand("\u200b\u2060\ufeff\u00ad", ""),
    "\u2026": "...",  # horizontal ellipsis
    "\u2025": "..",  # two-dot leader
    "\u2044": "/",  # fraction slash
    "\u2215": "/",  # division slash
    "\u02c6": "^",  # modifier circumflex
    "\u02dc": "~",  # small tilde
    "\u00d7": "x",  # multiplication sign
    "\u00a9": "(C)",
    "\u00ae": "(R)",
    "\u2122": "TM",
    # lower-case c-cedilla is *not* in the default alphabet (only Ç is)
    "\u00e7": "c",
    # Greek capitals that look like Latin letters are not in GSM-7 (the Latin ones are)
    "\u0391": "A",
    "\u0392": "B",
    "\u0395": "E",
    "\u0396": "Z",
    "\u0397": "H",
    "\u0399": "I",
    "\u039a": "K",
    "\u039c": "M",
    "\u039d": "N",
    "\u039f": "O",
    "\u03a1": "P",
    "\u03a4": "T",
    "\u03a5": "Y",
    "\u03a7": "X",
}
assert all(c not in _GSM_ALL for c in _REPLACEMENTS), "replacing a GSM character"
assert all(set(v) <= _GSM_ALL for v in _REPLACEMENTS.values()), "non-GSM replacement"


def is_gsm(text: str) -> bool:
    """True if *text* can be sent as GSM-7 (default alphabet + extension table)."""
    return all(ch in _GSM_ALL for ch in text)


def _suggest_uncached(ch: str) -> str | None:
    if ch in _GSM_ALL:
        return None
    explicit = _REPLACEMENTS.get(ch)
    if explicit is not None:
        return explicit
    # Compatibility forms: fullwidth letters, ligatures, ohm/angstrom signs, ...
    nfkc = unicodedata.normalize("NFKC", ch)
    if nfkc and nfkc != ch and is_gsm(nfkc):
        return nfkc
    # Accent folding: á -> a, Ā -> A, ... (only when the base letters are GSM).
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if stripped and stripped != ch:
        folded = "".join(_REPLACEMENTS.get(c, c) for c in unicodedata.normalize("NFC", stripped))
        if folded and is_gsm(folded):
            return folded
    return None


_suggestion_cache: dict[str, str | None] = {}


def suggestion_for(ch: str) -> str | None:
    """GSM-7 replacement for the single character *ch*, or ``None``.

    ``None`` is returned for characters that are already GSM and for those without a
    GSM equivalent (emoji, CJK, ...). A replacement may be longer than one character
    (``…`` -> ``...``) or empty (zero-width space, soft hyphen).
    """
    try:
        return _suggestion_cache[ch]
    except KeyError:
        pass
    result = _suggest_uncached(ch)
    if len(_suggestion_cache) < 4096:
        _suggestion_cache[ch] = result
    return result


def _clusters(text: str) -> Iterable[str]:
    """Split into base character + following combining marks (a cheap approximation
    of grapheme clusters, enough to recompose ``e`` + U+0301 into ``é``)."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield text[start:i]
            start = i


def _fix_pass(text: str) -> str:
    out: list[str] = []
    for cluster in _clusters(text):
        if len(cluster) > 1:
            composed = unicodedata.normalize("NFC", cluster)
            if is_gsm(composed):
                out.append(composed)
                continue
            cluster = composed
        for ch in cluster:
            replacement = suggestion_for(ch)
            out.append(ch if replacement is None else replacement)
    return "".join(out)


def gsm_fix(text: str) -> str:
    """Replace every non-GSM character that has a GSM equivalent (see
    :func:`suggestion_for`); characters without one (emoji, CJK...) are kept.

    Decomposed accents (``e`` + combining acute) are first recomposed, so they become
    the GSM ``é`` rather than losing the accent. GSM text is returned unchanged, and
    ``gsm_fix(gsm_fix(t)) == gsm_fix(t)``.
    """
    # A replaced base letter can combine with a following mark that was left alone
    # (fullwidth A + ring -> A + ring -> Å), hence the passes until nothing changes.
    for _ in range(8):
        if is_gsm(text):
            break
        fixed = _fix_pass(text)
        if fixed == text:
            break
        text = fixed
    return text


@dataclass(frozen=True)
class SmsInfo:
    """Result of :func:`analyze`."""

    text: str
    #: ``"GSM-7"`` or ``"UCS-2"``.
    encoding: str
    segments: int
    #: User-visible characters (Unicode code points).
    characters: int
    #: Septets for GSM-7 (extension characters count 2); UTF-16 code units for UCS-2.
    units: int
    #: Distinct characters forcing UCS-2, in order of first appearance.
    non_gsm: list[str] = field(default_factory=list)
    #: GSM replacement for each character of ``non_gsm`` that has one.
    suggestions: dict[str, str] = field(default_factory=dict)
    #: The text of each segment; ``"".join(segment_texts) == text``.
    segment_texts: list[str] = field(default_factory=list)

    @property
    def is_gsm(self) -> bool:
        return self.encoding == GSM7

    @property
    def unit_limit(self) -> int:
        """Capacity of each segment for this message (160/153 or 70/67)."""
        return _limits(self.encoding, self.units)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used in render output."""
        return {
            "text": self.text,
            "encoding": self.encoding,
            "segments": self.segments,
            "characters": self.characters,
            "non_gsm": list(self.non_gsm),
        }


def _limits(encoding: str, units: int) -> int:
    if encoding == GSM7:
        single, multi = GSM_SINGLE_SEGMENT_SEPTETS, GSM_MULTI_SEGMENT_SEPTETS
    else:
        single, multi = UCS2_SINGLE_SEGMENT_UNITS, UCS2_MULTI_SEGMENT_UNITS
    return single if units <= single else multi


def _gsm_units(ch: str) -> int:
    return 2 if ch in GSM_EXTENSION else 1


def _utf16_units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def analyze(text: str) -> SmsInfo:
    """Encoding, length and segmentation of *text* as an SMS. Never raises for a str.

    Empty text is GSM-7 with 0 segments.
    """
    non_gsm = list(dict.fromkeys(ch for ch in text if ch not in _GSM_ALL))
    if non_gsm:
        encoding, cost = UCS2, _utf16_units
    else:
        encoding, cost = GSM7, _gsm_units
    costs = [cost(ch) for ch in text]
    units = sum(costs)
    limit = _limits(encoding, units)

    segment_texts: list[str] = []
    start = used = 0
    for i, c in enumerate(costs):
        if used + c > limit:  # never split an ESC+char pair or a surrogate pair
            segment_texts.append(text[start:i])
            start, used = i, 0
        used += c
    if text:
        segment_texts.append(text[start:])

    suggestions: dict[str, str] = {}
    for ch in non_gsm:
        replacement = suggestion_for(ch)
        if replacement is not None:
            suggestions[ch] = replacement

    return SmsInfo(
        text=text,
        encoding=encoding,
        segments=len(segment_texts),
        characters=len(text),
        units=units,
        non_gsm=non_gsm,
        suggestions=suggestions,
        segment_texts=segment_texts,
    )
