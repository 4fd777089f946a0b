"""The fargate stage: the DESIGN section 3 program, linked and observed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridops_infra.testing import preview
from stacks.config import StageConfigError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plan():
    return preview(ROOT, stack="fargate")


def test_contains_the_components_of_the_design_program(plan) -> None:
    types = {r.type for r in plan if r.type.startswith("gridops:")}
    assert {
        "gridops:aws:Network",
        "gridops:aws:FargateCluster",
        "gridops:aws:ManagedPostgresWithReplicas",
        "gridops:aws:RedisCache",
        "gridops:aws:StatelessService",
        "gridops:aws:ObservabilityStack",
    } <= types
    assert {"gridops:aws:SqsWorkerQueue", "gridops:aws:CdnFrontend"} <= types
    assert plan.outputs["url"].startswith("https://") and plan.outputs["url"].endswith(
        ".cloudfront.net"
    )


def test_api_is_linked_to_db_and_cache_by_one_ingress_rule_each(plan) -> None:
    api_sg = next(
        r for r in plan.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name.startswith("api")
    )
    rules = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("referencedSecurityGroupId") == api_sg.id
    ]
    ports = sorted(r.inputs["fromPort"] for r in rules)
    assert 5432 in ports and 6379 in ports
    assert len([p for p in ports if p == 5432]) == 1 and len([p for p in ports if p == 6379]) == 1


def test_api_gets_database_secrets_by_reference_only(plan) -> None:
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    containers = json.loads(task.inputs["containerDefinitions"])
    app = containers[0]
    env = {e["name"]: e["value"] for e in app.get("environment", [])}
    secrets = {s["name"]: s["valueFrom"] for s in app.get("secrets", [])}
    assert "DATABASE_PASSWORD" in secrets and secrets["DATABASE_PASSWORD"].startswith(
        "arn:aws:secretsmanager:"
    )
    assert not any("PASSWORD" in k or "TOKEN" in k for k in env)


def test_slo_page_alarms_feed_the_deployment_rollback(plan) -> None:
    service = plan.one("aws:ecs/service:Service", "api-service")
    alarm_names = service.inputs["alarms"]["alarmNames"]
    composites = {
        r.inputs["alarmName"]: r
        for r in plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")
    }
    rollback = [n for n in alarm_names if n.endswith("-api-slo-page")]
    assert len(rollback) == 1 and rollback[0] in composites
    rule = composites[rollback[0]].inputs["alarmRule"]
    # both SLOs (availability, latency) x both page tiers (1h/5m and 6h/30m)
    assert sorted(
        part.split('"')[1].rsplit("-", 2)[-2] + "-" + part.split('"')[1].rsplit("-", 1)[-1]
        for part in rule.split(" OR ")
    ) == ["page-1h", "page-1h", "page-6h", "page-6h"]
    assert service.inputs["alarms"]["rollback"] is True


def test_missing_required_key_names_it() -> None:
    with pytest.raises(StageConfigError, match="gridops:api_image"):
        preview(ROOT, stack="fargate", config={"api_image": ""})
