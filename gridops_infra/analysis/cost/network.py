"""Pricers for networking: NAT gateways, public IPv4 addresses, load balancers, VPC endpoints."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, hourly, money
from gridops_infra.testing.plan import ResourceRecord


def nat_gateway(rec: ResourceRecord, ctx: PricingContext) -> Price:
    fixed, formula = hourly(ctx, ctx.rate("nat_gateway", "hour"), "NAT gateway")
    gb = ctx.usage(rec, "nat_gateway_gb") or 0.0
    per_gb = ctx.rate("nat_gateway", "gb_processed")
    used = gb * per_gb
    return Price(fixed + used, f"{formula} + {gb:g} GB x {money(per_gb)}/GB processed", used)


def public_ip(rec: ResourceRecord, ctx: PricingContext) -> Price:
    monthly, formula = hourly(ctx, ctx.rate("public_ipv4_hour"), "public IPv4")
    return Price(monthly, formula)


def load_balancer(rec: ResourceRecord, ctx: PricingContext) -> Price:
    kind = str(rec.inputs.get("loadBalancerType") or "application")
    if kind not in ctx.table.data["load_balancer"]:
        raise NotPriced(f"load balancer type {kind!r} is not in the price table")
    fixed, formula = hourly(ctx, ctx.rate("load_balancer", kind, "hour"), f"{kind} LB")
    lcu = ctx.usage(rec, "alb_lcu") or 0.0
    lcu_rate = ctx.rate("load_balancer", kind, "lcu_hour")
    used = lcu * lcu_rate * ctx.hours
    formula += f" + {lcu:g} LCU x {money(lcu_rate)}/LCU-h"
    if not rec.inputs.get("internal"):
        subnets = rec.inputs.get("subnets") or rec.inputs.get("subnetMappings") or []
        known = isinstance(subnets, list) and bool(subnets)
        azs = len(subnets) if known else 2
        ip_cost, _ = hourly(ctx, ctx.rate("public_ipv4_hour"), "", azs)
        fixed += ip_cost
        formula += (
            f" + {azs} public IPv4 (one per AZ{'' if known else ', 2 AZs assumed'}) x "
            f"{money(ctx.rate('public_ipv4_hour'))}/h"
        )
    return Price(fixed + used, formula, used)


def interface_endpoint(rec: ResourceRecord, ctx: PricingContext) -> Price:
    if rec.inputs.get("vpcEndpointType", "Gateway") != "Interface":
        return Price(0.0, "gateway endpoints are free")
    subnets = rec.inputs.get("subnetIds") or []
    azs = len(subnets) if isinstance(subnets, list) and subnets else 1
    fixed, formula = hourly(
        ctx, ctx.rate("vpc_interface_endpoint", "hour_per_az"), "endpoint-AZ", azs
    )
    gb = ctx.usage(rec, "interface_endpoint_gb") or 0.0
    per_gb = ctx.rate("vpc_interface_endpoint", "gb_processed")
    return Price(fixed + gb * per_gb, f"{formula} + {gb:g} GB x {money(per_gb)}", gb * per_gb)
