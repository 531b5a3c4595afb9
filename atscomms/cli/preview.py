"""`atscomms preview [TEMPLATES]`: build the HTML gallery; open it, serve it, screenshot it."""

from __future__ import annotations

import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from atscomms.cli.common import (
    GLOBALS,
    NoColorOpt,
    QuietOpt,
    WorkspaceOpt,
    fail,
    resolve_workspace,
    set_output_flags,
    workspace_errors,
)

MAX_PRINTED = 50  # finding lines printed; every finding is on its page
STAGES = ("load", "jinja", "mjml", "inline", "text", "views", "page", "write")


def preview(
    templates: Annotated[
        list[str] | None,
        typer.Argument(help="Template ids (default: every template).", show_default=False),
    ] = None,
    workspace: WorkspaceOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Gallery folder (default: build/preview in the workspace)."),
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the gallery in a browser.")] = False,
    serve: Annotated[
        bool,
        typer.Option("--serve", help="Serve on 127.0.0.1 and rebuild when a file changes."),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port for --serve (0: any free).")] = 8765,
    screenshots: Annotated[
        bool,
        typer.Option("--screenshots", help="Save PNGs of every page (needs headless Chromium)."),
    ] = False,
    allow_remote_images: Annotated[
        bool,
        typer.Option(
            "--allow-remote-images",
            help="Let previews load remote images (blocked by default: no tracking pixels).",
        ),
    ] = False,
    persona: Annotated[
        list[str] | None, typer.Option("--persona", help="Only this persona (repeatable).")
    ] = None,
    locale: Annotated[
        list[str] | None, typer.Option("--locale", help="Only this locale (repeatable).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes (0: automatic).", min=0)
    ] = 0,
    timings: Annotated[
        bool, typer.Option("--timings", help="Print the share of time per stage.")
    ] = False,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Build a static preview gallery: every template for every persona, locale and variant.

    Exit 0 when everything rendered, 1 when a page shows an error, 2 for a usage error."""
    set_output_flags(quiet, no_color)
    if not 0 <= port <= 65535:
        fail(f"--port: {port} is not a port number")
    root = resolve_workspace(workspace)
    out_dir = (out if out is not None else root / "build" / "preview").resolve()
    browser = None
    if screenshots:
        from atscomms.preview.screenshots import INSTALL_HINT, find_browser

        browser = find_browser() or fail(INSTALL_HINT)
    from atscomms.preview.spec import Options

    opts = Options(
        out_dir,
        templates=list(dict.fromkeys(templates or [])),
        personas=list(dict.fromkeys(persona or [])),
        locales=list(dict.fromkeys(locale or [])),
        allow_remote_images=allow_remote_images,
        jobs=jobs,
        atomic=serve,
    )
    summary = _build(root, opts, interactive=True, timings=timings)
    if browser is not None:
        _screenshots(browser, summary, out_dir, jobs)
    server = None
    if serve:
        from atscomms.preview.server import Server

        try:
            server = Server(out_dir, port).start()
        except OSError as exc:
            fail(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}")
        _say(f"serving {server.url} (Ctrl-C to stop; rebuilding when a file changes)")
    if open_:
        import webbrowser

        webbrowser.open(server.url if server else (out_dir / "index.html").as_uri())
    code = summary.exit_code
    if server is not None:
        code = _watch(server, root, opts, code)
    raise typer.Exit(code)


def _say(line: str, *, err: bool = False) -> None:
    if GLOBALS.quiet and not err:
        return
    stream = sys.stderr if err else sys.stdout
    stream.write(line + "\n")
    stream.flush()


@contextmanager
def _progress(label: str, enabled: bool):
    """A rich progress bar on stderr when it is a terminal; yields ``start(total) -> tick``.
    The bar (and its refresh thread) starts only when ``start`` is called, so worker
    processes can be forked before any thread exists."""
    if not enabled or GLOBALS.quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with ExitStack() as stack:

        def start(total: int):
            bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True, no_color=GLOBALS.no_color),
                transient=True,
            )
            stack.enter_context(bar)
            task = bar.add_task(label, total=total)
            return lambda n: bar.advance(task, n)

        yield start


def _build(root: Path, opts: Any, *, interactive: bool, timings: bool = False):
    """Load the workspace, check the selection, write the gallery, report."""
    from atscomms.loading.validate import did_you_mean
    from atscomms.model.build import build
    from atscomms.preview.gallery import GalleryError, build_gallery

    started = time.perf_counter()
    with workspace_errors():
        ws, result = build(root)
    load = time.perf_counter() - started
    for wanted, table, what in (
        (opts.templates, ws.templates, "template"),
        (opts.personas, ws.personas, "persona"),
        (opts.locales, {x: x for x in ws.config.locales}, "locale"),
    ):
        for name in wanted:
            if name not in table:
                guess = did_you_mean(name, table)
                hint = f" (did you mean {guess!r}?)" if guess else ""
                fail(f"unknown {what} {name!r}{hint}")
    try:
        with _progress("rendering", interactive) as start:
            summary = build_gallery(ws, result.findings, opts, progress=start)
    except GalleryError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the gallery in {opts.out}: {exc.strerror or exc}")
    summary.timings["load"] += load
    for f in summary.findings[:MAX_PRINTED]:
        _say(f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}", err=True)
    if len(summary.findings) > MAX_PRINTED:
        more = len(summary.findings) - MAX_PRINTED
        _say(f"... and {more} more findings: see the pages in {summary.index}", err=True)
    total = time.perf_counter() - started
    _say(
        f"preview: {summary.pages} pages of {summary.templates} templates "
        f"({summary.rendered} rendered, {summary.cached} unchanged, {summary.failed} failed) "
        f"in {total:.1f}s -> {summary.index}"
    )
    if timings:
        _print_timings(summary, total)
    return summary


def _print_timings(summary: Any, total: float) -> None:
    spent = summary.timings
    busy = sum(spent[s] for s in STAGES) or 1.0
    shares = ", ".join(f"{s} {100 * spent[s] / busy:.0f}%" for s in STAGES if spent[s])
    rate = summary.templates / total if total else 0.0
    _say(
        f"timings: {total:.2f}s wall, {busy:.2f}s in stages ({shares}); "
        f"{rate:.1f} templates/s, {summary.rendered / total if total else 0:.1f} pages/s",
        err=True,
    )


def _screenshots(browser: str, summary: Any, out: Path, jobs: int) -> None:
    from atscomms.preview.screenshots import EMAIL_WINDOW, SMS_WINDOW, Shot, shoot
    from atscomms.preview.spec import screenshot_path

    rendered = set(summary.rendered_paths)
    shots = []
    for path, entry in summary.entries.items():
        png = out / screenshot_path(path)
        if path in rendered or not png.exists():
            window = SMS_WINDOW if entry.get("channel") == "sms" else EMAIL_WINDOW
            shots.append(Shot(out / path, png, window))
    with _progress("screenshots", True) as start:
        tick = start(len(shots)) if start and shots else None
        errors = shoot(browser, shots, jobs or min(4, os.cpu_count() or 1), tick)
    for error in errors:
        _say(f"atscomms: screenshot: {error}", err=True)
    _say(
        f"screenshots: {len(shots) - len(errors)} taken, {len(summary.entries) - len(shots)} "
        f"unchanged -> {out / '_screenshots'}"
    )
    if errors:
        fail(f"{len(errors)} screenshot(s) failed")


def _watch(server: Any, root: Path, opts: Any, code: int) -> int:
    """Rebuild on changes until Ctrl-C; returns the exit code of the last build."""
    import threading

    stop = threading.Event()
    opts.jobs = 1  # no forking next to the server thread
    last = [code]

    def rebuild() -> None:
        try:
            last[0] = _build(root, opts, interactive=False).exit_code
        except Exception as exc:  # noqa: BLE001 - keep serving; say why the rebuild failed
            last[0] = 2
            _say(f"atscomms: rebuild failed: {exc}", err=True)

    try:
        server.watch(root, opts.out, rebuild, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.close()
        _say("stopped")
    return last[0]
