"""EksCluster's Kubernetes objects on EKS Auto Mode: the IngressClass (and its
IngressClassParams) the services' Ingresses name, the default StorageClass, and the
NodePools of `node_architecture` (see `eks_auto_mode_manifests`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.args import EksSettings
from gridops_infra.platforms.eks.auto_mode_manifests import (
    ingress_class,
    ingress_class_params,
    node_pools,
    storage_class,
)


@dataclass
class AutoModeObjects:
    ingress_class_params: k8s.apiextensions.CustomResource
    ingress_class: k8s.networking.v1.IngressClass
    storage_class: k8s.storage.v1.StorageClass
    node_pools: list[k8s.apiextensions.CustomResource]


def build_auto_mode_objects(
    c: GridopsComponent,
    s: EksSettings,
    provider: k8s.Provider,
    ready: list[pulumi.Resource],
    group_name: str,
) -> AutoModeObjects:
    """Created once the cluster answers (`ready`): Auto Mode serves the NodePool,
    NodeClass and IngressClassParams kinds from the moment its compute is enabled."""
    opts = pulumi.ResourceOptions(provider=provider, depends_on=ready)

    def custom(role: str, manifest: Any, suffix: str) -> k8s.apiextensions.CustomResource:
        return c.child(
            role,
            k8s.apiextensions.CustomResource,
            {
                "api_version": manifest["apiVersion"],
                "kind": manifest["kind"],
                "metadata": manifest["metadata"],
                "spec": manifest["spec"],
            },
            suffix=suffix,
            opts=opts,
            tag=False,
        )

    params_manifest = pulumi.Output.from_input(s.network.public_subnet_ids).apply(
        lambda ids: ingress_class_params(group_name, list(ids))
    )
    params = c.child(
        "ingress_class_params",
        k8s.apiextensions.CustomResource,
        {
            "api_version": "eks.amazonaws.com/v1",
            "kind": "IngressClassParams",
            "metadata": params_manifest.apply(lambda m: m["metadata"]),
            "spec": params_manifest.apply(lambda m: m["spec"]),
        },
        suffix="ingress-class-params",
        opts=opts,
        tag=False,
    )
    cls = ingress_class()
    klass = c.child(
        "ingress_class",
        k8s.networking.v1.IngressClass,
        {"metadata": cls["metadata"], "spec": cls["spec"]},
        suffix="ingress-class",
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[params])),
        tag=False,
    )
    sc = storage_class()
    storage = c.child(
        "block_storage_class",
        k8s.storage.v1.StorageClass,
        {
            "metadata": sc["metadata"],
            "provisioner": sc["provisioner"],
            "parameters": sc["parameters"],
            "reclaim_policy": sc["reclaimPolicy"],
            "volume_binding_mode": sc["volumeBindingMode"],
            "allow_volume_expansion": sc["allowVolumeExpansion"],
        },
        suffix="storage-class",
        opts=opts,
        tag=False,
    )
    pools = [
        custom("auto_node_pool", manifest, f"node-pool-{manifest['metadata']['name']}")
        for manifest in node_pools(s)
    ]
    return AutoModeObjects(params, klass, storage, pools)
