"""Build the static preview gallery: one page per template x locale x persona x variant.

    out/index.html                              every template, filters, finding counts
    out/<template>/<locale>/<persona>.html      one rendering (``<persona>@<variant>.html``)
    out/<template>/<locale>/_views/<stem>.<view>.html   email, dark, noimages, nostyle
    out/.atscomms-preview                       marks the folder as ours

A page is rebuilt only when its inputs changed: the key of each page hashes everything the
rendering reads (template, layout, partials, persona, fields, workspace config, the files a
``file:`` body or ``mj-include`` pulled in) and is kept in a manifest under the workspace's
``.atscomms-cache/preview/``. Each template is compiled once per process and rendered for
every persona; big builds render templates in parallel worker processes (fork).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from atscomms.model.workspace import Workspace
from atscomms.preview import pages as P
from atscomms.preview.cache import file_hash, load_manifest, manifest_path, page_keys, save_manifest
from atscomms.preview.index import Row, index_page
from atscomms.preview.spec import Options, Spec, all_specs, screenshot_path
from atscomms.preview.views import VIEWS, csp, views
from atscomms.rendering.render import TIMINGS, Renderer

MARKER = ".atscomms-preview"
PARALLEL_MIN_PAGES = 200


class GalleryError(Exception):
    """The gallery cannot be written (exit 2 with this reason)."""


@dataclass(slots=True)
class Summary:
    pages: int = 0
    rendered: int = 0
    cached: int = 0
    failed: int = 0
    templates: int = 0
    seconds: float = 0.0
    index: Path | None = None
    timings: Counter[str] = field(default_factory=Counter)
    findings: list[dict[str, Any]] = field(default_factory=list)  # distinct, sorted
    rendered_paths: list[str] = field(default_factory=list)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # page path -> entry

    @property
    def exit_code(self) -> int:
        return 1 if any(f["severity"] == "error" for f in self.findings) else 0


def _fdict(f: Any) -> dict[str, Any]:
    return f.to_dict() if hasattr(f, "to_dict") else dict(f)


def _distinct(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple, dict[str, Any]] = {}
    for f in findings:
        seen.setdefault((f["path"], f["line"], f["column"], f["code"], f["message"]), f)
    return sorted(seen.values(), key=lambda f: (f["path"], f["line"], f["column"], f["code"]))


class _Recorder(Renderer):
    """A Renderer that notes which workspace files a rendering read (for cache keys)."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws)
        self.reads: set[str] = set()

    def read_file(self, rel: str) -> str | None:
        self.reads.add(rel)
        return super().read_file(rel)


@dataclass(slots=True)
class _Context:
    """What every worker needs; set before forking so children inherit it."""

    ws: Workspace
    opts: Options
    specs: dict[str, list[Spec]]  # template -> its pages
    build_findings: dict[str, list[dict[str, Any]]]  # template path -> findings
    policy: str
    renderer: _Recorder | None = None


_CTX: _Context | None = None


def _persona_label(ws: Workspace, pid: str | None) -> str:
    if pid is None:
        return "sample data"
    name = ws.personas[pid].data.get("name")
    return f"{name} ({pid})" if isinstance(name, str) and name else pid


def _write(path: Path, text: str, atomic: bool = False) -> None:
    """Write a file; ``atomic``: never let a reader (the --serve server) see half of it."""
    target = path.with_name(path.name + ".tmp") if atomic else path
    try:
        target.write_text(text, encoding="utf-8")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if atomic:
        os.replace(target, path)


def _render_template(template_id: str) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Render and write every page of one template (in a worker or in-process)."""
    ctx = _CTX
    assert ctx is not None
    if ctx.renderer is None:
        ctx.renderer = _Recorder(ctx.ws)
    before = Counter(TIMINGS)
    ws, out, renderer = ctx.ws, ctx.opts.out, ctx.renderer
    tmpl = ws.templates[template_id]
    brand = ws.config.brand
    sender = str(brand.get("sender_name") or brand.get("company_name") or "")
    sms_sender = str(brand.get("sms_sender") or sender)
    specs = ctx.specs[template_id]
    results = []
    for spec in specs:
        renderer.reads = set()
        persona = ws.personas.get(spec.persona) if spec.persona else None
        r = renderer.render(tmpl, persona=persona, locale=spec.locale, variant=spec.variant)
        started = time.perf_counter()
        findings = _distinct(
            ctx.build_findings.get(tmpl.path, []) + [_fdict(f) for f in r.findings]
        )
        depth = "../../"
        page = P.Page(
            template=tmpl.id,
            name=str(tmpl.data.get("name") or tmpl.id),
            channel=tmpl.channel,
            category=tmpl.category,
            locale=spec.locale,
            persona=spec.persona,
            persona_label=_persona_label(ws, spec.persona),
            variant=spec.variant,
            root=depth,
            policy=csp(ctx.opts.allow_remote_images, frames=True),
            sender=sender,
            sms_sender=sms_sender,
            max_segments=tmpl.max_segments,
            findings=findings,
            siblings=[
                (
                    f"{s.locale} {s.stem}",
                    quote(f"../{s.locale}/{s.stem}.html"),
                    s == spec,
                )
                for s in specs
            ],
        )
        docs = views(r.html, ctx.policy) if r.html is not None else {}
        TIMINGS["views"] += time.perf_counter() - started
        started = time.perf_counter()
        for name, (doc, note) in docs.items():
            _write(out / spec.view_path(name), doc, ctx.opts.atomic)
            page.views[name] = (quote(f"_views/{spec.stem}.{name}.html"), note)
        if not docs:
            for name in VIEWS:
                (out / spec.view_path(name)).unlink(missing_ok=True)
        TIMINGS["write"] += time.perf_counter() - started
        started = time.perf_counter()
        failed = not r.ok
        make = P.sms_page if tmpl.channel == "sms" else P.email_page
        text = make(page, r, failed)
        TIMINGS["page"] += time.perf_counter() - started
        started = time.perf_counter()
        _write(out / spec.path, text, ctx.opts.atomic)
        TIMINGS["write"] += time.perf_counter() - started
        results.append(
            {
                "template": spec.template,
                "locale": spec.locale,
                "persona": spec.persona,
                "variant": spec.variant,
                "channel": tmpl.channel,
                "path": spec.path,
                "failed": failed,
                "findings": findings,
                "deps": {rel: file_hash(ws, rel) for rel in sorted(renderer.reads)},
            }
        )
    delta = Counter(TIMINGS)
    delta.subtract(before)
    return results, delta


def _check_out(out: Path) -> None:
    if out.is_file():
        raise GalleryError(f"--out {out} is a file")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise GalleryError(
            f"--out {out} is not empty and is not an atscomms preview folder "
            "(choose an empty or new folder)"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("atscomms preview gallery: safe to delete\n", encoding="utf-8")


def _run(
    todo: list[str], jobs: int, start: Callable[[], Callable[[int], None] | None]
) -> tuple[list, Counter]:
    results: list[dict[str, Any]] = []
    timings: Counter[str] = Counter()
    if jobs <= 1:
        progress = start()
        for tid in todo:
            res, delta = _render_template(tid)
            results.extend(res)
            timings.update(delta)
            if progress:
                progress(len(res))
        return results, timings
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_render_template, tid) for tid in todo]  # forks the workers
        progress = start()  # only now: a progress bar runs a thread
        for fut in as_completed(futures):
            res, delta = fut.result()
            results.extend(res)
            timings.update(delta)
            if progress:
                progress(len(res))
    return results, timings


def build_gallery(
    ws: Workspace,
    build_findings: list[Any],
    opts: Options,
    *,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> Summary:
    """Write the gallery; ``progress(total)`` returns a callback advanced by pages done."""
    global _CTX
    started = time.perf_counter()
    out = opts.out
    _check_out(out)
    bf: dict[str, list[dict[str, Any]]] = {}
    template_paths = {t.path for t in ws.templates.values()}
    problems = []
    for f in (_fdict(f) for f in build_findings):
        if f["path"] in template_paths:
            bf.setdefault(f["path"], []).append(f)
        elif f["severity"] == "error" and _is_template_file(ws, f["path"]) and not opts.templates:
            problems.append(f)
    specs = all_specs(ws, opts)
    keys = page_keys(ws, opts, specs, bf)
    manifest = manifest_path(ws, out)
    old = load_manifest(manifest)
    dep_hashes: dict[str, str] = {}

    def fresh(spec: Spec) -> bool:
        entry = old.get(spec.path)
        if not entry or entry.get("key") != keys[spec] or not (out / spec.path).exists():
            return False
        for rel, digest in entry.get("deps", {}).items():
            if rel not in dep_hashes:
                dep_hashes[rel] = file_hash(ws, rel)
            if dep_hashes[rel] != digest:
                return False
        return True

    todo = [tid for tid, tspecs in specs.items() if not all(fresh(s) for s in tspecs)]
    n_todo = sum(len(specs[t]) for t in todo)
    jobs = opts.jobs or (os.cpu_count() or 1)
    if (n_todo < PARALLEL_MIN_PAGES and not opts.jobs) or not sys.platform.startswith("linux"):
        jobs = 1
    jobs = max(1, min(jobs, len(todo)))
    _CTX = _Context(ws, opts, specs, bf, csp(opts.allow_remote_images))

    def start() -> Callable[[int], None] | None:
        return progress(n_todo) if progress and n_todo else None

    try:
        results, timings = _run(todo, jobs, start)
    finally:
        _CTX = None
    entries = dict(old)
    for res in results:
        res["key"] = keys[Spec(res["template"], res["locale"], res["persona"], res["variant"])]
        entries[res["path"]] = res
    _prune(ws, out, entries)
    summary = Summary(timings=timings, index=out / "index.html", templates=len(specs))
    rows = []
    for tid, tspecs in specs.items():
        tmpl = ws.templates[tid]
        row = Row(tid, str(tmpl.data.get("name") or tid), tmpl.channel, tmpl.category, tmpl.stage)
        found = []
        for s in tspecs:
            entry = entries[s.path]
            found.extend(entry["findings"])
            summary.failed += bool(entry["failed"])
            label = (s.persona or "sample") + (f" ({s.variant})" if s.variant else "")
            row.pages.append((s.locale, label, quote(s.path)))
        distinct = _distinct(found)
        row.errors = sum(f["severity"] == "error" for f in distinct)
        row.warnings = sum(f["severity"] == "warning" for f in distinct)
        summary.findings.extend(distinct)
        rows.append(row)
    summary.findings = _distinct(summary.findings + problems)
    write_started = time.perf_counter()
    title = ws.config.name or ws.root.name
    locales = opts.locales or list(ws.config.locales)
    index = index_page(title, rows, locales, problems, opts.allow_remote_images)
    if not summary.index.exists() or summary.index.read_text(encoding="utf-8") != index:
        _write(summary.index, index, opts.atomic)
    save_manifest(manifest, out, entries)
    summary.timings["write"] += time.perf_counter() - write_started
    summary.pages = sum(len(s) for s in specs.values())
    summary.rendered = len(results)
    summary.cached = summary.pages - summary.rendered
    summary.rendered_paths = [r["path"] for r in results]
    summary.entries = {s.path: entries[s.path] for tspecs in specs.values() for s in tspecs}
    summary.seconds = time.perf_counter() - started
    return summary


def _is_template_file(ws: Workspace, path: str) -> bool:
    doc = ws.documents.get(path)
    kind = doc.data.get("kind") if doc is not None and isinstance(doc.data, dict) else None
    return kind == "template" or (kind is None and path.startswith("templates/"))


def _prune(ws: Workspace, out: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Forget pages whose template, persona, locale or variant no longer exists."""
    universe = {s.path for specs in all_specs(ws, Options(out)).values() for s in specs}
    for path in [p for p in entries if p not in universe]:
        spec = entries.pop(path)
        s = Spec(spec["template"], spec["locale"], spec["persona"], spec["variant"])
        for rel in [s.path, *(s.view_path(v) for v in VIEWS), screenshot_path(s.path)]:
            (out / rel).unlink(missing_ok=True)
