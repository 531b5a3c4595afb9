"""C: email clients, MJML and accessibility."""

from __future__ import annotations

from atscomms.checks.registry import Rule, register


@register
class MjmlSyntax(Rule):
    """
    ## What it does
    Reports MJML that mjml cannot compile (unclosed or misplaced tags), or an
    `<mj-include>` that cannot be loaded or leaves the workspace.

    ## Why
    The email cannot be rendered.

    ## Example
    ```yaml
    body:
      mjml: <mj-section><mj-text>Hi</mj-section>
    ```

    ## Fix
    Close every tag and nest them as MJML requires: `mj-section > mj-column >
    mj-text`.
    """

    code = "C001"
    name = "mjml-syntax"


@register
class UnknownMjmlTag(Rule):
    """
    ## What it does
    Reports `mj-*` tags MJML does not define.

    ## Why
    mjml passes unknown tags through silently: a misspelt `<mj-buton>` is
    simply missing from the email.

    ## Example
    ```yaml
    body:
      mjml: <mj-buton href="https://acme.example/book">Book a slot</mj-buton>
    ```

    ## Fix
    Correct the tag name.
    """

    code = "C002"
    name = "unknown-mjml-tag"
