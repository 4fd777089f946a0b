"""EventBridge Scheduler's rules on a schedule: ResilienceDrills refuses an expression or
a time zone CreateSchedule would refuse, before anything registers, and accepts the ones
it takes."""

from __future__ import annotations

from gridops_infra.network.component import Network
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService

SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
ALARMS = {"stop_alarm_names": ["api-5xx-page"]}

# (schedule, the AWS rule the refusal cites; None: accepted)
CASES = [
    ({"expression": "cron(0 10 * * TUE *)"}, "scheduler-schedule-expression"),
    ({"expression": "cron(0 10 ? * TUE)"}, "scheduler-schedule-expression"),
    ({"expression": "rate(2 weeks)"}, "scheduler-schedule-expression"),
    ({"expression": "at(2026-02-30T10:00:00)"}, "scheduler-schedule-expression"),
    ({"expression": "rate(7 days)", "timezone": "CEST"}, "scheduler-schedule-timezone"),
    ({"expression": "rate(7 days)", "timezone": "Europe/Berlin "}, "scheduler-schedule-timezone"),
    ({"expression": "cron(0 10 ? * TUE *)", "timezone": "Europe/Berlin"}, None),
    ({"expression": "rate(7 days)"}, None),
    ({"expression": "at(2027-01-05T10:00:00)", "timezone": "America/New_York"}, None),
]


def test_resilience_drills_refuse_schedules_eventbridge_scheduler_refuses(
    preview_refusals,
) -> None:
    def setup() -> StatelessService:
        cluster = FargateCluster("prod", {"network": Network("net", {"az_count": 2})})
        return StatelessService("api", {"platform": cluster, **SERVICE})

    plan, errors = preview_refusals(
        setup,
        lambda api, i, case: ResilienceDrills(
            f"drills{i}", {"targets": [api], "schedule": case[0], **ALARMS}
        ),
        CASES,
    )
    refused = [i for i, (_, rule) in enumerate(CASES) if rule]
    assert sorted(errors) == refused
    sources = {
        "scheduler-schedule-expression": "scheduler/latest/UserGuide/schedule-types.html",
        "scheduler-schedule-timezone": "scheduler/latest/APIReference/API_CreateSchedule.html",
    }
    for i in refused:
        field = "schedule.expression" if "expression" in CASES[i][1] else "schedule.timezone"
        assert errors[i].startswith(f"ResilienceDrills 'drills{i}': {field}: "), errors[i]
        assert sources[str(CASES[i][1])] in errors[i]
    registered = {r.name.split("-")[0] for r in plan.resources if r.name.startswith("drills")}
    assert registered == {f"drills{i}" for i, (_, rule) in enumerate(CASES) if rule is None}
    accepted = plan.of_type("aws:scheduler/schedule:Schedule")
    assert len(accepted) == 3
