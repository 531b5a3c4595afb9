"""L: legal and consent."""

from __future__ import annotations
