"""How long a DMS replication takes before the new database is current: capacity
provisioning, then the full load, whose length follows the database's size.

The throughput is a planning assumption, not an AWS figure: AWS publishes no DMS rate,
because the full load is bounded by the network, how fast the source can be read, DMS's
capacity and how fast the target writes (AWS re:Post, "best practices for migrating
PostgreSQL to PostgreSQL with AWS DMS"). 20 GB an hour is a deliberately modest rate for
a single server's PostgreSQL (one gp3 volume, 3,000 IOPS and 125 MB/s baseline, shared with
the app) into an RDS or Aurora target; measure yours with a first run and pass it in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gridops_infra.analysis.timing.sources import MINUTE, Source

FULL_LOAD_GB_PER_HOUR = 20.0
"""The default full-load rate (see the module docstring)."""
PROVISIONING_SECONDS = 15 * MINUTE
"""DMS Serverless first connects to both databases, fetches metadata, calculates and then
provisions capacity before it loads a row (the replication states AWS documents)."""

FULL_LOAD_SOURCE = Source(
    "What bounds a DMS full load (bandwidth, source read rate, DMS capacity, target write "
    "rate): AWS re:Post knowledge center",
    "https://repost.aws/knowledge-center/dms-migrate-postgresql-to-postgresql",
    "estimate",
)
PROVISIONING_SOURCE = Source(
    "AWS DMS Serverless components: the states before a replication runs",
    "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Serverless.Components.html",
    "aws-docs",
)


@dataclass(frozen=True)
class FullLoadEstimate:
    """Seconds before ongoing replication starts, and what the figure rests on."""

    size_gb: float
    gb_per_hour: float
    provisioning_seconds: float
    load_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.provisioning_seconds + self.load_seconds

    @property
    def assumption(self) -> str:
        return (
            f"{self.size_gb:g} GB at {self.gb_per_hour:g} GB/hour (a planning rate, not an AWS "
            f"figure) after about {self.provisioning_seconds / MINUTE:g} minutes of capacity "
            "provisioning"
        )

    @property
    def sources(self) -> tuple[Source, Source]:
        return (PROVISIONING_SOURCE, FULL_LOAD_SOURCE)


def full_load_duration(
    size_gb: float, *, gb_per_hour: float = FULL_LOAD_GB_PER_HOUR
) -> FullLoadEstimate:
    """The full load of a `size_gb` database (what `pg_database_size` reports) at
    `gb_per_hour`, after DMS Serverless provisions its capacity."""
    if isinstance(size_gb, bool) or not isinstance(size_gb, int | float):
        raise ValueError(f"size_gb must be a number of GB, not {size_gb!r}")
    if not math.isfinite(size_gb) or size_gb < 0:
        raise ValueError(f"size_gb must be 0 or more, not {size_gb!r}")
    if isinstance(gb_per_hour, bool) or not isinstance(gb_per_hour, int | float):
        raise ValueError(f"gb_per_hour must be a number, not {gb_per_hour!r}")
    if not math.isfinite(gb_per_hour) or gb_per_hour <= 0:
        raise ValueError(f"gb_per_hour must be above 0, not {gb_per_hour!r}")
    return FullLoadEstimate(
        size_gb=float(size_gb),
        gb_per_hour=float(gb_per_hour),
        provisioning_seconds=PROVISIONING_SECONDS,
        load_seconds=size_gb / gb_per_hour * 3600.0,
    )


__all__ = ["FULL_LOAD_GB_PER_HOUR", "FullLoadEstimate", "full_load_duration"]
