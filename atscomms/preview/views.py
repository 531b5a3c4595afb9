"""The email as different clients would show it: pure string transforms of the rendered HTML.

Each view is a complete HTML document with a Content-Security-Policy ``<meta>`` placed
before anything that could load a resource, so a preview never fires a tracking pixel or
runs a script unless remote images are explicitly allowed. Views other than the email
itself are *approximations* and say so on the gallery page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: View name -> what the gallery page calls it.
VIEWS = ("email", "dark", "noimages", "nostyle")


def csp(allow_remote_images: bool = False, *, frames: bool = False, scripts: tuple = ()) -> str:
    """The policy for a gallery page (``frames``) or an email document (no frames)."""
    img = "data: 'self'" + (" https: http:" if allow_remote_images else "")
    parts = [
        "default-src 'none'",
        f"img-src {img}",
        "style-src 'unsafe-inline'",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if frames:
        parts.append("frame-src 'self'")
    if scripts:
        parts.append("script-src " + " ".join(f"'{h}'" for h in scripts))
    return "; ".join(parts)


def csp_meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">'


# The start of a document up to where a <meta> may go: doctype, <html ...>, <head ...>.
_PROLOGUE = re.compile(
    r"\A(?:\ufeff)?\s*(?:<!doctype[^>]*>\s*)?(?:<html\b[^>]*>\s*)?(?:<head\b[^>]*>)?",
    re.IGNORECASE,
)


def with_head(doc: str, extra: str) -> str:
    """Insert ``extra`` before anything in ``doc`` that could load a resource."""
    end = _PROLOGUE.match(doc).end()  # type: ignore[union-attr]  # always matches
    return doc[:end] + extra + doc[end:]


def document(doc: str, policy: str, extra: str = "") -> str:
    """``doc`` with the CSP first, then a no-referrer policy and ``extra`` head content."""
    head = csp_meta(policy) + '<meta name="referrer" content="no-referrer">' + extra
    if not re.search(r"<html\b", doc[:2000], re.IGNORECASE):  # a fragment
        doc = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{doc}</body></html>'
    return with_head(doc, head)


# -- no <style>: Gmail with a non-Google account drops <style> blocks, keeps inline styles -----
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_STYLESHEET_LINK = re.compile(r"<link\b[^>]*\bstylesheet\b[^>]*>", re.IGNORECASE)


def no_style(doc: str) -> str:
    return _STYLESHEET_LINK.sub("", _STYLE_BLOCK.sub("", doc))


# -- images off: each <img> becomes a box with its alt text ------------------------------
_IMG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_BG_URL = re.compile(r"background(?:-image)?\s*:[^;\"'>]*url\([^)]*\)[^;\"'>]*;?", re.IGNORECASE)
_BG_ATTR = re.compile(r"\sbackground\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
_PX = re.compile(r"(\d{1,4})")
_BOX = (
    "display:inline-block;box-sizing:border-box;vertical-align:middle;overflow:hidden;"
    "border:1px dashed #8a94a6;background:#f3f4f6;color:#3e4c59;"
    "font:12px/1.35 Helvetica,Arial,sans-serif;padding:4px 6px;text-align:center;"
)


def _attrs(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in _ATTR.findall(tag[4:-1].rstrip("/")):
        value = value[1:-1] if value[:1] in "\"'" and len(value) >= 2 else value
        out.setdefault(name.lower(), html.unescape(value))
    return out


def _size(attrs: dict[str, str], name: str) -> int | None:
    value = attrs.get(name)
    if value is None:
        style = attrs.get("style", "")
        m = re.search(rf"(?:^|;)\s*{name}\s*:\s*(\d{{1,4}})px", style, re.IGNORECASE)
        value = m.group(1) if m else None
    m = _PX.match(value.strip()) if value else None
    return int(m.group(1)) if m else None


def _alt_box(match: re.Match[str]) -> str:
    attrs = _attrs(match.group(0))
    width, height = _size(attrs, "width"), _size(attrs, "height")
    style = _BOX + (f"width:{min(width, 600)}px;max-width:100%;" if width else "")
    style += f"min-height:{min(height, 400)}px;" if height else "min-height:20px;"
    if "alt" not in attrs:
        return f'<span style="{style}color:#b42318;">[image without alt text]</span>'
    alt = html.escape(attrs["alt"])
    return f'<span style="{style}" title="alt text">{alt}</span>'


def images_off(doc: str) -> str:
    doc = _IMG.sub(_alt_box, doc)
    return _BG_ATTR.sub("", _BG_URL.sub("", doc))


# -- dark mode ------------------------------------------------------------------------------
_DARK_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.IGNORECASE)
_LIGHT_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.IGNORECASE)
_INVERT = (
    "<style>html{filter:invert(1) hue-rotate(180deg);background:#fff;min-height:100%}"
    "img,video,picture,[background],[style*='background-image']"
    "{filter:invert(1) hue-rotate(180deg)}</style>"
)


@dataclass(frozen=True, slots=True)
class Dark:
    doc: str
    how: str  # "own-styles" or "inverted"


def dark(doc: str) -> Dark:
    """The email's own ``prefers-color-scheme: dark`` styles when it has them (as Apple Mail
    applies them), else a full colour inversion (as Outlook.com and the Gmail app may do)."""
    if _DARK_QUERY.search(doc):
        doc = _LIGHT_QUERY.sub("(max-width: 0px)", _DARK_QUERY.sub("(min-width: 0px)", doc))
        return Dark(with_head(doc, '<meta name="color-scheme" content="dark">'), "own-styles")
    return Dark(with_head(doc, _INVERT), "inverted")


def views(email_html: str, policy: str) -> dict[str, tuple[str, str]]:
    """Every view document of one email: name -> (document, note)."""
    d = dark(email_html)
    note = (
        "the email's own prefers-color-scheme: dark styles, as Apple Mail applies them"
        if d.how == "own-styles"
        else "colours fully inverted, as Outlook.com and the Gmail app may do; "
        "the email declares no dark styles"
    )
    return {
        "email": (document(email_html, policy), ""),
        "dark": (document(d.doc, policy), note),
        "noimages": (
            document(images_off(email_html), policy),
            "every image replaced by its alt text, as clients show it with images blocked",
        ),
        "nostyle": (
            document(no_style(email_html), policy),
            "<style> blocks removed, inline styles kept, as Gmail shows it to non-Google "
            "accounts (IMAP/POP)",
        ),
    }
