"""FIS's create-time rules on experiment templates: the stop-condition quota, ISO 8601
action durations, target selection modes, and an experiment role FIS can assume."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gridops_infra.core.aws_rules import fis
from gridops_infra.policy._props import as_list, get, of_type, parse_json, peek, refers_to, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

EXPERIMENT_TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
ROLE = "aws:iam/role:Role"
MAX_STOP_CONDITIONS = 5
FIS_PRINCIPAL = "fis.amazonaws.com"
ISO_DURATION = re.compile(r"P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")
SELECTION_MODE = re.compile(r"ALL|COUNT\((\d+)\)|PERCENT\((\d+)\)")


@resource_rule(
    name="fis-stop-conditions-quota",
    description="An FIS experiment template has at most 5 stop conditions.",
    severity=MANDATORY,
    remediation=fis.STOP_CONDITIONS_QUOTA.fix,
    types=(EXPERIMENT_TEMPLATE,),
    aws_rule=fis.STOP_CONDITIONS_QUOTA.id,
)
def stop_conditions_quota(args: Any, report: ReportViolation) -> None:
    count = len(as_list(get(args.props, "stopConditions")))
    if count > MAX_STOP_CONDITIONS:
        report(f"{count} stop conditions; FIS allows {MAX_STOP_CONDITIONS} per template.")


@resource_rule(
    name="fis-action-duration-iso8601",
    description="Every FIS action's `duration` parameter is an ISO 8601 duration.",
    severity=MANDATORY,
    remediation=fis.ACTION_DURATION_ISO8601.fix,
    types=(EXPERIMENT_TEMPLATE,),
    aws_rule=fis.ACTION_DURATION_ISO8601.id,
)
def action_duration_iso8601(args: Any, report: ReportViolation) -> None:
    for action in as_list(get(args.props, "actions")):
        for parameter in as_list(get(action, "parameters")):
            if text(get(parameter, "key")) != "duration":
                continue
            value = text(get(parameter, "value"))
            if not ISO_DURATION.fullmatch(value):
                name = text(get(action, "name")) or "?"
                report(f"action {name!r}: duration {value!r} is not an ISO 8601 duration.")


@resource_rule(
    name="fis-selection-mode",
    description="Every FIS target's selection mode is ALL, COUNT(n) or PERCENT(1..100).",
    severity=MANDATORY,
    remediation=fis.SELECTION_MODE.fix,
    types=(EXPERIMENT_TEMPLATE,),
    aws_rule=fis.SELECTION_MODE.id,
)
def selection_mode(args: Any, report: ReportViolation) -> None:
    for target in as_list(get(args.props, "targets")):
        mode = text(get(target, "selectionMode"))
        match = SELECTION_MODE.fullmatch(mode)
        count, percent = (match.group(1), match.group(2)) if match else (None, None)
        valid = match is not None and (count is None or int(count) >= 1)
        valid = valid and (percent is None or 1 <= int(percent) <= 100)
        if not valid:
            name = text(get(target, "name")) or "?"
            report(f"target {name!r}: selectionMode {mode!r}; allowed ALL, COUNT(n), PERCENT(n).")


def _trusts_fis(trust: Any) -> bool:
    parsed = parse_json(trust)
    if not isinstance(parsed, Mapping):
        return True  # unknown or unparsable: another rule's business
    for statement in as_list(parsed.get("Statement")):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        services = as_list(principal.get("Service")) if isinstance(principal, Mapping) else []
        actions = {str(a) for a in as_list(statement.get("Action"))}
        if FIS_PRINCIPAL in services and actions & {"sts:AssumeRole", "sts:*", "*"}:
            return True
    return False


@stack_rule(
    name="fis-experiment-role-trust",
    description="The role of every FIS experiment template in the stack trusts fis.amazonaws.com.",
    severity=MANDATORY,
    remediation=fis.EXPERIMENT_ROLE_TRUST.fix,
    types=(EXPERIMENT_TEMPLATE, ROLE),
    aws_rule=fis.EXPERIMENT_ROLE_TRUST.id,
)
def experiment_role_trust(args: Any, report: ReportViolation) -> None:
    roles = of_type(args.resources, ROLE)
    for template in of_type(args.resources, EXPERIMENT_TEMPLATE):
        for role in roles:
            if not refers_to(template, "roleArn", role, "arn"):
                continue
            if not _trusts_fis(peek(role.props, "assumeRolePolicy")):
                report(
                    f"{template.name}: its role {role.name!r} does not trust "
                    f"{FIS_PRINCIPAL}, so FIS cannot run the experiment.",
                    template.urn,
                )


SCHEDULE = "aws:scheduler/schedule:Schedule"
START_EXPERIMENT_TARGET = "arn:aws:scheduler:::aws-sdk:fis:startExperiment"


def _has_alarm_stop_condition(template: Any) -> bool:
    return any(
        text(get(condition, "source")) == "aws:cloudwatch:alarm" and text(get(condition, "value"))
        for condition in as_list(get(template.props, "stopConditions"))
    )


@stack_rule(
    name="scheduled-drill-stop-condition",
    description="An FIS experiment template that EventBridge Scheduler starts on its own "
    "has at least one CloudWatch alarm stop condition.",
    severity=MANDATORY,
    remediation="Keep the SLO stop alarms on every scheduled template (ResilienceDrills "
    "always sets them; do not transform them away), or do not schedule that drill.",
    types=(SCHEDULE, EXPERIMENT_TEMPLATE),
)
def scheduled_drill_stop_condition(args: Any, report: ReportViolation) -> None:
    templates = of_type(args.resources, EXPERIMENT_TEMPLATE)
    for schedule in of_type(args.resources, SCHEDULE):
        if text(peek(schedule.props, "target", "arn")) != START_EXPERIMENT_TARGET:
            continue
        for template in templates:
            if not refers_to(schedule, "target", template, "id"):
                continue
            if not _has_alarm_stop_condition(template):
                report(
                    f"{schedule.name}: starts experiment template {template.name!r} on a "
                    "schedule, and that template has no CloudWatch alarm stop condition, so "
                    "nobody stops a drill that hurts users.",
                    schedule.urn,
                )
