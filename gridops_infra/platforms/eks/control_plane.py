"""EksCluster's control plane: the secrets key, the log group (created before the
cluster, with a retention), the cluster role, the cluster itself and its access entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.args import EksSettings
from gridops_infra.platforms.eks.catalog import AUTO_MODE_NODE_POOLS
from gridops_infra.platforms.eks.iam import (
    AUTO_MODE_CLUSTER_POLICIES,
    AUTO_MODE_NODE_POLICIES,
    CLUSTER_POLICIES,
    POD_SECURITY_GROUP_CLUSTER_POLICIES,
    auto_mode_cluster_trust,
    cluster_kms_statements,
    managed,
)

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"


@dataclass
class ControlPlane:
    cluster: aws.eks.Cluster
    secrets_key: aws.kms.Key
    log_group: aws.cloudwatch.LogGroup
    role: aws.iam.Role
    kms_policy: pulumi.Output[str]
    """The cluster role's inline policy on the secrets key (JSON)."""
    node_role: aws.iam.Role | None = None
    """Auto Mode: the role AWS gives the nodes it launches; None otherwise."""


def build_control_plane(c: GridopsComponent, s: EksSettings, cluster_name: str) -> ControlPlane:
    key = c.child(
        "secrets_key",
        aws.kms.Key,
        {
            "description": f"Envelope encryption of Kubernetes secrets, EKS cluster {c.name}",
            "enable_key_rotation": True,
            "deletion_window_in_days": 30,
        },
    )
    c.child(
        "secrets_key_alias",
        aws.kms.Alias,
        {"name": f"alias/eks/{cluster_name}", "target_key_id": key.key_id},
    )
    # Created first: EKS would otherwise create it itself, keeping logs forever.
    log_group = c.child(
        "log_group",
        aws.cloudwatch.LogGroup,
        {"name": f"/aws/eks/{cluster_name}/cluster", "retention_in_days": s.log_retention_days},
        suffix="logs",
    )
    role = c.child(
        "cluster_role",
        aws.iam.Role,
        {
            "assume_role_policy": (
                auto_mode_cluster_trust()
                if s.auto_mode
                else iam.assume_role_policy("eks.amazonaws.com")
            ),
            "description": f"EKS control plane of {c.name}",
        },
    )
    ready: list[pulumi.Resource] = [log_group]
    policies = CLUSTER_POLICIES
    if s.auto_mode:
        policies += AUTO_MODE_CLUSTER_POLICIES
    if s.pod_security_groups:
        policies += POD_SECURITY_GROUP_CLUSTER_POLICIES
    for i, arn in enumerate(managed(policies)):
        ready.append(
            c.child(
                "cluster_role_policy",
                aws.iam.RolePolicyAttachment,
                {"role": role.name, "policy_arn": arn},
                suffix=f"cluster-role-{i}",
            )
        )
    kms_policy = iam.policy_document(cluster_kms_statements(key.arn))
    ready.append(
        c.child(
            "cluster_role_kms_policy",
            aws.iam.RolePolicy,
            {"role": role.name, "policy": kms_policy},
            suffix="cluster-role-kms",
        )
    )
    vpc_config: dict[str, Any] = {
        "subnet_ids": s.network.private_subnet_ids,
        "endpoint_private_access": True,
        "endpoint_public_access": bool(s.public_access_cidrs),
    }
    if s.public_access_cidrs:
        vpc_config["public_access_cidrs"] = list(s.public_access_cidrs)
    node_role = _auto_mode_node_role(c, ready) if s.auto_mode else None
    cluster = c.child(
        "cluster",
        aws.eks.Cluster,
        {
            **(_auto_mode_config(node_role) if node_role is not None else {}),
            "name": cluster_name,
            "version": s.kubernetes_version,
            "role_arn": role.arn,
            "vpc_config": vpc_config,
            "access_config": {
                "authentication_mode": "API",
                "bootstrap_cluster_creator_admin_permissions": s.creator_admin,
            },
            "encryption_config": {"provider": {"key_arn": key.arn}, "resources": ["secrets"]},
            "enabled_cluster_log_types": list(LOG_TYPES),
            "bootstrap_self_managed_addons": False,
            "upgrade_policy": {"support_type": s.support_type},
            "deletion_protection": s.deletion_protection,
            "kubernetes_network_config": (
                {"ip_family": "ipv4", "elastic_load_balancing": {"enabled": True}}
                if s.auto_mode
                else {"ip_family": "ipv4"}
            ),
        },
        opts=pulumi.ResourceOptions(depends_on=ready),
    )
    return ControlPlane(cluster, key, log_group, role, kms_policy, node_role)


def _auto_mode_node_role(c: GridopsComponent, ready: list[pulumi.Resource]) -> aws.iam.Role:
    """The role Auto Mode's nodes carry (join the cluster, pull from ECR). EKS creates the
    node role's access entry (type EC2) itself when the compute config names it, so none
    is declared here: a second one would be refused as already existing."""
    role = c.child(
        "node_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy("ec2.amazonaws.com"),
            "description": f"EKS Auto Mode nodes of {c.name}",
        },
    )
    for i, arn in enumerate(managed(AUTO_MODE_NODE_POLICIES)):
        ready.append(
            c.child(
                "node_role_policy",
                aws.iam.RolePolicyAttachment,
                {"role": role.name, "policy_arn": arn},
                suffix=f"node-role-{i}",
            )
        )
    return role


def _auto_mode_config(node_role: aws.iam.Role) -> dict[str, Any]:
    """Auto Mode's three capabilities, enabled together as AWS requires: compute (the
    built-in NodePools, nodes carrying `node_role`), block storage and (in
    `kubernetes_network_config`) load balancing."""
    return {
        "compute_config": {
            "enabled": True,
            "node_pools": list(AUTO_MODE_NODE_POOLS),
            "node_role_arn": node_role.arn,
        },
        "storage_config": {"block_storage": {"enabled": True}},
    }


def admin_access_entries(
    c: GridopsComponent, cluster: aws.eks.Cluster, role_arns: tuple[str, ...]
) -> list[aws.eks.AccessPolicyAssociation]:
    """One access entry per admin role, associated with AmazonEKSClusterAdminPolicy on
    the whole cluster (access entries replace the aws-auth ConfigMap)."""
    done: list[aws.eks.AccessPolicyAssociation] = []
    for i, arn in enumerate(role_arns):
        entry = c.child(
            "access_entry",
            aws.eks.AccessEntry,
            {"cluster_name": cluster.name, "principal_arn": arn, "type": "STANDARD"},
            suffix=f"admin-{i}",
        )
        done.append(
            c.child(
                "access_policy",
                aws.eks.AccessPolicyAssociation,
                {
                    "cluster_name": cluster.name,
                    "principal_arn": entry.principal_arn,
                    "policy_arn": CLUSTER_ADMIN_POLICY,
                    "access_scope": {"type": "cluster"},
                },
                suffix=f"admin-{i}-policy",
            )
        )
    return done
