"""ResilienceDrills on the Fargate stage's shape: ECS task stops, a forced Multi-AZ failover
and a Redis AZ power cut, each guarded by the API's SLO page alarm, read from the Plan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fis_request import create_request, request_errors

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.validators import iam_findings

TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/rolePolicy:RolePolicy"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
REGION, ACCOUNT = "us-east-1", "123456789012"
API_ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:gridops-fargate-api-slo-page"
SEEN: dict[str, Any] = {}

# parliament findings accepted for every drill role, and why:
# - PERMISSIONS_MANAGEMENT_ACTIONS: logs:PutResourcePolicy. FIS delivers experiment logs as
#   a vended log delivery and, as the experiment role, writes the log group's resource
#   policy; the FIS docs list it among the four logging permissions, none of which
#   supports resource-level permissions.
ACCEPTED = {"PERMISSIONS_MANAGEMENT_ACTIONS: "}
# - RESOURCE_STAR ecs:ListTasks (stop-task only): ListTasks authorizes against container
#   instances, which Fargate has none of; the statement is held to the service's cluster by
#   the ecs:cluster condition, as the ECS docs show for listing one cluster's tasks.
ACCEPTED_ECS = ACCEPTED | {"RESOURCE_STAR: ['ecs:ListTasks']"}


def program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = FargateCluster("prod", {"network": net})
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 2}
    )
    cache = RedisCache("cache", {"network": net, "node_type": "cache.r7g.large", "replicas": 1})
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "cpu": 512,
            "memory": 1024,
            "min_count": 2,
            "max_count": 20,
            "links": [db, cache],
        },
    )
    obs = ObservabilityStack(
        "obs",
        {"resources": [api, db, cache], "slos": [Slo.availability(api, objective=0.999)]},
    )
    drills = ResilienceDrills(
        "drills", {"targets": [api, db, cache], "observability": obs, "tags": {"team": "sre"}}
    )
    SEEN.update(drills=drills, api=api, cluster=cluster, db=db, cache=cache)


@pytest.fixture(scope="module")
def plan():
    return preview(program, stack="fargate")


def template(plan, key: str) -> dict[str, Any]:
    return reveal(plan.one(TEMPLATE, f"drills-{key}").inputs)


def test_one_template_per_target(plan) -> None:
    names = sorted(r.name for r in plan.of_type(TEMPLATE))
    assert names == ["drills-api-stop-task", "drills-cache-az-power", "drills-db-failover"]
    assert SEEN["drills"].drills == ["api-stop-task", "db-failover", "cache-az-power"]
    assert set(SEEN["drills"].experiment_template_ids) == set(SEEN["drills"].drills)


def test_stop_task_targets_the_service_tasks_by_cluster_and_service(plan) -> None:
    t = template(plan, "api-stop-task")
    ecs_cluster = plan.one("aws:ecs/cluster:Cluster")
    ecs_service = plan.one("aws:ecs/service:Service")
    assert t["targets"] == [
        {
            "name": "api-tasks",
            "resourceType": "aws:ecs:task",
            "parameters": {
                "cluster": ecs_cluster.outputs["name"],
                "service": ecs_service.outputs["name"],
            },
            "selectionMode": "COUNT(1)",
        }
    ]
    assert t["actions"] == [
        {
            "name": "api-stop-task",
            "actionId": "aws:ecs:stop-task",
            "target": {"key": "Tasks", "value": "api-tasks"},
        }
    ]


def test_instance_mode_failover_is_a_forced_failover_reboot_of_the_primary(plan) -> None:
    t = template(plan, "db-failover")
    primary = plan.one("aws:rds/instance:Instance", "db-primary")
    assert t["targets"] == [
        {
            "name": "db-primary",
            "resourceType": "aws:rds:db",
            "resourceArns": [primary.outputs["arn"]],
            "selectionMode": "ALL",
        }
    ]
    (action,) = t["actions"]
    assert action["actionId"] == "aws:rds:reboot-db-instances"
    assert action["parameters"] == [{"key": "forceFailover", "value": "true"}]
    assert action["target"] == {"key": "DBInstances", "value": "db-primary"}


def test_cache_drill_cuts_power_to_the_primary_az_for_ten_minutes(plan) -> None:
    t = template(plan, "cache-az-power")
    group = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    primary_az = group.inputs["preferredCacheClusterAzs"][0]
    assert t["targets"] == [
        {
            "name": "cache-group",
            "resourceType": "aws:elasticache:replicationgroup",
            "resourceArns": [group.outputs["arn"]],
            "parameters": {"availabilityZoneIdentifier": primary_az},
            "selectionMode": "ALL",
        }
    ]
    (action,) = t["actions"]
    assert action["actionId"] == "aws:elasticache:replicationgroup-interrupt-az-power"
    assert action["parameters"] == [{"key": "duration", "value": "PT10M"}]
    assert action["target"] == {"key": "ReplicationGroups", "value": "cache-group"}


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_every_drill_stops_on_the_api_slo_page_alarm(plan, key) -> None:
    t = template(plan, key)
    assert t["stopConditions"] == [{"source": "aws:cloudwatch:alarm", "value": API_ALARM}]
    composite = plan.one("aws:cloudwatch/compositeAlarm:CompositeAlarm", "obs-api-slo-rollback")
    assert composite.inputs["alarmName"] == API_ALARM.rsplit(":", 1)[-1]


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_templates_wait_for_their_role_policy_and_the_observability_stack(plan, key) -> None:
    record = plan.one(TEMPLATE, f"drills-{key}")
    policy = plan.one(POLICY, f"drills-{key}-policy")
    # A dependency on a component waits for its children: the SLO alarms among them.
    composite = plan.one("aws:cloudwatch/compositeAlarm:CompositeAlarm", "obs-api-slo-rollback")
    assert {policy.urn, composite.urn} <= set(record.dependencies)
    assert reveal(record.inputs["roleArn"]) == plan.one(ROLE, f"drills-{key}-role").outputs["arn"]


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_templates_log_to_their_log_group_and_carry_tags_and_a_description(plan, key) -> None:
    t = template(plan, key)
    group = plan.one(LOG_GROUP, "drills-logs")
    assert t["logConfiguration"] == {
        "logSchemaVersion": 2,
        "cloudwatchLogsConfiguration": {"logGroupArn": group.outputs["arn"] + ":*"},
    }
    assert t["experimentOptions"] == {
        "accountTargeting": "single-account",
        "emptyTargetResolutionMode": "fail",
    }
    assert t["tags"]["Name"] == f"drills-{key}"
    assert t["tags"]["team"] == "sre"
    assert t["tags"]["gridops:component"] == "ResilienceDrills"
    assert "gridops-fargate-api-slo-page" in t["description"]


def test_experiment_log_group_is_a_vended_log_group_with_retention(plan) -> None:
    group = plan.one(LOG_GROUP, "drills-logs")
    assert group.inputs["name"] == "/aws/vendedlogs/fis/gridops-fargate/drills"
    assert group.inputs["retentionInDays"] == 90


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_templates_are_valid_create_experiment_template_requests(plan, key) -> None:
    record = plan.one(TEMPLATE, f"drills-{key}")
    assert request_errors(create_request(record.inputs)) == []


def test_the_request_check_catches_a_broken_template(plan) -> None:
    request = create_request(plan.one(TEMPLATE, "drills-api-stop-task").inputs)
    request["targets"]["api-tasks"]["parameters"]["service"] = "api service?"
    request["stopConditions"] = [{"value": API_ALARM}]
    errors = request_errors(request)
    assert any("breaks the model's pattern" in e for e in errors)
    assert any("source" in e for e in errors)


def _policy(plan, key: str) -> dict[str, Any]:
    return json.loads(plan.one(POLICY, f"drills-{key}-policy").inputs["policy"])


def _by_sid(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in document["Statement"]}


def test_stop_task_role_may_stop_only_the_cluster_tasks(plan) -> None:
    cluster = plan.one("aws:ecs/cluster:Cluster")
    statements = _by_sid(_policy(plan, "api-stop-task"))
    assert statements["StopServiceTasks"]["Action"] == ["ecs:DescribeTasks", "ecs:StopTask"]
    assert statements["StopServiceTasks"]["Resource"] == [
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster.outputs['name']}/*"
    ]
    assert statements["ListClusterTasks"]["Action"] == ["ecs:ListTasks"]
    assert statements["ListClusterTasks"]["Condition"] == {
        "ArnEquals": {"ecs:cluster": cluster.outputs["arn"]}
    }
    assert set(statements) == {
        "StopServiceTasks",
        "ListClusterTasks",
        "ResolveTargets",
        "DeliverExperimentLogs",
    }


def test_failover_role_may_reboot_only_the_primary(plan) -> None:
    primary = plan.one("aws:rds/instance:Instance", "db-primary")
    statements = _by_sid(_policy(plan, "db-failover"))
    assert statements["FailOverPrimary"] == {
        "Sid": "FailOverPrimary",
        "Effect": "Allow",
        "Action": ["rds:DescribeDBInstances", "rds:RebootDBInstance"],
        "Resource": [primary.outputs["arn"]],
    }
    assert set(statements) == {"FailOverPrimary", "ResolveTargets", "DeliverExperimentLogs"}


def test_cache_role_may_interrupt_only_the_replication_group(plan) -> None:
    group = plan.one("aws:elasticache/replicationGroup:ReplicationGroup")
    statements = _by_sid(_policy(plan, "cache-az-power"))
    assert statements["InterruptCacheAz"]["Action"] == [
        "elasticache:DescribeReplicationGroups",
        "elasticache:InterruptClusterAzPower",
    ]
    assert statements["InterruptCacheAz"]["Resource"] == [group.outputs["arn"]]


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_only_documented_unscopable_actions_use_a_star(plan, key) -> None:
    starred = {
        action
        for s in _policy(plan, key)["Statement"]
        if "*" in s["Resource"]
        for action in s["Action"]
    }
    assert starred <= {
        "tag:GetResources",
        "ecs:ListTasks",
        "logs:CreateLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:PutResourcePolicy",
    }


@pytest.mark.parametrize(
    ("key", "accepted"),
    [("api-stop-task", ACCEPTED_ECS), ("db-failover", ACCEPTED), ("cache-az-power", ACCEPTED)],
)
def test_role_policies_pass_parliament_but_for_documented_findings(plan, key, accepted) -> None:
    findings = iam_findings(plan.one(POLICY, f"drills-{key}-policy").inputs["policy"])
    assert set(findings) <= accepted
    assert SEEN["drills"].policy_documents[key] is not None


def test_parliament_still_flags_a_widened_policy(plan) -> None:
    document = _policy(plan, "db-failover")
    document["Statement"][0]["Resource"] = ["*"]
    findings = iam_findings(document)
    assert any(f.startswith("RESOURCE_STAR") for f in findings)


@pytest.mark.parametrize("key", ["api-stop-task", "db-failover", "cache-az-power"])
def test_roles_trust_only_fis_experiments_of_this_account(plan, key) -> None:
    trust = plan.one(ROLE, f"drills-{key}-role").inputs["assumeRolePolicy"]
    assert iam_findings(trust, trust=True) == []
    (statement,) = json.loads(trust)["Statement"]
    assert statement["Principal"] == {"Service": "fis.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:fis:{REGION}:{ACCOUNT}:experiment/*"},
    }


def test_every_drill_resource_is_a_child_of_the_component(plan) -> None:
    component = plan.one("gridops:aws:ResilienceDrills", "drills")
    children = {r.name for r in plan.children_of(component.urn)}
    assert children == {
        "drills-logs",
        *(f"drills-{k}{s}" for k in SEEN["drills"].drills for s in ("", "-role", "-policy")),
    }
