"""The arithmetic behind each figure, on the reply shapes AWS and GitHub document. MTTR,
ECS deployments and GitHub deployments are tested here only: moto 5.2 does not implement
DescribeAlarmHistory or ListServiceDeployments, and GitHub is not reachable from tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError

from gridops_infra.analysis.baseline import (
    alarms,
    cloudfront,
    cost,
    drills,
    ecs,
    github,
    metrics,
    rds,
)
from gridops_infra.analysis.baseline.aws import BaselineError, NotMeasured, _translated
from gridops_infra.analysis.baseline.document import render
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window, WindowError, window_for

UTC = dt.UTC
DAY = dt.datetime(2026, 11, 10, tzinfo=UTC)
WINDOW = Window(dt.datetime(2026, 11, 1, tzinfo=UTC), dt.datetime(2026, 11, 29, tzinfo=UTC))


def state_update(alarm: str, at: dt.datetime, old: str, new: str) -> dict[str, Any]:
    """One DescribeAlarmHistory item as AWS documents it (HistoryData is a JSON string)."""
    return {
        "AlarmName": alarm,
        "AlarmType": "MetricAlarm",
        "Timestamp": at,
        "HistoryItemType": "StateUpdate",
        "HistorySummary": f"Alarm updated from {old} to {new}",
        "HistoryData": json.dumps(
            {
                "version": "1.0",
                "oldState": {"stateValue": old, "stateReason": "before"},
                "newState": {"stateValue": new, "stateReason": "Threshold Crossed: 1 datapoint"},
            }
        ),
    }


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY.replace(hour=hour, minute=minute)


def test_mttr_is_alarm_to_next_ok() -> None:
    items = [
        state_update("api-5xx", at(10), "OK", "ALARM"),
        state_update("api-5xx", at(10, 30), "ALARM", "OK"),
        state_update("api-5xx", at(12), "OK", "ALARM"),
        # INSUFFICIENT_DATA neither closes nor reopens the incident.
        state_update("api-5xx", at(12, 5), "ALARM", "INSUFFICIENT_DATA"),
        state_update("api-5xx", at(12, 20), "INSUFFICIENT_DATA", "OK"),
        # Opened before the window: its OK alone is no incident.
        state_update("db-cpu", at(1), "ALARM", "OK"),
        state_update("db-cpu", at(15), "OK", "ALARM"),  # still open at the end
        {
            "AlarmName": "db-cpu",
            "Timestamp": at(2),
            "HistoryItemType": "ConfigurationUpdate",
            "HistoryData": "{}",
        },
    ]
    closed, still_open = alarms.recoveries(reversed(items))  # order of the reply does not matter
    assert [(r.alarm, r.minutes) for r in sorted(closed, key=lambda r: r.minutes)] == [
        ("api-5xx", 20.0),
        ("api-5xx", 30.0),
    ]
    assert still_open == 1


def service_deployment(
    created: dt.datetime, finished: dt.datetime | None, status: str
) -> dict[str, Any]:
    """One ListServiceDeployments item (ServiceDeploymentBrief) as AWS documents it."""
    item = {
        "serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/api/abc",
        "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/shop/api",
        "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/shop",
        "createdAt": created,
        "startedAt": created,
        "targetServiceRevisionArn": "arn:aws:ecs:us-east-1:123456789012:service-revision/shop/api/1",
        "status": status,
    }
    if finished is not None:
        item["finishedAt"] = finished
    return item


def test_ecs_deploys_per_week_and_lead_time() -> None:
    items = [
        service_deployment(at(9), at(9, 12), "SUCCESSFUL"),
        service_deployment(at(14), at(14, 8), "SUCCESSFUL"),
        service_deployment(at(16), at(16, 30), "ROLLBACK_SUCCESSFUL"),  # not a release
        service_deployment(at(18), None, "IN_PROGRESS"),
        service_deployment(
            dt.datetime(2026, 10, 1, tzinfo=UTC),
            dt.datetime(2026, 10, 1, 0, 5, tzinfo=UTC),
            "SUCCESSFUL",
        ),
    ]
    per_week, lead = ecs.deploy_figures([ecs.deployment_of(i) for i in items], WINDOW)
    assert per_week == pytest.approx(2 / 4)  # two successes in a four-week window
    assert lead == pytest.approx(10.0)


def test_github_lead_time_is_creation_to_first_success() -> None:
    deployments = [
        {"id": 1, "sha": "a1", "environment": "production", "created_at": "2026-11-10T09:00:00Z"},
        {"id": 2, "sha": "b2", "environment": "production", "created_at": "2026-11-12T09:00:00Z"},
        {"id": 3, "sha": "c3", "environment": "production", "created_at": "2026-10-01T09:00:00Z"},
    ]
    statuses = {
        1: [
            {"state": "in_progress", "created_at": "2026-11-10T09:01:00Z"},
            {"state": "success", "created_at": "2026-11-10T09:20:00Z"},
            {"state": "success", "created_at": "2026-11-10T10:00:00Z"},
        ],
        2: [{"state": "failure", "created_at": "2026-11-12T09:30:00Z"}],
        3: [{"state": "success", "created_at": "2026-10-01T09:05:00Z"}],
    }
    minutes = github.lead_times(deployments, statuses, WINDOW)
    assert minutes == [20.0]
    reading = Reading()
    github.record(minutes, "acme/shop", "production", WINDOW, reading)
    assert reading.values == {"deploys_per_week": 0.25, "deploy_lead_time_minutes": 20.0}
    assert (
        reading.sources["deploys_per_week"]["window"] == "2026-11-01T00:00:00Z/2026-11-29T00:00:00Z"
    )


def test_github_without_token_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in github.TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(NotMeasured, match="GITHUB_TOKEN or GH_TOKEN"):
        github.read("acme/shop", "production", WINDOW, Reading())


def test_cloudfront_error_rate_is_weighted_by_requests() -> None:
    busy = (
        {DAY: 9000.0, DAY + dt.timedelta(days=1): 1000.0},
        {DAY: 1.0, DAY + dt.timedelta(days=1): 10.0},
    )
    quiet = ({DAY: 0.0}, {DAY: 50.0})
    # (90 + 100) failed of 10,000: 1.9%, not the mean of the daily rates (5.5%).
    assert cloudfront.weighted_error_rate([busy, quiet]) == pytest.approx(1.9)
    with pytest.raises(NotMeasured, match="no requests"):
        cloudfront.weighted_error_rate([quiet])


def test_cost_uses_whole_days_and_scales_to_a_month() -> None:
    window = Window(
        dt.datetime(2026, 11, 1, 6, tzinfo=UTC), dt.datetime(2026, 11, 11, 6, tzinfo=UTC)
    )
    assert cost.whole_days(window) == (dt.date(2026, 11, 2), dt.date(2026, 11, 11))
    results = [{"Total": {"UnblendedCost": {"Amount": "9.00", "Unit": "USD"}}}] * 9
    usd, _ = cost.monthly(results, 9)
    assert usd == pytest.approx(9.0 * cost.DAYS_PER_MONTH)
    with pytest.raises(NotMeasured, match="EUR"):
        cost.monthly([{"Total": {"UnblendedCost": {"Amount": "1", "Unit": "EUR"}}}], 1)


def test_drill_rows() -> None:
    started = dt.datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    done = {
        "state": {"status": "completed"},
        "startTime": started,
        "endTime": started + dt.timedelta(minutes=7, seconds=30),
        "creationTime": started,
    }
    failed = {
        "state": {"status": "failed"},
        "startTime": started,
        "endTime": started + dt.timedelta(minutes=1),
        "creationTime": started,
    }
    assert drills.drill_of(done, "api-stop") == {
        "template": "api-stop",
        "started": "2026-11-03T02:00:00Z",
        "state": "completed",
        "recovery_minutes": 7.5,
    }
    assert "recovery_minutes" not in drills.drill_of(failed, "api-stop")


def test_nearest_rank_percentile_and_periods() -> None:
    assert metrics.nearest_rank([float(v) for v in range(1, 101)], 95) == 95.0
    assert metrics.nearest_rank([3.0], 95) == 3.0
    assert metrics.whole_window_period(WINDOW) == 28 * 86400
    assert metrics.utilization_period(WINDOW, now=dt.datetime(2026, 12, 1, tzinfo=UTC)) == 300
    assert metrics.utilization_period(WINDOW, now=dt.datetime(2027, 6, 1, tzinfo=UTC)) == 3600


def test_database_class_memory() -> None:
    assert rds.class_memory_mib("db.r6g.large") == 16 * 1024
    assert rds.class_memory_mib("db.t4g.micro") == 1024
    assert rds.class_memory_mib("db.serverless") is None
    assert rds.class_memory_mib("db.x2g.large") is None


def test_windows() -> None:
    now = dt.datetime(2026, 12, 7, 6, 30, 45, tzinfo=UTC)
    assert window_for(None, None, None, now).text() == "2026-11-07T06:30:00Z/2026-12-07T06:30:00Z"
    assert window_for(None, "2026-11-01", "2026-11-02T12:00+01:00", now).text() == (
        "2026-11-01T00:00:00Z/2026-11-02T11:00:00Z"
    )
    with pytest.raises(WindowError, match=r"ends .* before it starts"):
        window_for(None, "2026-11-02", "2026-11-01", now)
    with pytest.raises(WindowError, match="more than 455 days ago"):
        window_for(None, "2024-01-01", None, now)


def client_error(code: str, status: int, message: str = "m") -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "GetMetricData",
    )


def test_errors_become_one_line() -> None:
    throttled = _translated(
        client_error("ThrottlingException", 400), "cloudwatch:GetMetricData", None
    )
    assert isinstance(throttled, NotMeasured)
    assert (
        str(throttled)
        == "cloudwatch:GetMetricData was throttled and the retries ran out (ThrottlingException)"
    )
    rejected = _translated(
        client_error("ExpiredToken", 400, "The security token included in the request is expired"),
        "sts:GetCallerIdentity",
        None,
    )
    assert isinstance(rejected, BaselineError) and "ExpiredToken" in str(rejected)
    xml = '<?xml version="1.0"?><ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad key</Message></Error></ErrorResponse>'
    assert isinstance(
        _translated(client_error("403", 403, xml), "ecs:ListClusters", None), BaselineError
    )
    denied = _translated(client_error("AccessDeniedException", 400), "ce:GetCostAndUsage", None)
    assert isinstance(denied, NotMeasured) and str(denied).startswith(
        "access denied to ce:GetCostAndUsage"
    )
    bug = KeyError("x")
    assert _translated(bug, "ecs:ListClusters", None) is bug  # a bug keeps its traceback


def test_the_file_lists_what_was_not_measured_as_comments() -> None:
    reading = Reading()
    reading.put("error_rate_percent", 0.25, "CloudWatch AWS/ApplicationELB ...", WINDOW)
    reading.miss("mttr_minutes", "cloudwatch:DescribeAlarmHistory failed")
    text = render(reading, WINDOW, "123456789012", "eu-west-1")
    assert yaml.safe_load(text) == {
        "error_rate_percent": 0.25,
        "sources": {
            "error_rate_percent": {
                "source": "CloudWatch AWS/ApplicationELB ...",
                "window": "2026-11-01T00:00:00Z/2026-11-29T00:00:00Z",
            }
        },
    }
    assert "#   mttr_minutes: cloudwatch:DescribeAlarmHistory failed\n" in text
    assert "account 123456789012, Region eu-west-1" in text


def test_a_failed_ecs_listing_is_the_reason_given_for_deployments_and_stage() -> None:
    from gridops_infra.analysis.baseline import run

    state = run._State([], [], services_error="access denied to ecs:ListClusters")
    with pytest.raises(NotMeasured, match=r"^access denied to ecs:ListClusters$"):
        run._ecs_deployments(None, WINDOW, state, Reading())  # type: ignore[arg-type]
    reading = Reading()
    reading.miss("deploys_per_week", "access denied to ecs:ListClusters")
    reading.miss("deploys_per_week", "no ECS service found")
    assert reading.missing == {"deploys_per_week": "access denied to ecs:ListClusters"}
