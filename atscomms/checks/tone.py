"""T: tone (style guide rules in the manner of Vale, built-in packs)."""

from __future__ import annotations
