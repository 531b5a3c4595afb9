"""L: legal and consent.

:mod:`.footer` holds the rules over the *rendered* message (L101 legal footer,
L102 marketing opt-out, L104 SMS sender, L105 first SMS opt-out); :mod:`.content`
those over what is written (L103 acknowledgement privacy notice, L106 internal
links, L107 layouts without content).
"""

from __future__ import annotations

from atscomms.checks.legal import content, footer  # noqa: F401 - registers the rules
