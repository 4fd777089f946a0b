"""A request the load balancer answers 502/503/504 itself failed for the user: the
availability SLI and the 5xx-ratio alarm count `HTTPCode_ELB_5XX_Count` beside the app's
5xx, on Fargate and on EKS (the controller's ALB, looked up by its tags), and a load
balancer with no target left to answer burns the budget at full rate."""

from __future__ import annotations

import pytest
from metric_math import evaluate

from tests.stage_plans import stage_plan

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture(scope="module", params=["fargate", "eks"])
def plan(request):
    return stage_plan(request.param)


def _by_id(queries):
    return {q["id"]: q for q in queries}


def _availability_alarms(plan):
    return [a for a in plan.of_type(METRIC_ALARM) if a.name.startswith("obs-api-availability-")]


def test_every_availability_window_counts_load_balancer_5xx(plan) -> None:
    alarms = _availability_alarms(plan)
    assert len(alarms) == 8  # four tiers, a long and a short window each
    for alarm in alarms:
        queries = _by_id(alarm.inputs["metricQueries"])
        elb = queries["elb_errors"]["metric"]
        assert elb["metricName"] == "HTTPCode_ELB_5XX_Count"
        # Published per load balancer only: a TargetGroup dimension would match nothing.
        assert elb["dimensions"] == {
            "LoadBalancer": queries["errors"]["metric"]["dimensions"]["LoadBalancer"]
        }
        assert elb["period"] == queries["requests"]["metric"]["period"]
        assert elb["stat"] == "Sum"


def test_the_sli_reads_every_failure_the_user_saw(plan) -> None:
    (alarm, *_) = _availability_alarms(plan)
    queries = alarm.inputs["metricQueries"]
    assert evaluate(queries, {"requests": 1000, "errors": 1, "elb_errors": 4}) == 0.005
    # No healthy target: every request is a 503 that reached no target group.
    assert evaluate(queries, {"elb_errors": 120}) == 1
    assert evaluate(queries, {"requests": 1000}) == 0
    assert evaluate(queries, {}) == 0


def test_the_golden_5xx_ratio_counts_them_too(plan) -> None:
    ratio = plan.one(METRIC_ALARM, "obs-api-5xx-ratio")
    queries = ratio.inputs["metricQueries"]
    assert _by_id(queries)["elb_errors"]["metric"]["metricName"] == "HTTPCode_ELB_5XX_Count"
    assert evaluate(queries, {"elb_errors": 30}) == 1
    assert evaluate(queries, {"requests": 100, "errors": 3, "elb_errors": 3}) == 0.06
