"""Can a Fargate task start in its network? Without a NAT route its private subnets reach
only the Network's VPC endpoints, so every image must come from this Region's private ECR
and the endpoints must cover what the task calls to start: ECR (api, dkr), CloudWatch Logs
(the awslogs driver), Secrets Manager / SSM (its secrets), SQS (its queue) and, with ECS
Exec on, ssmmessages. Refused here,
before anything is registered, naming the field and every endpoint missing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

from gridops_infra.core.aws_rules import AwsRule
from gridops_infra.core.aws_rules.vpc_endpoints import (
    AWSLOGS_ENDPOINT,
    ECR_PRIVATE_REGISTRY_ONLY,
    ECR_PULL_ENDPOINTS,
    SECRETS_ENDPOINTS,
    SERVICE_API_ENDPOINT,
)
from gridops_infra.core.links import LinkGrant
from gridops_infra.network.endpoints import BUNDLES, GATEWAY_ENDPOINTS
from gridops_infra.service.fargate.tracing import with_tracing
from gridops_infra.service.spec.checks import ECR_IMAGE, SSM_PARAMETER_ARN
from gridops_infra.service.spec.settings import ServiceSpec


def check_reachability(
    spec: ServiceSpec,
    grant: LinkGrant,
    network: Any,
    region: str,
    component: str,
    *,
    polls_queue: bool = False,
) -> None:
    """Refuse a task that could not start in `network` (no-op when it has a NAT route)."""
    if network.internet_egress:
        return
    where = f"{component} '{spec.name}'"
    on = (
        f"Network '{network.name}' has nat='none' (its private subnets have no route to "
        "the internet)"
    )
    for field, image in _images(spec, grant):
        problem = _registry_problem(image, region)
        if problem:
            raise ECR_PRIVATE_REGISTRY_ONLY.refuse(where, field, f"{image!r} {problem}; {on}")

    needs: dict[str, tuple[AwsRule, str]] = {
        "ecr.api": (ECR_PULL_ENDPOINTS, "image"),
        "ecr.dkr": (ECR_PULL_ENDPOINTS, "image"),
        "logs": (AWSLOGS_ENDPOINT, "platform"),
    }
    for field, kind in _secret_stores(spec, grant):
        needs.setdefault(kind, (SECRETS_ENDPOINTS, field))
    if polls_queue:
        needs.setdefault("sqs", (SERVICE_API_ENDPOINT, "platform"))
    if _calls_sqs(grant):
        needs.setdefault("sqs", (SERVICE_API_ENDPOINT, "links"))
    if spec.enable_execute_command:
        # ECS Exec opens its channel through Systems Manager's message service.
        needs.setdefault("ssmmessages", (SERVICE_API_ENDPOINT, "enable_execute_command"))

    missing = [name for name in needs if name not in network.vpc_endpoint_services]
    if not missing:
        return
    rule, field = needs[missing[0]]
    listed = ", ".join(sorted(network.vpc_endpoint_services - GATEWAY_ENDPOINTS)) or "none"
    raise rule.refuse(
        where,
        field,
        f"the task needs the {', '.join(missing)} endpoint(s) to start and run, and {on} and "
        f"interface endpoints: {listed}",
        fix=(
            f'add {missing!r} to the Network\'s vpc_endpoints ("fargate" covers '
            f'{", ".join(BUNDLES["fargate"])}), or give it nat="single" or nat="per-az"'
        ),
    )


def _images(spec: ServiceSpec, grant: LinkGrant) -> Iterable[tuple[str, Any]]:
    yield "image", spec.image
    traced = with_tracing(spec)
    for i, sidecar in enumerate(traced.containers):
        field = "tracing" if i >= len(spec.containers) else f"containers[{i}].image"
        yield field, sidecar.image
    for sidecar in grant.sidecars:
        yield "links", sidecar.image


def _registry_problem(image: Any, region: str) -> str | None:
    """Why no VPC endpoint reaches `image`, or None (also when it is an Output: unknown
    while the program runs, so the `workload-image-pull-path` policy judges the Plan)."""
    if isinstance(image, pulumi.Output) or not isinstance(image, str):
        return None
    match = re.fullmatch(ECR_IMAGE, image)
    if not match:
        registry = image.split("/", 1)[0] if "/" in image else "docker.io"
        if "." not in registry and ":" not in registry and registry != "localhost":
            registry = "docker.io"
        return f"comes from {registry}, which no VPC endpoint reaches"
    if match.group(2) != region:
        return (
            f"is in ECR of {match.group(2)}, and this stack's VPC endpoints reach only "
            f"ECR of {region}"
        )
    return None


def _secret_stores(spec: ServiceSpec, grant: LinkGrant) -> Iterable[tuple[str, str]]:
    """(field, endpoint) for every secret the task reads at start. An Output's store is not
    known while the program runs; gridops stores secrets given as values in Secrets Manager,
    so it counts as one."""
    refs: list[tuple[str, Any]] = [("secrets", ref) for ref in spec.secrets.values()]
    refs += [("links", ref) for ref in grant.secrets.values()]
    for i, sidecar in enumerate(spec.containers):
        refs += [(f"containers[{i}].secrets", ref) for ref in sidecar.secrets.values()]
    if spec.image_pull_secret_arn:
        refs.append(("image_pull_secret_arn", spec.image_pull_secret_arn))
    for field, ref in refs:
        is_ssm = isinstance(ref, str) and re.fullmatch(SSM_PARAMETER_ARN, ref)
        yield field, "ssm" if is_ssm else "secretsmanager"


def _calls_sqs(grant: LinkGrant) -> bool:
    return any(
        isinstance(action, str) and action.lower().startswith("sqs:")
        for statement in grant.task_statements
        for action in _actions(statement)
    )


def _actions(statement: Mapping[str, Any]) -> list[Any]:
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else list(actions)
