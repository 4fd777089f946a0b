"""IAM documents for EksCluster: trust policies for the cluster, its nodes, Fargate pods,
Pod Identity and IRSA, and the permission statements of the add-ons it installs.

Every document is plain JSON built with `gridops_infra.iam`, so the tests can run each
one through parliament.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi

from .. import iam

AWS_MANAGED = "arn:aws:iam::aws:policy/"
CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
# The documented minimum for managed nodes: join the cluster, pull from ECR. The CNI's
# own permissions sit on the vpc-cni add-on's IRSA role, not on every node.
NODE_POLICIES = ("AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly")
FARGATE_POLICIES = ("AmazonEKSFargatePodExecutionRolePolicy",)
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
    """Trust for IAM Roles for Service Accounts: one service account's projected token,
    audience STS, through the cluster's OIDC provider."""

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
    """Trust for a role one operator role assumes (External Secrets, KEDA)."""
    return _doc(
        [
            {
                "Sid": "OperatorAssumes",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": "sts:AssumeRole",
            }
        ]
    )


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


def assume_path_statements(path_arn: str) -> list[dict[str, Any]]:
    """An operator may assume only the roles created for it under its own IAM path."""
    return [iam.statement(["sts:AssumeRole"], [path_arn], sid="AssumeScopedRoles")]


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


def managed(names: Sequence[str]) -> list[str]:
    return [AWS_MANAGED + n for n in names]
