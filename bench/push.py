"""Push benchmark against the SendGrid contract server (127.0.0.1 only).

    python bench/push.py --templates 500 --rate 50 --latency 0.02 --workers 8

Builds a workspace of N templates x 2 locales, pushes it (full push), then runs
`plan` and a no-change `push` and prints the provider calls each made, the
achieved request rate against the client-side limit, and 429s from the server
(which enforces the same limit).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from contract.sendgrid import SendGridServer  # noqa: E402
from contract.workspace import make  # noqa: E402

from atscomms.cli.app import main  # noqa: E402


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main_() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=500)
    ap.add_argument("--rate", type=float, default=50.0, help="requests/s (client and server)")
    ap.add_argument("--latency", type=float, default=0.02, help="server latency per request")
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    key = "SG.bench-key-123456"
    os.environ["SG_KEY"] = key
    with tempfile.TemporaryDirectory() as tmp, SendGridServer(
        api_key=key, latency=args.latency, rate_limit=args.rate
    ) as srv:
        envs = f"""
sg:
  provider: sendgrid
  settings: {{base_url: "{srv.url}", rate_limit: {args.rate}, timeout: 10}}
  credentials: {{api_key: SG_KEY}}
"""
        ws = str(make(Path(tmp) / "ws", envs, templates=args.templates))
        devnull = open(os.devnull, "w")  # noqa: SIM115
        results = {}
        for label, cmd in (
            ("full push", ["push", "--env", "sg", "-w", ws, "--yes", "--allow-unapproved",
                           "--workers", str(args.workers)]),
            ("plan (no change)", ["plan", "--env", "sg", "-w", ws]),
            ("push (no change)", ["push", "--env", "sg", "-w", ws, "--yes",
                                  "--allow-unapproved"]),
        ):
            before = len(srv.requests)
            stdout, sys.stdout = sys.stdout, devnull
            started = time.monotonic()
            try:
                code = run(*cmd)
            finally:
                sys.stdout = stdout
            elapsed = time.monotonic() - started
            reqs = srv.requests[before:]
            kinds: dict[str, int] = {}
            for r in reqs:
                if r.method == "GET" and r.path == "/v3/templates":
                    what = "list"
                elif r.path.endswith(("versions", "activate")):
                    what = r.path.rsplit("/", 1)[-1]
                else:
                    what = "template"
                k = f"{r.method} {what}"
                kinds[k] = kinds.get(k, 0) + 1
            writes = [r for r in reqs if r.method != "GET"]
            span = (writes[-1].at - writes[0].at) if len(writes) > 1 else 0.0
            results[label] = {
                "exit": code,
                "seconds": round(elapsed, 2),
                "requests": len(reqs),
                "by_kind": kinds,
                "throttled_429": sum(1 for r in reqs if r.fault == "429-rate"),
                "write_phase_seconds": round(span, 2),
                "writes_per_second": round((len(writes) - 1) / span, 1) if span else 0,
            }
        print(json.dumps({"templates": args.templates, "units": args.templates * 2,
                          "rate_limit": args.rate, "latency": args.latency,
                          "workers": args.workers, "results": results}, indent=2))


if __name__ == "__main__":
    main_()
