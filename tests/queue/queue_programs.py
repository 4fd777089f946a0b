"""Shared pieces of the SqsWorkerQueue tests: the names the Plan uses and a linkable
stand-in for a database."""

from __future__ import annotations

import json
from typing import Any

import pulumi

from gridops_infra.core.links import LinkGrant
from gridops_infra.testing import Plan, reveal

REGION, ACCOUNT = "us-east-1", "123456789012"
QUEUE = "aws:sqs/queue:Queue"
POLICY = "aws:appautoscaling/policy:Policy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
DB_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-credentials-AbCdEf"
WORKER_IMAGE = "ghcr.io/acme/worker:1.4.2"


class FakeDatabase:
    """Stands in for ManagedPostgresWithReplicas: a host, a secret, one ingress rule."""

    name = "db"

    def __init__(self) -> None:
        self.allowed: list[tuple[str, Any]] = []

    def link_grant(self) -> LinkGrant:
        return LinkGrant(
            environment={"DB_HOST": "db.cluster-abc.us-east-1.rds.amazonaws.com"},
            secrets={"DB_PASSWORD": f"{DB_SECRET}:password::"},
            secret_arns=[DB_SECRET],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        self.allowed.append((consumer_name, security_group_id))


def children(plan: Plan, component: str, type_: str | None = None) -> list:
    """Custom resources under the component named `component` (direct children)."""
    parent = next(r for r in plan.resources if r.is_component and r.name == component)
    return [
        r for r in plan.resources if r.parent == parent.urn and (type_ is None or r.type == type_)
    ]


def component_record(plan: Plan, type_: str, name: str):
    return next(r for r in plan.resources if r.type == type_ and r.name == name)


def doc(value: Any) -> dict[str, Any]:
    return json.loads(reveal(value))
