"""Work spread over forked worker processes (Linux and macOS).

What the workers need (the workspace, rules, limits) is inherited through ``fork``
via :data:`STATE`, not pickled; only their results travel back. Used by the cold
build (parsing files) and by lint (checking templates), inside :func:`batch_gc`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: What the forked workers inherit; set for the duration of :func:`forked`. A worker
#: may also keep its own per-process state here (it is its copy).
STATE: dict[str, Any] = {}


def cores() -> int:
    """CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


#: Young-generation size for batch work: rendering makes millions of short-lived
#: objects that reference counting frees, so the default threshold (700) mostly
#: buys collections that find nothing (about 8 % of a cold lint's CPU).
BATCH_THRESHOLD = (50_000, 20, 20)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Fewer garbage collections for a long batch, and none that walk what already
    exists (the loaded workspace): collected once, then frozen (which also keeps
    forked workers from copying its pages by touching them). Restored afterwards."""
    import gc

    old = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


@contextmanager
def forked(
    func: Callable[[Any], Any], parts: list[Any], jobs: int, **state: Any
) -> Iterator[Iterator[Any] | None]:
    """``func`` over ``parts`` in ``jobs`` forked workers that inherit ``state``: yields
    an iterator of results in completion order, or None where there is no ``fork``."""
    import multiprocessing

    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:
        yield None
        return
    STATE.update(state)
    try:
        with mp.Pool(jobs, initializer=_ignore_interrupts) as pool:
            yield pool.imap_unordered(func, parts)
    finally:
        STATE.clear()


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: only the main process answers it (one
    line, exit 130); the workers are ended with the pool, without a traceback each."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
