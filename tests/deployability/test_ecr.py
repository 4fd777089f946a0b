"""Amazon ECR: each rule of `core/aws_rules/ecr.py` refuses, before anything registers, a
repository AWS would refuse (or a registry setting it would silently replace), and accepts
the nearest one it takes."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra import ContainerRepository
from gridops_infra.policy import check_plan
from gridops_infra.testing import preview

from .refusals import assert_cites, registered_names

REPOSITORY = "aws:ecr/repository:Repository"


def _refusals(cases: list[tuple[str, dict[str, Any]]], preview_refusals):
    return preview_refusals(
        lambda: None,
        lambda _ctx, _i, case: ContainerRepository(case[0], case[1]),
        cases,
    )


@pytest.mark.parametrize(
    ("name", "args", "field"),
    [
        ("API", {}, "name"),
        ("shop", {"repository_name": "Shop/API"}, "repository_name"),
        ("a", {}, "name"),
        ("shop", {"repository_name": "api-"}, "repository_name"),
        ("shop", {"repository_name": "shop//api"}, "repository_name"),
        ("shop", {"repository_name": "a" * 257}, "repository_name"),
    ],
)
def test_repository_names_ecr_refuses_are_refused_before_anything_registers(
    name, args, field, preview_refusals
):
    plan, errors = _refusals([(name, args)], preview_refusals)
    assert_cites(errors.get(0), "ecr-repository-name", field)
    assert plan.resources == []


def test_repository_names_ecr_accepts_pass():
    def program():
        ContainerRepository("shop", {"repository_name": "shop/api"})
        ContainerRepository("ab")
        ContainerRepository("long", {"repository_name": "a" * 256})
        ContainerRepository("seps", {"repository_name": "a.b_c__d---e/f"})

    names = {r.inputs["name"] for r in preview(program).of_type(REPOSITORY)}
    assert names == {"shop/api", "ab", "a" * 256, "a.b_c__d---e/f"}


def test_more_than_five_or_malformed_mutable_tags_are_refused(preview_refusals):
    cases = [
        ("six", {"mutable_tags": [f"t{i}" for i in range(6)]}),
        ("bad", {"mutable_tags": ["release candidate"]}),
        ("long", {"mutable_tags": ["x" * 129]}),
    ]
    plan, errors = _refusals(cases, preview_refusals)
    for i in range(len(cases)):
        assert_cites(errors.get(i), "ecr-tag-mutability-exclusions", "mutable_tags")
    assert plan.resources == []


def test_five_mutable_tags_make_an_immutable_with_exclusion_repository():
    tags = ["latest", "dev-*", "a.b", "x_y", "*"]
    plan = preview(lambda: ContainerRepository("api", {"mutable_tags": tags}))
    repo = plan.one(REPOSITORY)
    assert repo.inputs["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert repo.inputs["imageTagMutabilityExclusionFilters"] == [
        {"filter": t, "filterType": "WILDCARD"} for t in tags
    ]


@pytest.mark.parametrize("field", ["untagged_expire_days", "keep_tagged_count"])
def test_a_lifecycle_count_of_zero_is_refused(field, preview_refusals):
    plan, errors = _refusals([("api", {field: 0}), ("web", {field: -3})], preview_refusals)
    assert_cites(errors.get(0), "ecr-lifecycle-policy-rules", field)
    assert_cites(errors.get(1), "ecr-lifecycle-policy-rules", field)
    assert plan.resources == []


def test_the_lifecycle_policy_follows_ecrs_rule_properties():
    plan = preview(
        lambda: ContainerRepository("api", {"untagged_expire_days": 1, "keep_tagged_count": 1})
    )
    policy = json.loads(plan.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    rules = policy["rules"]
    assert len({r["rulePriority"] for r in rules}) == len(rules) == 2
    for rule in rules:
        selection = rule["selection"]
        assert selection["countNumber"] >= 1
        if selection["tagStatus"] == "tagged":
            assert selection["tagPatternList"] == ["*"]
        else:
            assert "tagPatternList" not in selection and "tagPrefixList" not in selection
        assert rule["action"] == {"type": "expire"}
    assert [r["selection"]["countType"] for r in rules] == [
        "sinceImagePushed",
        "imageCountMoreThan",
    ]


def test_a_second_writer_of_a_registry_wide_setting_is_refused(preview_refusals):
    """Replication and enhanced scanning belong to the registry of the Region: the second
    component asking for either is refused and registers nothing; the first one stands."""
    cases = [
        ("api", {"replica_regions": ["us-west-2"]}),
        ("worker", {"replica_regions": ["eu-west-1"]}),
        ("web", {"scanning": "enhanced-continuous"}),
        ("jobs", {"scanning": "enhanced-on-push"}),
    ]
    plan, errors = _refusals(cases, preview_refusals)
    assert 0 not in errors and 2 not in errors
    assert_cites(errors.get(1), "ecr-registry-settings-one-per-registry", "replica_regions")
    assert "ContainerRepository 'api'" in errors[1]
    assert_cites(errors.get(3), "ecr-registry-settings-one-per-registry", "scanning")
    names = registered_names(plan)
    assert not any(n.startswith(("worker", "jobs")) for n in names)
    assert len(plan.of_type("aws:ecr/replicationConfiguration:ReplicationConfiguration")) == 1


def test_the_policy_fails_two_replication_configurations_the_component_cannot_see():
    def two():
        repo = ContainerRepository("api", {"replica_regions": ["us-west-2"]})
        aws.ecr.ReplicationConfiguration(
            "own",
            replication_configuration={
                "rules": [
                    {"destinations": [{"region": "eu-west-1", "registry_id": repo.registry_id}]}
                ]
            },
        )

    report = check_plan(preview(two))
    violations = report.of_rule("ecr-one-registry-configuration")
    assert len(violations) == 1 and "replaces the others" in violations[0].message
    assert not report.passed

    one = check_plan(
        preview(lambda: ContainerRepository("api", {"replica_regions": ["us-west-2"]}))
    )
    assert one.of_rule("ecr-one-registry-configuration") == []
