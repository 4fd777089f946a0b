"""The time window a baseline is read over: UTC, whole minutes, named in ISO 8601."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

UTC = dt.UTC
MAX_DAYS = 455
"""CloudWatch keeps one-hour datapoints for 455 days; older figures cannot be read."""


class WindowError(ValueError):
    """A window that cannot be read; the message names the option and what is allowed."""


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise WindowError("a window's start and end must be timezone-aware (UTC)")
        if self.end <= self.start:
            raise WindowError(
                f"the window ends ({iso(self.end)}) before it starts ({iso(self.start)})"
            )

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def days(self) -> float:
        return self.seconds / 86400

    @property
    def weeks(self) -> float:
        return self.days / 7

    def text(self) -> str:
        """``<ISO start>/<ISO end>``, the ISO 8601 interval the sources name."""
        return f"{iso(self.start)}/{iso(self.end)}"

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(option: str, text: str) -> dt.datetime:
    """A date (``2026-11-01``, midnight UTC) or a date and time (``2026-11-01T09:30``,
    ``...Z`` or with an offset); a time without an offset is UTC."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(
            f"{option}={text!r} is not a date or time: use ISO 8601, e.g. 2026-11-01 or "
            "2026-11-01T09:30Z (UTC unless an offset is given)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def window_for(
    days: float | None,
    start: str | None,
    end: str | None,
    now: dt.datetime | None = None,
) -> Window:
    """``--days N`` (ending now) or ``--start``/``--end`` (``--end`` defaults to now)."""
    current = (now or dt.datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    if days is not None and start is not None:
        raise WindowError("--days and --start both given: use --days N or --start/--end")
    if start is None:
        if end is not None:
            raise WindowError("--end needs --start (or use --days N, which ends now)")
        length = 30.0 if days is None else days
        if not 0 < length <= MAX_DAYS:
            raise WindowError(
                f"--days={length:g} is outside 0 < days <= {MAX_DAYS} (CloudWatch keeps "
                f"hourly datapoints for {MAX_DAYS} days)"
            )
        return Window(current - dt.timedelta(days=length), current)
    window = Window(
        parse_moment("--start", start),
        parse_moment("--end", end) if end is not None else current,
    )
    if window.start < current - dt.timedelta(days=MAX_DAYS):
        raise WindowError(
            f"--start={start!r} is more than {MAX_DAYS} days ago: CloudWatch keeps no "
            "datapoints that old"
        )
    return window


def campaign_window(text: str) -> Window:
    """``--campaign START/END`` in the same formats as ``--start``/``--end``."""
    start, slash, end = text.partition("/")
    if not slash or not start.strip() or not end.strip():
        raise WindowError(
            f"--campaign={text!r} must be START/END, e.g. 2026-11-27T00:00Z/2026-11-30T00:00Z"
        )
    return Window(parse_moment("--campaign start", start), parse_moment("--campaign end", end))
