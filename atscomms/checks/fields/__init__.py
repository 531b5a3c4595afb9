"""F: dynamic fields and template expressions.

F001-F004 are emitted by the renderer (declared here). F101-F106 check expressions
against the field registry (:mod:`.rules`); F107-F108 against the providers the
workspace pushes to (:mod:`.providers`, which reports the dialect compilers' problems).
"""

from __future__ import annotations

from atscomms.checks.registry import Rule, register


@register
class NonPortableExpression(Rule):
    """
    ## What it does
    Reports template constructs outside the portable subset: calls, comparisons,
    arithmetic, `{% set %}`, macros, filters other than `default`, `upper`,
    `lower`, `title`, `capitalize`, `trim`, `date`, `datetime`, `time`.

    ## Why
    Provider plugins compile templates to Handlebars, Mustachio and ATS token
    syntaxes; a construct they cannot express would render differently (or
    not at all) once pushed.

    ## Example
    ```yaml
    subject: "{{ candidate.first_name | replace('a', 'b') }}"
    ```

    ## Fix
    Move the logic into the data (a field in the registry), or use `{% if %}`
    on a field.
    """

    code = "F001"
    name = "non-portable-expression"


@register
class UnsafeExpression(Rule):
    """
    ## What it does
    Reports expressions that reach for Python internals (`__class__`,
    `_private` attributes, `cycler`, `self`...), the shape of server-side
    template-injection payloads. Such a template is never executed.

    ## Why
    Template text is reviewed as copy, not as code; an injection payload must
    never run on a CI machine or a recruiter's laptop.

    ## Example
    ```yaml
    subject: "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    ```

    ## Fix
    Remove the expression.
    """

    code = "F002"
    name = "unsafe-expression"


@register
class MissingValue(Rule):
    """
    ## What it does
    Reports a field that has no value when rendered for a persona (or for the
    registry's sample data), where the template gives no fallback.

    ## Why
    A missing value would be sent as an empty string: "Hi ," in front of a
    candidate.

    ## Example
    ```yaml
    body:
      text: "Hi {{ recruiter.name }}"
    ```

    ## Fix
    `{{ recruiter.name | default("the team") }}`, or wrap it in
    `{% if recruiter.name %}`.
    """

    code = "F003"
    name = "missing-value"


@register
class RenderError(Rule):
    """
    ## What it does
    Reports a value a formatting filter cannot format (a date that is not
    ISO-8601...) or any other failure while rendering.

    ## Why
    The message would fail at send time.

    ## Example
    ```yaml
    fields:
      interview.start_at: next Tuesday
    ```

    ## Fix
    Give the field an ISO-8601 value (`2026-12-08T14:00:00+01:00`).
    """

    code = "F004"
    name = "render-error"


# The F1xx rules register themselves on import.
from atscomms.checks.fields import providers, rules  # noqa: E402, F401
