"""Deterministic A/B assignment.

A candidate's bucket is a number in ``[0, 100)`` read from the first eight
bytes of ``sha256("<sequence id>/<candidate id>")``: the same candidate in
the same sequence always lands in the same bucket, on every machine and in
every run, and different sequences assign independently. Every split of a
sequence reads the same bucket, so a candidate who gets arm 1 of one split
gets arm 1 of the next split with the same weights (a consistent experience).
Arms take consecutive slices of ``[0, 100)`` in the order they are declared,
sized by their weights (normalised when they do not add up to 100; Q011
reports that).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def bucket(candidate_id: str, sequence_id: str) -> float:
    digest = hashlib.sha256(f"{sequence_id}/{candidate_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100.0


def choose(options: Sequence[T], weights: Sequence[float], point: float) -> T:
    """The option whose slice of ``[0, 100)`` holds ``point`` (weights normalised)."""
    if not options:
        raise ValueError("nothing to choose from")
    total = sum(w for w in weights if w > 0)
    if total <= 0:
        return options[0]
    edge = 0.0
    for option, weight in zip(options, weights, strict=True):
        edge += max(weight, 0.0) / total * 100.0
        if point < edge:
            return option
    return next(o for o, w in zip(reversed(options), reversed(weights), strict=True) if w > 0)


def assign(
    candidate_id: str, sequence_id: str, options: Sequence[T], weights: Sequence[float]
) -> T:
    return choose(options, weights, bucket(candidate_id, sequence_id))
