"""AWS time windows: a daily `hh24:mi-hh24:mi` window (RDS backups, ElastiCache snapshots)
and a weekly `ddd:hh24:mi-ddd:hh24:mi` window (maintenance), as minute ranges of the week, so
their length and overlap can be checked before anything is registered.

A window whose end is before its start wraps: `"23:30-00:30"` crosses midnight,
`"sat:23:00-sun:01:00"` crosses into Sunday and `"sun:23:00-mon:01:00"` crosses the week's
end; one that ends where it starts is empty (0 minutes, so too short for AWS). Windows are
half-open, so `"03:00-04:00"` and `"sun:04:00-sun:05:00"` touch but do not overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridops_infra.core.validation import ArgReader

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
_TIME = r"([01]\d|2[0-3]):([0-5]\d)"
DAILY_PATTERN = rf"{_TIME}-{_TIME}"
WEEKLY_PATTERN = rf"({'|'.join(DAYS)}):{_TIME}-({'|'.join(DAYS)}):{_TIME}"


@dataclass(frozen=True)
class Window:
    """A recurring window: it starts `start` minutes into its period (a day from 00:00 UTC,
    or a week from Monday 00:00 UTC) and lasts `minutes` (0 when it ends where it starts)."""

    text: str
    start: int
    minutes: int
    period: int

    def week_starts(self) -> list[int]:
        """The minutes of the week at which the window opens (seven for a daily window)."""
        return [self.start + offset for offset in range(0, MINUTES_PER_WEEK, self.period)]


def parse_daily(text: str) -> Window | None:
    """`"hh24:mi-hh24:mi"` as a daily Window, or None when malformed."""
    m = re.fullmatch(DAILY_PATTERN, text)
    if m is None:
        return None
    start = int(m[1]) * 60 + int(m[2])
    end = int(m[3]) * 60 + int(m[4])
    return Window(text, start, (end - start) % MINUTES_PER_DAY, MINUTES_PER_DAY)


def parse_weekly(text: str) -> Window | None:
    """`"ddd:hh24:mi-ddd:hh24:mi"` as a weekly Window, or None when malformed."""
    m = re.fullmatch(WEEKLY_PATTERN, text)
    if m is None:
        return None
    start = DAYS.index(m[1]) * MINUTES_PER_DAY + int(m[2]) * 60 + int(m[3])
    end = DAYS.index(m[4]) * MINUTES_PER_DAY + int(m[5]) * 60 + int(m[6])
    return Window(text, start, (end - start) % MINUTES_PER_WEEK, MINUTES_PER_WEEK)


def overlaps(a: Window, b: Window) -> bool:
    """Whether the two windows share a minute in any week (a daily window on every day)."""
    if a.minutes == 0 or b.minutes == 0:
        return False
    for a_start in a.week_starts():
        for b_start in b.week_starts():
            # On the week's circle, one range opens inside the other iff they overlap.
            if (b_start - a_start) % MINUTES_PER_WEEK < a.minutes:
                return True
            if (a_start - b_start) % MINUTES_PER_WEEK < b.minutes:
                return True
    return False


def read_daily(
    a: ArgReader, field: str, default: str, service: str, min_minutes: int, example: str
) -> Window:
    """A daily window field: well-formed and at least `min_minutes` long (at most a day
    follows from the format)."""
    text = a.string(field, default, DAILY_PATTERN, f"expected hh24:mi-hh24:mi in UTC, {example}")
    window = parse_daily(text)
    assert window is not None  # the pattern matched
    _check_length(a, field, window, service, min_minutes, "midnight")
    return window


def read_weekly(
    a: ArgReader, field: str, default: str, service: str, min_minutes: int, example: str
) -> Window:
    """A weekly window field: well-formed and at least `min_minutes` long."""
    text = a.string(
        field, default, WEEKLY_PATTERN, f"expected ddd:hh24:mi-ddd:hh24:mi in UTC, {example}"
    )
    window = parse_weekly(text)
    assert window is not None  # the pattern matched
    _check_length(a, field, window, service, min_minutes, "the week's end")
    return window


def refuse_overlap(
    a: ArgReader,
    daily_field: str,
    daily: Window,
    weekly_field: str,
    weekly: Window,
    service: str,
) -> None:
    """Refuse a daily window that overlaps the weekly maintenance window, naming the field
    the user set (the daily one when both or neither were given)."""
    if not overlaps(daily, weekly):
        return
    field, value, other_field, other_value = daily_field, daily.text, weekly_field, weekly.text
    if a.has(weekly_field) and not a.has(daily_field):
        field, value, other_field, other_value = weekly_field, weekly.text, daily_field, daily.text
    raise a.fail(
        field,
        value,
        f"it overlaps {other_field}={other_value!r}; {service} requires the {daily_field} and "
        f"the {weekly_field} not to overlap (they may touch: one ending at 04:00, the other "
        "starting at 04:00)",
    )


def _check_length(
    a: ArgReader, field: str, window: Window, service: str, min_minutes: int, wrap: str
) -> None:
    if window.minutes < min_minutes:
        raise a.fail(
            field,
            window.text,
            f"{service} requires at least {min_minutes} minutes, this window is "
            f"{window.minutes} (a window ending before its start wraps past {wrap}; one ending "
            "where it starts is empty)",
        )
