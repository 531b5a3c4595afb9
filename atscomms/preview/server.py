"""Serve the gallery on 127.0.0.1 and rebuild it when a workspace file changes.

Change detection polls modification times (no extra dependency): every file below the
workspace root except hidden folders, build folders and the gallery itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from atscomms.loading.sources import SKIP_DIRS


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        pass


def snapshot(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """``{relative path: (mtime_ns, size)}`` of the workspace's files."""
    out: dict[str, tuple[int, int]] = {}
    skip_dir = str(skip.resolve()) if skip else None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and d not in SKIP_DIRS and os.path.join(dirpath, d) != skip_dir
        ]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            out[os.path.relpath(path, root)] = (st.st_mtime_ns, st.st_size)
    return out


class Server:
    """The HTTP server in a background thread; :meth:`watch` blocks until ``stop`` is set."""

    def __init__(self, out: Path, port: int = 0, host: str = "127.0.0.1") -> None:
        handler = partial(_Handler, directory=str(out))
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Server:
        self._thread.start()
        return self

    def watch(
        self,
        root: Path,
        out: Path,
        rebuild: Callable[[], None],
        stop: threading.Event,
        interval: float = 1.0,
    ) -> None:
        last = snapshot(root, out)
        while not stop.wait(interval):
            now = snapshot(root, out)
            if now != last:
                last = now
                rebuild()
                last = snapshot(root, out)  # a rebuild may touch files (e.g. the cache)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
