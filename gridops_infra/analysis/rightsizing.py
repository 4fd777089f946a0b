"""Right-sizing review: measured p95 utilization -> one size down, one size up or keep, with
the monthly cost difference from the dated price table (`analysis/cost/`).

Rules (:data:`RULES`), the same for every kind:

- p95 CPU below 30% **and** p95 memory below 40% -> one size down (both figures needed: with
  one missing the item is kept and the missing figure named);
- p95 CPU or p95 memory above 75% -> one size up;
- otherwise keep.

One size, per kind:

- Fargate service or worker: the next CPU step of Fargate's task sizes (256, 512, 1024,
  2048, 4096, 8192, 16384 units) with memory halved (down) or doubled (up), rounded up to
  the next memory Fargate accepts with that CPU and held within its range; the result is
  checked against Fargate's accepted sizes (the same check StatelessService makes). Priced
  per task running all month on x86_64 on-demand (multiply by the task count).
- RDS instance: the next smaller/larger size of the same class family
  (``db.r6g.xlarge`` -> ``db.r6g.large``) among the RDS for PostgreSQL rates of the table;
  priced Single-AZ (a Multi-AZ deployment costs twice the delta).
- ElastiCache node: the same, among the node rates (Redis OSS rates; Valkey is 20% lower),
  per node.

A size the price table does not know is never recommended: "no smaller priced size" (or
larger) instead; an item whose current size the table does not know is reported unpriced.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from gridops_infra.analysis.assess_records import UtilizationItem, fargate_size_text
from gridops_infra.analysis.cost.prices import PriceTable, load_prices
from gridops_infra.core.aws_rules.ecs import FARGATE_TASK_SIZES
from gridops_infra.service.spec.checks import fargate_size_error

DOWN_CPU_BELOW_PERCENT = 30.0
DOWN_MEMORY_BELOW_PERCENT = 40.0
UP_ABOVE_PERCENT = 75.0

RULES = (
    f"p95 CPU below {DOWN_CPU_BELOW_PERCENT:g}% and p95 memory below "
    f"{DOWN_MEMORY_BELOW_PERCENT:g}% -> one size down; p95 CPU or memory above "
    f"{UP_ABOVE_PERCENT:g}% -> one size up; otherwise keep. Fargate: the next CPU step with "
    "memory halved or doubled to a size Fargate accepts, per task running all month (x86_64); "
    "RDS and ElastiCache: the next size of the same family in the price table, per instance "
    "(Single-AZ) or node. Never a size the price table does not know."
)

Decision = Literal[
    "down",
    "up",
    "keep",
    "no_smaller_priced_size",
    "no_larger_priced_size",
    "unpriced",
]

#: Instance sizes smallest first, as RDS and ElastiCache name them.
_SIZE_ORDER = ("nano", "micro", "small", "medium", "large", "xlarge")


@dataclass(frozen=True)
class Recommendation:
    """One item's review: the decision, the recommended size and the monthly difference."""

    kind: str
    name: str
    current_size: str
    recommended_size: str | None
    decision: Decision
    current_monthly_usd: float | None
    recommended_monthly_usd: float | None
    monthly_delta_usd: float
    reason: str


def _size_rank(size: str) -> float:
    if size in _SIZE_ORDER:
        return _SIZE_ORDER.index(size)
    match = re.fullmatch(r"(\d+)xlarge", size)
    if match:
        return len(_SIZE_ORDER) - 1 + math.log2(int(match.group(1)))
    return math.inf


def _neighbour_class(klass: str, priced: dict[str, float], step: int) -> str | None:
    """The priced class one size away (step -1 smaller, +1 larger) in `klass`'s family:
    the adjacent size of the family among the classes the table prices."""
    family, size = klass.rsplit(".", 1)
    same_family = sorted(
        (k for k in priced if k.rsplit(".", 1)[0] == family),
        key=lambda k: _size_rank(k.rsplit(".", 1)[1]),
    )
    if klass not in same_family:
        return None
    index = same_family.index(klass) + step
    if not 0 <= index < len(same_family):
        return None
    neighbour = same_family[index]
    # Adjacent in AWS's ladder, not just in the table: never skip a size the table lacks.
    gap = abs(_size_rank(neighbour.rsplit(".", 1)[1]) - _size_rank(size))
    return neighbour if gap == 1 else None


def _fargate_neighbour(cpu: int, memory: int, step: int) -> tuple[int, int] | None:
    steps = sorted(FARGATE_TASK_SIZES)
    index = steps.index(cpu) + step
    if not 0 <= index < len(steps):
        return None
    new_cpu = steps[index]
    allowed = FARGATE_TASK_SIZES[new_cpu]
    wanted = memory // 2 if step < 0 else memory * 2
    new_memory = next((m for m in allowed if m >= wanted), allowed[-1])
    if fargate_size_error(new_cpu, new_memory) is not None:  # pragma: no cover - by construction
        raise AssertionError(f"{new_cpu}/{new_memory} is not a Fargate size")
    return new_cpu, new_memory


def _fargate_monthly(table: PriceTable, cpu: int, memory: int) -> float:
    hourly = cpu / 1024 * table.rate("fargate", "x86_64", "vcpu_hour") + memory / 1024 * (
        table.rate("fargate", "x86_64", "gb_hour")
    )
    return hourly * table.hours_per_month


def _decide(item: UtilizationItem) -> tuple[int, str]:
    """(-1 down, +1 up, 0 keep) and the reason in words."""
    cpu, memory = item.cpu_p95_percent, item.memory_p95_percent
    measured = ", ".join(
        f"p95 {label} {value:g}%"
        for label, value in (("CPU", cpu), ("memory", memory))
        if value is not None
    )
    if cpu is None and memory is None:
        return 0, "no CPU or memory figure measured: keep"
    above = [
        label
        for label, value in (("CPU", cpu), ("memory", memory))
        if value is not None and value > UP_ABOVE_PERCENT
    ]
    if above:
        return 1, f"{measured}: {' and '.join(above)} above {UP_ABOVE_PERCENT:g}%"
    if cpu is None or memory is None:
        missing = "CPU" if cpu is None else "memory"
        return 0, f"{measured}; p95 {missing} not measured, so not judged for a smaller size: keep"
    if cpu < DOWN_CPU_BELOW_PERCENT and memory < DOWN_MEMORY_BELOW_PERCENT:
        return -1, (
            f"{measured}: CPU below {DOWN_CPU_BELOW_PERCENT:g}% and memory below "
            f"{DOWN_MEMORY_BELOW_PERCENT:g}%"
        )
    return 0, f"{measured}: within the limits, keep"


def review(
    items: tuple[UtilizationItem, ...], table: PriceTable | None = None
) -> tuple[Recommendation, ...]:
    """Apply :data:`RULES` to every item and price the change."""
    table = table or load_prices()
    return tuple(_review_one(item, table) for item in items)


def _review_one(item: UtilizationItem, table: PriceTable) -> Recommendation:
    step, reason = _decide(item)
    if item.kind in ("service", "worker"):
        cpu, memory = int(item.cpu_units or 0), int(item.memory_mib or 0)
        now = _fargate_monthly(table, cpu, memory)
        if step == 0:
            return _keep(item, now, reason)
        neighbour = _fargate_neighbour(cpu, memory, step)
        if neighbour is None:
            return _no_neighbour(item, now, step, reason, "Fargate size")
        return _change(
            item,
            now,
            fargate_size_text(*neighbour),
            _fargate_monthly(table, *neighbour),
            step,
            reason,
        )
    section = "rds_postgres_instance_hour" if item.kind == "database" else "elasticache_node_hour"
    priced = {k: float(v) for k, v in table.data.get(section, {}).items()}
    klass = item.size
    if klass not in priced:
        why = table.unpriced_reason(klass) or f"{klass} is not in the price table"
        return Recommendation(
            item.kind, item.name, klass, None, "unpriced", None, None, 0.0, f"{reason}; {why}"
        )
    now = priced[klass] * table.hours_per_month
    if step == 0:
        return _keep(item, now, reason)
    neighbour = _neighbour_class(klass, priced, step)
    if neighbour is None:
        return _no_neighbour(item, now, step, reason, "priced size")
    return _change(item, now, neighbour, priced[neighbour] * table.hours_per_month, step, reason)


def _keep(item: UtilizationItem, now: float, reason: str) -> Recommendation:
    now = round(now, 2)
    return Recommendation(item.kind, item.name, item.size, item.size, "keep", now, now, 0.0, reason)


def _no_neighbour(
    item: UtilizationItem, now: float, step: int, reason: str, what: str
) -> Recommendation:
    decision: Decision = "no_smaller_priced_size" if step < 0 else "no_larger_priced_size"
    direction = "smaller" if step < 0 else "larger"
    return Recommendation(
        item.kind,
        item.name,
        item.size,
        None,
        decision,
        round(now, 2),
        None,
        0.0,
        f"{reason}; no {direction} {what}",
    )


def _change(
    item: UtilizationItem, now: float, size: str, then: float, step: int, reason: str
) -> Recommendation:
    decision: Decision = "down" if step < 0 else "up"
    return Recommendation(
        item.kind,
        item.name,
        item.size,
        size,
        decision,
        round(now, 2),
        round(then, 2),
        round(then - now, 2),
        f"{reason}: one size {decision}",
    )


def total_monthly_delta(recommendations: tuple[Recommendation, ...]) -> float:
    return round(sum(r.monthly_delta_usd for r in recommendations), 2)


__all__ = [
    "DOWN_CPU_BELOW_PERCENT",
    "DOWN_MEMORY_BELOW_PERCENT",
    "RULES",
    "UP_ABOVE_PERCENT",
    "Recommendation",
    "review",
    "total_monthly_delta",
]
