"""Security groups for Pods on EKS: what a SecurityGroupPolicy needs from the rest of the
Plan (the cluster's settings, the groups it lists). EksCluster and the EKS backends build
all of it; these rules catch what transforms or hand-written resources undo."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules.eks_pod_security_groups import (
    CLUSTER_GROUP_IN_POLICY,
    RESOURCE_CONTROLLER_POLICY,
)
from gridops_infra.policy._props import UNKNOWN, as_list, get, of_type, parse_json, peek, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule

SECURITY_GROUP_POLICY = "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy"
CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
CONTROLLER_POLICY = "AmazonEKSVPCResourceController"


def _pod_eni_enabled(addons: list[Any]) -> bool | None:
    """Whether the vpc-cni add-on sets ENABLE_POD_ENI=true; None when unknown."""
    for addon in addons:
        if peek(addon.props, "addonName") != "vpc-cni":
            continue
        raw = peek(addon.props, "configurationValues")
        if raw is UNKNOWN:
            return None
        config = parse_json(raw) or {}
        return text(get(config, "env", "ENABLE_POD_ENI")).lower() == "true"
    return False


@stack_rule(
    name="eks-pod-security-groups-enabled",
    description="A SecurityGroupPolicy on a cluster with EC2 nodes has what the VPC resource "
    "controller needs: AmazonEKSVPCResourceController on a role and ENABLE_POD_ENI=true on "
    "the vpc-cni add-on (else its Pods never get their branch interfaces and stay pending).",
    severity=MANDATORY,
    remediation="Create the EksCluster with pod_security_groups=True (the default) and keep "
    "its cluster_role_policy and vpc-cni add-on configuration untransformed.",
    types=(SECURITY_GROUP_POLICY, NODE_GROUP, ADDON, ATTACHMENT),
    aws_rule=RESOURCE_CONTROLLER_POLICY.id,
)
def pod_security_groups_enabled(args: Any, report: ReportViolation) -> None:
    policies = of_type(args.resources, SECURITY_GROUP_POLICY)
    if not policies or not of_type(args.resources, NODE_GROUP):
        return
    missing = []
    arns = [peek(a.props, "policyArn") for a in of_type(args.resources, ATTACHMENT)]
    if not any(isinstance(arn, str) and arn.endswith(f"/{CONTROLLER_POLICY}") for arn in arns):
        missing.append(f"no role has {CONTROLLER_POLICY}")
    if _pod_eni_enabled(of_type(args.resources, ADDON)) is False:
        missing.append("the vpc-cni add-on does not set ENABLE_POD_ENI=true")
    if missing:
        for policy in policies:
            report(f"SecurityGroupPolicy {policy.name!r}: {'; '.join(missing)}.", policy.urn)


@stack_rule(
    name="eks-pod-security-group-policy-lists-cluster-group",
    description="Every SecurityGroupPolicy lists the EKS cluster security group, so its Pods "
    "keep reaching CoreDNS and (on Fargate) the control plane and the kubelet's probes "
    "keep reaching them.",
    severity=MANDATORY,
    remediation="Keep the cluster security group in spec.securityGroups.groupIds (gridops "
    "lists it next to the workload's own group).",
    types=(SECURITY_GROUP_POLICY, CLUSTER),
    aws_rule=CLUSTER_GROUP_IN_POLICY.id,
)
def policy_lists_cluster_group(args: Any, report: ReportViolation) -> None:
    cluster_groups = set()
    for cluster in of_type(args.resources, CLUSTER):
        group = peek(cluster.props, "vpcConfig", "clusterSecurityGroupId")
        if group is UNKNOWN:
            return  # not known before the first deploy: nothing to compare with
        if isinstance(group, str) and group:
            cluster_groups.add(group)
    if not cluster_groups:
        return
    for policy in of_type(args.resources, SECURITY_GROUP_POLICY):
        groups = peek(policy.props, "spec", "securityGroups", "groupIds")
        if groups is UNKNOWN or any(g is UNKNOWN for g in as_list(groups)):
            continue
        if not cluster_groups & {text(g) for g in as_list(groups)}:
            report(
                f"SecurityGroupPolicy {policy.name!r} gives its Pods {as_list(groups)} without "
                "the cluster security group: no DNS, no kubelet probes.",
                policy.urn,
            )
