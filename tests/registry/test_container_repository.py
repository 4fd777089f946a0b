"""ContainerRepository: safe defaults, each option changing the Plan, and every bad
argument refused with nothing registered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gridops_infra import ContainerRepository
from gridops_infra.testing import preview

REPOSITORY = "aws:ecr/repository:Repository"
KEY = "aws:kms/key:Key"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_defaults_are_immutable_scanned_encrypted_with_its_own_key_and_keep_images():
    plan = preview(lambda: ContainerRepository("api"))
    repo = plan.one(REPOSITORY)
    assert repo.inputs["name"] == "api"
    assert repo.inputs["imageTagMutability"] == "IMMUTABLE"
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo.inputs["forceDelete"] is False
    key = plan.one(KEY)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    assert repo.inputs["encryptionConfigurations"] == [
        {"encryptionType": "KMS", "kmsKey": key.outputs["arn"]}
    ]
    policy = json.loads(plan.one(LIFECYCLE).inputs["policy"])
    assert [r["selection"]["countNumber"] for r in policy["rules"]] == [7, 50]
    assert plan.one(LIFECYCLE).inputs["repository"] == "api"
    assert not plan.of_type(REPLICATION) and not plan.of_type(SCANNING)
    assert repo.inputs["tags"]["gridops:component"] == "ContainerRepository"


def test_outputs_name_the_repository_and_its_url():
    captured: dict[str, Any] = {}

    def program():
        repo = ContainerRepository("worker", {"repository_name": "shop/worker"})
        repo.repository_url.apply(lambda v: captured.setdefault("url", v))
        repo.arn.apply(lambda v: captured.setdefault("arn", v))
        repo.image("sha256:" + "0" * 64).apply(lambda v: captured.setdefault("image", v))

    preview(program)
    url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/worker"
    assert captured == {
        "url": url,
        "arn": "arn:aws:ecr:us-east-1:123456789012:repository/shop/worker",
        "image": f"{url}@sha256:{'0' * 64}",
    }


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (
            {"immutable_tags": False},
            lambda p: p.one(REPOSITORY).inputs["imageTagMutability"] == "MUTABLE",
        ),
        (
            {"scanning": "off"},
            lambda p: (
                p.one(REPOSITORY).inputs["imageScanningConfiguration"] == {"scanOnPush": False}
            ),
        ),
        (
            {"untagged_expire_days": 30},
            lambda p: '"countNumber": 30' in p.one(LIFECYCLE).inputs["policy"],
        ),
        (
            {"keep_tagged_count": 200},
            lambda p: '"countNumber": 200' in p.one(LIFECYCLE).inputs["policy"],
        ),
        ({"force_delete": True}, lambda p: p.one(REPOSITORY).inputs["forceDelete"] is True),
        (
            {"tags": {"team": "platform"}},
            lambda p: p.one(REPOSITORY).inputs["tags"]["team"] == "platform",
        ),
        (
            {"encryption": "aws-managed"},
            lambda p: (
                not p.of_type(KEY)
                and p.one(REPOSITORY).inputs["encryptionConfigurations"]
                == [{"encryptionType": "KMS"}]
            ),
        ),
        (
            {"kms_key_arn": KEY_ARN},
            lambda p: (
                not p.of_type(KEY)
                and p.one(REPOSITORY).inputs["encryptionConfigurations"][0]["kmsKey"] == KEY_ARN
            ),
        ),
        (
            {"transforms": {"repository": {"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"}}},
            lambda p: p.one(REPOSITORY).inputs["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION",
        ),
        (
            {"transforms": {"kms_key": {"description": "mine"}}},
            lambda p: p.one(KEY).inputs["description"] == "mine",
        ),
    ],
)
def test_each_option_changes_the_plan(args, check):
    assert check(preview(lambda: ContainerRepository("api", args)))


def test_replication_is_one_registry_rule_filtered_to_the_prefix():
    plan = preview(
        lambda: ContainerRepository(
            "api",
            {
                "repository_name": "shop/api",
                "replica_regions": ["us-west-2", "eu-west-1"],
                "registry_filter_prefix": "shop/",
            },
        )
    )
    (rule,) = plan.one(REPLICATION).inputs["replicationConfiguration"]["rules"]
    assert rule["destinations"] == [
        {"region": "us-west-2", "registryId": "123456789012"},
        {"region": "eu-west-1", "registryId": "123456789012"},
    ]
    assert rule["repositoryFilters"] == [{"filter": "shop/", "filterType": "PREFIX_MATCH"}]


@pytest.mark.parametrize(
    ("scanning", "frequency"),
    [("enhanced-continuous", "CONTINUOUS_SCAN"), ("enhanced-on-push", "SCAN_ON_PUSH")],
)
def test_enhanced_scanning_is_the_registry_configuration(scanning, frequency):
    plan = preview(lambda: ContainerRepository("api", {"scanning": scanning}))
    config = plan.one(SCANNING).inputs
    assert config["scanType"] == "ENHANCED"
    assert config["rules"] == [
        {
            "scanFrequency": frequency,
            "repositoryFilters": [{"filter": "api*", "filterType": "WILDCARD"}],
        }
    ]
    assert plan.one(REPOSITORY).inputs["imageScanningConfiguration"] == {"scanOnPush": False}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"imutable_tags": True}, "did you mean immutable_tags"),
        ({"scanning": "daily"}, "scanning='daily' is not allowed"),
        ({"encryption": "none"}, "encryption='none' is not allowed"),
        ({"immutable_tags": False, "mutable_tags": ["latest"]}, "immutable_tags is false"),
        (
            {"encryption": "aws-managed", "kms_key_arn": KEY_ARN},
            'only with encryption="customer-key"',
        ),
        ({"kms_key_arn": KEY_ARN.replace("us-east-1", "eu-west-1")}, "KMS keys are regional"),
        ({"kms_key_arn": "alias/mine"}, "expected a KMS key ARN"),
        ({"replica_regions": ["us-east-1"]}, "the repository's own Region"),
        ({"replica_regions": ["west"]}, "is not a Region name"),
        ({"replica_regions": ["us-west-2", "us-west-2"]}, "listed twice"),
        ({"registry_filter_prefix": "a"}, "this component sets none"),
        (
            {"replica_regions": ["us-west-2"], "registry_filter_prefix": "shop/"},
            "must cover this repository",
        ),
        ({"untagged_expire_days": "7"}, "expected a whole number"),
        ({"keep_tagged_count": True}, "expected a whole number"),
        ({"force_delete": "yes"}, "expected true or false"),
        ({"transforms": {"bucket": {}}}, "unknown child role(s) bucket"),
        ({"tags": {"aws:x": "y"}}, "tags"),
    ],
)
def test_bad_arguments_are_refused_before_anything_registers(args, expected, preview_refusals):
    plan, errors = preview_refusals(
        lambda: None, lambda _c, _i, case: ContainerRepository("api", case), [args]
    )
    assert expected in errors.get(0, "<accepted>"), errors
    assert plan.resources == []


def test_a_bad_digest_is_refused():
    def program():
        repo = ContainerRepository("api")
        for digest in ("1.4.2", "sha256:" + "A" * 64, "sha256:abc", "md5:" + "0" * 64):
            with pytest.raises(ValueError, match="expected an image digest"):
                repo.image(digest)

    preview(program)
