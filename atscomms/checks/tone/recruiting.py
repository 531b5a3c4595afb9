"""T201-T206: the built-in `recruiting` pack (phrases in packs/recruiting.yaml)."""

from __future__ import annotations

import re

from atscomms.checks.registry import register
from atscomms.checks.tone.base import PackRule
from atscomms.checks.tone.lexicon import Hit
from atscomms.checks.tone.text import Prose
from atscomms.findings import Severity

# An equal-opportunity statement names protected characteristics on purpose.
_EEO = re.compile(
    r"equal (?:employment )?opportunit|regardless of|without regard to|irrespective of"
    r"|discriminat|\beeo\b|affirmative action"
)

_PACK = """
    Part of the `recruiting` pack: runs when the style guide says
    `extends: [recruiting]`; turn it off with `disable: [{code}]` there (or
    `lint.ignore`). English copy only: the phrase lists are English, so
    other locales are not checked against them.
"""


def _doc(doc: str | None, code: str) -> str:
    return (doc or "").replace("{pack}", _PACK.strip().replace("{code}", code))


@register
class DiscriminatoryReason(PackRule):
    """
    ## What it does
    Reports rejection copy that mentions a protected characteristic: age,
    health or disability, family, pregnancy or marital status, nationality,
    accent or origin, race, religion, sex or sexual orientation.

    Only `rejection` messages are checked by default (option `categories`):
    an interview invitation may rightly mention disability when it offers
    adjustments. Layouts and partials count as the categories of the
    templates that use them. A sentence that is an equal-opportunity
    statement ("regardless of race, religion, gender...", "equal
    opportunity employer", "without regard to") is not reported.

    {pack}

    ## Why
    A rejection that mentions one of these reads as the reason for it, and
    is the first exhibit in a discrimination claim.

    ## Example
    ```yaml
    category: rejection
    body:
      text: Given your family commitments, we felt the travel would not suit you.
    ```

    ## Fix
    Give no reason, or only one about the role's stated requirements; have
    legal review the template.
    """

    __doc__ = _doc(__doc__, "T201")
    code = "T201"
    name = "discriminatory-reason"
    severity = Severity.ERROR
    message = "rejection mentions '%s', a protected characteristic"
    options = {"categories": ["rejection"]}

    def keep(self, prose: Prose, h: Hit) -> bool:
        for s in prose.sentences:
            if s.start <= h.offset < s.end:
                return not _EEO.search(prose.lower, s.start, s.end)
        return True


@register
class CandidateComparison(PackRule):
    """
    ## What it does
    Reports rejection copy that compares the candidate with others: "a
    stronger candidate", "other applicants were more experienced", "more
    closely matched", "we chose another candidate"...

    Only `rejection` messages are checked by default (option `categories`).
    "We have decided to move forward with other candidates" is not a
    comparison and is not reported.

    {pack}

    ## Why
    A comparison invites the question "stronger how?", and a claim if the
    answer is a protected characteristic.

    ## Example
    ```yaml
    category: rejection
    body:
      text: We have decided to go with a stronger candidate.
    ```

    ## Fix
    "We have decided not to move forward with your application."
    """

    __doc__ = _doc(__doc__, "T202")
    code = "T202"
    name = "candidate-comparison"
    severity = Severity.WARNING
    message = "'%s' compares the candidate with others"
    options = {"categories": ["rejection"]}


@register
class KeepOnFilePromise(PackRule):
    """
    ## What it does
    Reports promises to keep the candidate's CV or details on file, or to
    contact them when a suitable role comes up, in every category.

    {pack}

    ## Why
    Keeping a CV needs a lawful basis and a retention period (GDPR art. 5
    and 6), and the promise is rarely kept: candidates remember it when the
    call never comes.

    ## Example
    ```yaml
    body:
      text: We will keep your CV on file and contact you if a suitable role comes up.
    ```

    ## Fix
    Invite the candidate to apply again, or to join the talent community
    with their consent.
    """

    __doc__ = _doc(__doc__, "T203")
    code = "T203"
    name = "keep-on-file-promise"
    severity = Severity.WARNING
    message = "'%s' promises to keep the candidate's details for later"


@register
class Overqualified(PackRule):
    """
    ## What it does
    Reports "overqualified", "too senior", "too experienced" and similar, in
    every category.

    {pack}

    ## Why
    "Overqualified" is widely read as "too old" (or "too expensive"), and is
    cited in age-discrimination claims.

    ## Example
    ```yaml
    body:
      text: Unfortunately you are overqualified for this position.
    ```

    ## Fix
    Give no reason, or one about the role's stated requirements.
    """

    __doc__ = _doc(__doc__, "T204")
    code = "T204"
    name = "overqualified"
    severity = Severity.WARNING
    message = "'%s' can read as age discrimination"


@register
class CultureFit(PackRule):
    """
    ## What it does
    Reports "culture fit" and "fit in with our culture" in every category,
    and "not a good fit" / "not the right fit" in rejections.

    {pack}

    ## Why
    "Culture fit" is a common cover for affinity bias, and as a rejection
    reason it is unverifiable and invites a claim.

    ## Example
    ```yaml
    category: rejection
    body:
      text: We felt you were not a good fit for our team culture.
    ```

    ## Fix
    Name the values or behaviours assessed ("collaboration", "ownership");
    in a rejection, give no reason.
    """

    __doc__ = _doc(__doc__, "T205")
    code = "T205"
    name = "culture-fit"
    severity = Severity.WARNING
    message = "'%s' is a vague, bias-prone judgement"


@register
class ImpliedContract(PackRule):
    """
    ## What it does
    Reports promises of permanence or guaranteed pay in offer emails: "job
    security", "job for life", "guaranteed bonus", "permanent employment"...

    Only `offer` messages are checked by default (option `categories`).

    {pack}

    ## Why
    An offer email can be read as part of the contract; a promise there can
    override at-will terms or the letter's conditions.

    ## Example
    ```yaml
    category: offer
    body:
      text: This is a permanent job with a guaranteed bonus.
    ```

    ## Fix
    Point to the offer letter for terms; describe, do not promise.
    """

    __doc__ = _doc(__doc__, "T206")
    code = "T206"
    name = "implied-contract"
    severity = Severity.WARNING
    message = "'%s' can read as a contractual promise"
    options = {"categories": ["offer"]}
