"""Per-template checks: cached by content hash, spread over CPU cores.

Everything that depends only on a template's inputs (its own file, layout,
partials, body files) and the shared files (atscomms.yaml, field registry,
style guide, personas) is cached in ``.atscomms-cache/lint-v1.marshal``; a
warm run with nothing changed re-checks nothing. Rules that read other state
(git history, approvals) declare ``cacheable = False`` and always run.

Cold runs fork worker processes (Linux/macOS ``fork``), each with its own
renderer, and give each a slice of the templates.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from atscomms import __version__
from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule
from atscomms.findings import Finding
from atscomms.model.resources import Template
from atscomms.model.workspace import Workspace
from atscomms.parallel import STATE, batch_gc, chunks, cores, forked

_CACHE = "lint-v1.marshal"
#: From this many templates to check, workers and batch garbage-collection settings pay.
BATCH_FROM = 40


#: Codes the renderer itself reports; rendering for them alone is skipped when none is selected.
RENDER_CODES = ("S014", "F001", "F002", "F003", "F004", "R001", "C001")


def template_findings(
    ctx: LintContext, rules: Iterable[Rule], t: Template, render_codes: bool = True
) -> list[Finding]:
    """Rules first (they render on demand, cached in ``ctx``); then, when render findings are
    wanted, every locale and variant with sample data and every persona's Jinja parts."""
    out: list[Finding] = []
    for rule in rules:
        out.extend(rule.check_template(ctx, t))
    if render_codes:
        for _ in ctx.renders(t):
            pass
        for persona in ctx.personas():
            ctx.render(t, persona=persona, full=False)
    for rendered in ctx.renders_of(t):
        out.extend(rendered.findings)
    ctx.forget(t)  # renders are big; workspace rules do not read them
    return out


def code_fingerprint() -> bytes:
    """Sizes and modification times of every file of the installed package (rules, packs,
    caniemail data...), so editing a rule or its data invalidates cached results."""
    import atscomms

    h = hashlib.blake2b(digest_size=16)
    base = os.path.dirname(atscomms.__file__)
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(folder, name))
            h.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.digest()


class LintCache:
    def __init__(self, ws: Workspace, rules: list[Rule], render_codes: bool = True) -> None:
        from atscomms.loading.cache import CACHE_DIR

        self.enabled = os.environ.get("ATSCOMMS_NO_CACHE", "") in ("", "0")
        self.path = ws.root / CACHE_DIR / _CACHE
        self.ws = ws
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        h = hashlib.blake2b(digest_size=16)
        h.update(__version__.encode())
        h.update(code_fingerprint())
        h.update(repr(render_codes).encode())
        for rule in rules:
            h.update(f"{rule.code}{sorted(rule.opts.items())!r}".encode())
        shared = ["atscomms.yaml", *(r.path for r in (ws.fields, ws.styleguide) if r)]
        shared += [p.path for p in ws.personas.values()]
        for path in sorted(shared):
            h.update(path.encode() + b"\0" + self._text(path).encode())
        self.shared = h.digest()
        if self.enabled:
            try:
                stored = marshal.loads(self.path.read_bytes())
                if isinstance(stored, dict):
                    self.entries = stored
            except (OSError, ValueError, EOFError, TypeError):
                self.entries = {}

    def _text(self, path: str) -> str:
        doc = self.ws.documents.get(path)
        if doc is not None:
            return doc.text
        try:
            return self.ws.source.read(path).decode("utf-8", "replace")
        except (OSError, KeyError):
            return ""

    def key(self, t: Template) -> bytes:
        from atscomms.checks.engine import template_files

        h = hashlib.blake2b(self.shared, digest_size=16)
        for path in sorted(template_files(self.ws, t)):
            h.update(path.encode() + b"\0" + self._text(path).encode() + b"\0")
        return h.digest()

    def get(self, t: Template, key: bytes) -> list[Finding] | None:
        entry = self.entries.get(t.id)
        if not self.enabled or entry is None or entry[0] != key:
            return None
        return [Finding.unpack(x) for x in entry[1]]

    def put(self, t: Template, key: bytes, findings: list[Finding]) -> None:
        if self.enabled:
            self.entries[t.id] = (key, [f.pack() for f in findings])
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{_CACHE}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(self.entries))
            tmp.replace(self.path)
        except (OSError, ValueError):
            pass


def _worker(ids: list[str]) -> list[tuple[str, list[Finding]]]:
    from atscomms.rendering.render import Renderer

    ws: Workspace = STATE["ws"]
    ctx = STATE.get("ctx")
    if ctx is None:  # one per worker process: compiled layouts and patterns are reused
        ctx = STATE["ctx"] = LintContext(ws, Renderer(ws))
    rules, wanted = STATE["rules"], STATE["render_codes"]
    return [(tid, template_findings(ctx, rules, ws.templates[tid], wanted)) for tid in ids]


def run_templates(
    ctx: LintContext,
    rules: list[Rule],
    templates: list[Template],
    jobs: int | None = None,
    render_codes: bool = True,
    meanwhile: Callable[[], list[Finding]] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Findings of every per-template check for ``templates`` (cache, then workers), and
    those of ``meanwhile``, which runs in this process while the workers render."""
    cacheable = [r for r in rules if getattr(r, "cacheable", True)]
    volatile = [r for r in rules if not getattr(r, "cacheable", True)]
    cache = LintCache(ctx.ws, cacheable, render_codes)
    out: list[Finding] = []
    todo: list[tuple[Template, bytes]] = []
    for t in templates:
        key = cache.key(t) if cache.enabled else b""
        hit = cache.get(t, key)
        if hit is None:
            todo.append((t, key))
        else:
            out.extend(hit)
    jobs = jobs or cores()
    results: dict[str, list[Finding]] = {}
    other: list[Finding] = []
    batch = len(todo) >= BATCH_FROM
    with batch_gc() if batch else nullcontext():
        if jobs > 1 and batch:
            ids = [t.id for t, _ in todo]
            results, other = _parallel(ids, ctx.ws, cacheable, jobs, render_codes, meanwhile)
        else:
            for t, _ in todo:
                results[t.id] = template_findings(ctx, cacheable, t, render_codes)
            other = meanwhile() if meanwhile else []
    for t, key in todo:
        cache.put(t, key, results[t.id])
        out.extend(results[t.id])
    cache.save()
    for t in templates:
        for rule in volatile:
            out.extend(rule.check_template(ctx, t))
    return out, other


def _parallel(
    ids: list[str],
    ws: Workspace,
    rules: list[Rule],
    jobs: int,
    render_codes: bool,
    meanwhile: Callable[[], list[Finding]] | None,
) -> tuple[dict[str, list[Finding]], list[Finding]]:
    size = max(4, len(ids) // (jobs * 32))  # small chunks: no core idles at the end
    work = dict(ws=ws, rules=rules, render_codes=render_codes)
    with forked(_worker, chunks(ids, size), jobs, **work) as parts:
        if parts is not None:
            results: dict[str, list[Finding]] = {}
            other = meanwhile() if meanwhile else []  # workspace rules: no renders needed
            for part in parts:
                results.update(part)
            return results, other
    from atscomms.rendering.render import Renderer  # no fork here: stay in one process

    ctx = LintContext(ws, Renderer(ws))
    done = {tid: template_findings(ctx, rules, ws.templates[tid], render_codes) for tid in ids}
    return done, meanwhile() if meanwhile else []
