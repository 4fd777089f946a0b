"""A workload's own security group on EKS, for what it links over the network.

A database or cache linked by a service or worker admits that workload's Pods only: the
workload gets a security group of its own and a `SecurityGroupPolicy` that gives it to
the workload's Pods (through the VPC CNI's security groups for Pods on nodes, natively on
Fargate), and the linked resource admits that group. The policy also lists the cluster
security group, which every node, CoreDNS and the control plane carry: the Pods keep
reaching DNS, the API server and the other Pods, and the kubelet's probes, the load
balancer (whose rules the Load Balancer Controller writes on the cluster group) and
in-cluster peers keep reaching them, as when the Pods shared their node's interfaces.
Only the linked resources tell the workload's own group apart from the nodes, and, behind
a CloudFront VPC origin, the cluster's internal ALB, which admits itself on the Pods' own
group (`OriginAlb.admit_targets`).

A workload without such links gets no group of its own: its Pods stay on the nodes'
interfaces and take no branch interface (a node has few of them: 9 on a `.large`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import admits_consumers
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = ("pod_security_group", "security_group_policy")
SECURITY_GROUP_POLICY_API = "vpcresources.k8s.aws/v1beta1"
SECURITY_GROUP_POLICY_KIND = "SecurityGroupPolicy"
MAX_POLICY_GROUPS = 5  # "You can specify 1-5 security group IDs" (EKS user guide)


def network_links(spec: ServiceSpec) -> list[Any]:
    """The links that admit consumers by security group (databases, caches)."""
    return [link for link in spec.links if admits_consumers(link)]


def check(spec: ServiceSpec, cluster: EksCluster, on_fargate: bool, component: str) -> None:
    """Refuse network links the cluster cannot narrow to this workload's Pods, or whose
    Pods would not all find a branch interface on the nodes at full scale."""
    links = network_links(spec)
    if not links or on_fargate:
        return
    if cluster.settings.pod_security_groups:
        field = "max_workers" if component == "SqsWorkerQueue" else "max_count"
        cluster.check_branch_interfaces(f"{component} '{spec.name}'", field, spec.max_count)
        return
    names = [getattr(link, "name", "?") for link in links]
    raise ArgError(
        f"{component} '{spec.name}': links={names} is not allowed on EksCluster "
        f"'{cluster.name}', created with pod_security_groups=False: the linked resources "
        "could only admit every node of the cluster, not this workload's Pods. Create the "
        "EksCluster with pod_security_groups=True (the default), or run the workload in "
        "one of its fargate_profiles namespaces"
    )


def reserve(spec: ServiceSpec, cluster: EksCluster, on_fargate: bool, component: str) -> None:
    """Count the workload's Pods against the nodes' branch interfaces (after its checks)."""
    if network_links(spec) and not on_fargate and cluster.settings.pod_security_groups:
        cluster.reserve_branch_interfaces(f"{component} '{spec.name}'", spec.max_count)


def security_group_policy(
    name: str, namespace: str, pod_labels: dict[str, str], group_ids: Sequence[str]
) -> dict[str, Any]:
    """The SecurityGroupPolicy giving the Pods matching `pod_labels` in `namespace`
    exactly `group_ids` (the workload's group first, then the cluster group)."""
    if not 1 <= len(group_ids) <= MAX_POLICY_GROUPS:
        raise ValueError(
            f"a SecurityGroupPolicy lists 1 to {MAX_POLICY_GROUPS} groups, not {len(group_ids)}"
        )
    return {
        "apiVersion": SECURITY_GROUP_POLICY_API,
        "kind": SECURITY_GROUP_POLICY_KIND,
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/managed-by": "gridops"},
        },
        "spec": {
            "podSelector": {"matchLabels": dict(pod_labels)},
            "securityGroups": {"groupIds": list(group_ids)},
        },
    }


def security_group(
    owner: GridopsComponent, spec: ServiceSpec, cluster: EksCluster
) -> aws.ec2.SecurityGroup | None:
    """The workload's own group (no rules: the cluster group beside it carries the
    traffic), or None without network links."""
    if not network_links(spec):
        return None
    return owner.child(
        "pod_security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": cluster.network.vpc_id,
            "description": (
                f"Pods of {spec.name} on EKS cluster {cluster.name}: linked resources admit "
                "this group"
            ),
            "tags": {"Name": f"{cluster.name}-{spec.name}-pods"},
        },
        suffix="pod-sg",
    )


def policy(
    owner: GridopsComponent,
    spec: ServiceSpec,
    cluster: EksCluster,
    namespace: str,
    pod_labels: dict[str, str],
    group_id: pulumi.Output[str],
    after: list[pulumi.Resource],
) -> k8s.apiextensions.CustomResource:
    """The SecurityGroupPolicy giving the workload's Pods its group and the cluster's."""
    manifest = pulumi.Output.all(group_id, cluster.cluster_security_group_id).apply(
        lambda ids: security_group_policy(spec.name, namespace, pod_labels, ids)
    )
    return owner.child(
        "security_group_policy",
        k8s.apiextensions.CustomResource,
        {
            "api_version": SECURITY_GROUP_POLICY_API,
            "kind": SECURITY_GROUP_POLICY_KIND,
            "metadata": manifest.apply(lambda m: m["metadata"]),
            "spec": manifest.apply(lambda m: m["spec"]),
        },
        suffix="security-group-policy",
        opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=after),
        tag=False,
    )


__all__ = [
    "ROLES",
    "SECURITY_GROUP_POLICY_API",
    "check",
    "network_links",
    "policy",
    "reserve",
    "security_group",
    "security_group_policy",
]
