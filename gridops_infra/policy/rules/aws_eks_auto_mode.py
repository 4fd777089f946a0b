"""AWS's own rules for EKS Auto Mode clusters and what runs on them (catalogue:
`gridops_infra.core.aws_rules.eks`). EksCluster(compute="auto-mode") builds all of it;
these rules catch what a transform or a hand-written resource undoes."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import (
    UNKNOWN,
    as_list,
    of_type,
    parse_json,
    peek,
    refers_to,
    text,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

CLUSTER = "aws:eks/cluster:Cluster"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
AUTO_MODE_CLUSTER_POLICIES = (
    "AmazonEKSClusterPolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
)
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
AUTO_MODE_CONTROLLER = "eks.amazonaws.com/alb"
GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name"
CAPABILITIES = {
    "computeConfig.enabled": ("computeConfig", "enabled"),
    "storageConfig.blockStorage.enabled": ("storageConfig", "blockStorage", "enabled"),
    "kubernetesNetworkConfig.elasticLoadBalancing.enabled": (
        "kubernetesNetworkConfig",
        "elasticLoadBalancing",
        "enabled",
    ),
}


@resource_rule(
    name="eks-auto-mode-capabilities",
    description="An EKS cluster enables Auto Mode's compute, block storage and load balancing "
    "capabilities together, or none of them (AWS refuses a mix).",
    severity=MANDATORY,
    remediation="Create the cluster with EksCluster(compute='auto-mode'), which sets all three, "
    "and do not switch one of them through a `cluster` transform.",
    types=(CLUSTER,),
    aws_rule="eks-auto-mode-capabilities",
)
def auto_mode_capabilities(args: Any, report: ReportViolation) -> None:
    states = {}
    for name, path in CAPABILITIES.items():
        value = peek(args.props, *path)
        if value is UNKNOWN:
            return
        states[name] = value is True
    if len(set(states.values())) > 1:
        on = [n for n, enabled in states.items() if enabled]
        off = [n for n, enabled in states.items() if not enabled]
        report(f"{', '.join(on)} enabled but {', '.join(off)} not.")


@stack_rule(
    name="eks-auto-mode-ingress-group",
    description="An Ingress of an EKS Auto Mode IngressClass (controller eks.amazonaws.com/alb) "
    "carries no alb.ingress.kubernetes.io/group.name annotation: Auto Mode does not support "
    "it and takes the group from the IngressClassParams.",
    severity=MANDATORY,
    remediation="Drop the annotation; the cluster's IngressClassParams names the shared group.",
    types=(INGRESS, INGRESS_CLASS),
    aws_rule="eks-auto-mode-ingress-group",
)
def auto_mode_ingress_group(args: Any, report: ReportViolation) -> None:
    auto_classes = {
        text(peek(c.props, "metadata", "name"))
        for c in of_type(args.resources, INGRESS_CLASS)
        if peek(c.props, "spec", "controller") == AUTO_MODE_CONTROLLER
    }
    if not auto_classes:
        return
    for ingress in of_type(args.resources, INGRESS):
        class_name = peek(ingress.props, "spec", "ingressClassName")
        if class_name is UNKNOWN or text(class_name) not in auto_classes:
            continue
        group = peek(ingress.props, "metadata", "annotations", GROUP_ANNOTATION)
        if group is not UNKNOWN and group is not None:
            report(
                f"Ingress {ingress.name!r} of IngressClass {text(class_name)!r} (EKS Auto Mode) "
                f"sets {GROUP_ANNOTATION}, which Auto Mode does not support.",
                ingress.urn,
            )


def _trusts_tag_session(role: Any) -> bool | None:
    raw = peek(role.props, "assumeRolePolicy")
    if raw is UNKNOWN:
        return None
    for statement in as_list((parse_json(raw) or {}).get("Statement")):
        actions = {text(a) for a in as_list(statement.get("Action"))}
        services = {text(s) for s in as_list((statement.get("Principal") or {}).get("Service"))}
        if "eks.amazonaws.com" in services and {"sts:AssumeRole", "sts:TagSession"} <= actions:
            return True
    return False


@stack_rule(
    name="eks-auto-mode-cluster-role",
    description="An EKS Auto Mode cluster's role (in this Plan) trusts eks.amazonaws.com for "
    "sts:AssumeRole and sts:TagSession and carries AmazonEKSClusterPolicy plus the Compute, "
    "BlockStorage, LoadBalancing and Networking policies; its node role is another role.",
    severity=MANDATORY,
    remediation="Create the cluster with EksCluster(compute='auto-mode'), which builds both "
    "roles; keep its cluster_role and cluster_role_policy untransformed.",
    types=(CLUSTER, ROLE, ATTACHMENT),
    aws_rule="eks-auto-mode-cluster-role",
)
def auto_mode_cluster_role(args: Any, report: ReportViolation) -> None:
    for cluster in of_type(args.resources, CLUSTER):
        if peek(cluster.props, "computeConfig", "enabled") is not True:
            continue
        roles = [
            r for r in of_type(args.resources, ROLE) if refers_to(cluster, "roleArn", r, "arn")
        ]
        if not roles:
            continue  # a role made elsewhere: nothing in this Plan to check
        (role,) = roles[:1]
        problems = []
        if _trusts_tag_session(role) is False:
            problems.append("its trust policy does not allow eks.amazonaws.com sts:TagSession")
        attached = {
            text(peek(a.props, "policyArn")).rsplit("/", 1)[-1]
            for a in of_type(args.resources, ATTACHMENT)
            if refers_to(a, "role", role, "name", "id")
        }
        missing = [p for p in AUTO_MODE_CLUSTER_POLICIES if p not in attached]
        if missing:
            problems.append("it lacks " + ", ".join(missing))
        if refers_to(cluster, "computeConfig", role, "arn", path=("nodeRoleArn",)):
            problems.append("it is also the node role")
        if problems:
            report(
                f"EKS Auto Mode cluster {cluster.name!r}: cluster role {role.name!r}: "
                + "; ".join(problems)
                + ".",
                cluster.urn,
            )
