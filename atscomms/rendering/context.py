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
        if persona.timezone and ws.fields is not None:
            _localise(flat, ws, persona.timezone)
    context = nest(flat)
    context["brand"] = dict(ws.config.brand)
    context["locale"] = locale
    url = ws.config.brand.get("preference_center_url")
    if template.category in MARKETING and url:
        context["unsubscribe_url"] = url
    return context


def _localise(flat: dict[str, Any], ws: Workspace, timezone: str) -> None:
    """Date-times are shown in the candidate's own time zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return
    assert ws.fields is not None
    for name, value in flat.items():
        field = ws.fields.fields.get(name)
        if field is None or field.type != "datetime" or not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue  # the date filter reports it
        if moment.tzinfo is not None:
            flat[name] = moment.astimezone(zone).isoformat()
