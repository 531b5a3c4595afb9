"""`postmark`: Standard templates in Mustachio, validated server-side before each write.

  GET  /templates?Count=500&Offset=N&TemplateType=Standard   list (aliases, no content)
  GET  /templates/{alias}                                    get
  POST /templates/validate                                   server-side validation
  POST /templates                                            create (Alias = unit key)
  PUT  /templates/{alias}                                    update (idempotent)
  PUT  /templates/push                                       copy between servers (dry run)

The ``Name`` carries our content hash (``<key> [atscomms <hash>]``). Postmark's
list has no content or date, so drift needs a ``get`` per pushed template.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from atscomms.providers.base import BaseProvider, Capabilities, Context, ProviderError, Remote
from atscomms.providers.compile import Unit
from atscomms.providers.http import AmbiguousWrite, HttpError

_HASH = re.compile(r"\[atscomms ([0-9a-f]+)\]$")


def _fp(item: dict[str, Any]) -> str:
    raw = json.dumps([item.get("Subject"), item.get("HtmlBody"), item.get("TextBody")]).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


class PostmarkProvider(BaseProvider):
    name = "postmark"
    description = "Postmark templates (Mustachio), validated server-side before writing."
    capabilities = Capabilities(
        write=True, delete=True, validate=True, list_fingerprints=False, dialect="mustachio"
    )
    credentials_needed = ("server_token",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        headers = {
            "X-Postmark-Server-Token": ctx.credentials["server_token"],
            "Accept": "application/json",
        }
        if ctx.credentials.get("account_token"):
            headers["X-Postmark-Account-Token"] = ctx.credentials["account_token"]
        self.http = self.client("https://api.postmarkapp.com", headers=headers)

    def _remote(self, item: dict[str, Any], full: bool = False) -> Remote:
        m = _HASH.search(str(item.get("Name") or ""))
        remote = Remote(
            item.get("Alias") or str(item["TemplateId"]),
            str(item["TemplateId"]),
            m.group(1) if m else None,
            _fp(item) if full else None,
            extra={"name": item.get("Name")},
        )
        if full:
            remote.content = {
                "subject": item.get("Subject"),
                "preheader": None,
                "html": item.get("HtmlBody"),
                "text": item.get("TextBody"),
            }
        return remote

    def list(self) -> list[Remote]:
        out: list[Remote] = []
        offset = 0
        while True:
            data = (
                self.http.json(
                    "GET",
                    "/templates",
                    kind="list",
                    params={"Count": 500, "Offset": offset, "TemplateType": "Standard"},
                )
                or {}
            )
            items = data.get("Templates") or []
            out += [self._remote(i) for i in items]
            offset += len(items)
            if not items or offset >= int(data.get("TotalCount") or 0):
                return out

    def get(self, remote: Remote) -> Remote:
        return self._remote(self.http.json("GET", f"/templates/{remote.key}", kind="get"), True)

    def _body(self, unit: Unit) -> dict[str, Any]:
        return {
            "Name": f"{unit.key} [atscomms {unit.hash}]",
            "Subject": unit.subject or "",
            "HtmlBody": unit.html,
            "TextBody": unit.text,
            "TemplateType": "Standard",
        }

    def validate(self, unit: Unit) -> list[str]:
        body = {k: v for k, v in self._body(unit).items() if k != "Name"}
        data = (
            self.http.json(
                "POST",
                "/templates/validate",
                kind="get",
                idempotent=True,
                json={**body, "TestRenderModel": {}},
            )
            or {}
        )
        if data.get("AllContentIsValid", True):
            return []
        errors = []
        for part in ("Subject", "HtmlBody", "TextBody"):
            for e in (data.get(part) or {}).get("ValidationErrors") or []:
                errors.append(f"{part}: {e.get('Message')}")
        return errors or ["Postmark rejected the template"]

    def _check(self, unit: Unit) -> None:
        errors = self.validate(unit)
        if errors:
            raise ProviderError(f"{unit.key}: Postmark validation failed: {'; '.join(errors)}")

    def create(self, unit: Unit) -> Remote:
        self._check(unit)
        body = {**self._body(unit), "Alias": unit.key}
        try:
            item = self.http.json("POST", "/templates", kind="write", json=body)
        except AmbiguousWrite:
            try:
                self.http.json("GET", f"/templates/{unit.key}", kind="get")
            except HttpError as exc:
                if exc.status != 404:
                    raise
                item = self.http.json("POST", "/templates", kind="write", json=body)
            else:
                return self.update(Remote(unit.key, unit.key), unit)
        return self._written(item, unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        self._check(unit)
        item = self.http.json("PUT", f"/templates/{unit.key}", kind="write", json=self._body(unit))
        return self._written(item, unit)

    def _written(self, item: dict[str, Any], unit: Unit) -> Remote:
        full = {"Subject": unit.subject or "", "HtmlBody": unit.html, "TextBody": unit.text}
        return Remote(unit.key, str(item.get("TemplateId", unit.key)), unit.hash, _fp(full))

    def delete(self, remote: Remote) -> None:
        self.http.request("DELETE", f"/templates/{remote.key}", kind="write")

    def server_push(self, source: str, destination: str, *, perform: bool = False) -> Any:
        """Postmark's template push between servers; ``perform=False`` is its dry run."""
        return self.http.json(
            "PUT",
            "/templates/push",
            kind="write" if perform else "get",
            json={
                "SourceServerID": source,
                "DestinationServerID": destination,
                "PerformChanges": perform,
            },
        )
