"""The `atscomms` command. Commands live in sibling modules, listed in :data:`COMMANDS`;
only the invoked one is imported (and introspected by typer), and commands import heavy
libraries inside their bodies, so `--help`, `--version` and the pre-commit hook start fast."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated

import typer

from atscomms import __version__
from atscomms.cli import common

#: Command name -> (module, attribute): a function, or a Typer app of subcommands.
#: Later work adds one line here; the order is the order of `atscomms --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("atscomms.cli.init", "init"),
    "validate": ("atscomms.cli.validate", "validate"),
    "lint": ("atscomms.cli.lint", "lint"),
    "rules": ("atscomms.cli.rules", "rules"),
    "schema": ("atscomms.cli.schema", "schema"),
    "render": ("atscomms.cli.render", "render"),
    "providers": ("atscomms.cli.providers", "providers"),
    "plan": ("atscomms.cli.plan", "plan"),
    "push": ("atscomms.cli.push", "push"),
    "pull": ("atscomms.cli.pull", "pull"),
    "codeowners": ("atscomms.cli.codeowners", "codeowners"),
    "report": ("atscomms.cli.reports", "report_app"),
    "audit": ("atscomms.cli.audit", "audit"),
    "rollback": ("atscomms.cli.rollback", "rollback"),
    "simulate": ("atscomms.cli.simulate", "simulate"),
    "map": ("atscomms.cli.map", "map_command"),
    "diff": ("atscomms.cli.diff", "diff"),
    "history": ("atscomms.cli.history", "history"),
    "approve": ("atscomms.cli.approve", "approve"),
    "approvals": ("atscomms.cli.approvals", "approvals"),
    "send-test": ("atscomms.cli.send_test", "send_test"),
    "preview": ("atscomms.cli.preview", "preview"),
    "server": ("atscomms.cli.server", "server_app"),
}


def make_app(only: str | None = None) -> typer.Typer:
    """The command line with every command, or with just ``only`` (the invoked one)."""
    app = typer.Typer(
        name="atscomms",
        help="Config-as-code for recruiting communications: validate, lint, render, simulate "
        "and push candidate emails and SMS.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main)
    for name, (module, attr) in COMMANDS.items():
        if only is None or name == only:
            obj = getattr(import_module(module), attr)
            if isinstance(obj, typer.Typer):
                app.add_typer(obj, name=name)
            else:
                app.command(name)(obj)
    return app


def _invoked(args: list[str]) -> str | None:
    """The command named on the command line (global options are flags without values)."""
    for arg in args:
        if arg == "--" or not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"atscomms {__version__}\n")
        raise typer.Exit(0)


def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain output (also: NO_COLOR=1).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only report errors.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on internal errors.")
    ] = False,
) -> None:
    common.GLOBALS.no_color = no_color
    common.GLOBALS.quiet = quiet
    common.GLOBALS.debug = debug


#: The exit code of a command stopped by Ctrl-C (128 + SIGINT).
INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit 0/1 from commands, 2 with one line for anything broken."""
    try:
        args = sys.argv[1:] if argv is None else argv
        code = make_app(_invoked(args))(args=args, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except common.UsageError as exc:
        sys.stderr.write(f"atscomms: error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("atscomms: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if type(exc).__name__ == "Abort":
            sys.stderr.write("atscomms: aborted\n")
            sys.exit(2)
        if callable(getattr(exc, "format_message", None)):  # click's usage errors
            hint = " (see atscomms --help)" if "command" in str(exc) else ""
            sys.stderr.write(f"atscomms: error: {exc.format_message()}{hint}\n")
            sys.exit(2)
        if common.GLOBALS.debug or "--debug" in (argv or sys.argv):
            import traceback

            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        sys.stderr.write(
            f"atscomms: internal error: {type(exc).__name__}: {first} (run with --debug)\n"
        )
        sys.exit(2)
    if code == INTERRUPTED:  # typer turns Ctrl-C into this code (commands exit 0, 1 or 2)
        sys.stderr.write("atscomms: interrupted\n")
    sys.exit(code if isinstance(code, int) else 0)
