"""Links on Fargate: each linked resource's grant lands where it belongs (environment,
`valueFrom` secrets, execution-role reads, task-role statements, a security-group rule),
scoped to that resource only."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from parliament import analyze_policy_string

from gridops_infra.core import iam
from gridops_infra.core.links import Linkable, LinkGrant
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

REGION, ACCOUNT = "us-east-1", "123456789012"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs-queue"
DB_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-credentials-AbCdEf"
DB_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
USER_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:stripe-key-QwErTy"
USER_PARAM = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/acme/api/feature-flags"


class FakeQueue:
    """Stands in for SqsWorkerQueue: send on one queue, nothing else."""

    def __init__(self) -> None:
        self.name = "jobs"
        self.allowed: list[tuple[str, Any]] = []

    def link_grant(self) -> LinkGrant:
        return LinkGrant(
            environment={
                "JOBS_QUEUE_URL": pulumi.Output.from_input(
                    f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs-queue"
                )
            },
            task_statements=[iam.statement(["sqs:SendMessage"], QUEUE_ARN, sid="SendJobs")],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        self.allowed.append((consumer_name, security_group_id))


class FakeDatabase:
    """Stands in for ManagedPostgresWithReplicas: host, a secret and its CMK."""

    def __init__(self) -> None:
        self.name = "db"
        self.allowed: list[tuple[str, Any]] = []

    def link_grant(self) -> LinkGrant:
        return LinkGrant(
            environment={"DB_HOST": "db.cluster-abc.us-east-1.rds.amazonaws.com"},
            secrets={"DB_PASSWORD": pulumi.Output.from_input(f"{DB_SECRET}:password::")},
            secret_arns=[pulumi.Output.from_input(DB_SECRET)],
            kms_key_arns=[DB_KEY],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        self.allowed.append((consumer_name, security_group_id))


LINKS: dict[str, Any] = {}


def _program() -> None:
    queue, db = FakeQueue(), FakeDatabase()
    assert isinstance(queue, Linkable) and isinstance(db, Linkable)
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "links": [db, queue],
            "environment": {"LOG_LEVEL": "info"},
            "secrets": {"STRIPE_KEY": USER_SECRET, "FLAGS": USER_PARAM},
        },
    )
    LINKS.update(queue=queue, db=db)
    pulumi.export("sg", api.security_group_id)
    pulumi.export("policies", api.policy_documents)
    pulumi.export("allowed_sgs", [queue.allowed[0][1], db.allowed[0][1]])


@pytest.fixture(scope="module")
def plan():
    LINKS.clear()
    return preview(_program, stack="fargate")


@pytest.fixture(scope="module")
def app(plan):
    td = plan.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    return json.loads(td.inputs["containerDefinitions"])[0]


def test_link_settings_become_plain_environment(app):
    assert app["environment"] == [
        {"name": "DB_HOST", "value": "db.cluster-abc.us-east-1.rds.amazonaws.com"},
        {
            "name": "JOBS_QUEUE_URL",
            "value": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-queue",
        },
        {"name": "LOG_LEVEL", "value": "info"},
    ]


def test_secrets_are_injected_by_reference_never_as_values(app):
    assert app["secrets"] == [
        {"name": "DB_PASSWORD", "valueFrom": f"{DB_SECRET}:password::"},
        {"name": "FLAGS", "valueFrom": USER_PARAM},
        {"name": "STRIPE_KEY", "valueFrom": USER_SECRET},
    ]
    env_names = {e["name"] for e in app["environment"]}
    assert not env_names & {"DB_PASSWORD", "FLAGS", "STRIPE_KEY"}


def test_execution_role_reads_exactly_the_referenced_secrets_and_key(plan):
    statements = {
        s["Sid"]: s for s in json.loads(plan.outputs["policies"]["execution"])["Statement"]
    }
    assert statements["ReadSecrets"]["Action"] == ["secretsmanager:GetSecretValue"]
    assert statements["ReadSecrets"]["Resource"] == [DB_SECRET, USER_SECRET]
    assert statements["ReadParameters"]["Action"] == ["ssm:GetParameters"]
    assert statements["ReadParameters"]["Resource"] == [USER_PARAM]
    decrypt = statements["DecryptSecrets"]
    assert decrypt["Action"] == ["kms:Decrypt"] and decrypt["Resource"] == [DB_KEY]
    assert decrypt["Condition"]["StringEquals"]["kms:ViaService"] == [
        "secretsmanager.us-east-1.amazonaws.com",
        "ssm.us-east-1.amazonaws.com",
    ]
    assert "EcrLogin" not in statements  # a ghcr.io image needs no ECR permissions


def test_task_role_gets_only_the_queue_send_grant(plan):
    task = json.loads(plan.outputs["policies"]["task"])
    assert task["Statement"] == [
        {
            "Action": ["sqs:SendMessage"],
            "Effect": "Allow",
            "Resource": [QUEUE_ARN],
            "Sid": "SendJobs",
        }
    ]
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "api-task-policy")
    task_role = plan.one("aws:iam/role:Role", "api-task-role")
    assert policy.inputs["role"] == task_role.id
    execution = json.loads(plan.outputs["policies"]["execution"])
    assert "sqs:SendMessage" not in json.dumps(execution)  # never on the execution role


def test_link_policies_pass_parliament(plan):
    for doc in plan.outputs["policies"].values():
        assert analyze_policy_string(doc, include_community_auditors=True).findings == [], doc


def test_each_link_admits_the_services_security_group(plan):
    assert [c for c, _ in LINKS["queue"].allowed] == ["api"]
    assert [c for c, _ in LINKS["db"].allowed] == ["api"]
    assert plan.outputs["allowed_sgs"] == [plan.outputs["sg"], plan.outputs["sg"]]


def test_a_link_repeating_an_environment_name_is_refused_before_registration():
    errors: list[str] = []

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        try:
            StatelessService(
                "api",
                {
                    "platform": cluster,
                    "image": "ghcr.io/acme/api:1.4.2",
                    "environment": {"DB_HOST": "localhost"},
                    "links": [FakeDatabase()],
                },
            )
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert "links='db'" in errors[0] and "DB_HOST" in errors[0]
    assert plan.of_type("gridops:aws:StatelessService") == []
