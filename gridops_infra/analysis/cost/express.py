"""Pricer for ECS Express Mode services. Express Mode itself has no charge: a service
bills its Fargate tasks (X86_64, the task count its scaling minimum keeps), its share of
the Application Load Balancer ECS shares between up to 25 Express services of the same
network, and, in public subnets, the public IPv4 addresses of the tasks and the load
balancer. Logs, alarms and the roles are priced as their own resources."""

from __future__ import annotations

from typing import Any

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService"
SERVICES_PER_LOAD_BALANCER = 25


def _network_key(rec: ResourceRecord) -> tuple[str, ...]:
    configs = rec.inputs.get("networkConfigurations") or [{}]
    subnets = configs[0].get("subnets") if isinstance(configs[0], dict) else None
    return tuple(sorted(str(s) for s in subnets or []))


def _public(rec: ResourceRecord, ctx: PricingContext) -> bool:
    """Whether the service runs in public subnets (an internet-facing load balancer):
    the Network names them `<network>-public-<i>`."""
    subnets = set(_network_key(rec))
    public = {s.id for s in ctx.plan.of_type("aws:ec2/subnet:Subnet") if "-public-" in s.name}
    return bool(subnets) and subnets <= public


def express_service(rec: ResourceRecord, ctx: PricingContext) -> Price:
    cpu_units = as_number(rec.inputs.get("cpu"), 1024.0)
    memory_mib = as_number(rec.inputs.get("memory"), 2048.0)
    if cpu_units is None or memory_mib is None:
        raise NotPriced("its cpu/memory are not known at preview")
    scaling: Any = (rec.inputs.get("scalingTargets") or [{}])[0]
    count = as_number(scaling.get("minTaskCount"), 1.0) or 0.0
    vcpu, gb = cpu_units / 1024, memory_mib / 1024
    per_task_hour = vcpu * ctx.rate("fargate", "x86_64", "vcpu_hour") + gb * ctx.rate(
        "fargate", "x86_64", "gb_hour"
    )
    monthly = count * per_task_hour * ctx.hours
    formula = (
        f"{count:g} task(s) (minTaskCount) x ({vcpu:g} vCPU + {gb:g} GB x86_64) "
        f"= {money(round(per_task_hour, 6))}/task-h x {ctx.hours:g} h"
    )
    key = _network_key(rec)
    sharing = [r for r in ctx.plan.of_type(EXPRESS) if _network_key(r) == key]
    load_balancers = -(-len(sharing) // SERVICES_PER_LOAD_BALANCER)
    share = load_balancers / len(sharing)
    alb_hour = ctx.rate("load_balancer", "application", "hour")
    lcu = ctx.usage(rec, "alb_lcu") or 0.0
    lcu_hour = ctx.rate("load_balancer", "application", "lcu_hour")
    alb = share * (alb_hour + lcu * lcu_hour) * ctx.hours
    monthly += alb
    formula += (
        f" + 1/{len(sharing) // load_balancers} of the shared ALB "
        f"({money(alb_hour)}/h + {lcu:g} LCU x {money(lcu_hour)}/LCU-h)"
    )
    if _public(rec, ctx):
        ip_rate = ctx.rate("public_ipv4_hour")
        azs = len(key) or 2
        ips = count + share * azs
        monthly += ips * ip_rate * ctx.hours
        formula += (
            f" + {ips:g} public IPv4 (its tasks and its share of the ALB's {azs}) "
            f"x {money(ip_rate)}/h"
        )
    ctx.note(
        "ECS Express Mode has no charge of its own: an Express service bills its Fargate "
        "tasks, its share of the load balancer ECS shares between up to 25 services, and "
        "their public IPv4 addresses."
    )
    return Price(monthly, formula)


__all__ = ["express_service"]
