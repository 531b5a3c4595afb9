"""Dialects: what a provider's template engine understands.

``handlebars`` (SendGrid, Mailgun, the local store, webhooks), ``mustachio``
(Postmark) and the token-only syntaxes of ATSs (``greenhouse``, ``lever``,
``smartrecruiters``, ``teamtailor``, ``opencats``), whose placeholder names come
from the field registry (``fields.yaml`` -> ``tokens``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from atscomms.providers.dialects.emit import TOKEN_SYNTAX, Emitter, Handlebars, Mustachio, Tokens

if TYPE_CHECKING:
    from atscomms.model.workspace import Workspace

LOGIC_DIALECTS = ("handlebars", "mustachio")
TOKEN_DIALECTS = tuple(TOKEN_SYNTAX)
DIALECTS = LOGIC_DIALECTS + TOKEN_DIALECTS


def is_token_dialect(name: str) -> bool:
    return name in TOKEN_DIALECTS


def tokens_for(ws: Workspace | None, dialect: str) -> dict[str, str]:
    """Dotted field name -> the dialect's token, from the field registry."""
    if ws is None or ws.fields is None:
        return {}
    return {n: f.tokens[dialect] for n, f in ws.fields.fields.items() if dialect in f.tokens}


def emitter(name: str, ws: Workspace | None = None) -> Emitter:
    if name == "handlebars":
        return Handlebars()
    if name == "mustachio":
        return Mustachio()
    if name in TOKEN_DIALECTS:
        known = set(ws.fields.fields) if ws is not None and ws.fields is not None else None
        return Tokens(name, tokens_for(ws, name), known)
    raise ValueError(f"unknown dialect {name!r} (known: {', '.join(DIALECTS)})")
