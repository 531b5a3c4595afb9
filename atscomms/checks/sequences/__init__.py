"""Q: sequences and timing. (A missing template or one of the wrong channel is
reported while resolving references: R001, R007.)

The rules live in three modules, imported here so that they register:
``flow`` (Q001-Q004), ``timing`` (Q005-Q009) and ``data`` (Q010-Q014).
"""

from __future__ import annotations

from atscomms.checks.sequences import data, flow, timing

__all__ = ["data", "flow", "timing"]
