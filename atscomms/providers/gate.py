"""Governance gate: which template versions may be pushed, and where.

Everything governance-related that providers need goes through this module, so
the rest of the package does not care whether the governance API is present:

* :func:`template_version` -- the content hash approvals are recorded against
  (``atscomms.governance.versions.template_version``; a local canonical hash
  when that module is missing);
* :func:`approval_statuses` -- per template ``(status, version)`` from
  ``atscomms.governance.approvals.statuses(ws)``; ``None`` when unavailable;
* :func:`check` -- the decision for one template in one environment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

StatusFn = Callable[[Any], dict[str, tuple[str, str]]]


def template_version(ws: Any, template: Any) -> str:
    try:
        from atscomms.governance.versions import template_version as governed
    except ImportError:
        return _own_version(template)
    return governed(ws, template)


def _own_version(template: Any) -> str:
    """Fallback: canonical JSON of the template's parsed data (until governance exists)."""
    raw = json.dumps(template.doc.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def approval_statuses(ws: Any) -> dict[str, tuple[str, str]] | None:
    """Template id -> (approved|pending|stale, version); None without the governance API."""
    try:
        from atscomms.governance.approvals import statuses
    except ImportError:
        return None
    return {tid: (st.status, st.version) for tid, st in statuses(ws).items()}


@dataclass(slots=True)
class Decision:
    allowed: bool
    reason: str = ""


def check(
    template: str,
    version: str,
    *,
    statuses: dict[str, tuple[str, str]] | None,
    production: bool,
    allow_unapproved: bool,
    promoted: set[str] | None,
    requires: str | None,
) -> Decision:
    """May ``version`` of ``template`` be written to this environment?

    ``promoted`` is the set of versions of the template pushed to the environment
    named by ``requires`` (``None`` when there is no promotion rule)."""
    if statuses is None:
        if production or not allow_unapproved:
            return Decision(False, "approvals cannot be checked (governance API unavailable)")
    elif not (allow_unapproved and not production):
        status, approved_version = statuses.get(template, ("pending", ""))
        if status != "approved" or approved_version != version:
            return Decision(
                False, f"version {version} is {status}, not approved (see `atscomms approvals`)"
            )
    if requires is not None and version not in (promoted or set()):
        return Decision(False, f"version {version} has not been pushed to {requires!r} first")
    return Decision(True)
