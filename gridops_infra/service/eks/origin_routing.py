"""How a StatelessService on an EksCluster behind a CloudFront VPC origin is reached: an
ip-type target group and a listener rule on the cluster's internal ALB, and a
`TargetGroupBinding` through which the load balancer controller registers the Pods.

The target group carries the `elbv2.k8s.aws/cluster` tag with the cluster's name: the
controller's IAM policy (platforms/eks/lbc_policy.py) lets it register and deregister
targets only in target groups tagged for its own cluster. On EKS Auto Mode it also carries
`eks:eks-cluster-name`, the tag AWS's AmazonEKSLoadBalancingPolicy scopes the managed
controller's RegisterTargets to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.eks.lbc_policy import TAG as CONTROLLER_CLUSTER_TAG
from gridops_infra.platforms.eks.origin_alb import OriginAlb
from gridops_infra.service.eks.manifests import (
    TARGET_GROUP_BINDING_KIND,
    Resolved,
    target_group_binding,
)
from gridops_infra.service.fargate.routing import TARGET_HEALTH_CHECK
from gridops_infra.service.spec.settings import ServiceSpec

AUTO_MODE_CLUSTER_TAG = "eks:eks-cluster-name"
ROLES = ("target_group", "listener_rule", "listener_certificate", "target_group_binding")


@dataclass(frozen=True)
class OriginRoute:
    """What the service's metrics, URL and alias record need from its route."""

    load_balancer: aws.lb.LoadBalancer
    target_group: aws.lb.TargetGroup
    binding: k8s.apiextensions.CustomResource


def origin_alb(cluster: EksCluster) -> OriginAlb:
    if cluster.origin_alb is None:
        raise ValueError(f"EksCluster '{cluster.name}' has no internal ALB (origin_access)")
    return cluster.origin_alb


def reserve_priority(spec: ServiceSpec, cluster: EksCluster) -> int | None:
    """The service's listener-rule priority on the internal ALB (`priority`, else the
    next free one; catch-alls last), or None when the cluster has no internal ALB."""
    if cluster.origin_alb is None:
        return None
    return cluster.origin_alb.priorities.reserve(
        spec.name, spec.hosts, spec.path_patterns, spec.priority
    )


def route(
    owner: GridopsComponent,
    spec: ServiceSpec,
    cluster: EksCluster,
    priority: int,
    certificate_arn: pulumi.Input[str] | None,
    pods: tuple[str, pulumi.Input[str]],
    ctx: pulumi.Output[Resolved],
    after: list[pulumi.Resource],
) -> OriginRoute:
    """The target group, the rule on the ALB's listener (created by the first service;
    a later service's certificate is added to it), the security-group pair letting the
    ALB reach the Pods' group (`pods`: its key and id) and the TargetGroupBinding, created
    once the Kubernetes Service and the controller exist (`after`)."""
    alb = origin_alb(cluster)
    target_group = owner.child(
        "target_group",
        aws.lb.TargetGroup,
        {
            "port": spec.port,
            "protocol": "HTTP",
            # Pods in the VPC CNI (and on Fargate) are addressed by IP.
            "target_type": "ip",
            "vpc_id": cluster.network.vpc_id,
            "deregistration_delay": spec.deregistration_delay_seconds,
            "health_check": {**TARGET_HEALTH_CHECK, "path": spec.health_check_path},
            "tags": _binding_tags(cluster),
        },
        suffix="tg",
    )
    listener, created = alb.listener_for(certificate_arn)
    if certificate_arn is not None and not created:
        owner.child(
            "listener_certificate",
            aws.lb.ListenerCertificate,
            {"listener_arn": listener.arn, "certificate_arn": certificate_arn},
        )
    conditions: list[dict[str, Any]] = []
    if spec.hosts:
        conditions.append({"host_header": {"values": list(spec.hosts)}})
    if spec.path_patterns or not spec.hosts:  # a rule needs one condition at least
        conditions.append({"path_pattern": {"values": list(spec.path_patterns or ("/*",))}})
    owner.child(
        "listener_rule",
        aws.lb.ListenerRule,
        {
            "listener_arn": listener.arn,
            "priority": priority,
            "conditions": conditions,
            "actions": [{"type": "forward", "target_group_arn": target_group.arn}],
        },
        suffix="rule",
    )
    alb.admit_targets(pods[0], pods[1], spec.port)
    api_version = cluster.load_balancing.target_group_binding_api_version
    manifest = pulumi.Output.all(ctx, target_group.arn).apply(
        lambda args: target_group_binding(spec, args[0], api_version, args[1])
    )
    binding = owner.child(
        "target_group_binding",
        k8s.apiextensions.CustomResource,
        {
            "api_version": api_version,
            "kind": TARGET_GROUP_BINDING_KIND,
            "metadata": manifest.apply(lambda m: m["metadata"]),
            "spec": manifest.apply(lambda m: m["spec"]),
        },
        suffix="target-group-binding",
        opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=after),
        tag=False,
    )
    return OriginRoute(alb.alb, target_group, binding)


def _binding_tags(cluster: EksCluster) -> dict[str, str]:
    """The tag the registering controller's IAM policy asks of the target group: the
    self-installed controller's `elbv2.k8s.aws/cluster`, or on Auto Mode also the
    `eks:eks-cluster-name` that AmazonEKSLoadBalancingPolicy scopes RegisterTargets to."""
    tags = {CONTROLLER_CLUSTER_TAG: cluster.physical_name}
    if cluster.load_balancing.controller == "eks-auto-mode":
        tags[AUTO_MODE_CLUSTER_TAG] = cluster.physical_name
    return tags


__all__ = ["ROLES", "OriginRoute", "reserve_priority", "route"]
