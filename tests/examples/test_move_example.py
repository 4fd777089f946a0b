"""examples/move-single-server-to-managed: every step of the move is one config change,
previewed offline; each step adds what the README says it adds and passes every mandatory
policy rule."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from gridops_infra.core.validation import ArgError
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import Plan, preview
from tests.stage_plans import EXAMPLES

PROJECT = EXAMPLES / "move-single-server-to-managed"
DOMAIN = "shop.example.com"
RECORD = "aws:route53/record:Record"
DMS_CONFIG = "aws:dms/replicationConfig:ReplicationConfig"
HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck"

# The README's steps in order, each the config change it names on top of the ones before.
STEPS: list[tuple[str, dict[str, str]]] = [
    ("stand-up", {}),
    ("replication", {"move:replication": "on"}),
    ("weight-0", {"move:weight": "0"}),
    ("weight-10", {"move:weight": "10"}),
    ("weight-50", {"move:weight": "50"}),
    ("weight-100", {"move:weight": "100"}),
    ("done", {"move:done": "true"}),
    ("replication-off", {"move:replication": "off"}),
]
NAMES = [name for name, _ in STEPS]


def config_at(step: str) -> dict[str, str]:
    config: dict[str, str] = {}
    for _, change in STEPS[: NAMES.index(step) + 1]:
        config |= change
    return config


@cache
def plan_at(step: str) -> Plan:
    return preview(PROJECT, config=config_at(step))


def public_records(plan: Plan) -> dict[str | None, dict[str, Any]]:
    """The A records on the public name, by set identifier (None: a simple record)."""
    return {
        r.inputs.get("setIdentifier"): r.inputs
        for r in plan.of_type(RECORD)
        if r.inputs["name"].rstrip(".") == DOMAIN and r.inputs["type"] == "A"
    }


def weights(plan: Plan) -> dict[str, int]:
    return {
        side: int(record["weightedRoutingPolicies"][0]["weight"])
        for side, record in public_records(plan).items()
        if side is not None
    }


@pytest.mark.parametrize("step", NAMES)
def test_every_step_passes_every_mandatory_rule(step: str) -> None:
    mandatory = [v for v in check_plan(plan_at(step)).violations if v.severity == "mandatory"]
    assert mandatory == [], step


def test_standing_up_runs_both_sides_with_nothing_moving() -> None:
    plan = plan_at("stand-up")
    assert not plan.of_type("gridops:aws:PostgresReplication")
    assert not plan.of_type(DMS_CONFIG)
    assert not [r for r in plan.resources if "source-in-5432" in r.name]
    assert not [r for r in plan.resources if r.name.startswith("mvp-replication")]
    # The single server keeps its own record on the name; nothing is weighted yet.
    (record,) = public_records(plan).values()
    assert "setIdentifier" not in record
    assert record["records"] == [plan.by_name("mvp-eip").outputs["publicIp"]]
    assert not plan.of_type(HEALTH_CHECK)
    assert plan.one("gridops:aws:CdnFrontend") and plan.one("gridops:aws:FargateCluster")
    assert len(plan.of_type("aws:ec2/vpc:Vpc")) == 1


def test_replication_adds_dms_and_opens_5432_to_dms_only() -> None:
    before, plan = plan_at("stand-up"), plan_at("replication")
    (config,) = plan.of_type(DMS_CONFIG)
    assert config.inputs["replicationType"] == "full-load-and-cdc"
    ingress = plan.by_name("move-source-in-5432").inputs
    assert ingress["fromPort"] == 5432
    assert ingress["securityGroupId"] == plan.by_name("mvp-sg").id
    assert ingress["referencedSecurityGroupId"] == plan.by_name("move-sg").id
    assert "cidrIpv4" not in ingress
    # Both databases sit in the one VPC, DMS in its private subnets.
    (vpc,) = plan.of_type("aws:ec2/vpc:Vpc")
    assert plan.by_name("move-sg").inputs["vpcId"] == vpc.id
    source = plan.by_name("move-source").inputs
    assert source["secretsManagerArn"] == plan.by_name("mvp-replication-secret").outputs["arn"]
    # The step adds the replication and changes nothing on the public name.
    assert public_records(plan) == public_records(before)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("weight-0", {"single-server": 100, "fargate": 0}),
        ("weight-10", {"single-server": 90, "fargate": 10}),
        ("weight-50", {"single-server": 50, "fargate": 50}),
        ("weight-100", {"single-server": 0, "fargate": 100}),
    ],
)
def test_each_weight_step_splits_the_name_with_the_rollback_on_the_new_side(
    step: str, expected: dict[str, int]
) -> None:
    plan = plan_at(step)
    records = public_records(plan)
    assert None not in records  # the server's own record gave way to the weighted ones
    assert weights(plan) == expected
    old, new = records["single-server"], records["fargate"]
    assert old["records"] == [plan.by_name("mvp-eip").outputs["publicIp"]]
    assert "healthCheckId" not in old
    (alias,) = new["aliases"]
    assert alias["name"] == plan.by_name("web-distribution").outputs["domainName"]
    (check,) = plan.of_type(HEALTH_CHECK)
    assert check.inputs["type"] == "CLOUDWATCH_METRIC"
    alarm = plan.by_name("shop-alarm")
    assert check.inputs["cloudwatchAlarmName"] == alarm.outputs["name"]
    assert alarm.inputs["metricName"] == "5xxErrorRate"
    assert alarm.inputs["dimensions"]["DistributionId"] == plan.by_name("web-distribution").id
    assert new["healthCheckId"] == check.id
    # The replication keeps running through every shift.
    assert plan.of_type(DMS_CONFIG)


def test_done_removes_the_old_record_and_the_health_check() -> None:
    plan = plan_at("done")
    assert weights(plan) == {"fargate": 100}
    assert not plan.of_type(HEALTH_CHECK)
    assert plan.of_type(DMS_CONFIG)  # the lag drains to 0 before replication goes


def test_replication_off_deletes_dms_and_closes_5432() -> None:
    plan = plan_at("replication-off")
    assert not plan.of_type(DMS_CONFIG)
    assert not [r for r in plan.resources if "source-in-5432" in r.name]
    assert not [r for r in plan.resources if r.name.startswith("mvp-replication")]
    assert weights(plan) == {"fargate": 100}
    assert None not in public_records(plan)


def test_a_step_that_skips_the_order_is_refused() -> None:
    """Done before 100 % is a mistake the preview catches, before anything registers."""
    with pytest.raises(ArgError, match=r"done=True is not allowed.*weight_percent 100"):
        preview(PROJECT, config=config_at("weight-50") | {"move:done": "true"})


def test_move_weights_sets_the_allowed_steps() -> None:
    config = config_at("weight-0") | {"move:weights": "[0, 5, 25, 50, 100]", "move:weight": "5"}
    assert weights(preview(PROJECT, config=config)) == {"single-server": 95, "fargate": 5}
    with pytest.raises(ArgError, match="weight_percent"):
        preview(PROJECT, config=config_at("weight-0") | {"move:weight": "5"})
