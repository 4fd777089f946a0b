"""Caused charges of load balancers the Plan does not declare but a Kubernetes controller
creates: the ALB for an Ingress of class alb, the NLB for a Service of type LoadBalancer."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from gridops_infra.analysis.cost.caused.charges import CausedCharge
from gridops_infra.analysis.cost.context import Price, PricingContext, hourly, money
from gridops_infra.testing.plan import ResourceRecord

ALB_ANNOTATION = "alb.ingress.kubernetes.io/"


def is_alb_ingress(ingress: ResourceRecord) -> bool:
    spec = ingress.inputs.get("spec") or {}
    if isinstance(spec, Mapping) and spec.get("ingressClassName") == "alb":
        return True
    return '"kubernetes.io/ingress.class": "alb"' in json.dumps(
        ingress.inputs.get("metadata"), default=str
    )


def ingress_annotations(ingress: ResourceRecord) -> Mapping[str, str] | None:
    """The Ingress's annotations, or None when the Plan hides its metadata (a secret)."""
    metadata = ingress.inputs.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    annotations = metadata.get("annotations") or {}
    return annotations if isinstance(annotations, Mapping) else {}


def _public_azs(ctx: PricingContext) -> int:
    """AZs of the public subnets (tagged for internet-facing load balancers, or named
    public), else of every subnet; 2 when the Plan has none."""
    subnets = ctx.plan.of_type("aws:ec2/subnet:Subnet")
    public = [
        s
        for s in subnets
        if "kubernetes.io/role/elb" in (s.inputs.get("tags") or {}) or "public" in s.name
    ]
    azs = {s.inputs.get("availabilityZone") for s in (public or subnets)}
    azs.discard(None)
    return len(azs) or 2


def ingress_load_balancers(ctx: PricingContext) -> Iterator[CausedCharge]:
    """One ALB per ALB Ingress group (Ingresses sharing `group.name` share one ALB):
    hours, LCUs (usage `alb_lcu`) and, internet-facing, one public IPv4 per AZ."""
    seen_groups: set[str] = set()
    for ingress in ctx.plan.of_type("kubernetes:networking.k8s.io/v1:Ingress"):
        if not is_alb_ingress(ingress):
            continue
        annotations = ingress_annotations(ingress)
        group = (annotations or {}).get(ALB_ANNOTATION + "group.name")
        if group:
            if group in seen_groups:
                continue
            seen_groups.add(group)
        scheme = (annotations or {}).get(ALB_ANNOTATION + "scheme")
        internet_facing = scheme != "internal"
        monthly, formula = hourly(ctx, ctx.rate("load_balancer", "application", "hour"), "ALB")
        lcu = ctx.usage(ingress, "alb_lcu") or 0.0
        lcu_rate = ctx.rate("load_balancer", "application", "lcu_hour")
        used = lcu * lcu_rate * ctx.hours
        formula += f" + {lcu:g} LCU x {money(lcu_rate)}/LCU-h"
        if internet_facing:
            azs = _public_azs(ctx)
            ip_cost, _ = hourly(ctx, ctx.rate("public_ipv4_hour"), "", azs)
            monthly += ip_cost
            formula += f" + {azs} public IPv4 (one per public AZ) x {money(ctx.rate('public_ipv4_hour'))}/h"
        if annotations is None:
            formula += " (annotations hidden in the Plan: internet-facing, own ALB assumed)"
        yield CausedCharge(
            "ELB/IngressLoadBalancer",
            "alb",
            ingress,
            Price(monthly + used, "created by the AWS Load Balancer Controller: " + formula, used),
        )


SERVICE_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-"


def service_nlb_scheme(service: ResourceRecord) -> str | None:
    """For a Kubernetes Service of type LoadBalancer that gets a Network Load Balancer
    (the AWS Load Balancer Controller's `external`/`nlb-ip` type or load balancer class,
    or the in-tree `nlb` type): its scheme. None for other Services (a Classic Load
    Balancer from the in-tree controller is not priced)."""
    spec = service.inputs.get("spec")
    if not isinstance(spec, Mapping) or spec.get("type") != "LoadBalancer":
        return None
    metadata = service.inputs.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    annotations = annotations if isinstance(annotations, Mapping) else {}
    kind = annotations.get(SERVICE_ANNOTATION + "type")
    controller = spec.get("loadBalancerClass") == "service.k8s.aws/nlb" or kind in (
        "external",
        "nlb-ip",
    )
    if not controller and kind != "nlb":
        return None
    default = "internal" if controller else "internet-facing"
    return str(annotations.get(SERVICE_ANNOTATION + "scheme") or default)


def service_load_balancers(ctx: PricingContext) -> Iterator[CausedCharge]:
    """The Network Load Balancer a Service of type LoadBalancer gets: hours, NLCUs (usage
    `alb_lcu`) and, internet-facing, one public IPv4 per public AZ."""
    for service in ctx.plan.of_type("kubernetes:core/v1:Service"):
        scheme = service_nlb_scheme(service)
        if scheme is None:
            continue
        monthly, formula = hourly(ctx, ctx.rate("load_balancer", "network", "hour"), "NLB")
        lcu = ctx.usage(service, "alb_lcu") or 0.0
        lcu_rate = ctx.rate("load_balancer", "network", "lcu_hour")
        used = lcu * lcu_rate * ctx.hours
        formula += f" + {lcu:g} NLCU x {money(lcu_rate)}/NLCU-h"
        if scheme != "internal":
            azs = _public_azs(ctx)
            ip_cost, _ = hourly(ctx, ctx.rate("public_ipv4_hour"), "", azs)
            monthly += ip_cost
            formula += f" + {azs} public IPv4 (one per public AZ) x {money(ctx.rate('public_ipv4_hour'))}/h"
        yield CausedCharge(
            "ELB/ServiceLoadBalancer",
            "nlb",
            service,
            Price(
                monthly + used, f"{scheme} NLB for a Service of type LoadBalancer: {formula}", used
            ),
        )
