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


def test_fargate_to_eks_is_refused_because_one_name_has_one_distribution() -> None:
    """Both stages serve the name through CloudFront; a name belongs to one distribution, so
    weighted records would send every viewer to whichever holds it."""
    with pytest.raises(StageConfigError, match="a name belongs to one distribution at a time"):
        cutover_plan(
            old_stack=NEW,
            new_stack="organization/gridops/eks",
            old_stage="fargate",
            new_stage="eks",
        )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"weight_percent": "20"}, "weight_percent=20"),
        ({"steps": "[0, 50, 10, 100]"}, "strictly increasing"),
        ({"new_stage": "single-server", "old_stage": "fargate"}, "gridops:new_stage"),
        ({"old_stage": "moon"}, "gridops:old_stage='moon'"),
        ({"new_stage": "express"}, "its certificate covers no name of yours"),
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


NAME = {"domain": "shop.example.com", "zone_id": "Z0123456789ABCDEFGHIJ"}


@pytest.mark.parametrize("stage", ["single-server", "fargate", "eks"])
def test_a_stage_can_serve_the_name_and_leave_its_records_to_the_cutover(stage: str) -> None:
    plan = preview(ROOT, stack=stage, config={**NAME, "domain_records": "false"})
    names = {r.inputs["name"] for r in plan.of_type(RECORD)}
    assert "shop.example.com" not in names
    assert plan.outputs["url"] == "https://shop.example.com"
    for distribution in plan.of_type("aws:cloudfront/distribution:Distribution"):
        assert distribution.inputs["aliases"] == ["shop.example.com"]
    owned = preview(ROOT, stack=stage, config=NAME)
    assert "shop.example.com" in {r.inputs["name"] for r in owned.of_type(RECORD)}


def test_domain_records_without_a_domain_is_refused() -> None:
    with pytest.raises(StageConfigError, match="gridops:domain_records=false"):
        preview(ROOT, stack="fargate", config={"domain_records": "false"})


def test_the_record_switches_refuse_a_component_without_a_domain(
    preview_refusals: Any,
) -> None:
    from gridops_infra import CdnFrontend, FargateCluster, Network, SingleServer, StatelessService

    def setup() -> Any:
        net = Network("net", {"az_count": 2})
        cluster = FargateCluster("apps", {"network": net})
        api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        return net, api

    def make(context: Any, i: int, which: str) -> None:
        net, api = context
        if which == "cdn":
            CdnFrontend("web", {"api_origin": api, "alias_records": False})
        else:
            SingleServer("box", {"network": net, "dns_record": False})

    plan, errors = preview_refusals(setup, make, ["cdn", "server"])
    assert "alias_records=False is not allowed" in errors[0]
    assert "dns_record=False is not allowed" in errors[1]
    assert not [r for r in plan.resources if r.name.startswith(("web", "box"))]


def test_the_cutover_costs_its_health_check_and_alarm() -> None:
    from gridops_infra.analysis.cost.estimate import estimate_cost

    report = estimate_cost(cutover_plan(weight_percent="10"))
    monthly = {line.type: line.monthly_usd for line in report.lines}
    assert monthly == {
        "aws:route53/healthCheck:HealthCheck": 0.5,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 0.1,
    }
    assert report.total == pytest.approx(0.6) and not report.not_priced
    done = estimate_cost(cutover_plan(weight_percent="100", done="true"))
    assert done.total == 0


def test_an_endpoint_health_check_is_reported_not_priced() -> None:
    import pulumi_aws as aws

    from gridops_infra.analysis.cost.estimate import estimate_cost

    def program() -> None:
        aws.route53.HealthCheck("site", type="HTTPS", fqdn="shop.example.com", port=443)

    report = estimate_cost(preview(program))
    assert report.total == 0
    assert [n for n in report.not_priced if "endpoint kind" in str(n)]


def test_each_step_is_one_record_update_of_about_40_seconds() -> None:
    from gridops_infra.analysis.timing.estimate import estimate_timing, estimate_update

    update = estimate_update(cutover_plan(weight_percent="10"), cutover_plan(weight_percent="50"))
    assert {c.name for c in update.changes} == {"cutover-old-record", "cutover-new-record"}
    assert {c.action for c in update.changes} == {"update"}
    assert update.total_seconds == 40
    assert estimate_timing(cutover_plan()).total_seconds < 120
