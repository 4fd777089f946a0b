"""IAM documents for EksCluster: trust policies for the cluster, its nodes, Fargate pods,
Pod Identity and IRSA, and the permission statements of the add-ons it installs.

Every document is plain JSON built with `gridops_infra.core.iam`, so the tests can run each
one through parliament.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi

from gridops_infra.core import iam

AWS_MANAGED = "arn:aws:iam::aws:policy/"
CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
# What the cluster role also needs so the VPC resource controller can create trunk and
# branch network interfaces (security groups for Pods).
POD_SECURITY_GROUP_CLUSTER_POLICIES = ("AmazonEKSVPCResourceController",)
# The documented minimum for managed nodes: join the cluster, pull from ECR. The CNI's
# own permissions sit on the vpc-cni add-on's IRSA role, not on every node.
NODE_POLICIES = ("AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly")
FARGATE_POLICIES = ("AmazonEKSFargatePodExecutionRolePolicy",)
# What an Auto Mode cluster role needs beyond AmazonEKSClusterPolicy: AWS launches nodes,
# EBS volumes, load balancers and network interfaces with it (auto-cluster-iam-role.html).
AUTO_MODE_CLUSTER_POLICIES = (
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
)
# Auto Mode's node role: the documented minimum, as on managed nodes (auto-create-node-role).
AUTO_MODE_NODE_POLICIES = NODE_POLICIES
CNI_POLICIES = ("AmazonEKS_CNI_Policy",)

POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"


def _doc(statements: Sequence[dict[str, Any]]) -> pulumi.Output[str]:
    doc = {"Version": "2012-10-17", "Statement": list(statements)}
    return pulumi.Output.from_input(doc).apply(lambda d: json.dumps(d, sort_keys=True))


def pod_identity_trust(
    cluster_name: pulumi.Input[str], namespace: str, service_account: str
) -> pulumi.Output[str]:
    """Trust for EKS Pod Identity, limited (through the session tags Pod Identity sets)
    to one service account of one namespace on one cluster, as the EKS guide shows."""
    return _doc(
        [
            {
                "Sid": "PodIdentity",
                "Effect": "Allow",
                "Principal": {"Service": POD_IDENTITY_PRINCIPAL},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": cluster_name,
                        "aws:RequestTag/kubernetes-namespace": namespace,
                        "aws:RequestTag/kubernetes-service-account": service_account,
                    }
                },
            }
        ]
    )


def irsa_trust(
    oidc_provider_arn: pulumi.Input[str],
    issuer_url: pulumi.Input[str],
    namespace: str,
    service_account: str,
) -> pulumi.Output[str]:
    """Trust for one service account's token, audience STS, through the cluster's OIDC
    provider: IRSA (a pod's projected token) and External Secrets' per-workload reader
    roles (a token ESO requests for the workload's reader ServiceAccount)."""

    def build(args: list[str]) -> str:
        provider_arn, issuer = args
        host = issuer.removeprefix("https://")
        st = {
            "Sid": "ServiceAccountToken",
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{host}:aud": "sts.amazonaws.com",
                    f"{host}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                }
            },
        }
        return json.dumps({"Version": "2012-10-17", "Statement": [st]}, sort_keys=True)

    return pulumi.Output.all(oidc_provider_arn, issuer_url).apply(build)


def role_trust(role_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """Trust for a role one operator role assumes (KEDA, for one queue's backlog): with
    the session tags its Pod Identity credentials carry (sts:TagSession). External
    Secrets' reader roles do not chain: they trust one ServiceAccount token (`irsa_trust`)."""
    return _doc(
        [
            {
                "Sid": "OperatorAssumes",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": list(CHAINED_ASSUME_ACTIONS),
            }
        ]
    )


def auto_mode_cluster_trust() -> str:
    """The Auto Mode cluster role's trust: EKS assumes it and tags its sessions (AWS
    tags what Auto Mode creates with the cluster's name through session tags)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, sort_keys=True)


def fargate_trust(region: str, account: str, cluster_name: str) -> str:
    """Trust for the Fargate pod execution role, limited to this cluster's profiles."""
    return iam.assume_role_policy(
        "eks-fargate-pods.amazonaws.com",
        source_arn=f"arn:aws:eks:{region}:{account}:fargateprofile/{cluster_name}/*",
    )


def cluster_kms_statements(key_arn: pulumi.Input[str]) -> list[dict[str, Any]]:
    """What the cluster role needs on the secrets-encryption key (envelope encryption)."""
    return [
        iam.statement(
            ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
            [key_arn],
            sid="SecretsEnvelopeEncryption",
        )
    ]


# EKS Pod Identity's session tags are transitive: an operator that assumes another role
# (KEDA) passes them on, which STS allows only with sts:TagSession on both sides.
CHAINED_ASSUME_ACTIONS = ["sts:AssumeRole", "sts:TagSession"]


def assume_path_statements(path_arn: str) -> list[dict[str, Any]]:
    """An operator (KEDA) may assume only the roles created for it under its own IAM path."""
    return [iam.statement(CHAINED_ASSUME_ACTIONS, [path_arn], sid="AssumeScopedRoles")]


def cluster_autoscaler_statements(
    region: str, account: str, cluster_name: str
) -> list[dict[str, Any]]:
    """Cluster Autoscaler, as the AWS guide scopes it: reads are account-wide (those
    actions have no resource-level permissions), writes only on the Auto Scaling groups
    EKS tagged as owned by this cluster."""
    return [
        iam.statement(
            [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            "*",  # Describe*/Get* on Auto Scaling and EC2 support no resource scoping
            sid="ReadNodeGroups",
        ),
        iam.statement(
            ["eks:DescribeNodegroup"],
            [f"arn:aws:eks:{region}:{account}:nodegroup/{cluster_name}/*"],
            sid="DescribeOwnNodegroups",
        ),
        iam.statement(
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            [f"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/*"],
            sid="ScaleOwnNodegroups",
            conditions={
                "StringEquals": {
                    f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned"
                }
            },
        ),
    ]


# Karpenter's nodes: as the managed nodes (eks_compute), plus Session Manager access
# in place of SSH. The CNI's permissions stay on the vpc-cni add-on's IRSA role.
# The same as the managed group's nodes: no Session Manager on nodes (Karpenter's guide
# adds it; kubectl debug reaches a node without opening another way in).
KARPENTER_NODE_POLICIES = NODE_POLICIES


def karpenter_controller_statements(
    region: str,
    account: str,
    cluster_name: str,
    node_role_arn: pulumi.Input[str],
    queue_arn: pulumi.Input[str],
    subnet_ids: Sequence[pulumi.Input[str]],
    security_group_ids: Sequence[pulumi.Input[str]],
) -> list[dict[str, Any]]:
    """The Karpenter v1 controller, scoped as the Karpenter guide's controller policy
    ("getting started with an existing cluster") scopes it, and tighter where AWS allows:
    instances, fleets and launch templates only when tagged as this cluster's and a
    NodePool's; only into the given subnets with the given security groups (by ARN);
    instance profiles only when tagged as this cluster's and an EC2NodeClass's, in this
    region; PassRole only for the node role, only to EC2."""
    ec2 = f"arn:aws:ec2:{region}:{account}"
    profiles = f"arn:aws:iam::{account}:instance-profile/*"
    owned = {f"aws:ResourceTag/kubernetes.io/cluster/{cluster_name}": "owned"}
    requested = {
        f"aws:RequestTag/kubernetes.io/cluster/{cluster_name}": "owned",
        "aws:RequestTag/eks:eks-cluster-name": cluster_name,
    }
    of_a_nodepool = {"aws:ResourceTag/karpenter.sh/nodepool": "*"}
    for_a_nodepool = {"aws:RequestTag/karpenter.sh/nodepool": "*"}
    launched = [
        f"{ec2}:{kind}/*"
        for kind in (
            "fleet",
            "instance",
            "volume",
            "network-interface",
            "launch-template",
            "spot-instances-request",
        )
    ]
    in_region = {"aws:ResourceTag/topology.kubernetes.io/region": region}
    of_a_nodeclass = {"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*"}
    return [
        iam.statement(
            ["ec2:RunInstances", "ec2:CreateFleet"],
            [f"arn:aws:ec2:{region}::image/*", f"arn:aws:ec2:{region}::snapshot/*"],
            sid="LaunchFromPublicImages",  # AMIs/snapshots are Amazon's: no account, no tag
        ),
        iam.statement(
            ["ec2:RunInstances", "ec2:CreateFleet"],
            [
                *(pulumi.Output.concat(f"{ec2}:subnet/", s) for s in subnet_ids),
                *(pulumi.Output.concat(f"{ec2}:security-group/", g) for g in security_group_ids),
            ],
            sid="LaunchIntoClusterNetwork",
        ),
        iam.statement(
            ["ec2:RunInstances", "ec2:CreateFleet"],
            [f"{ec2}:launch-template/*"],
            sid="LaunchFromOwnLaunchTemplates",
            conditions={"StringEquals": owned, "StringLike": of_a_nodepool},
        ),
        iam.statement(
            ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            launched,
            sid="CreateTaggedNodes",
            conditions={"StringEquals": requested, "StringLike": for_a_nodepool},
        ),
        iam.statement(
            ["ec2:CreateTags"],
            launched,
            sid="TagNodesOnCreation",
            conditions={
                "StringEquals": {
                    **requested,
                    "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                },
                "StringLike": for_a_nodepool,
            },
        ),
        iam.statement(
            ["ec2:CreateTags"],
            [f"{ec2}:instance/*"],
            sid="NameOwnNodes",
            conditions={
                "StringEquals": owned,
                "StringLike": of_a_nodepool,
                "StringEqualsIfExists": {"aws:RequestTag/eks:eks-cluster-name": cluster_name},
                "ForAllValues:StringEquals": {
                    "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"]
                },
            },
        ),
        iam.statement(
            ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            [f"{ec2}:instance/*", f"{ec2}:launch-template/*"],
            sid="DeleteOwnNodes",
            conditions={"StringEquals": owned, "StringLike": of_a_nodepool},
        ),
        iam.statement(
            [
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeCapacityReservations",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypeOfferings",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeInstances",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSpotPriceHistory",
                "ec2:DescribeSubnets",
            ],
            "*",  # EC2 Describe* support no resource scoping; held to this region instead
            sid="DescribeRegion",
            conditions={"StringEquals": {"aws:RequestedRegion": region}},
        ),
        iam.statement(
            ["ssm:GetParameter"],
            # The public parameters the AL2023 AMI alias resolves through.
            [f"arn:aws:ssm:{region}::parameter/aws/service/eks/optimized-ami/*"],
            sid="ResolveAmiAlias",
        ),
        iam.statement(
            ["pricing:GetProducts"],
            "*",  # the Price List API has no resources to scope to
            sid="ReadPrices",
        ),
        iam.statement(
            [
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage",
            ],
            [queue_arn],
            sid="ReadInterruptionQueue",
        ),
        iam.statement(
            ["iam:PassRole"],
            [node_role_arn],
            sid="PassNodeRole",
            conditions={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        ),
        iam.statement(
            ["iam:CreateInstanceProfile"],
            [profiles],
            sid="CreateOwnInstanceProfiles",
            conditions={
                "StringEquals": {
                    **requested,
                    "aws:RequestTag/topology.kubernetes.io/region": region,
                },
                "StringLike": {"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*"},
            },
        ),
        iam.statement(
            ["iam:TagInstanceProfile"],
            [profiles],
            sid="TagOwnInstanceProfiles",
            conditions={
                "StringEquals": {
                    **owned,
                    **in_region,
                    **requested,
                    "aws:RequestTag/topology.kubernetes.io/region": region,
                },
                "StringLike": {
                    **of_a_nodeclass,
                    "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
                },
            },
        ),
        iam.statement(
            [
                "iam:AddRoleToInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
            ],
            [profiles],
            sid="ManageOwnInstanceProfiles",
            conditions={"StringEquals": {**owned, **in_region}, "StringLike": of_a_nodeclass},
        ),
        iam.statement(["iam:GetInstanceProfile"], [profiles], sid="ReadInstanceProfiles"),
        iam.statement(
            ["iam:ListInstanceProfiles"],
            # The profile garbage collector lists them. Karpenter's reference policy grants
            # this unscoped (AllowUnscopedInstanceProfileListAction), and the authorization
            # tables disagree on whether the action takes a resource.
            "*",
            sid="ListInstanceProfiles",
        ),
        iam.statement(
            ["eks:DescribeCluster"],
            [f"arn:aws:eks:{region}:{account}:cluster/{cluster_name}"],
            sid="FindApiEndpoint",
        ),
    ]


def managed(names: Sequence[str]) -> list[str]:
    return [AWS_MANAGED + n for n in names]
