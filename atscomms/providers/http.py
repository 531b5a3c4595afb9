"""The one HTTP client every built-in provider uses.

* HTTPS only, except to loopback addresses (contract servers, local gateways).
* A timeout on every call; retries with exponential backoff and jitter on
  timeouts, dropped connections and 5xx for idempotent requests; ``429`` waits
  for ``Retry-After`` (seconds or an HTTP date) and pauses every worker.
* Non-idempotent requests (POST) are never blindly retried once they may have
  reached the server: :class:`AmbiguousWrite` tells the provider to look
  before trying again, so an interrupted create never makes a duplicate.
* A client-side rate limit (token bucket shared by all threads).
* Secrets (credential values) are redacted from every message and debug line.
"""

from __future__ import annotations

import ipaddress
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from atscomms.providers.base import ConfigError, ProviderError

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class HttpError(ProviderError):
    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class AmbiguousWrite(HttpError):
    """A write may or may not have been applied (timeout, dropped connection, 5xx)."""


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        import base64

        values = {s for s in secrets if s and len(s) >= 4}
        for s in list(values):
            for user in ("api", ""):
                values.add(base64.b64encode(f"{user}:{s}".encode()).decode())
                values.add(base64.b64encode(f"{s}:{user}".encode()).decode())
        self.secrets = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return
    raise ConfigError(f"refusing {parts.scheme or 'a'} URL {url!r}: HTTPS is required")


class RateLimiter:
    """Token bucket: ``rate`` requests per second, ``burst`` at once; thread-safe."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self.sleep = sleep
        self.tokens = float(self.burst)
        self.updated = clock()
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            with self.lock:
                now = self.clock()
                if now >= self.paused_until:
                    self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
                    self.updated = now
                    if self.tokens >= 1:
                        self.tokens -= 1
                        return
                    wait = (1 - self.tokens) / self.rate
                else:
                    wait = self.paused_until - now
            self.sleep(wait)

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.paused_until = max(self.paused_until, self.clock() + seconds)
            self.tokens = 0.0
            self.updated = self.paused_until


def retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return default


class HttpClient:
    def __init__(
        self,
        base_url: str,
        *,
        rate: float = 10.0,
        burst: int = 1,
        timeout: float = 30.0,
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        secrets: Iterable[str] = (),
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        debug: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        import requests

        check_url(base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.redact = Redactor(secrets)
        self.debug = debug
        self.sleep = sleep
        self.rng = rng
        self.limiter = RateLimiter(rate, burst, sleep=sleep)
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        self.session.headers.update({"User-Agent": "atscomms", **(headers or {})})
        if auth:
            self.session.auth = auth
        self.calls: Counter[str] = Counter()
        self.retried: Counter[str] = Counter()
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def _log(self, line: str) -> None:
        if self.debug:
            sys.stderr.write(self.redact(f"[http] {line}\n"))

    def _delay(self, attempt: int) -> float:
        base = min(self.max_backoff, self.backoff * (2**attempt))
        return base / 2 + self.rng() * base / 2  # "equal jitter"

    def request(
        self,
        method: str,
        path: str,
        *,
        kind: str = "get",
        idempotent: bool | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
        **kwargs: Any,
    ) -> Any:
        """Send one request (with retries); returns the ``requests.Response``."""
        import requests

        method = method.upper()
        idempotent = method in IDEMPOTENT if idempotent is None else idempotent
        url = self.url(path)
        check_url(url)
        attempt = 0
        while True:
            self.limiter.acquire()
            with self._lock:
                self.calls[kind] += 1
            started = time.monotonic()
            try:
                resp = self.session.request(
                    method, url, timeout=(min(self.timeout, 10.0), self.timeout), **kwargs
                )
            except requests.exceptions.ConnectTimeout as exc:
                reason, sent = f"connect timeout ({exc.__class__.__name__})", False
            except requests.exceptions.ReadTimeout:
                reason, sent = f"no response within {self.timeout:g}s", True
            except requests.exceptions.ConnectionError as exc:
                text = str(exc)
                refused = "refused" in text.lower() or "NewConnectionError" in text
                reason, sent = (
                    ("connection refused" if refused else "connection dropped"),
                    (not refused),
                )
            else:
                elapsed = time.monotonic() - started
                self._log(f"{method} {url} -> {resp.status_code} ({elapsed:.2f}s)")
                if resp.status_code in ok:
                    return resp
                if resp.status_code == 429 and attempt < self.retries:
                    wait = min(
                        self.max_retry_after,
                        retry_after(resp.headers.get("Retry-After"), self._delay(attempt)),
                    )
                    self._log(f"429: waiting {wait:.2f}s")
                    self.limiter.pause(wait)
                    self._count_retry(kind)
                    attempt += 1
                    continue
                body = self.redact(resp.text[:300].replace("\n", " "))
                message = self.redact(f"{method} {url}: HTTP {resp.status_code}: {body}")
                if resp.status_code >= 500:
                    if not idempotent:
                        raise AmbiguousWrite(message, resp.status_code, body)
                    if attempt < self.retries:
                        self._wait(attempt, kind, f"HTTP {resp.status_code}")
                        attempt += 1
                        continue
                raise HttpError(message, resp.status_code, body)
            self._log(f"{method} {url} -> {reason}")
            if sent and not idempotent:
                raise AmbiguousWrite(self.redact(f"{method} {url}: {reason}"))
            if attempt < self.retries:
                self._wait(attempt, kind, reason)
                attempt += 1
                continue
            raise HttpError(
                self.redact(f"{method} {url}: {reason} (gave up after {attempt + 1} attempts)")
            )

    def _count_retry(self, kind: str) -> None:
        with self._lock:
            self.retried[kind] += 1

    def _wait(self, attempt: int, kind: str, reason: str) -> None:
        delay = self._delay(attempt)
        self._log(f"{reason}: retrying in {delay:.2f}s")
        self._count_retry(kind)
        self.sleep(delay)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self.request(method, path, **kwargs)
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            raise HttpError(
                self.redact(f"{method} {self.url(path)}: the response is not JSON")
            ) from None
