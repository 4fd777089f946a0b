"""Where EksCluster's pods run: managed node groups (on-demand, optional Spot) on one
hardened launch template, and Fargate profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.args import EksSettings, NodePool
from gridops_infra.platforms.eks.iam import FARGATE_POLICIES, NODE_POLICIES, fargate_trust, managed

SPOT_LABEL = "gridops.io/capacity"


@dataclass
class Compute:
    node_role: aws.iam.Role
    node_security_group: aws.ec2.SecurityGroup
    launch_template: aws.ec2.LaunchTemplate
    node_groups: list[aws.eks.NodeGroup]
    fargate_role: aws.iam.Role | None
    fargate_profiles: list[aws.eks.FargateProfile]


def node_security_group(c: GridopsComponent, settings: EksSettings) -> aws.ec2.SecurityGroup:
    """An identity for the nodes: no rules of its own (the EKS cluster security group,
    also on every node, carries node <-> control plane traffic and egress); linked
    resources (databases, caches) admit this group."""
    return c.child(
        "node_security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": settings.network.vpc_id,
            "description": f"Nodes of EKS cluster {c.name}: linked resources admit this group",
            "tags": {"Name": f"{c.name}-nodes"},
        },
        suffix="node-sg",
    )


def build_compute(
    c: GridopsComponent,
    settings: EksSettings,
    cluster: aws.eks.Cluster,
    cluster_name: str,
    node_sg: aws.ec2.SecurityGroup,
    region: str,
    account: str,
    ready_for_nodes: list[pulumi.Resource],
) -> Compute:
    node_role = c.child(
        "node_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy("ec2.amazonaws.com"),
            "description": f"EKS managed nodes of {c.name}",
        },
    )
    attachments = [
        c.child(
            "node_role_policy",
            aws.iam.RolePolicyAttachment,
            {"role": node_role.name, "policy_arn": arn},
            suffix=f"node-role-{i}",
        )
        for i, arn in enumerate(managed(NODE_POLICIES))
    ]
    template = _launch_template(c, settings, cluster, node_sg)
    depends = [*attachments, *ready_for_nodes]
    groups = [_node_group(c, settings, settings.on_demand, cluster, node_role, template, depends)]
    # With Karpenter, Spot capacity comes from its Spot NodePool, not a managed group.
    if settings.spot is not None and settings.node_autoscaler != "karpenter":
        groups.append(
            _node_group(c, settings, settings.spot, cluster, node_role, template, depends)
        )

    fargate_role = None
    profiles: list[aws.eks.FargateProfile] = []
    if settings.fargate_namespaces:
        fargate_role = c.child(
            "fargate_role",
            aws.iam.Role,
            {
                "assume_role_policy": fargate_trust(region, account, cluster_name),
                "description": f"Fargate pod execution role of EKS cluster {c.name}",
            },
        )
        fargate_attachments = [
            c.child(
                "fargate_role_policy",
                aws.iam.RolePolicyAttachment,
                {"role": fargate_role.name, "policy_arn": arn},
                suffix=f"fargate-role-{i}",
            )
            for i, arn in enumerate(managed(FARGATE_POLICIES))
        ]
        for namespace in settings.fargate_namespaces:
            profiles.append(
                c.child(
                    "fargate_profile",
                    aws.eks.FargateProfile,
                    {
                        "cluster_name": cluster.name,
                        "pod_execution_role_arn": fargate_role.arn,
                        "subnet_ids": settings.network.private_subnet_ids,
                        "selectors": [{"namespace": namespace}],
                    },
                    suffix=f"fargate-{namespace}",
                    opts=pulumi.ResourceOptions(depends_on=fargate_attachments),
                )
            )
    return Compute(node_role, node_sg, template, groups, fargate_role, profiles)


def _launch_template(
    c: GridopsComponent,
    settings: EksSettings,
    cluster: aws.eks.Cluster,
    node_sg: aws.ec2.SecurityGroup,
) -> aws.ec2.LaunchTemplate:
    """IMDSv2 only with a hop limit of 1 (pods cannot reach the node role's credentials;
    they get their own through Pod Identity), an encrypted gp3 root volume, and both the
    EKS cluster security group and the node group's identity group."""
    volume_tags = {**c.tags, "Name": f"{c.name}-node"}
    return c.child(
        "launch_template",
        aws.ec2.LaunchTemplate,
        {
            "description": f"Managed nodes of EKS cluster {c.name}",
            "update_default_version": True,
            "metadata_options": {
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": 1,
            },
            "block_device_mappings": [
                {
                    "device_name": "/dev/xvda",
                    "ebs": {
                        "volume_size": settings.disk_size_gib,
                        "volume_type": "gp3",
                        "encrypted": "true",
                        "delete_on_termination": "true",
                    },
                }
            ],
            "vpc_security_group_ids": [
                cluster.vpc_config.cluster_security_group_id,
                node_sg.id,
            ],
            "tag_specifications": [
                {"resource_type": "instance", "tags": volume_tags},
                {"resource_type": "volume", "tags": volume_tags},
            ],
        },
    )


def _node_group(
    c: GridopsComponent,
    settings: EksSettings,
    pool: NodePool,
    cluster: aws.eks.Cluster,
    node_role: aws.iam.Role,
    template: aws.ec2.LaunchTemplate,
    depends: list[pulumi.Resource],
) -> aws.eks.NodeGroup:
    spot = pool.capacity_type == "SPOT"
    args: dict[str, Any] = {
        "cluster_name": cluster.name,
        "node_role_arn": node_role.arn,
        "subnet_ids": settings.network.private_subnet_ids,
        "ami_type": settings.ami_type,
        "capacity_type": pool.capacity_type,
        "instance_types": list(pool.instance_types),
        "version": cluster.version,
        "scaling_config": {
            "min_size": pool.min_size,
            "desired_size": pool.desired_size,
            "max_size": pool.max_size,
        },
        "update_config": {"max_unavailable_percentage": 33},
        "launch_template": {"id": template.id, "version": template.latest_version.apply(str)},
        "node_repair_config": {"enabled": True},
        "labels": {SPOT_LABEL: "spot" if spot else "on-demand"},
    }
    if spot:
        args["taints"] = [{"key": SPOT_LABEL, "value": "spot", "effect": "NO_SCHEDULE"}]
    return c.child(
        "node_group",
        aws.eks.NodeGroup,
        args,
        suffix="spot-nodes" if spot else "nodes",
        # The node autoscaler owns the desired size once the group exists.
        opts=pulumi.ResourceOptions(
            depends_on=depends, ignore_changes=["scalingConfig.desiredSize"]
        ),
    )
