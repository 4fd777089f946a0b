"""The migration plan for a pair of stages: `plan_migration` reads both stages' offline
Plans and returns the steps, the run rate while both stages run, and the sources of every
figure. `MigrationPlan.to_json()` is schema-stable (MIGRATION_PLAN_KEYS; keys are only ever
added)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.analysis.cost.prices import PriceTable
from gridops_infra.analysis.migration.options import (
    SQS_MOVE_MAX_MESSAGES_PER_SECOND,
    MigrationOptions,
    check_pair,
)
from gridops_infra.analysis.migration.sides import StageSide, read_side
from gridops_infra.analysis.migration.steps import (
    MigrationCosts,
    Step,
    build_steps,
    migration_costs,
    moves_the_data,
)
from gridops_infra.analysis.timing.estimate import estimate_timing, format_seconds

if TYPE_CHECKING:
    from gridops_infra.testing import Plan

SCHEMA_VERSION = 1
MIGRATION_PLAN_KEYS = (
    "schema_version",
    "from_stage",
    "to_stage",
    "moves_data",
    "shares_tier",
    "price_table",
    "currency",
    "period",
    "stages",
    "migration_resources",
    "steps",
    "total_known_seconds",
    "unestimated_steps",
    "peak_monthly_usd",
    "after_monthly_usd",
    "move_usd",
    "assumptions",
    "sources",
    "warnings",
)
STEP_KEYS = (
    "order",
    "key",
    "title",
    "done_by",
    "duration_seconds",
    "duration_basis",
    "monthly_usd",
    "costs",
    "gate",
)
CHECK_KEYS = ("name", "condition", "signal", "threshold", "unit", "hold_seconds")
COST_PART_KEYS = ("key", "label", "monthly_usd", "basis")

FULL_LOAD_THROUGHPUT_BASIS = (
    "AWS publishes no full-load throughput: what sets it is the network, how fast the "
    "source reads, the replication's capacity and how fast the target writes (AWS "
    "Knowledge Center, DMS PostgreSQL to PostgreSQL). The default 10 GB/hour is a planning "
    "figure at the slow end of public PostgreSQL-to-PostgreSQL full-load measurements (one "
    "298-million-row data set took from about 5 minutes to 2.9 hours across tools); time a "
    "test run and pass --full-load-gb-per-hour."
)
SOURCES = (
    {
        "title": "DMS PostgreSQL to PostgreSQL (what sets full-load speed)",
        "url": "https://repost.aws/knowledge-center/dms-migrate-postgresql-to-postgresql",
    },
    {
        "title": "Public PostgreSQL-to-PostgreSQL full-load benchmark (2026-08-31)",
        "url": "https://github.com/galaxy-io/benchmarks/tree/main/data-movement",
    },
    {
        "title": "DMS Serverless capacity units (ComputeConfig)",
        "url": "https://docs.aws.amazon.com/dms/latest/APIReference/API_ComputeConfig.html",
    },
    {"title": "AWS DMS pricing", "url": "https://aws.amazon.com/dms/pricing/"},
    {"title": "Amazon Route 53 pricing", "url": "https://aws.amazon.com/route53/pricing/"},
    {
        "title": "Route 53 health checks that monitor CloudWatch alarms",
        "url": "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html",
    },
    {
        "title": "SQS StartMessageMoveTask (at most 500 messages a second)",
        "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html",
    },
)


@dataclass
class MigrationPlan:
    old: StageSide
    new: StageSide
    options: MigrationOptions
    table: PriceTable
    moves_data: bool
    costs: MigrationCosts
    steps: list[Step]
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_known_seconds(self) -> float:
        return sum(s.duration_seconds for s in self.steps if s.duration_seconds is not None)

    @property
    def peak_monthly_usd(self) -> float:
        return max(s.monthly_usd for s in self.steps)

    @property
    def after_monthly_usd(self) -> float:
        """The new stage alone (with the tier it shared, which stays)."""
        return self.new.monthly_usd

    @property
    def move_usd(self) -> float:
        """What the estimated steps cost at their run rates for their estimated time (a step
        without an estimate adds nothing)."""
        month_seconds = self.table.hours_per_month * 3600
        return sum(
            s.monthly_usd * s.duration_seconds / month_seconds
            for s in self.steps
            if s.duration_seconds is not None
        )

    def migration_resources(self) -> list[dict[str, Any]]:
        parts = [self.costs.replication, self.costs.health_check, self.costs.dns_queries]
        used = {part.key for step in self.steps for part in step.costs}
        return [
            {**part.to_json(), "steps": [s.key for s in self.steps if part in s.costs]}
            for part in parts
            if part is not None and part.key in used
        ]

    def to_json(self) -> dict[str, Any]:
        def stage(side: StageSide) -> dict[str, Any]:
            return {
                "stage": side.stage,
                "project": side.project,
                "stack": side.stack,
                "monthly_usd": round(side.monthly_usd, 2),
                "create_seconds": side.timing.total_seconds,
                "create_p90_seconds": side.timing.total_p90_seconds,
                "resources": side.timing.resource_count,
            }

        return {
            "schema_version": SCHEMA_VERSION,
            "from_stage": self.old.stage,
            "to_stage": self.new.stage,
            "moves_data": self.moves_data,
            "shares_tier": {k: round(v, 2) for k, v in self.costs.shared.items()},
            "price_table": self.table.describe(),
            "currency": self.table.currency,
            "period": "month",
            "stages": {"from": stage(self.old), "to": stage(self.new)},
            "migration_resources": self.migration_resources(),
            "steps": [s.to_json() for s in self.steps],
            "total_known_seconds": round(self.total_known_seconds, 1),
            "unestimated_steps": [s.key for s in self.steps if s.duration_seconds is None],
            "peak_monthly_usd": round(self.peak_monthly_usd, 2),
            "after_monthly_usd": round(self.after_monthly_usd, 2),
            "move_usd": round(self.move_usd, 2),
            "assumptions": list(self.assumptions),
            "sources": [dict(s) for s in SOURCES],
            "warnings": list(self.warnings),
        }

    def headline(self) -> str:
        unestimated = [s.key for s in self.steps if s.duration_seconds is None]
        what = "moves the data and the traffic" if self.moves_data else "moves the traffic"
        if self.costs.shared:
            what += " (the data tier is shared)"
        return (
            f"Moving {self.old.stage} -> {self.new.stage} {what}: {len(self.steps)} steps, "
            f"{format_seconds(self.total_known_seconds)} of estimated time"
            + (f" ({', '.join(unestimated)} not estimated)" if unestimated else "")
            + f"; up to {_usd(self.peak_monthly_usd)}/month while both stages run "
            f"({_usd(self.move_usd)} for the estimated time), "
            f"{_usd(self.after_monthly_usd)}/month after."
        )


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def plan_migration(
    from_stage: str,
    to_stage: str,
    from_plan: Plan,
    to_plan: Plan,
    options: MigrationOptions | None = None,
    usage: dict[str, Any] | None = None,
) -> MigrationPlan:
    """The move from `from_stage` to `to_stage`, from the two stages' offline Plans."""
    options = options or MigrationOptions()
    check_pair(from_stage, to_stage)
    old_cost, new_cost = estimate_cost(from_plan, usage), estimate_cost(to_plan, usage)
    table = old_cost.table
    old = read_side(from_stage, from_plan, old_cost, estimate_timing(from_plan))
    new = read_side(to_stage, to_plan, new_cost, estimate_timing(to_plan))
    moves_data = moves_the_data(old, new)
    costs = migration_costs(old, new, moves_data, options, table)
    steps = build_steps(old, new, moves_data, costs, options)
    assumptions = [
        f"prices: {table.region}, on-demand, as of {table.as_of} (the shipped table, as "
        f"gridops cost uses); {table.hours_per_month:g} hours a month",
        "each step's cost is the monthly run rate while it runs: both stages as gridops cost "
        "prices them, plus the migration's own resources while they exist",
        f"traffic weights {', '.join(f'{w} %' for w in options.weights)}, each held "
        f"{options.bake_minutes:g} minutes (--steps, --bake-minutes)",
        f"weighted records' TTL {options.dns_ttl_seconds:g} s; "
        f"{options.dns_queries_million:g}M DNS queries a month (--dns-ttl-seconds, "
        "--dns-queries-million)",
    ]
    if moves_data:
        if options.database_size_gb is None:
            assumptions.append(
                f"database size: {old.stage}'s data volume ({old.own_postgres_gb:g} GB), an "
                "upper bound; pass --database-size-gb with the database's own size "
                "(SELECT pg_database_size(current_database()))"
            )
        assumptions += [
            f"full load at {options.full_load_gb_per_hour:g} GB/hour: {FULL_LOAD_THROUGHPUT_BASIS}",
            f"replication at {options.replication_dcus} DCU on average "
            f"({'Multi-AZ' if options.replication_multi_az else 'Single-AZ'}); it runs from "
            "the full load until the old queues are drained, then is deleted",
            f"replication-lag gate {options.max_lag_seconds:g} s, held "
            f"{options.lag_hold_minutes:g} minutes before traffic moves",
        ]
    if old.has_worker_queue:
        assumptions.append(
            f"{options.dlq_messages} messages in the old dead-letter queue (--dlq-messages), "
            f"moved at {SQS_MOVE_MAX_MESSAGES_PER_SECOND}/s; the old workers' own backlog is "
            "not known offline: the drain gate waits for it"
        )
    if costs.shared:
        assumptions.append(
            f"{new.stage} reads {old.stage}'s network, database and cache through a "
            "StackReference (docs/migration.md), so they are billed once"
        )
    warnings = [f"{old.stage}: {w}" for w in old_cost.warnings]
    warnings += [f"{new.stage}: {w}" for w in new_cost.warnings]
    return MigrationPlan(old, new, options, table, moves_data, costs, steps, assumptions, warnings)
