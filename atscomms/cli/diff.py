"""`atscomms diff [REV_A] [REV_B]`: what changed between revisions, optionally as rendered."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from atscomms.cli.common import FormatOpt, OutputOpt, WorkspaceOpt, resolve_workspace, write_output

ListOpt = Annotated[
    list[str] | None,
    typer.Option(help="Limit rendered diffs (repeatable; persona `sample` = sample data).",
                 show_default=False),
]  # fmt: skip


def diff(
    rev_a: Annotated[
        str | None,
        typer.Argument(
            help="Base revision (default: merge base with the main branch).", show_default=False
        ),
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(help="Head revision (default: the working tree).", show_default=False),
    ] = None,
    rendered: Annotated[
        bool, typer.Option("--rendered", help="Diff rendered subject, text and SMS too.")
    ] = False,
    persona: ListOpt = None,
    locale: ListOpt = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are differences.")
    ] = False,
) -> None:
    """What changed between two revisions, semantically and as rendered.

    Resources added, removed or changed, templates with a new version (also
    through layouts and partials) and, with --rendered, the subject, text and
    SMS diff per locale and persona. --format markdown makes a PR comment.
    """
    from atscomms.governance import cliutil

    fmt = cliutil.check_format(fmt, cliutil.DOC_FORMATS, "text")
    root = resolve_workspace(workspace)
    from atscomms.governance.approvals import statuses
    from atscomms.governance.diff import compare

    repo = cliutil.open_repo(root)
    with cliutil.git_errors():
        if not repo.has_commits:
            cliutil.fail(f"the repository at {repo.top} has no commits yet")
        if rev_a is None:
            main = repo.main_branch()
            rev_a = (repo.merge_base(main) if main else None) or "HEAD"
        base = repo.info(rev_a)
        head = repo.info(rev_b) if rev_b else None
    ws_a = cliutil.load(root, base.sha)
    ws_b = cliutil.load(root, head.sha if head else None)
    result = compare(ws_a, ws_b, rendered=rendered, personas=persona, locales=locale)
    with cliutil.git_errors():
        states = statuses(ws_b)
    for tc in result.templates:
        st = states.get(tc.template)
        if st is not None:
            tc.status, tc.missing = st.status, st.missing
    base_label = f"{rev_a} ({base.short})" if rev_a != base.sha else base.short
    head_label = (
        f"{rev_b} ({head.short})"
        if head and rev_b != head.sha
        else (head.short if head else "working tree")
    )
    if fmt == "json":
        data = {
            "base": {"rev": rev_a, "commit": base.sha},
            "head": {"rev": rev_b, "commit": head.sha if head else None},
            "resources": [r.to_dict() for r in result.resources],
            "templates": [t.to_dict() for t in result.templates],
        }
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(cliutil.render_doc(_report(result, base, base_label, head_label), fmt), output)
    raise typer.Exit(1 if exit_code and not result.empty else 0)


def _report(result, base, base_label: str, head_label: str):
    from atscomms.governance.output import Report

    report = Report("atscomms diff")
    report.meta.append(("Base", f"{base_label}: {base.subject}"))
    report.meta.append(("Head", head_label))
    if result.empty:
        report.intro = "No changes to any resource or template version."
        return report
    report.intro = (
        f"{len(result.resources)} resource(s) added, removed or changed; "
        f"{len(result.templates)} template(s) with a new version."
    )
    res = report.section("Resources").table(["Change", "Resource", "File", "What changed"])
    for r in result.resources:
        res.add(r.change, f"{r.kind}:{r.id}", r.path, ", ".join(r.keys))
    tmpl = report.section("Templates with a new version").table(
        ["Template", "Change", "Version", "Changed via", "Approval"]
    )
    for t in result.templates:
        version = f"{t.version_a or '-'} → {t.version_b or '-'}"
        approval = t.status or "-"
        if t.missing:
            approval += f" (needs {', '.join(t.missing)})"
        tmpl.add(t.template, t.change, version, ", ".join(t.via) or "-", approval)
    groups: dict[tuple[str, str], tuple[str, dict[str, list[str]]]] = {}
    for t in result.templates:
        for r in t.rendered:
            entry = groups.setdefault((r.part, r.key), (r.diff, {}))
            entry[1].setdefault(t.template, []).extend(r.labels)
    if groups:
        section = report.section("Rendered changes")
        section.para(
            "What candidates will see, per part; the same change in several templates, "
            "locales or personas is shown once."
        )
        for (part, _), (text, where) in groups.items():
            section.block(text, "diff", caption=f"{part} in {_where(where)}")
    return report


def _where(where: dict[str, list[str]]) -> str:
    """`a, b: en-US (sample data, p1); c: de-DE (p2)` from template -> ["en-US · p1", ...]."""
    by_labels: dict[str, list[str]] = {}
    for tid, labels in where.items():
        locales: dict[str, list[str]] = {}
        for label in labels:
            loc, _, who = label.partition(" · ")
            locales.setdefault(loc, []).append(who)
        shown = "; ".join(f"{loc} ({', '.join(who)})" for loc, who in locales.items())
        by_labels.setdefault(shown, []).append(tid)
    return " | ".join(f"{', '.join(tids)}: {shown}" for shown, tids in by_labels.items())
