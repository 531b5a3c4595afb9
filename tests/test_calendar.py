"""Calendar rules with hand-checked times: DST in Berlin and New York, Kolkata's
half-hour offset, Auckland across the date line, business days and holidays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from atscomms.simulation.calendar import (
    ANY_TIME,
    Calendar,
    Duration,
    Window,
    add,
    is_open,
    next_open,
)
from atscomms.simulation.zones import (
    UTC,
    ambiguity_end,
    ambiguous,
    first_at_or_after,
    load_zone,
    wall_to_instant,
)

BERLIN = load_zone("Europe/Berlin")
NEW_YORK = load_zone("America/New_York")
KOLKATA = load_zone("Asia/Kolkata")
AUCKLAND = load_zone("Pacific/Auckland")
WEEKDAYS_9_17 = Window.from_data(
    {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
)
CAL = Calendar()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def local(instant: datetime, tz) -> str:
    return instant.astimezone(tz).isoformat()


def opening(instant: str, tz, window: Window, channel: str = "email", cal: Calendar = CAL):
    found = next_open(utc(instant), tz, window, cal, channel=channel)
    assert found is not None
    return found


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("2d", 2, "days"),
        ("24h", 24, "hours"),
        ("-24h", -24, "hours"),
        ("3 business days", 3, "business_days"),
        ("1 business day", 1, "business_days"),
        ("2bd", 2, "business_days"),
        ("2w", 14, "days"),
        ("90 minutes", 90, "minutes"),
        ("15m", 15, "minutes"),
    ],
)
def test_duration_parse(text: str, amount: int, unit: str) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


def test_duration_rejects_nonsense() -> None:
    assert Duration.parse("2 dayz") is None
    assert Duration.parse(3) is None


# --------------------------------------------------------------------------- Berlin DST


def test_berlin_spring_forward_day_wait_lands_after_the_gap() -> None:
    # Sat 2026-03-28 02:30 CET + 1 calendar day = Sun 02:30, which does not exist
    # (02:00 CET -> 03:00 CEST): read with the offset before the gap, it is 03:30 CEST.
    start = wall_to_instant(datetime(2026, 3, 28, 2, 30), BERLIN)
    assert local(start, BERLIN) == "2026-03-28T02:30:00+01:00"
    got = add(start, Duration(1, "days"), BERLIN, CAL)
    assert local(got, BERLIN) == "2026-03-29T03:30:00+02:00"
    assert got == utc("2026-03-29T01:30:00Z")


def test_berlin_window_opening_inside_the_gap_opens_when_the_gap_ends() -> None:
    window = Window.from_data({"start": "02:30", "end": "05:00"})
    got = opening("2026-03-28T23:00:00+01:00", BERLIN, window)
    assert local(got.at, BERLIN) == "2026-03-29T03:00:00+02:00"  # 01:00Z, the transition
    assert got.reason == "outside the email window (Mon-Sun 02:30-05:00)"


def test_berlin_fall_back_no_message_in_the_repeated_hour() -> None:
    # 2026-10-25: 03:00 CEST -> 02:00 CET; 02:00-03:00 local happens twice.
    first_pass = utc("2026-10-25T00:30:00Z")
    assert local(first_pass, BERLIN) == "2026-10-25T02:30:00+02:00"
    assert ambiguous(first_pass.astimezone(BERLIN))
    got = opening("2026-10-25T00:30:00Z", BERLIN, ANY_TIME)
    assert got.at == utc("2026-10-25T02:00:00Z")
    assert local(got.at, BERLIN) == "2026-10-25T03:00:00+01:00"
    assert got.reason == "local time 02:30 occurs twice on 2026-10-25 (clocks go back)"
    second_pass = opening("2026-10-25T01:15:00Z", BERLIN, ANY_TIME)  # 02:15 CET
    assert second_pass.at == utc("2026-10-25T02:00:00Z")


def test_berlin_business_days_keep_the_wall_clock_time_across_dst() -> None:
    # Fri 2026-10-23 10:00 CEST + 1 business day = Mon 2026-10-26 10:00 CET.
    start = utc("2026-10-23T10:00:00+02:00")
    got = add(start, Duration(1, "business_days"), BERLIN, CAL)
    assert local(got, BERLIN) == "2026-10-26T10:00:00+01:00"


# ------------------------------------------------------------------------ New York DST


def test_new_york_spring_forward() -> None:
    # 2026-03-08: 02:00 EST -> 03:00 EDT. Sat 02:30 EST + 1d -> 03:30 EDT (07:30Z).
    start = utc("2026-03-07T02:30:00-05:00")
    got = add(start, Duration(1, "days"), NEW_YORK, CAL)
    assert got == utc("2026-03-08T07:30:00Z")
    assert local(got, NEW_YORK) == "2026-03-08T03:30:00-04:00"
    assert first_at_or_after(datetime(2026, 3, 8, 2, 15), NEW_YORK) == utc("2026-03-08T07:00:00Z")


def test_new_york_fall_back_and_day_versus_24_hours() -> None:
    # 2026-11-01: 02:00 EDT -> 01:00 EST; 01:00-02:00 local happens twice.
    got = opening("2026-11-01T05:30:00Z", NEW_YORK, ANY_TIME)  # 01:30 EDT
    assert got.at == utc("2026-11-01T07:00:00Z")
    assert local(got.at, NEW_YORK) == "2026-11-01T02:00:00-05:00"
    assert ambiguity_end(utc("2026-11-01T06:10:00Z").astimezone(NEW_YORK)) == got.at
    start = utc("2026-10-31T10:00:00-04:00")
    assert local(add(start, Duration(24, "hours"), NEW_YORK, CAL), NEW_YORK) == (
        "2026-11-01T09:00:00-05:00"
    )
    assert local(add(start, Duration(1, "days"), NEW_YORK, CAL), NEW_YORK) == (
        "2026-11-01T10:00:00-05:00"
    )


def test_doubled_wall_time_is_read_as_its_first_occurrence() -> None:
    assert wall_to_instant(datetime(2026, 11, 1, 1, 30), NEW_YORK) == utc("2026-11-01T05:30:00Z")


# ------------------------------------------------------------- Kolkata and Auckland


def test_kolkata_half_hour_offset() -> None:
    # Fri 2026-12-04 12:00Z = 17:30 IST, after the window -> Mon 09:00 IST = 03:30Z.
    got = opening("2026-12-04T12:00:00Z", KOLKATA, WEEKDAYS_9_17)
    assert got.at == utc("2026-12-07T03:30:00Z")
    assert local(got.at, KOLKATA) == "2026-12-07T09:00:00+05:30"


def test_auckland_across_the_date_line() -> None:
    # Fri 2026-12-04 20:00Z is already Sat 09:00 NZDT: the weekday window opens on
    # Mon 2026-12-07 09:00 NZDT, which is still Sunday in UTC.
    got = opening("2026-12-04T20:00:00Z", AUCKLAND, WEEKDAYS_9_17)
    assert got.at == utc("2026-12-06T20:00:00Z")
    assert local(got.at, AUCKLAND) == "2026-12-07T09:00:00+13:00"


def test_auckland_sms_quiet_hours() -> None:
    # Fri 2026-12-04 08:30Z = 21:30 NZDT: SMS wait for 08:00 NZDT Sat = 19:00Z.
    got = opening("2026-12-04T08:30:00Z", AUCKLAND, ANY_TIME, channel="sms")
    assert got.at == utc("2026-12-04T19:00:00Z")
    assert got.reason == "SMS quiet hours (21:00-08:00 local)"


def test_sms_floor_wins_over_a_wider_window() -> None:
    wide = Window.from_data({"start": "06:00", "end": "23:00"})
    assert not is_open(utc("2026-12-07T07:30:00+01:00"), BERLIN, wide, CAL, "sms")
    assert is_open(utc("2026-12-07T07:30:00+01:00"), BERLIN, wide, CAL, "email")
    got = opening("2026-12-07T21:10:00+01:00", BERLIN, wide, channel="sms")
    assert local(got.at, BERLIN) == "2026-12-08T08:00:00+01:00"


# ------------------------------------------------------------------ days and holidays


def test_holidays_and_business_days() -> None:
    cal = Calendar(frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
    start = utc("2026-12-23T16:00:00-05:00")  # Wed
    got = add(start, Duration(2, "business_days"), NEW_YORK, cal)
    assert local(got, NEW_YORK) == "2026-12-29T16:00:00-05:00"  # Thu, Fri holidays; Mon, Tue
    held = opening("2026-12-24T10:00:00-05:00", NEW_YORK, ANY_TIME, cal=cal)
    assert local(held.at, NEW_YORK) == "2026-12-26T00:00:00-05:00"
    assert held.reason == "2026-12-24 is a holiday"


def test_overnight_window_and_window_that_never_opens() -> None:
    night = Window.from_data({"start": "22:00", "end": "02:00"})
    assert night.ranges == ((0, 7200), (79200, 86400))
    got = opening("2026-12-07T12:00:00+01:00", BERLIN, night)
    assert local(got.at, BERLIN) == "2026-12-07T22:00:00+01:00"
    never = Window.from_data({"days": [], "start": "09:00", "end": "17:00"})
    assert never.never_open
    assert next_open(utc("2026-12-07T12:00:00Z"), BERLIN, never, CAL, channel="email") is None
