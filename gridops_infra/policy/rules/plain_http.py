"""Plain HTTP served to the internet outside an AWS load balancer listener (those are
`alb-http-without-tls`): a host whose security group opens port 80 to everyone but not
443, and an internet-facing Kubernetes Ingress with no HTTPS listener."""

from __future__ import annotations

import json
from typing import Any

from gridops_infra.policy._props import as_list, depends_on, get, number, of_type, peek, text
from gridops_infra.policy.rule import ADVISORY, ReportViolation, resource_rule, stack_rule

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULES = (
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
)
LOAD_BALANCERS = (
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elb/loadBalancer:LoadBalancer",
)
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
EVERYONE = ("0.0.0.0/0", "::/0")
ALB_ANNOTATION = "alb.ingress.kubernetes.io/"
DEFAULT_LISTEN_PORTS = '[{"HTTP": 80}]'  # the Load Balancer Controller's default


def _opens_to_everyone(props: Any, port: int) -> bool:
    if text(peek(props, "type")) == "egress":
        return False
    protocol = text(peek(props, "ipProtocol") or peek(props, "protocol")).lower()
    if protocol not in ("tcp", "6", "-1", "all"):
        return False
    low, high = number(peek(props, "fromPort")), number(peek(props, "toPort"))
    if protocol not in ("-1", "all") and (low is None or high is None or not low <= port <= high):
        return False
    cidrs = [peek(props, "cidrIpv4"), peek(props, "cidrIpv6")]
    cidrs += as_list(peek(props, "cidrBlocks")) + as_list(peek(props, "ipv6CidrBlocks"))
    return any(c in EVERYONE for c in cidrs)


def _belongs(rule: Any, group: Any) -> bool:
    group_id = peek(group.props, "id")
    return depends_on(rule, "securityGroupId", group) or (
        isinstance(group_id, str) and peek(rule.props, "securityGroupId") == group_id
    )


def _fronts_a_load_balancer(group: Any, balancers: list[Any]) -> bool:
    group_id = peek(group.props, "id")
    for lb in balancers:
        if depends_on(lb, "securityGroups", group):
            return True
        if isinstance(group_id, str) and group_id in as_list(peek(lb.props, "securityGroups")):
            return True
    return False


@stack_rule(
    name="public-http-without-tls",
    description="A security group that opens port 80 to the internet also opens 443 (a host "
    "serving plain HTTP only sends every request and cookie in the clear).",
    severity=ADVISORY,
    remediation="Give the host a domain so its proxy serves HTTPS (SingleServer `domain`, or "
    "gridops:domain on the single-server stage), or put it behind a CdnFrontend.",
    types=(SECURITY_GROUP, *INGRESS_RULES, *LOAD_BALANCERS),
)
def public_http_without_tls(args: Any, report: ReportViolation) -> None:
    balancers = of_type(args.resources, LOAD_BALANCERS)
    rules = of_type(args.resources, INGRESS_RULES)
    for group in of_type(args.resources, SECURITY_GROUP):
        if _fronts_a_load_balancer(group, balancers):
            continue  # listeners are judged by alb-http-without-tls
        opened = [*as_list(peek(group.props, "ingress"))]
        opened += [r.props for r in rules if _belongs(r, group)]
        if any(_opens_to_everyone(p, 80) for p in opened) and not any(
            _opens_to_everyone(p, 443) for p in opened
        ):
            report(
                f"security group {group.name!r} opens port 80 to the internet and not 443: "
                "what it guards serves plain HTTP only.",
                group.urn,
            )


@resource_rule(
    name="ingress-http-without-tls",
    description="An internet-facing Ingress (AWS Load Balancer Controller) listens on HTTPS.",
    severity=ADVISORY,
    remediation="Give the service a `domain` (a certificate, an HTTPS listener and a redirect "
    "from HTTP), or set alb.ingress.kubernetes.io/listen-ports with an HTTPS entry and a "
    "certificate-arn.",
    types=(INGRESS,),
)
def ingress_http_without_tls(args: Any, report: ReportViolation) -> None:
    annotations = get(args.props, "metadata", "annotations") or {}
    if text(get(annotations, ALB_ANNOTATION + "scheme")) != "internet-facing":
        return
    raw = text(get(annotations, ALB_ANNOTATION + "listen-ports")) or DEFAULT_LISTEN_PORTS
    try:
        ports = json.loads(raw)
    except json.JSONDecodeError:
        report(f"listen-ports {raw!r} is not JSON, so the controller cannot read it.")
        return
    protocols = {
        key.upper() for entry in as_list(ports) if isinstance(entry, dict) for key in entry
    }
    if "HTTPS" not in protocols:
        report(
            f"internet-facing Ingress listens on {raw} only: requests and cookies cross the "
            "internet unencrypted."
        )
