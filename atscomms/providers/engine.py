"""plan / push / rollback, independent of the command line.

plan:  list the remote (plus ``get`` only for providers whose list cannot show
       remote edits), compare with the compiled workspace and the state file.
push:  write creates and updates (drifted ones with ``force``, after a backup),
       recording each unit in the state file as soon as it is written.
"""

from __future__ import annotations

import difflib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from atscomms.providers.base import Provider, ProviderError, Remote
from atscomms.providers.compile import Compiler, Unit, content_hash, parse_key
from atscomms.providers.lint import describe
from atscomms.providers.state import State, backup

ACTIONS = ("create", "update", "unchanged", "drifted", "remote-only")


@dataclass(slots=True)
class Change:
    key: str
    template: str | None
    action: str
    locale: str | None = None
    variant: str | None = None
    version: str | None = None  # governance version of the template
    hash: str | None = None  # compiled content hash
    reason: str = ""
    diff: str = ""
    blocked: str | None = None
    unit: Unit | None = None
    remote: Remote | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "template": self.template,
            "action": self.action,
            "version": self.version,
            "locale": self.locale,
            "variant": self.variant,
            "remote": self.key,
            "hash": self.hash,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.blocked:
            out["blocked"] = self.blocked
        if self.diff:
            out["diff"] = self.diff
        return out


@dataclass(slots=True)
class Plan:
    environment: str
    provider: str
    changes: list[Change] = field(default_factory=list)
    #: template -> what cannot be compiled, as `path:line:col: CODE message` (lint's codes)
    problems: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def writes(self) -> list[Change]:
        return [c for c in self.changes if c.action in ("create", "update", "drifted")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "provider": self.provider,
            "changes": [c.to_dict() for c in self.changes],
            "summary": {a: self.count(a) for a in ACTIONS},
            "problems": self.problems,
            "calls": self.calls,
        }


_RENDERERS: dict[int, Any] = {}


def preview(ws: Any, template: Any, unit: Unit) -> str:
    """Subject + plain text rendered with the registry's sample data (for diffs)."""
    from atscomms.rendering.render import Renderer

    renderer = _RENDERERS.get(id(ws))
    if renderer is None or renderer.ws is not ws:
        renderer = _RENDERERS[id(ws)] = Renderer(ws)
    out = renderer.render(template, locale=unit.locale, variant=unit.variant)
    return f"Subject: {out.subject or ''}\n\n{out.text or ''}"


def make_plan(
    ws: Any,
    env: str,
    provider: Provider,
    state: State,
    compiler: Compiler,
    *,
    templates: list[str] | None = None,
    versions: dict[str, str] | None = None,
) -> Plan:
    caps = provider.capabilities
    plan = Plan(env, provider.name)
    remotes = {r.key: r for r in provider.list()}
    local_keys: set[str] = set()
    for tid in sorted(ws.templates):
        if templates and tid not in templates:
            continue
        template = ws.templates[tid]
        if template.channel not in caps.channels:
            plan.skipped.append(f"{tid}: {template.channel} is not supported by {provider.name}")
            continue
        version = (versions or {}).get(tid)
        for unit in compiler.units(template):
            local_keys.add(unit.key)
            if unit.problems:
                lines = plan.problems.setdefault(tid, [])
                for text in map(describe, unit.problems):  # `path:line:col: CODE message`
                    if text not in lines:
                        lines.append(text)
            change = _compare(unit, remotes.get(unit.key), state, provider)
            change.version = version
            if change.action == "update":
                old = (state.units.get(unit.key) or {}).get("preview", "")
                new = preview(ws, template, unit)
                change.diff = "".join(
                    difflib.unified_diff(
                        old.splitlines(True),
                        new.splitlines(True),
                        f"{unit.key} (pushed)",
                        f"{unit.key} (workspace)",
                    )
                )
            plan.changes.append(change)
    if not templates:
        for key, remote in sorted(remotes.items()):
            if key not in local_keys:
                tid, variant, locale = parse_key(key, ws.config.locales)
                plan.changes.append(
                    Change(
                        key, tid if locale else None, "remote-only", locale, variant, remote=remote
                    )
                )
    plan.calls = provider.calls() if hasattr(provider, "calls") else {}
    return plan


def _compare(unit: Unit, remote: Remote | None, state: State, provider: Provider) -> Change:
    entry = state.units.get(unit.key)
    change = Change(
        unit.key,
        unit.template,
        "create",
        unit.locale,
        unit.variant,
        hash=unit.hash,
        unit=unit,
        remote=remote,
    )
    if remote is None:
        change.reason = "deleted remotely since the last push" if entry else ""
        return change
    if not provider.capabilities.list_fingerprints and entry is not None:
        remote = provider.get(remote)
        remote.fingerprint = remote.fingerprint or content_hash(remote.content or {})
        change.remote = remote
    if entry is None:
        same_content = remote.content is not None and content_hash(remote.content) == content_hash(
            unit.content()
        )
        if remote.hash == unit.hash or same_content:
            change.action, change.reason = "unchanged", "adopted: remote already has this version"
        elif unit.key in state.pending or (
            remote.hash is None and not remote.versions and remote.extra.get("empty")
        ):
            change.action, change.reason = "update", "completing an interrupted push"
        else:
            change.action = "drifted"
            change.reason = "exists remotely but was not pushed by atscomms"
        return change
    if remote.fingerprint != entry.get("fingerprint"):
        if remote.hash is not None and remote.hash == unit.hash and unit.key in state.pending:
            change.action, change.reason = "unchanged", "completing an interrupted push"
        else:
            change.action, change.reason = "drifted", "changed remotely since the last push"
        return change
    change.action = "unchanged" if entry.get("hash") == unit.hash else "update"
    return change


@dataclass(slots=True)
class Outcome:
    key: str
    action: str
    ok: bool
    message: str = ""


def push(
    ws: Any,
    plan: Plan,
    provider: Provider,
    state: State,
    *,
    force: bool = False,
    workers: int = 4,
) -> list[Outcome]:
    state.provider = provider.name
    todo = [c for c in plan.changes if c.action in ("create", "update")]
    todo += [c for c in plan.changes if c.action == "drifted" and force]
    adopt = [
        c
        for c in plan.changes
        if c.action == "unchanged" and c.unit is not None and c.key not in state.units
    ]
    for change in adopt:
        _record(ws, state, change, change.remote)  # type: ignore[arg-type]

    def one(change: Change) -> Outcome:
        if change.blocked:
            return Outcome(change.key, change.action, False, change.blocked)
        unit = change.unit
        assert unit is not None
        try:
            state.begin(change.key, {"action": change.action, "hash": unit.hash})
            remote = change.remote
            if change.action == "drifted" and remote is not None:
                full = provider.get(remote)
                where = backup(ws.root, plan.environment, change.key, full.content or {})
                change.reason = f"remote content saved to {where.relative_to(ws.root)}"
            remote = provider.create(unit) if remote is None else provider.update(remote, unit)
            _record(ws, state, change, remote)
            return Outcome(change.key, change.action, True, change.reason)
        except ProviderError as exc:
            return Outcome(change.key, change.action, False, str(exc))

    try:
        if workers <= 1 or len(todo) <= 1:
            return [one(c) for c in todo]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, todo))
    finally:
        state.flush()


def _record(ws: Any, state: State, change: Change, remote: Remote) -> None:
    unit = change.unit
    assert unit is not None
    template = ws.templates.get(unit.template)
    state.record(
        change.key,
        {
            "template": unit.template,
            "locale": unit.locale,
            "variant": unit.variant,
            "remote_id": remote.id,
            "version_id": remote.version_id,
            "hash": unit.hash,
            "version": change.version,
            "fingerprint": remote.fingerprint,
            "preview": preview(ws, template, unit) if template is not None else "",
        },
    )


def rollback(ws: Any, env: str, provider: Provider, state: State, template: str) -> list[Outcome]:
    """Re-activate the previously pushed version of every unit of ``template``."""
    if not provider.capabilities.versions:
        raise ProviderError(f"provider {provider.name!r} keeps no versions to roll back to")
    remotes = {r.key: r for r in provider.list()}
    out: list[Outcome] = []
    for key, entry in sorted(state.units.items()):
        if entry.get("template") != template:
            continue
        history = entry.get("history") or []
        remote = remotes.get(key)
        if not history or remote is None:
            continue  # this locale did not change: nothing to roll back
        previous = history[-1]
        try:
            remote = provider.activate(remote, previous["version_id"])
        except ProviderError as exc:
            out.append(Outcome(key, "rollback", False, str(exc)))
            continue
        with state.lock:
            entry.update(
                hash=previous["hash"],
                version=previous["version"],
                version_id=previous["version_id"],
                fingerprint=remote.fingerprint,
                history=history[:-1],
                preview="",
            )
            state.save()
        out.append(Outcome(key, "rollback", True, f"re-activated version {previous['version_id']}"))
    if not out and any(e.get("template") == template for e in state.units.values()):
        out.append(Outcome(template, "rollback", False, "no earlier version recorded"))
    return out
