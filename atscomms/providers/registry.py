"""Provider plugins, found through the entry-point group ``atscomms.providers``.

The built-ins register there too (see pyproject.toml), so a third-party package
is a peer: ``[project.entry-points."atscomms.providers"] myesp = "pkg.mod:MyProvider"``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from atscomms.providers.base import ConfigError, Context, Provider

GROUP = "atscomms.providers"


@dataclass(slots=True)
class Installed:
    name: str
    target: str  # module:attr
    distribution: str | None
    entry_point: EntryPoint

    def load(self) -> type[Provider]:
        obj = self.entry_point.load()
        for attr in ("name", "capabilities", "list"):
            if not hasattr(obj, attr):
                raise ConfigError(
                    f"provider plugin {self.name!r} ({self.target}) does not implement the "
                    f"provider protocol (no `{attr}`)"
                )
        return obj  # type: ignore[no-any-return]


def installed() -> dict[str, Installed]:
    """Provider plugins by name (the entry points are read once per process: scanning the
    installed distributions costs tens of milliseconds)."""
    return dict(_scan())


@cache
def _scan() -> tuple[tuple[str, Installed], ...]:
    found: dict[str, Installed] = {}
    for ep in entry_points(group=GROUP):
        dist = getattr(ep, "dist", None)
        found.setdefault(ep.name, Installed(ep.name, ep.value, dist.name if dist else None, ep))
    return tuple(sorted(found.items()))


def get(name: str) -> type[Provider]:
    table = installed()
    if name not in table:
        known = ", ".join(table) or "none"
        raise ConfigError(f"no provider plugin named {name!r} is installed (installed: {known})")
    return table[name].load()


def environment(
    ws: Any, env: str, *, debug: bool = False, http: Any = None
) -> tuple[dict[str, Any], Provider]:
    """The environment's config and a provider instance with credentials from env vars."""
    envs = ws.config.environments
    if env not in envs:
        known = ", ".join(sorted(envs)) or "none configured in atscomms.yaml"
        raise ConfigError(f"unknown environment {env!r} (known: {known})")
    cfg = envs[env] if isinstance(envs[env], dict) else {}
    name = cfg.get("provider")
    if not isinstance(name, str):
        raise ConfigError(f"environment {env!r} names no provider")
    credentials: dict[str, str] = {}
    for cred, var in (cfg.get("credentials") or {}).items():
        value = os.environ.get(str(var))
        if not value:
            raise ConfigError(
                f"environment {env!r}: credential {cred!r} comes from the environment "
                f"variable {var}, which is not set"
            )
        credentials[str(cred)] = value
    settings = cfg.get("settings") if isinstance(cfg.get("settings"), dict) else {}
    ctx = Context(env, dict(settings), credentials, Path(ws.root), http=http, debug=debug)
    cls = get(name)
    return cfg, cls(ctx)  # type: ignore[call-arg]
