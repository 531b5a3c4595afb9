"""`webhook`: a generic JSON API for in-house ATSs, signed with HMAC-SHA256.

  GET  {url}/templates              -> [{"key", "hash", "updated_at"}]   (list)
  GET  {url}/templates/{key}        -> {"key", "hash", "subject", "preheader", "html", "text"}
  PUT  {url}/templates/{key}        <- the unit as JSON (idempotent: same body, same result)
  DELETE {url}/templates/{key}

Every request carries ``X-Atscomms-Timestamp`` and ``X-Atscomms-Signature:
sha256=<hex HMAC of "<timestamp>.<body>">`` with the credential ``secret``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from atscomms.providers.base import BaseProvider, Capabilities, Context, Remote
from atscomms.providers.compile import Unit


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookProvider(BaseProvider):
    name = "webhook"
    description = "Generic JSON API (PUT per template) with an HMAC signature header."
    capabilities = Capabilities(write=True, delete=True, channels=("email", "sms"))
    credentials_needed = ("secret",)
    settings_help = {"url": "API root (HTTPS)", "dialect": "dialect to send (default handlebars)"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        dialect = self.setting("dialect", "handlebars")
        if dialect != "handlebars":
            fields = {f: getattr(self.capabilities, f) for f in Capabilities.__dataclass_fields__}
            self.capabilities = Capabilities(**{**fields, "dialect": dialect})
        self.http = self.client(self.setting("url", required=True))
        self.secret = ctx.credentials["secret"]

    def _send(self, method: str, path: str, kind: str, payload: Any = None) -> Any:
        body = b"" if payload is None else json.dumps(payload, sort_keys=True).encode()
        stamp = str(int(time.time()))
        headers = {
            "X-Atscomms-Timestamp": stamp,
            "X-Atscomms-Signature": signature(self.secret, stamp, body),
            "Content-Type": "application/json",
        }
        return self.http.json(method, path, kind=kind, data=body or None, headers=headers)

    @staticmethod
    def _remote(item: dict[str, Any]) -> Remote:
        fp = f"{item.get('hash')}:{item.get('updated_at')}"
        return Remote(item["key"], item["key"], item.get("hash"), fp)

    def list(self) -> list[Remote]:
        return [self._remote(i) for i in self._send("GET", "/templates", "list") or []]

    def get(self, remote: Remote) -> Remote:
        item = self._send("GET", f"/templates/{remote.key}", "get")
        fresh = self._remote(item)
        fresh.content = {k: item.get(k) for k in ("subject", "preheader", "html", "text")}
        fresh.extra = {"channel": item.get("channel")}
        return fresh

    def create(self, unit: Unit) -> Remote:
        return self.update(Remote(unit.key, unit.key), unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        payload = {**unit.to_dict(), "problems": None}
        return self._remote(self._send("PUT", f"/templates/{unit.key}", "write", payload))

    def delete(self, remote: Remote) -> None:
        self._send("DELETE", f"/templates/{remote.key}", "write")
