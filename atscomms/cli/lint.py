"""`atscomms lint [PATHS]`: everything validate does, plus every lint rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import (
    FailOnOpt,
    FormatOpt,
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    RevOpt,
    WorkspaceOpt,
    default_format,
    fail,
    parse_fail_on,
    set_output_flags,
    workspace_errors,
)
from atscomms.cli.report import check_format, emit
from atscomms.cli.validate import PathsArg, SkipOutsideOpt

CodesOpt = Annotated[
    list[str] | None,
    typer.Option(
        help="Rule codes, prefixes or names (comma-separated, repeatable).", show_default=False
    ),
]


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def lint(
    paths: PathsArg = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    rev: RevOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    select: CodesOpt = None,
    ignore: CodesOpt = None,
    extend_select: CodesOpt = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes to the files.")] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the safe fixes as a diff; change nothing.")
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="Only lint what changed since this git revision "
            "(templates whose layout, partials, fields or style guide changed count).",
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print counts per rule instead of findings.")
    ] = False,
    skip_outside: SkipOutsideOpt = False,
    require_approvals: Annotated[
        bool,
        typer.Option(
            "--require-approvals",
            help="Unapproved template versions (G001) are errors: for CI on the main branch.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per CPU core)."),
    ] = None,
) -> None:
    """Validate, render and run every lint rule (tone, legal, fields, clients, SMS, ...)."""
    set_output_flags(quiet, no_color)
    fmt = default_format(fmt)
    check_format(fmt)
    if (fix or diff) and rev:
        fail("--fix/--diff edit the worktree; they cannot be combined with --rev")
    from atscomms.checks.config import ConfigError, LintConfig
    from atscomms.checks.engine import changed_files
    from atscomms.checks.engine import lint as run_lint
    from atscomms.cli.targets import Outcome, merge, narrow, targets
    from atscomms.model.build import build

    outcomes: list[Outcome] = []
    fail_on_config: str | None = None
    for target in targets(workspace, paths or [], rev=rev, skip_outside=skip_outside):
        with workspace_errors():
            ws, result = build(target.root, rev, focus=target.focus())
            changed = changed_files(target.root, changed_since) if changed_since else None
        only = None
        if target.selectors and "" not in target.selectors:
            # PATHS: check only what those files affect (the pre-commit path); a body file
            # or the approvals file is not a document but affects what is checked
            only = target.picks
            picked = {p for p in ws.documents if only(p)}
            picked |= {s for s in target.selectors if ws.source.exists(s)}
            changed = picked if changed is None else changed & picked
        fail_on_config = fail_on_config or ws.config.lint.get("fail-on")
        try:
            config = LintConfig.build(
                ws.config.lint,
                select=_codes(select),
                ignore=_codes(ignore),
                extend_select=_codes(extend_select),
            )
        except ConfigError as exc:
            fail(str(exc))
        if require_approvals:
            from atscomms.findings import Severity

            config.severity["G001"] = Severity.ERROR
        run_lint(ws, result, config, changed=changed, jobs=jobs, only=only)
        narrow(result, ws.documents, target.selectors)
        if fix or diff:
            result = _fixes(target.root, ws, result, write=fix)
        outcomes.append(Outcome(target.root, result, {p: d.text for p, d in ws.documents.items()}))
    severity = parse_fail_on(fail_on, fail_on_config)
    out = merge(outcomes) if outcomes else Outcome(None)
    if statistics:
        _statistics(out.result, output)
    elif not diff:
        emit(out.result, fmt=fmt, output=output, root=out.root, texts=out.texts)
    raise typer.Exit(out.result.exit_code(severity))


def _fixes(root: Path, ws, result, *, write: bool):
    from atscomms.checks import fixes

    def read(path: str) -> str | None:
        doc = ws.documents.get(path)
        if doc is not None:
            return doc.text
        try:
            return (root / path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    changes = fixes.fixed_texts(result.findings, read)
    if not write:
        sys.stdout.write(fixes.diff(changes))
        return result
    if changes:
        backup = fixes.write(root, changes, root / ".atscomms-cache" / "backups")
        fixed = {p for p in changes}
        remaining = [f for f in result.findings if not (f.fix and f.fix["path"] in fixed)]
        sys.stderr.write(
            f"Fixed {len(result.findings) - len(remaining)} finding(s) in {len(changes)} "
            f"file(s); originals saved in {backup.relative_to(root)}\n"
        )
        result.findings = remaining
    return result


def _statistics(result, output: Path | None) -> None:
    from collections import Counter

    from atscomms.cli.common import write_output

    counts = Counter((f.code, f.rule, str(f.severity)) for f in result.findings)
    lines = [
        f"{n:6d}  {code}  {rule} [{sev}]"
        for (code, rule, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    lines.append(f"{sum(counts.values()):6d}  total")
    write_output("\n".join(lines) + "\n", output)
