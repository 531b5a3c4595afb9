"""Time `atscomms simulate --all-personas` over many generated personas.

    python bench/simulate.py                       # 1000 personas, every acme sequence
    python bench/simulate.py --personas 5000 --repeat 5 --json

Copies examples/acme into a temporary folder, replaces its personas with N
generated ones (deterministic for a seed: time zones from every continent,
half-hour and 45-minute offsets, both hemispheres' DST, random consent,
segments and interview times), then for every sequence runs

    atscomms simulate SEQ -w WS --all-personas --start START --format json
    atscomms simulate SEQ -w WS --all-personas --start START        (text matrix)

as subprocesses (whole process: start-up, loading and validating N+30 files,
simulating, writing the output) and reports the median wall time. It also
times the simulation alone in-process (workspace already loaded), as
journeys per second. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACME = HERE.parent / "examples" / "acme"
ZONES = [
    "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "America/New_York",
    "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
    "America/St_Johns", "America/Santiago", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
    "Asia/Singapore", "Australia/Sydney", "Australia/Adelaide", "Australia/Lord_Howe",
    "Pacific/Auckland", "Pacific/Chatham", "Africa/Lagos", "Africa/Johannesburg", "UTC",
]  # fmt: skip
START = "2026-12-04T17:30:00+01:00"


def persona_yaml(n: int, rng: random.Random) -> str:
    zone = rng.choice(ZONES)
    segment = rng.choice(["campus", "executive", None, None])
    sms = rng.random() < 0.6
    interview = datetime(2026, 12, 7, 8) + timedelta(minutes=30 * rng.randrange(0, 2 * 24 * 10))
    offset = rng.choice(["+01:00", "-05:00", "+05:30", "+13:00", "-06:00"])
    lines = [
        "kind: persona",
        f"id: gen-{n:05d}",
        f"name: Generated candidate {n}",
        f"timezone: {zone}" if rng.random() < 0.8 else "# no timezone: fallbacks apply",
        "consent:",
        "  email: true",
        f"  sms: {'true' if sms else 'false'}",
    ]
    if segment:
        lines.append(f"segment: {segment}")
    lines += [
        "fields:",
        f"  candidate.first_name: Candidate{n}",
        f"  candidate.email: c{n}@example.com",
        f'  candidate.phone: "+1555{n:07d}"',
        f"  candidate.timezone: {zone}",
        "  job.title: Engineer",
        f"  job.timezone: {rng.choice(ZONES)}",
        "  screening.booking_url: https://acme.example/book/x",
        f'  interview.start_at: "{interview.isoformat()}{offset}"',
        "  offer.letter_url: https://careers.acme.example/portal/x/offer",
        '  offer.response_deadline: "2026-12-23"',
        "  event.name: Open House",
        '  event.start_at: "2027-01-21T17:00:00+01:00"',
        "  event.rsvp_url: https://acme.example/events/x",
    ]
    if segment:
        lines.append(f"  candidate.segment: {segment}")
    return "\n".join(lines) + "\n"


def make_workspace(out: Path, personas: int, seed: int) -> None:
    shutil.copytree(ACME, out)
    shutil.rmtree(out / "personas")
    (out / "personas").mkdir()
    rng = random.Random(seed)
    for n in range(personas):
        (out / "personas" / f"gen-{n:05d}.yaml").write_text(persona_yaml(n, rng))


def timed(argv: list[str], repeat: int) -> dict:
    times, codes, size = [], [], 0
    subprocess.run(argv, capture_output=True)  # warm-up (page cache, .pyc)
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True)
        times.append(time.perf_counter() - t0)
        codes.append(proc.returncode)
        size = len(proc.stdout)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "exit_codes": sorted(set(codes)),
        "output_bytes": size,
    }


def in_process(ws_dir: Path) -> dict:
    from atscomms.model.build import build
    from atscomms.simulation.runner import parse_start, simulate_personas

    t0 = time.perf_counter()
    ws, _ = build(ws_dir)
    load = time.perf_counter() - t0
    personas = list(ws.personas.values())
    t0 = time.perf_counter()
    journeys = 0
    for seq in ws.sequences.values():
        _, done = simulate_personas(ws, seq, personas, parse_start(START))
        journeys += len(done)
    sim = time.perf_counter() - t0
    return {"load_s": load, "simulate_s": sim, "journeys": journeys, "per_s": journeys / sim}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    exe = shutil.which("atscomms") or sys.executable
    base = [exe] if exe.endswith("atscomms") else [exe, "-m", "atscomms"]
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        make_workspace(ws, args.personas, args.seed)
        sequences = sorted(p.stem for p in (ws / "sequences").glob("*.yaml"))
        rows = []
        for seq in sequences:
            cmd = [*base, "simulate", seq, "-w", str(ws), "--all-personas", "--start", START]
            rows.append(
                {
                    "sequence": seq,
                    "json": timed([*cmd, "--format", "json"], args.repeat),
                    "text": timed(cmd, args.repeat),
                }
            )
        startup = timed([*base, "--version"], args.repeat)
        inproc = in_process(ws)
    result = {"personas": args.personas, "rows": rows, "startup": startup, "in_process": inproc}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"atscomms simulate --all-personas, {args.personas} personas, median of {args.repeat}")
    print(f"{'sequence':32} {'json (s)':>9} {'text (s)':>9} {'json MB':>8}")
    for r in rows:
        mb = r["json"]["output_bytes"] / 1e6
        print(f"{r['sequence']:32} {r['json']['median']:9.2f} {r['text']['median']:9.2f} {mb:8.1f}")
        bad = set(r["json"]["exit_codes"]) | set(r["text"]["exit_codes"])
        if bad != {0}:
            print(f"WARNING: {r['sequence']} exited with {sorted(bad)}")
    print(f"{'atscomms --version (start-up)':32} {startup['median']:9.2f}")
    print(
        f"in-process: load {inproc['load_s']:.2f} s; {inproc['journeys']} journeys simulated in "
        f"{inproc['simulate_s']:.2f} s ({inproc['per_s']:,.0f} journeys/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
