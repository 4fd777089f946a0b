"""AWS AppConfig: what the agents reading an environment cost. AppConfig bills each
configuration request (an agent's poll) and each configuration received (a poll that
returns a new version); the resources themselves are free."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.testing.plan import ResourceRecord

POLL_SECONDS = 45  # the AppConfig Agent's poll interval FeatureFlags sets
SECONDS_PER_MONTH = 30 * 24 * 3600


def environment(rec: ResourceRecord, ctx: PricingContext) -> Price:
    agents = ctx.usage(rec, "appconfig_agents") or 0.0
    changes = ctx.usage(rec, "appconfig_changes") or 0.0
    requests_million = agents * SECONDS_PER_MONTH / POLL_SECONDS / 1e6
    per_million = ctx.rate("appconfig", "requests_million")
    per_received = ctx.rate("appconfig", "configurations_received")
    polls = requests_million * per_million
    received = agents * changes * per_received
    formula = (
        f"{agents:g} agents polling every {POLL_SECONDS}s = {requests_million:.3f}M requests x "
        f"{money(per_million)}/M + {agents:g} agents x {changes:g} changes x "
        f"{money(per_received)} received"
    )
    return Price(polls + received, formula, polls + received)


__all__ = ["environment"]
