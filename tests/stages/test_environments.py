"""Environments (`gridops:environment`): production, staging and preview stacks of the
fargate stage, what each keeps of its data, the preview stack's time-to-live, and
promotion by image digest from staging to production."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gridops_infra.testing import Plan, preview
from gridops_infra.testing.project import load_project
from stacks import run_stage
from stacks.config import StageConfigError
from stacks.environment import CLOCK_VARIABLE, MAX_PREVIEW_DAYS, TIME_FORMAT
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]
DIGEST = "sha256:" + "3f" * 32
OTHER_DIGEST = "sha256:" + "a0" * 32
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
STATEFUL = ("aws:rds/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup")


def _tagged(plan: Plan) -> list[Any]:
    """The resources that take AWS tags (a `tags` input)."""
    return [r for r in plan.custom_resources if isinstance(r.inputs.get("tags"), dict)]


def _images(plan: Plan) -> dict[str, str]:
    """Container name -> image, over every ECS task definition."""
    images = {}
    for task in plan.of_type(TASK_DEFINITION):
        for container in json.loads(task.inputs["containerDefinitions"]):
            images[container["name"]] = container["image"]
    return images


def _refusal(stack: str, **overrides: str) -> tuple[Plan, str]:
    """Run the root program on `stack`'s file with `overrides`: the stage's refusal and the
    Plan of what it registered before refusing."""
    config = dict(load_project(ROOT, stack).config)
    config |= {f"gridops:{key}": value for key, value in overrides.items()}
    errors: list[str] = []

    def program() -> None:
        try:
            run_stage()
        except StageConfigError as exc:
            errors.append(str(exc))

    plan = preview(program, config=config, stack=stack)
    assert errors, f"{stack} with {overrides} was not refused"
    return plan, errors[0]


# --- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stack", "environment"),
    [
        ("single-server", "production"),
        ("express", "production"),
        ("fargate", "production"),
        ("eks", "production"),
        ("fargate-staging", "staging"),
        ("fargate-preview", "preview"),
    ],
)
def test_every_tagged_resource_carries_the_stacks_environment(stack: str, environment: str) -> None:
    plan = stage_plan(stack)
    tagged = _tagged(plan)
    assert len(tagged) > 20
    assert {r.inputs["tags"].get("environment") for r in tagged} == {environment}
    expiries = {r.inputs["tags"].get("expires-at") for r in tagged}
    if environment == "preview":
        expires = load_project(ROOT, stack).config["gridops:expires_at"]
        assert expiries == {expires}
    else:
        assert expiries == {None}


# --- data protection by environment ------------------------------------------------------


@pytest.mark.parametrize("stack", ["fargate", "fargate-staging"])
def test_production_and_staging_keep_their_data(stack: str) -> None:
    plan = stage_plan(stack)
    cluster = plan.one("aws:rds/cluster:Cluster")
    assert cluster.inputs["deletionProtection"] is True
    assert cluster.inputs["skipFinalSnapshot"] is False
    cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert cache.inputs["finalSnapshotIdentifier"]
    for token in STATEFUL:
        assert plan.one(token).protect is True
    for bucket in plan.of_type("aws:s3/bucket:Bucket"):
        assert bucket.inputs.get("forceDestroy") is False, bucket.name
    assert plan.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"] is True


def test_a_preview_stack_can_always_be_destroyed() -> None:
    """No deletion protection, no final snapshot, no Pulumi protect or retain anywhere, and
    the log buckets emptied on delete: `pulumi destroy` needs no person."""
    plan = stage_plan("fargate-preview")
    cluster = plan.one("aws:rds/cluster:Cluster")
    assert cluster.inputs["deletionProtection"] is False
    assert cluster.inputs["skipFinalSnapshot"] is True
    cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert not cache.inputs.get("finalSnapshotIdentifier")
    assert not [r.name for r in plan.resources if r.protect or r.retain_on_delete]
    buckets = plan.of_type("aws:s3/bucket:Bucket")
    assert buckets and all(b.inputs["forceDestroy"] is True for b in buckets)
    assert plan.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"] is False
    protected = [
        (r.name, key)
        for r in plan.resources
        for key, value in r.inputs.items()
        if "eletionProtection" in key and value is True
    ]
    assert protected == []


def test_a_preview_stack_of_the_express_stage_can_be_destroyed() -> None:
    import os

    tomorrow = datetime.fromisoformat(os.environ[CLOCK_VARIABLE]) + timedelta(days=1)
    plan = preview(
        ROOT,
        stack="express",
        config={
            "environment": "preview",
            "expires_at": tomorrow.strftime(TIME_FORMAT),
            "db_replicas": "0",
            "cache_replicas": "0",
        },
    )
    assert plan.one("aws:rds/cluster:Cluster").inputs["deletionProtection"] is False
    assert not [r.name for r in plan.resources if r.protect or r.retain_on_delete]
    assert {r.inputs["tags"]["environment"] for r in _tagged(plan)} == {"preview"}


def test_a_preview_stack_is_small() -> None:
    """One NAT gateway, two AZs (an ALB and an Aurora subnet group take no fewer), Aurora
    Serverless v2 pausing at 0 ACU with no reader, one cache node, one API task at least."""
    plan = stage_plan("fargate-preview")
    assert len(plan.of_type("aws:ec2/natGateway:NatGateway")) == 1
    assert len(plan.of_type("aws:ec2/subnet:Subnet")) == 4  # public + private, per AZ
    members = plan.of_type("aws:rds/clusterInstance:ClusterInstance")
    assert [m.inputs["instanceClass"] for m in members] == ["db.serverless"]
    scaling = plan.one("aws:rds/cluster:Cluster").inputs["serverlessv2ScalingConfiguration"]
    assert scaling["minCapacity"] == 0 and scaling["secondsUntilAutoPause"] == 300
    cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert cache.inputs["numCacheClusters"] == 1
    target = plan.one("aws:appautoscaling/target:Target", name="api-scaling-target")
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (1, 2)


def test_staging_is_the_production_program_at_a_smaller_size() -> None:
    production, staging = stage_plan("fargate"), stage_plan("fargate-staging")
    assert {r.type for r in production.resources} >= {r.type for r in staging.resources}

    def size(plan: Plan) -> tuple[Any, ...]:
        members = plan.of_type("aws:rds/clusterInstance:ClusterInstance")
        return (
            len(plan.of_type("aws:ec2/natGateway:NatGateway")),
            len(members),
            members[0].inputs["instanceClass"],
            plan.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs["nodeType"],
            plan.one("aws:appautoscaling/target:Target", name="api-scaling-target").inputs[
                "maxCapacity"
            ],
        )

    assert size(production) == (3, 3, "db.r7g.large", "cache.r7g.large", 20)
    assert size(staging) == (1, 2, "db.t4g.medium", "cache.t4g.small", 4)


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stack", "overrides", "message"),
    [
        ("fargate", {"environment": "prod"}, "gridops:environment='prod': expected one of"),
        (
            "fargate",
            {"expires_at": "2027-01-03T00:00:00Z"},
            "gridops:expires_at on a production stack: only preview stacks expire",
        ),
        (
            "fargate-staging",
            {"expires_at": "2027-01-03T00:00:00Z"},
            "gridops:expires_at on a staging stack",
        ),
        (
            "fargate",
            {"db_auto_pause_seconds": "300", "db_instance_class": "db.serverless"},
            "gridops:db_auto_pause_seconds on a production stack",
        ),
        (
            "eks",
            {"environment": "preview"},
            "preview stacks are built for express and fargate only",
        ),
        (
            "single-server",
            {"environment": "preview"},
            "preview stacks are built for express and fargate only",
        ),
        ("fargate", {"environment": "preview"}, "missing required config key gridops:expires_at"),
        (
            "fargate-preview",
            {"expires_at": "2027-01-04"},
            "gridops:expires_at='2027-01-04': expected a time in UTC",
        ),
        (
            "fargate-preview",
            {"expires_at": "2027-01-04T00:00:00+01:00"},
            "expected a time in UTC",
        ),
        ("fargate-preview", {"expires_at": "tomorrow"}, "expected an ISO 8601 time in UTC"),
        ("fargate-preview", {"api_image_digest": "sha256:abc"}, "expected sha256: and 64"),
    ],
)
def test_a_config_that_contradicts_the_environment_is_refused_before_anything_is_built(
    stack: str, overrides: dict[str, str], message: str
) -> None:
    plan, error = _refusal(stack, **overrides)
    assert message in error
    assert plan.resources == []


def test_expires_at_is_checked_against_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setenv(CLOCK_VARIABLE, now.strftime(TIME_FORMAT))
    past = (now - timedelta(seconds=1)).strftime(TIME_FORMAT)
    plan, error = _refusal("fargate-preview", expires_at=past)
    assert f"gridops:expires_at={past!r} is in the past" in error and plan.resources == []
    too_far = (now + timedelta(days=MAX_PREVIEW_DAYS, seconds=1)).strftime(TIME_FORMAT)
    plan, error = _refusal("fargate-preview", expires_at=too_far)
    assert f"more than {MAX_PREVIEW_DAYS} days ahead" in error and plan.resources == []
    # The furthest allowed: exactly MAX_PREVIEW_DAYS ahead, tagged as given.
    furthest = (now + timedelta(days=MAX_PREVIEW_DAYS)).strftime(TIME_FORMAT)
    plan = preview(ROOT, stack="fargate-preview", config={"expires_at": furthest})
    assert plan.one("aws:rds/cluster:Cluster").inputs["tags"]["expires-at"] == furthest


def test_the_shipped_preview_stack_expires_within_the_allowed_window() -> None:
    """The suite pins the clock a day before the shipped file's expiry (tests/conftest.py);
    without the pin the file would stop previewing on that day, which is the point."""
    expires = datetime.fromisoformat(
        load_project(ROOT, "fargate-preview").config["gridops:expires_at"]
    )
    import os

    pinned = datetime.fromisoformat(os.environ[CLOCK_VARIABLE])
    assert expires - pinned == timedelta(days=1)


# --- promotion by image digest ------------------------------------------------------------


def test_staging_and_production_given_one_digest_run_the_same_image() -> None:
    """Promotion: the digest staging ran is what production deploys, whatever tag each
    stack file names."""
    digests = {"api_image_digest": DIGEST, "worker_image_digest": OTHER_DIGEST}
    staging = preview(ROOT, stack="fargate-staging", config=digests)
    production = preview(ROOT, stack="fargate", config=digests)
    staged, produced = _images(staging), _images(production)
    assert staged["api"] == produced["api"] == f"ghcr.io/acme/api@{DIGEST}"
    workers = {name: image for name, image in produced.items() if "worker" in image}
    assert workers and set(workers.values()) == {f"ghcr.io/acme/worker@{OTHER_DIGEST}"}
    assert {i for i in staged.values() if "acme" in i} == {
        i for i in produced.values() if "acme" in i
    }


def test_without_a_digest_key_the_stage_runs_the_image_its_file_names() -> None:
    images = _images(stage_plan("fargate"))
    assert images["api"] == load_project(ROOT, "fargate").config["gridops:api_image"]


def test_the_digest_key_replaces_a_digest_the_stack_file_pins() -> None:
    plan = preview(
        ROOT,
        stack="fargate-staging",
        config={"api_image": f"ghcr.io/acme/api:1.4.2@{OTHER_DIGEST}", "api_image_digest": DIGEST},
    )
    assert _images(plan)["api"] == f"ghcr.io/acme/api@{DIGEST}"


def test_a_registry_with_a_port_keeps_it() -> None:
    plan = preview(
        ROOT,
        stack="fargate-staging",
        config={"api_image": "registry.acme.io:5000/api:2.0", "api_image_digest": DIGEST},
    )
    assert _images(plan)["api"] == f"registry.acme.io:5000/api@{DIGEST}"


# --- the CLI on the environment stacks ----------------------------------------------------


@pytest.mark.parametrize("stack", ["fargate-staging", "fargate-preview"])
def test_the_cli_previews_prices_and_times_the_environment_stacks(
    stack: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from gridops_infra.cli.app import app
    from gridops_infra.cli.commands import register_all

    if not app.registered_commands:
        register_all(app)
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    costs = {}
    for target in (stack, "fargate"):
        result = runner.invoke(app, ["cost", target, "--json"])
        assert result.exit_code == 0, result.output
        costs[target] = json.loads(result.output)["total_monthly_usd"]
    assert 0 < costs[stack] < costs["fargate"] / 3
    timing = runner.invoke(app, ["timing", stack, "--json"])
    assert timing.exit_code == 0, timing.output
    assert json.loads(timing.output)["resource_count"] == len(stage_plan(stack).custom_resources)
    shown = runner.invoke(app, ["preview", stack])
    assert shown.exit_code == 0 and "fargate stack" in shown.output, shown.output
