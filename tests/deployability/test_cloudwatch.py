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


def test_an_slo_name_too_long_for_an_alarm_name_is_derived_to_fit(preview_refusals):
    """ObservabilityStack names each alarm `<stack>-<name>-<slo>-<tier>`: where that passes
    CloudWatch's 255 characters the name is derived (truncated, with a hash of the whole),
    so both stacks register and the policy finds no alarm name CloudWatch would refuse."""
    from gridops_infra import FargateCluster, ObservabilityStack, Slo, StatelessService
    from gridops_infra.policy import check_plan

    def setup():
        return FargateCluster("obs", {"network": Network("obs", {"az_count": 2})})

    def make(cluster, i, slo_name):
        image = "ghcr.io/acme/api:1.4.2"
        api = StatelessService(
            f"api{i}",
            {"platform": cluster, "image": image, "port": 8080, "path_patterns": [f"/s{i}/*"]},
        )
        slo = Slo.availability(api, name=slo_name)
        ObservabilityStack(
            f"o{i}", {"resources": [api], "slos": [slo], "alert_emails": ["a@acme.io"]}
        )

    # The longest alarm, "dev-o1-" + name + "-ticket-3d-short", is exactly 255 for o1.
    plan, errors = preview_refusals(setup, make, ["x" * 233, "x" * 232])
    assert errors == {}
    stacks = {r.name for r in plan.resources if r.type == "gridops:aws:ObservabilityStack"}
    assert stacks == {"o0", "o1"}

    def alarm_names(stack: str) -> list[str]:
        return [
            r.inputs.get("name") or r.inputs["alarmName"]
            for r in plan.resources
            if r.type.startswith("aws:cloudwatch/")
            and "larm" in r.type
            and r.name.startswith(f"{stack}-")
        ]

    fitting, derived = alarm_names("o1"), alarm_names("o0")
    assert max(map(len, fitting)) == 255 and "dev-o1-" + "x" * 232 + "-ticket-3d-short" in fitting
    assert max(map(len, derived)) == 255
    assert all(len(name) <= 255 for name in derived)
    assert len(set(derived)) == len(derived)
    assert "dev-o0-" + "x" * 233 + "-ticket-3d-short" not in derived
    assert not [v for v in check_plan(plan).violations if v.rule == "cloudwatch-alarm-name"]
