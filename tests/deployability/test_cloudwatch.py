"""Amazon CloudWatch and CloudWatch Logs: each rule of `core/aws_rules/cloudwatch.py` fails
a Plan with an alarm or log group AWS would refuse and passes the nearest one AWS accepts;
components that take a log retention refuse a value CloudWatch Logs refuses before
registering anything."""

from __future__ import annotations

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network, RedisCache

from .aws_data_programs import assert_plan_rule
from .refusals import assert_cites

PLAN_RULES = [
    "cloudwatch-alarm-period",
    "cloudwatch-alarm-evaluation-range",
    "cloudwatch-datapoints-to-alarm",
    "cloudwatch-alarm-name",
    "cloudwatch-composite-alarm-rule",
    "cloudwatch-log-retention",
    "cloudwatch-log-group-name",
]


@pytest.mark.parametrize("rule", PLAN_RULES)
def test_the_plan_fails_what_aws_refuses_and_passes_the_rest(rule):
    assert_plan_rule(rule)


@pytest.mark.parametrize(
    ("component", "days", "accepted"),
    [(ManagedPostgresWithReplicas, 10, 14), (RedisCache, 100, 90), (Network, 2, 3)],
)
def test_a_log_retention_cloudwatch_refuses_is_refused_first(
    preview_refusals, component, days, accepted
):
    field = "flow_log_retention_days" if component is Network else "log_retention_days"

    def make(net, i, value):
        if component is Network:
            Network(f"n{i}", {"az_count": 2, field: value})
        else:
            component(f"c{i}", {"network": net, field: value})

    plan, errors = preview_refusals(
        lambda: Network("logs", {"az_count": 2, "nat": "none"}), make, [days, accepted]
    )
    assert_cites(errors.get(0), "cloudwatch-log-retention", field)
    assert 1 not in errors
    assert not [r for r in plan.resources if r.name == "c0" or r.name.startswith(("c0-", "n0"))]
    assert [r for r in plan.resources if r.name in ("c1", "n1")]


def test_an_slo_name_too_long_for_an_alarm_name_is_refused_first(preview_refusals):
    """ObservabilityStack names each alarm `<stack>-<name>-<slo>-<tier>`: an SLO name that
    makes it longer than 255 characters is refused before the stack registers anything."""
    from gridops_infra import FargateCluster, ObservabilityStack, Slo, StatelessService

    def setup():
        cluster = FargateCluster("obs", {"network": Network("obs", {"az_count": 2})})
        image = "ghcr.io/acme/api:1.4.2"
        return StatelessService("api", {"platform": cluster, "image": image, "port": 8080})

    def make(api, i, slo_name):
        slo = Slo.availability(api, name=slo_name)
        ObservabilityStack(
            f"o{i}", {"resources": [api], "slos": [slo], "alert_emails": ["a@acme.io"]}
        )

    # The longest alarm, "dev-o1-" + name + "-ticket-3d-short", must stay within 255.
    plan, errors = preview_refusals(setup, make, ["x" * 233, "x" * 232])
    assert_cites(errors.get(0), "cloudwatch-alarm-name", "slos")
    assert 1 not in errors
    stacks = {r.name for r in plan.resources if r.type == "gridops:aws:ObservabilityStack"}
    assert stacks == {"o1"}
    assert not [r for r in plan.resources if r.name.startswith("o0-")]
    assert (
        max(len(r.inputs.get("name") or r.inputs.get("alarmName") or "") for r in plan.resources)
        == 255
    )
