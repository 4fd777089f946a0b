"""No secret's plaintext in a serialized Plan: the three stages, every example, and a
user program that takes a secret from stack config and hands it to a service and a
worker on every platform the supported way (a Secrets Manager secret and its ARN).

The stages and examples generate their secrets (database passwords, the Redis AUTH
token, Grafana's admin password, the CDN origin secret); the offline mocks make those
values known and deterministic, so the test can look for each one in the Plan's JSON,
where a secret must only ever show as the `[secret]` marker."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra import (
    Network,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import Plan, preview
from gridops_infra.testing.plan import SECRET_PLACEHOLDER, SecretValue, reveal
from gridops_infra.testing.project import SECRET_PLACEHOLDER_VALUE
from tests.secret_platforms import PLATFORMS
from tests.stage_plans import example_plan, stage_plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GENERATED = "random:index/randomPassword:RandomPassword"


def generated_secrets(plan: Plan) -> list[str]:
    values = [reveal(r.outputs.get("result")) for r in plan.of_type(GENERATED)]
    return [v for v in values if isinstance(v, str) and len(v) >= 16]


def serialized(plan: Plan) -> str:
    return plan.dumps() + json.dumps(plan.diagnostics, default=str)


def example_plans() -> list[tuple[str, Plan]]:
    names = sorted(str(p.parent.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("Pulumi.yaml"))
    return [(name, example_plan(name)) for name in names]


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_a_stage_plan_holds_no_secret_plaintext(stage: str) -> None:
    plan = stage_plan(stage)
    secrets = generated_secrets(plan)
    assert secrets, "every stage generates at least one secret (its database password)"
    text = serialized(plan)
    assert SECRET_PLACEHOLDER in text
    assert [s for s in secrets if s in text] == []


def test_no_example_plan_holds_secret_plaintext() -> None:
    seen = 0
    for name, plan in example_plans():
        secrets = generated_secrets(plan)
        seen += len(secrets)
        text = serialized(plan)
        assert [s for s in secrets if s in text] == [], name
    assert seen, "some example generates a secret"


@pytest.mark.parametrize("kind", sorted(PLATFORMS))
def test_a_secret_from_config_reaches_aws_only_inside_secrets_manager(kind: str) -> None:
    def program() -> None:
        api_key = pulumi.Config("gridops").require_secret("api_key")
        secret = aws.secretsmanager.Secret("api-key")
        aws.secretsmanager.SecretVersion("api-key", secret_id=secret.id, secret_string=api_key)
        platform = PLATFORMS[kind](Network("prod", {"az_count": 2, "nat": "single"}))
        base = {"platform": platform, "image": "ghcr.io/acme/api:1.4.2"}
        StatelessService("api", {**base, "secrets": {"API_KEY": secret.arn}})
        SqsWorkerQueue("jobs", {**base, "secrets": {"API_KEY": secret.arn}})

    plan = preview(program, config={"api_key": {"secure": "v1:encrypted"}})
    version = plan.one("aws:secretsmanager/secretVersion:SecretVersion")
    stored = version.inputs["secretString"]
    assert isinstance(stored, SecretValue) and stored.value == SECRET_PLACEHOLDER_VALUE
    holders = [r.name for r in plan.resources if SECRET_PLACEHOLDER_VALUE in repr(reveal(r.inputs))]
    assert holders == ["api-key"]
    assert SECRET_PLACEHOLDER_VALUE not in serialized(plan)


def test_a_bad_stage_config_value_kept_as_a_secret_is_not_printed(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ValueError) as caught:
        preview(ROOT, stack="single-server", config={"api_min_count": {"secure": "v1:abc"}})
    assert "gridops:api_min_count=<hidden>" in str(caught.value)
    assert SECRET_PLACEHOLDER_VALUE not in str(caught.value)
    out, err = capfd.readouterr()
    assert SECRET_PLACEHOLDER_VALUE not in out + err
