"""T001, T002, T005: the style guide's word-list rules (existence, substitution,
capitalization). T003, T004, T006 and T007 live in ``style_counts``."""

from __future__ import annotations

from atscomms.checks.context import TextUnit
from atscomms.checks.registry import register
from atscomms.checks.tone.base import StyleKindRule, make, shown, swap_text
from atscomms.checks.tone.guide import StyleRule
from atscomms.checks.tone.lexicon import Hit
from atscomms.checks.tone.state import ToneState
from atscomms.checks.tone.text import Prose
from atscomms.findings import Finding, Severity

COMMON = """
    The rule's `categories`, `channels` and `scope` (parts: subject,
    preheader, body, text, sms) limit where it applies; `level` sets the
    severity; `locales` (atscomms addition: `[en]`, `[de-DE]`, `["*"]`)
    the locales. Without `locales`, word rules (existence, substitution,
    consistency) check the copy in the default locale's language only, so
    an English word list never flags German copy ("E-Mail" is correct German).
"""


def with_common(doc: str | None) -> str:
    return (doc or "").replace("{common}", COMMON.strip())


@register
class StyleExistence(StyleKindRule):
    """
    ## What it does
    Reports the words and phrases listed by the style guide's `existence` rules.

    The finding names the style-guide rule (`[no-internal-jargon] ...`) and
    `%s` in its message is the word as written. Tokens are literal words or
    phrases (not regular expressions), matched at word boundaries,
    case-insensitively unless `ignorecase: false`; a phrase may wrap across
    lines. {common}

    ## Why
    Every team has words candidates should never read: internal jargon,
    tool names, banned phrases.

    ## Example
    ```yaml
    rules:
      - id: no-internal-jargon
        type: existence
        message: "'%s' is internal jargon."
        ignorecase: false
        tokens: [req, ATS, scorecard]
    ```

    ## Fix
    Rephrase the copy, or suppress one occurrence with
    `# atscomms: disable=T001 -- reason`.
    """

    __doc__ = with_common(__doc__)
    code = "T001"
    name = "style-existence"
    severity = Severity.WARNING
    kind = "existence"
    word_list = True
    default_message = "Avoid '%s'."

    def check_hit(
        self, st: ToneState, r: StyleRule, unit: TextUnit, prose: Prose, h: Hit
    ) -> Finding | None:
        return make(
            unit,
            self.code,
            h.offset,
            h.length,
            self.text(r, h.text),
            prose=prose,
            severity=r.level,
        )


@register
class StyleSubstitution(StyleKindRule):
    """
    ## What it does
    Reports words the style guide's `substitution` rules replace, with the
    replacement as a safe fix.

    As in Vale, the first `%s` of the message is the replacement and the
    second the word as written. `--fix` replaces the word in the YAML file,
    keeping its capitalisation (`E-mail` -> `Email`); no fix is offered when
    the phrase wraps across lines or contains markup. {common}

    ## Why
    Consistent, candidate-friendly vocabulary ("candidate", not "job applicant").

    ## Example
    ```yaml
    rules:
      - id: acme-terms
        type: substitution
        message: "Use '%s' instead."
        swap: {e-mail: email, job applicant: candidate}
    ```

    ## Fix
    `atscomms lint --fix` (or `--diff` to preview).
    """

    __doc__ = with_common(__doc__)
    code = "T002"
    name = "style-substitution"
    severity = Severity.WARNING
    fixable = True
    kind = "substitution"
    word_list = True
    default_message = "Use '%s' instead of '%s'."

    def check_hit(
        self, st: ToneState, r: StyleRule, unit: TextUnit, prose: Prose, h: Hit
    ) -> Finding | None:
        new = swap_text(h, r.ignorecase)
        if " ".join(h.text.split()) == new:
            return None
        return make(
            unit,
            self.code,
            h.offset,
            h.length,
            self.text(r, new, h.text),
            prose=prose,
            severity=r.level,
            replacement=new,
            hint=f"Replace '{shown(h.text)}' with '{new}'.",
        )


@register
class StyleCapitalization(StyleKindRule):
    """
    ## What it does
    Reports words written with other capitalisation than the spelling the
    style guide's `capitalization` rule gives (`LinkedIn`, not `Linkedin`).

    Tokens are matched case-insensitively; a match that differs from the
    token is a finding, and `--fix` writes the token's spelling. `%s` in the
    message is the word as written. Without `locales`, the rule checks every
    locale (names are spelled the same in every language). {common}

    ## Why
    Brand and product names, job titles and team names written the same way
    everywhere look careful.

    ## Example
    ```yaml
    rules:
      - id: names
        type: capitalization
        message: "Write '%s' as the brand does."
        tokens: [LinkedIn, Acme Corp, JavaScript]
    ```

    ## Fix
    `atscomms lint --fix`.
    """

    __doc__ = with_common(__doc__)
    code = "T005"
    name = "style-capitalization"
    severity = Severity.WARNING
    fixable = True
    kind = "capitalization"
    word_list = True
    default_message = "Capitalise '%s' as the style guide does."

    def check_hit(
        self, st: ToneState, r: StyleRule, unit: TextUnit, prose: Prose, h: Hit
    ) -> Finding | None:
        want = " ".join(h.entry.body.split())
        if " ".join(h.text.split()) == want:
            return None
        return make(
            unit,
            self.code,
            h.offset,
            h.length,
            self.text(r, h.text),
            prose=prose,
            severity=r.level,
            replacement=want,
            hint=f"Write '{want}'.",
        )
