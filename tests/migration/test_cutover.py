"""TrafficCutover: the weighted records at each step, the health check that takes the new
side out, `done`, and every refusal naming its field with nothing registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridops_infra import TrafficCutover, TrafficCutoverArgs
from gridops_infra.migration.args import CutoverAliasArgs
from gridops_infra.migration.cutover_records import page_tier_error_rate_percent
from gridops_infra.testing import Plan, preview

RECORD = "aws:route53/record:Record"
HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CLOUDFRONT: CutoverAliasArgs = {
    "dns_name": "d111111abcdef8.cloudfront.net",
    "zone_id": "Z2FDTNDATAQYW2",
}
BASE: TrafficCutoverArgs = {
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "record_name": "shop.example.com",
    "old": {"ip": "203.0.113.10"},
    "new": {"alias": CLOUDFRONT},
    "weight_percent": 10,
    "rollback": {"cloudfront_distribution_id": "E2QWRUHAPOMQZL"},
}


def plan_of(**changes: Any) -> Plan:
    args = {**BASE, **changes}
    return preview(lambda: TrafficCutover("shop", args))  # type: ignore[arg-type]


def record(plan: Plan, side: str) -> Any:
    return plan.one(RECORD, f"shop-{side}-record")


@pytest.mark.parametrize("weight", [0, 10, 50, 100])
def test_each_step_splits_resolutions_by_weight(weight: int) -> None:
    plan = plan_of(weight_percent=weight)
    old, new = record(plan, "old"), record(plan, "new")
    assert old.inputs["weightedRoutingPolicies"] == [{"weight": 100 - weight}]
    assert new.inputs["weightedRoutingPolicies"] == [{"weight": weight}]
    for r in (old, new):
        assert (r.inputs["name"], r.inputs["type"]) == ("shop.example.com", "A")
    assert {old.inputs["setIdentifier"], new.inputs["setIdentifier"]} == {"old", "new"}


def test_only_the_new_side_carries_the_health_check_that_follows_the_alarm() -> None:
    plan = plan_of()
    check = plan.one(HEALTH_CHECK)
    alarm = plan.one(ALARM)
    assert check.inputs["type"] == "CLOUDWATCH_METRIC"
    assert check.inputs["cloudwatchAlarmRegion"] == "us-east-1"
    assert check.inputs["insufficientDataHealthStatus"] == "LastKnownStatus"
    assert check.inputs["cloudwatchAlarmName"] == alarm.outputs["name"]
    assert record(plan, "new").inputs["healthCheckId"] == check.id
    assert "healthCheckId" not in record(plan, "old").inputs
    # One metric, a basic statistic, standard resolution: what Route 53 can follow.
    assert alarm.inputs["namespace"] == "AWS/CloudFront"
    assert alarm.inputs["metricName"] == "5xxErrorRate"
    assert alarm.inputs["statistic"] == "Average" and alarm.inputs["period"] == 60
    assert alarm.inputs["dimensions"] == {"DistributionId": "E2QWRUHAPOMQZL", "Region": "Global"}
    assert "metricQueries" not in alarm.inputs
    assert alarm.inputs["threshold"] == pytest.approx(1.44)
    assert alarm.inputs["treatMissingData"] == "missing"


def test_the_alarm_threshold_is_the_page_tiers_fast_burn() -> None:
    assert page_tier_error_rate_percent(0.999) == pytest.approx(1.44)
    assert page_tier_error_rate_percent(0.99) == pytest.approx(14.4)
    plan = plan_of(
        rollback={"cloudfront_distribution_id": "E2QWRUHAPOMQZL", "availability_objective": 0.995}
    )
    assert plan.one(ALARM).inputs["threshold"] == pytest.approx(7.2)


def test_aliases_take_no_ttl_and_addresses_a_short_one() -> None:
    plan = plan_of(ttl=30)
    old, new = record(plan, "old"), record(plan, "new")
    assert old.inputs["ttl"] == 30 and old.inputs["records"] == ["203.0.113.10"]
    assert "ttl" not in new.inputs
    assert new.inputs["aliases"] == [
        {
            "name": CLOUDFRONT.get("dns_name"),
            "zoneId": "Z2FDTNDATAQYW2",
            "evaluateTargetHealth": False,
        }
    ]


def test_an_alarm_of_ones_own_is_followed_in_its_region() -> None:
    plan = plan_of(
        rollback={
            "alarm_name": "shop-new-5xx-rate",
            "alarm_region": "eu-west-1",
            "insufficient_data": "Unhealthy",
        }
    )
    assert not plan.of_type(ALARM)
    check = plan.one(HEALTH_CHECK)
    assert check.inputs["cloudwatchAlarmName"] == "shop-new-5xx-rate"
    assert check.inputs["cloudwatchAlarmRegion"] == "eu-west-1"
    assert check.inputs["insufficientDataHealthStatus"] == "Unhealthy"


def test_done_keeps_only_the_new_record() -> None:
    plan = plan_of(weight_percent=100, done=True)
    assert [r.name for r in plan.of_type(RECORD)] == ["shop-new-record"]
    assert not plan.of_type(HEALTH_CHECK) and not plan.of_type(ALARM)
    assert "healthCheckId" not in record(plan, "new").inputs


def test_both_sides_as_cnames() -> None:
    plan = plan_of(
        old={"cname": "old.example.net", "set_identifier": "single-server"},
        new={"cname": "new.example.net", "set_identifier": "fargate"},
        rollback={"alarm_name": "shop-new-5xx-rate"},
    )
    assert {r.inputs["type"] for r in plan.of_type(RECORD)} == {"CNAME"}
    assert record(plan, "new").inputs["records"] == ["new.example.net"]


def test_without_rollback_a_weight_above_zero_needs_consent() -> None:
    plan = plan_of(rollback=None, automatic_rollback=False, weight_percent=50)
    assert not plan.of_type(HEALTH_CHECK)
    plan = plan_of(rollback=None, weight_percent=0)
    assert len(plan.of_type(RECORD)) == 2


Case = tuple[str, dict[str, Any], str]
BAD: list[Case] = [
    ("weight above 100", {"weight_percent": 101}, "weight_percent=101"),
    ("weight below 0", {"weight_percent": -1}, "weight_percent=-1"),
    ("weight not a step", {"weight_percent": 20}, "weight_percent=20"),
    ("weight missing", {"weight_percent": None}, "weight_percent=None"),
    ("steps not increasing", {"steps": [0, 50, 10, 100]}, "steps="),
    ("steps repeat", {"steps": [0, 10, 10, 100]}, "strictly increasing"),
    ("steps end short", {"steps": [0, 10, 50], "weight_percent": 10}, "last step must be 100"),
    ("steps out of range", {"steps": [0, 150]}, "whole numbers from 0 to 100"),
    ("done before 100", {"done": True}, "done=True"),
    ("rollback missing", {"rollback": None}, "rollback=None"),
    ("alarm missing", {"rollback": {"insufficient_data": "Healthy"}}, "rollback="),
    (
        "both alarm sources",
        {"rollback": {"alarm_name": "a", "cloudfront_distribution_id": "E2QWRUHAPOMQZL"}},
        "exactly one of alarm_name",
    ),
    (
        "insufficient data status",
        {"rollback": {"alarm_name": "a", "insufficient_data": "Unknown"}},
        "InsufficientDataHealthStatus",
    ),
    (
        "CloudFront alarm elsewhere",
        {
            "rollback": {
                "cloudfront_distribution_id": "E2QWRUHAPOMQZL",
                "alarm_region": "eu-west-1",
            }
        },
        "rollback.alarm_region",
    ),
    (
        "objective of 1",
        {"rollback": {"cloudfront_distribution_id": "E2", "availability_objective": 1}},
        "rollback.availability_objective",
    ),
    (
        "objective without the distribution",
        {"rollback": {"alarm_name": "a", "availability_objective": 0.99}},
        "rollback.availability_objective",
    ),
    (
        "two CloudFront distributions",
        {"old": {"alias": {"dns_name": "d2.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}}},
        "one distribution at a time",
    ),
    ("mixed record types", {"old": {"cname": "old.example.net"}}, "same name and the same type"),
    ("two front doors on a side", {"old": {"ip": "203.0.113.10", "cname": "x.io"}}, "old="),
    ("no front door", {"new": {}}, "new="),
    ("not an address", {"old": {"ip": "300.1.1.1"}}, "old.ip='300.1.1.1'"),
    ("alias without zone", {"new": {"alias": {"dns_name": "d.cloudfront.net"}}}, "new.alias"),
    ("same set identifier", {"new": {"alias": CLOUDFRONT, "set_identifier": "old"}}, "new.set"),
    ("long set identifier", {"old": {"ip": "203.0.113.10", "set_identifier": "x" * 129}}, "128"),
    ("unknown side field", {"old": {"ip": "203.0.113.10", "weight": 3}}, "weight"),
    ("bad record name", {"record_name": "shop example"}, "record_name='shop example'"),
    ("bad zone", {"zone_id": "example.com"}, "zone_id='example.com'"),
    ("long ttl", {"ttl": 3600}, "ttl=3600"),
    ("unknown field", {"weight": 10}, "unknown argument(s) weight"),
]


@pytest.mark.parametrize(("case", "changes", "named"), BAD, ids=[c[0] for c in BAD])
def test_bad_input_is_refused_naming_the_field(
    preview_refusals: Callable[..., Any], case: str, changes: dict[str, Any], named: str
) -> None:
    args = {k: v for k, v in {**BASE, **changes}.items() if v is not None}

    def make(_: Any, i: int, given: dict[str, Any]) -> None:
        TrafficCutover(f"bad-{i}", given)  # type: ignore[arg-type]

    plan, errors = preview_refusals(lambda: None, make, [args])
    assert 0 in errors, f"{case}: accepted"
    assert named in errors[0], errors[0]
    assert errors[0].startswith("TrafficCutover 'bad-0")
    assert plan.resources == []
