"""The rollout of a flag change: an AppConfig deployment strategy, read and checked against
CreateDeploymentStrategy's ranges before anything is registered."""

from __future__ import annotations

from dataclasses import dataclass

from gridops_infra.core.aws_rules.appconfig import STRATEGY_RANGES
from gridops_infra.core.validation import ArgReader
from gridops_infra.flags.args import StrategyArgs
from gridops_infra.service.spec.parts import NestedReader

MAX_MINUTES = 1440
GROWTH_TYPES = {"linear": "LINEAR", "exponential": "EXPONENTIAL"}


@dataclass(frozen=True)
class Strategy:
    growth_type: str
    """LINEAR or EXPONENTIAL (AppConfig's spelling)."""
    growth_factor: float
    deployment_minutes: int
    final_bake_minutes: int

    @property
    def watched_minutes(self) -> int:
        """How long AppConfig watches the monitors: the rollout plus the final bake."""
        return self.deployment_minutes + self.final_bake_minutes


def read_strategy(a: ArgReader) -> Strategy:
    where = f"{a.component} '{a.name}'"
    s = NestedReader(a, "strategy", a.raw("strategy", {}), StrategyArgs.__annotations__)
    growth = s.choice("growth_type", "linear", tuple(GROWTH_TYPES))
    factor = s.number("growth_factor", 20)
    if not 1 <= factor <= 100:
        raise STRATEGY_RANGES.refuse(where, "strategy.growth_factor", f"{factor:g} percent")
    minutes = {}
    for field, default in (("deployment_minutes", 10), ("final_bake_minutes", 10)):
        value = s.integer(field, default)
        if not 0 <= value <= MAX_MINUTES:
            raise STRATEGY_RANGES.refuse(where, f"strategy.{field}", f"{value} minutes")
        minutes[field] = value
    return Strategy(GROWTH_TYPES[growth], factor, **minutes)


__all__ = ["GROWTH_TYPES", "Strategy", "read_strategy"]
