"""The `atscomms` command. Commands live in sibling modules and import heavy
libraries inside their bodies, so `atscomms --help` and `--version` start fast."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms import __version__
from atscomms.cli import common
from atscomms.cli.init import init
from atscomms.cli.lint import lint
from atscomms.cli.render import render
from atscomms.cli.rules import rules
from atscomms.cli.schema import schema
from atscomms.cli.validate import validate

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


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"atscomms {__version__}\n")
        raise typer.Exit(0)


@app.callback()
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


app.command("init")(init)
app.command("validate")(validate)
app.command("lint")(lint)
app.command("rules")(rules)
app.command("schema")(schema)
app.command("render")(render)
# Commands added by later work register below, one import + one line each.
from atscomms.cli.providers import providers  # noqa: E402, I001

app.command("providers")(providers)
from atscomms.cli.plan import plan  # noqa: E402, I001

app.command("plan")(plan)
from atscomms.cli.push import push  # noqa: E402, I001

app.command("push")(push)
from atscomms.cli.pull import pull  # noqa: E402, I001

app.command("pull")(pull)
from atscomms.cli.codeowners import codeowners  # noqa: E402, I001

app.command("codeowners")(codeowners)
from atscomms.cli.reports import report_app  # noqa: E402, I001

app.add_typer(report_app, name="report")
from atscomms.cli.audit import audit  # noqa: E402, I001

app.command("audit")(audit)
from atscomms.cli.rollback import rollback  # noqa: E402, I001

app.command("rollback")(rollback)
from atscomms.cli.simulate import simulate  # noqa: E402, I001

app.command("simulate")(simulate)
from atscomms.cli.map import map_command  # noqa: E402, I001

app.command("map")(map_command)
from atscomms.cli.diff import diff  # noqa: E402, I001

app.command("diff")(diff)
from atscomms.cli.history import history  # noqa: E402, I001

app.command("history")(history)
from atscomms.cli.approve import approve  # noqa: E402, I001

app.command("approve")(approve)
from atscomms.cli.approvals import approvals  # noqa: E402, I001

app.command("approvals")(approvals)
from atscomms.cli.send_test import send_test  # noqa: E402, I001

app.command("send-test")(send_test)
from atscomms.cli.preview import preview  # noqa: E402, I001

app.command("preview")(preview)


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit 0/1 from commands, 2 with one line for anything broken."""
    try:
        code = app(args=argv, standalone_mode=False)
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
    sys.exit(code if isinstance(code, int) else 0)
