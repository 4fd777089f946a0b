"""Drills that run on their own: ResilienceDrills' `schedule` creates a schedule group, a
role EventBridge Scheduler alone may assume (for this account and group) allowed to start
exactly the scheduled templates, and one schedule per drill calling FIS's StartExperiment
through the universal target; bad schedules are refused before anything registers; the
stop alarms stay, and a policy rule fails a scheduled template without one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.policy import MANDATORY, check_plan
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
SCHEDULE = "aws:scheduler/schedule:Schedule"
GROUP = "aws:scheduler/scheduleGroup:ScheduleGroup"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/rolePolicy:RolePolicy"
REGION, ACCOUNT = "us-east-1", "123456789012"
WEEKLY = {"expression": "cron(0 10 ? * TUE *)", "timezone": "Europe/Berlin"}


def targets() -> tuple[StatelessService, ManagedPostgresWithReplicas, ObservabilityStack]:
    net = Network("prod", {"az_count": 2})
    cluster = FargateCluster("prod", {"network": net})
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.t4g.large", "replicas": 1}
    )
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "cpu": 512,
            "memory": 1024,
            "links": [db],
        },
    )
    obs = ObservabilityStack(
        "obs", {"resources": [api, db], "slos": [Slo.availability(api, objective=0.999)]}
    )
    return api, db, obs


def drills_program(**extra: Any):
    def program() -> None:
        api, db, obs = targets()
        ResilienceDrills("drills", {"targets": [api, db], "observability": obs, **extra})

    return program


@pytest.fixture(scope="module")
def weekly():
    return preview(drills_program(schedule=WEEKLY), stack="staging")


def test_one_schedule_per_drill_starting_its_template_through_the_universal_target(
    weekly,
) -> None:
    templates = {r.name: r for r in weekly.of_type(TEMPLATE)}
    schedules = {r.name: reveal(r.inputs) for r in weekly.of_type(SCHEDULE)}
    assert sorted(schedules) == ["drills-api-stop-task-schedule", "drills-db-failover-schedule"]
    (group,) = weekly.of_type(GROUP)
    role = weekly.one(ROLE, "drills-schedule-role")
    for key in ("api-stop-task", "db-failover"):
        s = schedules[f"drills-{key}-schedule"]
        assert s["scheduleExpression"] == "cron(0 10 ? * TUE *)"
        assert s["scheduleExpressionTimezone"] == "Europe/Berlin"
        assert s["flexibleTimeWindow"] == {"mode": "OFF"}
        assert s["state"] == "ENABLED"
        assert s["groupName"] == group.outputs["name"]
        target = s["target"]
        assert target["arn"] == "arn:aws:scheduler:::aws-sdk:fis:startExperiment"
        assert target["roleArn"] == role.outputs["arn"]
        assert target["retryPolicy"] == {"maximumRetryAttempts": 0}
        assert json.loads(target["input"]) == {
            "ExperimentTemplateId": templates[f"drills-{key}"].id,
            "ClientToken": "<aws.scheduler.execution-id>",
        }


def test_the_scheduled_templates_keep_their_slo_stop_alarms(weekly) -> None:
    for template in weekly.of_type(TEMPLATE):
        conditions = reveal(template.inputs)["stopConditions"]
        assert conditions and all(c["source"] == "aws:cloudwatch:alarm" for c in conditions)
        assert any(c["value"].endswith(":alarm:gridops-staging-api-slo-page") for c in conditions)


def test_the_scheduler_role_is_trusted_by_scheduler_for_this_account_and_group(weekly) -> None:
    (group,) = weekly.of_type(GROUP)
    name = group.inputs["name"]
    assert name == "gridops-staging-drills"
    trust = json.loads(weekly.one(ROLE, "drills-schedule-role").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/{name}"},
    }


def test_the_scheduler_role_may_start_exactly_the_scheduled_templates(weekly) -> None:
    policy = json.loads(reveal(weekly.one(POLICY, "drills-schedule-policy").inputs)["policy"])
    (statement,) = policy["Statement"]
    assert statement["Action"] == ["fis:StartExperiment"]
    ids = sorted(t.id for t in weekly.of_type(TEMPLATE))
    assert sorted(statement["Resource"]) == sorted(
        [f"arn:aws:fis:{REGION}:{ACCOUNT}:experiment-template/{i}" for i in ids]
        + [f"arn:aws:fis:{REGION}:{ACCOUNT}:experiment/*"]
    )
    assert "Condition" not in statement
    # no iam:PassRole anywhere: StartExperiment passes no role
    assert all("iam:PassRole" not in s["Action"] for s in policy["Statement"])


def test_the_plan_passes_gridops_check(weekly) -> None:
    report = check_plan(weekly)
    assert report.passed, [v.message for v in report.mandatory_failures]


def test_experiments_choose_which_drills_are_scheduled() -> None:
    plan = preview(
        drills_program(schedule={"expression": "rate(7 days)", "experiments": ["db-failover"]})
    )
    (schedule,) = plan.of_type(SCHEDULE)
    assert schedule.name == "drills-db-failover-schedule"
    assert schedule.inputs["scheduleExpressionTimezone"] == "UTC"
    db_template = plan.one(TEMPLATE, "drills-db-failover").id
    policy = json.loads(reveal(plan.one(POLICY, "drills-schedule-policy").inputs)["policy"])
    assert policy["Statement"][0]["Resource"] == [
        f"arn:aws:fis:{REGION}:{ACCOUNT}:experiment-template/{db_template}",
        f"arn:aws:fis:{REGION}:{ACCOUNT}:experiment/*",
    ]


def test_without_a_schedule_nothing_is_scheduled() -> None:
    plan = preview(drills_program())
    assert plan.of_type(SCHEDULE) == [] and plan.of_type(GROUP) == []
    assert [r.name for r in plan.of_type(ROLE) if "schedule" in r.name] == []


# (schedule, the start of the error after "ResilienceDrills 'drillsN': ")
REFUSED = [
    ("weekly", "schedule='weekly' is not allowed; expected a mapping"),
    ({"expresion": "rate(7 days)"}, "schedule.expresion is not a schedule field (did you mean 'expression'?)"),
    ({"timezone": "UTC"}, "schedule.expression=None is not allowed"),
    ({"expression": "cron(0 10 * * TUE)"}, "schedule.expression: 'cron(0 10 * * TUE)': a cron() expression has 6 fields"),
    ({"expression": "cron(0 10 * * TUE *)"}, "schedule.expression: 'cron(0 10 * * TUE *)': exactly one of the cron day-of-month and day-of-week fields must be '?'"),
    ({"expression": "rate(0 days)"}, "schedule.expression: 'rate(0 days)': expected cron("),
    ({"expression": "rate(1 week)"}, "schedule.expression: 'rate(1 week)'"),
    ({"expression": "every tuesday"}, "schedule.expression: 'every tuesday'"),
    ({**WEEKLY, "timezone": "Europe/Berlinn"}, "schedule.timezone: 'Europe/Berlinn' is not an IANA time zone name"),
    ({**WEEKLY, "timezone": "+01:00"}, "schedule.timezone: '+01:00' is not an IANA time zone name"),
    ({**WEEKLY, "experiments": ["api-stop-tasks"]}, "schedule.experiments: 'api-stop-tasks' is not a drill of this component (did you mean 'api-stop-task'?)"),
    ({**WEEKLY, "experiments": ["db-failover", "db-failover"]}, "schedule.experiments: 'db-failover' is listed twice"),
    ({**WEEKLY, "experiments": []}, "schedule.experiments=[] is not allowed; give a non-empty list"),
]  # fmt: skip


def test_bad_schedules_are_refused_before_anything_registers(preview_refusals) -> None:
    def make(context: Any, i: int, case: Any) -> None:
        api, db, obs = context
        ResilienceDrills(
            f"drills{i}", {"targets": [api, db], "observability": obs, "schedule": case[0]}
        )

    plan, errors = preview_refusals(targets, make, REFUSED)
    assert sorted(errors) == list(range(len(REFUSED)))
    for i, (_, expected) in enumerate(REFUSED):
        assert errors[i].startswith(f"ResilienceDrills 'drills{i}': {expected}"), errors[i]
        assert "\n" not in errors[i]
    assert "AWS refuses this (EventBridge Scheduler" in errors[3]
    assert "schedule-types.html" in errors[3]
    assert "API_CreateSchedule.html" in errors[8]
    # nothing of any refused component was registered
    assert [r.name for r in plan.resources if r.name.startswith("drills")] == []


def test_a_disabled_component_still_checks_its_schedule() -> None:
    with pytest.raises(ValueError, match=r"schedule.timezone: 'Mars/Olympus'"):
        preview(drills_program(enabled=False, schedule={**WEEKLY, "timezone": "Mars/Olympus"}))


def test_a_scheduled_template_without_stop_alarms_fails_the_policy() -> None:
    # The transforms escape hatch can strip the stop conditions; the policy catches it.
    stripped = {"experiment": {"stop_conditions": [{"source": "none"}]}}
    plan = preview(drills_program(schedule=WEEKLY, transforms=stripped))
    report = check_plan(plan)
    found = [v for v in report.violations if v.rule == "scheduled-drill-stop-condition"]
    assert sorted(v.resource_name for v in found) == [
        "drills-api-stop-task-schedule",
        "drills-db-failover-schedule",
    ]
    assert all(v.severity == MANDATORY for v in found)
    assert "no CloudWatch alarm stop condition" in found[0].message
    # the same stripped templates without a schedule: nobody starts them unattended
    unscheduled = check_plan(preview(drills_program(transforms=stripped)))
    assert not [v for v in unscheduled.violations if v.rule == "scheduled-drill-stop-condition"]


# --------------------------------------------------------------------------- stage config


def test_the_fargate_stage_schedules_its_drills_from_config() -> None:
    plan = preview(
        ROOT,
        stack="fargate",
        config={
            "drill_schedule": "cron(0 10 ? * TUE *)",
            "drill_schedule_timezone": "Europe/Berlin",
        },
    )
    schedules = plan.of_type(SCHEDULE)
    assert sorted(s.name for s in schedules) == [
        "drills-api-stop-task-schedule",
        "drills-cache-az-power-schedule",
        "drills-db-failover-schedule",
    ]
    assert {s.inputs["scheduleExpressionTimezone"] for s in schedules} == {"Europe/Berlin"}
    report = check_plan(plan)
    assert report.passed, [v.message for v in report.mandatory_failures]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"drill_schedule": "rate(7 days)", "resilience_drills": "false"},
            "gridops:drill_schedule needs drills to start",
        ),
        (
            {"drill_schedule_timezone": "Europe/Berlin"},
            "gridops:drill_schedule_timezone is set without gridops:drill_schedule",
        ),
        ({"drill_schedule": "weekly"}, "schedule.expression: 'weekly'"),
    ],
)
def test_the_stage_refuses_schedule_config_it_cannot_use(
    config: dict[str, str], expected: str
) -> None:
    with pytest.raises(ValueError, match=expected):
        preview(ROOT, stack="fargate", config=config)
