"""A threaded HTTP server with a request log and scripted faults."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw: bytes
    fault: str | None = None
    at: float = 0.0

    @property
    def body(self) -> Any:
        ctype = self.headers.get("Content-Type", "")
        if "json" in ctype and self.raw:
            return json.loads(self.raw)
        if "form" in ctype:
            return {k: v[0] for k, v in parse_qs(self.raw.decode()).items()}
        return self.raw.decode() if self.raw else None


@dataclass
class Fault:
    method: str
    path: str  # regex on the path
    kind: str  # 429 | 500 | slow | drop | drop_after
    times: int = 1
    retry_after: str = "1"
    delay: float = 2.0


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ContractServer:
    """Subclass and implement ``handle(req) -> Response``."""

    def __init__(self, latency: float = 0.0, rate_limit: float | None = None) -> None:
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.latency = latency
        self.rate_limit = rate_limit  # server-side: 429 when exceeded (per second window)
        self.lock = threading.RLock()
        self._window: list[float] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                req = Request(
                    self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), raw
                )
                server.dispatch(self, req)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ContractServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def inject(self, method: str, path: str, kind: str, **kw: Any) -> None:
        with self.lock:
            self.faults.append(Fault(method, path, kind, **kw))

    def _fault(self, req: Request) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.times > 0 and f.method == req.method and re.fullmatch(f.path, req.path):
                    f.times -= 1
                    return f
        return None

    def calls(self, method: str | None = None, pattern: str = ".*") -> list[Request]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and re.fullmatch(pattern, r.path)
        ]

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    def dispatch(self, handler: BaseHTTPRequestHandler, req: Request) -> None:
        fault = self._fault(req)
        req.fault = fault.kind if fault else None
        req.at = time.monotonic()
        with self.lock:
            self.requests.append(req)
        if self.latency:
            time.sleep(self.latency)
        if self.rate_limit and not fault:
            with self.lock:
                now = time.monotonic()
                self._window = [t for t in self._window if now - t < 1.0]
                over = len(self._window) >= self.rate_limit
                if not over:
                    self._window.append(now)
            if over:
                req.fault = "429-rate"
                self._send(
                    handler,
                    Response(429, {"errors": [{"message": "too many"}]}, {"Retry-After": "1"}),
                )
                return
        if fault is not None:
            if fault.kind == "429":
                self._send(
                    handler,
                    Response(
                        429,
                        {"errors": [{"message": "rate limited"}]},
                        {"Retry-After": fault.retry_after},
                    ),
                )
                return
            if fault.kind == "500":
                self._send(handler, Response(500, {"errors": [{"message": "boom"}]}))
                return
            if fault.kind == "drop":
                self._drop(handler)
                return
        with self.lock:
            resp = self.handle(req)
        if fault is not None and fault.kind == "drop_after":
            self._drop(handler)  # applied, but the client never hears back
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        self._send(handler, resp)

    def _drop(self, handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, handler: BaseHTTPRequestHandler, resp: Response) -> None:
        body = b"" if resp.body is None else json.dumps(resp.body).encode()
        try:
            handler.send_response(resp.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            for k, v in resp.headers.items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass

    def handle(self, req: Request) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError
