"""Alarms compare in the unit their metric is published in: Aurora's replica lag is in
milliseconds, RDS's ReplicaLag in seconds, and both default to one minute of lag."""

from __future__ import annotations

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.observability.golden_signals import in_unit
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.testing import preview

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def watched_database(mode: str, thresholds: dict | None = None):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        db = ManagedPostgresWithReplicas(
            "db",
            {"network": net, "instance_class": "db.r7g.large", "replicas": 1, "engine_mode": mode},
        )
        ObservabilityStack(
            "obs",
            {
                "resources": [db],
                "alert_emails": ["oncall@example.com"],
                "thresholds": thresholds or {},
            },
        )

    return run


def lag_alarms(plan):
    return [a for a in plan.of_type(METRIC_ALARM) if "replica-lag" in a.name]


@pytest.mark.parametrize(
    ("mode", "metric", "threshold", "said"),
    [
        ("aurora", "AuroraReplicaLagMaximum", 60_000, "60000 ms"),
        ("instance", "ReplicaLag", 60, "60 s"),
    ],
)
def test_replica_lag_alarm_fires_after_one_minute_in_either_mode(
    mode, metric, threshold, said
) -> None:
    (alarm,) = lag_alarms(preview(watched_database(mode)))
    assert alarm.inputs["metricName"] == metric
    assert alarm.inputs["threshold"] == threshold
    assert said in alarm.inputs["alarmDescription"]


def test_an_override_is_read_in_the_metric_unit() -> None:
    (alarm,) = lag_alarms(preview(watched_database("aurora", {"db.replica-lag": 5000})))
    assert alarm.inputs["threshold"] == 5000
    assert "5000 ms" in alarm.inputs["alarmDescription"]


def test_units_convert_both_ways_and_refuse_what_they_cannot() -> None:
    assert in_unit(60, "Seconds", "Milliseconds") == 60_000
    assert in_unit(1500, "Milliseconds", "Seconds") == 1.5
    assert in_unit(60, "Seconds", "Seconds") == 60
    with pytest.raises(ValueError, match="Seconds to Bytes"):
        in_unit(60, "Seconds", "Bytes")
