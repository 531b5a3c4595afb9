"""Approvals: who must sign off which template, and which sign-offs count.

Public API::

    from atscomms.governance.approvals import statuses
    for tid, st in statuses(ws).items():          # ws: a built Workspace
        st.status        # "approved" | "pending" | "stale"
        st.version       # the template's current content hash (versions.template_version)
        st.required      # roles that must approve, e.g. ["legal", "hr", "comms"]
        st.approved      # Approval objects counted for the current version
        st.missing       # required roles without a counted approval

``statuses(ws, repo_root=None)`` returns one :class:`ApprovalStatus` per
template id. ``approved``: every required role has a counted approval of the
current version (a template no rule applies to is approved); ``stale``: some
required role only approved an older version; ``pending``: otherwise.
``ApprovalStatus.to_dict()`` is the entry of ``atscomms approvals --format json``.

Which roles: every rule of the governance file's ``approvals`` list whose
``categories`` and ``channels`` (all when absent) match the template adds its
``require`` roles (union, in order of appearance).

Which sign-offs count (verified with git history, never trusted from the
file): the commit that added the entry to the approvals file (walking every
commit that touched it, merges compared with all their parents) must be
authored by a member of the role (governance ``roles.R.members``, git
emails); with ``require_signed_commits: true`` that commit must also carry a
good signature (``git log --format=%G?`` is ``G`` or ``U``). Entries not yet
committed, by non-members, for unknown roles, or outside a git repository do
not count. For a workspace built at a git revision (``--rev``) history is read
up to that revision.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from atscomms.governance.gitutil import CommitInfo, GitError, Repo
from atscomms.governance.records import ApprovalsFile, Record, parse, read
from atscomms.model.resources import Template, list_items
from atscomms.model.workspace import Workspace

GOOD_SIGNATURES = ("G", "U")


@dataclass(frozen=True, slots=True)
class Approval:
    """An approvals-file entry with the commit that added it and whether it counts."""

    record: Record
    commit: CommitInfo | None = None
    valid: bool = False
    reason: str | None = None  # why it does not count

    @property
    def template(self) -> str:
        return self.record.template

    @property
    def version(self) -> str:
        return self.record.version

    @property
    def role(self) -> str:
        return self.record.role

    @property
    def by(self) -> str:
        return self.commit.email if self.commit is not None else self.record.by

    @property
    def at(self) -> str | None:
        return self.record.at or (self.commit.date if self.commit else None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "by": self.by,
            "commit": self.commit.sha if self.commit else None,
        }
        out["version"] = self.version
        out["at"] = self.at
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(slots=True)
class ApprovalStatus:
    template: str
    version: str
    required: list[str]
    approved: list[Approval] = field(default_factory=list)
    stale: list[Approval] = field(default_factory=list)
    rejected: list[Approval] = field(default_factory=list)
    pending_commit: list[Approval] = field(default_factory=list)
    note: str | None = None  # e.g. "not in a git repository"

    @property
    def missing(self) -> list[str]:
        given = {a.role for a in self.approved}
        return [r for r in self.required if r not in given]

    @property
    def status(self) -> str:
        if not self.missing:
            return "approved"
        return "stale" if self.stale else "pending"

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "version": self.version,
            "required": list(self.required),
            "approved": [a.to_dict() for a in self.approved],
            "status": self.status,
            "missing": self.missing,
            "stale": [a.to_dict() for a in self.stale],
            "rejected": [a.to_dict() for a in self.rejected],
            "uncommitted": [a.to_dict() for a in self.pending_commit],
            **({"note": self.note} if self.note else {}),
        }


# -- policy --------------------------------------------------------------------------------
def roles(ws: Workspace) -> dict[str, set[str]]:
    """Role -> member emails (lowercase)."""
    if ws.governance is None:
        return {}
    data = ws.governance.data.get("roles")
    out: dict[str, set[str]] = {}
    for name, spec in data.items() if isinstance(data, dict) else []:
        members = spec.get("members") if isinstance(spec, dict) else None
        out[str(name)] = {
            m.strip().lower()
            for m in (members if isinstance(members, list) else [])
            if isinstance(m, str)
        }
    return out


def required_roles(ws: Workspace, template: Template) -> list[str]:
    """Roles that must approve ``template`` (union of every matching rule, in order)."""
    if ws.governance is None:
        return []
    out: list[str] = []
    for rule in list_items(ws.governance.data.get("approvals")):
        if not isinstance(rule, dict):
            continue
        categories, channels = rule.get("categories"), rule.get("channels")
        if isinstance(categories, list) and template.category not in categories:
            continue
        if isinstance(channels, list) and template.channel not in channels:
            continue
        for role in list_items(rule.get("require")):
            if isinstance(role, str) and role not in out:
                out.append(role)
    return out


def signed_commits_required(ws: Workspace) -> bool:
    return ws.governance is not None and ws.governance.data.get("require_signed_commits") is True


# -- verification ----------------------------------------------------------------------------
def source_rev(ws: Workspace) -> str | None:
    """The git revision a workspace was built from (None: the worktree)."""
    from atscomms.loading.sources import GitSource

    if isinstance(ws.source, GitSource):
        suffix = f":{ws.source.root}"
        label = ws.source.label
        return label[: -len(suffix)] if label.endswith(suffix) else label.split(":", 1)[0]
    return None


def attribution(repo: Repo, path: str, tip: str) -> dict[tuple, CommitInfo]:
    """Record key -> the (most recent) commit that added that entry to the approvals file."""
    commits = repo.log([path], rev=tip)
    keys: dict[str, frozenset[tuple]] = {}

    def keys_at(sha: str) -> frozenset[tuple]:
        cached = keys.get(sha)
        if cached is None:
            raw = repo.read(sha, path)
            records = parse(path, raw, validate=False).records if raw is not None else []
            cached = keys[sha] = frozenset(r.key for r in records)
        return cached

    added: dict[tuple, CommitInfo] = {}
    for commit in reversed(commits):  # oldest first: later additions win
        before: set[tuple] = set()
        for parent in commit.parents:
            before |= keys_at(parent)
        for key in keys_at(commit.sha) - before:
            added[key] = commit
    return added


_CACHE: dict[tuple, dict[tuple, CommitInfo]] = {}
_STORE = "approvals-v1.marshal"  # in the workspace's cache folder: git history never changes


def _store_path(ws: Workspace) -> Path | None:
    import os

    from atscomms.loading.cache import CACHE_DIR

    if os.environ.get("ATSCOMMS_NO_CACHE", "") not in ("", "0"):
        return None
    return ws.root / CACHE_DIR / _STORE


def _stored(ws: Workspace, key: str) -> dict[tuple, CommitInfo] | None:
    import marshal

    path = _store_path(ws)
    try:
        entries = marshal.loads(path.read_bytes()) if path else None
        rows = entries.get(key) if isinstance(entries, dict) else None
        return {k: CommitInfo(*c) for k, c in rows} if rows is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _store(ws: Workspace, key: str, added: dict[tuple, CommitInfo]) -> None:
    import marshal
    import os

    path = _store_path(ws)
    if path is None:
        return
    try:
        entries = marshal.loads(path.read_bytes())
        entries = entries if isinstance(entries, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        entries = {}
    while len(entries) >= 8:  # a few recent tips (branches) are enough
        del entries[next(iter(entries))]
    entries[key] = [(k, astuple(c)) for k, c in added.items()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{_STORE}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(entries))
        tmp.replace(path)
    except (OSError, ValueError):
        pass


def _quick_key(ws: Workspace, repo_root: Path | None, rel: str, tip: str) -> str | None:
    """The persisted-attribution key of ``rel`` at ``tip``, found without gitpython."""
    from atscomms.governance.gitutil import quick_resolve

    found = quick_resolve(repo_root or ws.root, tip)
    if found is None:
        return None
    top, sha = found
    try:
        repo_rel = (ws.root.resolve() / rel).relative_to(top).as_posix()
    except ValueError:
        return None
    return f"{top}\0{sha}\0{repo_rel}"


def verify(
    ws: Workspace, repo_root: Path | None = None, approvals_file: ApprovalsFile | None = None
) -> tuple[list[Approval], str | None]:
    """Every entry of the approvals file with its verdict, and a note when git is unusable.

    Who added each entry is read from git history once per commit and kept in the cache
    folder; a later run at the same commit needs only ``git rev-parse``."""
    file = approvals_file or read(ws)
    members = roles(ws)
    signed = signed_commits_required(ws)
    tip = source_rev(ws) or "HEAD"
    quick = None if signed else _quick_key(ws, repo_root, file.path, tip)
    added = _stored(ws, quick) if quick else None
    repo: Repo | None = None
    if added is None:
        try:
            repo = Repo(ws.root, repo_root)
        except GitError as exc:
            note = f"approvals cannot be verified: {exc}"
            return [Approval(r, None, False, note) for r in file.records], note
        added = {}
        if repo.has_commits:
            try:
                sha = repo.resolve(tip)
                key = (str(repo.top), sha, repo.repo_path(file.path))
                if key not in _CACHE:
                    if len(_CACHE) > 32:
                        _CACHE.clear()
                    _CACHE[key] = attribution(repo, file.path, sha)
                added = _CACHE[key]
            except GitError as exc:
                note = f"approvals cannot be verified: {exc}"
                return [Approval(r, None, False, note) for r in file.records], note
            if quick:
                _store(ws, quick, added)
    out: list[Approval] = []
    for record in file.records:
        commit = added.get(record.key)
        if commit is None:
            out.append(Approval(record, None, False, "not committed yet"))
            continue
        if record.role not in members:
            out.append(Approval(record, commit, False, f"unknown role {record.role!r}"))
        elif commit.email not in members[record.role]:
            reason = (
                f"added in commit {commit.short} by {commit.email}, "
                f"who is not a member of {record.role}"
            )
            out.append(Approval(record, commit, False, reason))
        elif signed and repo is not None and repo.signature(commit.sha) not in GOOD_SIGNATURES:
            reason = f"commit {commit.short} is not signed with a valid signature"
            out.append(Approval(record, commit, False, reason))
        else:
            out.append(Approval(record, commit, True, None))
    return out, None


def statuses(
    ws: Workspace,
    repo_root: Path | None = None,
    only: set[str] | None = None,
    verified: tuple[list[Approval], str | None] | None = None,
) -> dict[str, ApprovalStatus]:
    """Per template id: required roles, counted approvals and status (module docstring).
    ``only`` limits the work to those template ids (the pre-commit path); ``verified`` is
    :func:`verify`'s answer when the caller already has it."""
    from atscomms.governance.versions import template_version

    approvals, note = verified or verify(ws, repo_root)
    out: dict[str, ApprovalStatus] = {}
    for tid, template in sorted(ws.templates.items()):
        if only is not None and tid not in only:
            continue
        version = template_version(ws, template)
        st = ApprovalStatus(tid, version, required_roles(ws, template), note=note)
        mine = [a for a in approvals if a.template == tid]
        seen_roles: set[str] = set()
        for a in mine:
            if a.valid and a.version == version and a.role not in seen_roles:
                seen_roles.add(a.role)
                st.approved.append(a)
            elif not a.valid and a.reason == "not committed yet":
                st.pending_commit.append(a)
            elif not a.valid:
                st.rejected.append(a)
        latest_old: dict[str, Approval] = {}
        for a in mine:
            if a.valid and a.version != version and a.role in st.missing:
                latest_old[a.role] = a
        st.stale = list(latest_old.values())
        out[tid] = st
    return out
