"""T301-T303: the built-in `plain-language` pack (lists in packs/plain-language.yaml)."""

from __future__ import annotations

from atscomms.checks.registry import register
from atscomms.checks.tone.base import PackRule
from atscomms.findings import Severity

_PACK = """
    Part of the `plain-language` pack: runs when the style guide says
    `extends: [plain-language]`; turn it off with `disable: [{code}]` there
    (or `lint.ignore`). English copy only.
"""


def _doc(doc: str | None, code: str) -> str:
    return (doc or "").replace("{pack}", _PACK.strip().replace("{code}", code))


@register
class WordyPhrase(PackRule):
    """
    ## What it does
    Reports wordy phrases that have a plain equivalent, and fixes them:
    "in order to" -> "to", "utilize" -> "use", "at this point in time" ->
    "now", "please do not hesitate to" -> "feel free to", "prior to" ->
    "before"...

    `--fix` replaces the phrase in the YAML file, keeping its capitalisation
    ("In order to" -> "To"); no fix is offered when the phrase wraps across
    lines or contains markup.

    {pack}

    ## Why
    Plain words are read faster, by more people, on smaller screens.

    ## Example
    ```yaml
    body:
      text: In order to confirm, please do not hesitate to reply.
    ```

    ## Fix
    `atscomms lint --fix` (or `--diff` to preview).
    """

    __doc__ = _doc(__doc__, "T301")
    code = "T301"
    name = "wordy-phrase"
    severity = Severity.WARNING
    fixable = True
    message = "'%s' is wordy"


@register
class CorporateJargon(PackRule):
    """
    ## What it does
    Reports corporate jargon and job-advert clichés: "synergy", "circle
    back", "touch base", "bandwidth", "leverage", "hit the ground running",
    "self-starter"...

    {pack}

    ## Why
    Jargon says little and sounds like a form letter.

    ## Example
    ```yaml
    body:
      text: Let's touch base next week to leverage your bandwidth.
    ```

    ## Fix
    Say what you mean: "Let's talk next week".
    """

    __doc__ = _doc(__doc__, "T302")
    code = "T302"
    name = "corporate-jargon"
    severity = Severity.WARNING
    message = "'%s' is jargon"


@register
class Legalese(PackRule):
    """
    ## What it does
    Reports legalese: "hereby", "herewith", "aforementioned", "pursuant
    to", "notwithstanding", "please be advised that"...

    {pack}

    ## Why
    Candidates are people, not counterparties; legal phrasing makes a kind
    message cold and a hard one harsher.

    ## Example
    ```yaml
    body:
      text: Please be advised that we hereby withdraw the offer.
    ```

    ## Fix
    Write as you would speak: "We are withdrawing the offer".
    """

    __doc__ = _doc(__doc__, "T303")
    code = "T303"
    name = "legalese"
    severity = Severity.WARNING
    message = "'%s' is legalese"
