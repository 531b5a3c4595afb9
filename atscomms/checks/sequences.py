"""Q: sequences and timing."""

from __future__ import annotations
