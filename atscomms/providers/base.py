"""The provider plugin interface: a typed protocol with declared capabilities.

A provider stores compiled units (:class:`atscomms.providers.compile.Unit`) as
remote templates named by ``unit.key``. ``list`` must be cheap (one call per
page) and return enough to tell unchanged from drifted: the ``hash`` we pushed
(when the remote keeps it) and a ``fingerprint`` that changes whenever the
remote content changes. Providers whose list endpoint carries no such marker
say so with ``Capabilities.list_fingerprints = False``; plan then asks ``get``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from atscomms.providers.compile import Unit
    from atscomms.providers.http import HttpClient


class ProviderError(Exception):
    """A provider call failed (message already redacted): exit code 2 with one line."""


class ConfigError(ProviderError):
    """Environment settings or credentials are missing or wrong."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    list: bool = True
    get: bool = True
    write: bool = False  # create and update
    versions: bool = False  # keeps versions; rollback by re-activating one
    delete: bool = False
    validate: bool = False  # server-side validation before writing
    list_fingerprints: bool = True  # list alone tells whether remote content changed
    channels: tuple[str, ...] = ("email",)
    dialect: str = "handlebars"

    def names(self) -> list[str]:
        flags = ("list", "get", "write", "versions", "delete", "validate")
        return [f for f in flags if getattr(self, f)]


@dataclass(slots=True)
class Remote:
    """One remote template as ``list`` (and ``get``) see it."""

    key: str  # our unit key (remote name / alias)
    id: str  # the provider's id
    hash: str | None = None  # the content hash we pushed, when the remote keeps it
    fingerprint: str | None = None  # changes whenever remote content changes
    version_id: str | None = None  # active version, for versioned providers
    versions: list[dict[str, Any]] = field(default_factory=list)  # {"id", "hash", "active"}
    content: dict[str, Any] | None = None  # subject/preheader/html/text (get only)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    """What a provider is given: its environment's settings and credentials."""

    environment: str
    settings: dict[str, Any]
    credentials: dict[str, str]  # name -> secret value (never print these)
    workspace: Path
    http: Any = None  # factory: (base_url, **options) -> HttpClient
    debug: bool = False


@runtime_checkable
class Provider(Protocol):
    """What ``atscomms plan/push/pull`` need from a provider plugin."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    description: ClassVar[str]

    def list(self) -> list[Remote]: ...

    def get(self, remote: Remote) -> Remote: ...

    def create(self, unit: Unit) -> Remote: ...

    def update(self, remote: Remote, unit: Unit) -> Remote: ...

    def activate(self, remote: Remote, version_id: str) -> Remote: ...

    def delete(self, remote: Remote) -> None: ...

    def validate(self, unit: Unit) -> list[str]: ...


class BaseProvider:
    """Convenient base class: settings access and 'not supported' defaults."""

    name: ClassVar[str] = ""
    capabilities: ClassVar[Capabilities] = Capabilities()
    description: ClassVar[str] = ""
    #: Settings this provider understands: name -> help.
    settings_help: ClassVar[dict[str, str]] = {}
    #: Credential names this provider needs.
    credentials_needed: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        missing = [c for c in self.credentials_needed if not ctx.credentials.get(c)]
        if missing:
            raise ConfigError(
                f"environment {ctx.environment!r}: provider {self.name!r} needs credential(s) "
                f"{', '.join(missing)} (map them to environment variables under `credentials:`)"
            )

    def setting(self, key: str, default: Any = None, *, required: bool = False) -> Any:
        value = self.ctx.settings.get(key, default)
        if required and value in (None, ""):
            raise ConfigError(
                f"environment {self.ctx.environment!r}: provider {self.name!r} needs "
                f"`settings.{key}`"
            )
        return value

    def client(self, base_url: str, **options: Any) -> HttpClient:
        from atscomms.providers.http import HttpClient

        defaults = {
            "rate": float(self.setting("rate_limit", options.pop("rate", 10.0))),
            "timeout": float(self.setting("timeout", options.pop("timeout", 30.0))),
            "retries": int(self.setting("retries", options.pop("retries", 5))),
            "secrets": list(self.ctx.credentials.values()),
            "debug": self.ctx.debug,
        }
        factory = self.ctx.http or HttpClient
        return factory(self.setting("base_url", base_url), **{**defaults, **options})

    def _unsupported(self, what: str) -> ProviderError:
        return ProviderError(f"provider {self.name!r} cannot {what}")

    def get(self, remote: Remote) -> Remote:
        raise self._unsupported("read a template")

    def create(self, unit: Unit) -> Remote:
        raise self._unsupported("write templates")

    def update(self, remote: Remote, unit: Unit) -> Remote:
        raise self._unsupported("write templates")

    def activate(self, remote: Remote, version_id: str) -> Remote:
        raise self._unsupported("activate versions")

    def delete(self, remote: Remote) -> None:
        raise self._unsupported("delete templates")

    def validate(self, unit: Unit) -> list[str]:
        return []

    def calls(self) -> dict[str, int]:
        """HTTP calls made so far by kind (``list``, ``get``, ``write``), for reports."""
        client = getattr(self, "http", None)
        return dict(client.calls) if client is not None else {}
