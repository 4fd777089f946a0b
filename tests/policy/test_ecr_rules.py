"""The ECR and image-by-digest rules, both ways: production stacks deploy by digest on every
platform, repositories keep tags immutable and scan on push."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra import (
    ContainerRepository,
    EksCluster,
    ExpressCluster,
    FargateCluster,
    Network,
    SingleServer,
    StatelessService,
)
from gridops_infra.policy import check_plan
from gridops_infra.testing import preview
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]

DIGEST = "sha256:" + "c" * 64
PRODUCTION = {"environment": "production"}


def cluster(platform: str, net: Network, tags: dict[str, str]) -> Any:
    if platform == "fargate":
        return FargateCluster("prod", {"network": net, "tags": tags})
    if platform == "eks":
        return EksCluster("prod", {"network": net, "tags": tags})
    if platform == "express":
        return ExpressCluster("prod", {"network": net, "tags": tags})
    return SingleServer("mvp", {"network": net, "tags": tags})


def stack(platform: str, image: str, tags: dict[str, str]):
    def program() -> None:
        net = Network("prod", {"az_count": 2, "tags": tags})
        StatelessService("api", {"platform": cluster(platform, net, tags), "image": image})

    return program


PLATFORMS = ["fargate", "express", "eks", "single-server"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_production_stack_running_an_image_by_tag_fails(platform):
    report = check_plan(preview(stack(platform, "ghcr.io/acme/api:1.4.2", PRODUCTION)))
    found = report.of_rule("image-by-digest")
    assert found and all("'ghcr.io/acme/api:1.4.2' by tag" in v.message for v in found)
    assert not report.passed


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_production_stack_running_by_digest_passes(platform):
    image = f"ghcr.io/acme/api:1.4.2@{DIGEST}"
    report = check_plan(preview(stack(platform, image, PRODUCTION)))
    assert report.of_rule("image-by-digest") == []


def test_a_stack_that_is_not_production_may_run_by_tag():
    report = check_plan(
        preview(stack("fargate", "ghcr.io/acme/api:1.4.2", {"environment": "staging"}))
    )
    assert report.of_rule("image-by-digest") == []


def test_images_gridops_pins_itself_are_not_judged_but_the_workloads_are():
    """Fargate tracing adds the ADOT sidecar by its version tag; the single server runs Caddy
    and PostgreSQL: those pass, the app's own image by tag does not."""

    def program() -> None:
        net = Network("prod", {"az_count": 2, "tags": PRODUCTION})
        StatelessService(
            "api",
            {
                "platform": FargateCluster("prod", {"network": net, "tags": PRODUCTION}),
                "image": f"ghcr.io/acme/api@{DIGEST}",
                "tracing": True,
            },
        )
        StatelessService(
            "web",
            {
                "platform": SingleServer("mvp", {"network": net, "tags": PRODUCTION}),
                "image": "registry.example.com:5000/web:3",
            },
        )

    found = check_plan(preview(program)).of_rule("image-by-digest")
    assert [v.message.split(" runs ")[1].split(" by ")[0] for v in found] == [
        "'registry.example.com:5000/web:3'"
    ]


def test_a_repository_image_passes_and_the_repository_rules_pass_on_defaults():
    def program() -> None:
        repo = ContainerRepository("api", {"tags": PRODUCTION})
        net = Network("prod", {"az_count": 2})
        StatelessService(
            "api",
            {
                "platform": FargateCluster("prod", {"network": net}),
                "image": repo.image(DIGEST),
                "links": [repo],
            },
        )

    report = check_plan(preview(program))
    for rule in ("image-by-digest", "ecr-immutable-tags", "ecr-scan-on-push"):
        assert report.of_rule(rule) == [], rule
    # A production stack also wants a budget (tests/budgets), which is not this test's point.
    others = [v for v in report.mandatory_failures if v.rule != "budget-on-production"]
    assert others == [], [v.message for v in others]


def test_mutable_and_unscanned_repositories_fail_their_rules():
    def program() -> None:
        ContainerRepository("api", {"immutable_tags": False, "scanning": "off"})
        aws.ecr.Repository("raw")  # ECR's defaults: MUTABLE, no scan on push

    report = check_plan(preview(program))
    assert len(report.of_rule("ecr-immutable-tags")) == 2
    assert {v.severity for v in report.of_rule("ecr-immutable-tags")} == {"mandatory"}
    assert len(report.of_rule("ecr-scan-on-push")) == 2
    assert {v.severity for v in report.of_rule("ecr-scan-on-push")} == {"advisory"}


def test_exclusions_count_as_immutable_and_registry_scanning_counts_as_scanning():
    def program() -> None:
        ContainerRepository(
            "api",
            {
                "mutable_tags": ["latest"],
                "scanning": "enhanced-continuous",
                "registry_filter_prefix": "a",
            },
        )
        ContainerRepository("app", {"scanning": "off"})  # covered by the filter "a*"
        ContainerRepository("web", {"scanning": "off"})  # not covered

    report = check_plan(preview(program))
    assert report.of_rule("ecr-immutable-tags") == []
    assert [v.message for v in report.of_rule("ecr-scan-on-push")] == [
        "ECR repository 'web' does not scan images on push and no registry scanning "
        "configuration of this stack covers it."
    ]


def as_production(plan):
    """The Plan as a stack marked production would have it (the environment tag)."""
    records = []
    for record in plan.resources:
        tags = record.inputs.get("tags")
        if isinstance(tags, dict):
            marked = {**tags, "environment": "production"}
            record = dataclasses.replace(
                record,
                inputs={**record.inputs, "tags": marked},
                outputs={**record.outputs, "tags": marked},
            )
        records.append(record)
    return dataclasses.replace(plan, resources=records)


@pytest.mark.parametrize("stage", PLATFORMS)
def test_the_shipped_stages_pin_their_images_so_they_pass_as_production(stage):
    report = check_plan(as_production(stage_plan(stage)))
    assert report.of_rule("image-by-digest") == []


def test_the_stages_images_by_tag_would_fail_as_production():
    plan = preview(
        ROOT,
        stack="fargate",
        config={"api_image": "ghcr.io/acme/api:1.4.2", "worker_image": "ghcr.io/acme/worker:1.4.2"},
    )
    found = check_plan(as_production(plan)).of_rule("image-by-digest")
    assert {v.message.split(" runs ")[1].split(" by ")[0] for v in found} == {
        "'ghcr.io/acme/api:1.4.2'",
        "'ghcr.io/acme/worker:1.4.2'",
    }
