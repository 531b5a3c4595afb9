"""Rules over the rendered message: what the candidate receives is what counts,
wherever in the workspace it is written. The message is rendered with its layout,
for every locale and variant, with sample data; findings point at the template's
`layout:` (where footers live), or at its `body:`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import option
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Span

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext
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
    items = default.get(channel)
    return [i for i in items if i in ITEMS] if isinstance(items, list) else []


def stop_words(keywords: list[str]) -> re.Pattern[str]:
    words = [re.escape(w) for w in keywords or ["STOP"]]
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
    """The missing items, for a message; locales named only when not all of them are."""

    def scope(where: list[str]) -> str:
        return "" if sorted(where) == sorted(locales) else f" ({', '.join(where)})"

    scopes = {tuple(where) for where in missing.values()}
    if len(scopes) == 1:
        return "; ".join(ITEMS[i] for i in missing) + scope(list(scopes.pop()))
    return "; ".join(ITEMS[i] + scope(where) for i, where in missing.items())


def _template_finding(
    code: str, ctx: LintContext, template: Template, text: str, hint: str
) -> Finding:
    via = f" (rendered with layout `{template.layout}`)" if template.layout else ""
    return finding(
        code,
        template.path,
        anchor(template),
        text + via,
        hint=hint,
        resource=template.ref,
    )


@register
class LegalFooter(Rule):
    """
    ## What it does
    Checks that every rendered message carries the legal footer its channel
    requires.

    The message is rendered with its layout, for every locale and variant.
    The style guide's `footer:` lists the items per channel: any of
    `company_name`, `postal_address`, `privacy_url`, `preference_center_url`,
    `unsubscribe`, `stop_language`, `sender_id` (for SMS, `sender_id` is
    L104's). Without a style-guide entry, emails need the company name, the
    postal address and a privacy-notice link (option `requirements`, per
    channel). Option `categories` limits the categories checked.

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
        categories = option(self, "categories")
        if categories and template.category not in categories:
            return
        items = footer_requirements(ctx, template.channel, option(self, "requirements"))
        if template.channel == "sms":
            items = [i for i in items if i != "sender_id"]
        missing = missing_items(ctx, template, items, stop_words(option(self, "stop_keywords")))
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
    Checks that `nurture` and `sourcing` messages offer a way to stop them.

    Emails need an unsubscribe or preference-center link and the postal
    address; texts need STOP opt-out wording (option `categories` names the
    categories). Items the channel's legal footer already requires are left
    to L101.

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
        if template.category not in option(self, "categories"):
            return
        footer = footer_requirements(ctx, template.channel, option(self, "requirements"))
        if template.channel == "sms":
            items = ["stop_language"]
        else:
            items = ["unsubscribe", "postal_address"]
            if "preference_center_url" in footer:
                items.remove("unsubscribe")
        items = [i for i in items if i not in footer]
        missing = missing_items(ctx, template, items, stop_words(option(self, "stop_keywords")))
        if missing:
            yield _template_finding(
                self.code,
                ctx,
                template,
                f"{template.category} message lacks {describe(missing, ctx.locales)}",
                "Link `{{ unsubscribe_url }}` and show `{{ brand.postal_address }}` "
                "(SMS: 'Reply STOP to opt out.').",
            )


@register
class SmsSenderId(Rule):
    """
    ## What it does
    Checks that every SMS starts with the sender's name.

    The text is rendered with its layout, for every locale and variant, and
    must start with `brand.sms_sender` or `brand.company_name`.

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
        missing = missing_items(ctx, template, ["sender_id"], stop_words([]))
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
    Checks that the first SMS a sequence sends carries STOP opt-out wording.

    Every locale is rendered (option `stop_keywords`, default `STOP`). The
    first SMS is the first `send` step whose channel is `sms` in `steps`, or,
    when `steps` sends none, in each of the `tracks`.

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
        stop = stop_words(option(self, "stop_keywords"))
        for seq in ctx.ws.sequences.values():
            if not ctx.in_scope(seq.path):
                continue
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
