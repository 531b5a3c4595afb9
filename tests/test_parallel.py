"""atscomms.parallel: batch garbage-collection settings are temporary."""

from __future__ import annotations

import gc

from atscomms.parallel import BATCH_THRESHOLD, batch_gc


def test_batch_gc_freezes_and_restores() -> None:
    before = gc.get_threshold()
    kept = [object() for _ in range(10)]
    with batch_gc():
        assert gc.get_threshold() == BATCH_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert kept


def test_batch_gc_restores_after_an_error() -> None:
    before = gc.get_threshold()
    try:
        with batch_gc():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
