"""Load and schema-check one file, through the load cache; and do it for many files
on every core at once (a cold run of a large workspace)."""

from __future__ import annotations

from typing import Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding
from atscomms.loading.cache import LoadCache, pack_marks
from atscomms.loading.document import Document
from atscomms.loading.schemas import RESOURCE_KINDS
from atscomms.loading.sources import Source, WorktreeSource
from atscomms.loading.validate import did_you_mean, validate
from atscomms.loading.yamlsafe import Limits, load
from atscomms.parallel import STATE, batch_gc, chunks, cores, forked

#: Below this many files to parse, worker processes cost more than they save.
PARALLEL_FROM = 200


def load_checked(
    rel: str, raw: bytes, limits: Limits, cache: LoadCache, stat: tuple[int, int] | None = None
) -> tuple[Document, list[Finding]]:
    """Load and schema-check one file, or take both from the cache."""
    digest = cache.digest(raw)
    hit = cache.get(rel, digest, stat)
    if hit is not None:
        data, problems = hit
        text = raw.decode("utf-8-sig", "replace")
        doc = Document(
            path=rel,
            text=text,
            data=data,
            findings=[f for f in problems if f.code in _LOADER_CODES],
        )
        doc.reload = lambda: cache.marks(rel, digest) or _marks_of(rel, raw, limits)
        return doc, problems
    doc = load(rel, raw, limits)
    data, problems = _parsed_doc(doc)
    cache.put(rel, digest, data, problems, stat, marks=(doc._values, doc._keys))
    return doc, problems


def _marks_of(rel: str, raw: bytes, limits: Limits) -> tuple[dict, dict]:
    fresh = load(rel, raw, limits)
    return fresh._values, fresh._keys


_LOADER_CODES = frozenset(f"S{n:03d}" for n in range(1, 13))


def _check_kind_and_schema(doc: Document) -> list[Finding]:
    kind = doc.data.get("kind")
    if kind is None:
        return [
            finding(
                "S013",
                doc.path,
                doc.span(()),
                "file has no `kind:`",
                hint="Start the file with `kind: template` (or layout, partial, sequence, "
                "styleguide, fields, governance, persona).",
            )
        ]
    if kind not in RESOURCE_KINDS:
        guess = did_you_mean(str(kind), RESOURCE_KINDS)
        return [
            finding(
                "S013",
                doc.path,
                doc.span(("kind",)),
                f"unknown kind {kind!r}",
                hint=f"Did you mean `{guess}`?"
                if guess
                else "Known kinds: " + ", ".join(RESOURCE_KINDS),
            )
        ]
    return validate(doc, kind)


def _parsed_doc(doc: Document) -> tuple[Any, list[Finding]]:
    """The data of a loaded file and its findings (loader, kind, schema)."""
    problems = list(doc.findings)
    if doc.ok:
        checked = _check_kind_and_schema(doc)
        rid = doc.data.get("id")
        if isinstance(doc.kind, str) and isinstance(rid, str):
            for f in checked:
                f.resource = f.resource or f"{doc.kind}:{rid}"
        problems += checked
    return doc.data, problems


def _worker(rels: list[str]) -> list[tuple]:
    source: Source = STATE["source"]
    out = []
    for rel in rels:
        try:
            raw = source.read(rel)
        except OSError:
            continue  # the main process reports it
        doc = load(rel, raw, STATE["limits"])
        data, problems = _parsed_doc(doc)
        packed = [f.pack() for f in problems]
        marks = pack_marks((doc._values, doc._keys))
        out.append((rel, LoadCache.entry(LoadCache.digest(raw), data, packed), marks))
    return out


def prefetch(
    source: Source,
    files: list[str],
    stats: dict[str, tuple[int, int] | None],
    limits: Limits,
    cache: LoadCache,
) -> None:
    """Parse and check, on every core, the files the cache does not hold (by size and
    modification time), so that :func:`load_checked` then finds them in memory (also
    with the cache turned off). A cold run of a large workspace; otherwise a no-op."""
    if not isinstance(source, WorktreeSource):
        return  # a git revision: its objects are read through one gitpython process
    missing = [rel for rel in files if cache.peek(rel, stats.get(rel)) is None]
    jobs = cores()
    if jobs < 2 or len(missing) < PARALLEL_FROM:
        return
    from atscomms.loading.schemas import validator

    for kind in RESOURCE_KINDS:
        validator(kind)  # compiled once, inherited by the workers
    parts = chunks(missing, max(16, len(missing) // (jobs * 4)))
    with batch_gc(), forked(_worker, parts, jobs, source=source, limits=limits) as results:
        for part in results or ():  # no fork: the main loop parses them one by one
            for rel, entry, marks in part:
                cache.prime(rel, entry, marks)
