"""`atscomms server`: real servers and clients in subprocesses, compared with in-process runs.

Every server lives in its own short temporary XDG_RUNTIME_DIR and is stopped (or killed)
by the fixture that started it, so none outlives the tests or meets another's.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from atscomms.cli import launch
from atscomms.cli.launch import STOPPED
from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(socket, "send_fds"), reason="needs fork and UNIX sockets"
)

CLIENT = [sys.executable, "-m", "atscomms"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the package, imported through PYTHONPATH by every process here:
    edits to the checkout while the tests run (which rightly make a server stale) cannot
    disturb them, and the stale-code test can edit its own copy."""
    return _snapshot(tmp_path_factory.mktemp("pkg"))


def _snapshot(root: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".atscomms-cache")
    shutil.copytree(REPO / "atscomms", root / "atscomms", ignore=ignore)
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@dataclass
class Server:
    env: dict[str, str]
    folder: Path  # the XDG_RUNTIME_DIR
    pid: int
    socket: Path

    def status(self) -> dict | None:
        """The server's status answer, straight from the socket (None: nobody listens)."""
        with socket.socket(socket.AF_UNIX) as sock:
            try:
                sock.connect(str(self.socket))
            except OSError:
                return None
            data = json.dumps({"protocol": launch.PROTOCOL, "op": "status"}).encode()
            sock.sendall(len(data).to_bytes(4, "big") + data)
            return json.loads(launch.read_frame(sock)[1])

    @property
    def requests(self) -> int:
        return self.status()["requests"]  # type: ignore[index]


def cli(
    args: list[str], env: dict[str, str], *, cwd: Path | None = None, server: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**env, "ATSCOMMS_NO_SERVER": "0" if server else "1"}
    return subprocess.run(
        [*CLIENT, *args], env=env, cwd=cwd or env["XDG_RUNTIME_DIR"], capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip


def runtime_env(package: Path) -> tuple[Path, dict[str, str]]:
    """A fresh XDG_RUNTIME_DIR (short: socket paths are limited to ~100 bytes) and the
    environment that imports atscomms from ``package``. Commands run outside the checkout,
    so ``python -m`` does not put it first on sys.path."""
    folder = Path(tempfile.mkdtemp(prefix="ats", dir="/tmp"))
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder), "PYTHONPATH": str(package)}
    return folder, env


@contextlib.contextmanager
def running_server(package: Path, *options: str) -> Iterator[Server]:
    folder, env = runtime_env(package)
    pid = None
    try:
        proc = cli(["server", "start", *options], env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("atscomms server started: pid ")
        pid = int(proc.stdout.split()[4].rstrip(","))
        path = proc.stdout.split(" listening on ")[1].split(" (")[0]
        server = Server(env, folder, pid, Path(path))
        assert server.status()["package"] == str(package / "atscomms")  # type: ignore[index]
        yield server
    finally:
        _stop_and_clean(env, pid, folder)


def _stop_and_clean(env: dict[str, str], pid: int | None, folder: Path) -> None:
    """Stop the server of ``env`` (killed if it does not stop) and remove its folder."""
    cli(["server", "stop"], env)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def srv(snapshot: Path) -> Iterator[Server]:
    with running_server(snapshot, "--idle-timeout", "300") as server:
        yield server


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the workspaces (lint writes its cache into the workspace)."""
    root = tmp_path_factory.mktemp("work")
    ignore = shutil.ignore_patterns(".atscomms-cache")
    shutil.copytree(REPO / "examples" / "acme", root / "acme", ignore=ignore)
    shutil.copytree(FIXTURES / "bad-foundation", root / "bad-foundation", ignore=ignore)
    (root / "elsewhere").mkdir()
    return root


def assert_same(a: subprocess.CompletedProcess[str], b: subprocess.CompletedProcess[str]) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_client_imports_only_the_standard_library() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import atscomms.cli.launch"],
        capture_output=True,
        text=True,
    )
    names = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()[1:]}
    ours = {n for n in names if n.split(".")[0] == "atscomms"}
    assert ours == {"atscomms", "atscomms.cli", "atscomms.cli.launch"}
    heavy = {"typer", "click", "json", "socket", "jsonschema", "jinja2", "yaml", "hashlib"}
    assert not heavy & {n.split(".")[0] for n in names}


CASES = [
    ["lint", "-w", "acme"],
    ["validate", "-w", "bad-foundation", "-f", "json"],  # exit 1
    ["render", "nope", "-w", "acme"],  # exit 2, one line
    ["lint", "--no-such-option"],  # click usage error, exit 2
    ["lint", "--help"],  # names the program "python -m atscomms"
]


def test_commands_through_the_server_match_in_process_runs(srv: Server, work: Path) -> None:
    before = srv.requests
    codes = []
    for args in CASES:
        local = cli(args, srv.env, cwd=work, server=False)
        served = cli(args, srv.env, cwd=work)
        assert_same(served, local)
        codes.append(served.returncode)
    assert codes == [0, 1, 2, 2, 0]
    # each served run went through the server, no in-process run did
    assert srv.requests == before + len(CASES)


def test_environment_and_cwd_are_the_clients(srv: Server, work: Path) -> None:
    before = srv.requests
    env = {**srv.env, "GITHUB_ACTIONS": "true", "NO_COLOR": "1"}  # default format: github
    args = ["validate", "-w", "../bad-foundation"]  # relative to the client's cwd
    local = cli(args, env, cwd=work / "elsewhere", server=False)
    served = cli(args, env, cwd=work / "elsewhere")
    assert_same(served, local)
    assert served.returncode == 1 and served.stdout.startswith("::error file=")
    assert srv.requests == before + 1


def _on_pty(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, bytes]:
    """Exit code and what a terminal shows (stdout and stderr on the same pty)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLIENT, *args], env=env, cwd=cwd, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    with contextlib.suppress(OSError):  # EIO once every writer is gone
        while chunk := os.read(master, 65536):
            out += chunk
    os.close(master)
    return proc.wait(timeout=60), out


def test_a_terminal_gets_the_same_colours_and_ordering(srv: Server, work: Path) -> None:
    drop = ("NO_COLOR", "GITHUB_ACTIONS", "PYTHONUNBUFFERED")  # a plain interactive shell
    env = {k: v for k, v in srv.env.items() if k not in drop}
    args = ["lint", "-w", "acme", "--select", "T,L,F", "--fail-on", "info"]
    local = _on_pty(args, {**env, "ATSCOMMS_NO_SERVER": "1"}, work)
    served = _on_pty(args, env, work)
    assert served == local
    assert b"\x1b[" in served[1]  # coloured: the child saw a terminal


def test_the_clients_stream_encoding_is_used(srv: Server, work: Path) -> None:
    env = {**srv.env, "PYTHONIOENCODING": "ascii:backslashreplace"}
    args = ["render", "application-received", "-w", "acme", "--locale", "de-DE", "--part", "text"]
    served = cli(args, env, cwd=work)
    assert_same(served, cli(args, env, cwd=work, server=False))
    assert "f\\xfcr Ihre Bewerbung" in served.stdout


def test_stale_socket_file_is_removed_and_the_command_runs(snapshot: Path, work: Path) -> None:
    folder, env = runtime_env(snapshot)
    try:
        (folder / "atscomms").mkdir(mode=0o700)
        path = subprocess.run(
            [sys.executable, "-c", "from atscomms.cli.launch import socket_path as p; print(p())"],
            env=env, cwd=folder, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dead = socket.socket(socket.AF_UNIX)
        dead.bind(path)  # the file stays; nobody listens
        dead.close()
        args = ["validate", "-w", "bad-foundation", "-f", "json"]
        assert_same(cli(args, env, cwd=work), cli(args, env, cwd=work, server=False))
        assert not os.path.lexists(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_others_can_enter_is_refused(srv: Server, work: Path) -> None:
    private = srv.socket.parent
    before = srv.requests
    private.chmod(0o755)
    try:
        proc = cli(["server", "start"], srv.env)
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"atscomms: error: refusing to use {private}: other users")
        assert proc.stderr.count("\n") == 1
        args = ["validate", "-w", "bad-foundation"]
        assert_same(cli(args, srv.env, cwd=work), cli(args, srv.env, cwd=work, server=False))
    finally:
        private.chmod(0o700)
    assert srv.requests == before  # the client did not use the server


def _as_nobody(path: Path) -> bytes:
    """Connect as user nobody (a forked child of this root process) and ask for the status;
    what came back ("closed" when the server hung up)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(10)
                sock.connect(str(path))
                data = json.dumps({"protocol": launch.PROTOCOL, "op": "status"}).encode()
                sock.sendall(len(data).to_bytes(4, "big") + data)
                os.write(w, sock.recv(100) or b"closed")
        except (BrokenPipeError, ConnectionResetError):  # closed before we finished
            os.write(w, b"closed")
        except BaseException as exc:
            os.write(w, repr(exc).encode())
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    with os.fdopen(r, "rb") as pipe:
        return pipe.read()


@pytest.mark.skipif(os.getuid() != 0 or sys.platform != "linux", reason="needs root to setuid")
def test_other_users_are_refused_even_past_the_folder(srv: Server) -> None:
    """Defence in depth: with the folder and socket opened up, SO_PEERCRED still refuses."""
    private = srv.socket.parent
    for path, mode in ((srv.folder, 0o711), (private, 0o711), (srv.socket, 0o666)):
        path.chmod(mode)
    try:
        got = _as_nobody(srv.socket)
    finally:
        for path, mode in ((srv.socket, 0o600), (private, 0o700), (srv.folder, 0o700)):
            path.chmod(mode)
    assert got == b"closed"  # connected (past the folder), then refused without a word
    assert srv.status() is not None
    assert "refused a connection from another user" in srv.socket.with_suffix(".log").read_text()


def test_start_refuses_a_second_server_and_stop_removes_the_socket(
    snapshot: Path, work: Path
) -> None:
    with running_server(snapshot) as server:
        text = cli(["server", "status"], server.env).stdout
        assert text.startswith(f"atscomms server running: pid {server.pid}, since ")
        assert f"socket:          {server.socket}\n" in text
        again = cli(["server", "start"], server.env)
        assert again.returncode == 2 and "already running" in again.stderr
        assert server.socket.exists()
        out = work / "preview-stop"
        running = _serving(_preview(out), server.env, work)
        stopped = cli(["server", "stop"], server.env)
        assert stopped.stdout == f"atscomms server stopped (pid {server.pid})\n"
        assert not server.socket.exists()
        proc = cli(["server", "status"], server.env)
        assert (proc.returncode, proc.stdout) == (1, "no atscomms server is running\n")
        assert cli(["server", "stop"], server.env).returncode == 0
        # the running command finished undisturbed, and Ctrl-C still reached it
        assert _alive(server.pid)
        running.send_signal(signal.SIGINT)
        assert running.wait(timeout=30) == 0
        running.reader.join(10)  # type: ignore[attr-defined]
        assert running.lines[-1] == "stopped\n"  # type: ignore[attr-defined]
        assert _wait_until(lambda: not _alive(server.pid))


def _wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_idle_timeout_exits_and_removes_the_socket(snapshot: Path, work: Path) -> None:
    with running_server(snapshot, "--idle-timeout", "1") as server:
        assert cli(["validate", "-w", "acme"], server.env, cwd=work).returncode == 0
        assert _wait_until(lambda: not server.socket.exists(), timeout=10)
        assert _wait_until(lambda: not _alive(server.pid))
        assert cli(["server", "status"], server.env).returncode == 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):  # a zombie until whoever adopted it reaps it
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    return True


def test_changed_code_makes_the_client_run_in_process_and_the_server_exit(
    tmp_path: Path, work: Path
) -> None:
    package = _snapshot(tmp_path)
    with running_server(package) as server:
        args = ["validate", "-w", "bad-foundation", "-f", "json"]
        assert cli(args, server.env, cwd=work).returncode == 1
        assert server.requests == 1
        rules = package / "atscomms" / "cli" / "rules.py"
        rules.write_text(rules.read_text() + "# edited\n")
        assert_same(cli(args, server.env, cwd=work), cli(args, server.env, cwd=work, server=False))
        assert _wait_until(lambda: not server.socket.exists())
        assert cli(["server", "status"], server.env).returncode == 1
        log = server.socket.with_suffix(".log").read_text()
        assert "the installed code changed" in log


def test_watched_paths_are_part_of_the_fingerprint(tmp_path: Path) -> None:
    from atscomms.cli.server import fingerprint

    plugin = tmp_path / "plugin" / "provider.py"
    plugin.parent.mkdir()
    plugin.write_text("VERSION = 1\n")
    before = fingerprint([str(tmp_path / "plugin")])
    assert fingerprint([str(tmp_path / "plugin")]) == before
    plugin.write_text("VERSION = 22\n")
    assert fingerprint([str(tmp_path / "plugin")]) != before


def _preview(out: Path) -> list[str]:
    """A command that runs until Ctrl-C, handles it itself and exits 0 saying "stopped"."""
    return ["preview", "-w", "acme", "application-received", "--out", str(out), "--serve",
            "--port", "0"]  # fmt: skip


def _serving(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """`preview --serve` (runs until Ctrl-C), started and waited for until it serves."""
    proc = subprocess.Popen(
        [*CLIENT, *args], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if line.startswith("serving "):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert ready.wait(60), proc.stderr
    # preview enters its watch loop (which turns Ctrl-C into "stopped") just after saying
    # so; a Ctrl-C before that ends it with a bare 130 (typer), with or without a server
    time.sleep(0.5)
    proc.lines, proc.reader = lines, reader  # type: ignore[attr-defined]
    return proc


def test_ctrl_c_reaches_the_command(srv: Server, work: Path) -> None:
    """The command handles Ctrl-C itself (preview prints "stopped", exits with the
    build's code), so a client that merely gave up would look different."""
    results = []
    for server in (False, True):
        env = {**srv.env, "ATSCOMMS_NO_SERVER": "0" if server else "1"}
        out = work / f"preview-{server}"
        proc = _serving(_preview(out), env, work)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        proc.reader.join(10)  # type: ignore[attr-defined]
        results.append((code, proc.lines[-1], proc.stderr.read()))  # type: ignore[attr-defined,union-attr]
    assert results[0] == results[1]
    assert results[1][1] == "stopped\n"
    assert "interrupted" not in results[1][2]


def test_losing_the_server_mid_request_is_an_error_not_a_rerun(srv: Server, work: Path) -> None:
    out = work / "preview-killed"
    proc = _serving(_preview(out), srv.env, work)
    active = srv.status()["active"]
    assert len(active) == 1
    os.kill(active[0], signal.SIGKILL)
    assert proc.wait(timeout=10) == 2
    assert proc.stderr.read().splitlines() == [STOPPED]  # type: ignore[union-attr]
    assert _wait_until(lambda: srv.status()["active"] == [])
    assert cli(["validate", "-w", "acme"], srv.env, cwd=work).returncode == 0


def test_a_vanished_client_ends_its_command(srv: Server, work: Path) -> None:
    out = work / "preview-orphan"
    proc = _serving(_preview(out), srv.env, work)
    [child] = srv.status()["active"]  # type: ignore[index]
    proc.kill()
    proc.wait(timeout=10)
    assert _wait_until(lambda: srv.status()["active"] == [])  # type: ignore[index]
    assert not _alive(child)


def test_no_server_env_and_the_server_command_stay_in_process(srv: Server, work: Path) -> None:
    before = srv.requests
    assert cli(["validate", "-w", "acme"], srv.env, cwd=work, server=False).returncode == 0
    assert cli(["server", "status"], srv.env).returncode == 0
    assert srv.requests == before


def test_a_warmed_up_server_gives_the_same_answers(snapshot: Path, work: Path) -> None:
    """`start --warm WS` lints one template in the server first (word lists, patterns);
    commands forked from that warm state answer exactly as in-process runs."""
    with running_server(snapshot, "--warm", str(work / "acme")) as server:
        log = server.socket.with_suffix(".log").read_text()
        assert f"warmed up {work / 'acme'} in " in log
        for args in (["lint", "-w", "acme"], ["lint", "-w", "acme", "-f", "json"]):
            local = cli(args, server.env, cwd=work, server=False)
            served = cli(args, server.env, cwd=work)
            assert_same(served, local)
        assert server.requests == 2
    bad = cli(["server", "start", "--warm", str(work / "elsewhere")], server.env, cwd=work)
    assert bad.returncode == 2 and "no atscomms.yaml at or above" in bad.stderr


def _status(env: dict[str, str]) -> dict:
    proc = cli(["server", "status", "--format", "json"], env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _autostart_env(snapshot: Path) -> tuple[Path, dict[str, str]]:
    folder, env = runtime_env(snapshot)
    env = {k: v for k, v in env.items() if k != "CI"}
    env["ATSCOMMS_SERVER_AUTOSTART"] = "1"
    env["GIT_INDEX_FILE"] = "/nonexistent/index"  # as a git hook would have it
    return folder, env


def test_lint_starts_a_server_that_serves_the_next_command(snapshot: Path, work: Path) -> None:
    folder, env = _autostart_env(snapshot)
    pid = None
    try:
        assert _status(env) == {"running": False}
        # captured output (pipes): had the server kept them, this would wait for its exit
        first = cli(["lint", "-w", "acme"], env, cwd=work)
        assert first.returncode == 0, first.stderr
        deadline = time.monotonic() + 90
        while not (info := _status(env))["running"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info["running"] and info["requests"] == 0 and info["idle_timeout"] == 900
        pid = info["pid"]
        second = cli(["lint", "-w", "acme"], env, cwd=work)
        assert_same(second, first)
        assert _status(env)["requests"] == 1
        # one server per installation: the next command did not start another
        assert sorted(p.suffix for p in (folder / "atscomms").iterdir()) == [
            ".lock", ".log", ".sock"
        ]  # fmt: skip
        log = next((folder / "atscomms").glob("*.log")).read_text()
        assert "warmed up " + str(work / "acme") in log, log
    finally:
        _stop_and_clean(env, pid, folder)


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["lint", "-w", "acme"], {"CI": "true"}),  # CI services set CI
        (["lint", "-w", "acme"], {"ATSCOMMS_SERVER_AUTOSTART": "0"}),
        (["lint", "-w", "acme"], {"ATSCOMMS_NO_SERVER": "1"}),
        (["rules", "T101"], {}),  # only lint and validate start one
    ],
)
def test_no_server_is_started(
    snapshot: Path, work: Path, args: list[str], extra: dict[str, str]
) -> None:
    folder, env = _autostart_env(snapshot)
    try:
        proc = subprocess.run(
            [*CLIENT, *args], env={**env, **extra}, cwd=work, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        time.sleep(1.0)  # a started server would have taken its lock by now
        assert list(folder.iterdir()) == []
        assert _status(env) == {"running": False}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
