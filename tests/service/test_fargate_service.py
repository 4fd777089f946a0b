"""The DESIGN section 3 service on Fargate: task definition, roles, network, routing,
ECS service, autoscaling, alarms and outputs, checked on the offline engine and with
botocore's ECS model and parliament."""

from __future__ import annotations

import json

import botocore.session
import pulumi
import pytest
from botocore.validate import ParamValidator
from metric_math import evaluate
from parliament import analyze_policy_string

from gridops_infra.core.metrics import Metric
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import ServiceSpec, StatelessService
from gridops_infra.testing import preview

SERVICE = "gridops:aws:StatelessService"


def _program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = FargateCluster("prod", {"network": net})
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
            "health_check_path": "/healthz",
            "links": [],
        },
    )
    pulumi.export("url", api.url)
    assert isinstance(api.spec, ServiceSpec) and api.platform is cluster
    assert api.nodes["task-definition"] is not None
    pulumi.export("cluster_url", cluster.url)
    pulumi.export("private_subnets", net.private_subnet_ids)
    pulumi.export("alb_arn_suffix", cluster.alb_arn_suffix)
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("alb_sg", cluster.alb_security_group_id)
    for attr in (
        "service_name",
        "security_group_id",
        "target_group_arn",
        "task_role_arn",
        "execution_role_arn",
        "deployment_alarm_names",
    ):
        pulumi.export(attr, getattr(api, attr))
    pulumi.export("task_role_urn", api.task_role.urn)
    pulumi.export("policies", api.policy_documents)
    metrics = {
        "5xx": api.metric_5xx(),
        "requests": api.metric_requests(),
        "latency": api.metric_latency_p99(),
        "unhealthy": api.metric_unhealthy_hosts(),
        "cpu": api.metric_cpu(),
        "memory": api.metric_memory(),
    }
    assert all(isinstance(m, Metric) for m in metrics.values())
    pulumi.export(
        "metrics",
        {
            k: {"ns": m.namespace, "name": m.name, "stat": m.statistic, "dims": m.dimensions}
            for k, m in metrics.items()
        },
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


@pytest.fixture(scope="module")
def task_definition(plan):
    return plan.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")


@pytest.fixture(scope="module")
def containers(task_definition):
    return json.loads(task_definition.inputs["containerDefinitions"])


def test_every_resource_is_a_child_of_the_service_or_the_cluster(plan):
    service = plan.one(SERVICE, "api")
    kids = plan.descendants_of(service.urn)
    assert {r.type for r in kids} >= {
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:ecs/service:Service",
        "aws:iam/role:Role",
        "aws:lb/targetGroup:TargetGroup",
        "aws:lb/listenerRule:ListenerRule",
        "aws:appautoscaling/target:Target",
    }
    assert service.outputs["url"] == plan.outputs["url"]


def test_task_definition_is_fargate_awsvpc_arm64_with_its_size(task_definition, plan):
    inputs = task_definition.inputs
    assert inputs["requiresCompatibilities"] == ["FARGATE"]
    assert inputs["networkMode"] == "awsvpc"
    assert (inputs["cpu"], inputs["memory"]) == ("512", "1024")
    assert inputs["runtimePlatform"] == {
        "cpuArchitecture": "ARM64",
        "operatingSystemFamily": "LINUX",
    }
    assert inputs["executionRoleArn"] == plan.outputs["execution_role_arn"]
    assert inputs["taskRoleArn"] == plan.outputs["task_role_arn"]
    assert inputs["executionRoleArn"] != inputs["taskRoleArn"]
    assert inputs["skipDestroy"] is True  # old revisions stay available for rollback


def test_app_container_has_health_check_logs_and_a_read_only_root(containers, plan):
    assert len(containers) == 1
    app = containers[0]
    assert app["name"] == "api" and app["essential"] is True
    assert app["image"] == "ghcr.io/acme/api:1.4.2"
    assert app["portMappings"] == [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]
    assert app["healthCheck"]["command"] == [
        "CMD-SHELL",
        "curl -fsS http://localhost:8080/healthz > /dev/null || exit 1",
    ]
    assert app["readonlyRootFilesystem"] is True
    assert app["mountPoints"] == [
        {"containerPath": "/tmp", "readOnly": False, "sourceVolume": "api-scratch-0"}
    ]
    log_group = plan.one("aws:cloudwatch/logGroup:LogGroup", "api-logs")
    assert log_group.inputs["retentionInDays"] == 30
    options = app["logConfiguration"]["options"]
    assert app["logConfiguration"]["logDriver"] == "awslogs"
    assert options["awslogs-group"] == log_group.inputs["name"]
    assert options["awslogs-region"] == "us-east-1"
    assert "secrets" not in app and "environment" not in app


def test_task_definition_validates_against_botocore_register_task_definition(task_definition):
    inputs = task_definition.inputs
    request = {
        "family": inputs["family"],
        "taskRoleArn": inputs["taskRoleArn"],
        "executionRoleArn": inputs["executionRoleArn"],
        "networkMode": inputs["networkMode"],
        "containerDefinitions": json.loads(inputs["containerDefinitions"]),
        "volumes": inputs["volumes"],
        "requiresCompatibilities": inputs["requiresCompatibilities"],
        "cpu": inputs["cpu"],
        "memory": inputs["memory"],
        "runtimePlatform": inputs["runtimePlatform"],
    }
    shape = (
        botocore.session.get_session()
        .get_service_model("ecs")
        .operation_model("RegisterTaskDefinition")
        .input_shape
    )
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


def test_execution_and_task_roles_are_separate_and_scoped(plan):
    execution = json.loads(plan.outputs["policies"]["execution"])
    log_group = plan.one("aws:cloudwatch/logGroup:LogGroup", "api-logs").outputs["arn"]
    assert execution["Statement"] == [
        {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": [f"{log_group}:log-stream:*"],
            "Sid": "WriteServiceLogs",
        }
    ]
    assert "task" not in plan.outputs["policies"]  # no links: the app gets no permissions
    assert not [
        r for r in plan.of_type("aws:iam/rolePolicy:RolePolicy") if r.name == "api-task-policy"
    ]
    for role in ("api-execution-role", "api-task-role"):
        trust = json.loads(plan.one("aws:iam/role:Role", role).inputs["assumeRolePolicy"])
        statement = trust["Statement"][0]
        assert statement["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    assert plan.outputs["task_role_urn"] == plan.one("aws:iam/role:Role", "api-task-role").urn


def trust_policy_findings(doc: str) -> list:
    """Parliament audits permission policies; a trust policy has no Resource by design, so
    that one MALFORMED finding is expected there and nothing else is allowed."""
    findings = analyze_policy_string(doc, include_community_auditors=True).findings
    return [
        f
        for f in findings
        if not (f.issue == "MALFORMED" and "neither Resource nor NotResource" in str(f.detail))
    ]


def test_every_iam_document_passes_parliament_with_community_auditors(plan):
    for doc in plan.outputs["policies"].values():
        findings = analyze_policy_string(doc, include_community_auditors=True).findings
        assert findings == [], doc
    for role in ("api-execution-role", "api-task-role"):
        trust = plan.one("aws:iam/role:Role", role).inputs["assumeRolePolicy"]
        assert trust_policy_findings(trust) == [], trust


def test_tasks_admit_only_the_alb_on_their_port(plan):
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "api-sg")
    assert plan.outputs["security_group_id"] == sg.id
    ingress = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == sg.id
    ]
    assert len(ingress) == 1
    assert ingress[0].inputs["referencedSecurityGroupId"] == plan.outputs["alb_sg"]
    assert (ingress[0].inputs["fromPort"], ingress[0].inputs["toPort"]) == (8080, 8080)
    alb_out = plan.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "api-alb-out")
    assert alb_out.inputs["securityGroupId"] == plan.outputs["alb_sg"]
    assert alb_out.inputs["referencedSecurityGroupId"] == sg.id
    assert alb_out.inputs["fromPort"] == 8080
    egress = {
        r.name: r.inputs
        for r in plan.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.inputs["securityGroupId"] == sg.id
    }
    assert egress["api-out-vpc"]["cidrIpv4"] == "10.0.0.0/16"
    assert egress["api-out-internet-443"]["cidrIpv4"] == "0.0.0.0/0"
    assert egress["api-out-internet-443"]["fromPort"] == 443
    assert set(egress) == {"api-out-vpc", "api-out-internet-443"}


def test_target_group_uses_ip_targets_and_the_health_check_path(plan):
    tg = plan.one("aws:lb/targetGroup:TargetGroup", "api-tg")
    assert tg.outputs["arn"] == plan.outputs["target_group_arn"]
    assert tg.inputs["targetType"] == "ip"
    assert (tg.inputs["port"], tg.inputs["protocol"]) == (8080, "HTTP")
    assert tg.inputs["deregistrationDelay"] == 30
    assert tg.inputs["healthCheck"]["path"] == "/healthz"
    assert tg.inputs["healthCheck"]["matcher"] == "200-399"
    assert len(tg.outputs["name"]) <= 32


def test_listener_rule_forwards_everything_on_the_shared_http_listener(plan):
    rule = plan.one("aws:lb/listenerRule:ListenerRule", "api-rule")
    listener = plan.one("aws:lb/listener:Listener", "prod-http-listener")
    assert rule.inputs["listenerArn"] == listener.outputs["arn"]
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/*"]}}]
    assert rule.inputs["actions"] == [
        {"type": "forward", "targetGroupArn": plan.outputs["target_group_arn"]}
    ]
    assert rule.inputs["priority"] == 45000  # a catch-all goes last
    assert plan.outputs["url"] == plan.outputs["cluster_url"]


def test_ecs_service_runs_private_with_rollback_and_waits_for_steady_state(plan):
    svc = plan.one("aws:ecs/service:Service", "api-service")
    inputs = svc.inputs
    assert plan.outputs["service_name"] == svc.outputs["name"]
    net = inputs["networkConfiguration"]
    assert net["subnets"] == plan.outputs["private_subnets"]
    assert net["assignPublicIp"] is False
    assert net["securityGroups"] == [plan.outputs["security_group_id"]]
    assert inputs["loadBalancers"] == [
        {
            "containerName": "api",
            "containerPort": 8080,
            "targetGroupArn": plan.outputs["target_group_arn"],
        }
    ]
    assert inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert inputs["alarms"]["enable"] is True and inputs["alarms"]["rollback"] is True
    assert inputs["alarms"]["alarmNames"] == plan.outputs["deployment_alarm_names"]
    assert inputs["deploymentConfiguration"] == {"strategy": "ROLLING"}
    assert inputs["waitForSteadyState"] is True
    assert inputs["desiredCount"] == 2
    assert svc.ignore_changes == ["desiredCount"]
    assert inputs["capacityProviderStrategies"] == [
        {"base": 0, "capacityProvider": "FARGATE", "weight": 1}
    ]
    assert inputs["enableExecuteCommand"] is False
    for dependency in ("api-rule", "prod-capacity-providers", "api-execution-policy"):
        assert any(urn.endswith(f"::{dependency}") for urn in svc.dependencies), dependency


def test_deployment_alarms_watch_the_5xx_ratio_and_unhealthy_tasks(plan):
    alarms = {r.name: r for r in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    ratio, unhealthy = alarms["api-5xx-ratio"], alarms["api-unhealthy-hosts"]
    assert plan.outputs["deployment_alarm_names"] == [
        ratio.outputs["name"],
        unhealthy.outputs["name"],
    ]
    queries = ratio.inputs["metricQueries"]
    assert queries[0]["returnData"] is True
    # App 5xx and the load balancer's own 502/503/504 both roll a deployment back.
    assert evaluate(queries, {"r1": 100, "e1": 2, "lb": 4}) == pytest.approx(6)
    assert evaluate(queries, {"lb": 30}) == 100  # no target left to answer
    assert evaluate(queries, {"r1": 100}) == 0
    (lb,) = [q["metric"] for q in queries if q["id"] == "lb"]
    assert (lb["metricName"], lb["dimensions"]) == (
        "HTTPCode_ELB_5XX_Count",
        {"LoadBalancer": plan.outputs["metrics"]["unhealthy"]["dims"]["LoadBalancer"]},
    )
    assert ratio.inputs["threshold"] == 5
    metric = unhealthy.inputs["metricQueries"][0]["metric"]
    assert metric["metricName"] == "UnHealthyHostCount"
    assert (
        metric["dimensions"]["TargetGroup"]
        == plan.outputs["metrics"]["unhealthy"]["dims"]["TargetGroup"]
    )
    assert "alarmActions" not in ratio.inputs  # paging is ObservabilityStack's job


def test_autoscaling_tracks_cpu_between_min_and_max_with_cooldowns(plan):
    target = plan.one("aws:appautoscaling/target:Target", "api-scaling-target")
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 20)
    assert target.inputs["resourceId"] == (
        f"service/{plan.outputs['cluster_name']}/{plan.outputs['service_name']}"
    )
    assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"
    policies = plan.of_type("aws:appautoscaling/policy:Policy")
    assert [p.name for p in policies] == ["api-scale-on-cpu"]
    config = policies[0].inputs["targetTrackingScalingPolicyConfiguration"]
    assert config["targetValue"] == 60
    assert config["predefinedMetricSpecification"] == {
        "predefinedMetricType": "ECSServiceAverageCPUUtilization"
    }
    assert (config["scaleInCooldown"], config["scaleOutCooldown"]) == (300, 60)


def test_metric_helpers_point_at_the_alb_target_group_and_the_ecs_service(plan):
    metrics = plan.outputs["metrics"]
    tg_suffix = plan.one("aws:lb/targetGroup:TargetGroup", "api-tg").outputs["arnSuffix"]
    alb_dims = {"LoadBalancer": plan.outputs["alb_arn_suffix"], "TargetGroup": tg_suffix}
    assert metrics["5xx"] == {
        "ns": "AWS/ApplicationELB",
        "name": "HTTPCode_Target_5XX_Count",
        "stat": "Sum",
        "dims": alb_dims,
    }
    assert metrics["requests"]["name"] == "RequestCount"
    assert (metrics["latency"]["name"], metrics["latency"]["stat"]) == ("TargetResponseTime", "p99")
    assert metrics["unhealthy"]["name"] == "UnHealthyHostCount"
    ecs_dims = {
        "ClusterName": plan.outputs["cluster_name"],
        "ServiceName": plan.outputs["service_name"],
    }
    assert metrics["cpu"] == {
        "ns": "AWS/ECS",
        "name": "CPUUtilization",
        "stat": "Average",
        "dims": ecs_dims,
    }
    assert metrics["memory"]["name"] == "MemoryUtilization"
    assert metrics["memory"]["dims"] == ecs_dims
