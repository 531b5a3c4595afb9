"""`atscomms server start|stop|status|run`: an optional warm process for instant commands.

A pre-commit hook spends most of its time starting Python and importing typer,
jsonschema, jinja2, yaml and our ~150 modules, not linting. The server imports all of
that once, then listens on a UNIX socket; the client in :mod:`atscomms.cli.launch`
passes each command's stdin/stdout/stderr descriptors, argv, cwd, env and umask, and
the server forks a child that becomes that command: a copy-on-write clone of a warm
interpreter, so no request ever sees state left by another one.

Safety: the socket lives in a folder only this user can enter, and on Linux the
server also checks the peer's uid (SO_PEERCRED). The socket name hashes the
interpreter, atscomms version, package path and import settings, so installations
never share a server. Before each command the server re-checks the installed code
(:func:`fingerprint`); if it changed it answers "stale", the client runs the command
itself, and the server exits. It also exits after an idle timeout.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from atscomms.cli import launch
from atscomms.cli.common import fail

server_app = typer.Typer(
    help="An optional warm server that makes commands start fast (for pre-commit hooks).",
    no_args_is_help=True,
)

DEFAULT_IDLE = 15 * 60
#: How long `start` waits for the server to import everything and listen.
START_WAIT = 60.0
IdleOpt = Annotated[
    int,
    typer.Option(
        "--idle-timeout",
        min=0,
        metavar="SECONDS",
        help="Exit after this long without a request (0: never).",
    ),
]
WarmOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--warm",
        metavar="DIR",
        help="Lint one template of this workspace in the server before serving, so its "
        "style-guide word lists and compiled patterns are ready for every command "
        "(default: the workspace of the current folder, if any). Repeatable.",
        show_default=False,
    ),
]
WatchOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--watch",
        metavar="PATH",
        help="Also go stale (exit; commands run in-process) when files below PATH change, "
        "e.g. a provider plugin you are editing. Repeatable.",
        show_default=False,
    ),
]


class ServerError(Exception):
    """The server cannot start here (one line for the user)."""


def _supported() -> bool:
    return launch.supported() and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def _require_support() -> None:
    if not _supported():
        fail("the atscomms server needs fork and UNIX sockets (Linux or macOS)")


def fingerprint(watch: list[str]) -> bytes:
    """The installed code as of now: the atscomms package (:func:`code_fingerprint`), the
    JSON Schemas (outside the package in a checkout), the site-packages folders themselves
    (their entries change when anything is installed or upgraded) and ``--watch`` paths.
    A stat walk: a few milliseconds, paid on every request."""
    from hashlib import blake2b

    from atscomms.checks.runner import code_fingerprint
    from atscomms.loading.schemas import schema_dir

    h = blake2b(code_fingerprint(), digest_size=16)
    sites = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    for path in sites:
        _stat_into(h, path)
    for top in [str(schema_dir()), *watch]:
        _stat_into(h, top)
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                _stat_into(h, os.path.join(folder, name))
    return h.digest()


def _stat_into(h: Any, path: str) -> None:
    try:
        st = os.stat(path)
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns};".encode("utf-8", "surrogateescape"))
    except OSError:
        h.update(f"{path}:missing;".encode("utf-8", "surrogateescape"))


def preload() -> None:
    """Import and warm everything commands use, best effort. Only file-backed caches are
    warmed (rules, schemas, caniemail data, tone packs): :func:`fingerprint` covers those
    files. Nothing that reads the environment or the current folder runs here."""
    import importlib
    import pkgutil

    import atscomms
    from atscomms.cli.app import make_app

    make_app()
    for mod in pkgutil.walk_packages(atscomms.__path__, "atscomms.", onerror=lambda n: None):
        if mod.name != "atscomms.__main__":
            _try(importlib.import_module, mod.name)
    for name in ("jinja2.sandbox", "jsonschema", "yaml", "mjml", "css_inline", "git"):
        _try(importlib.import_module, name)
    from atscomms.checks.registry import all_rules
    from atscomms.loading.schemas import KINDS, validator

    _try(all_rules)
    for kind in KINDS:
        _try(validator, kind)
    for module, func in (
        ("atscomms.checks.clients.caniemail", "load"),
        ("atscomms.checks.tone.guide", "pack_rules"),
        ("atscomms.rendering.inline", "_css_inliner"),
    ):
        _try(lambda m=module, f=func: getattr(importlib.import_module(m), f)())


def _try(func: Any, *args: Any) -> None:
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001 - a command that needs it will report it
        _log(f"preload: {getattr(func, '__name__', func)}{args}: {type(exc).__name__}: {exc}")


def _log(message: str) -> None:
    try:
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} atscomms server[{os.getpid()}]: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def ensure_private_dir(folder: str) -> None:
    try:
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)  # mkdir's mode went through the umask
    except FileExistsError:
        pass
    except OSError as exc:
        raise ServerError(f"cannot create {folder}: {exc.strerror or exc}") from None
    problem = launch.private_dir_problem(folder)
    if problem:
        raise ServerError(f"refusing to use {folder}: {problem} (it must be a folder only you "
                          "can access: chmod 700 it, or remove it)")  # fmt: skip


def _lock(path: str) -> int:
    """Hold ``path`` locked while this server lives (released by the kernel when it dies):
    one server per socket, and `stop` knows when it is gone. Retries briefly, because
    :func:`_locked` takes it for a moment to test it."""
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    for _ in range(20):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        except BlockingIOError:
            time.sleep(0.05)
    os.close(fd)
    raise ServerError("a server is already running for this installation")


def _locked(path: str) -> bool:
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def serve(
    idle_timeout: int, watch: list[str], ready: int | None = None, warm: list[str] | None = None
) -> int:
    """Run a server until stopped, idle or stale. ``ready``: a pipe to report
    ``ok PID PATH`` (listening) or ``error MESSAGE`` on, for `start`."""
    from atscomms.cli.server_loop import main

    return main(idle_timeout, watch, ready, warm or [])


def warm_roots(dirs: list[Path] | None) -> list[str]:
    """Workspaces to warm up: those given, else the one holding the current folder."""
    from atscomms.loading.sources import find_root

    if dirs:
        found = [find_root(d) for d in dirs]
        missing = [str(d) for d, r in zip(dirs, found, strict=True) if r is None]
        if missing:
            fail(f"no atscomms.yaml at or above {', '.join(missing)}")
        return [str(r) for r in found if r is not None]
    here = find_root(Path.cwd())
    return [str(here)] if here is not None else []


def warm_up(roots: list[str]) -> None:
    """Check one template of each workspace in this process, bypassing the lint cache:
    what the first command of a fresh process pays (the style guide's word lists compiled
    into regular expressions, caches keyed by content) is then paid once, not per
    command. Only the load cache is read and refreshed, as by any command."""
    from atscomms.checks.config import LintConfig
    from atscomms.checks.context import LintContext
    from atscomms.checks.runner import template_findings
    from atscomms.model.build import build
    from atscomms.rendering.render import Renderer

    for root in roots:
        started = time.monotonic()
        folder = Path(root) / "templates"
        first = min((p.relative_to(root).as_posix() for p in folder.rglob("*.yaml")), default="")
        try:
            ws, _ = build(Path(root), focus=lambda rel, first=first: rel == first)
            rules = LintConfig.build(ws.config.lint).rules()
            ctx = LintContext(ws, Renderer(ws))
            for template in list(ws.templates.values())[:1]:
                template_findings(ctx, rules, template)
        except Exception as exc:  # noqa: BLE001 - warming is best effort
            _log(f"warm-up of {root}: {type(exc).__name__}: {exc}")
            continue
        _log(f"warmed up {root} in {time.monotonic() - started:.2f} s")


def control(op: str) -> dict[str, Any] | None:
    """Ask the server for ``status`` or to ``stop``: its JSON answer, or None (none runs)."""
    folder = launch.runtime_dir()
    if not _supported() or launch.private_dir_problem(folder) is not None:
        return None
    sock = launch.connect(launch.socket_path(folder))
    if sock is None:
        return None
    with sock:
        try:
            data = json.dumps({"protocol": launch.PROTOCOL, "op": op}).encode()
            sock.settimeout(launch.START_TIMEOUT)
            sock.sendall(len(data).to_bytes(4, "big") + data)
            kind, payload = launch.read_frame(sock)
            return json.loads(payload) if kind == launch.REPLY else None
        except (OSError, launch.ProtocolError, ValueError):
            return None


def _describe(info: dict[str, Any]) -> str:
    idle = info["idle_timeout"]
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["started"]))
    return (
        f"atscomms server running: pid {info['pid']}, since {since} "
        f"({_ago(time.time() - info['started'])} ago)\n"
        f"  socket:          {info['socket']}\n"
        f"  requests served: {info['requests']} ({len(info['active'])} running)\n"
        f"  idle timeout:    {f'{idle} s' if idle else 'none'}\n"
        f"  installation:    atscomms {info['version']} in {info['package']}\n"
    )


def _ago(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


@server_app.command()
def start(
    idle_timeout: IdleOpt = DEFAULT_IDLE, watch: WatchOpt = None, warm: WarmOpt = None
) -> None:
    """Start a background server; returns once it accepts commands."""
    _require_support()
    roots = warm_roots(warm)
    running = control("status")
    if running is not None:
        fail(f"a server is already running (pid {running['pid']}, {running['socket']})")
    folder = launch.runtime_dir()
    try:
        ensure_private_dir(folder)
    except ServerError as exc:
        fail(str(exc))
    path = launch.socket_path(folder)
    log = path[: -len(".sock")] + ".log"
    status = _daemonize(idle_timeout, [str(p.resolve()) for p in watch or []], log, roots)
    if not status.startswith("ok "):
        reason = status.removeprefix("error ").strip() or f"it did not start (see {log})"
        fail(f"cannot start the server: {reason}")
    _, pid, where = status.strip().split(" ", 2)
    idle = f"exits after {idle_timeout} s idle" if idle_timeout else "no idle timeout"
    sys.stdout.write(f"atscomms server started: pid {pid}, listening on {where} ({idle})\n")


def _daemonize(idle_timeout: int, watch: list[str], log: str, warm: list[str]) -> str:
    """Fork a detached server (setsid, double fork, stdio on /dev/null and ``log``) and
    wait for its ``ok``/``error`` line. Forking, not spawning, gives the server exactly
    this interpreter, flags and import path, hence the socket name clients compute."""
    import select

    sys.stdout.flush()
    sys.stderr.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the daemon
        code = 2
        try:
            os.close(r)
            os.setsid()
            if os.fork():
                os._exit(0)
            null = os.open(os.devnull, os.O_RDWR)
            out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(out, 2)
            os.close(null)
            os.close(out)
            os.chdir("/")
            code = serve(idle_timeout, watch, ready=w, warm=warm)
        finally:
            os._exit(code)
    os.close(w)
    os.waitpid(pid, 0)
    data = b""
    deadline = time.monotonic() + START_WAIT
    with os.fdopen(r, "rb", buffering=0) as pipe:
        while b"\n" not in data and time.monotonic() < deadline:
            if select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))[0]:
                chunk = pipe.read(4096)
                if not chunk:
                    break
                data += chunk
    return data.decode("utf-8", "replace")


@server_app.command()
def run(idle_timeout: IdleOpt = DEFAULT_IDLE, watch: WatchOpt = None, warm: WarmOpt = None) -> None:
    """Run the server in the foreground (for debugging; Ctrl-C stops it)."""
    _require_support()
    roots = warm_roots(warm)
    raise typer.Exit(serve(idle_timeout, [str(p.resolve()) for p in watch or []], warm=roots))


@server_app.command()
def stop() -> None:
    """Stop the server (commands already running finish)."""
    info = control("stop")
    if info is None:
        sys.stdout.write("no atscomms server is running\n")
        return
    lock = info["socket"][: -len(".sock")] + ".lock"
    deadline = time.monotonic() + 10
    while _locked(lock) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _locked(lock):
        fail(f"the server (pid {info['pid']}) did not stop within 10 s")
    sys.stdout.write(f"atscomms server stopped (pid {info['pid']})\n")


@server_app.command()
def status(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: text or json.")
    ] = "text",
) -> None:
    """Is a server running? Its pid, start time, requests served and idle timeout.
    Exit 0 when one runs, 1 when none does."""
    if fmt not in ("text", "json"):
        fail(f"--format: {fmt!r} is not one of text, json")
    info = control("status")
    if fmt == "json":
        sys.stdout.write(json.dumps({"running": info is not None, **(info or {})}) + "\n")
    elif info is None:
        sys.stdout.write("no atscomms server is running\n")
    else:
        sys.stdout.write(_describe(info))
    raise typer.Exit(0 if info is not None else 1)
