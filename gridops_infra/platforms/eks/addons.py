"""EKS add-ons managed by AWS: networking and Pod Identity before the nodes join, DNS and
metrics once they have. The cluster is created without EKS's self-managed copies
(`bootstrap_self_managed_addons=False`), so these managed add-ons are the only ones."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.iam import CNI_POLICIES, irsa_trust, managed, pod_identity_trust

# Installed before the node groups: a node only turns Ready once the CNI runs on it.
NODE_PREREQUISITES = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
# Deployments that need nodes to schedule on (created after the node groups).
NEEDS_NODES = ("coredns", "metrics-server")
ADDONS = NODE_PREREQUISITES + NEEDS_NODES

# Container Insights: the CloudWatch agent (metrics: pod CPU/memory per Service, which the
# service backend's `metric_cpu`/`metric_memory` read) and Fluent Bit (container logs).
OBSERVABILITY = "amazon-cloudwatch-observability"
OBSERVABILITY_NAMESPACE = "amazon-cloudwatch"
OBSERVABILITY_SERVICE_ACCOUNT = "cloudwatch-agent"
OBSERVABILITY_POLICIES = ("CloudWatchAgentServerPolicy",)
# The groups the add-on writes to, created here first so they get a retention.
CONTAINER_INSIGHTS_LOG_GROUPS = ("application", "dataplane", "host", "performance")

# The EBS CSI driver: persistent volumes (Prometheus' TSDB, any StatefulSet) on gp3.
EBS_CSI = "aws-ebs-csi-driver"
EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa"
EBS_CSI_POLICIES = ("service-role/AmazonEBSCSIDriverPolicy",)

# The VPC CNI enforces Kubernetes NetworkPolicy (its network policy agent), which the
# service backend relies on to admit only the load balancer and linked peers.
ADDON_CONFIGURATION: dict[str, dict[str, object]] = {
    "vpc-cni": {"enableNetworkPolicy": "true"},
}
# Security groups for Pods: a trunk interface per node, a branch interface per Pod a
# SecurityGroupPolicy selects. `standard` mode (AWS's choice for clusters that use
# NetworkPolicy) leaves traffic between a Pod and its own node (kubelet probes, the Pod
# Identity agent) to the node, so probes need no TCP early demux change, and sends
# traffic leaving the VPC through the node's primary interface.
POD_SECURITY_GROUP_ENV = {
    "ENABLE_POD_ENI": "true",
    "POD_SECURITY_GROUP_ENFORCING_MODE": "standard",
}


def vpc_cni_configuration(pod_security_groups: bool) -> dict[str, object]:
    """The vpc-cni add-on's configuration values."""
    config = dict(ADDON_CONFIGURATION["vpc-cni"])
    if pod_security_groups:
        config["env"] = dict(POD_SECURITY_GROUP_ENV)
    return config


def cni_role(
    c: GridopsComponent,
    oidc_provider_arn: pulumi.Input[str],
    issuer_url: pulumi.Input[str],
) -> tuple[aws.iam.Role, pulumi.Output[str]]:
    """The VPC CNI's own role through IRSA (kube-system/aws-node), so the node role does
    not carry AmazonEKS_CNI_Policy. IRSA rather than Pod Identity: the CNI must get its
    credentials before any pod networking exists on a fresh node."""
    trust = irsa_trust(oidc_provider_arn, issuer_url, "kube-system", "aws-node")
    role = c.child(
        "cni_role",
        aws.iam.Role,
        {"assume_role_policy": trust, "description": f"VPC CNI (aws-node) of EKS cluster {c.name}"},
    )
    for i, arn in enumerate(managed(CNI_POLICIES)):
        c.child(
            "cni_role_policy",
            aws.iam.RolePolicyAttachment,
            {"role": role.name, "policy_arn": arn},
            suffix=f"cni-role-{i}",
        )
    return role, trust


def container_insights(
    c: GridopsComponent,
    cluster: aws.eks.Cluster,
    cluster_name: str,
    kubernetes_version: str,
    log_retention_days: int,
    depends_on: list[pulumi.Resource],
) -> tuple[aws.eks.Addon, pulumi.Output[str]]:
    """The CloudWatch observability add-on, its Pod Identity role (AWS's
    CloudWatchAgentServerPolicy: put metrics and logs) and its log groups with a
    retention. Returns the add-on and the role's trust policy."""
    groups = [
        c.child(
            "container_log_group",
            aws.cloudwatch.LogGroup,
            {
                "name": f"/aws/containerinsights/{cluster_name}/{kind}",
                "retention_in_days": log_retention_days,
            },
            suffix=f"insights-{kind}",
        )
        for kind in CONTAINER_INSIGHTS_LOG_GROUPS
    ]
    trust = pod_identity_trust(cluster_name, OBSERVABILITY_NAMESPACE, OBSERVABILITY_SERVICE_ACCOUNT)
    role = c.child(
        "insights_role",
        aws.iam.Role,
        {"assume_role_policy": trust, "description": f"CloudWatch agent of EKS cluster {c.name}"},
    )
    attachments = [
        c.child(
            "insights_role_policy",
            aws.iam.RolePolicyAttachment,
            {"role": role.name, "policy_arn": arn},
            suffix=f"insights-role-{i}",
        )
        for i, arn in enumerate(managed(OBSERVABILITY_POLICIES))
    ]
    installed = addon(
        c,
        OBSERVABILITY,
        cluster,
        kubernetes_version,
        pod_identities=[{"role_arn": role.arn, "service_account": OBSERVABILITY_SERVICE_ACCOUNT}],
        depends_on=[*depends_on, *groups, *attachments],
    )
    return installed, trust


def ebs_csi_driver(
    c: GridopsComponent,
    cluster: aws.eks.Cluster,
    cluster_name: str,
    kubernetes_version: str,
    depends_on: list[pulumi.Resource],
) -> aws.eks.Addon:
    """The EBS CSI driver add-on with its Pod Identity role (AWS's
    AmazonEBSCSIDriverPolicy, which limits volume changes to volumes the driver tagged)."""
    trust = pod_identity_trust(cluster_name, "kube-system", EBS_CSI_SERVICE_ACCOUNT)
    role = c.child(
        "ebs_csi_role",
        aws.iam.Role,
        {"assume_role_policy": trust, "description": f"EBS CSI driver of EKS cluster {c.name}"},
    )
    attachments = [
        c.child(
            "ebs_csi_role_policy",
            aws.iam.RolePolicyAttachment,
            {"role": role.name, "policy_arn": arn},
            suffix=f"ebs-csi-role-{i}",
        )
        for i, arn in enumerate(managed(EBS_CSI_POLICIES))
    ]
    return addon(
        c,
        EBS_CSI,
        cluster,
        kubernetes_version,
        pod_identities=[{"role_arn": role.arn, "service_account": EBS_CSI_SERVICE_ACCOUNT}],
        depends_on=[*depends_on, *attachments],
    )


def addon(
    c: GridopsComponent,
    name: str,
    cluster: aws.eks.Cluster,
    kubernetes_version: str,
    *,
    role_arn: pulumi.Input[str] | None = None,
    pod_identities: list[dict[str, pulumi.Input[str]]] | None = None,
    depends_on: list[pulumi.Resource] | None = None,
    configuration: dict[str, object] | None = None,
) -> aws.eks.Addon:
    """One managed add-on at the newest version EKS offers for the cluster's Kubernetes
    version; conflicts with hand edits are resolved in favour of this configuration
    (`configuration`, else the add-on's entry in ADDON_CONFIGURATION)."""
    version = aws.eks.get_addon_version_output(
        addon_name=name, kubernetes_version=kubernetes_version, most_recent=True
    ).version
    args: dict[str, object] = {
        "cluster_name": cluster.name,
        "addon_name": name,
        "addon_version": version,
        "resolve_conflicts_on_create": "OVERWRITE",
        "resolve_conflicts_on_update": "OVERWRITE",
    }
    if configuration is None:
        configuration = ADDON_CONFIGURATION.get(name)
    if configuration is not None:
        args["configuration_values"] = json.dumps(configuration, sort_keys=True)
    if role_arn is not None:
        args["service_account_role_arn"] = role_arn
    if pod_identities:
        args["pod_identity_associations"] = pod_identities
    return c.child(
        "addon",
        aws.eks.Addon,
        args,
        suffix=name,
        opts=pulumi.ResourceOptions(depends_on=depends_on or []),
    )
