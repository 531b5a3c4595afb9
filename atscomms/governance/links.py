"""Link checking for `atscomms audit --check-links`: real HTTP, carefully.

* ``HEAD`` first, ``GET`` (streamed, body never read) when a server refuses
  ``HEAD`` (405, 501, 403) or drops it;
* redirects are followed by hand (at most :data:`MAX_REDIRECTS`) so that every
  hop is checked against the address policy;
* never to private, loopback, link-local, multicast, reserved or unspecified
  addresses (after DNS resolution) unless ``allow_private=True``;
* bounded concurrency (a thread pool of ``workers``) and a timeout on every
  connection and read.

Known limit: the address check resolves the name once before the request;
``requests`` resolves it again to connect (a DNS-rebinding window).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
_BARE = re.compile(r"""https?://[^\s<>"')\]]+""")


@dataclass(slots=True)
class LinkResult:
    url: str
    status: str  # ok | broken | blocked | error
    code: int | None = None
    detail: str = ""
    final_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
            "final_url": self.final_url,
        }


def extract(html: str | None, text: str | None = None) -> set[str]:
    """http(s) links in rendered HTML (href/src) and plain text (bare URLs)."""
    import html as html_lib

    found: set[str] = set()
    for m in _HREF.finditer(html or ""):
        found.add(html_lib.unescape(m.group(1)).strip())
    for m in _BARE.finditer(text or ""):
        found.add(m.group(0).rstrip(".,;:!?"))
    return {u for u in found if u.lower().startswith(("http://", "https://"))}


def address_problem(url: str, allow_private: bool) -> str | None:
    """Why ``url`` must not be requested (None: it may)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not checked"
    host = parts.hostname
    if not host:
        return "no host"
    if allow_private:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "invalid port"
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
            or not ip.is_global
        ):
            return f"{host} resolves to a non-public address ({ip}); use --allow-private"
    return None


def check(
    url: str, *, allow_private: bool = False, timeout: float = 10.0, user_agent: str = "atscomms"
) -> LinkResult:
    import requests

    headers = {"User-Agent": user_agent, "Accept": "*/*"}
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        problem = address_problem(current, allow_private)
        if problem is not None:
            status = "blocked" if "non-public" in problem else "error"
            return LinkResult(url, status, None, problem, current)
        try:
            resp = requests.head(
                current, headers=headers, timeout=(timeout, timeout), allow_redirects=False
            )
            resp.close()
            if resp.status_code in (403, 405, 501):
                resp = _get(current, headers, timeout)
        except requests.Timeout:
            return LinkResult(url, "error", None, f"timed out after {timeout:g}s", current)
        except requests.RequestException:
            try:  # some servers drop HEAD requests: try GET once
                resp = _get(current, headers, timeout)
            except requests.Timeout:
                return LinkResult(url, "error", None, f"timed out after {timeout:g}s", current)
            except requests.RequestException as exc:
                return LinkResult(url, "error", None, _short(exc), current)
        if resp.is_redirect or resp.status_code in (301, 302, 303, 307, 308):
            location = resp.headers.get("Location")
            if not location:
                return LinkResult(url, "broken", resp.status_code, "redirect without Location")
            current = urljoin(current, location)
            continue
        code = resp.status_code
        if 200 <= code < 300:
            return LinkResult(url, "ok", code, resp.reason or "", current)
        return LinkResult(url, "broken", code, resp.reason or "", current)
    return LinkResult(url, "error", None, f"more than {MAX_REDIRECTS} redirects", current)


def _get(url: str, headers: dict[str, str], timeout: float) -> Any:
    import requests

    resp = requests.get(
        url, headers=headers, timeout=(timeout, timeout), allow_redirects=False, stream=True
    )
    resp.close()
    return resp


def _short(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if m:
        return m.group(1).strip()
    return type(exc).__name__ + (f": {text[:120]}" if text else "")


def check_all(
    urls: Iterable[str],
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    workers: int = 8,
    user_agent: str = "atscomms",
) -> dict[str, LinkResult]:
    """Check each distinct URL once, at most ``workers`` at a time."""
    unique = sorted(set(urls))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(
            lambda u: check(u, allow_private=allow_private, timeout=timeout, user_agent=user_agent),
            unique,
        )
        return dict(zip(unique, results, strict=True))
