"""L: legal and consent.

Footer rules (L101, L102, L104, L105) look at the *rendered* message, layout
included, for every locale and variant with sample data: what the candidate
receives is what counts, wherever in the workspace it is written. Their findings
point at the template's `layout:` (where footers live), or at its `body:`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import analysis, uses, uses_with_partials
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Span

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.model.resources import Template

#: Footer items a style guide's `footer:` may require, as the findings name them.
ITEMS: dict[str, str] = {
    "company_name": "the company name (brand.company_name)",
    "postal_address": "the postal address (brand.postal_address)",
    "privacy_url": "a link to the privacy notice (brand.privacy_url)",
    "preference_center_url": "a link to the preference center (brand.preference_center_url)",
    "unsubscribe": "an unsubscribe or preference-center link",
    "sender_id": "the sender's name",
    "stop_language": "STOP opt-out wording",
}
#: Used when the style guide has no `footer:` entry for a channel.
DEFAULT_FOOTER: dict[str, list[str]] = {
    "email": ["company_name", "postal_address", "privacy_url"],
    "sms": [],
}
URL = re.compile(r"(?:https?://|mailto:)[^\s\"'<>()\[\]{}]+", re.I)
_UNSUBSCRIBE = re.compile(r"unsubscribe|opt-?out|preferences", re.I)


def _squash(text: str) -> str:
    """Letters and digits only: "100 Example St,\\nSuite 4" matches "100 Example St, Suite 4"."""
    return re.sub(r"[\W_]+", "", text).casefold()


def footer_requirements(ctx: LintContext, channel: str, default: dict[str, Any]) -> list[str]:
    sg = ctx.ws.styleguide
    footer = sg.data.get("footer") if sg is not None and isinstance(sg.data, dict) else None
    if isinstance(footer, dict) and isinstance(footer.get(channel), list):
        return [i for i in footer[channel] if i in ITEMS]
    return list(default.get(channel, []))


def stop_words(opts: dict[str, Any]) -> re.Pattern[str]:
    words = [re.escape(w) for w in opts.get("stop_keywords") or ["STOP"]]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def starts_with_sender(text: str, brand: dict[str, Any]) -> bool:
    head = text.lstrip(" \t\n[(<*-").casefold()
    names = [brand.get("sms_sender"), brand.get("company_name")]
    return any(isinstance(n, str) and n and head.startswith(n.casefold()) for n in names)


class Message:
    """What a footer check reads from one render, computed once and shared by the rules."""

    __slots__ = ("rendered", "text", "flat", "_html", "_urls")

    def __init__(self, rendered: Any) -> None:
        self.rendered = rendered
        self.text: str = rendered.text or ""
        self.flat = _squash(self.text)
        self._html: str | None = None
        self._urls: list[str] | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = html.unescape(self.rendered.html or "")
        return self._html

    @property
    def urls(self) -> list[str]:
        if self._urls is None:
            blob = self.text + "\n" + self.html
            self._urls = [u.rstrip(".,;:") for u in URL.findall(blob)]
        return self._urls

    def has_url(self, want: Any) -> bool:
        if not isinstance(want, str) or not want:
            return False
        pattern = re.compile(re.escape(want.rstrip("/")) + r"/?(?![\w\-]|[/.]\w)")
        return bool(pattern.search(self.text) or pattern.search(self.html))


def message(ctx: LintContext, rendered: Any) -> Message:
    memo: dict[int, Message] = ctx.__dict__.setdefault("_legal_messages", {})
    found = memo.get(id(rendered))
    if found is None or found.rendered is not rendered:
        found = memo[id(rendered)] = Message(rendered)
    return found


def present(item: str, msg: Message, brand: dict[str, Any], stop: re.Pattern[str]) -> bool:
    """Whether a rendered message (email or SMS) carries a footer item."""

    def has_text(*keys: str) -> bool:
        values = [brand.get(k) for k in keys]
        return any(isinstance(v, str) and v and _squash(v) in msg.flat for v in values)

    if item in ("company_name", "postal_address"):
        return has_text(item)
    if item in ("privacy_url", "preference_center_url"):
        return msg.has_url(brand.get(item))
    if item == "unsubscribe":
        return msg.has_url(brand.get("preference_center_url")) or any(
            _UNSUBSCRIBE.search(u) for u in msg.urls
        )
    if item == "sender_id":
        if msg.rendered.channel == "sms":
            return starts_with_sender(msg.text, brand)
        return has_text("company_name", "sender_name")
    return bool(stop.search(msg.text))


def anchor(template: Template) -> Span:
    """Where a finding about the rendered message points: `layout:`, else `body:`."""
    doc = template.doc
    if template.layout is not None:
        return doc.span(("layout",))
    return doc.key_span(("body",))


def missing_items(
    ctx: LintContext, template: Template, items: list[str], stop: re.Pattern[str]
) -> dict[str, list[str]]:
    """item -> locales whose sample render lacks it (failed renders are skipped)."""
    brand = ctx.ws.config.brand
    out: dict[str, list[str]] = {}
    for rendered in ctx.renders(template):
        if not (rendered.text or rendered.html):
            continue
        for item in items:
            if not present(item, message(ctx, rendered), brand, stop):
                bucket = out.setdefault(item, [])
                if rendered.locale not in bucket:
                    bucket.append(rendered.locale)
    return out


def describe(missing: dict[str, list[str]], locales: list[str]) -> str:
    """ "the postal address; a link to ... (de-DE)": locales only when not all of them."""

    def scope(where: list[str]) -> str:
        return "" if sorted(where) == sorted(locales) else f" ({', '.join(where)})"

    scopes = {tuple(where) for where in missing.values()}
    if len(scopes) == 1:
        return "; ".join(ITEMS[i] for i in missing) + scope(list(scopes.pop()))
    return "; ".join(ITEMS[i] + scope(where) for i, where in missing.items())


def _template_finding(
    code: str, ctx: LintContext, template: Template, message: str, hint: str
) -> Finding:
    via = f" (rendered with layout `{template.layout}`)" if template.layout else ""
    return finding(
        code,
        template.path,
        anchor(template),
        message + via,
        hint=hint,
        resource=template.ref,
    )


@register
class LegalFooter(Rule):
    """
    ## What it does
    Checks the rendered message (layout included, every locale and variant)
    for the legal footer the style guide's `footer:` requires for its channel:
    any of `company_name`, `postal_address`, `privacy_url`,
    `preference_center_url`, `unsubscribe`, `stop_language`, `sender_id`
    (for SMS, `sender_id` is L104's). Without a style-guide entry, emails need
    the company name, the postal address and a privacy-notice link (option
    `requirements`, per channel). Option `categories` limits the categories.

    ## Why
    Candidates must be able to tell who wrote to them, where the company is,
    and how their data is used (GDPR Art. 13/14, CAN-SPAM, UK PECR).

    ## Example
    ```yaml
    layout: plain-email   # a layout whose footer has no postal address
    ```

    ## Fix
    Put the footer in the layout: `{{ brand.company_name }}`,
    `{{ brand.postal_address }}`, `<a href="{{ brand.privacy_url }}">`.
    """

    code = "L101"
    name = "legal-footer"
    options = {"requirements": DEFAULT_FOOTER, "categories": [], "stop_keywords": ["STOP"]}

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        categories = self.opts["categories"]
        if categories and template.category not in categories:
            return
        items = footer_requirements(ctx, template.channel, self.opts["requirements"])
        if template.channel == "sms":
            items = [i for i in items if i != "sender_id"]
        missing = missing_items(ctx, template, items, stop_words(self.opts))
        if missing:
            yield _template_finding(
                self.code,
                ctx,
                template,
                f"{template.channel} footer lacks {describe(missing, ctx.locales)}",
                "Add the missing items to the layout's footer (brand.* values of atscomms.yaml).",
            )


@register
class MarketingOptOut(Rule):
    """
    ## What it does
    Checks that `nurture` and `sourcing` messages (option `categories`) carry
    a way to stop them: for email an unsubscribe or preference-center link and
    the postal address; for SMS, STOP opt-out wording. Items the channel's
    legal footer already requires (L101) are left to L101.

    ## Why
    Messages the candidate did not ask for are marketing under CAN-SPAM, CASL
    and the ePrivacy rules: each needs a working opt-out and a postal address.

    ## Example
    ```yaml
    category: nurture
    layout: transactional-email   # footer without a preferences link
    ```

    ## Fix
    Link `{{ unsubscribe_url }}` (set for nurture and sourcing templates from
    brand.preference_center_url), e.g. in the layout:
    `{% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">Unsubscribe</a>{% endif %}`.
    """

    code = "L102"
    name = "marketing-opt-out"
    options = {
        "categories": ["nurture", "sourcing"],
        "requirements": DEFAULT_FOOTER,
        "stop_keywords": ["STOP"],
    }

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if template.category not in self.opts["categories"]:
            return
        footer = footer_requirements(ctx, template.channel, self.opts["requirements"])
        if template.channel == "sms":
            items = ["stop_language"]
        else:
            items = ["unsubscribe", "postal_address"]
            if "preference_center_url" in footer:
                items.remove("unsubscribe")
        items = [i for i in items if i not in footer]
        missing = missing_items(ctx, template, items, stop_words(self.opts))
        if missing:
            yield _template_finding(
                self.code,
                ctx,
                template,
                f"{template.category} message lacks {describe(missing, ctx.locales)}",
                "Link `{{ unsubscribe_url }}` and show `{{ brand.postal_address }}` "
                "(SMS: 'Reply STOP to opt out.').",
            )


def is_acknowledgement(ctx: LintContext, template: Template, opts: dict[str, Any]) -> bool:
    """The first `send` of a sequence triggered by `application_submitted`; or an id or
    name matching option `pattern`; or (option `stages`, off by default) any transactional
    template at those stages."""
    if template.category == "transactional" and template.stage in opts["stages"]:
        return True
    pattern = re.compile(opts["pattern"], re.I)
    name = template.data.get("name") if isinstance(template.data, dict) else None
    if pattern.search(template.id) or (isinstance(name, str) and pattern.search(name)):
        return True
    for seq in ctx.ws.sequences.values():
        trigger = seq.data.get("trigger") if isinstance(seq.data, dict) else None
        if isinstance(trigger, dict) and trigger.get("action") == "application_submitted":
            sends = [s.get("send") for s in seq.steps if isinstance(s, dict) and s.get("send")]
            if sends and sends[0] == template.id:
                return True
    return False


@register
class AcknowledgementPrivacyNotice(Rule):
    """
    ## What it does
    Checks that an application acknowledgement links the applicant privacy
    notice (`{{ brand.privacy_url }}`, or the URL itself) in its own body, in
    every locale and variant; a link in the layout's footer does not count. A
    template is an acknowledgement when it is the first message of a sequence
    triggered by `application_submitted`, or when its id or name matches
    option `pattern` ("acknowledg...", "application received/confirmed",
    "thank you for applying"). Option `stages` (default none) makes every
    `transactional` template at those stages one too: off by default because
    screening invitations and document requests are sent at `applied` as well.

    ## Why
    The acknowledgement is sent when the personal data is collected: that is
    when GDPR Art. 13 requires telling the candidate how it is used.

    ## Example
    ```yaml
    id: application-received
    category: transactional
    stage: applied
    body:
      text: "We have your application."
    ```

    ## Fix
    Add a sentence with `<a href="{{ brand.privacy_url }}">applicant privacy notice</a>`.
    """

    code = "L103"
    name = "acknowledgement-privacy-notice"
    options = {
        "stages": [],
        "pattern": r"acknowledg|application[-_ ]?(received|confirm)"
        r"|thank(s|[-_ ]you)[-_ ]for[-_ ]applying",
    }

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if not is_acknowledgement(ctx, template, self.opts):
            return
        url = ctx.ws.config.brand.get("privacy_url")
        for unit in ctx.units(template):
            if unit.part not in ("body", "sms") or analysis(ctx, unit.source, unit.locale) is None:
                continue
            if isinstance(url, str) and url in unit.source:
                continue
            if any(u.name == "brand.privacy_url" for u in uses_with_partials(ctx, unit)):
                continue
            span = unit.doc.key_span(unit.path) if unit.doc and unit.path else Span()
            yield finding(
                self.code,
                unit.where,
                span,
                "application acknowledgement does not link the applicant privacy notice",
                hint='Add `<a href="{{ brand.privacy_url }}">applicant privacy notice</a>`.',
                resource=unit.resource,
                locale=unit.locale,
            )


@register
class SmsSenderId(Rule):
    """
    ## What it does
    Checks that every rendered SMS (layout included, every locale and variant)
    starts with the sender's name: `brand.sms_sender`, or `brand.company_name`.

    ## Why
    A text from an unknown number must say who sent it (CTIA messaging
    principles; most carriers filter anonymous application-to-person texts).

    ## Example
    ```yaml
    channel: sms
    body:
      text: "Your interview is tomorrow at 10:00."
    ```

    ## Fix
    Use an SMS layout such as `text: "{{ brand.sms_sender }}: {{ content }}"`.
    """

    code = "L104"
    name = "sms-sender-id"

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if template.channel != "sms":
            return
        missing = missing_items(ctx, template, ["sender_id"], stop_words({}))
        if missing:
            brand = ctx.ws.config.brand
            sender = brand.get("sms_sender") or brand.get("company_name")
            where = missing["sender_id"]
            scope = "" if sorted(where) == sorted(ctx.locales) else f" ({', '.join(where)})"
            yield _template_finding(
                self.code,
                ctx,
                template,
                f"SMS does not start with the sender's name {sender!r}{scope}",
                "Start the text with `{{ brand.sms_sender }}:`, best in an SMS layout.",
            )


def _first_sms(ctx: LintContext, steps: list[Any], base: tuple) -> list[tuple[tuple, str]]:
    """(document path, template id) of the first SMS send of a step list (split arms too)."""
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("send"), str):
            continue
        template = ctx.ws.templates.get(step["send"])
        if step.get("channel") == "sms" or (template is not None and template.channel == "sms"):
            found = [((*base, i, "send"), step["send"])]
            for j, arm in enumerate(step.get("split") or []):
                if isinstance(arm, dict) and isinstance(arm.get("template"), str):
                    found.append(((*base, i, "split", j, "template"), arm["template"]))
            return found
    return []


@register
class SmsFirstOptOut(Rule):
    """
    ## What it does
    Checks that the first SMS a sequence sends carries STOP opt-out wording in
    every locale (option `stop_keywords`, default `STOP`). The first SMS is
    the first `send` step whose channel is `sms` in `steps`, or, when `steps`
    sends none, in each of the `tracks`.

    ## Why
    The first text must tell the candidate how to stop the texts (TCPA/CTIA);
    carriers block senders whose first message has no opt-out.

    ## Example
    ```yaml
    steps:
      - id: remind
        send: interview-reminder-sms   # "Acme: see you tomorrow at 10."
        channel: sms
    ```

    ## Fix
    End the template with "Reply STOP to opt out." (in every locale).
    """

    code = "L105"
    name = "sms-first-opt-out"
    options = {"stop_keywords": ["STOP"]}

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        stop = stop_words(self.opts)
        for seq in ctx.ws.sequences.values():
            doc = seq.doc
            found = _first_sms(ctx, seq.steps, ("steps",))
            if not found:
                for k, track in enumerate(doc.get(("tracks",)) or []):
                    if isinstance(track, dict) and isinstance(track.get("steps"), list):
                        found += _first_sms(ctx, track["steps"], ("tracks", k, "steps"))
            for path, tid in found:
                template = ctx.ws.templates.get(tid)
                if template is None:
                    continue
                missing = missing_items(ctx, template, ["stop_language"], stop)
                if missing:
                    yield finding(
                        self.code,
                        doc.path,
                        doc.span(path),
                        f"first SMS of sequence `{seq.id}` (`{tid}`) lacks "
                        + describe(missing, ctx.locales),
                        hint="End the text with 'Reply STOP to opt out.'",
                        resource=seq.ref,
                    )


def _internal(patterns: list[str]) -> re.Pattern[str]:
    """A pattern matches inside a URL, not inside a longer word (`/admin` != `/administration`)."""
    parts = []
    for p in patterns:
        head = r"(?<![\w-])" if p[:1].isalnum() else ""
        tail = r"(?![\w-])" if p[-1:].isalnum() else ""
        parts.append(head + re.escape(p) + tail)
    return re.compile("|".join(parts), re.I)


def _jinja_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


@register
class InternalLink(Rule):
    """
    ## What it does
    Reports internal-only links in candidate messages (templates, layouts,
    partials), and fields whose sample or persona values are such links: ATS
    candidate profiles and scorecards, admin pages, internal hosts. Option
    `internal_url_patterns` lists what is internal.

    ## Why
    A link to a candidate's ATS profile or to interview scorecards exposes
    internal notes, or at best shows the candidate a login page.

    ## Example
    ```yaml
    body:
      text: "Your profile: https://app.greenhouse.io/people/4821"
    ```

    ## Fix
    Link the candidate portal or a public page instead.
    """

    code = "L106"
    name = "internal-link"
    options = {
        "internal_url_patterns": [
            "app.greenhouse.io/people",
            "/scorecards",
            "hire.lever.co/candidates",
            "/admin",
            "internal.",
            "intranet.",
        ]
    }

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.internal = _internal(self.opts["internal_url_patterns"])
        self._bad_fields: tuple[Any, dict[str, str]] | None = None

    def bad_fields(self, ctx: LintContext) -> dict[str, str]:
        """Field name -> an internal link among its sample and persona values."""
        if self._bad_fields is None or self._bad_fields[0] is not ctx.ws:
            values: list[tuple[str, Any]] = []
            if ctx.ws.fields is not None:
                values += [(f.name, f.sample) for f in ctx.ws.fields.fields.values()]
            for persona in ctx.ws.personas.values():
                values += list(persona.fields.items())
            bad: dict[str, str] = {}
            for name, value in values:
                if isinstance(value, str) and URL.match(value) and self.internal.search(value):
                    bad.setdefault(name, value)
            self._bad_fields = (ctx.ws, bad)
        return self._bad_fields[1]

    def _scan(self, ctx: LintContext, unit: TextUnit) -> Iterator[Finding]:
        if "://" in unit.source:
            for m in URL.finditer(_jinja_comments(unit.source)):
                hit = self.internal.search(m.group(0))
                if hit:
                    yield unit.finding(
                        self.code,
                        m.start(),
                        len(m.group(0)),
                        f"internal link in a candidate message: {m.group(0)} "
                        f"(matches `{hit.group(0)}`)",
                        hint="Candidates cannot open internal tools; link a public page.",
                    )
        bad_fields = self.bad_fields(ctx)
        if not bad_fields:
            return
        for use in uses_with_partials(ctx, unit):
            bad = bad_fields.get(use.name)
            if bad is not None and not use.test:
                via = f"partial `{use.via}` shows " if use.via else ""
                yield unit.finding(
                    self.code,
                    use.offset,
                    use.length,
                    f"{via}`{use.name}`, whose sample data is an internal link ({bad})",
                    hint="Use a field that holds a candidate-facing link.",
                )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in ctx.units(template):
            yield from self._scan(ctx, unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in ctx.shared_units():
            yield from self._scan(ctx, unit)


@register
class LayoutWithoutContent(Rule):
    """
    ## What it does
    Reports a layout body (any locale) that never outputs `{{ content }}`.

    ## Why
    Every template using the layout would be sent as an empty shell: a logo
    and a footer.

    ## Example
    ```yaml
    kind: layout
    body:
      text: "{{ brand.sms_sender }}: Reply STOP to opt out."
    ```

    ## Fix
    Put `{{ content }}` where the message goes.
    """

    code = "L107"
    name = "layout-without-content"

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in ctx.shared_units():
            if not unit.resource.startswith("layout:"):
                continue
            if analysis(ctx, unit.source, unit.locale) is None:
                continue
            if any(u.name == "content" and not u.test for u in uses(ctx, unit.source, unit.locale)):
                continue
            span = unit.doc.key_span(unit.path) if unit.doc and unit.path else Span()
            yield finding(
                self.code,
                unit.where,
                span,
                f"layout `{unit.resource.split(':', 1)[1]}` never outputs `{{{{ content }}}}`"
                + (f" ({unit.locale})" if unit.locale else ""),
                hint="Add `{{ content }}` where the message goes.",
                resource=unit.resource,
                locale=unit.locale,
            )
