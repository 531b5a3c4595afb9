"""`sendgrid`: dynamic templates with versions (Handlebars); rollback re-activates a version.

Endpoints used (https://api.sendgrid.com):
  GET  /v3/templates?generations=dynamic&page_size=200[&page_token=...]   list (with versions)
  GET  /v3/templates/{id}                                               get (version content)
  POST /v3/templates                                                     create
  POST /v3/templates/{id}/versions                                       new active version
  POST /v3/templates/{id}/versions/{version_id}/activate                 activate
  DELETE /v3/templates/{id}

Each version is named ``atscomms <content hash>``, so ``list`` alone tells
which version is active and whether it is ours; the active version's id and
``updated_at`` are the drift fingerprint.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from atscomms.providers.base import BaseProvider, Capabilities, Context, Remote
from atscomms.providers.compile import Unit
from atscomms.providers.http import AmbiguousWrite

PREFIX = "atscomms "


class SendGridProvider(BaseProvider):
    name = "sendgrid"
    description = "SendGrid dynamic templates (versions, activation, rollback)."
    capabilities = Capabilities(write=True, versions=True, delete=True, dialect="handlebars")
    credentials_needed = ("api_key",)
    settings_help = {
        "base_url": "API root (default https://api.sendgrid.com)",
        "rate_limit": "requests per second (default 10)",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.http = self.client(
            "https://api.sendgrid.com",
            headers={"Authorization": f"Bearer {ctx.credentials['api_key']}"},
        )

    # -- reading ---------------------------------------------------------------------
    def _remote(self, t: dict[str, Any]) -> Remote:
        versions = []
        active: dict[str, Any] | None = None
        for v in t.get("versions") or []:
            name = str(v.get("name") or "")
            h = name[len(PREFIX) :] if name.startswith(PREFIX) else None
            versions.append({"id": v["id"], "hash": h, "active": bool(v.get("active"))})
            if v.get("active"):
                active = v
        fingerprint = f"{active['id']}:{active.get('updated_at')}" if active else None
        return Remote(
            key=t["name"],
            id=t["id"],
            hash=next((v["hash"] for v in versions if v["active"]), None),
            fingerprint=fingerprint,
            version_id=active["id"] if active else None,
            versions=versions,
            extra={"empty": not versions, "name": t["name"]},
        )

    def list(self) -> list[Remote]:
        out: list[Remote] = []
        params: dict[str, Any] = {"generations": "dynamic", "page_size": 200}
        while True:
            data = self.http.json("GET", "/v3/templates", kind="list", params=params) or {}
            out.extend(self._remote(t) for t in data.get("result") or [])
            nxt = (data.get("_metadata") or {}).get("next")
            token = parse_qs(urlsplit(nxt).query).get("page_token", [None])[0] if nxt else None
            if not token:
                return out
            params = {**params, "page_token": token}

    def get(self, remote: Remote) -> Remote:
        t = self.http.json("GET", f"/v3/templates/{remote.id}", kind="get")
        fresh = self._remote(t)
        active = next((v for v in t.get("versions") or [] if v.get("active")), None) or {}
        fresh.content = {
            "subject": active.get("subject"),
            "preheader": None,
            "html": active.get("html_content"),
            "text": active.get("plain_content"),
        }
        return fresh

    def _find(self, key: str) -> Remote | None:
        return next((r for r in self.list() if r.key == key), None)

    # -- writing ---------------------------------------------------------------------
    def create(self, unit: Unit) -> Remote:
        body = {"name": unit.key, "generation": "dynamic"}
        try:
            t = self.http.json("POST", "/v3/templates", kind="write", json=body)
            remote = self._remote(t)
        except AmbiguousWrite:
            found = self._find(unit.key)  # did it get created before the connection broke?
            if found is None:
                t = self.http.json("POST", "/v3/templates", kind="write", json=body)
                found = self._remote(t)
            remote = found
        return self.update(remote, unit)

    def update(self, remote: Remote, unit: Unit) -> Remote:
        same = next((v for v in remote.versions if v.get("hash") == unit.hash), None)
        if same is not None:
            return self.activate(remote, same["id"])
        body = {
            "template_id": remote.id,
            "active": 1,
            "name": f"{PREFIX}{unit.hash}",
            "subject": unit.subject or "",
            "html_content": unit.html or "",
            "plain_content": unit.text or "",
            "generate_plain_content": False,
            "editor": "code",
        }
        path = f"/v3/templates/{remote.id}/versions"
        try:
            v = self.http.json("POST", path, kind="write", json=body)
        except AmbiguousWrite:
            fresh = self.get(remote)
            same = next((x for x in fresh.versions if x.get("hash") == unit.hash), None)
            if same is not None:
                return self.activate(fresh, same["id"])
            v = self.http.json("POST", path, kind="write", json=body)
        return Remote(
            remote.key,
            remote.id,
            unit.hash,
            f"{v['id']}:{v.get('updated_at')}",
            v["id"],
            [*remote.versions, {"id": v["id"], "hash": unit.hash, "active": True}],
        )

    def activate(self, remote: Remote, version_id: str) -> Remote:
        path = f"/v3/templates/{remote.id}/versions/{version_id}/activate"
        v = self.http.json("POST", path, kind="write", idempotent=True)
        h = next((x.get("hash") for x in remote.versions if x["id"] == version_id), None)
        return Remote(
            remote.key, remote.id, h, f"{v['id']}:{v.get('updated_at')}", v["id"], remote.versions
        )

    def delete(self, remote: Remote) -> None:
        self.http.request("DELETE", f"/v3/templates/{remote.id}", kind="write")
