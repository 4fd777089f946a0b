"""FluxGitOps: the flux2 chart by Helm on the cluster's provider, a GitRepository and a
Kustomization (prune on) for the repository, validated against Flux's own API types
(@kubernetes-models/flux-cd 4.0.0) and Kubernetes' (kubernetes-validate), the shared
GitOps arguments checked as ArgoCdGitOps checks them."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from gridops_infra import EksCluster, Network
from gridops_infra.delivery import FluxGitOps
from gridops_infra.delivery.flux import FLUX_CHART_VERSION, git_reference, kustomization_path
from gridops_infra.testing import preview

REPO = "https://github.com/acme/shop-manifests.git"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-manifests-AbCdEf"
GIT_REPOSITORY = "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository"
KUSTOMIZATION = "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization"


def program(**extra):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        FluxGitOps("gitops", {"cluster": cluster, "repo_url": REPO, "path": "prod", **extra})

    return run


@pytest.fixture(scope="module")
def plan():
    return preview(program())


@pytest.fixture(scope="module")
def private_plan():
    return preview(program(credentials_secret_arn=SECRET, sync_interval="1m"))


def _manifest(record) -> dict:
    inputs = record.inputs
    return {
        "apiVersion": inputs["apiVersion"],
        "kind": inputs["kind"],
        "metadata": inputs["metadata"],
        "spec": inputs["spec"],
    }


def test_flux_release_is_the_pinned_chart_on_the_cluster_provider(plan) -> None:
    release = next(
        r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r.inputs.get("chart") == "flux2"
    )
    provider = plan.one("pulumi:providers:kubernetes")
    assert release.provider and release.provider.startswith(provider.urn)
    assert release.inputs["version"] == FLUX_CHART_VERSION == "2.18.3"
    assert (
        release.inputs["repositoryOpts"]["repo"] == "https://fluxcd-community.github.io/helm-charts"
    )
    assert release.inputs["namespace"] == "flux-system"
    values = release.inputs["values"]
    assert values["imageAutomationController"] == {"create": False}
    assert values["imageReflectionController"] == {"create": False}


def test_git_repository_follows_the_branch_every_three_minutes(plan) -> None:
    repo = plan.one(GIT_REPOSITORY)
    assert repo.inputs["metadata"] == {"name": "gitops", "namespace": "flux-system"}
    assert repo.inputs["spec"] == {"interval": "3m", "url": REPO, "ref": {"branch": "main"}}
    release = next(
        r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r.inputs.get("chart") == "flux2"
    )
    assert release.urn in repo.dependencies


def test_kustomization_prunes_into_the_owned_namespace(plan) -> None:
    kustomization = plan.one(KUSTOMIZATION)
    spec = kustomization.inputs["spec"]
    assert spec["prune"] is True
    assert spec["path"] == "./prod"
    assert spec["targetNamespace"] == "apps"
    assert spec["sourceRef"] == {"kind": "GitRepository", "name": "gitops"}
    namespace = next(
        r for r in plan.of_type("kubernetes:core/v1:Namespace") if r.name == "gitops-namespace"
    )
    assert namespace.inputs["metadata"]["name"] == "apps"
    assert {plan.one(GIT_REPOSITORY).urn, namespace.urn} <= set(kustomization.dependencies)


def test_private_repository_credentials_come_from_secrets_manager(private_plan) -> None:
    repo = private_plan.one(GIT_REPOSITORY)
    assert repo.inputs["spec"]["secretRef"] == {"name": "gitops-repository"}
    assert repo.inputs["spec"]["interval"] == "1m"
    external = next(
        r
        for r in private_plan.of_type("kubernetes:external-secrets.io/v1:ExternalSecret")
        if r.name == "gitops-credentials"
    )
    spec = external.inputs["spec"]
    assert external.inputs["metadata"]["namespace"] == "flux-system"
    assert spec["dataFrom"] == [{"extract": {"key": SECRET}}]
    assert spec["target"]["name"] == "gitops-repository"
    assert spec["target"]["template"]["data"] == {
        "username": "{{ .username }}",
        "password": "{{ .password }}",
    }
    assert external.urn in repo.dependencies
    policy = next(
        r
        for r in private_plan.of_type("aws:iam/rolePolicy:RolePolicy")
        if r.name == "gitops-credentials-policy"
    )
    assert (
        SECRET in policy.inputs["policy"]
        and '"Resource": ["' + SECRET + '"]' in policy.inputs["policy"]
    )


def test_revisions_map_to_flux_references() -> None:
    assert git_reference("main") == {"branch": "main"}
    assert git_reference("refs/tags/v1.4.2") == {"name": "refs/tags/v1.4.2"}
    assert git_reference("a" * 40) == {"commit": "a" * 40}
    assert kustomization_path(".") == "./"
    assert kustomization_path("clusters/prod/") == "./clusters/prod"
    assert kustomization_path("./prod") == "./prod"


@pytest.fixture(scope="module")
def flux_schema_errors(kubernetes_models):
    return kubernetes_models(
        "flux-cd",
        "4.0.0",
        {
            "source.toolkit.fluxcd.io/v1": "source.toolkit.fluxcd.io/v1/index.js",
            "kustomize.toolkit.fluxcd.io/v1": "kustomize.toolkit.fluxcd.io/v1/index.js",
        },
    )


def test_flux_objects_pass_fluxs_api_types_and_broken_copies_fail(
    plan, private_plan, flux_schema_errors
) -> None:
    good = [
        _manifest(p.one(kind))
        for p in (plan, private_plan)
        for kind in (GIT_REPOSITORY, KUSTOMIZATION)
    ]
    no_url = copy.deepcopy(good[0])
    del no_url["spec"]["url"]
    prune_text = copy.deepcopy(good[1])
    prune_text["spec"]["prune"] = "yes"
    no_source = copy.deepcopy(good[1])
    del no_source["spec"]["sourceRef"]
    results = flux_schema_errors([*good, no_url, prune_text, no_source])
    assert results[: len(good)] == [None] * len(good)
    assert all(results[len(good) :]), results


def test_namespace_passes_kubernetes_validate_strict(plan) -> None:
    namespace = next(
        r for r in plan.of_type("kubernetes:core/v1:Namespace") if r.name == "gitops-namespace"
    )
    manifest = {"apiVersion": "v1", "kind": "Namespace", "metadata": namespace.inputs["metadata"]}
    kubernetes_validate.validate(manifest, "1.35.0", strict=True)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"repo_url": "not a url"}, "repo_url"),
        ({"repo_url": "https://x-access-token:ghp_Tok3nValue@github.com/a/b.git"}, "repo_url"),
        ({"repo_url": "ghp_Tok3nValue"}, "repo_url"),
        ({"app_namespace": "Apps!"}, "app_namespace"),
        ({"app_namespace": "flux-system"}, "app_namespace"),
        ({"app_namespace": "kube-system"}, "app_namespace"),
        ({"path": "/etc"}, "path"),
        ({"path": "../other"}, "path"),
        ({"sync_interval": "5 minutes"}, "sync_interval"),
        ({"sync_interval": "10s"}, "sync_interval"),
        ({"sync_interval": "48h"}, "sync_interval"),
        ({"credentials_secret_arn": "ghp_Tok3nValue"}, "credentials_secret_arn"),
        ({"chart_version": "latest"}, "chart_version"),
        ({"auto_sync": False}, "auto_sync"),
        ({"tags": {"team": "x"}}, "tags"),
        ({"cluster": "prod"}, "cluster"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_registers(preview_refusals, extra, field) -> None:
    def setup():
        net = Network("prod", {"az_count": 2, "nat": "single"})
        return EksCluster("prod", {"network": net})

    def make(cluster, i, case):
        FluxGitOps("gitops", {"cluster": cluster, "repo_url": REPO, **case})

    plan, errors = preview_refusals(setup, make, [extra])
    assert field in errors[0], errors
    assert "ghp_Tok3nValue" not in errors[0]
    assert not plan.of_type("gridops:aws:FluxGitOps") and not plan.of_type(KUSTOMIZATION)


def test_a_namespace_a_gridops_workload_uses_is_refused(preview_refusals) -> None:
    from gridops_infra import StatelessService

    def setup():
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        StatelessService("shop", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        return cluster

    def make(cluster, i, case):
        FluxGitOps("gitops", {"cluster": cluster, "repo_url": REPO, "app_namespace": "shop"})

    plan, errors = preview_refusals(setup, make, [None])
    assert "app_namespace" in errors[0] and "StatelessService 'shop'" in errors[0]
    assert not plan.of_type(KUSTOMIZATION)
