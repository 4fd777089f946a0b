"""The fargate stage: the DESIGN section 3 program, linked and observed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridops_infra.testing import preview
from stacks.config import StageConfigError
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plan():
    return stage_plan("fargate")


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


def _metrics_of(alarm) -> list[dict]:
    if alarm.inputs.get("metricName"):
        return [
            {
                "namespace": alarm.inputs["namespace"],
                "dimensions": alarm.inputs.get("dimensions") or {},
            }
        ]
    return [q["metric"] for q in alarm.inputs.get("metricQueries") or [] if q.get("metric")]


def test_every_alarm_dimension_names_a_real_resource_of_the_plan(plan) -> None:
    """Alarms watch what the stage really creates: the ALB and the API's target group,
    the Aurora cluster and its instances, the cache nodes, the queues, the distribution, the ECS service."""
    lb = plan.one("aws:lb/loadBalancer:LoadBalancer")
    groups = {r.outputs["arnSuffix"] for r in plan.of_type("aws:lb/targetGroup:TargetGroup")}
    db_cluster = plan.one("aws:rds/cluster:Cluster")
    db_ids = {
        r.inputs["identifier"] for r in plan.of_type("aws:rds/clusterInstance:ClusterInstance")
    }
    cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    queues = {r.outputs["name"] for r in plan.of_type("aws:sqs/queue:Queue")}
    distribution = plan.one("aws:cloudfront/distribution:Distribution")
    cluster = plan.one("aws:ecs/cluster:Cluster")
    services = {r.outputs["name"] for r in plan.of_type("aws:ecs/service:Service")}
    checked = 0
    for alarm in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        for metric in _metrics_of(alarm):
            dims, namespace = metric["dimensions"], metric["namespace"]
            if namespace == "AWS/ApplicationELB":
                assert dims["LoadBalancer"] == lb.outputs["arnSuffix"]
                assert dims.get("TargetGroup", next(iter(groups))) in groups
            elif namespace == "AWS/RDS" and "DBClusterIdentifier" in dims:
                assert dims["DBClusterIdentifier"] == db_cluster.inputs["clusterIdentifier"]
                assert dims.get("Role", "WRITER") in ("WRITER", "READER")
            elif namespace == "AWS/RDS":
                assert dims["DBInstanceIdentifier"] in db_ids
            elif namespace == "AWS/ElastiCache":
                assert dims["CacheClusterId"].startswith(cache.inputs["replicationGroupId"] + "-")
            elif namespace == "AWS/SQS":
                assert dims["QueueName"] in queues
            elif namespace == "AWS/CloudFront":
                assert dims["DistributionId"] == distribution.id
            elif namespace in ("AWS/ECS", "ECS/ContainerInsights"):
                assert dims["ClusterName"] == cluster.outputs["name"]
                if "ServiceName" in dims:
                    assert dims["ServiceName"] in services
            else:
                raise AssertionError(f"unexpected namespace {namespace} in {alarm.name}")
            checked += 1
    assert checked > 30
