"""examples/github-pipeline: each environment's stack makes the role that environment's
deploy job in the templates assumes, and no other job can; both stacks and the GitLab
variant preview and pass `gridops check` with no mandatory violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from gridops_infra.policy import MANDATORY, check_plan
from gridops_infra.testing import preview

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "github-pipeline"
PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"


def trust(plan) -> dict:
    (role,) = plan.of_type("aws:iam/role:Role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    return statement


def deploy_environments() -> dict[str, str]:
    """Job -> environment of the GitHub deploy template."""
    workflow = yaml.safe_load((ROOT / "templates" / "github" / "pulumi-deploy.yml").read_text())
    return {
        name: job["environment"] for name, job in workflow["jobs"].items() if "environment" in job
    }


@pytest.mark.parametrize("environment", sorted(set(deploy_environments().values())))
def test_each_deploy_job_of_the_template_has_its_own_role(environment: str) -> None:
    plan = preview(EXAMPLE, stack=environment)
    condition = trust(plan)["Condition"]["StringEquals"]
    subject = f"repo:acme/shop:environment:{environment}"
    assert condition["token.actions.githubusercontent.com:sub"] == subject
    assert plan.outputs["trusted_subject"] == subject
    assert plan.outputs["role_arn"]
    report = check_plan(plan)
    assert not [v for v in report.violations if v.severity == MANDATORY]


def test_production_trusts_the_provider_staging_created() -> None:
    staging = preview(EXAMPLE, stack="staging")
    production = preview(EXAMPLE, stack="production")
    assert len(staging.of_type(PROVIDER)) == 1 and not production.of_type(PROVIDER)
    assert trust(production)["Principal"]["Federated"] == (
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    )


def test_the_gitlab_variant_trusts_the_protected_branch_the_deploy_jobs_run_on() -> None:
    plan = preview(EXAMPLE, stack="staging", config={"github-pipeline:ci_host": "gitlab"})
    assert plan.of_type("gridops:aws:GitlabDeployRole")
    condition = trust(plan)["Condition"]["StringEquals"]
    assert condition == {
        "gitlab.com:aud": "https://gitlab.com",  # the template's aud: $CI_SERVER_URL
        "gitlab.com:sub": "project_path:acme/shop:ref_type:branch:ref:main",
    }
    pipeline = yaml.safe_load((ROOT / "templates" / "gitlab" / "gridops-pipeline.yml").read_text())
    assert pipeline[".aws-oidc"]["id_tokens"]["AWS_ID_TOKEN"]["aud"] == "$CI_SERVER_URL"
    for job in ("deploy-staging", "deploy-production"):
        assert pipeline[job]["rules"][0]["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    report = check_plan(plan)
    assert not [v for v in report.violations if v.severity == MANDATORY]


def test_an_unknown_ci_host_is_one_clear_error() -> None:
    with pytest.raises(Exception, match="ci_host is 'jenkins'; allowed: 'github', 'gitlab'"):
        preview(EXAMPLE, stack="staging", config={"github-pipeline:ci_host": "jenkins"})
