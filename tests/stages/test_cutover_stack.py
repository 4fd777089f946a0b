"""The cutover stack previews offline at every step with the stages' own Plans answering
its StackReferences, passes the policy pack, and refuses config that cannot move traffic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from gridops_infra.policy import check_plan
from gridops_infra.testing import Plan, preview
from stacks.config import StageConfigError
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]
RECORD = "aws:route53/record:Record"
OLD, NEW = "organization/gridops/single-server", "organization/gridops/fargate"


def cutover_plan(**config: str) -> Plan:
    references = {
        OLD: stage_plan("single-server"),
        NEW: stage_plan("fargate"),
        "organization/gridops/eks": stage_plan("eks"),
    }
    return preview(ROOT, stack="cutover", config=config, stack_references=references)


def weights(plan: Plan) -> dict[str, Any]:
    return {
        r.inputs["setIdentifier"]: r.inputs["weightedRoutingPolicies"][0]["weight"]
        for r in plan.of_type(RECORD)
    }


@pytest.mark.parametrize("step", [0, 10, 50, 100])
def test_each_step_is_a_config_change_that_previews_and_passes_the_pack(step: int) -> None:
    plan = cutover_plan(weight_percent=str(step))
    assert weights(plan) == {"single-server": 100 - step, "fargate": step}
    old = plan.one(RECORD, "cutover-old-record")
    assert old.inputs["records"] == [stage_plan("single-server").outputs["front_door"]["ip"]]
    new = plan.one(RECORD, "cutover-new-record")
    door = stage_plan("fargate").outputs["front_door"]
    assert new.inputs["aliases"][0]["name"] == door["alias"]["dns_name"]
    alarm = plan.one("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert alarm.inputs["dimensions"]["DistributionId"] == door["cloudfront_distribution_id"]
    report = check_plan(plan)
    assert report.passed, [v.message for v in report.mandatory_failures]


def test_done_leaves_the_new_stage_alone_on_the_name() -> None:
    plan = cutover_plan(weight_percent="100", done="true")
    assert weights(plan) == {"fargate": 100}
    assert not plan.of_type("aws:route53/healthCheck:HealthCheck")


def test_fargate_to_eks_uses_both_distributions() -> None:
    plan = cutover_plan(
        old_stack=NEW,
        new_stack="organization/gridops/eks",
        old_stage="fargate",
        new_stage="eks",
        weight_percent="10",
    )
    aliases = {
        r.inputs["setIdentifier"]: r.inputs["aliases"][0]["name"] for r in plan.of_type(RECORD)
    }
    assert aliases == {
        "fargate": stage_plan("fargate").outputs["front_door"]["alias"]["dns_name"],
        "eks": stage_plan("eks").outputs["front_door"]["alias"]["dns_name"],
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"weight_percent": "20"}, "weight_percent=20"),
        ({"steps": "[0, 50, 10, 100]"}, "strictly increasing"),
        ({"new_stage": "single-server", "old_stage": "fargate"}, "gridops:new_stage"),
        ({"old_stage": "moon"}, "gridops:old_stage='moon'"),
        ({"done": "true"}, "done=True"),
        ({"api_image": "x"}, "gridops:api_image is not read by stage cutover"),
    ],
)
def test_bad_config_is_refused(config: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        cutover_plan(**config)


def test_the_name_and_zone_are_required() -> None:
    config = {"stage": "cutover", "old_stack": OLD, "new_stack": NEW}
    with pytest.raises(StageConfigError, match="gridops:domain and gridops:zone_id"):
        preview(
            ROOT,
            stack="cutover-bare",
            config=config,
            stack_references={OLD: stage_plan("single-server"), NEW: stage_plan("fargate")},
        )


def test_the_cli_checks_the_cutover_stack_with_both_stages_previewed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not app.registered_commands:
        register_all(app)
    monkeypatch.chdir(ROOT)
    args = ["check", ".", "--stack", "cutover", "--json"]
    args += ["--reference", f"{OLD}=.:single-server", "--reference", f"{NEW}=.:fargate"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["passed"] is True and report["summary"]["mandatory"] == 0
