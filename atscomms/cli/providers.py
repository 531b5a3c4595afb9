"""`atscomms providers`: installed provider plugins and what they can do."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from atscomms.cli.common import OutputOpt, fail, write_output


def providers(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    output: OutputOpt = None,
) -> None:
    """List installed provider plugins (entry-point group `atscomms.providers`) and their
    capabilities."""
    if fmt not in ("text", "json"):
        fail(f"--format: providers prints text or json, not {fmt!r}")
    from atscomms.providers.registry import installed

    rows = []
    broken = []
    for name, item in installed().items():
        try:
            cls = item.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not hide the others
            broken.append(f"{name} ({item.target}): cannot load: {type(exc).__name__}: {exc}")
            continue
        caps = cls.capabilities
        rows.append(
            {
                "name": name,
                "target": item.target,
                "distribution": item.distribution,
                "description": getattr(cls, "description", ""),
                "dialect": caps.dialect,
                "channels": list(caps.channels),
                "capabilities": caps.names(),
                "list_fingerprints": caps.list_fingerprints,
            }
        )
    if fmt == "json":
        write_output(json.dumps({"providers": rows, "errors": broken}, indent=2) + "\n", output)
    else:
        width = max((len(r["name"]) for r in rows), default=4)
        lines = []
        for r in rows:
            lines.append(
                f"{r['name']:<{width}}  {r['dialect']:<10}  {','.join(r['channels']):<9}  "
                f"{', '.join(r['capabilities'])}"
            )
            lines.append(f"{'':<{width}}  {r['description']}  [{r['distribution']}: {r['target']}]")
        write_output("\n".join(lines) + "\n", output)
    for line in broken:
        sys.stderr.write(f"atscomms: warning: provider {line}\n")
    raise typer.Exit(0)
