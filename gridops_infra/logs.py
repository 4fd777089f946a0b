"""CloudWatch Logs retention: the values CloudWatch accepts, checked once for everyone."""

from __future__ import annotations

from ._validation import ArgReader

LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)  # fmt: skip


def retention_days(a: ArgReader, field: str, default: int) -> int:
    """A log retention in days that CloudWatch Logs accepts (never "forever")."""
    value = a.raw(field, default)
    if value not in LOG_RETENTION_DAYS or isinstance(value, bool):
        raise a.fail(field, value, "allowed: " + ", ".join(str(d) for d in LOG_RETENTION_DAYS))
    return int(value)
