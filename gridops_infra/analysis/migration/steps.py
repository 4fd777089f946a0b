"""The steps of a move from one stage to the next, in order, each with its duration, what
the month costs while it runs, and the checks that gate the next step.

What the steps are depends on what the pair moves:
- the data moves (PostgresReplication: AWS DMS full load, then change data capture) only
  when the old stage keeps PostgreSQL itself (the single server's data volume) and the new
  one runs ManagedPostgresWithReplicas; two stages that both run the managed database keep
  the same one (and the same network and cache), counted once while both run;
- traffic moves by weight (TrafficCutover: Route 53 weighted records, a health check that
  follows the new stage's SLO page alarm) for every pair;
- the queues drain (an SQS message move task from the old dead-letter queue) when the old
  stage has a worker queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridops_infra.analysis.cost.prices import PriceTable
from gridops_infra.analysis.migration.options import (
    SQS_MOVE_MAX_MESSAGES_PER_SECOND,
    MigrationError,
    MigrationOptions,
)
from gridops_infra.analysis.migration.sides import SHAREABLE_COMPONENTS, StageSide
from gridops_infra.migration.traffic import traffic_path


@dataclass(frozen=True)
class Check:
    """One condition that must hold before the next step starts."""

    name: str
    condition: str
    signal: str
    """Where the condition is read (a CloudWatch metric or alarm, a command)."""
    threshold: float | None = None
    unit: str | None = None
    hold_seconds: float | None = None
    """How long the condition must hold without a break."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "condition": self.condition,
            "signal": self.signal,
            "threshold": self.threshold,
            "unit": self.unit,
            "hold_seconds": self.hold_seconds,
        }


@dataclass(frozen=True)
class CostPart:
    """One thing billed while a step runs, per month."""

    key: str
    label: str
    monthly_usd: float
    basis: str

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "monthly_usd": round(self.monthly_usd, 2),
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Step:
    order: int
    key: str
    title: str
    done_by: str
    """What carries the step out (a command, a component)."""
    duration_seconds: float | None
    """None when no estimate exists (the basis says why)."""
    duration_basis: str
    costs: tuple[CostPart, ...]
    gate: tuple[Check, ...]

    @property
    def monthly_usd(self) -> float:
        return sum(part.monthly_usd for part in self.costs)

    def to_json(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "key": self.key,
            "title": self.title,
            "done_by": self.done_by,
            "duration_seconds": None
            if self.duration_seconds is None
            else round(self.duration_seconds, 1),
            "duration_basis": self.duration_basis,
            "monthly_usd": round(self.monthly_usd, 2),
            "costs": [part.to_json() for part in self.costs],
            "gate": [check.to_json() for check in self.gate],
        }


@dataclass
class MigrationCosts:
    """The monthly figures every step draws from."""

    old: CostPart
    new: CostPart
    replication: CostPart | None
    health_check: CostPart
    dns_queries: CostPart
    shared: dict[str, float] = field(default_factory=dict)
    """The new stage's components the old one already runs (counted once), `Type/name` -> USD."""


def migration_costs(
    old: StageSide, new: StageSide, moves_data: bool, options: MigrationOptions, table: PriceTable
) -> MigrationCosts:
    shared = shared_components(old, new)
    shared_total = sum(shared.values())
    new_basis = f"gridops cost {new.stage}: {new.monthly_usd:,.2f}"
    if shared:
        new_basis += (
            f" minus {shared_total:,.2f} for {', '.join(shared)} (the tier {old.stage} already "
            "runs, shared while both stages run)"
        )
    replication = None
    if moves_data:
        rate = table.rate("dms", "serverless_dcu_hour")
        factor = (
            table.rate("dms", "serverless_multi_az_factor") if options.replication_multi_az else 1
        )
        hours = table.hours_per_month
        az = "Multi-AZ" if options.replication_multi_az else "Single-AZ"
        replication = CostPart(
            "replication",
            "PostgresReplication (DMS Serverless)",
            options.replication_dcus * rate * factor * hours,
            f"{options.replication_dcus} DCU x ${rate}/DCU-hour x {factor:g} ({az}) x {hours:g} h",
        )
    check_rate = table.rate("route53", "health_check_aws_endpoint_month")
    query_rate = table.rate("route53", "standard_queries_million")
    billed_queries = not (old.behind_cloudfront and new.behind_cloudfront)
    queries_usd = options.dns_queries_million * query_rate if billed_queries else 0.0
    query_basis = (
        f"{options.dns_queries_million:g}M queries x ${query_rate}/million (a side without "
        "CloudFront answers with a plain record, billed)"
        if billed_queries
        else "both front doors are CloudFront distributions: alias queries are free"
    )
    return MigrationCosts(
        old=CostPart(
            "old_stage",
            f"stage {old.stage}",
            old.monthly_usd,
            f"gridops cost {old.stage}: {old.monthly_usd:,.2f}",
        ),
        new=CostPart("new_stage", f"stage {new.stage}", new.monthly_usd - shared_total, new_basis),
        replication=replication,
        health_check=CostPart(
            "health_check",
            "TrafficCutover health check (Route 53)",
            check_rate,
            f"1 health check following the SLO page alarm x ${check_rate}/month",
        ),
        dns_queries=CostPart("dns_queries", "Route 53 queries", queries_usd, query_basis),
        shared=shared,
    )


def shared_components(old: StageSide, new: StageSide) -> dict[str, float]:
    """The new stage's network, managed database and cache when the old stage runs the
    managed database too: one tier serves both, so the new stage's copy is not billed."""
    if not (old.managed_postgres and new.managed_postgres):
        return {}
    old_types = {name.split("/", 1)[0] for name in old.component_costs(SHAREABLE_COMPONENTS)}
    return {
        name: value
        for name, value in new.component_costs(SHAREABLE_COMPONENTS).items()
        if name.split("/", 1)[0] in old_types
    }


def moves_the_data(old: StageSide, new: StageSide) -> bool:
    """The data moves when the old stage keeps PostgreSQL itself and the new one runs the
    managed database."""
    if old.managed_postgres and not new.managed_postgres:
        raise MigrationError(
            f"{old.stage} -> {new.stage}: {old.stage} runs ManagedPostgresWithReplicas and "
            f"{new.stage} does not; a move never leaves the managed database"
        )
    return not old.managed_postgres and new.managed_postgres


def full_load_size_gb(old: StageSide, options: MigrationOptions) -> tuple[float, str]:
    if options.database_size_gb is not None:
        return options.database_size_gb, "--database-size-gb"
    if old.own_postgres_gb is None:
        raise MigrationError(
            f"--database-size-gb is needed: {old.stage}'s Plan has no data volume to take the "
            "size from"
        )
    return old.own_postgres_gb, f"{old.stage}'s data volume, an upper bound"


def build_steps(
    old: StageSide,
    new: StageSide,
    moves_data: bool,
    costs: MigrationCosts,
    options: MigrationOptions,
) -> list[Step]:
    base = (costs.old, costs.new)
    replicating = (costs.replication,) if costs.replication is not None else ()
    cutover = (costs.health_check, costs.dns_queries)
    steps: list[Step] = []

    def add(
        key: str,
        title: str,
        done_by: str,
        duration: float | None,
        basis: str,
        parts: tuple[CostPart, ...],
        gate: tuple[Check, ...],
    ) -> None:
        steps.append(Step(len(steps) + 1, key, title, done_by, duration, basis, parts, gate))

    slo_alarm = f"{new.stage}'s SLO page alarm"
    add(
        "stand_up",
        f"Stand up {new.stage} beside {old.stage}"
        + (" (reading the shared tier through a StackReference)" if costs.shared else ""),
        f"pulumi up (stack {new.stack})",
        new.timing.total_seconds,
        f"gridops timing {new.stage}: critical path {new.timing.total_seconds:.0f} s "
        f"(slow day {new.timing.total_p90_seconds:.0f} s)"
        + ("; the whole stage, shared tier included: an upper bound" if costs.shared else ""),
        base,
        (
            Check(
                "policy clean",
                f"gridops check {new.stage} reports 0 mandatory violations",
                f"gridops check {new.stage}",
                0,
                "violations",
            ),
            Check(
                "new stage healthy",
                f"{slo_alarm} is OK before any user reaches it",
                "CloudWatch alarm state",
            )
            if new.stage != "express"
            else Check(
                "new stage healthy",
                f"{new.stage}'s service runs its desired count before any user reaches it "
                "(the express stage has no SLO alarms: ECS does not expose its load balancer)",
                "ECS service events / RunningTaskCount",
            ),
        ),
    )
    lag_check = Check(
        "replication lag",
        f"DMS CDC latency on the target stays under {options.max_lag_seconds:g} s",
        "AWS/DMS CDCLatencyTarget",
        options.max_lag_seconds,
        "seconds",
    )
    if moves_data:
        size_gb, size_basis = full_load_size_gb(old, options)
        add(
            "replicate_full_load",
            f"Start replication: full load of {old.stage}'s PostgreSQL into {new.stage}'s "
            "ManagedPostgresWithReplicas, then change data capture",
            "PostgresReplication",
            size_gb / options.full_load_gb_per_hour * 3600,
            f"{size_gb:g} GB ({size_basis}) at {options.full_load_gb_per_hour:g} GB/hour",
            (*base, *replicating),
            (
                Check(
                    "full load complete",
                    "every table loaded, none errored",
                    "DMS replication stats FullLoadProgressPercent, TablesErrored",
                    100,
                    "percent",
                ),
            ),
        )
        add(
            "replication_caught_up",
            "Wait for change data capture to catch up",
            "PostgresReplication",
            options.lag_hold_minutes * 60,
            f"--lag-hold-minutes {options.lag_hold_minutes:g}",
            (*base, *replicating),
            (
                Check(
                    lag_check.name,
                    lag_check.condition,
                    lag_check.signal,
                    lag_check.threshold,
                    lag_check.unit,
                    options.lag_hold_minutes * 60,
                ),
                Check(
                    "replication running",
                    "the replication's task-failure alarm is OK",
                    "CloudWatch alarm state",
                ),
            ),
        )
    bake = options.bake_minutes * 60
    path = traffic_path(old.stage, new.stage)
    if path == "move-at-once":
        add(
            "move_name",
            f"Move the public name from {old.stage}'s CloudFront distribution to "
            f"{new.stage}'s at once (AssociateAlias; the same call moves it back)",
            "aws cloudfront associate-alias",
            bake,
            f"a name belongs to one distribution at a time, so Route 53 weights cannot split "
            f"it; then hold the bake (--bake-minutes {options.bake_minutes:g})",
            base,
            (
                Check(
                    "SLO green",
                    f"{slo_alarm} stays OK for the whole bake; no automatic rollback on this "
                    f"pair: if it fires, move the name back to {old.stage}'s distribution",
                    "CloudWatch alarm state",
                    hold_seconds=bake,
                ),
            ),
        )
    elif path == "new-address":
        add(
            "switch_clients",
            f"Point clients at {new.stage}'s URL (an Express service answers only on its "
            "AWS-provided domain, so no public name is shared between the two stages)",
            "your clients / DNS outside Route 53 weights",
            bake,
            f"hold the bake (--bake-minutes {options.bake_minutes:g})",
            base,
            (
                Check(
                    "service steady",
                    f"{new.stage}'s service runs its desired count with no failed deployment "
                    "for the whole bake",
                    "ECS service events / RunningTaskCount",
                    hold_seconds=bake,
                ),
            ),
        )
    else:
        bake = options.bake_minutes * 60
        for weight in options.weights:
            gate = [
                Check(
                    "SLO green",
                    f"{slo_alarm} stays OK for the whole bake; if it fires, the health check that "
                    f"follows it turns unhealthy and Route 53 sends traffic back to {old.stage}",
                    "Route 53 health check (CLOUDWATCH_METRIC) on the SLO page alarm",
                    hold_seconds=bake,
                )
            ]
            if moves_data:
                gate.append(
                    Check(
                        lag_check.name,
                        lag_check.condition,
                        lag_check.signal,
                        lag_check.threshold,
                        lag_check.unit,
                        bake,
                    )
                )
            add(
                f"shift_{weight}",
                f"Shift {weight} % of traffic to {new.stage}"
                + (" (records in place, nothing moves yet)" if weight == 0 else ""),
                "TrafficCutover",
                bake,
                f"--bake-minutes {options.bake_minutes:g}",
                (*base, *replicating, *cutover),
                tuple(gate),
            )
        add(
            "done",
            f"Declare done: remove {old.stage}'s weighted record",
            "TrafficCutover (done step)",
            options.dns_ttl_seconds,
            f"resolvers forget {old.stage}'s record after the TTL (--dns-ttl-seconds "
            f"{options.dns_ttl_seconds:g})",
            (*base, *replicating, *cutover),
            (
                Check(
                    "old side idle",
                    f"no requests reach {old.stage}'s front door for one TTL",
                    f"{old.stage}'s request metrics or access logs",
                    0,
                    "requests",
                    options.dns_ttl_seconds,
                ),
            ),
        )
    if old.has_worker_queue:
        move_seconds = options.dlq_messages / SQS_MOVE_MAX_MESSAGES_PER_SECOND
        drain_gate = [
            Check(
                "old queues empty",
                f"{old.stage}'s queue and dead-letter queue hold no visible or in-flight messages",
                "AWS/SQS ApproximateNumberOfMessagesVisible + ApproximateNumberOfMessagesNotVisible",
                0,
                "messages",
            )
        ]
        if moves_data:
            drain_gate.append(
                Check(
                    "last writes replicated",
                    f"CDC latency is 0 with no writes on {old.stage}'s database; then delete "
                    "the replication (a stopped DMS Serverless replication keeps its capacity)",
                    "AWS/DMS CDCLatencyTarget",
                    0,
                    "seconds",
                )
            )
        add(
            "drain_queues",
            f"Drain {old.stage}'s queues: its workers finish in-flight messages, the message "
            f"move task sends its dead-letter queue to {new.stage}'s queue",
            "SQS message move task",
            old.visibility_timeout_seconds + move_seconds,
            f"in-flight messages finish within the visibility timeout "
            f"({old.visibility_timeout_seconds:g} s); {options.dlq_messages} dead-letter "
            f"messages (--dlq-messages) at {SQS_MOVE_MAX_MESSAGES_PER_SECOND}/s",
            (*base, *replicating),
            tuple(drain_gate),
        )
    add(
        "tear_down",
        f"Tear down {old.stage}"
        + (" (its app stack; the shared tier stays)" if costs.shared else ""),
        f"pulumi destroy (stack {old.stack})",
        None,
        "not estimated: the timing table holds create times only",
        base,
        (
            Check(
                "shared tier kept",
                f"{old.stage}'s app stack no longer holds the network, database or cache "
                f"{new.stage} reads (a preview of the destroy lists none of them)",
                f"pulumi preview --destroy (stack {old.stack})",
            )
            if costs.shared
            else Check(
                "final snapshot",
                f"a final snapshot of {old.stage}'s data exists before the destroy",
                "EBS snapshot / RDS snapshot list",
            ),
        ),
    )
    return steps
