"""The deploy roles (GithubDeployRole, GitlabDeployRole) may create everything our stacks
and examples declare: every AWS resource type's service is among the role's grants, and
every role a stack creates for an AWS service may be passed to that service. Otherwise a
stack that previews green would fail its first `pulumi up` from CI with AccessDenied."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gridops_infra.delivery.oidc_role import DEPLOY_SERVICES, PASS_ROLE_SERVICES
from gridops_infra.testing import Plan, preview
from tests.stage_plans import EXAMPLES, ROOT, example_plan, root_preview, stage_plan

# The IAM service prefix of each pulumi-aws module our stacks use.
MODULE_PREFIX = {
    "acm": "acm",
    "appautoscaling": "application-autoscaling",
    "appconfig": "appconfig",
    "autoscaling": "autoscaling",
    "budgets": "budgets",
    "cloudfront": "cloudfront",
    "costexplorer": "ce",
    "dlm": "dlm",
    "dms": "dms",
    "ebs": "ec2",
    "ec2": "ec2",
    "ecr": "ecr",
    "ecs": "ecs",
    "eks": "eks",
    "elasticache": "elasticache",
    "fis": "fis",
    "grafana": "grafana",
    "amp": "aps",
    "iam": "iam",
    "kms": "kms",
    "lambda": "lambda",
    "lb": "elasticloadbalancing",
    "rds": "rds",
    "route53": "route53",
    "s3": "s3",
    "scheduler": "scheduler",
    "secretsmanager": "secretsmanager",
    "servicediscovery": "servicediscovery",
    "sns": "sns",
    "sqs": "sqs",
    "ssm": "ssm",
    "vpc": "ec2",
    "wafv2": "wafv2",
    "xray": "xray",
}
MOVE = "move-single-server-to-managed"
# pulumi-aws files CloudWatch Logs and EventBridge under `cloudwatch`.
CLOUDWATCH_PREFIX = {"Log": "logs", "Event": "events"}

VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("eks", {"gitops": "flux"}),
    ("eks", {"eks_compute": "karpenter"}),
    ("fargate", {"capacity": "managed-instances"}),
    ("fargate", {"drill_schedule": "cron(0 10 ? * TUE *)"}),
    (
        "fargate",
        {
            "worker_platform": "lambda",
            "worker_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.4.2",
        },
    ),
    ("fargate", {"cost_anomaly_detection": "true"}),
]


def _plans() -> list[tuple[str, Plan]]:
    plans = [
        (stack, stage_plan(stack))
        for stack in (
            "single-server",
            "express",
            "fargate",
            "eks",
            "registry",
            "fargate-staging",
            "fargate-preview",
        )
    ]
    plans += [
        (f"{stack} {config}", root_preview(ROOT, stack=stack, config=config))
        for stack, config in VARIANTS
    ]
    for project in sorted(p.parent for p in EXAMPLES.rglob("Pulumi.yaml")):
        name = str(project.relative_to(EXAMPLES))
        plans.append((f"example {name}", example_plan(name)))
    # Mid-move, the move example holds the DMS replication and the weighted records.
    moving = {"move:replication": "on", "move:weight": "10"}
    plans.append(("example mid-move", preview(EXAMPLES / MOVE, config=moving)))
    return plans


@pytest.fixture(scope="module")
def plans() -> list[tuple[str, Plan]]:
    return _plans()


def _prefix(token: str) -> str | None:
    module = token.split(":")[1].partition("/")[0]
    if module == "cloudwatch":
        name = token.rsplit(":", 1)[1]
        for start, prefix in CLOUDWATCH_PREFIX.items():
            if name.startswith(start):
                return prefix
        return "cloudwatch"
    return MODULE_PREFIX.get(module)


def _granted() -> set[str]:
    granted = {
        action.split(":", 1)[0] for actions in DEPLOY_SERVICES.values() for action in actions
    }
    return granted | {"iam"}  # scoped to the stack's name prefixes (test_github_deploy_role)


def test_every_aws_resource_type_of_every_stack_is_granted(plans) -> None:
    granted = _granted()
    missing: dict[str, set[str]] = {}
    unknown: set[str] = set()
    for label, plan in plans:
        for resource in plan.resources:
            if not resource.type.startswith("aws:"):
                continue
            prefix = _prefix(resource.type)
            if prefix is None:
                unknown.add(resource.type)
            elif prefix not in granted:
                missing.setdefault(prefix, set()).add(f"{resource.type} ({label})")
    assert not unknown, f"map these types' modules to an IAM prefix in MODULE_PREFIX: {unknown}"
    assert not missing, f"DEPLOY_SERVICES grants none of: {missing}"


def _service_principals(policy: str) -> set[str]:
    found: set[str] = set()
    for statement in json.loads(policy).get("Statement", []):
        service = statement.get("Principal", {}).get("Service", [])
        found |= {service} if isinstance(service, str) else set(service)
    return found


def _passed_to(policy: str) -> set[str]:
    """The `iam:PassedToService` names of the trust policy's service principals: a Regional
    principal (`dms.us-east-1.amazonaws.com`) is passed to its service's global name."""
    return {
        re.sub(r"^([a-z0-9-]+)\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$", r"\1.amazonaws.com", s)
        for s in _service_principals(policy)
    }


def test_every_service_role_a_stack_creates_may_be_passed_to_its_service(plans) -> None:
    missing: dict[str, set[str]] = {}
    for label, plan in plans:
        for role in plan.of_type("aws:iam/role:Role"):
            policy = role.inputs.get("assumeRolePolicy")
            if not isinstance(policy, str):
                continue
            for service in _passed_to(policy) - set(PASS_ROLE_SERVICES):
                missing.setdefault(service, set()).add(f"{role.name} ({label})")
    assert not missing, f"PASS_ROLE_SERVICES lacks: {missing}"


def test_the_table_is_not_stale() -> None:
    """Each module named above is one pulumi-aws has."""
    import pulumi_aws

    package = Path(pulumi_aws.__file__).parent
    assert not [
        m for m in MODULE_PREFIX if not (package / m).is_dir() and not (package / f"{m}_").is_dir()
    ]
