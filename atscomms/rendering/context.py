"""What a template sees: persona data, registry samples, brand, locale."""

from __future__ import annotations

from typing import Any

from atscomms.model.resources import Persona, Template, nest
from atscomms.model.workspace import Workspace

#: Categories whose messages carry an unsubscribe / preference-center link.
MARKETING = ("nurture", "sourcing")


def build_context(
    ws: Workspace, template: Template, persona: Persona | None, locale: str
) -> dict[str, Any]:
    """Registry samples fill in for required fields available at the template's stage (all
    samples without a persona); the persona's own values win; optional fields a persona
    lacks stay missing, so fallbacks get exercised."""
    flat: dict[str, Any] = {}
    if ws.fields is not None:
        for f in ws.fields.fields.values():
            if f.sample is None:
                continue
            available = not f.stages or template.stage is None or template.stage in f.stages
            if persona is None or (f.required and available):
                flat[f.name] = f.sample
    if persona is not None:
        flat.update(persona.fields)
    context = nest(flat)
    context["brand"] = dict(ws.config.brand)
    context["locale"] = locale
    url = ws.config.brand.get("preference_center_url")
    if template.category in MARKETING and url:
        context["unsubscribe_url"] = url
    return context
