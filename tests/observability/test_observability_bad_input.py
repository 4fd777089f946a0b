"""ObservabilityStack refuses bad `thresholds` values and SLOs that would make the same
alarms, naming the field, before it registers anything."""

from __future__ import annotations

import re
from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra.core.metrics import Metric
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.testing import preview

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


class StatelessService:
    """Stand-in with the ALB/ECS metric helpers of the real StatelessService."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lb = aws.lb.LoadBalancer(f"{name}-alb")

    def _alb(self, metric: str, stat: str = "Sum") -> Metric:
        return Metric("AWS/ApplicationELB", metric, {"LoadBalancer": self.lb.arn_suffix}, stat)

    def metric_5xx(self) -> Metric:
        return self._alb("HTTPCode_Target_5XX_Count")

    def metric_requests(self) -> Metric:
        return self._alb("RequestCount")

    def metric_latency_p99(self) -> Metric:
        return self._alb("TargetResponseTime", "p99")

    def metric_cpu(self) -> Metric:
        return Metric("AWS/ECS", "CPUUtilization", {"ServiceName": self.name})


def _threshold(value: Any) -> Any:
    return lambda api: {"thresholds": {"api.cpu": value}}


NOT_A_NUMBER = r" is not allowed; expected a finite number"
# (label, args built from the watched service, regex the error must match)
BAD: list[tuple[str, Any, str]] = [
    ("string", _threshold("high"), r'thresholds\["api.cpu"\]=\'high\'' + NOT_A_NUMBER),
    ("none", _threshold(None), r'thresholds\["api.cpu"\]=None' + NOT_A_NUMBER),
    ("list", _threshold([1]), r'thresholds\["api.cpu"\]=\[1\]' + NOT_A_NUMBER),
    ("bool", _threshold(True), r'thresholds\["api.cpu"\]=True' + NOT_A_NUMBER),
    ("nan", _threshold(float("nan")), r'thresholds\["api.cpu"\]=nan' + NOT_A_NUMBER),
    ("inf", _threshold(float("inf")), r'thresholds\["api.cpu"\]=inf' + NOT_A_NUMBER),
    ("-inf", _threshold(-float("inf")), r'thresholds\["api.cpu"\]=-inf' + NOT_A_NUMBER),
    ("huge int", _threshold(10**400), r'thresholds\["api.cpu"\]=1000+' + NOT_A_NUMBER),
    ("key", lambda api: {"thresholds": {3: 70}}, r"thresholds=3 .*alarm keys"),
    (
        "same slo twice",
        lambda api: {"slos": [Slo.availability(api), Slo.availability(api)]},
        r"slos='api-availability' .*same alarms .*'api-availability' is already listed",
    ),
    (
        "same name, other kind",
        lambda api: {
            "slos": [
                Slo.availability(api),
                Slo.latency(api, threshold_ms=300, name="api-availability"),
            ]
        },
        r"slos='api-availability' .*same alarms",
    ),
    (
        "dot reads as dash",
        lambda api: {
            "slos": [
                Slo.availability(api, name="api.v1"),
                Slo.latency(api, threshold_ms=300, name="api-v1"),
            ]
        },
        r"slos='api-v1' .*same alarms \(api-v1-\*\): SLO 'api.v1'",
    ),
]


@pytest.fixture(scope="module")
def results() -> tuple[Any, dict[str, str]]:
    errors: dict[str, str] = {}

    def program() -> None:
        api = StatelessService("api")
        for i, (label, build, _) in enumerate(BAD):
            try:
                ObservabilityStack(f"obs{i}", {"resources": [api], **build(api)})
            except ValueError as exc:
                errors[label] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize(("label", "pattern"), [(b[0], b[2]) for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_the_field(results, label: str, pattern: str) -> None:
    _, errors = results
    assert label in errors, f"{label} was accepted"
    assert errors[label].startswith("ObservabilityStack 'obs"), errors[label]
    assert re.search(pattern, errors[label]), errors[label]


def test_refused_stacks_register_nothing(results) -> None:
    plan, errors = results
    assert len(errors) == len(BAD)
    assert plan.of_type("gridops:aws:ObservabilityStack") == []
    assert not [
        r for r in plan.resources if r.type.startswith(("aws:cloudwatch", "aws:sns", "aws:kms"))
    ]


def test_whole_and_fractional_thresholds_are_used_as_given() -> None:
    def program() -> None:
        api = StatelessService("api")
        ObservabilityStack("obs", {"resources": [api], "thresholds": {"api.cpu": 70}})
        ObservabilityStack("obs2", {"resources": [api], "thresholds": {"api.cpu": 62.5}})

    plan = preview(program)
    assert plan.one(METRIC_ALARM, "obs-api-cpu").inputs["threshold"] == 70
    assert plan.one(METRIC_ALARM, "obs2-api-cpu").inputs["threshold"] == 62.5


def test_slos_with_their_own_names_on_one_service_are_accepted() -> None:
    def program() -> None:
        api = StatelessService("api")
        ObservabilityStack(
            "obs",
            {
                "resources": [api],
                "slos": [Slo.availability(api), Slo.availability(api, name="api-strict")],
            },
        )

    plan = preview(program)
    names = {r.name for r in plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")}
    assert "obs-api-availability-page-1h" in names and "obs-api-strict-page-1h" in names


def test_two_watched_components_of_one_name_are_refused() -> None:
    """A service and a cache both called `app` would share (and overwrite) alarms."""
    from gridops_infra import FargateCluster, Network, RedisCache, StatelessService

    error: list[str] = []

    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("c", {"network": net})
        api = StatelessService("app", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        cache = RedisCache("app", {"network": net})
        try:
            ObservabilityStack("obs", {"resources": [api, cache]})
        except ValueError as exc:
            error.append(str(exc))

    plan = preview(program)
    assert error and "resources=['app']" in error[0] and "own name" in error[0]
    assert not [r for r in plan.resources if r.name.startswith("obs")]


def test_a_second_stack_on_the_same_services_slos_is_refused() -> None:
    """Both would manage the service's one deployment-rollback alarm."""
    from gridops_infra import FargateCluster, Network, StatelessService

    error: list[str] = []

    def program() -> None:
        cluster = FargateCluster("c", {"network": Network("n", {})})
        api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        ObservabilityStack("obs", {"resources": [api], "slos": [Slo.availability(api)]})
        try:
            ObservabilityStack("obs2", {"resources": [api], "slos": [Slo.availability(api)]})
        except ValueError as exc:
            error.append(str(exc))

    plan = preview(program)
    assert error and "ObservabilityStack 'obs' already alarms on the SLOs of 'api'" in error[0]
    assert not [r for r in plan.resources if r.name.startswith("obs2")]
