"""How traffic reaches a Fargate service: its security group, target group(s) and
listener rule on the cluster's shared ALB, and its own domain when it has one."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.alb import REDIRECT_TO_HTTPS_ACTION
from gridops_infra.platforms.dns import CERTIFICATE_ROLES, alias_record, validated_certificate
from gridops_infra.platforms.fargate.component import ORIGIN_VERIFY_HEADER, FargateCluster
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = (
    "security_group",
    "ingress_rule",
    "egress_rule",
    "alb_egress_rule",
    "target_group",
    "listener_rule",
    "http_redirect_rule",
    "listener_certificate",
    *CERTIFICATE_ROLES,
)
TARGET_HEALTH_CHECK = {
    "enabled": True,
    "protocol": "HTTP",
    "port": "traffic-port",
    "matcher": "200-399",
    "interval": 15,
    "timeout": 5,
    "healthy_threshold": 2,
    "unhealthy_threshold": 3,
}


@dataclass
class Routing:
    security_group: aws.ec2.SecurityGroup
    target_groups: list[aws.lb.TargetGroup]
    """The primary target group, then the alternate one (blue-green/canary/linear)."""
    rule: aws.lb.ListenerRule
    url: pulumi.Output[str]


def security_group(
    owner: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster, *, from_alb: bool = True
) -> aws.ec2.SecurityGroup:
    """The tasks' group: in only from the ALB on the container port (nothing comes in
    when `from_alb` is false: queue workers only call out); out to the VPC (linked
    databases, caches, AWS endpoints) and to the internet on `internet_egress_ports`. The
    ALB's group gets the matching egress rule."""
    description = (
        f"Tasks of {spec.name}: only the ALB may connect, on {spec.port}"
        if from_alb
        else f"Tasks of {owner.name}: nothing may connect, they only call out"
    )
    sg = owner.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": cluster.network.vpc_id,
            "description": description,
            "tags": {"Name": f"{owner.name}-tasks"},
        },
        suffix="sg",
    )
    if from_alb:
        _admit_alb(owner, spec, cluster, sg)
    _egress(owner, spec, cluster, sg)
    return sg


def _admit_alb(
    owner: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster, sg: aws.ec2.SecurityGroup
) -> None:
    owner.child(
        "ingress_rule",
        aws.vpc.SecurityGroupIngressRule,
        {
            "security_group_id": sg.id,
            "referenced_security_group_id": cluster.alb_security_group_id,
            "ip_protocol": "tcp",
            "from_port": spec.port,
            "to_port": spec.port,
            "description": "from the cluster ALB only",
        },
        suffix="in-from-alb",
    )
    owner.child(
        "alb_egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        {
            "security_group_id": cluster.alb_security_group_id,
            "referenced_security_group_id": sg.id,
            "ip_protocol": "tcp",
            "from_port": spec.port,
            "to_port": spec.port,
            "description": f"ALB to {spec.name} tasks and their health checks",
        },
        suffix="alb-out",
    )


def _egress(
    owner: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster, sg: aws.ec2.SecurityGroup
) -> None:
    owner.child(
        "egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        {
            "security_group_id": sg.id,
            "cidr_ipv4": cluster.network.cidr_block,
            "ip_protocol": "-1",
            "description": "inside the VPC: linked resources, DNS, endpoints",
        },
        suffix="out-vpc",
    )
    for port in spec.internet_egress_ports:
        owner.child(
            "egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": sg.id,
                "cidr_ipv4": "0.0.0.0/0",
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "description": f"internet through NAT on {port}",
            },
            suffix=f"out-internet-{port}",
        )


def target_groups(
    owner: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster
) -> list[aws.lb.TargetGroup]:
    """`<name>-tg`, plus `<name>-tg2` for strategies that shift traffic between two."""
    suffixes = ["tg"] if spec.deployment_strategy == "rolling" else ["tg", "tg2"]
    return [
        owner.child(
            "target_group",
            aws.lb.TargetGroup,
            {
                "port": spec.port,
                "protocol": "HTTP",
                "target_type": "ip",
                "vpc_id": cluster.network.vpc_id,
                "deregistration_delay": spec.deregistration_delay_seconds,
                "health_check": {**TARGET_HEALTH_CHECK, "path": spec.health_check_path},
            },
            suffix=suffix,
        )
        for suffix in suffixes
    ]


def route(
    owner: GridopsComponent, spec: ServiceSpec, cluster: FargateCluster, priority: int
) -> Routing:
    sg = security_group(owner, spec, cluster)
    groups = target_groups(owner, spec, cluster)
    listener = cluster.listener
    scheme = "https" if cluster.redirects_http else "http"
    if spec.domain and spec.zone_id:
        certificate_arn = validated_certificate(owner, spec.domain, spec.zone_id)
        alias_record(owner, spec.domain, spec.zone_id, cluster.alb)
        listener, created = cluster.https_listener_for(certificate_arn)
        if not created:
            owner.child(
                "listener_certificate",
                aws.lb.ListenerCertificate,
                {"listener_arn": listener.arn, "certificate_arn": certificate_arn},
            )
        scheme = "https"
        if not cluster.redirects_http:
            owner.child(
                "http_redirect_rule",
                aws.lb.ListenerRule,
                {
                    "listener_arn": cluster.http_listener.arn,
                    "priority": priority,
                    "conditions": _conditions(spec, cluster),
                    "actions": [REDIRECT_TO_HTTPS_ACTION],
                },
                suffix="http-redirect",
            )
    if len(groups) == 1:
        actions = [{"type": "forward", "target_group_arn": groups[0].arn}]
        rule_opts = None
    else:
        actions = [
            {
                "type": "forward",
                "forward": {
                    "target_groups": [
                        {"arn": groups[0].arn, "weight": 100},
                        {"arn": groups[1].arn, "weight": 0},
                    ]
                },
            }
        ]
        # ECS moves the weights during each deployment; Pulumi must not move them back.
        rule_opts = pulumi.ResourceOptions(ignore_changes=["actions"])
    rule = owner.child(
        "listener_rule",
        aws.lb.ListenerRule,
        {
            "listener_arn": listener.arn,
            "priority": priority,
            "conditions": _conditions(spec, cluster),
            "actions": actions,
        },
        suffix="rule",
        opts=rule_opts,
    )
    return Routing(sg, groups, rule, _url(spec, cluster, scheme))


def _conditions(spec: ServiceSpec, cluster: FargateCluster) -> list[dict]:
    conditions: list[dict] = []
    if spec.hosts:
        conditions.append({"host_header": {"values": list(spec.hosts)}})
    if spec.path_patterns:
        conditions.append({"path_pattern": {"values": list(spec.path_patterns)}})
    if cluster.origin_verify_secret is not None:
        # Behind a CDN: only requests carrying CloudFront's secret header match.
        conditions.append(
            {
                "http_header": {
                    "http_header_name": ORIGIN_VERIFY_HEADER,
                    "values": [cluster.origin_verify_secret],
                }
            }
        )
    return conditions


def path_prefix(spec: ServiceSpec) -> str:
    """The fixed start of the first path pattern: `/api/*` -> `/api/`, `/*` -> ``."""
    if not spec.path_patterns:
        return ""
    first = spec.path_patterns[0]
    cut = min((i for i, c in enumerate(first) if c in "*?"), default=len(first))
    prefix = first[:cut]
    return "" if prefix == "/" else prefix


def _url(spec: ServiceSpec, cluster: FargateCluster, scheme: str) -> pulumi.Output[str]:
    prefix = path_prefix(spec)
    if spec.domain:
        return pulumi.Output.from_input(f"https://{spec.domain}{prefix}")
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    if plain_hosts:
        return pulumi.Output.from_input(f"{scheme}://{plain_hosts[0]}{prefix}")
    return cluster.url.apply(lambda base: f"{base}{prefix}")


__all__ = ["ROLES", "Routing", "path_prefix", "route"]
