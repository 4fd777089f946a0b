"""What a migration plan is asked for: the pair of stages, and the assumptions the user can
change (database size, full-load throughput, replication capacity, traffic weights, bake
times, the lag gate). Every value is checked here, so a bad one is refused in one line
before any stage is previewed."""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from gridops_infra.analysis.assess import STAGES


class MigrationError(ValueError):
    """A migration plan that cannot be made as asked; the message is one line."""


DMS_SERVERLESS_DCUS = (1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384)
"""The capacities AWS DMS Serverless accepts for a replication (ComputeConfig
MinCapacityUnits/MaxCapacityUnits: docs.aws.amazon.com/dms/latest/APIReference/API_ComputeConfig.html)."""

SQS_MOVE_MAX_MESSAGES_PER_SECOND = 500
"""The fastest rate an SQS message move task runs (StartMessageMoveTask
MaxNumberOfMessagesPerSecond: docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html)."""

DEFAULT_WEIGHTS = (10, 50, 100)
DEFAULT_BAKE_MINUTES = 60.0
DEFAULT_FULL_LOAD_GB_PER_HOUR = 10.0
DEFAULT_REPLICATION_DCUS = 2
DEFAULT_MAX_LAG_SECONDS = 60.0
DEFAULT_LAG_HOLD_MINUTES = 15.0
DEFAULT_DNS_TTL_SECONDS = 60.0
DEFAULT_DNS_QUERIES_MILLION = 1.0
DEFAULT_DLQ_MESSAGES = 0


@dataclass(frozen=True)
class MigrationOptions:
    """The plan's assumptions. Units are in the names; every default is printed with the plan."""

    weights: tuple[int, ...] = DEFAULT_WEIGHTS
    """Percent of traffic on the new stage at each cut-over step, rising, ending at 100."""
    bake_minutes: float = DEFAULT_BAKE_MINUTES
    """How long each weight holds with the new stage's SLO green before the next."""
    database_size_gb: float | None = None
    """Size of the data the full load copies; None: the old stage's data volume size."""
    full_load_gb_per_hour: float = DEFAULT_FULL_LOAD_GB_PER_HOUR
    """Planning throughput of the DMS full load (see FULL_LOAD_THROUGHPUT_BASIS)."""
    replication_dcus: int = DEFAULT_REPLICATION_DCUS
    """Average DMS Serverless capacity units while replication runs."""
    replication_multi_az: bool = False
    """Multi-AZ replication (billed at twice the Single-AZ rate)."""
    max_lag_seconds: float = DEFAULT_MAX_LAG_SECONDS
    """The replication-lag gate: CDC latency on the target below this."""
    lag_hold_minutes: float = DEFAULT_LAG_HOLD_MINUTES
    """How long the lag must stay under the gate before traffic starts to move."""
    dns_ttl_seconds: float = DEFAULT_DNS_TTL_SECONDS
    """TTL of the weighted records: how long resolvers may still send users to the old side."""
    dns_queries_million: float = DEFAULT_DNS_QUERIES_MILLION
    """DNS queries for the moved name per month, millions."""
    dlq_messages: int = DEFAULT_DLQ_MESSAGES
    """Messages waiting in the old stage's dead-letter queue when the drain starts."""

    def __post_init__(self) -> None:
        check_weights(self.weights)
        _positive("--bake-minutes", self.bake_minutes)
        if self.database_size_gb is not None:
            _at_least_zero("--database-size-gb", self.database_size_gb)
        _positive("--full-load-gb-per-hour", self.full_load_gb_per_hour)
        if self.replication_dcus not in DMS_SERVERLESS_DCUS:
            allowed = ", ".join(str(d) for d in DMS_SERVERLESS_DCUS)
            raise MigrationError(
                f"--replication-dcus {self.replication_dcus}: AWS DMS Serverless takes one of "
                f"{allowed} capacity units"
            )
        _positive("--max-lag-seconds", self.max_lag_seconds)
        _positive("--lag-hold-minutes", self.lag_hold_minutes)
        _at_least_zero("--dns-ttl-seconds", self.dns_ttl_seconds)
        _at_least_zero("--dns-queries-million", self.dns_queries_million)
        if self.dlq_messages < 0:
            raise MigrationError(f"--dlq-messages {self.dlq_messages}: expected 0 or more")


def parse_weights(text: str) -> tuple[int, ...]:
    """`"10,50,100"` -> (10, 50, 100), refused in one line naming --steps."""
    parts = [p.strip().rstrip("%") for p in text.split(",")]
    try:
        weights = tuple(int(p) for p in parts)
    except ValueError:
        raise MigrationError(
            f"--steps {text!r}: expected whole percentages separated by commas, e.g. 10,50,100"
        ) from None
    check_weights(weights, text)
    return weights


def check_weights(weights: Sequence[int], shown: str | None = None) -> None:
    given = shown if shown is not None else ",".join(str(w) for w in weights)
    if not weights:
        raise MigrationError("--steps: give at least one weight, ending at 100")
    if any(w < 0 or w > 100 for w in weights):
        raise MigrationError(f"--steps {given}: each weight is a percentage from 0 to 100")
    if any(b <= a for a, b in itertools.pairwise(weights)):
        raise MigrationError(f"--steps {given}: weights must rise, e.g. 10,50,100")
    if weights[-1] != 100:
        raise MigrationError(
            f"--steps {given}: the last weight must be 100 (the move ends with all traffic on "
            "the new stage)"
        )


def check_pair(from_stage: str, to_stage: str) -> tuple[str, str]:
    """The two stages, in the order of STAGES, refused in one line when the move cannot be
    planned: an unknown stage (with the closest name), the same stage, or a move down."""
    for flag, stage in (("FROM", from_stage), ("TO", to_stage)):
        if stage not in STAGES:
            close = difflib.get_close_matches(stage, STAGES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise MigrationError(
                f"{flag} {stage!r} is not a stage: use one of {', '.join(STAGES)}{hint}"
            )
    if from_stage == to_stage:
        raise MigrationError(
            f"{from_stage} -> {to_stage}: the same stage; a migration moves up to a later "
            f"stage ({_later_stages(from_stage)})"
        )
    if STAGES.index(to_stage) < STAGES.index(from_stage):
        raise MigrationError(
            f"{from_stage} -> {to_stage} moves down a stage (stages in order: "
            f"{' -> '.join(STAGES)}); the plan covers moving up only. Going back during a "
            "move is the cut-over's own rollback: traffic returns to the old stage by weight"
        )
    return from_stage, to_stage


def _later_stages(stage: str) -> str:
    later = STAGES[STAGES.index(stage) + 1 :]
    return f"after {stage}: {', '.join(later)}" if later else f"none: {stage} is the last"


def _positive(flag: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise MigrationError(f"{flag} {value:g}: expected a number above 0")


def _at_least_zero(flag: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise MigrationError(f"{flag} {value:g}: expected a number of 0 or more")
