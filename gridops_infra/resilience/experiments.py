"""The FIS target and action of each ResilienceDrills drill, as `aws.fis.ExperimentTemplate`
arguments (FIS actions reference and "Targets for AWS FIS")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from gridops_infra.resilience.targets import DrillPlan
from gridops_infra.service.eks.manifests import selector


@dataclass(frozen=True)
class DrillOptions:
    """The validated knobs every drill reads."""

    selection_mode: str
    """How many ECS tasks / EKS pods: ALL, COUNT(n) or PERCENT(n)."""
    redis_zone: str | None
    """The AZ whose cache nodes lose power; None: the network's first AZ."""
    redis_seconds: int
    """How long the cache AZ stays without power."""
    pod_grace_period_seconds: int | None
    """The grace period of deleted pods; None: each pod's own."""


@dataclass
class ExperimentParts:
    """What one drill's template is made of."""

    target_name: str
    target: dict[str, Any]
    action: dict[str, Any]
    description: str


def experiment_parts(
    plan: DrillPlan, options: DrillOptions, service_account: str | None = None
) -> ExperimentParts:
    target = plan.target
    target_name = f"{target.name}-{_TARGET_NOUN[plan.kind]}"
    if plan.kind == "ecs-stop-task":
        fis_target = {
            "name": target_name,
            "resource_type": "aws:ecs:task",
            "parameters": {
                "cluster": target.platform.cluster_name,
                "service": target.service_name,
            },
            "selection_mode": options.selection_mode,
        }
        action = _action(plan, "aws:ecs:stop-task", "Tasks", target_name, {})
        what = f"Stops {options.selection_mode} ECS task(s) of service '{target.name}' on Fargate"
    elif plan.kind == "eks-pod-delete":
        label, value = next(iter(selector(target.spec).items()))
        fis_target = {
            "name": target_name,
            "resource_type": "aws:eks:pod",
            "parameters": {
                "clusterIdentifier": target.platform.cluster_name,
                "namespace": target.kubernetes_namespace,
                "selectorType": "labelSelector",
                "selectorValue": f"{label}={value}",
            },
            "selection_mode": options.selection_mode,
        }
        params = {
            "kubernetesServiceAccount": service_account or "",
            # The namespace enforces the "restricted" Pod Security Standard.
            "fisPodSecurityPolicy": "restricted",
        }
        if options.pod_grace_period_seconds is not None:
            params["gracePeriodSeconds"] = str(options.pod_grace_period_seconds)
        action = _action(plan, "aws:eks:pod-delete", "Pods", target_name, params)
        what = f"Deletes {options.selection_mode} pod(s) of service '{target.name}' on EKS"
    elif plan.kind == "rds-reboot":
        fis_target = _by_arn(target_name, "aws:rds:db", target.primary.arn)
        action = _action(
            plan,
            "aws:rds:reboot-db-instances",
            "DBInstances",
            target_name,
            {"forceFailover": "true"},
        )
        what = f"Reboots the Multi-AZ primary of '{target.name}' with a forced failover"
    elif plan.kind == "aurora-failover":
        fis_target = _by_arn(target_name, "aws:rds:cluster", target.primary.arn)
        action = _action(plan, "aws:rds:failover-db-cluster", "Clusters", target_name, {})
        what = f"Fails the Aurora cluster '{target.name}' over to a reader"
    else:
        zone = options.redis_zone or target.settings.network.availability_zones[0]
        fis_target = _by_arn(
            target_name, "aws:elasticache:replicationgroup", target.replication_group.arn
        )
        fis_target["parameters"] = {"availabilityZoneIdentifier": zone}
        action = _action(
            plan,
            "aws:elasticache:replicationgroup-interrupt-az-power",
            "ReplicationGroups",
            target_name,
            {"duration": iso_duration(options.redis_seconds)},
        )
        what = (
            f"Cuts power to the nodes of cache '{target.name}' in {zone} for "
            f"{options.redis_seconds} s"
        )
    return ExperimentParts(target_name, fis_target, action, what)


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration FIS accepts, e.g. 600 -> PT10M, 90 -> PT1M30S."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


_TARGET_NOUN = {
    "ecs-stop-task": "tasks",
    "eks-pod-delete": "pods",
    "rds-reboot": "primary",
    "aurora-failover": "cluster",
    "redis-az": "group",
}


def _by_arn(name: str, resource_type: str, arn: pulumi.Input[str]) -> dict[str, Any]:
    return {
        "name": name,
        "resource_type": resource_type,
        "resource_arns": [arn],
        "selection_mode": "ALL",
    }


def _action(
    plan: DrillPlan, action_id: str, key: str, target_name: str, params: dict[str, str]
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "name": plan.key,
        "action_id": action_id,
        "target": {"key": key, "value": target_name},
    }
    if params:
        action["parameters"] = [{"key": k, "value": v} for k, v in sorted(params.items())]
    return action


__all__ = ["DrillOptions", "ExperimentParts", "experiment_parts", "iso_duration"]
