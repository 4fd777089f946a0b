"""Pricer for ECS services on Fargate: task size from the task definition, task count from
the autoscaling minimum, Fargate Spot from the capacity provider strategy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord


def split_tasks(count: float, strategies: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """How ECS spreads `count` tasks over a capacity provider strategy: each provider's
    `base` first (in order), the rest in proportion to `weight`."""
    if not strategies:
        return {"FARGATE": count}
    out = {str(s.get("capacityProvider")): 0.0 for s in strategies}
    left = count
    for s in strategies:
        base = min(as_number(s.get("base"), 0.0) or 0.0, left)
        out[str(s.get("capacityProvider"))] += base
        left -= base
    weights = {
        str(s.get("capacityProvider")): as_number(s.get("weight"), 0.0) or 0.0 for s in strategies
    }
    total_weight = sum(weights.values())
    if left > 0:
        if total_weight <= 0:
            first = str(strategies[0].get("capacityProvider"))
            out[first] += left
        else:
            for provider, weight in weights.items():
                out[provider] += left * weight / total_weight
    return out


def service_task_count(rec: ResourceRecord, ctx: PricingContext) -> tuple[float, str]:
    service_name = rec.outputs.get("name") or rec.inputs.get("name")
    for target in ctx.plan.of_type("aws:appautoscaling/target:Target"):
        if target.inputs.get("serviceNamespace") != "ecs":
            continue
        deps = set(target.dependencies)
        for urns in target.property_dependencies.values():
            deps.update(urns)
        resource_id = str(target.inputs.get("resourceId") or "")
        if rec.urn in deps or (service_name and resource_id.endswith(f"/{service_name}")):
            minimum = as_number(target.inputs.get("minCapacity"))
            if minimum is not None:
                return minimum, f"minCapacity of autoscaling target {target.name}"
    desired = as_number(rec.inputs.get("desiredCount"))
    if desired is None:
        return 0.0, "no desiredCount (provider default 0)"
    return desired, "desiredCount"


def service_strategy(rec: ResourceRecord, ctx: PricingContext) -> list[Mapping[str, Any]]:
    strategies = rec.inputs.get("capacityProviderStrategies")
    if isinstance(strategies, list) and strategies:
        return strategies
    if rec.inputs.get("launchType"):
        return [{"capacityProvider": str(rec.inputs["launchType"]), "weight": 1}]
    cluster = ctx.referenced(rec, "cluster", "aws:ecs/cluster:Cluster")
    if cluster is not None:
        cluster_name = cluster.outputs.get("name") or cluster.inputs.get("name")
        for ccp in ctx.plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"):
            linked = cluster.urn in ccp.property_dependencies.get("clusterName", [])
            if linked or ccp.inputs.get("clusterName") == cluster_name:
                default = ccp.inputs.get("defaultCapacityProviderStrategies")
                if isinstance(default, list) and default:
                    return default
    return [{"capacityProvider": "FARGATE", "weight": 1}]


def ecs_service(rec: ResourceRecord, ctx: PricingContext) -> Price:
    strategy = service_strategy(rec, ctx)
    providers = {str(s.get("capacityProvider")) for s in strategy}
    if not providers <= {"FARGATE", "FARGATE_SPOT"}:
        return Price(
            0.0,
            f"tasks run on EC2 capacity ({', '.join(sorted(providers))}), priced on the instances",
        )
    td = ctx.referenced(rec, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition")
    if td is None:
        raise NotPriced("its task definition is not in the Plan")
    cpu_units = as_number(td.inputs.get("cpu"))
    memory_mib = as_number(td.inputs.get("memory"))
    if cpu_units is None or memory_mib is None:
        raise NotPriced(f"task definition {td.name} has no task-level cpu/memory")
    vcpu, gb = cpu_units / 1024, memory_mib / 1024
    platform = td.inputs.get("runtimePlatform") or {}
    arch = "arm64" if str(platform.get("cpuArchitecture", "")).upper() == "ARM64" else "x86_64"
    per_task_hour = vcpu * ctx.rate("fargate", arch, "vcpu_hour") + gb * ctx.rate(
        "fargate", arch, "gb_hour"
    )
    storage = as_number((td.inputs.get("ephemeralStorage") or {}).get("sizeInGib"), 0.0) or 0.0
    extra_gb = max(0.0, storage - ctx.rate("fargate", "ephemeral_storage_included_gb"))
    per_task_hour += extra_gb * ctx.rate("fargate", "ephemeral_storage_gb_hour")
    count, why = service_task_count(rec, ctx)
    split = split_tasks(count, strategy)
    spot = split.get("FARGATE_SPOT", 0.0)
    discount = ctx.rate("fargate", "spot_discount")
    effective = (count - spot) + spot * (1 - discount)
    monthly = effective * per_task_hour * ctx.hours
    formula = (
        f"{count:g} task(s) ({why}) x ({vcpu:g} vCPU + {gb:g} GB {arch}) "
        f"= {money(round(per_task_hour, 6))}/task-h x {ctx.hours:g} h"
    )
    if extra_gb:
        formula += f" incl. {extra_gb:g} GB extra ephemeral storage"
    if spot:
        formula += f"; {spot:g} on FARGATE_SPOT at -{discount:.0%} (assumed)"
        ctx.note(ctx.table.data["fargate"]["spot_discount_note"])
        if arch == "arm64":
            ctx.note(
                "Fargate Spot runs ARM64 (Graviton) tasks since 2024: the Spot discount is "
                "applied to the ARM64 rate."
            )
    if (rec.inputs.get("networkConfiguration") or {}).get("assignPublicIp"):
        ip_rate = ctx.rate("public_ipv4_hour")
        monthly += count * ip_rate * ctx.hours
        formula += f" + {count:g} public IPv4 (assignPublicIp) x {money(ip_rate)}/h"
    return Price(monthly, formula)
