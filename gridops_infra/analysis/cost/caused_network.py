"""Caused charges of networking: the ALB the AWS Load Balancer Controller creates for an
Ingress, data transfer out to the internet from the entry points that serve it, and
traffic between Availability Zones."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from gridops_infra.analysis.cost.caused import CausedCharge
from gridops_infra.analysis.cost.context import Price, PricingContext, hourly, money
from gridops_infra.testing.plan import ResourceRecord

ALB_ANNOTATION = "alb.ingress.kubernetes.io/"
LB_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")


def _is_alb_ingress(ingress: ResourceRecord) -> bool:
    spec = ingress.inputs.get("spec") or {}
    if isinstance(spec, Mapping) and spec.get("ingressClassName") == "alb":
        return True
    return '"kubernetes.io/ingress.class": "alb"' in json.dumps(
        ingress.inputs.get("metadata"), default=str
    )


def _annotations(ingress: ResourceRecord) -> Mapping[str, str] | None:
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
        if not _is_alb_ingress(ingress):
            continue
        annotations = _annotations(ingress)
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


def _behind_cloudfront_lb(lb: ResourceRecord, ctx: PricingContext) -> bool:
    """Whether the load balancer admits only prefix lists (CloudFront's origin-facing
    list) and no CIDR: then viewers reach it through CloudFront, whose origin fetches
    from AWS origins are free."""
    groups = set(lb.property_dependencies.get("securityGroups", []))
    if not groups:
        return False
    rules = [
        r
        for r in ctx.plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if set(r.property_dependencies.get("securityGroupId", [])) & groups
    ]
    return bool(rules) and all(
        r.inputs.get("prefixListId") and not r.inputs.get("cidrIpv4") for r in rules
    )


def _behind_cloudfront_ingress(ingress: ResourceRecord, ctx: PricingContext) -> bool:
    annotations = _annotations(ingress)
    if annotations is None:
        return bool(ctx.plan.of_type("aws:cloudfront/distribution:Distribution"))
    return ALB_ANNOTATION + "security-group-prefix-lists" in annotations and not (
        annotations.get(ALB_ANNOTATION + "inbound-cidrs")
    )


def _entry_points(ctx: PricingContext) -> Iterator[tuple[ResourceRecord, str]]:
    """Resources that send responses to the internet directly, with what they are."""
    for token in LB_TYPES:
        for lb in ctx.plan.of_type(token):
            if lb.inputs.get("internal"):
                continue
            if _behind_cloudfront_lb(lb, ctx):
                ctx.note(
                    f"{lb.name} admits only CloudFront: its responses leave through "
                    "CloudFront (origin fetches are free), priced on the distribution."
                )
                continue
            yield lb, "load balancer"
    for ingress in ctx.plan.of_type("kubernetes:networking.k8s.io/v1:Ingress"):
        if not _is_alb_ingress(ingress):
            continue
        if (_annotations(ingress) or {}).get(ALB_ANNOTATION + "scheme") == "internal":
            continue
        if _behind_cloudfront_ingress(ingress, ctx):
            ctx.note(
                f"{ingress.name}'s ALB serves CloudFront only (origin fetches are free); its "
                "internet egress is priced on the distribution."
            )
            continue
        yield ingress, "Ingress ALB"
    for service in ctx.plan.of_type("kubernetes:core/v1:Service"):
        if service_nlb_scheme(service) == "internet-facing":
            yield service, "Service NLB"
    eip_instances = {
        str(e.inputs.get("instance"))
        for e in ctx.plan.of_type("aws:ec2/eip:Eip")
        if e.inputs.get("instance")
    }
    eni_with_eip = {
        str(e.inputs.get("networkInterface"))
        for e in ctx.plan.of_type("aws:ec2/eip:Eip")
        if e.inputs.get("networkInterface")
    }
    for instance in ctx.plan.of_type("aws:ec2/instance:Instance"):
        eni = (instance.inputs.get("primaryNetworkInterface") or {}).get("networkInterfaceId")
        if (
            instance.inputs.get("associatePublicIpAddress")
            or instance.id in eip_instances
            or (eni and str(eni) in eni_with_eip)
        ):
            yield instance, "EC2 host with a public address"


def internet_egress(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Data transfer out to the internet from each entry point (usage `internet_egress_gb`)."""
    rate = ctx.rate("data_transfer", "internet_out_gb")
    for rec, what in _entry_points(ctx):
        gb = ctx.usage(rec, "internet_egress_gb") or 0.0
        cost = gb * rate
        ctx.note(
            "Data transfer out: AWS's 100 GB/month account-wide free allowance is not deducted."
        )
        yield CausedCharge(
            "DataTransfer/InternetOut",
            "internet-egress",
            rec,
            Price(cost, f"{what}: {gb:g} GB out to the internet x {money(rate)}/GB", cost),
        )


def _multi_az_compute(ctx: PricingContext) -> list[ResourceRecord]:
    """Compute spread over two or more AZs that talks to data in other AZs: ECS services
    with tasks, EKS node groups, Auto Scaling groups."""
    out: list[ResourceRecord] = []
    for rec in ctx.plan.of_type("aws:ecs/service:Service"):
        subnets = (rec.inputs.get("networkConfiguration") or {}).get("subnets") or []
        if isinstance(subnets, list) and len(subnets) >= 2:
            out.append(rec)
    for token, prop in (
        ("aws:eks/nodeGroup:NodeGroup", "subnetIds"),
        ("aws:autoscaling/group:Group", "vpcZoneIdentifiers"),
    ):
        for rec in ctx.plan.of_type(token):
            subnets = rec.inputs.get(prop) or []
            if isinstance(subnets, list) and len(subnets) >= 2:
                out.append(rec)
    return out


def cross_az_traffic(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Traffic between AZs from compute spread over several AZs (to databases, caches and
    each other), billed on both sides (usage `cross_az_gb` per workload)."""
    each_way = ctx.rate("data_transfer", "cross_az_gb_each_way")
    for rec in _multi_az_compute(ctx):
        gb = ctx.usage(rec, "cross_az_gb") or 0.0
        cost = gb * each_way * 2
        yield CausedCharge(
            "DataTransfer/CrossAZ",
            "cross-az",
            rec,
            Price(
                cost,
                f"{gb:g} GB between AZs x {money(each_way)}/GB out + {money(each_way)}/GB in",
                cost,
            ),
        )
