"""`mailgun`: templates with versions by tag (Handlebars); the active version is sent.

  GET  /v3/{domain}/templates?limit=100[&page=next&p=NAME]     list (names only)
  GET  /v3/{domain}/templates/{name}?active=yes                 active version content
  POST /v3/{domain}/templates                                   create (first version active)
  POST /v3/{domain}/templates/{name}/versions                   new version, active=yes
  PUT  /v3/{domain}/templates/{name}/versions/{tag}             active=yes (activate)
  DELETE /v3/{domain}/templates/{name}

Tags are ``h-<content hash>``. Mailgun's list carries no version or date, so
drift needs one ``get`` per template pushed before (``list_fingerprints=False``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from atscomms.providers.base import BaseProvider, Capabilities, Context, Remote
from atscomms.providers.compile import Unit
from atscomms.providers.http import AmbiguousWrite, HttpError


def _fp(subject: str | None, html: str | None) -> str:
    raw = json.dumps([subject or "", html or ""]).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


class MailgunProvider(BaseProvider):
    name = "mailgun"
    description = "Mailgun templates with versions by tag (activation, rollback)."
    capabilities = Capabilities(write=True, versions=True, delete=True, list_fingerprints=False)
    credentials_needed = ("api_key",)
    settings_help = {"domain": "sending domain", "base_url": "https://api.mailgun.net or EU"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.domain = self.setting("domain", required=True)
        self.http = self.client("https://api.mailgun.net", auth=("api", ctx.credentials["api_key"]))
        self.base = f"/v3/{self.domain}/templates"

    def list(self) -> list[Remote]:
        out: list[Remote] = []
        params: dict[str, Any] = {"limit": 100}
        while True:
            data = self.http.json("GET", self.base, kind="list", params=params) or {}
            items = data.get("items") or []
            out += [
                Remote(i["name"], i.get("id") or i["name"], extra={"name": i["name"]})
                for i in items
            ]
            nxt = (data.get("paging") or {}).get("next")
            query = parse_qs(urlsplit(nxt).query) if nxt else {}
            if not items or "p" not in query:
                return out
            params = {"limit": 100, "page": "next", "p": query["p"][0]}

    def get(self, remote: Remote) -> Remote:
        data = self.http.json(
            "GET", f"{self.base}/{remote.key}", kind="get", params={"active": "yes"}
        )
        version = (data.get("template") or {}).get("version") or {}
        headers = version.get("headers") or {}
        subject = headers.get("Subject")
        tag = str(version.get("tag") or "")
        h = tag[2:] if tag.startswith("h-") else None
        html = version.get("template")
        return Remote(
            remote.key,
            remote.id,
            h,
            _fp(subject, html),
            tag or None,
            content={"subject": subject, "preheader": None, "html": html, "text": None},
        )

    def _form(self, unit: Unit) -> dict[str, str]:
        return {
            "template": unit.html or unit.text or "",
            "tag": f"h-{unit.hash}",
            "comment": f"atscomms {unit.template} {unit.locale}",
            "headers": json.dumps({"Subject": unit.subject or ""}),
        }

    def _done(self, unit: Unit) -> Remote:
        return Remote(
            unit.key,
            unit.key,
            unit.hash,
            _fp(unit.subject, unit.html or unit.text),
            f"h-{unit.hash}",
        )

    def create(self, unit: Unit) -> Remote:
        form = {"name": unit.key, "description": f"atscomms {unit.template}", **self._form(unit)}
        try:
            self.http.request("POST", self.base, kind="write", data=form)
        except AmbiguousWrite:
            try:
                found = self.get(Remote(unit.key, unit.key))
            except HttpError as exc:
                if exc.status != 404:
                    raise
                self.http.request("POST", self.base, kind="write", data=form)
            else:
                return self.update(found, unit)
        return self._done(unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        try:
            self.http.request(
                "POST",
                f"{self.base}/{remote.key}/versions",
                kind="write",
                data={**self._form(unit), "active": "yes"},
            )
        except AmbiguousWrite:
            self.activate(remote, f"h-{unit.hash}")
        except HttpError as exc:
            if exc.status != 409:  # the tag exists already: activate it
                raise
            self.activate(remote, f"h-{unit.hash}")
        return self._done(unit)

    def activate(self, remote: Remote, version_id: str) -> Remote:
        self.http.request(
            "PUT",
            f"{self.base}/{remote.key}/versions/{version_id}",
            kind="write",
            data={"active": "yes"},
        )
        return self.get(remote)

    def delete(self, remote: Remote) -> None:
        self.http.request("DELETE", f"{self.base}/{remote.key}", kind="write")
