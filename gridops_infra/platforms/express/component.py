"""ExpressCluster: an ECS cluster whose services run in ECS Express Mode."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.alarm_topic import ROLES as ALARM_TOPIC_ROLES
from gridops_infra.core.alarm_topic import build_alarm_topic
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.validation import ArgReader
from gridops_infra.network.component import Network
from gridops_infra.platforms.base import PlatformKind
from gridops_infra.platforms.express.args import (
    ENDPOINTS,
    INFRASTRUCTURE_POLICY,
    ExpressClusterArgs,
    check_cluster_name,
    check_zones,
)


class ExpressCluster(GridopsComponent):
    """An ECS cluster (Container Insights on, FARGATE and FARGATE_SPOT capacity providers)
    for ECS Express Mode services, and the infrastructure role ECS assumes to build what
    each service needs.

    A StatelessService on it becomes one `aws.ecs.ExpressGatewayService`: ECS creates
    and owns the task definition, the Application Load Balancer it shares between up to
    25 services of the same network (one listener rule per service, matched on its host
    name), an HTTPS endpoint on an AWS-provided domain with its ACM certificate, the
    target group, the load balancer's security group, a canary deployment with alarms
    that roll back a bad revision, and target-tracking autoscaling. gridops creates the
    rest and keeps it least-privilege: the execution role (image pull, logs, only the
    referenced secrets), the task role (only what links and `task_statements` grant),
    the log group, and each service's own task security group, which linked databases,
    caches and queues admit exactly as on a FargateCluster.

    What Express Mode decides, not the spec (see the ExpressCluster API page): tasks run on X86_64
    with a writable root filesystem, deployments are ECS's canary with its own rollback
    alarms, and the load balancer's health check, deregistration delay and scaling
    cooldowns are ECS's defaults. A spec that sets any of these is refused, naming the
    field and pointing to FargateCluster, which builds every one of them.

    Express Mode itself costs nothing extra: the bill is the Fargate tasks, the share of
    the load balancer and the logs.

    Example: `ExpressCluster("prod", {"network": net})`
    """

    TYPE = "gridops:aws:ExpressCluster"
    CHILD_ROLES = (
        "cluster",
        "capacity_providers",
        "infrastructure_role",
        "infrastructure_policy",
        *ALARM_TOPIC_ROLES,
    )
    kind: PlatformKind = "express"
    """Services on this platform are built by the `"express"` backend."""

    network: Network
    """The Network the cluster and its services run in."""
    cluster: aws.ecs.Cluster
    """The ECS cluster."""
    cluster_name: pulumi.Output[str]
    """The ECS cluster's name (the `ClusterName` metric dimension)."""
    cluster_arn: pulumi.Output[str]
    """The ECS cluster's ARN."""
    capacity_providers: aws.ecs.ClusterCapacityProviders
    """FARGATE and FARGATE_SPOT, associated with the cluster (services wait for it)."""
    infrastructure_role: aws.iam.Role
    """The role ECS assumes to create and manage each Express service's load balancer,
    certificate, security groups and autoscaling (the AWS managed policy
    `AmazonECSInfrastructureRoleforExpressGatewayServices`)."""
    infrastructure_role_arn: pulumi.Output[str]
    """The infrastructure role's ARN."""
    infrastructure_policy: aws.iam.RolePolicyAttachment
    """The managed policy's attachment (services wait for it, and outlive it on delete)."""
    endpoint: str
    """`"public"` (internet-facing load balancer) or `"internal"`."""
    subnet_ids: pulumi.Output[list[str]]
    """The subnets services run in: the public ones for `"public"`, else the private."""
    behind_cdn: bool = False
    """Always false: ECS owns the load balancer's security group, so nothing can admit
    only CloudFront (a CdnFrontend in front of an Express service says so)."""
    origin_verify_secret: None = None
    """No origin secret: the Express API sets no listener-rule header conditions."""
    alarm_topic: aws.sns.Topic
    """The encrypted SNS topic this platform's own alarms, and those of the components
    running on it, notify."""
    alarm_topic_arn: pulumi.Output[str]
    """The ARN of `alarm_topic`."""

    def __init__(
        self,
        name: str,
        args: ExpressClusterArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_cluster_name(name)
        a = ArgReader("ExpressCluster", name, args, ExpressClusterArgs.__annotations__)
        network = a.instance_of("network", (Network,))
        check_zones(a, network)
        endpoint = a.choice("endpoint", "public", ENDPOINTS)
        insights = a.choice("container_insights", "enabled", ("enabled", "enhanced"))
        transforms = check_transforms("ExpressCluster", name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))

        self.network = network
        self.endpoint = endpoint
        subnets = network.public_subnet_ids if endpoint == "public" else network.private_subnet_ids
        self.subnet_ids = pulumi.Output.from_input(subnets)
        self.cluster = self.child(
            "cluster",
            aws.ecs.Cluster,
            {"settings": [{"name": "containerInsights", "value": insights}]},
        )
        self.cluster_name = self.cluster.name
        self.cluster_arn = self.cluster.arn
        self.capacity_providers = self.child(
            "capacity_providers",
            aws.ecs.ClusterCapacityProviders,
            {
                "cluster_name": self.cluster.name,
                "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
                "default_capacity_provider_strategies": [
                    {"capacity_provider": "FARGATE", "weight": 1, "base": 0}
                ],
            },
        )
        self.infrastructure_role = self.child(
            "infrastructure_role",
            aws.iam.Role,
            {
                "assume_role_policy": iam.assume_role_policy(
                    "ecs.amazonaws.com", source_account=iam.account_id()
                ),
                "description": f"ECS builds the load balancer, certificate, security groups "
                f"and autoscaling of the Express services on {name}",
            },
            suffix="infra-role",
        )
        self.infrastructure_role_arn = self.infrastructure_role.arn
        self.infrastructure_policy = self.child(
            "infrastructure_policy",
            aws.iam.RolePolicyAttachment,
            {
                "role": self.infrastructure_role.name,
                "policy_arn": f"arn:aws:iam::aws:policy/service-role/{INFRASTRUCTURE_POLICY}",
            },
            suffix="infra-policy",
        )
        self.alarm_topic = build_alarm_topic(self, f"ExpressCluster {name}")
        self.alarm_topic_arn = self.alarm_topic.arn
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "cluster_arn": self.cluster_arn,
                "infrastructure_role_arn": self.infrastructure_role_arn,
                "alarm_topic_arn": self.alarm_topic_arn,
                "endpoint": endpoint,
                "subnet_ids": self.subnet_ids,
            }
        )


__all__ = ["ExpressCluster", "ExpressClusterArgs"]
