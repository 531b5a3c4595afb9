"""`atscomms init [DIR]`: scaffold a workspace that validates and lints clean."""

from __future__ import annotations

import shutil
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import fail


def _scaffold_files() -> dict[str, bytes]:
    root = resources.files("atscomms") / "scaffold"
    files: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, name + "/")
            elif not child.name.endswith((".py", ".pyc")):
                files[name] = child.read_bytes()

    walk(root, "")
    return files


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path(
        "."
    ),
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite existing files (each is kept as FILE.bak-TIME)."),
    ] = False,
) -> None:
    """Create a small, working workspace: config, layout, templates, sequence, personas."""
    files = _scaffold_files()
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    clashes = [rel for rel in files if (directory / rel).exists()]
    if clashes and not force:
        fail(
            f"{directory / clashes[0]} already exists ({len(clashes)} file(s) would be "
            "overwritten); use --force to overwrite them with backups"
        )
    stamp = time.strftime("%Y%m%d%H%M%S")
    for rel, data in sorted(files.items()):
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            backup = target.with_name(f"{target.name}.bak-{stamp}")
            shutil.copy2(target, backup)
            sys.stderr.write(f"backed up {target} -> {backup}\n")
        target.write_bytes(data)
    sys.stdout.write(
        f"Created an atscomms workspace in {directory} ({len(files)} files).\n"
        f"Next: atscomms validate -w {directory}\n"
    )
