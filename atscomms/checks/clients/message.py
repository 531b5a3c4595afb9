"""C201-C204, C209-C211: the rendered message as a whole (size, head, parts).

Each rule looks at every render of a template (locales and variants) and reports
once per template, naming the locales concerned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from atscomms.checks.clients.scan import Scan, cached, tag_pattern
from atscomms.checks.clients.sources import body_span, find, template_sources
from atscomms.checks.context import LintContext, mask_expressions
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Template


def _html_renders(ctx: LintContext, t: Template) -> Iterator[tuple[Any, Scan]]:
    if t.channel != "email":
        return
    for r in ctx.renders(t):
        if r.html:
            yield r, cached(r.html)


def _where(ctx: LintContext, t: Template, *tags: str, message: str, code: str, **kw: Any):
    """A finding at the first of ``tags`` in the author's source, else at ``body:``."""
    sources = template_sources(ctx, t)
    for tag in tags:  # in order of preference
        anchor = find(sources, [tag_pattern(tag)])
        if anchor is not None:
            return anchor.unit.finding(code, anchor.offset, anchor.length, message, **kw)
    path, span = body_span(t)
    return finding(code, path, span, message, resource=t.ref, **kw)


def _locales(renders: list[Any]) -> str:
    names = list(dict.fromkeys(r.locale + (f"/{r.variant}" if r.variant else "") for r in renders))
    return ", ".join(names)


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


@register
class GmailClipping(Rule):
    """
    ## What it does
    Reports emails whose rendered HTML (after CSS inlining, in UTF-8 bytes) comes
    near or above Gmail's clipping limit: a warning from 90 KB, an error above
    102 KB (1 KB = 1024 bytes).

    ## Why
    Gmail cuts messages above about 102 KB and shows "[Message clipped] View entire
    message". Everything after the cut, usually the legal footer and the
    unsubscribe link, is hidden, and open tracking stops working.

    ## Example
    ```yaml
    body:
      mjml: ...  # 40 sections of inline-styled tables
    ```

    ## Fix
    Shorten the message, move repeated styles into `<mj-class>`/`<mj-attributes>`,
    drop unused sections. Options: `warn-kb` (90), `error-kb` (102).
    """

    code = "C201"
    name = "gmail-clipping"
    severity = Severity.WARNING
    options = {"warn-kb": 90, "error-kb": 102}

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        warn = float(self.opts["warn-kb"]) * 1024
        error = float(self.opts["error-kb"]) * 1024
        big = [(r, s) for r, s in _html_renders(ctx, template) if s.size >= warn]
        if not big:
            return
        size = max(s.size for _, s in big)
        over = size > error
        yield _where(
            ctx,
            template,
            code=self.code,
            message=f"rendered HTML is {_kb(size)} ({_locales([r for r, _ in big])}): Gmail "
            + ("clips" if over else "clips messages above")
            + f" {self.opts['error-kb']} KB",
            hint="Shorten the message or reduce repeated inline styles; the footer and "
            "unsubscribe link come last and are the first to disappear.",
            severity=Severity.ERROR if over else None,
        )


@register
class StyleBlockTooLarge(Rule):
    """
    ## What it does
    Reports a `<style>` block of the rendered email larger than 16 KB.

    ## Why
    Gmail drops a `<style>` element over 16 KB entirely, so every media query and
    class in it is lost: the responsive layout and dark-mode rules stop working.

    ## Example
    ```yaml
    body:
      mjml: <mj-head><mj-style>/* 20 KB of rules */</mj-style></mj-head>
    ```

    ## Fix
    Remove unused rules, let CSS be inlined (`<mj-style inline="inline">`), or split
    the rules over several blocks. Option: `max-kb` (16).
    """

    code = "C202"
    name = "style-block-too-large"
    severity = Severity.WARNING
    options = {"max-kb": 16}

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        limit = float(self.opts["max-kb"]) * 1024
        big = [(r, max(s.styles)) for r, s in _html_renders(ctx, template)
               if s.styles and max(s.styles) > limit]  # fmt: skip
        if big:
            size = max(n for _, n in big)
            yield _where(
                ctx,
                template,
                "mj-style",
                "style",
                code=self.code,
                message=f"a <style> block is {_kb(size)} ({_locales([r for r, _ in big])}); "
                f"Gmail ignores <style> blocks over {self.opts['max-kb']} KB",
                hint="Trim the style sheet or inline it.",
            )


@register
class MissingHtmlLang(Rule):
    """
    ## What it does
    Reports a rendered email whose `<html>` element has no (or an empty) `lang`
    attribute.

    ## Why
    Screen readers pick their pronunciation from `lang`: without it a German email
    is read with English rules. MJML bodies get the render locale automatically;
    HTML bodies and layouts must say it.

    ## Example
    ```yaml
    body:
      html: <html><head><title>Offer</title></head><body>...</body></html>
    ```

    ## Fix
    `<html lang="{{ locale }}">`, or a literal `lang="de"` in a locale override.
    """

    code = "C203"
    name = "missing-html-lang"
    severity = Severity.WARNING

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        bad = [r for r, s in _html_renders(ctx, template) if not (s.lang or "").strip()]
        if bad:
            yield _where(
                ctx,
                template,
                "html",
                "mjml",
                code=self.code,
                message=f"the email has no lang attribute on <html> ({_locales(bad)})",
                hint='Add lang="..." to the <html> element.',
            )


@register
class MissingTitle(Rule):
    """
    ## What it does
    Reports a rendered email without a `<title>`, or with an empty one.

    ## Why
    Screen readers announce the title when the email opens in a browser view, and
    some clients show it in their web view and print headers.

    ## Example
    ```yaml
    body:
      mjml: <mjml><mj-body>...</mj-body></mjml>   # no <mj-title>
    ```

    ## Fix
    Add `<mj-title>{{ subject }}</mj-title>` to the layout's `<mj-head>` (or
    `<title>` to an HTML layout).
    """

    code = "C204"
    name = "missing-title"
    severity = Severity.WARNING

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        missing, empty = [], []
        for r, s in _html_renders(ctx, template):
            if s.title is None:
                missing.append(r)
            elif not re.sub(r"<[^>]*>|&nbsp;|&#160;|\s", "", s.title):
                empty.append(r)
        if missing or empty:
            what = "no <title>" if missing else "an empty <title>"
            yield _where(
                ctx,
                template,
                "mj-title",
                "title",
                "mj-head",
                "head",
                code=self.code,
                message=f"the email has {what} ({_locales(missing or empty)})",
                hint="Add <mj-title>{{ subject }}</mj-title> to the layout's <mj-head>.",
            )


_PREVIEW = re.compile(r"<mj-preview\b[^>]*>(.*?)</mj-preview\s*>", re.S | re.I)


@register
class MissingPreheader(Rule):
    """
    ## What it does
    Reports an HTML or MJML email template with no preheader in any locale or
    variant (neither `preheader:` nor literal `<mj-preview>` text).

    ## Why
    Inboxes show the preheader next to the subject. Without one they show the first
    words of the body: often "View in browser" or the logo's alt text.

    ## Example
    ```yaml
    subject: Your interview at Acme
    body:
      mjml: ...
    ```

    ## Fix
    Add `preheader:` with one sentence that complements the subject.
    """

    code = "C209"
    name = "missing-preheader"
    severity = Severity.WARNING

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        renders = [r for r, _ in _html_renders(ctx, template)]
        if not renders or any((r.preheader or "").strip() for r in renders):
            return
        for src in template_sources(ctx, template):
            for m in _PREVIEW.finditer(src.text):
                if mask_expressions(m.group(1)).strip():
                    return
        doc = template.doc
        yield finding(
            self.code,
            doc.path,
            doc.key_span(("subject",)) if "subject" in (doc.data or {}) else body_span(template)[1],
            "no preheader in any locale: inboxes show the first words of the body instead",
            hint="Add `preheader:` next to `subject:`.",
            resource=template.ref,
        )


@register
class MissingTextPart(Rule):
    """
    ## What it does
    Reports an HTML or MJML email that renders an empty plain-text part.

    ## Why
    Every email is sent as multipart: HTML plus plain text. An empty text part is a
    spam signal, and readers with text-only clients or watches see nothing.

    ## Example
    ```yaml
    body:
      mjml: <mj-section><mj-column><mj-image src="https://acme.example/o.png" alt="" />
        </mj-column></mj-section>
    ```

    ## Fix
    Put the message in text, not only in images; or write a `text:` part.
    """

    code = "C210"
    name = "missing-text-part"
    severity = Severity.WARNING

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        empty = [r for r, _ in _html_renders(ctx, template) if not (r.text or "").strip()]
        if empty:
            yield _where(
                ctx,
                template,
                code=self.code,
                message=f"the email renders no plain text ({_locales(empty)})",
                hint="Write the message as text, or add a `text:` part.",
            )


_URL = re.compile(r"\(?\b(?:https?|mailto|tel):\S+\)?")


def _visible_chars(t: Template, r: Any) -> int:
    """Characters of text the HTML shows (the generated text part, link URLs left out)."""
    text = r.text or ""
    if t.parts_for(r.locale, r.variant).text is not None:  # a hand-written text part
        from atscomms.rendering.text import html_to_text

        text = html_to_text(r.html)
    return len(" ".join(_URL.sub(" ", text).split()))


@register
class ImageOnlyEmail(Rule):
    """
    ## What it does
    Reports an email that shows images but fewer than `min-chars` (100) characters
    of text, not counting link addresses.

    ## Why
    Many clients block images until the reader allows them, so an image-only email
    arrives blank; spam filters score a low text-to-image ratio; screen-reader users
    only get the alt texts.

    ## Example
    ```yaml
    body:
      mjml: <mj-image src="https://acme.example/offer-banner.png" alt="Offer" />
    ```

    ## Fix
    Put the message in live text and use images for decoration. Option:
    `min-chars` (100).
    """

    code = "C211"
    name = "image-only-email"
    severity = Severity.WARNING
    options = {"min-chars": 100}

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        limit = int(self.opts["min-chars"])
        thin = [(r, n) for r, s in _html_renders(ctx, template)
                if s.images and (n := _visible_chars(template, r)) < limit]  # fmt: skip
        if thin:
            least = min(n for _, n in thin)
            yield _where(
                ctx,
                template,
                code=self.code,
                message=f"the email is mostly images: {least} characters of text "
                f"({_locales([r for r, _ in thin])}), fewer than {limit}",
                hint="Write the message as live text; keep images for decoration.",
            )
