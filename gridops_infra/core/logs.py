"""CloudWatch Logs retention: the values CloudWatch accepts, checked once for everyone."""

from __future__ import annotations

from gridops_infra.core.aws_rules.checks import one_of
from gridops_infra.core.aws_rules.cloudwatch import LOG_RETENTION
from gridops_infra.core.validation import ArgReader

LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)  # fmt: skip


def retention_days(a: ArgReader, field: str, default: int) -> int:
    """A log retention in days that CloudWatch Logs accepts (never "forever")."""
    return int(one_of(a, LOG_RETENTION, field, default, LOG_RETENTION_DAYS))
