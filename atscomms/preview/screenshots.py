"""PNG screenshots of gallery pages with headless Chromium (one browser run per page).

The browser is started with networking features off and a throw-away profile; the pages'
Content-Security-Policy still decides what may load.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "--screenshots needs headless Chromium and none was found on PATH: install it with "
    "`apt-get install chromium` (Debian/Ubuntu; `brew install --cask chromium` on macOS)"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
)
#: Window sizes: email pages show the desktop (600 px) and mobile (375 px) views side by
#: side under the inbox line; SMS pages show the phone.
EMAIL_WINDOW = (1260, 1200)
SMS_WINDOW = (900, 760)
TIMEOUT = 90


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True, slots=True)
class Shot:
    page: Path  # the HTML page
    png: Path
    window: tuple[int, int]


def shoot_one(browser: str, shot: Shot) -> str | None:
    """Take one screenshot; returns an error message or None."""
    shot.png.parent.mkdir(parents=True, exist_ok=True)
    shot.png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="atscomms-chromium-") as profile:
        cmd = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot.png}",
            f"--window-size={shot.window[0]},{shot.window[1]}",
            shot.page.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
                cwd=profile,
            )
        except subprocess.TimeoutExpired:
            return f"{shot.page.name}: Chromium did not finish within {TIMEOUT}s"
        except OSError as exc:
            return f"cannot run {browser}: {exc.strerror or exc}"
    if not shot.png.is_file():
        tail = [ln for ln in (proc.stderr or "").splitlines() if ln.strip()][-1:]
        why = f" ({tail[0][:200]})" if tail else ""
        return f"{shot.page.name}: Chromium wrote no screenshot (exit {proc.returncode}){why}"
    return None


def shoot(
    browser: str,
    shots: list[Shot],
    jobs: int = 2,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Take every screenshot, ``jobs`` browsers at a time; returns the errors."""
    errors: list[str] = []
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for error in pool.map(lambda s: shoot_one(browser, s), shots):
            if error:
                errors.append(error)
            if progress:
                progress(1)
    return errors
