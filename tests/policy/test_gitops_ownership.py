"""gitops-owned-namespace: Pulumi manages no Kubernetes object in a namespace a GitOps
controller owns (docs/gitops.md), whichever controller it is."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s
import pytest

from gridops_infra import EksCluster, Network
from gridops_infra.delivery import ArgoCdGitOps, FluxGitOps
from gridops_infra.policy import MANDATORY, check_plan
from gridops_infra.testing import preview

REPO = "https://github.com/acme/shop-manifests.git"


def _program(controller, namespace: str):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        controller("gitops", {"cluster": cluster, "repo_url": REPO, "app_namespace": "shop"})
        k8s.core.v1.ConfigMap(
            "settings",
            metadata={"name": "settings", "namespace": namespace},
            data={"LOG_LEVEL": "info"},
            opts=pulumi.ResourceOptions(provider=cluster.provider),
        )

    return run


@pytest.mark.parametrize("controller", [ArgoCdGitOps, FluxGitOps])
def test_a_pulumi_object_in_the_owned_namespace_is_a_mandatory_violation(controller) -> None:
    (violation,) = check_plan(preview(_program(controller, "shop"))).of_rule(
        "gitops-owned-namespace"
    )
    assert violation.severity == MANDATORY and violation.resource_name == "settings"
    assert "'shop'" in violation.message


@pytest.mark.parametrize("controller", [ArgoCdGitOps, FluxGitOps])
def test_the_same_object_elsewhere_passes(controller) -> None:
    report = check_plan(preview(_program(controller, "settings")))
    assert report.of_rule("gitops-owned-namespace") == []


def test_a_helm_release_into_the_owned_namespace_is_a_violation() -> None:
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        FluxGitOps("gitops", {"cluster": cluster, "repo_url": REPO, "app_namespace": "shop"})
        k8s.helm.v3.Release(
            "redis",
            chart="redis",
            namespace="shop",
            repository_opts={"repo": "https://charts.bitnami.com/bitnami"},
            opts=pulumi.ResourceOptions(provider=cluster.provider),
        )

    (violation,) = check_plan(preview(run)).of_rule("gitops-owned-namespace")
    assert violation.resource_name == "redis"
