"""The `atscomms` console script: hand the command to a warm server when one runs.

Starting Python and importing typer, jsonschema, jinja2, yaml and the rule modules
costs several times what `atscomms lint FILE` itself does, and a pre-commit hook pays
it on every commit. `atscomms server start` keeps one process with all of that
imported (see :mod:`atscomms.cli.server`); this module is the thin client in front of
it. It imports only standard-library modules Python has mostly loaded anyway, and:

* finds the server's socket (one per user and installation: :func:`socket_path`);
* passes the real stdin/stdout/stderr descriptors (SCM_RIGHTS), argv, cwd, env and
  umask; the server forks a child that runs the command on those descriptors, so
  terminal detection, colours and output ordering are those of an in-process run;
* exits with the child's exit code.

Whenever the server cannot take the request *before the command started* (no server,
refused, stale socket, protocol error, installed code changed), the command runs
in-process instead, silently: the server is an accelerator, never a requirement. Once
the server has said the command started, re-running it could duplicate output or file
writes, so losing the server then is an error (exit 2), not a fallback.
``ATSCOMMS_NO_SERVER=1`` turns the client off.

When no server answers a `lint` or `validate` (the commands hooks and editors run
over and over), :func:`autostart` forks one that starts once this command is done,
so the next command is fast; never in CI (``CI`` set) or with
``ATSCOMMS_SERVER_AUTOSTART=0``.
"""

from __future__ import annotations

import contextlib  # like os and sys, usually loaded by the interpreter's start-up already
import os
import sys

#: Bumped when the wire format changes; a server answers a mismatch with "E".
PROTOCOL = 1
NO_SERVER_ENV = "ATSCOMMS_NO_SERVER"
AUTOSTART_ENV = "ATSCOMMS_SERVER_AUTOSTART"
#: The commands that start a server when none runs: what hooks and editors repeat.
AUTOSTART_COMMANDS = ("lint", "validate")
#: Variables a git hook sets for the repository it runs in; a server started from a
#: hook must not keep them (it serves every repository, with each client's own env).
HOOK_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH",
)  # fmt: skip
CONNECT_TIMEOUT = 2.0
#: How long the client waits for the server to accept a request. Until RUNNING nothing
#: ran, so it then closes and runs the command itself; a child that has not yet sent
#: RUNNING finds the connection closed and does not run it. (Only a RUNNING sent in the
#: microseconds between the timeout and the close could be lost; a server needs seconds
#: of stall to get there.)
START_TIMEOUT = 5.0
STOPPED = (
    "atscomms: error: the atscomms server stopped during the request "
    "(run without it: ATSCOMMS_NO_SERVER=1)"
)
#: PYTHON* variables that change what the interpreter imports or how it warns: a client
#: with other values must not use a server started without them (they are in the name).
IDENTITY_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONPLATLIBDIR", "PYTHONWARNINGS")

# Frames, server -> client: one type byte, a 4-byte big-endian length, the payload.
RUNNING = b"R"  # the child is about to run the command: no fallback after this
EXIT = b"X"  # payload: the exit code as a 4-byte signed integer
STALE = b"S"  # the installed code changed; the server exits; run in-process
REFUSED = b"E"  # payload: why (bad request, cwd gone...); run in-process
REPLY = b"J"  # payload: JSON answer to a control request (status, stop)
# Client -> server, after RUNNING: one byte each.
INTERRUPT = b"I"  # Ctrl-C: the server sends SIGINT to the child's process group
DONE = b"D"  # exit code received; closing without DONE makes the server end the child


class ProtocolError(Exception):
    """The other side closed or sent something unexpected."""


def disabled() -> bool:
    return os.environ.get(NO_SERVER_ENV, "") not in ("", "0")


def _off(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("0", "false", "no", "off")


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def autostart_wanted(args: list[str]) -> bool:
    """Start a server for this command? Only for `lint`/`validate`, never in CI (any CI
    service sets ``CI``), not when servers are off or unsupported here."""
    return (
        _invoked(args) in AUTOSTART_COMMANDS
        and supported()
        and not disabled()
        and not _off(AUTOSTART_ENV)
        and not _on("CI")
    )


def _workspace_arg(args: list[str]) -> str | None:
    """The ``-w/--workspace`` value of a command line, if any."""
    for i, arg in enumerate(args):
        if arg in ("-w", "--workspace") and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--workspace="):
            return arg.split("=", 1)[1]
    return None


_WAIT_FD: list[int] = []  # the write end the started server waits on (closed at exit)


def autostart(args: list[str]) -> None:
    """Fork a detached server that starts serving once this command has finished.

    The fork happens now, while this process has imported nothing but this module, so
    the server's own import of everything starts from a clean interpreter (what
    commands forked from it rely on) with exactly this interpreter's settings (what the
    socket name hashes). It then waits, on a pipe this process holds open, until the
    command and any worker processes are done, so it never competes with them for the
    CPU; its standard streams go to /dev/null at once and it keeps no other inherited
    descriptor, so a caller that waits for output to end (pre-commit, CI runners) is
    never held up by it. It warms up the workspace of the command, idles out after the
    usual 15 minutes, and if another server wins the race it just exits."""
    cwd = os.getcwd()
    workspace = _workspace_arg(args)
    sys.stdout.flush()
    sys.stderr.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the detached server
        code = 2
        try:
            os.setsid()
            if os.fork():
                os._exit(0)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, r)
            os.closerange(r + 1, _max_fd())
            while os.read(r, 1):  # EOF: the command and its forks are gone
                pass
            os.close(r)
            code = _serve_detached(cwd, workspace)
        finally:
            os._exit(code)
    os.close(r)
    os.waitpid(pid, 0)
    _WAIT_FD.append(w)


def _max_fd() -> int:
    try:
        return min(os.sysconf("SC_OPEN_MAX"), 1 << 16)
    except (OSError, ValueError):  # pragma: no cover
        return 1024


def _serve_detached(cwd: str, workspace: str | None) -> int:  # pragma: no cover - daemon
    from pathlib import Path

    from atscomms.cli.server import DEFAULT_IDLE, ServerError, ensure_private_dir, serve
    from atscomms.loading.sources import find_root

    for name in HOOK_ENV:
        os.environ.pop(name, None)
    folder = runtime_dir()
    try:
        ensure_private_dir(folder)
    except ServerError:
        return 2
    log = socket_path(folder)[: -len(".sock")] + ".log"
    with contextlib.suppress(OSError):
        if os.stat(log).st_size > 1 << 20:  # appended to by every start: keep it short
            os.truncate(log, 0)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    start = Path(cwd, workspace) if workspace else Path(cwd)
    root = find_root(start) if start.exists() else None
    os.chdir("/")
    return serve(DEFAULT_IDLE, [], warm=[str(root)] if root is not None else [])


def supported() -> bool:
    """fork + AF_UNIX + descriptor passing: Linux and macOS."""
    return os.name == "posix" and hasattr(os, "fork") and sys.platform != "cygwin"


def runtime_dir() -> str:
    """``$XDG_RUNTIME_DIR/atscomms`` when that folder is usable, else ``/tmp/atscomms-UID``."""
    xdg = os.environ.get("XDG_RUNTIME_DIR", "")
    if xdg and os.path.isabs(xdg) and os.path.isdir(xdg) and os.access(xdg, os.W_OK | os.X_OK):
        return os.path.join(xdg, "atscomms")
    return f"/tmp/atscomms-{os.getuid()}"


def private_dir_problem(path: str) -> str | None:
    """Why ``path`` may not hold the socket (None: it is a folder only this user can use).

    The folder is the access control: on platforms without SO_PEERCRED it is the only one.
    ``lstat`` so a symlink planted in /tmp is refused, not followed."""
    import stat

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "it does not exist"
    except OSError as exc:
        return exc.strerror or str(exc)
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if st.st_uid != os.getuid():
        return "it belongs to another user"
    if st.st_mode & 0o077:
        return f"other users can access it (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def identity() -> str:
    """What makes two clients able to share a server: same interpreter, same atscomms
    files, same interpreter flags and import-path settings. Hashed into the socket name,
    so two virtualenvs (or checkouts) never talk to each other's server."""
    import atscomms

    env = [f"{k}={os.environ[k]}" for k in IDENTITY_ENV if k in os.environ]
    parts = [
        sys.executable,
        sys.version,
        atscomms.__version__,
        os.path.dirname(os.path.abspath(atscomms.__file__)),
        repr(tuple(sys.flags)),
        sys.getfilesystemencoding(),
        *env,
    ]
    return "\0".join(parts)


def socket_path(folder: str | None = None) -> str:
    try:
        from _blake2 import blake2b  # hashlib would load OpenSSL: ~10 ms
    except ImportError:  # pragma: no cover - CPython always has it
        from hashlib import blake2b
    digest = blake2b(identity().encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    return os.path.join(folder or runtime_dir(), f"server-{digest}.sock")


def read_frame(sock) -> tuple[bytes, bytes]:
    head = recv_exact(sock, 5)
    return head[:1], recv_exact(sock, int.from_bytes(head[1:], "big"))


def recv_exact(sock, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ProtocolError("connection closed")
        data += chunk
    return data


def frame(kind: bytes, payload: bytes = b"") -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def _stream_spec(stream) -> list:
    """How Python set up a standard stream here, so the server's child rebuilds it alike
    (encoding, error handler, line buffering, unbuffered mode)."""
    return [
        stream.encoding,
        stream.errors,
        stream.line_buffering,
        stream.write_through,
        not hasattr(stream.buffer, "raw"),
    ]


def _invoked(args: list[str]) -> str | None:
    for arg in args:
        if arg == "--" or not arg.startswith("-"):
            return arg
    return None


def connect(path: str):
    """A connected socket, or None (and a stale socket file removed) when nobody listens."""
    import socket

    try:
        before = os.lstat(path)
    except OSError:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT)
    try:
        sock.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        sock.close()
        _remove_stale(path, before)
        return None
    except OSError:
        sock.close()
        return None
    return sock


def _remove_stale(path: str, before: os.stat_result) -> None:
    """Unlink the socket file nobody listens on, unless a new server has replaced it since
    (servers rename their socket into place, so a new one has another inode)."""
    import stat

    try:
        now = os.lstat(path)
        if stat.S_ISSOCK(now.st_mode) and (now.st_ino, now.st_dev) == (
            before.st_ino,
            before.st_dev,
        ):
            os.unlink(path)
    except OSError:
        pass


def request(args: list[str]) -> int | None:
    """Run ``atscomms ARGS`` in the server: its exit code, or None to run in-process."""
    if disabled() or not supported() or _invoked(args) == "server":
        return None
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if None in streams or streams != (sys.__stdin__, sys.__stdout__, sys.__stderr__):
        return None  # a descriptor was closed at start-up, or output is being captured
    folder = runtime_dir()
    if private_dir_problem(folder) is not None:
        return None
    try:
        sock = connect(socket_path(folder))
    except OSError:
        return None
    if sock is None:
        return None
    with sock:
        try:
            if not _send_request(sock, args):
                return None
        except (OSError, ProtocolError, ValueError, AttributeError):
            return None  # nothing ran: the server never said RUNNING
        return _wait(sock)


def _send_request(sock, args: list[str]) -> bool:
    import json
    import socket

    umask = os.umask(0o022)
    os.umask(umask)
    main = sys.modules.get("__main__")
    header = {
        "protocol": PROTOCOL,
        "op": "run",
        "argv": args,
        "argv0": sys.argv[0] if sys.argv else "atscomms",
        "main_package": getattr(main, "__package__", None),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "stdio": [_stream_spec(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
    }
    data = json.dumps(header).encode("utf-8", "surrogatepass")
    data = len(data).to_bytes(4, "big") + data
    sent = socket.send_fds(sock, [data], [0, 1, 2])
    if sent < len(data):
        sock.sendall(data[sent:])
    sock.settimeout(START_TIMEOUT)
    kind, _ = read_frame(sock)
    # STALE, REFUSED or anything unexpected: the command did not start
    return kind == RUNNING


def _wait(sock) -> int:
    """Wait for the exit code. The first Ctrl-C is forwarded (the child prints what an
    in-process run would and exits 130); a second one gives up on the child."""
    import signal

    sock.settimeout(None)
    interrupts = 0

    def forward(signum, frame_) -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts > 1:
            raise KeyboardInterrupt
        with contextlib.suppress(OSError):
            sock.send(INTERRUPT)

    previous = signal.signal(signal.SIGINT, forward)
    try:
        kind, payload = read_frame(sock)
        if kind != EXIT or len(payload) != 4:
            raise ProtocolError(f"unexpected frame {kind!r}")
    except KeyboardInterrupt:
        sys.stderr.write("atscomms: interrupted\n")
        return 130
    except (OSError, ProtocolError):
        sys.stderr.write(STOPPED + "\n")
        return 2
    finally:
        signal.signal(signal.SIGINT, previous)
    with contextlib.suppress(OSError):
        sock.sendall(DONE)
    return int.from_bytes(payload, "big", signed=True)


def main() -> None:
    """Console-script entry point."""
    try:
        code = request(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("atscomms: interrupted\n")
        sys.exit(130)
    if code is None:
        if autostart_wanted(sys.argv[1:]):
            with contextlib.suppress(OSError):
                autostart(sys.argv[1:])
        from atscomms.cli.app import main as run_in_process

        run_in_process()
    sys.exit(code)
