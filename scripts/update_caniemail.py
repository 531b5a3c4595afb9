#!/usr/bin/env python3
"""Refresh the pinned caniemail data that the C1xx lint rules read.

    python scripts/update_caniemail.py                    # npm pack caniemail@VERSION
    python scripts/update_caniemail.py --version 2.0.2
    python scripts/update_caniemail.py --from caniemail-2.0.2.tgz   # an already packed tarball
    python scripts/update_caniemail.py --from caniemail.json --package caniemail@2.0.2

It packs the npm package ``caniemail`` (``npm pack``, no install, no scripts run),
reads ``data/caniemail.json`` from the tarball, keeps only the newest result per
client platform (the last entry in file order) and writes
``atscomms/checks/clients/data/caniemail.json`` plus the package's MIT licence
next to it. Commit both files. Lint never downloads anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "atscomms" / "checks" / "clients" / "data"
DEFAULT_VERSION = "2.0.2"

sys.path.insert(0, str(ROOT))
from atscomms.checks.clients.caniemail import compact, dumps  # noqa: E402


def npm_pack(spec: str, into: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    return into / out.stdout.strip().splitlines()[-1]


def from_tarball(path: Path) -> tuple[bytes, bytes | None, str]:
    with tarfile.open(path) as tar:
        data = tar.extractfile("package/data/caniemail.json").read()  # type: ignore[union-attr]
        meta = json.loads(tar.extractfile("package/package.json").read())  # type: ignore[union-attr]
        try:
            licence = tar.extractfile("package/LICENSE").read()  # type: ignore[union-attr]
        except KeyError:
            licence = None
    return data, licence, f"{meta['name']}@{meta['version']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", default=DEFAULT_VERSION, help="npm version to pack")
    ap.add_argument("--from", dest="source", type=Path, help="a packed .tgz or a caniemail.json")
    ap.add_argument("--package", help="package@version to record (with --from caniemail.json)")
    ap.add_argument("--out", type=Path, default=DATA, help="output folder")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or npm_pack(f"caniemail@{args.version}", Path(tmp))
        if source.suffix == ".json":
            raw, licence, package = source.read_bytes(), None, args.package or "caniemail"
        else:
            raw, licence, package = from_tarball(source)
    data = compact(json.loads(raw), package=package, sha256=hashlib.sha256(raw).hexdigest())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "caniemail.json").write_text(dumps(data), encoding="utf-8")
    if licence is not None:
        (args.out / "LICENSE.caniemail").write_bytes(licence)
    src = data["source"]
    print(
        f"wrote {args.out / 'caniemail.json'}: {package}, {len(data['features'])} features, "
        f"data of {src['last_update_date']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
