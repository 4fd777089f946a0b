"""The Amazon ECS Managed Instances capacity provider of a FargateCluster: the instances'
security group, their instance role and profile, the infrastructure role ECS assumes to
launch them, and the capacity provider itself.

IAM, least privilege:
- the instance role carries only AWS's `AmazonECSInstanceRolePolicyForManagedInstances`
  (register with the cluster, the agent's calls); tasks get their own task roles;
- the infrastructure role, trusted by ECS in this account and Region only, carries AWS's
  `AmazonECSInfrastructureRolePolicyForManagedInstances` (launch, tag and retire the
  instances) and may pass exactly the instance role, to EC2 only. The managed policy passes
  roles named `ecsInstanceRole*`, so the instance role is named that way too: AWS documents
  that a differently named role fails at task launch under the managed policy alone.

The instances sit in the private subnets; their group admits nothing and sends HTTPS out
(the ECS agent, ECR and the logs endpoints); tasks keep their own groups (awsvpc).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.fargate.capacity import ManagedInstances

ROLES = (
    "instances_security_group",
    "instances_egress_rule",
    "instance_role",
    "instance_role_policy",
    "instance_profile",
    "infrastructure_role",
    "infrastructure_role_policy",
    "infrastructure_pass_role_policy",
    "managed_instances",
)
INSTANCE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances"
INFRASTRUCTURE_POLICY_ARN = (
    "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"
)
INSTANCE_ROLE_PREFIX = "ecsInstanceRole-"
# IAM allows a 38-character name_prefix (64 with the 26 random characters Pulumi adds).
MAX_ROLE_PREFIX = 38


@dataclass(frozen=True)
class ManagedInstancesCapacity:
    """What services need from the capacity provider."""

    provider: aws.ecs.CapacityProvider
    name: pulumi.Output[str]
    instance_role: aws.iam.Role
    infrastructure_role: aws.iam.Role
    pass_role_document: pulumi.Output[str]
    security_group: aws.ec2.SecurityGroup


def instance_role_prefix(cluster_name: str) -> str:
    return (INSTANCE_ROLE_PREFIX + cluster_name)[: MAX_ROLE_PREFIX - 1] + "-"


def build_managed_instances(
    owner: GridopsComponent,
    settings: ManagedInstances,
    *,
    cluster: aws.ecs.Cluster,
    vpc_id: pulumi.Input[str],
    subnet_ids: pulumi.Input[list[str]],
) -> ManagedInstancesCapacity:
    name = owner.name
    sg = owner.child(
        "instances_security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": vpc_id,
            "description": f"ECS Managed Instances of {name}: nothing in, HTTPS out",
            "tags": {"Name": f"{name}-instances"},
        },
        suffix="instances-sg",
    )
    owner.child(
        "instances_egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        {
            "security_group_id": sg.id,
            "ip_protocol": "tcp",
            "from_port": 443,
            "to_port": 443,
            "cidr_ipv4": "0.0.0.0/0",
            "description": "ECS agent, ECR image pulls and logs over HTTPS",
        },
        suffix="instances-out-443",
    )

    instance_role = owner.child(
        "instance_role",
        aws.iam.Role,
        {
            "name_prefix": instance_role_prefix(name),
            "assume_role_policy": iam.assume_role_policy("ec2.amazonaws.com"),
            "description": f"ECS Managed Instances of {name}: register with the cluster",
        },
    )
    owner.child(
        "instance_role_policy",
        aws.iam.RolePolicyAttachment,
        {"role": instance_role.name, "policy_arn": INSTANCE_POLICY_ARN},
    )
    profile = owner.child(
        "instance_profile",
        aws.iam.InstanceProfile,
        {"role": instance_role.name},
    )

    account = iam.account_id()
    infrastructure_role = owner.child(
        "infrastructure_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy(
                "ecs.amazonaws.com",
                source_account=account,
                source_arn=f"arn:aws:ecs:{iam.region_name()}:{account}:*",
            ),
            "description": f"ECS launches and retires the Managed Instances of {name}",
        },
    )
    managed_policy = owner.child(
        "infrastructure_role_policy",
        aws.iam.RolePolicyAttachment,
        {"role": infrastructure_role.name, "policy_arn": INFRASTRUCTURE_POLICY_ARN},
    )
    pass_role_document = iam.policy_document(
        [
            iam.statement(
                ["iam:PassRole"],
                instance_role.arn,
                sid="PassTheInstanceRoleToEc2",
                conditions={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
            )
        ]
    )
    pass_role = owner.child(
        "infrastructure_pass_role_policy",
        aws.iam.RolePolicy,
        {"role": infrastructure_role.id, "policy": pass_role_document},
    )

    provider = owner.child(
        "managed_instances",
        aws.ecs.CapacityProvider,
        {
            "cluster": cluster.name,
            "managed_instances_provider": {
                "infrastructure_role_arn": infrastructure_role.arn,
                "propagate_tags": "CAPACITY_PROVIDER",
                "instance_launch_template": {
                    "ec2_instance_profile_arn": profile.arn,
                    "network_configuration": {
                        "subnets": subnet_ids,
                        "security_groups": [sg.id],
                    },
                    "storage_configuration": {"storage_size_gib": settings.storage_gib},
                    "instance_requirements": settings.requirements(),
                    "monitoring": "BASIC",
                },
            },
        },
        # ECS validates the role when the provider is created: it must already work.
        opts=pulumi.ResourceOptions(depends_on=[managed_policy, pass_role]),
    )
    return ManagedInstancesCapacity(
        provider=provider,
        name=provider.name,
        instance_role=instance_role,
        infrastructure_role=infrastructure_role,
        pass_role_document=pass_role_document,
        security_group=sg,
    )


__all__ = [
    "INFRASTRUCTURE_POLICY_ARN",
    "INSTANCE_POLICY_ARN",
    "ROLES",
    "ManagedInstancesCapacity",
    "build_managed_instances",
    "instance_role_prefix",
]
