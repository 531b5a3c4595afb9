"""SendGrid dynamic templates (the endpoints atscomms uses)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from .server import ContractServer, Request, Response


class SendGridServer(ContractServer):
    def __init__(self, api_key: str = "SG.test-key-123456", **kw: Any) -> None:
        super().__init__(**kw)
        self.api_key = api_key
        self.templates: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(1)
        self.clock = itertools.count(1)

    def _now(self) -> str:
        return f"2026-01-01 00:00:{next(self.clock):02d}"

    def _version_summary(self, v: dict[str, Any]) -> dict[str, Any]:
        return {k: v[k] for k in ("id", "template_id", "active", "name", "updated_at")}

    def handle(self, req: Request) -> Response:
        if req.headers.get("Authorization") != f"Bearer {self.api_key}":
            return Response(401, {"errors": [{"message": "authorization required"}]})
        path = req.path
        if req.method == "GET" and path == "/v3/templates":
            size = int(req.query.get("page_size", ["10"])[0])
            start = int(req.query.get("page_token", ["0"])[0])
            items = list(self.templates.values())
            page = items[start : start + size]
            meta: dict[str, Any] = {"count": len(items)}
            if start + size < len(items):
                meta["next"] = f"/v3/templates?page_size={size}&page_token={start + size}"
            return Response(
                200,
                {
                    "result": [
                        {
                            **{k: t[k] for k in ("id", "name", "generation", "updated_at")},
                            "versions": [self._version_summary(v) for v in t["versions"]],
                        }
                        for t in page
                    ],
                    "_metadata": meta,
                },
            )
        if req.method == "POST" and path == "/v3/templates":
            tid = f"d-{next(self.ids):032d}"
            t = {
                "id": tid,
                "name": req.body["name"],
                "generation": "dynamic",
                "updated_at": self._now(),
                "versions": [],
            }
            self.templates[tid] = t
            return Response(201, t)
        m = re.fullmatch(r"/v3/templates/([^/]+)", path)
        if m:
            t = self.templates.get(m.group(1))
            if t is None:
                return Response(404, {"errors": [{"message": "not found"}]})
            if req.method == "GET":
                return Response(200, t)
            if req.method == "DELETE":
                del self.templates[m.group(1)]
                return Response(204)
        m = re.fullmatch(r"/v3/templates/([^/]+)/versions", path)
        if m and req.method == "POST":
            t = self.templates.get(m.group(1))
            if t is None:
                return Response(404, {"errors": [{"message": "not found"}]})
            body = req.body
            v = {
                "id": f"v-{next(self.ids)}",
                "template_id": t["id"],
                "active": 1 if body.get("active") else 0,
                "name": body["name"],
                "subject": body["subject"],
                "html_content": body["html_content"],
                "plain_content": body["plain_content"],
                "editor": body.get("editor"),
                "updated_at": self._now(),
            }
            if v["active"]:
                for other in t["versions"]:
                    other["active"] = 0
            t["versions"].append(v)
            return Response(201, v)
        m = re.fullmatch(r"/v3/templates/([^/]+)/versions/([^/]+)/activate", path)
        if m and req.method == "POST":
            t = self.templates.get(m.group(1))
            v = next((v for v in (t or {}).get("versions", []) if v["id"] == m.group(2)), None)
            if v is None:
                return Response(404, {"errors": [{"message": "not found"}]})
            for other in t["versions"]:  # type: ignore[index]
                other["active"] = 0
            v["active"] = 1
            return Response(200, v)
        return Response(404, {"errors": [{"message": f"no route {req.method} {path}"}]})

    # -- helpers for tests -------------------------------------------------------------
    def active(self) -> dict[str, dict[str, Any]]:
        """name -> active version."""
        return {
            t["name"]: next(v for v in t["versions"] if v["active"])
            for t in self.templates.values()
            if any(v["active"] for v in t["versions"])
        }

    def edit_remotely(self, name: str, html: str) -> None:
        t = next(t for t in self.templates.values() if t["name"] == name)
        v = next(v for v in t["versions"] if v["active"])
        v["html_content"] = html
        v["updated_at"] = self._now()
