"""The formatting filters of the portable subset, with small built-in locale tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Undefined

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}
_DAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
}


class FilterValueError(ValueError):
    """A value a formatting filter cannot format (reported as a finding)."""


def _parse(value: Any) -> datetime | date:
    if isinstance(value, Undefined):
        str(value)  # raises MissingValue, naming the field
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            pass
    raise FilterValueError(f"{value!r} is not an ISO-8601 date or date-time")


def _lang(locale: str | None) -> str:
    lang = (locale or "en").split("-", 1)[0]
    return lang if lang in _MONTHS else "en"


def format_date(value: Any, style: str = "long", *, locale: str | None = None) -> str:
    d = _parse(value)
    lang = _lang(locale)
    if style == "short":
        if lang == "en":
            return f"{d.month}/{d.day}/{d.year}"
        return f"{d.day:02d}.{d.month:02d}.{d.year}" if lang == "de" else d.strftime("%d/%m/%Y")
    month = _MONTHS[lang].split()[d.month - 1]
    weekday = _DAYS[lang].split()[d.weekday()]
    if lang == "en":
        return f"{weekday}, {month} {d.day}, {d.year}"
    if lang == "de":
        return f"{weekday}, {d.day}. {month} {d.year}"
    return f"{weekday} {d.day} {month} {d.year}"


def format_time(value: Any, style: str = "short", *, locale: str | None = None) -> str:
    d = _parse(value)
    if not isinstance(d, datetime):
        raise FilterValueError(f"{value!r} has no time of day")
    lang = _lang(locale)
    if lang == "en":
        hour = d.hour % 12 or 12
        text = f"{hour}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"
    else:
        text = f"{d.hour:02d}:{d.minute:02d}" + (" Uhr" if lang == "de" else "")
    if style == "long" and d.utcoffset() is not None:
        text += f" ({d.strftime('%z')[:3]}:{d.strftime('%z')[3:]} UTC)"
    return text


def format_datetime(value: Any, style: str = "long", *, locale: str | None = None) -> str:
    d = _parse(value)
    if not isinstance(d, datetime):
        return format_date(d, style, locale=locale)
    sep = " at " if _lang(locale) == "en" else ", "
    return format_date(d, style, locale=locale) + sep + format_time(d, "short", locale=locale)
