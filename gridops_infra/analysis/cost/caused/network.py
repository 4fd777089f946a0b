"""Caused charges of traffic: data transfer out to the internet from the entry points that
serve it directly, and traffic between Availability Zones."""

from __future__ import annotations

from collections.abc import Iterator

from gridops_infra.analysis.cost.caused.charges import CausedCharge
from gridops_infra.analysis.cost.caused.load_balancers import (
    ALB_ANNOTATION,
    ingress_annotations,
    is_alb_ingress,
    service_nlb_scheme,
)
from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.testing.plan import ResourceRecord

LB_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")


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
    annotations = ingress_annotations(ingress)
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
        if not is_alb_ingress(ingress):
            continue
        if (ingress_annotations(ingress) or {}).get(ALB_ANNOTATION + "scheme") == "internal":
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
