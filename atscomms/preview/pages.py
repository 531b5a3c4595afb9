"""HTML of the gallery pages. Every value that comes from the workspace goes through
:func:`e` (HTML escaping), so a persona value such as ``<script>`` stays text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from atscomms.preview.views import csp_meta

#: Characters an inbox shows for subject + preview text on one desktop line (about Gmail's).
INBOX_CHARS = 90
#: Characters of the sender name an inbox shows before cutting it.
SENDER_CHARS = 20
#: Gmail clips a message whose HTML is larger than this (bytes).
GMAIL_CLIP_BYTES = 102 * 1024


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Inbox:
    sender: str
    subject: str
    snippet: str  # preheader, then body text, as far as it fits

    @property
    def line(self) -> str:
        return f"{self.sender} | {self.subject}" + (f" – {self.snippet}" if self.snippet else "")


_LINK_URL = re.compile(r"\s\((?:https?|mailto|tel):[^)\s]*\)")


def inbox(sender: str, subject: str | None, preheader: str | None, text: str | None) -> Inbox:
    """What an inbox list shows: the sender, the subject, and the preview text (the preheader
    followed by the first body text) cut so that subject + preview fit INBOX_CHARS."""
    subject = " ".join((subject or "").split()) or "(no subject)"
    body = _LINK_URL.sub("", text or "")
    preview = " ".join(f"{preheader or ''} {body}".split())
    room = INBOX_CHARS - len(subject) - 3  # " – "
    shown_subject = _cut(subject, INBOX_CHARS)
    snippet = _cut(preview, room) if room > 1 and preview else ""
    return Inbox(_cut(" ".join(sender.split()), SENDER_CHARS), shown_subject, snippet)


@dataclass(slots=True)
class Page:
    """What the page about one rendering knows besides the rendering itself."""

    template: str
    name: str
    channel: str
    category: str
    locale: str
    persona: str | None
    persona_label: str
    variant: str | None
    root: str  # relative href of the gallery root, e.g. "../../"
    policy: str
    sender: str
    sms_sender: str
    max_segments: int
    views: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (href, note)
    siblings: list[tuple[str, str, bool]] = field(default_factory=list)  # label, href, current
    findings: list[dict[str, Any]] = field(default_factory=list)


CSS = """
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
Helvetica,Arial,sans-serif;color:#1f2933;background:#eef1f5}a{color:#0b5cad}
header,main{padding:12px 20px}header{background:#fff;border-bottom:1px solid #d5dbe3}
h1{font-size:20px;margin:4px 0}h2{font-size:15px;margin:0 0 8px}code{font-size:13px}
.meta{color:#52606d;margin:2px 0}.nav a,.nav strong{display:inline-block;margin:2px 8px 2px 0}
.approx{font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;
color:#8a4b00;background:#fff3dc;border:1px solid #f0c36d;border-radius:3px;padding:0 4px;
margin-left:6px;vertical-align:middle}section{background:#fff;border:1px solid #d5dbe3;
border-radius:6px;padding:12px 14px;margin:0 0 14px}.row{display:flex;flex-wrap:wrap;gap:14px}
.row section{margin:0 0 14px}figure{margin:0}figcaption{font-weight:600;margin:0 0 6px}
.note{color:#52606d;font-size:12px;margin:4px 0 0;max-width:600px}
iframe{display:block;border:1px solid #c3cad4;background:#fff}
.inbox-row{display:flex;gap:14px;align-items:baseline;white-space:nowrap;overflow:hidden;
border:1px solid #d5dbe3;border-radius:4px;padding:8px 12px;max-width:980px;background:#fafbfc}
.inbox-row .sender{font-weight:700;width:170px;flex:none;overflow:hidden}
.inbox-row .subject{font-weight:700}.inbox-row .snippet{color:#616e7c}
pre{white-space:pre-wrap;word-break:break-word;background:#fafbfc;border:1px solid #d5dbe3;
padding:10px;margin:0;max-width:600px;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace}
.findings{border-color:#e0a3a3;background:#fff6f6}.findings li{margin:2px 0}
.sev-error{color:#b42318;font-weight:600}.sev-warning{color:#8a4b00;font-weight:600}
.phone{width:340px;border:10px solid #1f2933;border-radius:32px;padding:14px 12px 28px;
background:#f5f7fa;min-height:420px}.phone .from{text-align:center;font-weight:600;
font-size:12px;color:#52606d;margin-bottom:12px}.bubble{background:#e4e7eb;
border-radius:16px 16px 16px 4px;padding:9px 12px;white-space:pre-wrap;word-break:break-word}
.seg1{background:#dbe9fa}.seg0{background:transparent}.seg-mark{font-size:10px;color:#0b5cad;
font-weight:700;vertical-align:super}table.stats td,table.stats th{text-align:left;
padding:2px 12px 2px 0;vertical-align:top}.bad{color:#b42318;font-weight:600}
table.index{border-collapse:collapse;width:100%;background:#fff}table.index th,
table.index td{border-bottom:1px solid #e4e7eb;padding:6px 8px;text-align:left;
vertical-align:top}table.index td.pages a{margin-right:4px;white-space:nowrap}
table.index td:first-child{min-width:220px}
form.filters{display:flex;gap:14px;flex-wrap:wrap;align-items:center;margin:8px 0}
.count-error{color:#b42318;font-weight:700}.count-warning{color:#8a4b00}
"""


def head(title: str, policy: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        + csp_meta(policy)
        + '<meta name="referrer" content="no-referrer">'
        + '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + f"<title>{e(title)}</title><style>{CSS}</style></head>\n<body>\n"
    )


APPROX = '<span class="approx">approximation</span>'


def _findings(findings: list[dict[str, Any]], failed: bool) -> str:
    if not findings:
        return ""
    items = "".join(
        f"<li><code>{e(f['path'])}:{f['line']}:{f['column']}</code> "
        f'<span class="sev-{e(f["severity"])}">{e(f["code"])}</span> {e(f["message"])}'
        + (f'<div class="note">{e(f["hint"])}</div>' if f.get("hint") else "")
        + "</li>"
        for f in findings
    )
    title = (
        "This message could not be rendered for this persona and locale" if failed else "Findings"
    )
    return f'<section class="findings"><h2>{title}</h2><ul>{items}</ul></section>\n'


def _header(page: Page) -> str:
    bits = [page.channel, page.category, page.locale, f"persona: {page.persona_label}"]
    if page.variant:
        bits.append(f"variant: {page.variant}")
    nav = "".join(
        f"<strong>{e(label)}</strong>" if current else f'<a href="{e(href)}">{e(label)}</a>'
        for label, href, current in page.siblings
    )
    return (
        f'<header><a href="{e(page.root)}index.html">&larr; All templates</a>'
        f"<h1>{e(page.name)} <code>{e(page.template)}</code></h1>"
        f'<p class="meta">{" · ".join(e(b) for b in bits)}</p>'
        f'<div class="nav">{nav}</div></header>\n<main>\n'
    )


def _frame(page: Page, view: str, caption: str, width: int, height: int, approx: bool) -> str:
    href, note = page.views[view]
    label = e(caption) + (APPROX if approx else "")
    return (
        f"<section><figure><figcaption>{label}</figcaption>"
        f'<iframe src="{e(href)}" width="{width}" height="{height}" sandbox="allow-popups '
        f'allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" loading="lazy" '
        f'title="{e(caption)}"></iframe>'
        + (f'<p class="note">{e(note)}</p>' if note else "")
        + "</figure></section>\n"
    )


def email_page(page: Page, r: Any, failed: bool) -> str:
    """The page for one email rendering ``r`` (a :class:`Rendered`)."""
    out = [head(f"{page.template} · {page.persona_label} · {page.locale}", page.policy)]
    out.append(_header(page))
    out.append(_findings(page.findings, failed))
    box = inbox(page.sender, r.subject, r.preheader, r.text)
    out.append(
        f"<section><h2>Inbox line{APPROX}</h2>"
        f'<div class="inbox-row"><span class="sender">{e(box.sender)}</span>'
        f'<span><span class="subject">{e(box.subject)}</span>'
        + (f'<span class="snippet"> – {e(box.snippet)}</span>' if box.snippet else "")
        + "</span></div>"
        f'<p class="note">About {INBOX_CHARS} characters of subject and preview text, as a '
        "desktop inbox shows them; the preview text is the preheader followed by the first "
        "body text.</p></section>\n"
    )
    if page.views:
        out.append('<div class="row">')
        out.append(_frame(page, "email", "Desktop · 600 px", 602, 900, False))
        out.append(_frame(page, "email", "Mobile · 375 px", 377, 900, False))
        out.append('</div>\n<div class="row">')
        out.append(_frame(page, "dark", "Dark mode · 375 px", 377, 760, True))
        out.append(_frame(page, "noimages", "Images off · 600 px", 602, 760, True))
        out.append(_frame(page, "nostyle", "No <style> · 600 px", 602, 760, True))
        out.append("</div>\n")
    if r.text is not None:
        out.append(f"<section><h2>Plain-text part</h2><pre>{e(r.text)}</pre></section>\n")
    rows = [
        ("Subject", r.subject),
        ("Preheader", r.preheader),
    ]
    details = "".join(
        f'<tr><th>{e(k)}</th><td>{e(v)}</td><td class="note">{len(v)} characters</td></tr>'
        for k, v in rows
        if v is not None
    )
    if r.html is not None:
        size = len(r.html.encode("utf-8"))
        clip = ' <span class="bad">Gmail clips it</span>' if size > GMAIL_CLIP_BYTES else ""
        details += (
            f"<tr><th>HTML size</th><td>{size / 1024:.1f} KB{clip}</td>"
            f'<td class="note">Gmail clips messages over 102 KB</td></tr>'
        )
    out.append(f'<section><h2>Details</h2><table class="stats">{details}</table></section>\n')
    out.append("</main></body></html>\n")
    return "".join(out)


def _segments(info: Any) -> str:
    parts = []
    for i, seg in enumerate(info.segment_texts):
        mark = f'<span class="seg-mark">{i + 1}</span>' if info.segments > 1 else ""
        parts.append(f'<span class="seg{(i + 1) % 2}">{mark}{e(seg)}</span>')
    return "".join(parts)


def sms_page(page: Page, r: Any, failed: bool) -> str:
    out = [head(f"{page.template} · {page.persona_label} · {page.locale}", page.policy)]
    out.append(_header(page))
    out.append(_findings(page.findings, failed))
    info = r.sms
    if info is not None:
        over = info.segments > page.max_segments
        non_gsm = "".join(
            f"<li><code>{e(ch)}</code> U+{ord(ch):04X}"
            + (f" &rarr; <code>{e(info.suggestions[ch])}</code>" if ch in info.suggestions else "")
            + "</li>"
            for ch in info.non_gsm
        )
        unit = "septets" if info.is_gsm else "UTF-16 units"
        cls = ' class="bad"' if over else ""
        stats = (
            f"<tr><th>Encoding</th><td>{e(info.encoding)}</td></tr>"
            f"<tr><th>Segments</th><td{cls}>{info.segments}"
            f" (template allows {page.max_segments})</td></tr>"
            f"<tr><th>Characters</th><td>{info.characters}</td></tr>"
            f"<tr><th>Length</th><td>{info.units} {unit}, {info.unit_limit} per segment</td></tr>"
            "<tr><th>Non-GSM characters</th><td>"
            + (f"<ul>{non_gsm}</ul>" if non_gsm else "none")
            + "</td></tr>"
        )
        out.append(
            f'<div class="row"><section><h2>Phone{APPROX}</h2><div class="phone">'
            f'<div class="from">{e(page.sms_sender)}</div>'
            f'<div class="bubble">{_segments(info)}</div></div></section>'
            f'<section><h2>SMS</h2><table class="stats">{stats}</table>'
            '<p class="note">Segments are shaded alternately where the message is split.</p>'
            "</section></div>\n"
        )
    out.append("</main></body></html>\n")
    return "".join(out)
