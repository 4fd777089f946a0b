"""The IAM roles FIS assumes to run ResilienceDrills' experiments: one role per drill,
trusted by FIS experiments of this account and region only, allowed exactly the actions the
FIS actions reference lists for that drill, on that drill's resources.

Where an action cannot name a resource, the statement says so and why (`"*"` is what IAM
requires there, not a shortcut).
"""

from __future__ import annotations

from typing import Any

import pulumi

from gridops_infra.core import iam
from gridops_infra.resilience.targets import DrillPlan

FIS_PRINCIPAL = "fis.amazonaws.com"

# FIS resolves targets through the Resource Groups Tagging API for every action used here
# (the actions reference lists it); GetResources has no resource-level permissions.
RESOLVE_TARGETS = iam.statement(["tag:GetResources"], "*", sid="ResolveTargets")

# Experiment logging to CloudWatch Logs is a vended log delivery: FIS creates the delivery
# and the log group's resource policy as the experiment role. None of these four actions
# supports resource-level permissions (FIS docs, "Experiment logging permissions").
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:PutResourcePolicy",
)


def trust_policy(region: str, account: str) -> str:
    """Only FIS experiments in this account and region may assume the role (the
    confused-deputy guard FIS documents: aws:SourceAccount and aws:SourceArn)."""
    return iam.assume_role_policy(
        FIS_PRINCIPAL,
        source_account=account,
        source_arn=f"arn:aws:fis:{region}:{account}:experiment/*",
    )


def drill_statements(plan: DrillPlan, region: str, account: str) -> list[dict[str, Any]]:
    """What FIS needs to run this drill's action on its target, scoped to the target."""
    target = plan.target
    if plan.kind == "ecs-stop-task":
        platform = target.platform
        # Task ARNs carry the cluster name, not the service: the cluster's tasks are the
        # narrowest resource IAM can name; the experiment target narrows to the service.
        tasks = pulumi.Output.concat(
            f"arn:aws:ecs:{region}:{account}:task/", platform.cluster_name, "/*"
        )
        return [
            iam.statement(["ecs:DescribeTasks", "ecs:StopTask"], [tasks], sid="StopServiceTasks"),
            # ListTasks authorizes against container instances, which Fargate has none of:
            # IAM needs "*" here, held to this cluster by the ecs:cluster condition.
            iam.statement(
                ["ecs:ListTasks"],
                "*",
                sid="ListClusterTasks",
                conditions={"ArnEquals": {"ecs:cluster": platform.cluster_arn}},
            ),
            RESOLVE_TARGETS,
        ]
    if plan.kind == "eks-pod-delete":
        platform = target.platform
        return [
            iam.statement(["eks:DescribeCluster"], [platform.cluster_arn], sid="DescribeCluster"),
            # DescribeSubnets (FIS maps pods to AZs by subnet CIDR) has no resource-level
            # permissions: IAM requires "*".
            iam.statement(["ec2:DescribeSubnets"], "*", sid="DescribeSubnets"),
            RESOLVE_TARGETS,
        ]
    if plan.kind == "rds-reboot":
        return [
            iam.statement(
                ["rds:DescribeDBInstances", "rds:RebootDBInstance"],
                [target.primary.arn],
                sid="FailOverPrimary",
            ),
            RESOLVE_TARGETS,
        ]
    if plan.kind == "aurora-failover":
        return [
            iam.statement(
                ["rds:DescribeDBClusters", "rds:FailoverDBCluster"],
                [target.primary.arn],
                sid="FailOverCluster",
            ),
            RESOLVE_TARGETS,
        ]
    return [
        iam.statement(
            ["elasticache:DescribeReplicationGroups", "elasticache:InterruptClusterAzPower"],
            [target.replication_group.arn],
            sid="InterruptCacheAz",
        ),
        RESOLVE_TARGETS,
    ]


def logging_statement() -> dict[str, Any]:
    return iam.statement(list(LOG_DELIVERY_ACTIONS), "*", sid="DeliverExperimentLogs")


__all__ = [
    "FIS_PRINCIPAL",
    "LOG_DELIVERY_ACTIONS",
    "drill_statements",
    "logging_statement",
    "trust_policy",
]
