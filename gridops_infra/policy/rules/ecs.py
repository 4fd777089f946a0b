"""ECS services (safe deployments, no public IPs) and task definitions (container hardening)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, parse_json, text
from gridops_infra.policy.rule import ADVISORY, MANDATORY, ReportViolation, resource_rule

SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"

SECRET_LIKE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY")
# Names that hold a pointer to a secret, not the secret itself.
REFERENCE_SUFFIXES = ("_ARN", "_FILE", "_PATH", "_URL", "_URI", "_NAME", "_ID", "_ENDPOINT")
REFERENCE_VALUE = re.compile(r"^arn:aws[a-z-]*:(secretsmanager|ssm|kms):")


def uses_ecs_deployments(props: Any) -> bool:
    """Circuit breaker and alarms apply to the ECS deployment controller only."""
    controller = text(get(props, "deploymentController", "type")) or "ECS"
    return controller == "ECS"


@resource_rule(
    name="ecs-deployment-circuit-breaker",
    description="ECS services roll back a deployment whose tasks keep failing to start.",
    severity=MANDATORY,
    remediation="Set deployment_circuit_breaker={'enable': True, 'rollback': True}.",
    types=(SERVICE,),
)
def circuit_breaker(args: Any, report: ReportViolation) -> None:
    if not uses_ecs_deployments(args.props):
        return
    breaker = get(args.props, "deploymentCircuitBreaker")
    if not (is_true(get(breaker, "enable")) and is_true(get(breaker, "rollback"))):
        report("deploymentCircuitBreaker is not enabled with rollback.")


@resource_rule(
    name="ecs-alarm-rollback",
    description="ECS services roll back a deployment when its CloudWatch alarms fire (errors "
    "or latency after the new tasks are healthy).",
    severity=ADVISORY,
    remediation="Set alarms={'alarm_names': [<5xx / latency alarm names>], 'enable': True, "
    "'rollback': True}.",
    types=(SERVICE,),
)
def alarm_rollback(args: Any, report: ReportViolation) -> None:
    if not uses_ecs_deployments(args.props):
        return
    alarms = get(args.props, "alarms")
    names = as_list(get(alarms, "alarmNames"))
    if not (names and is_true(get(alarms, "enable")) and is_true(get(alarms, "rollback"))):
        report("alarms is not set to enable rollback on at least one alarm.")


@resource_rule(
    name="ecs-no-public-ip",
    description="ECS tasks get no public IP; they run in private subnets behind a load "
    "balancer and reach the internet through NAT or VPC endpoints.",
    severity=MANDATORY,
    remediation="Set network_configuration.assign_public_ip=False and use private subnets.",
    types=(SERVICE,),
)
def no_public_ip(args: Any, report: ReportViolation) -> None:
    if is_true(get(args.props, "networkConfiguration", "assignPublicIp")):
        report("networkConfiguration.assignPublicIp is true.")


def containers(args: Any) -> list[Mapping[str, Any]]:
    parsed = parse_json(get(args.props, "containerDefinitions"))
    return [c for c in as_list(parsed) if isinstance(c, Mapping)]


def label(container: Mapping[str, Any]) -> str:
    return f"container {container.get('name') or '?'!r}"


def is_essential(container: Mapping[str, Any]) -> bool:
    return container.get("essential") is not False  # ECS default: essential


@resource_rule(
    name="ecs-no-privileged-containers",
    description="No ECS container runs privileged (root on the host's devices).",
    severity=MANDATORY,
    remediation="Remove privileged=True; grant the specific Linux capabilities the process "
    "needs through linuxParameters.capabilities instead.",
    types=(TASK_DEFINITION,),
)
def no_privileged(args: Any, report: ReportViolation) -> None:
    for container in containers(args):
        if container.get("privileged") is True:
            report(f"{label(container)} is privileged.")


@resource_rule(
    name="ecs-readonly-root-essential",
    description="Essential ECS containers run with a read-only root filesystem.",
    severity=MANDATORY,
    remediation="Set readonlyRootFilesystem=True and mount writable paths (/tmp, caches) as "
    "volumes.",
    types=(TASK_DEFINITION,),
)
def readonly_root_essential(args: Any, report: ReportViolation) -> None:
    for container in containers(args):
        if is_essential(container) and container.get("readonlyRootFilesystem") is not True:
            report(f"essential {label(container)} has a writable root filesystem.")


@resource_rule(
    name="ecs-readonly-root-sidecar",
    description="Non-essential ECS containers (sidecars) run with a read-only root filesystem.",
    severity=ADVISORY,
    remediation="Set readonlyRootFilesystem=True on the sidecar (log routers and agents "
    "usually need only a writable volume).",
    types=(TASK_DEFINITION,),
)
def readonly_root_sidecar(args: Any, report: ReportViolation) -> None:
    for container in containers(args):
        if not is_essential(container) and container.get("readonlyRootFilesystem") is not True:
            report(f"sidecar {label(container)} has a writable root filesystem.")


def looks_secret(name: str, value: Any) -> bool:
    upper = name.upper()
    if not SECRET_LIKE.search(upper) or upper.endswith(REFERENCE_SUFFIXES):
        return False
    return isinstance(value, str) and bool(value) and not REFERENCE_VALUE.match(value)


@resource_rule(
    name="ecs-no-plaintext-secrets",
    description="ECS containers take secrets from Secrets Manager or SSM (`secrets`), never as "
    "literal environment values (visible to anyone who can describe the task definition).",
    severity=MANDATORY,
    remediation="Move the value to Secrets Manager or SSM Parameter Store and reference it in "
    "the container's `secrets` (gridops links do this for databases and caches).",
    types=(TASK_DEFINITION,),
)
def no_plaintext_secrets(args: Any, report: ReportViolation) -> None:
    for container in containers(args):
        for env in as_list(container.get("environment")):
            if not isinstance(env, Mapping):
                continue
            name = text(env.get("name"))
            if looks_secret(name, env.get("value")):
                report(f"{label(container)}: environment variable {name} holds a literal value.")
