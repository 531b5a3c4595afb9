"""R: references between resources. Emitted while the workspace model is resolved."""

from __future__ import annotations

from atscomms.checks.registry import Rule, register


@register
class UnknownReference(Rule):
    """
    ## What it does
    Reports a reference to a resource that does not exist (a template's
    layout or partial, a sequence's template, a workspace path), with the
    closest existing id.

    ## Why
    A dangling reference fails at send time, in front of a candidate.

    ## Example
    ```yaml
    layout: acme-emial
    ```

    ## Fix
    Use the id the hint suggests, or create the missing resource.
    """

    code = "R001"
    name = "unknown-reference"


@register
class DuplicateId(Rule):
    """
    ## What it does
    Reports two resources of the same kind with the same id; both places are
    reported.

    ## Why
    Which of the two would be rendered or pushed is undefined.

    ## Example
    `templates/offer.yaml` and `templates/offer-v2.yaml` both say `id: offer`.

    ## Fix
    Rename one of them.
    """

    code = "R002"
    name = "duplicate-id"


@register
class MissingFile(Rule):
    """
    ## What it does
    Reports a `file:` body that does not exist, is not readable, or points
    outside the workspace.

    ## Why
    The body would be empty at render time; a path leaving the workspace
    could read files that are not part of the reviewed change.

    ## Example
    ```yaml
    body:
      file: bodies/offer.mjml
    ```

    ## Fix
    Create the file or correct the path (relative to the YAML file).
    """

    code = "R003"
    name = "missing-file"


@register
class UnknownLocale(Rule):
    """
    ## What it does
    Reports a locale (an override, a persona's locale) that the workspace does
    not declare in `locales:`.

    ## Why
    An undeclared locale is never rendered or checked, so its text ships
    unreviewed.

    ## Example
    ```yaml
    locales:
      de-De:
        subject: Ihre Bewerbung
    ```

    ## Fix
    Declare the locale in `atscomms.yaml` or correct its spelling.
    """

    code = "R004"
    name = "unknown-locale"


@register
class UnknownField(Rule):
    """
    ## What it does
    Reports persona data for a field that the field registry does not declare.

    ## Why
    Sample data for a field nobody declared hides typos: the preview shows a
    value the real send would not have.

    ## Example
    ```yaml
    fields:
      candidate.frist_name: Lena
    ```

    ## Fix
    Use the registered name the hint suggests, or register the field.
    """

    code = "R005"
    name = "unknown-field"


@register
class UnknownStage(Rule):
    """
    ## What it does
    Reports a stage name that is not in the workspace's `stages:` list.

    ## Why
    Stages decide which dynamic fields exist when a message is sent and where
    the message appears on the pipeline map.

    ## Example
    ```yaml
    stage: intervew
    ```

    ## Fix
    Use a stage declared in `atscomms.yaml`.
    """

    code = "R006"
    name = "unknown-stage"


@register
class WrongChannel(Rule):
    """
    ## What it does
    Reports a template whose layout (or partial) is for another channel.

    ## Why
    An SMS wrapped in an MJML email layout is not an SMS any more.

    ## Example
    ```yaml
    channel: sms
    layout: acme-email
    ```

    ## Fix
    Use a layout of the template's channel.
    """

    code = "R007"
    name = "wrong-channel"
