"""Tests for atscomms.rendering.sms (GSM 03.38 encoding and SMS segmentation)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atscomms.rendering.sms import (
    GSM7,
    GSM_BASIC,
    GSM_EXTENSION,
    UCS2,
    SmsInfo,
    analyze,
    gsm_fix,
    is_gsm,
    suggestion_for,
)

EMOJI = "\U0001f600"  # 😀, a surrogate pair in UTF-16
CYR = "я"  # BMP, non-GSM: forces UCS-2 at 1 unit


def _septets(s: str) -> int:
    return sum(2 if c in GSM_EXTENSION else 1 for c in s)


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


# --------------------------------------------------------------------------- alphabet


def test_gsm_alphabet_sizes() -> None:
    # 128 code points minus the ESC (0x1B) used for the extension table
    assert len(GSM_BASIC) == 127
    assert frozenset("\f^{}\\[~]|€") == GSM_EXTENSION
    assert not GSM_BASIC & GSM_EXTENSION
    assert "\x1b" not in GSM_BASIC


@pytest.mark.parametrize(
    "ch",
    list("éèùìòÇØøÅåÄÖÑÜ§¿äöñüàÉÆæßΓΔΘΛΞΠΣΦΨΩ¡£¥¤@$_\n\r"),
)
def test_accented_and_greek_gsm_characters(ch: str) -> None:
    info = analyze(ch)
    assert info.encoding == GSM7
    assert info.units == 1
    assert info.non_gsm == []


@pytest.mark.parametrize("ch", list("áíóúçÁÍÓÚâêîôûãõ`") + ["\t", "\x1b", "α", "Α"])
def test_characters_not_in_gsm(ch: str) -> None:
    info = analyze(ch)
    assert info.encoding == UCS2
    assert info.non_gsm == [ch]


@pytest.mark.parametrize("ch", sorted(GSM_EXTENSION))
def test_extension_characters_cost_two_septets(ch: str) -> None:
    info = analyze(ch)
    assert info.encoding == GSM7
    assert info.characters == 1
    assert info.units == 2
    assert info.segments == 1


def test_mixed_gsm_text_counts() -> None:
    info = analyze("Hi José, salary €50k [remote] ~ {ok}")
    assert info.encoding == GSM7
    assert info.characters == 36
    assert info.units == 36 + 6  # € [ ] ~ { } each cost one extra septet
    assert info.segments == 1
    assert info.non_gsm == []
    assert info.suggestions == {}


# --------------------------------------------------------------------------- empty text


def test_empty_text() -> None:
    info = analyze("")
    assert info == SmsInfo(
        text="",
        encoding=GSM7,
        segments=0,
        characters=0,
        units=0,
        non_gsm=[],
        suggestions={},
        segment_texts=[],
    )


# --------------------------------------------------------------------------- GSM-7 limits


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (153, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm_segment_limits(length: int, segments: int) -> None:
    info = analyze("a" * length)
    assert info.encoding == GSM7
    assert info.units == length
    assert info.characters == length
    assert info.segments == segments
    assert len(info.segment_texts) == segments


def test_gsm_multipart_segment_texts() -> None:
    info = analyze("a" * 161)
    assert [len(s) for s in info.segment_texts] == [153, 8]


def test_extension_chars_fill_single_segment() -> None:
    assert analyze("€" * 80).segments == 1  # 160 septets
    info = analyze("€" * 81)  # 162 septets -> 76 escapes (152 septets) per segment
    assert info.units == 162
    assert info.segments == 2
    assert info.segment_texts == ["€" * 76, "€" * 5]


def test_extension_char_moves_to_next_segment() -> None:
    text = "a" * 152 + "€" + "b" * 10  # 164 septets: multipart
    info = analyze(text)
    assert info.units == 164
    assert info.segment_texts == ["a" * 152, "€" + "b" * 10]
    assert info.segments == 2


def test_extension_char_at_boundary_adds_a_segment() -> None:
    # 306 septets would fit 2 * 153, but the escape pair cannot straddle segments.
    text = "a" * 152 + "€" + "b" * 152
    info = analyze(text)
    assert info.units == 306
    assert info.segment_texts == ["a" * 152, "€" + "b" * 151, "b"]
    assert info.segments == 3


def test_extension_char_ending_exactly_at_boundary() -> None:
    text = "a" * 151 + "€" + "b" * 10
    info = analyze(text)
    assert info.segment_texts == ["a" * 151 + "€", "b" * 10]


def test_extension_char_in_single_segment_boundary() -> None:
    assert analyze("a" * 158 + "€").segments == 1  # 160 septets
    info = analyze("a" * 159 + "€")  # 161 septets
    assert info.segments == 2
    assert info.segment_texts == ["a" * 153, "a" * 6 + "€"]


# --------------------------------------------------------------------------- UCS-2 limits


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_segment_limits(length: int, segments: int) -> None:
    info = analyze(CYR * length)
    assert info.encoding == UCS2
    assert info.units == length
    assert info.segments == segments


def test_ucs2_multipart_segment_texts() -> None:
    info = analyze(CYR * 71)
    assert info.segment_texts == [CYR * 67, CYR * 4]


def test_one_non_gsm_char_switches_whole_message() -> None:
    text = "a" * 69 + "’"
    info = analyze(text)
    assert info.encoding == UCS2
    assert info.units == 70
    assert info.segments == 1
    info = analyze("a" * 70 + "’")
    assert info.segments == 2
    assert [len(s) for s in info.segment_texts] == [67, 4]


def test_extension_chars_cost_one_unit_in_ucs2() -> None:
    info = analyze("€" + EMOJI)
    assert info.encoding == UCS2
    assert info.units == 3
    assert info.characters == 2


def test_emoji_counts_two_units_one_character() -> None:
    info = analyze(EMOJI)
    assert info.encoding == UCS2
    assert info.characters == 1
    assert info.units == 2
    assert info.non_gsm == [EMOJI]
    assert info.suggestions == {}
    assert analyze(EMOJI * 35).segments == 1  # 70 units
    assert analyze(EMOJI * 36).segments == 2  # 72 units -> 33 emoji (66 units) per part


def test_surrogate_pair_moves_to_next_segment() -> None:
    text = CYR * 66 + EMOJI + CYR * 10  # 78 units: multipart
    info = analyze(text)
    assert info.units == 78
    assert info.segment_texts == [CYR * 66, EMOJI + CYR * 10]
    assert info.segments == 2


def test_surrogate_pair_at_boundary_adds_a_segment() -> None:
    text = CYR * 66 + EMOJI + CYR * 66  # 134 units, yet 3 segments
    info = analyze(text)
    assert info.units == 134
    assert info.segment_texts == [CYR * 66, EMOJI + CYR * 65, CYR]
    assert info.segments == 3


def test_surrogate_pair_ending_exactly_at_boundary() -> None:
    info = analyze(CYR * 65 + EMOJI + CYR * 10)
    assert info.segment_texts == [CYR * 65 + EMOJI, CYR * 10]


# --------------------------------------------------------------------------- non_gsm / suggestions


def test_non_gsm_and_suggestions_for_smart_punctuation() -> None:
    text = "It’s “great” – really — ok… ’“ 😀 日本"
    info = analyze(text)
    assert info.encoding == UCS2
    assert info.non_gsm == ["’", "“", "”", "–", "—", "…", EMOJI, "日", "本"]
    assert info.suggestions == {
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
    }
    assert list(info.suggestions) == info.non_gsm[:6]  # same order as non_gsm


@pytest.mark.parametrize(
    ("ch", "replacement"),
    [
        ("‘", "'"),
        ("‚", "'"),
        ("‛", "'"),
        ("„", '"'),
        ("‟", '"'),
        ("«", '"'),
        ("»", '"'),
        ("`", "'"),
        ("\u2010", "-"),
        ("\u2011", "-"),
        ("\u2212", "-"),
        ("•", "-"),
        ("\u00a0", " "),
        ("\u2002", " "),
        ("\u2009", " "),
        ("\u202f", " "),
        ("\u3000", " "),
        ("\u200b", ""),
        ("\u00ad", ""),
        ("á", "a"),
        ("í", "i"),
        ("ó", "o"),
        ("ú", "u"),
        ("ç", "c"),
        ("\u2126", "\u03a9"),  # ohm sign -> Greek capital omega (GSM)
        ("\u212b", "\u00c5"),  # angstrom sign -> Å (GSM)
        ("Ａ", "A"),  # fullwidth
        ("ﬁ", "fi"),
        ("Α", "A"),  # Greek capital alpha looks like Latin A
    ],
)
def test_suggestion_for(ch: str, replacement: str) -> None:
    assert suggestion_for(ch) == replacement
    assert analyze(ch).suggestions == {ch: replacement}


@pytest.mark.parametrize("ch", [EMOJI, "日", "я", "α", "\u200d", "\u0301", "\ud800"])
def test_no_suggestion(ch: str) -> None:
    assert suggestion_for(ch) is None
    info = analyze(ch)
    assert info.non_gsm == [ch]
    assert info.suggestions == {}


@pytest.mark.parametrize("ch", ["a", "é", "€", "\n"])
def test_no_suggestion_for_gsm(ch: str) -> None:
    assert suggestion_for(ch) is None


# --------------------------------------------------------------------------- gsm_fix


def test_gsm_fix_exact() -> None:
    text = "Hi “Ana”, it’s a – quick note — see you… • Mon\u00a09:00 ‚x„ 😀"
    assert gsm_fix(text) == 'Hi "Ana", it\'s a - quick note - see you... - Mon 9:00 \'x" 😀'


def test_gsm_fix_makes_gsm() -> None:
    text = "Thanks for applying – we’ll be in touch…"
    fixed = gsm_fix(text)
    assert fixed == "Thanks for applying - we'll be in touch..."
    assert analyze(text).encoding == UCS2
    assert analyze(fixed).encoding == GSM7


def test_gsm_fix_keeps_gsm_text() -> None:
    text = "José, Ça va? €100 [x] ß Ω\r\n"
    assert gsm_fix(text) is text


def test_gsm_fix_recomposes_decomposed_accents() -> None:
    assert gsm_fix("Jose\u0301") == "José"  # decomposed é -> GSM é
    assert gsm_fix("Mari\u0301a") == "Maria"  # decomposed í -> í -> i
    assert gsm_fix("\uff21\u030a") == "Å"  # fullwidth A + ring -> A + ring -> Å


# --------------------------------------------------------------------------- to_dict


def test_to_dict_shape() -> None:
    info = analyze("Hi “Ana”")
    assert info.to_dict() == {
        "text": "Hi “Ana”",
        "encoding": "UCS-2",
        "segments": 1,
        "characters": 8,
        "non_gsm": ["“", "”"],
    }
    assert info.to_dict()["non_gsm"] is not info.non_gsm


def test_sms_info_is_frozen() -> None:
    info = analyze("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.segments = 2  # type: ignore[misc]


# --------------------------------------------------------------------------- properties

_INTERESTING = (
    "ab €^{}\\[~]|\féÇ\n"  # GSM basic and extension
    + "’“”–—…\u00a0•"  # smart punctuation with suggestions
    + EMOJI
    + "\U0001f44d日я\u0301\u200d"  # astral, CJK, Cyrillic, combining mark, ZWJ
)
# Lengths spread around the segment boundaries.
interesting_text = st.text(alphabet=st.sampled_from(_INTERESTING), max_size=400)
gsm_text = st.text(alphabet=st.sampled_from(sorted(GSM_BASIC | GSM_EXTENSION)), max_size=400)
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)


def _check_segments(info: SmsInfo) -> None:
    text = info.text
    assert "".join(info.segment_texts) == text
    assert info.segments == len(info.segment_texts)
    assert all(info.segment_texts)
    assert info.characters == len(text)
    if info.encoding == GSM7:
        assert is_gsm(text)
        cost, single, multi = _septets, 160, 153
    else:
        assert not is_gsm(text)
        cost, single, multi = _utf16, 70, 67
    assert info.units == cost(text)
    if not text:
        assert info.segments == 0
    elif info.units <= single:
        assert info.segments == 1
    else:
        assert info.segments >= 2
        for i, seg in enumerate(info.segment_texts):
            assert cost(seg) <= multi
            if i + 1 < len(info.segment_texts):
                # greedy: the next segment's first char (an escape pair or a
                # surrogate pair at worst) did not fit in this one
                assert cost(seg) + cost(info.segment_texts[i + 1][0]) > multi


@given(interesting_text)
@settings(max_examples=300)
def test_segmentation_properties(text: str) -> None:
    _check_segments(analyze(text))


@given(gsm_text)
def test_gsm_text_is_gsm7(text: str) -> None:
    info = analyze(text)
    assert info.encoding == GSM7
    assert info.non_gsm == []
    _check_segments(info)


@given(any_text)
def test_analyze_never_raises(text: str) -> None:
    info = analyze(text)
    _check_segments(info)
    assert info.non_gsm == list(dict.fromkeys(c for c in text if not is_gsm(c)))
    assert set(info.suggestions) <= set(info.non_gsm)
    assert all(is_gsm(v) for v in info.suggestions.values())
    assert set(info.to_dict()) == {"text", "encoding", "segments", "characters", "non_gsm"}


@given(st.one_of(interesting_text, any_text))
def test_gsm_fix_properties(text: str) -> None:
    fixed = gsm_fix(text)
    assert gsm_fix(fixed) == fixed
    info = analyze(text)
    if all(c in info.suggestions for c in info.non_gsm):
        assert is_gsm(fixed)
    if is_gsm(text):
        assert fixed == text
