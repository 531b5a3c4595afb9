"""Contract servers for Postmark, Mailgun, Greenhouse (Harvest) and the generic webhook."""

from __future__ import annotations

import base64
import itertools
import json
import re
from typing import Any

from .server import ContractServer, Request, Response


class PostmarkServer(ContractServer):
    def __init__(self, token: str = "pm-server-token", **kw: Any) -> None:
        super().__init__(**kw)
        self.token = token
        self.templates: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(1000)

    def handle(self, req: Request) -> Response:
        if req.headers.get("X-Postmark-Server-Token") != self.token:
            return Response(401, {"ErrorCode": 10, "Message": "bad token"})
        if req.method == "GET" and req.path == "/templates":
            count, offset = int(req.query["Count"][0]), int(req.query["Offset"][0])
            items = list(self.templates.values())
            return Response(
                200,
                {
                    "TotalCount": len(items),
                    "Templates": [
                        {k: t[k] for k in ("TemplateId", "Name", "Alias", "Active", "TemplateType")}
                        for t in items[offset : offset + count]
                    ],
                },
            )
        if req.method == "POST" and req.path == "/templates/validate":
            bad = "{{#" in (req.body.get("HtmlBody") or "") and "{{/" not in req.body["HtmlBody"]
            part = {
                "ContentIsValid": not bad,
                "ValidationErrors": [{"Message": "unclosed section"}] if bad else [],
            }
            return Response(200, {"AllContentIsValid": not bad, "HtmlBody": part})
        if req.method == "POST" and req.path == "/templates":
            alias = req.body["Alias"]
            if alias in self.templates:
                return Response(422, {"ErrorCode": 1101, "Message": "alias exists"})
            t = {**req.body, "TemplateId": next(self.ids), "Active": True}
            self.templates[alias] = t
            return Response(200, {k: t[k] for k in ("TemplateId", "Name", "Alias", "Active")})
        if req.method == "PUT" and req.path == "/templates/push":
            return Response(200, {"TotalCount": 0, "Templates": []})
        m = re.fullmatch(r"/templates/([^/]+)", req.path)
        if m:
            t = self.templates.get(m.group(1))
            if t is None:
                return Response(404, {"ErrorCode": 1101, "Message": "not found"})
            if req.method == "GET":
                return Response(200, t)
            if req.method == "PUT":
                t.update(req.body)
                return Response(200, {k: t[k] for k in ("TemplateId", "Name", "Alias", "Active")})
        return Response(404, {"Message": "no route"})


class MailgunServer(ContractServer):
    def __init__(
        self, key: str = "mg-key-123456", domain: str = "mg.acme.example", **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.auth = "Basic " + base64.b64encode(f"api:{key}".encode()).decode()
        self.base = f"/v3/{domain}/templates"
        self.templates: dict[str, dict[str, Any]] = {}

    def handle(self, req: Request) -> Response:
        if req.headers.get("Authorization") != self.auth:
            return Response(401, {"message": "Invalid private key"})
        if req.path == self.base and req.method == "GET":
            names = sorted(self.templates)
            start = names.index(req.query["p"][0]) + 1 if "p" in req.query else 0
            page = names[start : start + int(req.query.get("limit", ["10"])[0])]
            paging = {"next": f"{self.base}?page=next&p={page[-1]}&limit=100"} if page else {}
            return Response(
                200,
                {
                    "items": [{"name": n, "id": n, "description": ""} for n in page],
                    "paging": paging,
                },
            )
        if req.path == self.base and req.method == "POST":
            b = req.body
            if b["name"] in self.templates:
                return Response(409, {"message": "template already exists"})
            self.templates[b["name"]] = {"versions": {b["tag"]: {**b, "active": True}}}
            return Response(200, {"message": "template has been stored"})
        m = re.fullmatch(re.escape(self.base) + r"/([^/]+)(/versions(?:/([^/]+))?)?", req.path)
        if not m or m.group(1) not in self.templates:
            return Response(404, {"message": "template not found"})
        t = self.templates[m.group(1)]
        if m.group(2) is None and req.method == "GET":
            v = next(v for v in t["versions"].values() if v["active"])
            return Response(
                200,
                {
                    "template": {
                        "name": m.group(1),
                        "version": {
                            "tag": v["tag"],
                            "template": v["template"],
                            "active": True,
                            "headers": json.loads(v.get("headers") or "{}"),
                        },
                    }
                },
            )
        if m.group(2) is None and req.method == "DELETE":
            del self.templates[m.group(1)]
            return Response(200, {"message": "deleted"})
        if m.group(3) is None and req.method == "POST":
            b = req.body
            if b["tag"] in t["versions"]:
                return Response(409, {"message": "version tag exists"})
            for v in t["versions"].values():
                v["active"] = False
            t["versions"][b["tag"]] = {**b, "active": True}
            return Response(200, {"message": "new version of the template has been stored"})
        if m.group(3) and req.method == "PUT":
            if m.group(3) not in t["versions"]:
                return Response(404, {"message": "version not found"})
            for v in t["versions"].values():
                v["active"] = False
            t["versions"][m.group(3)]["active"] = True
            return Response(200, {"message": "version has been updated"})
        return Response(404, {"message": "no route"})

    def active(self) -> dict[str, dict[str, Any]]:
        return {
            n: next(v for v in t["versions"].values() if v["active"])
            for n, t in self.templates.items()
        }


class GreenhouseServer(ContractServer):
    def __init__(
        self, key: str = "gh-key-123456", items: list[dict[str, Any]] | None = None, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
        self.items = items or []

    def handle(self, req: Request) -> Response:
        if req.headers.get("Authorization") != self.auth:
            return Response(401, {"message": "Invalid Basic Auth credentials"})
        if req.method == "GET" and req.path == "/v1/email_templates":
            per, page = int(req.query["per_page"][0]), int(req.query["page"][0])
            return Response(200, self.items[(page - 1) * per : page * per])
        return Response(405, {"message": "read-only"})


class WebhookServer(ContractServer):
    def __init__(self, secret: str = "whsec-123456", **kw: Any) -> None:
        super().__init__(**kw)
        self.secret = secret
        self.templates: dict[str, dict[str, Any]] = {}
        self.clock = itertools.count(1)

    def handle(self, req: Request) -> Response:
        from atscomms.providers.builtin.webhook import signature

        stamp = req.headers.get("X-Atscomms-Timestamp", "")
        if req.headers.get("X-Atscomms-Signature") != signature(self.secret, stamp, req.raw):
            return Response(401, {"error": "bad signature"})
        if req.method == "GET" and req.path == "/templates":
            return Response(
                200,
                [
                    {"key": k, "hash": t["hash"], "updated_at": t["updated_at"]}
                    for k, t in sorted(self.templates.items())
                ],
            )
        m = re.fullmatch(r"/templates/([^/]+)", req.path)
        if m and req.method == "PUT":
            self.templates[m.group(1)] = {**req.body, "updated_at": next(self.clock)}
            t = self.templates[m.group(1)]
            return Response(
                200, {"key": m.group(1), "hash": t["hash"], "updated_at": t["updated_at"]}
            )
        if m and req.method == "GET" and m.group(1) in self.templates:
            return Response(200, {"key": m.group(1), **self.templates[m.group(1)]})
        return Response(404, {"error": "not found"})
