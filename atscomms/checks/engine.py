"""Run lint: build the workspace, render, run every selected rule, then apply the
configuration (selection, severities, per-path ignores) and inline suppressions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from atscomms.checks import suppress
from atscomms.checks.config import LintConfig
from atscomms.checks.context import LintContext
from atscomms.findings import Finding, Result
from atscomms.model.resources import Template
from atscomms.model.workspace import Workspace


@dataclass
class LintRun:
    ws: Workspace
    result: Result
    config: LintConfig
    changed: set[str] | None = None  # workspace-relative paths, with --changed-since
    stats: dict[str, int] = field(default_factory=dict)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.path, f.line, f.column, f.code)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def template_files(ws: Workspace, t: Template) -> set[str]:
    """Every file whose content shapes what this template sends (computed once per build)."""
    memo: dict[str, frozenset[str]] = ws.derived.setdefault("template-files", {})
    files = memo.get(t.id)
    if files is None:
        files = memo[t.id] = frozenset(_template_files(ws, t))
    return files


def _template_files(ws: Workspace, t: Template) -> set[str]:
    from atscomms.model.resolve import includes

    files = {t.path}
    pending = []
    bodies = [p.body for p in (t.parts, *t.locales.values()) if p.body]
    for v in t.variants:
        bodies += [p.body for p in (v.parts, *v.locales.values()) if p.body]
    layout = ws.layouts.get(t.layout or "")
    if layout is not None:
        files.add(layout.path)
        bodies += [b for b in (layout.body, *layout.locales.values()) if b]
    seen: set[str] = set()
    while bodies or pending:
        body = bodies.pop() if bodies else None
        if body is None:
            continue
        if body.file:
            files.add(body.file)
        if body.source is not None:
            for name, _ in includes(body.source.value):
                partial = ws.partials.get(name)
                if partial is not None and name not in seen:
                    seen.add(name)
                    files.add(partial.path)
                    bodies += [b for b in (partial.body, *partial.locales.values()) if b]
    return files


GLOBAL_FILES = ("atscomms.yaml",)


def affected_templates(ws: Workspace, changed: set[str]) -> list[Template]:
    shared = {r.path for r in (ws.fields, ws.styleguide, ws.governance) if r is not None}
    if changed & (shared | set(GLOBAL_FILES)):
        return list(ws.templates.values())
    own = [t for t in ws.templates.values() if t.path in changed]
    if len(own) == len(changed):
        return own  # only template files changed: no other template depends on them
    return [t for t in ws.templates.values() if template_files(ws, t) & changed]


def run_checks(
    ctx: LintContext,
    config: LintConfig,
    templates: list[Template],
    *,
    workspace_rules: bool = True,
    jobs: int | None = None,
) -> list[Finding]:
    from atscomms.checks.registry import get
    from atscomms.checks.runner import RENDER_CODES, run_templates

    rules = config.rules()
    render_codes = any(config.enabled(code, get(code).name) for code in RENDER_CODES)

    def workspace_findings() -> list[Finding]:
        return [f for rule in rules for f in rule.check_workspace(ctx)]

    out, other = run_templates(
        ctx, rules, templates, jobs, render_codes, workspace_findings if workspace_rules else None
    )
    out.extend(other)
    return out


def lint(
    ws: Workspace,
    result: Result,
    config: LintConfig,
    *,
    changed: set[str] | None = None,
    jobs: int | None = None,
    only: Callable[[str], bool] | None = None,
) -> LintRun:
    """``changed``: lint what these files affect; ``only``: findings in other files are not
    wanted (PATHS), so workspace rules need not look at them."""
    from atscomms.rendering.render import Renderer

    ctx = LintContext(ws, Renderer(ws))
    templates = list(ws.templates.values())
    if changed is not None:
        templates = affected_templates(ws, changed)
    keep: set[str] | None = None
    if changed is not None:
        keep = set(changed)
        for t in templates:
            keep |= template_files(ws, t)
        if only is not None:
            keep = {p for p in keep if only(p)}
        ctx.scope = keep
    findings = result.findings + run_checks(ctx, config, templates, jobs=jobs)
    if keep is not None:
        findings = [f for f in findings if f.path in keep]
    findings = config.apply(_dedupe(findings))
    findings = suppress.apply(findings, ws.documents)
    result.findings = findings
    return LintRun(ws, result, config, changed)


def changed_files(root: Path, rev: str) -> set[str]:
    """Workspace-relative paths changed between ``rev`` and the worktree (untracked too)."""
    import git

    from atscomms.model.build import WorkspaceError

    try:
        repo = git.Repo(root, search_parent_directories=True)
        repo.commit(rev)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise WorkspaceError(
            f"{root} is not inside a git repository (needed for --changed-since)"
        ) from None
    except (git.BadName, ValueError, git.GitCommandError):
        raise WorkspaceError(f"unknown git revision {rev!r}") from None
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    names = repo.git.diff("--name-only", rev, "--", ".").splitlines()
    names += repo.untracked_files
    return {n[len(prefix) :] for n in names if n.startswith(prefix)}
