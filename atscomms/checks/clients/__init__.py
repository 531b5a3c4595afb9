"""C: email clients, MJML and accessibility.

C0xx MJML, C1xx client support (caniemail data, `compat`), C2xx size, structure and
accessibility of the message (`message`, `a11y`).
"""

from __future__ import annotations

from collections.abc import Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, register
from atscomms.findings import Finding
from atscomms.model.resources import Template


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

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        from atscomms.loading.validate import did_you_mean
        from atscomms.rendering.mjml import KNOWN_TAGS, unknown_tags

        for unit in ctx.units(template):
            if unit.part != "body" or "<mj" not in unit.source:
                continue
            for tag, offset in unknown_tags(unit.source):
                guess = did_you_mean(tag, KNOWN_TAGS)
                yield unit.finding(
                    self.code,
                    offset,
                    len(tag),
                    f"unknown MJML tag <{tag}>",
                    hint=f"Did you mean <{guess}>?"
                    if guess
                    else "See https://documentation.mjml.io.",
                )

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        from atscomms.rendering.mjml import unknown_tags

        for unit in ctx.shared_units():
            for tag, offset in unknown_tags(unit.source):
                yield unit.finding(self.code, offset, len(tag), f"unknown MJML tag <{tag}>")


# The rest of the pack registers itself on import (compatibility, message, accessibility).
from atscomms.checks.clients import a11y as a11y  # noqa: E402
from atscomms.checks.clients import compat as compat  # noqa: E402
from atscomms.checks.clients import message as message  # noqa: E402
