"""Pricer for Lambda functions: requests plus GB-seconds of configured memory (x86 or
Arm), and ephemeral storage above the 512 MB every function gets. How much a function
runs is usage, not in the Plan: `lambda_invocations_million` and
`lambda_seconds_per_invocation` (a queue worker's defaults describe sporadic work)."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

DEFAULT_MEMORY_MB = 128.0  # CreateFunction's default
DEFAULT_STORAGE_MB = 512.0


def lambda_function(rec: ResourceRecord, ctx: PricingContext) -> Price:
    memory = as_number(rec.inputs.get("memorySize"))
    memory_mb = DEFAULT_MEMORY_MB if rec.inputs.get("memorySize") is None else memory
    if memory_mb is None:
        raise NotPriced("its memorySize is not known yet")
    architectures = rec.inputs.get("architectures") or ["x86_64"]
    arch = "arm64" if "arm64" in list(architectures) else "x86_64"
    invocations = ctx.usage(rec, "lambda_invocations_million") or 0.0
    seconds = ctx.usage(rec, "lambda_seconds_per_invocation") or 0.0
    gb_seconds = invocations * 1e6 * seconds * memory_mb / 1024
    requests_rate = ctx.rate("lambda", "requests_million")
    duration_rate = ctx.rate("lambda", f"{arch}_gb_second")
    monthly = invocations * requests_rate + gb_seconds * duration_rate
    formula = (
        f"{invocations:g}M requests x {money(requests_rate)}/M + {invocations:g}M x "
        f"{seconds:g} s x {memory_mb / 1024:g} GB = {gb_seconds:,.0f} GB-s x "
        f"{money(duration_rate)} ({arch})"
    )
    storage = rec.inputs.get("ephemeralStorage")
    storage_mb = as_number(storage.get("size")) if isinstance(storage, dict) else None
    included = ctx.rate("lambda", "ephemeral_storage_included_mb")
    extra_mb = max(0.0, (storage_mb or DEFAULT_STORAGE_MB) - included)
    if extra_mb:
        storage_rate = ctx.rate("lambda", "ephemeral_storage_gb_second")
        extra = invocations * 1e6 * seconds * extra_mb / 1024 * storage_rate
        monthly += extra
        formula += f" + /tmp above {included:g} MB {money(round(extra, 4))}"
    return Price(monthly, formula, monthly)


__all__ = ["lambda_function"]
