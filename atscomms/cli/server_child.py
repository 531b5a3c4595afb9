"""What a forked server child does to become the client's process: its descriptors,
cwd, umask, environment, argv and standard streams, then the command itself and what the
interpreter would do at exit. Everything an in-process run would observe differently
(terminal detection, encodings, line buffering, TZ, locale, the program name in usage
lines) is taken from the client here."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
import time
from typing import Any

from atscomms.cli import launch


def become_client(conn: Any, header: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: take over the client's process state, say RUNNING, run the
    command as the console script would, send the exit code."""
    try:
        _take_process(header, fds)
    except Exception as exc:  # noqa: BLE001 - nothing ran yet: the client runs it itself
        conn.sendall(launch.frame(launch.REFUSED, f"{type(exc).__name__}: {exc}".encode()))
        return
    try:
        conn.sendall(launch.frame(launch.RUNNING))
    except OSError:
        return  # the client gave up waiting and runs the command itself
    code = _run(header["argv"])
    code = code if -(2**31) <= code < 2**31 else 255
    with contextlib.suppress(OSError):
        conn.sendall(launch.frame(launch.EXIT, code.to_bytes(4, "big", signed=True)))


def _take_process(header: dict[str, Any], fds: list[int]) -> None:
    os.chdir(header["cwd"])
    for encoding, errors, *_ in header["stdio"]:  # before dup2: refusing changes nothing
        codecs.lookup(encoding)
        codecs.lookup_error(errors)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    _stdio(header["stdio"])
    os.umask(header["umask"])
    _take_environment(header["env"])
    sys.argv = [header["argv0"], *header["argv"]]
    # click names the program from __main__ ("atscomms" or "python -m atscomms")
    import types

    main_module = types.ModuleType("__main__")
    main_module.__package__ = header["main_package"]
    sys.modules["__main__"] = main_module


def _take_environment(env: dict[str, str]) -> None:
    """The client's environment, and what the interpreter derived from it at start-up."""
    import locale
    import tempfile

    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    tempfile.tempdir = None  # recomputed from TMPDIR on next use


def _stdio(specs: list[list[Any]]) -> None:
    """Standard streams on descriptors 0-2 (now the client's), set up as the client's
    were: encoding, errors, line buffering (a terminal gets its output line by line),
    unbuffered mode."""
    for fd, name, spec in zip(range(3), ("stdin", "stdout", "stderr"), specs, strict=True):
        encoding, errors, line_buffering, write_through, raw = spec
        unbuffered = bool(raw) and fd > 0
        mode = "rb" if fd == 0 else "wb"
        buffer = open(fd, mode, buffering=0 if unbuffered else -1, closefd=False)  # noqa: SIM115
        getattr(buffer, "raw", buffer).name = f"<{name}>"  # as the interpreter names them
        stream = io.TextIOWrapper(
            buffer,
            encoding=encoding,
            errors=errors,
            newline="\n",
            line_buffering=bool(line_buffering),
            write_through=bool(write_through),
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _run(argv: list[str]) -> int:
    """``atscomms.cli.app.main`` and what the interpreter does at exit: join threads, run
    atexit handlers, flush the streams (a failed stdout flush is status 120)."""
    import atexit
    import threading

    from atscomms.cli import app, common

    common.GLOBALS.__init__()  # type: ignore[misc]  # defaults, as in a fresh process
    try:
        app.main(argv)
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    except BaseException:  # noqa: BLE001 - what the interpreter would print
        import traceback

        traceback.print_exc()
        code = 1
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001
        code = 120
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    return code


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    with contextlib.suppress(Exception):
        sys.stderr.write(f"{code}\n")
    return 1
