"""The migration plan between two stages: steps in order, what each costs a month while
both stages run, how long each takes and which checks gate the next (`gridops migration`)."""

from gridops_infra.analysis.migration.options import (
    MigrationError,
    MigrationOptions,
    check_pair,
    parse_weights,
)
from gridops_infra.analysis.migration.plan import MigrationPlan, plan_migration

__all__ = [
    "MigrationError",
    "MigrationOptions",
    "MigrationPlan",
    "check_pair",
    "parse_weights",
    "plan_migration",
]
