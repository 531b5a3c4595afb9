"""Restore a template (and, when asked, its layout and partials) as of a revision.

The result is an ordinary working-tree change with a suggested commit message:
history is never rewritten. Files with uncommitted edits are not overwritten
unless forced, and then a copy is kept under ``.atscomms-cache/backups/``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from atscomms.governance.gitutil import CommitInfo, Repo
from atscomms.governance.versions import inputs
from atscomms.model.resources import Template
from atscomms.model.workspace import Workspace

BACKUP_DIR = Path(".atscomms-cache") / "backups"


class RollbackError(Exception):
    """Refused (uncommitted edits, unknown template...): exit 2 with this reason."""


@dataclass(slots=True)
class Plan:
    template: str
    commit: CommitInfo
    version: str  # the version at the revision
    write: dict[str, bytes] = field(default_factory=dict)  # workspace-relative -> content
    remove: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # other templates affected
    id_at_rev: str = ""


@dataclass(slots=True)
class Outcome:
    plan: Plan
    written: list[str]
    removed: list[str]
    backup: Path | None
    version_now: str
    unchanged: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """True when the template's version is now exactly the version at the revision."""
        return self.version_now == self.plan.version


def plan(ws: Workspace, template_id: str, rev: str, *, dependencies: bool = False) -> Plan:
    """Which files to write (and remove) to bring ``template_id`` back to ``rev``."""
    from atscomms.governance.history import points
    from atscomms.model.build import WorkspaceError, build

    repo = Repo(ws.root)
    commit = repo.info(rev)
    try:
        ws_rev, _ = build(ws.root, commit.sha)
    except WorkspaceError as exc:
        raise RollbackError(f"cannot read the workspace at {rev}: {exc}") from None
    t_rev = ws_rev.templates.get(template_id)
    if t_rev is None and template_id in ws.templates:
        # Renamed since: the id it had at the nearest version at or before that revision.
        for p in points(ws, template_id, repo=repo):
            if repo.merge_base(p.commit.sha, commit.sha) == p.commit.sha:
                t_rev = ws_rev.templates.get(p.template)
                break
    if t_rev is None:
        raise RollbackError(f"template {template_id!r} does not exist at {rev} ({commit.short})")
    info = inputs(ws_rev, t_rev)
    own = own_files(t_rev)
    files = set(own)
    if dependencies:
        config = {"atscomms.yaml", ws_rev.fields.path if ws_rev.fields else ""}
        files |= info.files - config
    out = Plan(template_id, commit, info.version, id_at_rev=t_rev.id)
    for rel in sorted(files):
        data = repo.read(commit.sha, rel)
        if data is None:
            continue
        current = ws.root / rel
        if current.is_file() and current.read_bytes() == data:
            continue
        out.write[rel] = data
    current_t = ws.templates.get(template_id) or ws.templates.get(t_rev.id)
    if current_t is not None and current_t.path != t_rev.path:
        out.remove.append(current_t.path)  # the template now lives elsewhere: move it back
    if dependencies:
        changed_shared = set(out.write) - own
        from atscomms.checks.engine import template_files

        out.shared = sorted(
            t.id
            for t in ws.templates.values()
            if t.id not in (template_id, t_rev.id) and template_files(ws, t) & changed_shared
        )
    return out


def own_files(t: Template) -> set[str]:
    """The template's YAML file and its ``file:`` bodies."""
    files = {t.path}
    groups = [t.parts, *t.locales.values()]
    for v in t.variants:
        groups += [v.parts, *v.locales.values()]
    files |= {p.body.file for p in groups if p.body is not None and p.body.file}
    return files


def apply(ws: Workspace, p: Plan, *, force: bool = False) -> Outcome:
    """Write the plan to the working tree (refusing to clobber uncommitted edits)."""
    from atscomms.model.build import build

    repo = Repo(ws.root)
    touched = sorted({*p.write, *p.remove})
    dirty = repo.dirty(touched)
    if dirty and not force:
        raise RollbackError(
            f"uncommitted changes in {', '.join(dirty)}; commit or stash them, "
            "or use --force (a backup is kept)"
        )
    backup: Path | None = None
    if dirty:
        backup = ws.root / BACKUP_DIR / f"rollback-{time.strftime('%Y%m%d-%H%M%S')}"
        for rel in dirty:
            target = backup / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((ws.root / rel).read_bytes())
    for rel, data in p.write.items():
        path = ws.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".atscomms-tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    for rel in p.remove:
        if rel not in p.write:
            (ws.root / rel).unlink(missing_ok=True)
    ws_now, _ = build(ws.root)
    t_now = ws_now.templates.get(p.id_at_rev)
    version_now = inputs(ws_now, t_now).version if t_now is not None else ""
    return Outcome(
        p, sorted(p.write), [r for r in p.remove if r not in p.write], backup, version_now
    )


def commit_message(outcome: Outcome, rev: str) -> str:
    p = outcome.plan
    c = p.commit
    files = [*outcome.written, *(f"{r} (removed)" for r in outcome.removed)]
    lines = [
        f"Roll back {p.id_at_rev} to {c.short} (version {p.version})",
        "",
        f"Restores {', '.join(files) or 'nothing'} as of {c.short}",
        f'("{c.subject}", {c.author}, {c.date[:10]}).',
    ]
    if p.shared:
        lines.append(f"Also changes the version of: {', '.join(p.shared)}.")
    lines += ["", f"Rolled back with `atscomms rollback {p.template} --to {rev}`."]
    return "\n".join(lines) + "\n"
