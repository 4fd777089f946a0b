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
