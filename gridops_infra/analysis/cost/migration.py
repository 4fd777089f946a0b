"""Pricers for moving between stages: AWS DMS Serverless replications (per DCU-hour used;
a Multi-AZ replication bills twice)."""

from __future__ import annotations

from collections.abc import Mapping

from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord


def dms_replication_config(rec: ResourceRecord, ctx: PricingContext) -> Price:
    compute = rec.inputs.get("computeConfig")
    compute = compute if isinstance(compute, Mapping) else {}
    dcu = ctx.usage(rec, "dms_serverless_dcu")
    why = "usage"
    if dcu is None:
        dcu = as_number(compute.get("minCapacityUnits"), 1.0) or 1.0
        why = "MinCapacityUnits"
    multi_az = compute.get("multiAz") is True
    factor = ctx.rate("dms", "serverless_multi_az_factor") if multi_az else 1.0
    rate = ctx.rate("dms", "serverless_dcu_hour") * factor
    monthly = dcu * rate * ctx.hours
    maximum = as_number(compute.get("maxCapacityUnits"))
    ceiling = f"; up to {maximum:g} DCU during the full load" if maximum else ""
    suffix = " (Multi-AZ: x2)" if multi_az else ""
    return Price(
        monthly,
        f"{dcu:g} DCU ({why}) x {money(round(rate, 4))}/DCU-h{suffix} x {ctx.hours:g} h{ceiling}",
        monthly,
    )


__all__ = ["dms_replication_config"]
