"""T101-T106: the built-in `inclusive` pack (word lists in packs/inclusive.yaml)."""

from __future__ import annotations

from collections.abc import Iterable

from atscomms.checks.registry import register
from atscomms.checks.tone.base import PackRule, make, shown
from atscomms.checks.tone.state import Message, ToneState
from atscomms.findings import Finding, Severity

_PACK = """
    Part of the `inclusive` pack: runs when the style guide says
    `extends: [inclusive]`; turn it off with `disable: [{code}]` there (or
    `lint.ignore`). English copy only: the word lists are English, so German
    or French locales are not checked against them.
"""


def _doc(doc: str | None, code: str) -> str:
    return (doc or "").replace("{pack}", _PACK.strip().replace("{code}", code))


@register
class ExclusionaryJargon(PackRule):
    """
    ## What it does
    Reports recruiting jargon that puts people off applying: "rockstar",
    "ninja", "guru", "unicorn", "work hard, play hard"...

    {pack}

    ## Why
    Such words signal a narrow, often young and male, in-group; candidates
    outside it read them as "not for me".

    ## Example
    ```yaml
    subject: "We're hiring a Python ninja"
    ```

    ## Fix
    Name the skills and the level: "an experienced Python developer".
    """

    __doc__ = _doc(__doc__, "T101")
    code = "T101"
    name = "exclusionary-jargon"
    severity = Severity.WARNING
    message = "'%s' is exclusionary jargon"


@register
class GenderedLanguage(PackRule):
    """
    ## What it does
    Reports gendered words and forms: "guys", "manpower", "chairman",
    "he/she", "his or her"..., with a neutral alternative in the hint.

    {pack}

    ## Why
    Candidates notice who the copy assumes they are.

    ## Example
    ```yaml
    body:
      text: Hi guys, thanks for coming to our open day.
    ```

    ## Fix
    Use the neutral word the hint gives ("everyone", "staff", "they").
    """

    __doc__ = _doc(__doc__, "T102")
    code = "T102"
    name = "gendered-language"
    severity = Severity.WARNING
    message = "'%s' is gendered"


@register
class AgeBias(PackRule):
    """
    ## What it does
    Reports wording that selects by age: "young and dynamic", "young",
    "digital native", "fresh blood", "recent graduates only", "maximum 5
    years of experience"...

    {pack}

    ## Why
    Age is a protected characteristic (the ADEA in the US, the Equality Act
    in the UK, the AGG in Germany); such wording is evidence of age
    discrimination.

    ## Example
    ```yaml
    body:
      text: Join our young and dynamic team!
    ```

    ## Fix
    Describe the work and the skills, not the people: "a team that ships
    every week".
    """

    __doc__ = _doc(__doc__, "T103")
    code = "T103"
    name = "age-bias"
    severity = Severity.WARNING
    message = "'%s' suggests an age preference"


@register
class NativeSpeaker(PackRule):
    """
    ## What it does
    Reports "native speaker" requirements: "native English speaker",
    "mother tongue", "English as a first language"...

    {pack}

    ## Why
    Native-speaker requirements exclude by national origin; what the job
    needs is a level of fluency.

    ## Example
    ```yaml
    body:
      text: You are a native English speaker.
    ```

    ## Fix
    Ask for the fluency the job needs: "fluent English (C1)".
    """

    __doc__ = _doc(__doc__, "T104")
    code = "T104"
    name = "native-speaker"
    severity = Severity.WARNING
    message = "'%s' excludes by national origin"


@register
class AbleistLanguage(PackRule):
    """
    ## What it does
    Reports ableist words and phrases: "able-bodied", "crazy", "tone-deaf",
    "sanity check", "wheelchair-bound"...

    {pack}

    ## Why
    Disability is a protected characteristic, and such words tell disabled
    candidates how the team talks about them.

    ## Example
    ```yaml
    body:
      text: We have a crazy amount of growth ahead.
    ```

    ## Fix
    Use the plain word the hint suggests ("a lot of growth").
    """

    __doc__ = _doc(__doc__, "T105")
    code = "T105"
    name = "ableist-language"
    severity = Severity.WARNING
    message = "'%s' is ableist language"


@register
class MasculineCoded(PackRule):
    """
    ## What it does
    Reports masculine-coded words ("driven", "competitive", "dominant",
    "fearless"...) in messages that lean masculine-coded, in the manner of
    gender-decoder.

    A message (one locale and variant: subject, preheader, body and text)
    counts words starting with the masculine- and feminine-coded stems of
    Gaucher, Friesen & Kay (2011), as the MIT-licensed gender-decoder does
    (lists shipped in `atscomms/checks/tone/data/`, with its notice). When
    masculine-coded words outnumber feminine-coded ones by `min_difference`
    (default 1), each masculine-coded word is reported: as info, or as a
    warning when the message is strongly masculine-coded (by
    `strong_difference`, default 4, gender-decoder's threshold).
    Feminine-coded words only balance the count: the study found they did
    not put men off. By default only `sourcing` and `nurture` messages are checked,
    as they read like job adverts (option `categories`). A few words that
    merely share a stem ("confidential", "committee") are not counted.

    {pack}

    ## Why
    Job adverts with masculine-coded wording are found less appealing by
    women, who then apply less (Gaucher, Friesen & Kay, 2011).

    ## Example
    ```yaml
    category: sourcing
    body:
      text: We want a driven, competitive self-starter who leads from the front.
    ```

    ## Fix
    Replace some masculine-coded words ("motivated" for "driven", "work
    with" for "lead"), or balance them with collaborative wording.
    """

    __doc__ = _doc(__doc__, "T106")
    code = "T106"
    name = "masculine-coded"
    severity = Severity.INFO
    options = {
        "categories": ["sourcing", "nurture"],
        "min_difference": 1,
        "strong_difference": 4,
    }
    per_message = True

    def check_message(self, st: ToneState, message: Message) -> Iterable[Finding]:
        from atscomms.checks.tone.guide import pack_rules

        data = pack_rules()[self.code]
        wanted = self.wanted(None)
        found = []
        feminine = 0
        for unit in message.units:
            prose = st.prose(unit)
            if prose.language not in data.languages:
                continue
            if wanted is not None and not st.categories(unit) & wanted:
                continue
            for h in st.hits(unit, self.code):
                if h.text.lower() in data.exceptions:
                    continue
                if h.entry.extra == "feminine":
                    feminine += 1
                else:
                    found.append((unit, prose, h))
        lean = len(found) - feminine
        if not found or lean < int(self.opts["min_difference"]):
            return
        strong = lean >= int(self.opts["strong_difference"])
        for unit, prose, h in found:
            yield make(
                unit,
                self.code,
                h.offset,
                h.length,
                f"'{shown(h.text)}' is masculine-coded; this message has {len(found)} masculine- "
                f"and {feminine} feminine-coded words",
                prose=prose,
                severity=Severity.WARNING if strong else None,
                hint="Replace some masculine-coded words, or balance them with "
                "collaborative wording (gender-decoder word lists).",
            )
