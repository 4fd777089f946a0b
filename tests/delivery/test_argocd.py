"""ArgoCdGitOps: Argo CD by Helm on the cluster's provider, one Application from a repo."""

from __future__ import annotations

import pytest

from gridops_infra import EksCluster, Network
from gridops_infra.delivery import ArgoCdGitOps
from gridops_infra.testing import preview

REPO = "https://github.com/acme/shop-manifests.git"


def program(**extra):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        ArgoCdGitOps("gitops", {"cluster": cluster, "repo_url": REPO, "path": "prod", **extra})

    return run


@pytest.fixture(scope="module")
def plan():
    return preview(program())


def test_argo_cd_release_on_the_cluster_provider(plan) -> None:
    release = next(
        r
        for r in plan.of_type("kubernetes:helm.sh/v3:Release")
        if r.inputs.get("chart") == "argo-cd"
    )
    provider = plan.one("pulumi:providers:kubernetes")
    assert release.provider and release.provider.startswith(provider.urn)
    assert release.inputs["namespace"] == "argocd"
    assert release.inputs["values"]["server"]["service"]["type"] == "ClusterIP"


def test_application_follows_the_repository_and_self_heals(plan) -> None:
    app = plan.one("kubernetes:argoproj.io/v1alpha1:Application")
    spec = app.inputs["spec"]
    assert spec["source"] == {"repoURL": REPO, "path": "prod", "targetRevision": "main"}
    assert spec["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    release = next(
        r
        for r in plan.of_type("kubernetes:helm.sh/v3:Release")
        if r.inputs.get("chart") == "argo-cd"
    )
    assert release.urn in app.dependencies


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"repo_url": "not a url"}, "repo_url"),
        ({"app_namespace": "Apps!"}, "app_namespace"),
        ({"cluster": "prod"}, "cluster"),
        ({"repo_url": "https://x-access-token:ghp_Tok3nValue@github.com/a/b.git"}, "repo_url"),
        ({"repo_url": "https://ghp_Tok3nValue@github.com/a/b.git"}, "repo_url"),
        ({"repo_url": "ssh://git:ghp_Tok3nValue@github.com/a/b.git"}, "repo_url"),
        ({"repo_url": "ghp_Tok3nValue"}, "repo_url"),
    ],
)
def test_bad_arguments_are_refused(extra: dict, field: str) -> None:
    errors: list[str] = []

    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        try:
            ArgoCdGitOps("gitops", {"cluster": cluster, "repo_url": REPO, **extra})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 1 and field in errors[0]
    assert "ghp_Tok3nValue" not in errors[0]
    assert not plan.of_type("gridops:aws:ArgoCdGitOps")


def test_default_release_values_are_unchanged_by_the_shared_gitops_contract(plan) -> None:
    """The eks stage's default Plan keeps its Argo CD objects as they were."""
    release = next(
        r
        for r in plan.of_type("kubernetes:helm.sh/v3:Release")
        if r.inputs.get("chart") == "argo-cd"
    )
    assert release.inputs["values"] == {
        "server": {"service": {"type": "ClusterIP"}},
        "configs": {"params": {"server.insecure": False}},
        "dex": {"enabled": False},
    }
    assert not plan.of_type("kubernetes:external-secrets.io/v1:ExternalSecret") or all(
        r.inputs["metadata"]["namespace"] != "argocd"
        for r in plan.of_type("kubernetes:external-secrets.io/v1:ExternalSecret")
    )


def test_sync_interval_and_credentials_take_the_same_arguments_as_flux() -> None:
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-manifests-AbCdEf"
    plan = preview(program(sync_interval="1m", credentials_secret_arn=secret))
    release = next(
        r
        for r in plan.of_type("kubernetes:helm.sh/v3:Release")
        if r.inputs.get("chart") == "argo-cd"
    )
    assert release.inputs["values"]["configs"]["cm"] == {"timeout.reconciliation": "60s"}
    external = next(
        r
        for r in plan.of_type("kubernetes:external-secrets.io/v1:ExternalSecret")
        if r.name == "gitops-credentials"
    )
    assert external.inputs["metadata"]["namespace"] == "argocd"
    template = external.inputs["spec"]["target"]["template"]
    assert template["metadata"]["labels"] == {"argocd.argoproj.io/secret-type": "repository"}
    assert template["data"]["url"] == REPO
    assert external.inputs["spec"]["dataFrom"] == [{"extract": {"key": secret}}]
    app = plan.one("kubernetes:argoproj.io/v1alpha1:Application")
    assert external.urn in app.dependencies


def test_argo_cd_refuses_a_namespace_a_workload_or_the_cluster_uses() -> None:
    errors: list[str] = []

    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        for namespace in ("argocd", "monitoring"):
            try:
                ArgoCdGitOps(
                    f"gitops-{namespace}",
                    {"cluster": cluster, "repo_url": REPO, "app_namespace": namespace},
                )
            except ValueError as exc:
                errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 2 and all("app_namespace" in e for e in errors)
    assert not plan.of_type("gridops:aws:ArgoCdGitOps")
