"""Karpenter's two custom resources on EksCluster, rendered as plain dicts (pure, so the
tests check them field by field): the default EC2NodeClass (how a node is built) and the
NodePools (what may be launched, how much, and when it is replaced).

Two NodePools when the cluster has Spot (`spot=True`), as the managed groups were: the
`default` pool launches on-demand nodes only, the `spot` pool Spot nodes labelled and
tainted `gridops.io/capacity=spot`. One pool allowing both capacity types would put every
pod on Spot (Karpenter picks the cheaper offering), while services opt in to Spot one by
one (their pods tolerate the taint and prefer the label).

Limits: a NodePool's cpu/memory limit is `node_max` (`spot_max` for Spot) nodes of its
largest listed instance type, so the pool can never grow past what that many of the
biggest nodes you asked for would give, whichever sizes Karpenter picks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gridops_infra.platforms.eks.args import EksSettings, NodePool
from gridops_infra.platforms.eks.catalog import ARM64_SIZES, BURSTABLE_SIZES, X86_SIZES
from gridops_infra.platforms.eks.compute import SPOT_LABEL
from gridops_infra.platforms.single_server.types import instance_memory_mib, instance_vcpus

NODE_POOL_API = "karpenter.sh/v1"
NODE_CLASS_API = "karpenter.k8s.aws/v1"
NODE_CLASS_NAME = "default"
# AL2023, the latest EKS-optimized release for the node's architecture and the cluster's
# Kubernetes version: a new AMI release drifts nodes, which Karpenter replaces within the
# disruption budget.
AMI_ALIAS = "al2023@latest"
EXPIRE_AFTER = "720h"
"""Nodes are replaced after 30 days (fresh AMI and kernel), as Karpenter's default."""
TERMINATION_GRACE_PERIOD = "24h"
"""How long a node being replaced may wait for its pods (worker jobs annotated
`karpenter.sh/do-not-disrupt` last at most 12 hours) before Karpenter deletes them."""
CONSOLIDATE_AFTER = "1m"
DISRUPTION_BUDGET = "10%"
"""At most this share of a pool's nodes is voluntarily replaced at once."""
KUBERNETES_ARCH = {"arm64": "arm64", "x86_64": "amd64"}


def ec2_node_class(
    settings: EksSettings,
    cluster_name: str,
    node_role_name: str,
    tags: Mapping[str, str],
    subnet_ids: Sequence[str],
    security_group_ids: Sequence[str],
) -> dict[str, Any]:
    """Nodes as the managed group's launch template builds them: IMDSv2 only with a hop
    limit of 1 (pods cannot reach the node role), an encrypted gp3 root volume, in the
    given subnets (the private ones) with the given groups (node group and cluster
    group), named by id."""
    return {
        "apiVersion": NODE_CLASS_API,
        "kind": "EC2NodeClass",
        "metadata": {"name": NODE_CLASS_NAME},
        "spec": {
            "role": node_role_name,
            "amiSelectorTerms": [{"alias": AMI_ALIAS}],
            "subnetSelectorTerms": [{"id": subnet} for subnet in subnet_ids],
            "securityGroupSelectorTerms": [{"id": group} for group in security_group_ids],
            "metadataOptions": {
                "httpEndpoint": "enabled",
                "httpProtocolIPv6": "disabled",
                "httpPutResponseHopLimit": 1,
                "httpTokens": "required",
            },
            "blockDeviceMappings": [
                {
                    "deviceName": "/dev/xvda",
                    "ebs": {
                        "volumeSize": f"{settings.disk_size_gib}Gi",
                        "volumeType": "gp3",
                        "encrypted": True,
                        "deleteOnTermination": True,
                    },
                }
            ],
            "tags": dict(tags),
        },
    }


def families(instance_types: Sequence[str]) -> list[str]:
    return sorted({t.split(".", 1)[0] for t in instance_types})


def allowed_sizes(instance_types: Sequence[str], architecture: str) -> list[str]:
    """The sizes the catalog allows for these families (no metal, nothing beyond it)."""
    sizes = ARM64_SIZES if architecture == "arm64" else X86_SIZES
    if all(f.startswith("t") for f in families(instance_types)):
        sizes = BURSTABLE_SIZES
    return list(sizes)


def limits(pool: NodePool) -> dict[str, str]:
    """`max_size` nodes of the pool's largest instance type (by vCPUs, then memory)."""
    largest = max(pool.instance_types, key=lambda t: (instance_vcpus(t), instance_memory_mib(t)))
    return {
        "cpu": str(pool.max_size * instance_vcpus(largest)),
        "memory": f"{pool.max_size * instance_memory_mib(largest)}Mi",
    }


def node_pool(settings: EksSettings, pool: NodePool) -> dict[str, Any]:
    spot = pool.capacity_type == "SPOT"
    capacity = "spot" if spot else "on-demand"
    template_spec: dict[str, Any] = {
        "nodeClassRef": {
            "group": NODE_CLASS_API.split("/")[0],
            "kind": "EC2NodeClass",
            "name": NODE_CLASS_NAME,
        },
        "requirements": [
            {
                "key": "kubernetes.io/arch",
                "operator": "In",
                "values": [KUBERNETES_ARCH[settings.architecture]],
            },
            {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
            {"key": "karpenter.sh/capacity-type", "operator": "In", "values": [capacity]},
            {
                "key": "karpenter.k8s.aws/instance-family",
                "operator": "In",
                "values": families(pool.instance_types),
            },
            {
                "key": "karpenter.k8s.aws/instance-size",
                "operator": "In",
                "values": allowed_sizes(pool.instance_types, settings.architecture),
            },
        ],
        "expireAfter": EXPIRE_AFTER,
        "terminationGracePeriod": TERMINATION_GRACE_PERIOD,
    }
    if spot:
        template_spec["taints"] = [{"key": SPOT_LABEL, "value": "spot", "effect": "NoSchedule"}]
    return {
        "apiVersion": NODE_POOL_API,
        "kind": "NodePool",
        "metadata": {"name": "spot" if spot else "default"},
        "spec": {
            "template": {
                "metadata": {"labels": {SPOT_LABEL: capacity}},
                "spec": template_spec,
            },
            "disruption": {
                "consolidationPolicy": "WhenEmptyOrUnderutilized",
                "consolidateAfter": CONSOLIDATE_AFTER,
                "budgets": [{"nodes": DISRUPTION_BUDGET}],
            },
            "limits": limits(pool),
        },
    }


def node_pools(settings: EksSettings) -> list[dict[str, Any]]:
    pools = [node_pool(settings, settings.on_demand)]
    if settings.spot is not None:
        pools.append(node_pool(settings, settings.spot))
    return pools


__all__ = ["NODE_CLASS_API", "NODE_POOL_API", "ec2_node_class", "node_pool", "node_pools"]
