"""The versions of a template over git history.

Every commit that touched the workspace is a candidate: the template's version
there is computed from the workspace as it was at that commit (so a change
that came through the layout, a partial or the field registry shows up), and a
commit *introduces* a version when it differs from the version at each of its
(rewritten) parents. Renames of the template file are followed: the template
is looked up by id, and where that id does not exist, in the file git's
rename detection (``--follow``) says it had at that commit; its id there is
then followed further back.

To stay fast, a commit is only rebuilt when one of the files the version
depends on (template, body files, layout, partials, fields, config) has a
different blob there than at a commit already computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atscomms.governance.approvals import Approval, source_rev, verify
from atscomms.governance.gitutil import CommitInfo, GitError, Repo
from atscomms.governance.versions import inputs
from atscomms.model.workspace import Workspace


@dataclass(slots=True)
class Point:
    """The template at one commit."""

    commit: CommitInfo
    version: str
    template: str  # id at that commit
    path: str
    files: tuple[str, ...]


@dataclass(slots=True)
class Entry:
    """A version and the commit that introduced it (None: the working tree)."""

    version: str
    template: str
    path: str
    commit: CommitInfo | None
    changed: list[str] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    current: bool = False

    def to_dict(self) -> dict[str, Any]:
        c = self.commit
        return {
            "version": self.version,
            "template": self.template,
            "path": self.path,
            "commit": c.sha if c else None,
            "author": c.author if c else None,
            "email": c.email if c else None,
            "date": c.date if c else None,
            "message": c.subject if c else "(uncommitted changes in the working tree)",
            "changed": self.changed,
            "approvals": [a.to_dict() for a in self.approvals],
            "current": self.current,
        }


def points(
    ws: Workspace, template_id: str, *, repo: Repo | None = None, max_count: int = 500
) -> list[Point]:
    """The template at every commit touching the workspace, newest first, until it did
    not exist yet."""
    from atscomms.model.build import WorkspaceError, build

    repo = repo or Repo(ws.root)
    tip = source_rev(ws) or "HEAD"
    if not repo.has_commits:
        return []
    current = ws.templates[template_id]
    names = repo.follow_names(current.path, tip) if repo.read(tip, current.path) else {}
    commits = repo.log(rev=tip, max_count=max_count, rewrite_parents=True)
    path, tid = current.path, template_id
    known: dict[tuple, tuple[str, str, str]] = {}  # (files, blob ids) -> (version, id, path)
    last_files: tuple[str, ...] = ()
    out: list[Point] = []
    for commit in commits:
        renamed = names.get(commit.sha)
        at_path, older_path = renamed if renamed else (path, path)
        hit = None
        if last_files:
            sig = (last_files, tuple(repo.blob_id(commit.sha, f) for f in last_files))
            hit = known.get(sig)
        if hit is not None and hit[1] == tid and hit[2] == at_path:
            version, files = hit[0], last_files
        else:
            try:
                ws_at, _ = build(ws.root, commit.sha)
            except WorkspaceError:
                break
            t = ws_at.templates.get(tid)
            if t is None:
                t = next((x for x in ws_at.templates.values() if x.path == at_path), None)
            if t is None:
                break
            info = inputs(ws_at, t)
            version, tid, at_path = info.version, t.id, t.path
            files = tuple(sorted(info.files))
            sig = (files, tuple(repo.blob_id(commit.sha, f) for f in files))
            known[sig] = (version, tid, at_path)
            last_files = files
        out.append(Point(commit, version, tid, at_path, files))
        path = older_path if renamed else at_path
    return out


def history(
    ws: Workspace, template_id: str, *, max_count: int = 500, worktree: bool = True
) -> list[Entry]:
    """Versions of a template, newest first, each with the commit that introduced it,
    the files of the template that changed there and the approvals that count for it."""
    repo = Repo(ws.root)
    pts = points(ws, template_id, repo=repo, max_count=max_count)
    by_sha = {p.commit.sha: p for p in pts}
    approvals, _ = verify(ws)
    ids = {p.template for p in pts} | {template_id}
    out: list[Entry] = []
    for p in pts:
        parents = [by_sha[s] for s in p.commit.parents if s in by_sha]
        if any(q.version == p.version for q in parents):
            continue  # unchanged (or a merge that took one side's version)
        changed: list[str] = []
        deps = set(p.files) | {f for q in parents for f in q.files}
        if parents:
            try:
                diff = repo.changed_files(parents[0].commit.sha, p.commit.sha)
            except GitError:
                diff = []
            changed = [f for f in diff if f in deps]
        else:
            changed = [p.path]
        out.append(Entry(p.version, p.template, p.path, p.commit, changed))
    if worktree and source_rev(ws) is None:
        current = inputs(ws, ws.templates[template_id])
        if not pts or pts[0].version != current.version:
            dirty = repo.dirty(sorted(current.files))
            path = ws.templates[template_id].path
            out.insert(0, Entry(current.version, template_id, path, None, dirty))
    if out:
        out[0].current = True
    for e in out:
        e.approvals = [
            a for a in approvals if a.valid and a.template in ids and a.version == e.version
        ]
    return out
