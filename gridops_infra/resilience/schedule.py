"""Drills that run on their own: ResilienceDrills' optional `schedule`, checked before
anything registers, and the least-privilege role EventBridge Scheduler assumes to start
the experiments.

EventBridge Scheduler calls FIS's StartExperiment through its universal target
(`arn:aws:scheduler:::aws-sdk:fis:startExperiment`), with the template id and the
invocation's `<aws.scheduler.execution-id>` as the idempotency token, so an invocation
cannot start two experiments. StartExperiment authorizes on the experiment template and on
the experiment it creates (Service Authorization Reference, AWS FIS): the role may start
exactly these templates and create experiments in this account and region. The role passes
no role (the template already names its experiment role), so it needs no iam:PassRole.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.scheduler import SCHEDULE_EXPRESSION, SCHEDULE_TIMEZONE
from gridops_infra.core.validation import ArgError
from gridops_infra.service.spec.checks import schedule_error, timezone_error

SCHEDULER_PRINCIPAL = "scheduler.amazonaws.com"
START_EXPERIMENT_TARGET = "arn:aws:scheduler:::aws-sdk:fis:startExperiment"
EXECUTION_ID = "<aws.scheduler.execution-id>"
SCHEDULE_KEYS = ("expression", "timezone", "experiments")


@dataclass(frozen=True)
class DrillSchedule:
    """When the drills run: a checked expression, an IANA zone and the drill keys."""

    expression: str
    timezone: str
    experiments: tuple[str, ...]


def check_schedule(where: str, value: Any, drills: Sequence[str]) -> DrillSchedule | None:
    """The `schedule` argument, or None when not given. `where` is "ResilienceDrills 'x'"."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ArgError(
            f"{where}: schedule={value!r} is not allowed; expected a mapping such as "
            "{'expression': 'cron(0 10 ? * TUE *)', 'timezone': 'Europe/Berlin'}"
        )
    for key in value:
        if key not in SCHEDULE_KEYS:
            close = difflib.get_close_matches(str(key), SCHEDULE_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ArgError(
                f"{where}: schedule.{key} is not a schedule field{hint}; allowed: "
                f"{', '.join(SCHEDULE_KEYS)}"
            )
    expression = value.get("expression")
    if not isinstance(expression, str) or not expression:
        raise ArgError(
            f"{where}: schedule.expression={expression!r} is not allowed; give an EventBridge "
            "Scheduler expression such as 'cron(0 10 ? * TUE *)' or 'rate(7 days)'"
        )
    reason = schedule_error(expression)
    if reason:
        raise SCHEDULE_EXPRESSION.refuse(where, "schedule.expression", f"{expression!r}: {reason}")
    timezone = value.get("timezone", "UTC")
    if not isinstance(timezone, str) or timezone_error(timezone):
        raise SCHEDULE_TIMEZONE.refuse(
            where, "schedule.timezone", f"{timezone!r} is not an IANA time zone name"
        )
    return DrillSchedule(expression, timezone, _experiments(where, value, drills))


def _experiments(where: str, value: Mapping[str, Any], drills: Sequence[str]) -> tuple[str, ...]:
    chosen = value.get("experiments")
    if chosen is None:
        return tuple(drills)
    if not isinstance(chosen, list | tuple) or not chosen:
        raise ArgError(
            f"{where}: schedule.experiments={chosen!r} is not allowed; give a non-empty list "
            f"of drill keys ({', '.join(drills)}) or leave it out to schedule every drill"
        )
    seen: list[str] = []
    for key in chosen:
        if key not in drills:
            close = difflib.get_close_matches(str(key), drills, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ArgError(
                f"{where}: schedule.experiments: {key!r} is not a drill of this component"
                f"{hint}; its drills: {', '.join(drills)}"
            )
        if key in seen:
            raise ArgError(f"{where}: schedule.experiments: {key!r} is listed twice")
        seen.append(key)
    return tuple(seen)


def scheduler_trust_policy(account: str, region: str, group_name: str) -> str:
    """Only EventBridge Scheduler acting for this account's schedule group may assume the
    role (the confused-deputy guard EventBridge Scheduler documents)."""
    return iam.assume_role_policy(
        SCHEDULER_PRINCIPAL,
        source_account=account,
        source_arn=f"arn:aws:scheduler:{region}:{account}:schedule-group/{group_name}",
    )


def start_statements(
    template_ids: Sequence[pulumi.Input[str]], region: str, account: str
) -> list[dict[str, Any]]:
    """fis:StartExperiment on exactly these templates and on the experiments they create."""
    templates = [
        pulumi.Output.concat(f"arn:aws:fis:{region}:{account}:experiment-template/", template)
        for template in template_ids
    ]
    return [
        iam.statement(
            ["fis:StartExperiment"],
            [*templates, f"arn:aws:fis:{region}:{account}:experiment/*"],
            sid="StartScheduledDrills",
        )
    ]


def start_input(template_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The StartExperiment request the universal target sends."""
    return pulumi.Output.from_input(template_id).apply(
        lambda tid: json.dumps({"ExperimentTemplateId": tid, "ClientToken": EXECUTION_ID})
    )


__all__ = [
    "EXECUTION_ID",
    "SCHEDULER_PRINCIPAL",
    "START_EXPERIMENT_TARGET",
    "DrillSchedule",
    "check_schedule",
    "scheduler_trust_policy",
    "start_input",
    "start_statements",
]
