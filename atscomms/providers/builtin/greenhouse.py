"""`greenhouse`: read-only. Harvest lists email templates but cannot write them, so
plan reports drift and pull imports; push is refused (use `export` for bundles).

  GET https://harvest.greenhouse.io/v1/email_templates?per_page=500&page=N
  (Basic auth: the API key as user name; pagination by page number.)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from atscomms.providers.base import BaseProvider, Capabilities, Context, Remote


class GreenhouseProvider(BaseProvider):
    name = "greenhouse"
    description = "Greenhouse Harvest email templates (read-only: plan drift, pull)."
    capabilities = Capabilities(get=False, write=False, dialect="greenhouse")
    credentials_needed = ("api_key",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.http = self.client(
            "https://harvest.greenhouse.io", auth=(ctx.credentials["api_key"], "")
        )
        self._items: dict[str, dict[str, Any]] = {}

    def list(self) -> list[Remote]:
        out: list[Remote] = []
        page = 1
        while True:
            items = (
                self.http.json(
                    "GET",
                    "/v1/email_templates",
                    kind="list",
                    params={"per_page": 500, "page": page},
                )
                or []
            )
            for item in items:
                key = str(item.get("name"))
                content = {
                    "subject": item.get("subject"),
                    "preheader": None,
                    "html": item.get("html_body"),
                    "text": item.get("body"),
                }
                raw = json.dumps(content, sort_keys=True).encode()
                fp = hashlib.sha256(raw).hexdigest()[:16]
                remote = Remote(
                    key,
                    str(item.get("id")),
                    None,
                    fp,
                    content=content,
                    extra={"name": key, "updated_at": item.get("updated_at")},
                )
                self._items[key] = item
                out.append(remote)
            if len(items) < 500:
                return out
            page += 1

    def get(self, remote: Remote) -> Remote:
        return remote  # list already carries the content
