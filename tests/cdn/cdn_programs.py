"""Shared pieces of the CdnFrontend tests."""

from __future__ import annotations

from typing import Any

from gridops_infra.testing import Plan, reveal

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
ZONE = "Z0123456789ABCDEFGHIJ"
API_IMAGE = "ghcr.io/acme/api:1.4.2"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CLOUDFRONT_PREFIX_LIST_ID = "pl-3b927c52"  # what the offline engine answers
ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]


def distribution(plan: Plan, name: str = "web") -> dict[str, Any]:
    """The distribution's inputs, secrets revealed."""
    return reveal(plan.one(DISTRIBUTION, f"{name}-distribution").inputs)


def origins(plan: Plan, name: str = "web") -> dict[str, dict[str, Any]]:
    return {o["originId"]: o for o in distribution(plan, name)["origins"]}


def behaviors(plan: Plan, name: str = "web") -> dict[str, dict[str, Any]]:
    """Cache behaviors by path pattern; the default one under `"default"`."""
    inputs = distribution(plan, name)
    out = {"default": inputs["defaultCacheBehavior"]}
    out.update({b["pathPattern"]: b for b in inputs.get("orderedCacheBehaviors", [])})
    return out


def ingress_of(plan: Plan, prefix: str) -> list[tuple[int, str | None, str | None]]:
    """(port, cidr, prefix list) of the ingress rules whose name starts with `prefix`."""
    return sorted(
        (
            (int(r.inputs["fromPort"]), r.inputs.get("cidrIpv4"), r.inputs.get("prefixListId"))
            for r in plan.of_type(INGRESS)
            if r.name.startswith(prefix)
        ),
        key=lambda rule: (rule[0], rule[1] or "", rule[2] or ""),
    )
