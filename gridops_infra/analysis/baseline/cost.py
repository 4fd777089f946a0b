"""The monthly bill from Cost Explorer (GetCostAndUsage, UnblendedCost, daily): the cost
of the window's whole days (UTC; the current, unfinished day is left out), scaled to an
average month (365.25 / 12 days). Each Cost Explorer request is billed by AWS ($0.01);
this reader makes one per 1,000 days (Cost Explorer pages its reply)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

DAYS_PER_MONTH = 365.25 / 12
METRIC = "UnblendedCost"


def whole_days(window: Window) -> tuple[dt.date, dt.date]:
    """[first, end) of the whole UTC days inside the window."""
    first = window.start.date() + dt.timedelta(days=0 if window.start.time() == dt.time() else 1)
    return first, window.end.date()


def monthly(results: Iterable[dict[str, Any]], days: int) -> tuple[float, str]:
    """(USD a month, currency) from GetCostAndUsage's ResultsByTime over `days` days."""
    total = 0.0
    units = set()
    for period in results:
        amount = period.get("Total", {}).get(METRIC)
        if amount is None:
            continue
        total += float(amount["Amount"])
        units.add(amount.get("Unit", "USD"))
    if units - {"USD"}:
        raise NotMeasured(f"Cost Explorer answered in {', '.join(sorted(units))}, not USD")
    return total / days * DAYS_PER_MONTH, "USD"


def read(aws: Aws, window: Window, reading: Reading) -> None:
    first, end = whole_days(window)
    days = (end - first).days
    if days < 1:
        raise NotMeasured("the window holds no whole UTC day for Cost Explorer")
    results = aws.pages(
        "ce",
        "GetCostAndUsage",
        "ResultsByTime",
        token="NextPageToken",
        TimePeriod={"Start": first.isoformat(), "End": end.isoformat()},
        Granularity="DAILY",
        Metrics=[METRIC],
    )
    usd, _ = monthly(results, days)
    reading.put(
        "monthly_cost_usd",
        round(usd, 2),
        f"Cost Explorer GetCostAndUsage {METRIC} DAILY, {first.isoformat()} to {end.isoformat()} "
        f"(end excluded, {days} days) scaled to {DAYS_PER_MONTH:g} days",
        window,
    )
