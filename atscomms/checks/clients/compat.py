"""C100-C104: email-client support of the HTML and CSS a template sends (caniemail)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from atscomms.checks.clients import caniemail
from atscomms.checks.clients.classes import COSMETIC, LAYOUT_CRITICAL
from atscomms.checks.clients.scan import MSO, OTHERS, cached
from atscomms.checks.clients.sources import Anchor, Source, find, state, template_sources
from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Template

_IN_STYLE_SHEETS = ("css-selector-", "css-pseudo-", "css-at-media-")
_CODES = ("C101", "C102", "C103", "C104")
_HINTS = {
    "C101": "These clients ignore it and the layout breaks: lay out with MJML sections and "
    "columns (tables), or give them a fallback inside <!--[if mso]>.",
    "C102": "Check the email in these clients, or give them a fallback.",
    "C103": "These clients show the email without it; make sure it still reads well.",
    "C104": "Check whether the limitation in the notes applies to how you use it.",
}


def _features_option(ctx: LintContext, code: str, default: list[str]) -> frozenset[str]:
    memo = state(ctx).setdefault("features-option", {})
    if code not in memo:
        memo[code] = _read_features_option(ctx, code, default)
    return memo[code]


def _read_features_option(ctx: LintContext, code: str, default: list[str]) -> frozenset[str]:
    options = ctx.ws.config.lint.get("options")
    value: Any = None
    if isinstance(options, dict):
        for key, opts in options.items():
            if str(key).upper() == code and isinstance(opts, dict):
                value = opts.get("features")
    if not isinstance(value, list):
        value = default
    names = [v for v in value if isinstance(v, str)]
    return frozenset(n if n.startswith(("css-", "html-", "image-")) else f"css-{n}" for n in names)


def _clients(db: caniemail.Database, issues: list[caniemail.Issue]) -> str:
    by_family: dict[str, list[str]] = {}
    for issue in issues:
        by_family.setdefault(issue.family, []).append(db.client_label(issue))
    return "; ".join(f"{db.family_name(f)} ({', '.join(v)})" for f, v in by_family.items())


def message(
    db: caniemail.Database,
    slug: str,
    unsupported: list[caniemail.Issue],
    partial: list[caniemail.Issue],
    notes: list[str],
) -> str:
    title = db.title(slug).strip()
    if unsupported:
        text = f"{title} is not supported in {_clients(db, unsupported)}"
        if partial:
            text += f"; partially supported in {_clients(db, partial)}"
    else:
        text = f"{title} is only partially supported in {_clients(db, partial)}"
    return text + (". Notes: " + " ".join(notes) if notes else "")


def _names(sources: list[Source]) -> tuple[frozenset[str], frozenset[str]]:
    """Element names and keywords in the author's markup and style sheets (no prose)."""
    tags: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    for src in sources:
        t, w = src.words()
        tags, words = tags | t, words | w
    return tags, words


def _judge(
    db: caniemail.Database,
    slug: str,
    seen: list[caniemail.Issue],
    style_notes: dict[tuple[str, str], set[str | None]] | None,
    names: Callable[[], tuple[frozenset[str], frozenset[str]]],
) -> tuple[list[caniemail.Issue], list[caniemail.Issue], list[str]]:
    """``(unsupported, partial, notes)``: partial support counts only when one of its
    notes can concern the author's code (or it has none); ``style_notes``: notes of
    ``<style>`` itself, not repeated for what lives in a style sheet."""
    partial: list[caniemail.Issue] = []
    notes: list[str] = []
    for issue in seen:
        applies = []
        for num in issue.notes:
            note = db.note(slug, num)
            if note is None:
                continue
            if issue.support == "a":  # a limitation: can it concern this code?
                if style_notes and note in style_notes.get((issue.family, issue.platform), ()):
                    continue
                if not caniemail.note_applies(note, *names()):
                    continue
            applies.append(note)
        if issue.support == "a":
            if issue.notes and not applies:
                continue  # every limitation the notes describe is ruled out
            partial.append(issue)
        notes += [n for n in applies if n not in notes]
    return [i for i in seen if i.support == "n"], partial, notes


def _collect(ctx: LintContext, t: Template, issues: dict) -> tuple[dict, dict]:
    """slug -> audience bits, slug -> evidence, over every render of the template."""
    audience: dict[str, int] = {}
    evidence: dict[str, set[str]] = {}
    for rendered in ctx.renders(t):
        if rendered.html:
            s = cached(rendered.html)
            for slug, bits in s.features.items():
                if slug in issues:
                    audience[slug] = audience.get(slug, 0) | bits
                    evidence.setdefault(slug, set()).update(s.evidence[slug])
    return audience, evidence


def analyse(ctx: LintContext, t: Template) -> dict[str, list[Finding]]:
    """Findings of C101-C104 for one template, computed once for the four rules."""
    memo = state(ctx).setdefault("compat", {})
    out = memo.get(t.id)
    if out is not None:
        return out
    out = memo[t.id] = {code: [] for code in _CODES}
    if t.channel != "email" or not ctx.ws.config.clients:
        return out
    db = caniemail.load()
    issues = db.issues(tuple(ctx.ws.config.clients))
    audience, evidence = _collect(ctx, t, issues)
    if not audience:
        return out
    layout = _features_option(ctx, "C101", LAYOUT_CRITICAL)
    cosmetic = _features_option(ctx, "C103", COSMETIC)
    sources = template_sources(ctx, t)
    names = cache(lambda: _names(sources))
    # Limitations of <style> itself (Gmail apps with non-Google accounts...) are not
    # repeated for each selector or media feature; where <style> is not supported at
    # all, neither is anything in it.
    style = issues.get("html-style", ())
    no_style = {(i.family, i.platform) for i in style if i.support == "n"}
    style_notes = {
        (i.family, i.platform): {db.note("html-style", n) for n in i.notes} for i in style
    }
    best: dict[tuple[int, int], tuple[str, Anchor, str, str]] = {}
    for slug in sorted(audience):
        anchor = find(sources, evidence[slug])
        if anchor is None:
            continue  # MJML's own markup, not the author's
        bits = audience[slug]
        seen = [i for i in issues[slug] if bits & (MSO if i.mso else OTHERS)]
        in_sheet = slug.startswith(_IN_STYLE_SHEETS)
        if in_sheet:
            seen = [i for i in seen if (i.family, i.platform) not in no_style]
        unsupported, partial, notes = _judge(
            db, slug, seen, style_notes if in_sheet else None, names
        )
        if unsupported:
            code = "C101" if slug in layout else "C103" if slug in cosmetic else "C102"
        elif partial and slug not in cosmetic:
            code = "C104"
            if anchor.mjml:  # via MJML attributes only: MJML's markup works around it
                anchor = find(sources, evidence[slug], css_only=True)
                if anchor is None:
                    continue
        else:
            continue
        key = (id(anchor.unit), anchor.offset)
        if key in best and best[key][0] <= code:
            continue  # one finding per construct: `display:flex` is not also "display"
        best[key] = (code, anchor, message(db, slug, unsupported, partial, notes), slug)
    for code, anchor, text, slug in best.values():
        hint = f"{_HINTS[code]} See {db.url(slug)}"
        out[code].append(anchor.unit.finding(code, anchor.offset, anchor.length, text, hint=hint))
    return out


class _Compat(Rule):
    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        yield from analyse(ctx, template)[self.code]


@register
class UnknownEmailClient(Rule):
    """
    ## What it does
    Reports a `clients:` entry in `atscomms.yaml` that the caniemail data does not
    know.

    ## Why
    The compatibility rules (C101-C104) silently skip a client they do not know, so a
    typo such as `gmial` turns the check off for that client.

    ## Example
    ```yaml
    clients: [gmial, outlook]
    ```

    ## Fix
    Use caniemail's family names (`gmail`, `outlook`, `apple-mail`, `yahoo`, `aol`,
    `samsung-email`, `thunderbird`, ...) or `family.platform` (`outlook.windows`,
    `gmail.android`). `atscomms rules C100` shows the data version.
    """

    code = "C100"
    name = "unknown-email-client"

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        from atscomms.loading.validate import did_you_mean

        db = caniemail.load()
        doc = ctx.ws.config.doc
        raw = doc.data.get("clients") if isinstance(doc.data, dict) else None
        for i, name in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(name, str) or db.known(name):
                continue
            guess = did_you_mean(name, db.selectors())
            yield finding(
                self.code,
                doc.path,
                doc.span(("clients", i)),
                f"unknown email client {name!r} (caniemail data {db.version})",
                hint=f"Did you mean `{guess}`?"
                if guess
                else "Known families: " + ", ".join(sorted(db.families)),
            )


_HOW = """
    ## How it checks
    Every render of the template (each locale and variant) is scanned after CSS
    inlining, as clients receive it: inline `style=""` attributes, `<style>` blocks
    with nested `@media`/`@supports` walked, elements, attributes, image formats.
    Content inside `<!--[if mso]>` counts for Outlook on Windows only; content
    inside `<!--[if !mso]><!-->` for every other client. For each client family in
    `atscomms.yaml` `clients:` (or `family.platform`), the newest caniemail result of
    each platform is used: the last entry of its version map in file order.

    Only what the author wrote is reported: a feature is reported when the same
    construct appears in the template's source, its partials or its layout (a CSS
    declaration with its value, `display: flex`; an MJML attribute such as
    `border-radius="4px"`; an HTML tag or attribute; an `@media` rule as written; a
    selector). MJML's own output (its `@media only screen` block, `mj-column`
    classes, `display:inline-block`, MSO tables, the hidden preheader) is left
    alone: MJML ships it knowing how each client degrades. This is more precise
    than comparing with an empty MJML document: MJML's output depends on the
    components used (a button brings its own `border-radius`), and a baseline would
    hide the author's own use of a property MJML also uses. The finding points at
    the construct in the source; one finding per feature and template, listing the
    clients of every locale. Limits of `<style>` itself (Gmail apps with non-Google
    accounts) are not repeated for every selector. Accessibility attributes
    (`role`, `aria-*`, `lang`) are never reported: a client that ignores them is no
    reason to drop them.
"""


def _explained(cls: type[Rule]) -> type[Rule]:
    """Insert the shared "How it checks" section before the rule's example."""
    how = _HOW.lstrip("\n") + "\n    ## Example"
    cls.__doc__ = (cls.__doc__ or "").replace("    ## Example", how, 1)
    return cls


@register
@_explained
class UnsupportedLayoutFeature(_Compat):
    """
    ## What it does
    Reports layout-critical CSS (display, flex and grid, width and max-width, float,
    position, margin, padding, calc()...) that a target email client does not
    support at all.

    ## Why
    The client ignores the property and the layout falls apart: columns stack in
    the wrong place, content overflows, buttons lose their size.

    ## Example
    ```yaml
    body:
      html: <div style="display:flex">...</div>
    ```

    ## Fix
    Lay out with MJML sections and columns (tables), or give Outlook a fallback in
    an `<!--[if mso]>` conditional comment. The list of layout-critical features is
    the `features` option (caniemail slugs or CSS property names).
    """

    code = "C101"
    name = "unsupported-layout-feature"
    severity = Severity.ERROR
    options = {"features": LAYOUT_CRITICAL}


@register
@_explained
class UnsupportedFeature(_Compat):
    """
    ## What it does
    Reports HTML or CSS that a target email client does not support (caniemail
    `n`) and that is neither layout-critical (C101) nor cosmetic (C103).

    ## Why
    The client drops it: a `<video>`, an SVG or WebP image, a `@media` query, a
    `:not()` selector are missing or behave differently for those readers.

    ## Example
    ```yaml
    body:
      mjml: <mj-image src="https://acme.example/team.webp" alt="Our team" />
    ```

    ## Fix
    Use a supported alternative (PNG or JPEG, table layout), or make sure the email
    works without the feature in those clients.
    """

    code = "C102"
    name = "unsupported-feature"
    severity = Severity.WARNING


@register
@_explained
class UnsupportedCosmeticFeature(_Compat):
    """
    ## What it does
    Reports cosmetic HTML or CSS (rounded corners, shadows, hover effects, dark-mode
    queries...) that a target email client does not support.

    ## Why
    The client shows the email without it, which is usually fine: square corners in
    Outlook on Windows. It is worth knowing, not worth failing a build.

    ## Example
    ```yaml
    body:
      mjml: <mj-button border-radius="24px" href="https://acme.example/book">Book</mj-button>
    ```

    ## Fix
    Nothing, if the email reads well without it. The list of cosmetic features is
    the `features` option (caniemail slugs or CSS property names); with
    `lint: {options: {C103: {features: []}}}` they are all C102 warnings.
    """

    code = "C103"
    name = "unsupported-cosmetic-feature"
    severity = Severity.INFO
    options = {"features": COSMETIC}


@register
@_explained
class PartiallySupportedFeature(_Compat):
    """
    ## What it does
    Reports HTML or CSS the author wrote that a target email client supports only
    partially (caniemail `a`), with caniemail's notes on what does not work.

    ## Why
    Partial support is specific: `@media` works in Gmail but not height-based
    queries; `margin` works in Outlook but not negative values. The notes say
    whether your use is affected.

    Notes that cannot concern the template are left out: a note naming elements
    the author never writes (`<ol>`) or only keywords they never use (`overline`,
    `bcc`, `rem`). A client whose every note is ruled out is not listed; with no
    client left there is no finding. Partial support reached only through MJML
    attributes (`padding="..."` on an `mj-section`) is not reported either: MJML's
    markup already works around it.

    ## Example
    ```yaml
    body:
      mjml: <mj-style>@media (max-height:600px) { .hero { display:none } }</mj-style>
    ```

    ## Fix
    Read the notes; change the CSS if your use is one of the unsupported cases.
    """

    code = "C104"
    name = "partially-supported-feature"
    severity = Severity.INFO
