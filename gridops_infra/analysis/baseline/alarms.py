"""MTTR from CloudWatch alarm history: the mean time from an alarm entering ALARM to its
next OK, over the window's state changes (DescribeAlarmHistory, HistoryItemType
StateUpdate; each item's HistoryData is JSON with ``oldState``/``newState``, each with a
``stateValue``). An incident that opened before the window (its ALARM is not in the
history read) or is still open at its end is not counted; INSUFFICIENT_DATA neither opens
nor closes one."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured, utc
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window


@dataclass(frozen=True)
class Recovery:
    alarm: str
    minutes: float


def recoveries(items: Iterable[dict[str, Any]]) -> tuple[list[Recovery], int]:
    """(closed incidents, incidents still open) from StateUpdate history items."""
    by_alarm: dict[str, list[tuple[Any, str]]] = {}
    for item in items:
        if item.get("HistoryItemType") != "StateUpdate":
            continue
        state = json.loads(item["HistoryData"])["newState"]["stateValue"]
        by_alarm.setdefault(item["AlarmName"], []).append((utc(item["Timestamp"]), state))
    closed: list[Recovery] = []
    still_open = 0
    for alarm, changes in by_alarm.items():
        opened = None
        for moment, state in sorted(changes, key=lambda change: change[0]):
            if state == "ALARM" and opened is None:
                opened = moment
            elif state == "OK" and opened is not None:
                closed.append(Recovery(alarm, (moment - opened).total_seconds() / 60))
                opened = None
        still_open += opened is not None
    return closed, still_open


def read(aws: Aws, window: Window, prefix: str | None, reading: Reading) -> None:
    items = [
        item
        for item in aws.pages(
            "cloudwatch",
            "DescribeAlarmHistory",
            "AlarmHistoryItems",
            AlarmTypes=["MetricAlarm", "CompositeAlarm"],
            HistoryItemType="StateUpdate",
            StartDate=window.start,
            EndDate=window.end,
            ScanBy="TimestampAscending",
        )
        if prefix is None or item.get("AlarmName", "").startswith(prefix)
    ]
    closed, still_open = recoveries(items)
    which = f"alarms named {prefix}*" if prefix else "every alarm"
    if not closed:
        raise NotMeasured(
            f"no alarm went from ALARM to OK in the window ({which}; {still_open} still open)"
        )
    reading.put(
        "mttr_minutes",
        round(fmean(r.minutes for r in closed), 1),
        f"CloudWatch DescribeAlarmHistory StateUpdate, mean ALARM -> next OK over {len(closed)} "
        f"incidents of {which}"
        + (f" ({still_open} still open, not counted)" if still_open else ""),
        window,
    )
