"""The Kubernetes objects an EksCluster on EKS Auto Mode adds, rendered as plain dicts
(pure, so the tests check them field by field and run them through kubernetes-validate
and checkov).

Auto Mode runs load balancing and block storage, but creates neither an IngressClass nor
a StorageClass: the cluster creates the IngressClass `alb` (controller
`eks.amazonaws.com/alb`, parameters in an `IngressClassParams` of Auto Mode's API group)
that every service's Ingress names, and the encrypted gp3 StorageClass `gp3` (provisioner
`ebs.csi.eks.amazonaws.com`, the cluster default).

Auto Mode's built-in `general-purpose` NodePool launches amd64 on-demand nodes only, so the
cluster adds NodePools of its own on Auto Mode's `default` NodeClass, shaped as Karpenter's
(`eks_karpenter_manifests`): `gridops` (on-demand, `node_architecture`, the families of
`node_instance_types`, capped by `node_max`) and, with `spot=True`, `gridops-spot`
(tainted, capped by `spot_max`). Auto Mode names the instance labels in its own group
(`eks.amazonaws.com/instance-family`) and retires nodes after at most 21 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gridops_infra.platforms.eks.args import EksSettings, NodePool
from gridops_infra.platforms.eks.karpenter_manifests import node_pool as karpenter_node_pool

AUTO_MODE_API = "eks.amazonaws.com/v1"
INGRESS_CONTROLLER = "eks.amazonaws.com/alb"
INGRESS_CLASS = "alb"
STORAGE_CLASS = "gp3"
STORAGE_PROVISIONER = "ebs.csi.eks.amazonaws.com"
NODE_CLASS = "default"
EXPIRE_AFTER = "336h"
"""Nodes are replaced after 14 days, Auto Mode's default (its nodes live at most 21)."""
MANAGED_BY = {"app.kubernetes.io/managed-by": "gridops"}
_LABEL_GROUP = {
    "karpenter.k8s.aws/instance-family": "eks.amazonaws.com/instance-family",
    "karpenter.k8s.aws/instance-size": "eks.amazonaws.com/instance-size",
}


def ingress_class_params(group_name: str, public_subnet_ids: Sequence[str]) -> dict[str, Any]:
    """The load balancer every Ingress of the class shares (`group.name`, which Auto Mode
    takes from here only, refusing the Ingress annotation): internet-facing, in the
    network's public subnets (named by id, so no subnet tags are needed)."""
    return {
        "apiVersion": AUTO_MODE_API,
        "kind": "IngressClassParams",
        "metadata": {"name": INGRESS_CLASS, "labels": dict(MANAGED_BY)},
        "spec": {
            "group": {"name": group_name},
            "scheme": "internet-facing",
            "subnets": {"ids": list(public_subnet_ids)},
        },
    }


def ingress_class() -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": INGRESS_CLASS, "labels": dict(MANAGED_BY)},
        "spec": {
            "controller": INGRESS_CONTROLLER,
            "parameters": {
                "apiGroup": AUTO_MODE_API.split("/")[0],
                "kind": "IngressClassParams",
                "name": INGRESS_CLASS,
            },
        },
    }


def storage_class() -> dict[str, Any]:
    """Encrypted gp3 volumes from Auto Mode's block storage, created in the zone the Pod
    lands in, the cluster's default class."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": STORAGE_CLASS,
            "labels": dict(MANAGED_BY),
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": STORAGE_PROVISIONER,
        "parameters": {"type": "gp3", "encrypted": "true"},
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True,
    }


def node_pool(settings: EksSettings, pool: NodePool) -> dict[str, Any]:
    """Karpenter's NodePool for `pool`, on Auto Mode's default NodeClass."""
    manifest = karpenter_node_pool(settings, pool)
    spot = pool.capacity_type == "SPOT"
    manifest["metadata"] = {
        "name": "gridops-spot" if spot else "gridops",
        "labels": dict(MANAGED_BY),
    }
    template = manifest["spec"]["template"]["spec"]
    template["nodeClassRef"] = {
        "group": AUTO_MODE_API.split("/")[0],
        "kind": "NodeClass",
        "name": NODE_CLASS,
    }
    template["expireAfter"] = EXPIRE_AFTER
    for requirement in template["requirements"]:
        requirement["key"] = _LABEL_GROUP.get(requirement["key"], requirement["key"])
    return manifest


def node_pools(settings: EksSettings) -> list[dict[str, Any]]:
    pools = [node_pool(settings, settings.on_demand)]
    if settings.spot is not None:
        pools.append(node_pool(settings, settings.spot))
    return pools


__all__ = [
    "AUTO_MODE_API",
    "INGRESS_CLASS",
    "INGRESS_CONTROLLER",
    "STORAGE_CLASS",
    "STORAGE_PROVISIONER",
    "ingress_class",
    "ingress_class_params",
    "node_pools",
    "storage_class",
]
