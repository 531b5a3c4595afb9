"""T010-T013: readability, long sentences, exclamation marks and shouting."""

from __future__ import annotations

from collections.abc import Iterable

from atscomms.checks.context import TextUnit
from atscomms.checks.registry import register
from atscomms.checks.tone import metrics
from atscomms.checks.tone.base import ToneRule, make, shown
from atscomms.checks.tone.state import ToneState
from atscomms.checks.tone.text import Prose
from atscomms.findings import Finding, Severity


@register
class ReadingGrade(ToneRule):
    """
    ## What it does
    Reports a body, plain-text part or SMS whose Flesch-Kincaid grade is above
    the style guide's `readability:` target for the template's category.

    Only English copy is scored: the formula and its syllable counting are
    English-specific, so other locales are skipped. Parts shorter than
    `min_words` (default 30) are skipped too: the formula means nothing on a
    few words. Syllables are counted with the usual vowel-group heuristic.
    Text in markup, template expressions, CSS and URLs is not counted;
    sentences end at `.`, `!`, `?`, block tags and blank lines.

    ## Why
    A rejection or an interview invitation should be understood at a glance,
    by every candidate, in their second language too.

    ## Example
    ```yaml
    readability:
      rejection: 9     # a rejection reading at grade 13 is reported
    ```

    ## Fix
    Shorter sentences, shorter words: "We have decided not to move forward"
    rather than "Following careful deliberation, the hiring committee
    concluded...".
    """

    code = "T010"
    name = "reading-grade"
    severity = Severity.WARNING
    options = {"min_words": 30, "parts": ["body", "text", "sms"]}

    def active(self, st: ToneState) -> bool:
        return super().active(st) and bool(st.guide.readability)

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        target = st.guide.readability.get(unit.category or "")
        if target is None or unit.part not in self.opts["parts"] or prose.language != "en":
            return
        if metrics.word_count(prose) < int(self.opts["min_words"]):
            return
        grade = metrics.grade(prose)
        first = prose.first_word()
        if grade is None or grade <= target or first is None:
            return
        offset, word = first
        yield make(
            unit,
            self.code,
            offset,
            len(word),
            f"reading grade {grade:.1f} is above the target of {target:g} "
            f"for {unit.category} messages",
            prose=prose,
            hint="Use shorter sentences and shorter words (Flesch-Kincaid grade; "
            "targets are set under `readability:` in the style guide).",
        )


@register
class LongSentence(ToneRule):
    """
    ## What it does
    Reports sentences longer than `max_words` words (default 35), in every
    locale.

    Sentences end at `.`, `!`, `?`, block tags (`<p>`, `<li>`, `<mj-text>`...),
    blank lines and list items; markup and template expressions are not
    counted. The finding points at the sentence's first word.

    ## Why
    Candidates read on phones, between other things; a 40-word sentence
    gets skimmed, and the one instruction in it missed.

    ## Example
    ```yaml
    body:
      text: >-
        Thank you for applying, and we wanted to let you know that our team,
        which reviews every application with care, will be in touch with next
        steps as soon as we have reviewed all of the applications we received.
    ```

    ## Fix
    Split the sentence; put the action the candidate must take in its own.
    """

    code = "T011"
    name = "long-sentence"
    severity = Severity.WARNING
    options = {"max_words": 35}

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        limit = int(self.opts["max_words"])
        for s in prose.sentences:
            if s.count > limit:
                offset, word = s.first_word(prose.text)
                yield make(
                    unit,
                    self.code,
                    offset,
                    len(word),
                    f"sentence of {s.count} words (more than {limit})",
                    prose=prose,
                    hint="Split it into shorter sentences.",
                )


@register
class ExclamationMarks(ToneRule):
    """
    ## What it does
    Reports repeated exclamation marks (`!!`, `?!`) anywhere, and any
    exclamation mark in the categories listed in `none_in` (default:
    `rejection`).

    Counting exclamation marks per message is the style guide's job (an
    `occurrence` rule on `!`); this rule covers what is never right. It
    applies to every locale. Layouts and partials count as the categories of
    the templates that use them.

    ## Why
    "We will not be moving forward!" reads as glee. Doubled marks read as
    shouting in any message.

    ## Example
    ```yaml
    category: rejection
    subject: "Thanks for applying!"
    ```

    ## Fix
    End the sentence with a full stop.
    """

    code = "T012"
    name = "exclamation-marks"
    severity = Severity.WARNING
    options = {"none_in": ["rejection"]}

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        if "!" not in prose.text:
            return
        none_in = set(self.opts["none_in"] or ())
        cats = st.categories(unit) & none_in
        for mark in metrics.exclamations(prose):
            if len(mark.text) > 1:
                message = f"repeated punctuation '{mark.text}'"
                hint = "Use a single mark, or a full stop."
            elif cats:
                message = f"exclamation mark in a {sorted(cats)[0]} message"
                hint = "End the sentence with a full stop."
            else:
                continue
            yield make(unit, self.code, mark.offset, mark.length, message, prose=prose, hint=hint)


@register
class Shouting(ToneRule):
    """
    ## What it does
    Reports SHOUTING: all-caps words of `min_length` letters or more (default
    4), or two or more all-caps words in a row, in every locale.

    Shorter all-caps words are taken for acronyms (HR, CV, USA); the
    `allow` option adds longer acronyms and keywords to the built-in list
    (SMS keywords such as STOP and HELP, GDPR, ASAP...). Words with digits
    are codes and never count.

    ## Why
    Capitals read as raised voice, and are harder to read.

    ## Example
    ```yaml
    subject: "URGENT: please confirm your interview"
    ```

    ## Fix
    Write the word in lower case; use bold in HTML for emphasis. Add real
    acronyms to `lint.options.T013.allow` in `atscomms.yaml`.
    """

    code = "T013"
    name = "shouting"
    severity = Severity.WARNING
    options = {"min_length": 4, "allow": []}

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        allow = {*metrics.ALLOWED_CAPS, *(str(a).upper() for a in self.opts["allow"] or ())}
        for mark in metrics.shouting(prose, allow, int(self.opts["min_length"])):
            yield make(
                unit,
                self.code,
                mark.offset,
                mark.length,
                f"'{shown(mark.text)}' is in capitals (reads as shouting)",
                prose=prose,
                hint="Write it in lower case; use bold for emphasis.",
            )
