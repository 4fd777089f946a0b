"""Pricer for an Amazon ECS Managed Instances capacity provider: the EC2 instances it runs
for the tasks placed on it, their task volumes, and the Managed Instances management fee.

The Plan holds the tasks (services' minimum counts, task cpu/memory, the strategy naming
this provider), not the instances: they are estimated by packing the tasks onto the
cheapest allowed instance type that prices out, at least one instance per Availability Zone
the tasks spread over (ECS spreads a service's tasks across zones).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.analysis.cost.ecs import service_strategy, service_task_count, split_tasks
from gridops_infra.core.values import as_number
from gridops_infra.platforms.single_server.types import instance_memory_mib, instance_vcpus
from gridops_infra.testing.plan import ResourceRecord

SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"


def _launch_template(rec: ResourceRecord) -> Mapping[str, Any]:
    provider = rec.inputs.get("managedInstancesProvider") or {}
    template = provider.get("instanceLaunchTemplate") if isinstance(provider, Mapping) else None
    return template if isinstance(template, Mapping) else {}


def _tasks(rec: ResourceRecord, ctx: PricingContext) -> tuple[float, float, float]:
    """(tasks, CPU units, MiB) the services place on this provider at their minimum."""
    name = rec.outputs.get("name") or rec.inputs.get("name")
    tasks = cpu = memory = 0.0
    for service in ctx.plan.of_type(SERVICE):
        strategy = service_strategy(service, ctx)
        if name not in {str(s.get("capacityProvider")) for s in strategy}:
            continue
        td = ctx.referenced(service, "taskDefinition", TASK_DEFINITION)
        if td is None:
            raise NotPriced(f"the task definition of service {service.name} is not in the Plan")
        count, _ = service_task_count(service, ctx)
        on_this = split_tasks(count, strategy).get(str(name), 0.0)
        tasks += on_this
        cpu += on_this * (as_number(td.inputs.get("cpu")) or 0.0)
        memory += on_this * (as_number(td.inputs.get("memory")) or 0.0)
    return tasks, cpu, memory


def _instances(instance_type: str, tasks: float, cpu: float, memory: float, zones: int) -> int:
    if tasks <= 0:
        return 0
    by_cpu = math.ceil(cpu / (instance_vcpus(instance_type) * 1024))
    by_memory = math.ceil(memory / instance_memory_mib(instance_type))
    return max(by_cpu, by_memory, min(zones, math.ceil(tasks)))


def managed_instances(rec: ResourceRecord, ctx: PricingContext) -> Price:
    template = _launch_template(rec)
    requirements = template.get("instanceRequirements") or {}
    allowed = [str(t) for t in requirements.get("allowedInstanceTypes") or []]
    if not allowed:
        raise NotPriced("no allowedInstanceTypes: the instance types ECS picks are unknown")
    zones = len((template.get("networkConfiguration") or {}).get("subnets") or []) or 1
    storage_gib = as_number((template.get("storageConfiguration") or {}).get("storageSizeGib"))
    tasks, cpu, memory = _tasks(rec, ctx)
    if tasks <= 0:
        return Price(0.0, "no service places tasks on it at its minimum: no instance runs")
    priced = [
        (t, rate) for t in allowed if (rate := ctx.table.lookup("ec2_instance_hour", t)) is not None
    ]
    if not priced:
        raise NotPriced(f"none of {', '.join(allowed)} is in the price table")
    instance_type, rate = min(
        priced, key=lambda p: _instances(p[0], tasks, cpu, memory, zones) * p[1]
    )
    count = _instances(instance_type, tasks, cpu, memory, zones)
    # Keyed family then size, so each rate is a path of plain keys.
    fees: Mapping[str, Any] = ctx.table.data["ecs_managed_instances"]["management_fee_hour"]
    family, _, size = instance_type.partition(".")
    fee = (fees.get(family) or {}).get(size)
    hourly_total = rate + (float(fee) if fee is not None else 0.0)
    monthly = count * hourly_total * ctx.hours
    formula = (
        f"{count} x {instance_type} for {tasks:g} task(s) ({cpu:g} CPU units, {memory:g} MiB; "
        f"spread over up to {zones} zones, one instance each at least) x ({money(rate)}/h EC2"
    )
    if fee is not None:
        formula += f" + {money(float(fee))}/h management fee"
    else:
        formula += ", management fee not priced"
        ctx.note(ctx.table.data["ecs_managed_instances"]["management_fee_note"])
    formula += f") x {ctx.hours:g} h"
    if storage_gib:
        gp3 = ctx.rate("ebs", "gb_month", "gp3")
        monthly += count * storage_gib * gp3
        formula += f" + {count} x {storage_gib:g} GB gp3 task volume"
    return Price(monthly, formula)


__all__ = ["managed_instances"]
