"""M: SMS."""

from __future__ import annotations
