"""The eks stage picks its GitOps controller by `gridops:gitops` (argocd, the default,
flux or none), both from the same keys, and passes `gridops check` either way."""

from __future__ import annotations

import pytest

from gridops_infra.policy import check_plan
from gridops_infra.testing import preview
from tests.stage_plans import ROOT, stage_plan


def test_the_default_is_argo_cd() -> None:
    plan = stage_plan("eks")
    assert plan.of_type("gridops:aws:ArgoCdGitOps")
    assert not plan.of_type("gridops:aws:FluxGitOps")


def test_flux_from_the_same_keys_passes_check() -> None:
    plan = preview(
        ROOT,
        stack="eks",
        config={"gridops:gitops": "flux", "gridops:gitops_interval": "1m"},
    )
    assert not plan.of_type("gridops:aws:ArgoCdGitOps")
    (source,) = plan.of_type("kubernetes:source.toolkit.fluxcd.io/v1:GitRepository")
    assert source.inputs["spec"]["url"] == "https://github.com/acme/shop-manifests.git"
    assert source.inputs["spec"]["interval"] == "1m"
    (kustomization,) = plan.of_type("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization")
    assert kustomization.inputs["spec"]["path"] == "./prod"
    assert check_plan(plan).mandatory_failures == []


def test_none_installs_no_controller() -> None:
    plan = preview(
        ROOT,
        stack="eks",
        config={"gridops:gitops": "none", "gridops:gitops_repo_url": "", "gridops:gitops_path": ""},
    )
    assert not plan.of_type("gridops:aws:ArgoCdGitOps")
    assert not plan.of_type("gridops:aws:FluxGitOps")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"gridops:gitops": "jenkins"}, "expected argocd, flux or none"),
        ({"gridops:gitops": "none"}, "no GitOps controller reads them"),
    ],
)
def test_bad_gitops_config_is_one_clear_error(config, message) -> None:
    with pytest.raises(ValueError, match=message):
        preview(ROOT, stack="eks", config=config)
