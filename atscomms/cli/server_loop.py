"""The server process behind `atscomms server`: an accept loop that forks one child per
command. The parent never runs a command; each child is a copy of the warm, pristine
parent that takes over the client's descriptors, cwd, environment and argv, runs
``atscomms.cli.app.main`` and reports the exit code.

The parent keeps its copy of each client connection to watch it: an ``I`` byte from the
client (Ctrl-C) becomes SIGINT to the child's process group, as a terminal would send
it; the client vanishing before it got the exit code ends the child (SIGTERM). When a
child dies the parent closes its copy at once, so a client whose child was killed sees
end-of-file instead of waiting forever.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import sys
import time
from typing import Any, NoReturn

from atscomms.cli import launch
from atscomms.cli.server import (
    ServerError,
    _lock,
    _log,
    ensure_private_dir,
    fingerprint,
    preload,
    warm_up,
)

HEADER_LIMIT = 16 << 20
#: A client sends its request right after connecting; a silent one must not stall others.
READ_TIMEOUT = 2.0


def main(
    idle_timeout: int, watch: list[str], ready: int | None = None, warm: list[str] | None = None
) -> int:
    """Set up, report on ``ready`` (``ok PID PATH`` / ``error WHY``), serve; exit status."""

    def report(line: str) -> None:
        if ready is not None:
            try:
                os.write(ready, (line + "\n").encode("utf-8", "replace"))
                os.close(ready)
            except OSError:
                pass

    try:
        folder = launch.runtime_dir()
        ensure_private_dir(folder)
        path = launch.socket_path(folder)
        if len(os.fsencode(path)) > 100:
            raise ServerError(f"{path} is too long for a UNIX socket (set XDG_RUNTIME_DIR)")
        lock = _lock(path[: -len(".sock")] + ".lock")
        # before importing: code changed during the preload makes the first request restart
        stamp = fingerprint(watch)
        preload()
        warm_up(warm or [])
        import gc

        gc.collect()
        gc.freeze()  # children then never touch the warm objects: fewer copied pages
        listener, ino = _listen(path)
    except ServerError as exc:
        _log(str(exc))
        report(f"error {exc}")
        return 2
    except Exception as exc:  # noqa: BLE001 - say why in the log and to `start`
        import traceback

        traceback.print_exc()
        report(f"error {type(exc).__name__}: {exc}")
        return 2
    server = Server(listener, path, ino, lock, stamp, watch, idle_timeout)
    _log(f"listening on {path} (idle timeout: {idle_timeout or 'none'})")
    report(f"ok {os.getpid()} {path}")
    try:
        server.loop()
    finally:
        server.close()
    return 0


def _listen(path: str) -> tuple[socket.socket, tuple[int, int]]:
    """Bind under a temporary name, listen, then rename into place: the socket file only
    ever appears when it accepts, so a client never mistakes it for a stale one."""
    tmp = os.path.join(os.path.dirname(path), f".{os.getpid()}.tmp.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        old = os.umask(0o177)
        try:
            sock.bind(tmp)
        finally:
            os.umask(old)
        os.chmod(tmp, 0o600)
        sock.listen(128)
        os.rename(tmp, path)
        st = os.lstat(path)
    except OSError as exc:
        sock.close()
        raise ServerError(f"cannot listen on {path}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock, (st.st_ino, st.st_dev)


class Server:
    def __init__(
        self,
        listener: socket.socket,
        path: str,
        ino: tuple[int, int],
        lock: int,
        stamp: bytes,
        watch: list[str],
        idle_timeout: int,
    ) -> None:
        self.listener, self.path, self.ino, self.lock = listener, path, ino, lock
        self.stamp, self.watch, self.idle_timeout = stamp, watch, idle_timeout
        self.started = time.time()
        self.last = time.monotonic()
        self.requests = 0
        self.children: dict[int, socket.socket | None] = {}  # pid -> our copy of its client
        self.done: set[int] = set()  # children whose client got the exit code
        self.stopping = 0  # 1: stop accepting, exit when the children are done; 2: exit now
        self.listening = True
        self.sel = selectors.DefaultSelector()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)

    def loop(self) -> None:
        signal.set_wakeup_fd(self.wake_w)  # SIGCHLD and stop signals wake select()
        signal.signal(signal.SIGCHLD, lambda *_: None)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, self._on_stop)
        self.sel.register(self.listener, selectors.EVENT_READ, "accept")
        self.sel.register(self.wake_r, selectors.EVENT_READ, "wake")
        while True:
            self._reap()
            if self.stopping:
                if self.listening:
                    self._stop_listening()
                if not self.children or self.stopping > 1:
                    return
            timeout = None
            if self.idle_timeout and not self.children:
                timeout = self.last + self.idle_timeout - time.monotonic()
                if timeout <= 0:
                    _log("idle timeout: exiting")
                    return
            for key, _ in self.sel.select(timeout):
                if key.data == "accept":
                    self._accept()
                elif key.data == "wake":
                    while _read_some(self.wake_r):
                        pass
                else:
                    self._from_client(key.data)

    def _on_stop(self, signum: int, frame: Any) -> None:
        self.stopping += 1  # a second signal does not wait for running commands

    def _stop_listening(self) -> None:
        """Remove the socket (if still ours) and release the lock: new commands run
        in-process or in a new server. Running ones finish, and still get Ctrl-C."""
        self.listening = False
        self.sel.unregister(self.listener)
        self.listener.close()
        try:
            st = os.lstat(self.path)
            if (st.st_ino, st.st_dev) == self.ino:
                os.unlink(self.path)
        except OSError:
            pass
        os.close(self.lock)
        if self.children:
            _log(f"waiting for {len(self.children)} running command(s)")

    def close(self) -> None:
        signal.set_wakeup_fd(-1)
        if self.listening:
            self._stop_listening()
        self.sel.close()
        for conn in self.children.values():
            if conn is not None:
                conn.close()
        for fd in (self.wake_r, self.wake_w):
            os.close(fd)
        _log(f"stopped after {self.requests} request(s)")

    def info(self) -> dict[str, Any]:
        import atscomms

        return {
            "pid": os.getpid(),
            "started": self.started,
            "requests": self.requests,
            "active": sorted(self.children),
            "idle_timeout": self.idle_timeout,
            "socket": self.path,
            "version": atscomms.__version__,
            "package": os.path.dirname(os.path.abspath(atscomms.__file__)),
            "executable": sys.executable,
            "watch": self.watch,
        }

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # out of descriptors...: clients fall back meanwhile
            _log(f"accept: {exc}")
            return
        fds: list[int] = []
        kept = False
        try:
            conn.settimeout(READ_TIMEOUT)
            if not _same_user(conn):
                _log("refused a connection from another user")
                return
            header, fds = _read_request(conn)
            kept = self._dispatch(conn, header, fds)
        except (OSError, launch.ProtocolError, ValueError) as exc:
            _log(f"bad request: {type(exc).__name__}: {exc}")
        finally:
            for fd in fds:  # the child has its own copies
                os.close(fd)
            if not kept:
                conn.close()

    def _dispatch(self, conn: socket.socket, header: Any, fds: list[int]) -> bool:
        """Answer one request; True when a child now owns ``conn``."""
        op = header.get("op") if isinstance(header, dict) else None
        if op in ("status", "stop") and header.get("protocol") == launch.PROTOCOL:
            conn.sendall(launch.frame(launch.REPLY, json.dumps(self.info()).encode()))
            if op == "stop":
                _log("stop requested")
                self.stopping = max(self.stopping, 1)
            return False
        problem = _run_problem(header, fds)
        if problem is not None:
            conn.sendall(launch.frame(launch.REFUSED, problem.encode()))
            return False
        if fingerprint(self.watch) != self.stamp:
            _log("the installed code changed: exiting (the client runs the command itself)")
            conn.sendall(launch.frame(launch.STALE))
            self.stopping = max(self.stopping, 1)
            return False
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:
            conn.sendall(launch.frame(launch.REFUSED, f"fork: {exc}".encode()))
            return False
        if pid == 0:
            self._child(conn, header, fds)
        self.children[pid] = conn
        self.sel.register(conn, selectors.EVENT_READ, pid)
        self.requests += 1
        self.last = time.monotonic()
        return True

    def _from_client(self, pid: int) -> None:
        conn = self.children.get(pid)
        if conn is None:
            return
        try:
            data = conn.recv(256)
        except (BlockingIOError, InterruptedError, TimeoutError):
            return
        except OSError:
            data = b""
        if not data:  # client gone: end the command unless it already has its exit code
            self._forget(pid)
            if pid not in self.done:
                _kill(pid, signal.SIGTERM)
            return
        if launch.DONE in data:
            self.done.add(pid)
        if launch.INTERRUPT in data:
            _kill(pid, signal.SIGINT)

    def _forget(self, pid: int) -> None:
        conn = self.children.get(pid)
        if conn is not None:
            self.sel.unregister(conn)
            conn.close()
            self.children[pid] = None

    def _reap(self) -> None:
        while self.children:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.children:
                self._forget(pid)  # a client whose child died now sees end-of-file
                del self.children[pid]
                self.done.discard(pid)
                self.last = time.monotonic()

    def _child(self, conn: socket.socket, header: dict[str, Any], fds: list[int]) -> NoReturn:
        try:
            # A session of its own: Ctrl-C (killpg) reaches the command and its workers, not
            # us, and job control of a terminal we might share never stops the command.
            with contextlib.suppress(OSError):
                os.setsid()
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            # our copies of the listener, the lock and other clients' connections would
            # keep them alive (a client would not see its own child die)
            self.sel.close()
            self.listener.close()
            for fd in (self.wake_r, self.wake_w, self.lock):
                os.close(fd)
            for other in self.children.values():
                if other is not None:
                    other.close()
            conn.settimeout(None)
            from atscomms.cli.server_child import become_client

            become_client(conn, header, fds)
        except BaseException as exc:  # noqa: BLE001 - never unwind into the server loop
            if not isinstance(exc, SystemExit):
                _log(f"request failed: {type(exc).__name__}: {exc}")
        finally:
            os._exit(0)


def _read_some(fd: int) -> bytes:
    try:
        return os.read(fd, 512)
    except (BlockingIOError, InterruptedError):
        return b""


def _kill(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except OSError:
        with contextlib.suppress(OSError):
            os.kill(pid, sig)


def _same_user(conn: socket.socket) -> bool:
    """SO_PEERCRED where there is one (Linux); elsewhere the private folder is the guard."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1] == os.getuid()


def _read_request(conn: socket.socket) -> tuple[Any, list[int]]:
    """The length-prefixed JSON header and the descriptors sent with its first bytes."""
    msg, fds, flags, _ = socket.recv_fds(conn, 1 << 16, 3)
    try:
        if flags & getattr(socket, "MSG_CTRUNC", 0):
            raise launch.ProtocolError("descriptors truncated")
        if not msg:
            raise launch.ProtocolError("connection closed")
        if len(msg) < 4:
            msg += launch.recv_exact(conn, 4 - len(msg))
        size = int.from_bytes(msg[:4], "big")
        if size > HEADER_LIMIT:
            raise launch.ProtocolError(f"request of {size} bytes")
        body = msg[4:]
        if len(body) < size:
            body += launch.recv_exact(conn, size - len(body))
        return json.loads(body), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _run_problem(header: Any, fds: list[int]) -> str | None:
    """Why a run request is malformed (None: fine). The client then runs in-process."""

    def strings(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    if not isinstance(header, dict) or header.get("op") != "run":
        return "unknown request"
    if header.get("protocol") != launch.PROTOCOL:
        return f"protocol {header.get('protocol')!r}, server speaks {launch.PROTOCOL}"
    env = header.get("env")
    stdio = header.get("stdio")
    checks = {
        "argv": strings(header.get("argv")),
        "argv0": isinstance(header.get("argv0"), str),
        "main_package": isinstance(header.get("main_package"), str | None),
        "cwd": isinstance(header.get("cwd"), str),
        "env": isinstance(env, dict) and all(isinstance(v, str) for v in env.values()),
        "umask": isinstance(header.get("umask"), int),
        "stdio": isinstance(stdio, list) and len(stdio) == 3,
        "descriptors": len(fds) == 3,
    }
    bad = [name for name, ok in checks.items() if not ok]
    return f"bad request: {', '.join(bad)}" if bad else None
