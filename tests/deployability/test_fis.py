"""FIS's create-time rules: ResilienceDrills refuses more than 5 stop conditions and
selection modes FIS refuses, before anything registers; the policy pack fails experiment
templates FIS would refuse and passes the ones it accepts."""

from __future__ import annotations

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import reveal

from .edge_reports import assert_policy_accepts, assert_policy_refuses

TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
POLICY_CASES = {
    "fis-stop-conditions-quota": {"refused-fis-stop-conditions-quota"},
    "fis-action-duration-iso8601": {"refused-fis-action-duration-iso8601"},
    "fis-selection-mode": {"refused-fis-selection-mode"},
    "fis-experiment-role-trust": {"refused-fis-experiment-role-trust"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_templates_fis_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_templates_fis_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


# (extra args, the AWS rule the refusal cites; None: accepted)
CASES = [
    ({"stop_alarm_names": [f"alarm-{i}" for i in range(6)]}, "fis-stop-conditions-quota"),
    ({"selection_mode": "PERCENT(0)"}, "fis-selection-mode"),
    ({"selection_mode": "SOME"}, "fis-selection-mode"),
    ({"stop_alarm_names": [f"alarm-{i}" for i in range(4)], "selection_mode": "PERCENT(25)"}, None),
]


def test_resilience_drills_refuse_what_fis_refuses(preview_refusals) -> None:
    def setup() -> StatelessService:
        cluster = FargateCluster("prod", {"network": Network("net", {"az_count": 2})})
        return StatelessService("api", {"platform": cluster, **SERVICE})

    plan, errors = preview_refusals(
        setup,
        lambda api, i, case: ResilienceDrills(f"drills{i}", {"targets": [api], **case[0]}),
        CASES,
    )
    assert sorted(errors) == [0, 1, 2]
    assert "at most 5 stop conditions" in errors[0]
    assert errors[0].startswith("ResilienceDrills 'drills0': stop_alarm_names: ")
    for i in (1, 2):
        assert errors[i].startswith(f"ResilienceDrills 'drills{i}': selection_mode: ")
        assert "AWS FIS" in errors[i] and "targets.html" in errors[i]
    for i in (0, 1, 2):
        assert not [r for r in plan.resources if r.name.startswith(f"drills{i}")]
    (template,) = plan.of_type(TEMPLATE)
    inputs = reveal(template.inputs)
    assert len(inputs["stopConditions"]) == 4  # the alarms given replace the default one
    assert inputs["targets"][0]["selectionMode"] == "PERCENT(25)"
