"""AWS's own create-time rules for ECS task definitions (catalogue:
`gridops_infra.core.aws_rules.ecs`), measured on the task definition the Plan registers,
after transforms and sidecars."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from gridops_infra.core.aws_rules.ecs import (
    FARGATE_TASK_SIZES,
    MAX_CONTAINERS_PER_TASK_DEFINITION,
    MAX_TASK_DEFINITION_BYTES,
)
from gridops_infra.policy._props import as_list, get, number, parse_json, plain, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
CONTAINER_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
# Pulumi-only inputs that are not part of the RegisterTaskDefinition request.
NOT_REGISTERED = ("tags", "tagsAll", "skipDestroy", "trackLatest")


def containers(props: Any) -> list[Mapping[str, Any]]:
    parsed = parse_json(get(props, "containerDefinitions"))
    return [c for c in as_list(parsed) if isinstance(c, Mapping)]


def registered_size(props: Any) -> int:
    """Bytes of the task definition as registered: every field in compact JSON, with the
    container definitions as the JSON array they are."""
    request = {k: plain(props[k]) for k in props if k not in NOT_REGISTERED}
    request["containerDefinitions"] = containers(props)
    return len(json.dumps(request, separators=(",", ":")).encode())


@resource_rule(
    name="ecs-task-definition-size",
    description="A registered ECS task definition is at most 64 KiB (container definitions, "
    "environment, commands, volumes and all).",
    severity=MANDATORY,
    remediation="Move large environment values into SSM or Secrets Manager (`secrets`), drop "
    "sidecars, or shorten commands.",
    types=(TASK_DEFINITION,),
    aws_rule="ecs-task-definition-size",
)
def task_definition_size(args: Any, report: ReportViolation) -> None:
    size = registered_size(args.props)
    if size > MAX_TASK_DEFINITION_BYTES:
        report(
            f"the task definition is {size:,} bytes; ECS registers at most "
            f"{MAX_TASK_DEFINITION_BYTES:,} (64 KiB)."
        )


@resource_rule(
    name="ecs-containers-per-task-definition",
    description="An ECS task definition has at most 10 containers.",
    severity=MANDATORY,
    remediation="Move some sidecars into a service of their own.",
    types=(TASK_DEFINITION,),
    aws_rule="ecs-containers-per-task-definition",
)
def containers_per_task_definition(args: Any, report: ReportViolation) -> None:
    count = len(containers(args.props))
    if count > MAX_CONTAINERS_PER_TASK_DEFINITION:
        report(f"the task definition has {count} containers; at most 10.")


@resource_rule(
    name="ecs-fargate-task-size",
    description="A Fargate task definition's cpu and memory are a pair Fargate offers.",
    severity=MANDATORY,
    remediation="Pick cpu and memory from Fargate's table (e.g. 512 with 1024-4096 MiB).",
    types=(TASK_DEFINITION,),
    aws_rule="ecs-fargate-task-size",
)
def fargate_task_size(args: Any, report: ReportViolation) -> None:
    if "FARGATE" not in {text(c) for c in as_list(get(args.props, "requiresCompatibilities"))}:
        return
    cpu, memory = number(get(args.props, "cpu")), number(get(args.props, "memory"))
    if cpu is None or memory is None:
        report("a Fargate task definition needs task-level cpu and memory.")
        return
    if int(cpu) not in FARGATE_TASK_SIZES:
        report(f"cpu={cpu:g} is not a Fargate size ({', '.join(map(str, FARGATE_TASK_SIZES))}).")
    elif int(memory) not in FARGATE_TASK_SIZES[int(cpu)]:
        allowed = FARGATE_TASK_SIZES[int(cpu)]
        report(f"memory={memory:g} does not go with cpu={cpu:g} ({allowed[0]}..{allowed[-1]} MiB).")


@resource_rule(
    name="ecs-container-name",
    description="ECS container names are 1-255 letters, digits, underscores and hyphens.",
    severity=MANDATORY,
    remediation="Rename the container with letters, digits and hyphens only.",
    types=(TASK_DEFINITION,),
    aws_rule="ecs-container-name",
)
def container_name(args: Any, report: ReportViolation) -> None:
    for container in containers(args.props):
        name = container.get("name")
        if not isinstance(name, str) or not CONTAINER_NAME.fullmatch(name):
            report(f"container name {name!r} is not 1-255 letters, digits, '_' or '-'.")


HEALTH_CHECK_RANGES = {
    "interval": (5, 300),
    "timeout": (2, 60),
    "retries": (1, 10),
    "startPeriod": (0, 300),
}


@resource_rule(
    name="ecs-container-health-check",
    description="Container health checks stay within ECS's ranges: interval 5-300 s, timeout "
    "2-60 s, retries 1-10, start period 0-300 s.",
    severity=MANDATORY,
    remediation="Bring the container's healthCheck timings into range.",
    types=(TASK_DEFINITION,),
    aws_rule="ecs-container-health-check",
)
def container_health_check(args: Any, report: ReportViolation) -> None:
    for container in containers(args.props):
        check = container.get("healthCheck")
        for key, (lo, hi) in HEALTH_CHECK_RANGES.items():
            value = number(get(check, key))
            if value is not None and not lo <= value <= hi:
                report(
                    f"container {container.get('name')!r}: healthCheck.{key}={value:g} is "
                    f"outside {lo}..{hi}."
                )
