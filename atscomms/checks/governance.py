"""G: governance."""

from __future__ import annotations
