"""Time an atscomms command against `yamllint -d relaxed` on the same generated corpus.

    python bench/compare.py --templates 2000 --locales 2 --repeat 3
    python bench/compare.py --one-file                      # the pre-commit path
    python bench/compare.py --cmd "atscomms lint -w {ws}" --json

Both commands run as subprocesses, interleaved (atscomms, yamllint, atscomms,
...) after one untimed warm-up each; the table shows the median wall time
(time.perf_counter around subprocess.run) and the ratio atscomms/yamllint.
Placeholders in commands: {ws} the workspace folder, {file} the changed
template file (--one-file). Nothing here asserts on timings: the script only
measures and prints. Exit codes are recorded; 0 and 1 are normal results
(clean / findings), anything else means the command is broken and is
reported as a warning.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.py"

WORKSPACE_CMD = "atscomms validate -w {ws}"
WORKSPACE_BASELINE = "yamllint -d relaxed {ws}"
ONE_FILE_CMD = "atscomms validate -w {ws} {file}"
ONE_FILE_BASELINE = "yamllint -d relaxed {file}"
OK_EXIT_CODES = (0, 1)


@dataclass
class Measurement:
    name: str
    command: str  # as given, with placeholders
    argv: list[str]
    times: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    output_bytes: list[int] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    def summary(self) -> dict:
        data = asdict(self)
        data.update(
            median=self.median,
            min=min(self.times) if self.times else None,
            max=max(self.times) if self.times else None,
        )
        return data


def run_once(m: Measurement, *, record: bool = True) -> None:
    start = time.perf_counter()
    try:
        proc = subprocess.run(m.argv, capture_output=True, check=False)
    except FileNotFoundError:
        elapsed, code, out, err = time.perf_counter() - start, 127, b"", b"command not found"
    else:
        elapsed = time.perf_counter() - start
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    if code not in OK_EXIT_CODES:
        text = (err or out).decode("utf-8", "replace").strip().splitlines()
        m.stderr_tail = "\n".join(text[-5:])
    if record:
        m.times.append(elapsed)
        m.exit_codes.append(code)
        m.output_bytes.append(len(out) + len(err))
    elif code not in OK_EXIT_CODES:
        m.exit_codes.append(code)  # a broken warm-up is worth reporting too


def generate(out: Path, args: argparse.Namespace) -> tuple[dict, float]:
    argv = [
        sys.executable,
        str(CORPUS),
        str(out),
        "--templates",
        str(args.templates),
        "--locales",
        str(args.locales),
        "--seed",
        str(args.seed),
        "--bad-rate",
        str(args.bad_rate),
        "--json",
    ]
    if args.sequences is not None:
        argv += ["--sequences", str(args.sequences)]
    if args.personas is not None:
        argv += ["--personas", str(args.personas)]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"compare.py: corpus generation failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout), elapsed


def describe_existing(ws: Path) -> dict:
    files = sorted(
        p.relative_to(ws).as_posix()
        for p in ws.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
    )
    templates = [f for f in files if f.startswith("templates/")]
    return {
        "out": str(ws),
        "files": len(files),
        "bytes": sum((ws / f).stat().st_size for f in files),
        "templates": len(templates),
        "template_files": templates,
        "locales": None,
        "injected": [],
    }


def pick_file(summary: dict, wanted: str | None) -> str:
    if wanted:
        return wanted
    templates = sorted(summary.get("template_files") or [])
    if not templates:
        sys.exit("compare.py: the corpus has no templates/ files for --one-file")
    return templates[len(templates) // 2]


def argv_for(command: str, ws: Path, rel_file: str | None) -> list[str]:
    values = {"ws": str(ws), "file": str(ws / rel_file) if rel_file else ""}
    parts = shlex.split(command)
    return [p.format(**values) for p in parts]


def fmt_s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f}s"


def table(result: dict) -> str:
    c = result["corpus"]
    locales = c.get("locales")
    shape = (
        f"{c['templates']} templates x {len(locales)} locales"
        if locales
        else f"{c['templates']} templates"
    )
    gen = result.get("generation_seconds")
    lines = [
        f"corpus  {c['out']}",
        f"        {shape}, {c['files']} YAML files, {c['bytes'] / 1e6:.1f} MB"
        + (f", {c['injected']} injected mistakes" if c.get("injected") else "")
        + (f" (generated in {gen:.1f}s)" if gen is not None else " (reused)"),
        f"mode    {result['mode']}"
        + (f": {result['file']}" if result.get("file") else "")
        + f"; {result['repeat']} timed runs each, interleaved, "
        f"{result['warmup']} warm-up; median wall time",
        "",
    ]
    rows = [("", "median", "min", "max", "exit", "output", "command")]
    for m in result["commands"]:
        codes = sorted(set(m["exit_codes"]))
        rows.append(
            (
                m["name"],
                fmt_s(m["median"]),
                fmt_s(m["min"]),
                fmt_s(m["max"]),
                ",".join(str(x) for x in codes) or "-",
                f"{max(m['output_bytes'], default=0) / 1e3:.1f}kB",
                m["command"],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0])]
        cells += [r[i].rjust(widths[i]) for i in range(1, 6)]
        cells.append(r[6])
        lines.append("  ".join(cells).rstrip())
    ratio = result.get("ratio")
    lines.append("")
    if ratio is not None:
        lines.append(
            f"ratio atscomms/yamllint: {ratio:.2f}x  "
            f"({'slower' if ratio > 1 else 'faster'} than yamllint -d relaxed)"
        )
    for w in result["warnings"]:
        lines.append(f"WARNING: {w}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time atscomms against yamllint on a generated corpus."
    )
    parser.add_argument("--templates", type=int, default=2000)
    parser.add_argument("--locales", type=int, default=2)
    parser.add_argument("--sequences", type=int, default=None)
    parser.add_argument("--personas", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--bad-rate", type=float, default=0.0, help="inject mistakes (a failing run)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per command first")
    parser.add_argument(
        "--cmd", default=None, help=f"atscomms command (default: {WORKSPACE_CMD!r})"
    )
    parser.add_argument(
        "--baseline", default=None, help=f"baseline command (default: {WORKSPACE_BASELINE!r})"
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="CMD",
        help="extra command to time alongside (not in the ratio), e.g. 'atscomms --version'",
    )
    parser.add_argument(
        "--one-file",
        action="store_true",
        help="pre-commit path: both tools on one changed template file",
    )
    parser.add_argument("--file", default=None, help="template for --one-file (relative to ws)")
    parser.add_argument(
        "--edit",
        action="store_true",
        help="with --one-file: change the file (a trailing comment) before every run, as a "
        "commit does, so that no cache holds its result; the file is restored afterwards",
    )
    parser.add_argument(
        "--corpus", type=Path, default=None, help="reuse (or create and keep) a corpus here"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    cmd = args.cmd or (ONE_FILE_CMD if args.one_file else WORKSPACE_CMD)
    baseline = args.baseline or (ONE_FILE_BASELINE if args.one_file else WORKSPACE_BASELINE)
    warnings: list[str] = []
    for command in (cmd, baseline, *args.also):
        exe = shlex.split(command)[0]
        if shutil.which(exe) is None:
            warnings.append(f"{exe!r} is not on PATH")

    temp: Path | None = None
    generation: float | None = None
    if args.corpus is not None and (args.corpus / "atscomms.yaml").is_file():
        ws = args.corpus.resolve()
        summary = describe_existing(ws)
    else:
        if args.corpus is not None:
            ws = args.corpus.resolve()
        else:
            temp = Path(tempfile.mkdtemp(prefix="atscomms-bench-"))
            ws = temp / "ws"
        summary, generation = generate(ws, args)
    try:
        rel_file = pick_file(summary, args.file) if args.one_file else None
        measurements = [
            Measurement("atscomms", cmd, argv_for(cmd, ws, rel_file)),
            Measurement("yamllint", baseline, argv_for(baseline, ws, rel_file)),
            *(
                Measurement(f"extra{i + 1}", c, argv_for(c, ws, rel_file))
                for i, c in enumerate(args.also)
            ),
        ]
        edited = ws / rel_file if args.edit and rel_file else None
        original = edited.read_bytes() if edited else b""
        runs = 0

        def edit() -> None:
            nonlocal runs
            runs += 1
            if edited is not None:
                edited.write_bytes(original + f"# bench edit {runs}\n".encode())

        try:
            for _ in range(args.warmup):
                for m in measurements:
                    edit()
                    run_once(m, record=False)
            for _ in range(args.repeat):
                for m in measurements:
                    edit()
                    run_once(m)
        finally:
            if edited is not None:
                edited.write_bytes(original)
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)

    for m in measurements:
        bad = sorted({c for c in m.exit_codes if c not in OK_EXIT_CODES})
        if bad:
            warnings.append(
                f"{m.name} exited with {','.join(map(str, bad))} (broken run, timings are "
                f"meaningless): {m.stderr_tail or 'no output'}"
            )
    a, b = measurements[0].median, measurements[1].median
    summary.pop("template_files", None)
    summary["injected"] = len(summary.get("injected") or [])
    result = {
        "mode": "one changed file" if args.one_file else "whole workspace",
        "file": rel_file,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "corpus": summary,
        "generation_seconds": generation,
        "kept": temp is None or args.keep,
        "commands": [m.summary() for m in measurements],
        "ratio": a / b if b > 0 else None,
        "python": sys.version.split()[0],
        "warnings": warnings,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
        if temp is not None and args.keep:
            print(f"corpus kept in {ws}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
