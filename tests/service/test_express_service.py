"""StatelessService on an ExpressCluster: the ExpressGatewayService it becomes, its
least-privilege roles and security group, links granted exactly as on Fargate, and every
field ECS owns refused when given, naming it and FargateCluster, registering nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gridops_infra import ExpressCluster, Network, RedisCache, StatelessService
from gridops_infra.service.express.checks import MANAGED_BY_ECS
from gridops_infra.testing import preview

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf"
EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService"


def program(**fields: Any):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = ExpressCluster("prod", {"network": net})
        cache = RedisCache("cache", {"network": net})
        StatelessService("api", {"platform": cluster, "image": IMAGE, "links": [cache], **fields})

    return run


def test_the_execution_role_reads_only_the_referenced_secrets_and_its_own_log_group() -> None:
    plan = preview(program(secrets={"API_KEY": SECRET}))
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "api-execution-policy")
    statements = json.loads(policy.inputs["policy"])["Statement"]
    secret_resources = {
        arn
        for s in statements
        if "secretsmanager:GetSecretValue" in s["Action"]
        for arn in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert SECRET in secret_resources
    assert all("*" not in arn for arn in secret_resources)
    (log_group,) = [
        r for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if r.name == "api-logs"
    ]
    (service,) = plan.of_type(EXPRESS)
    logs = service.inputs["primaryContainer"]["awsLogsConfigurations"][0]
    assert logs["logGroup"] == log_group.inputs["name"]
    secrets = service.inputs["primaryContainer"]["secrets"]
    assert {"name": "API_KEY", "valueFrom": SECRET} in secrets


def test_the_tasks_group_admits_only_the_vpc_on_the_port_and_the_cache_admits_it() -> None:
    plan = preview(program(port=9090))
    ingress = plan.one(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "api-in-from-vpc"
    )
    assert (ingress.inputs["fromPort"], ingress.inputs["toPort"]) == (9090, 9090)
    (vpc,) = plan.of_type("aws:ec2/vpc:Vpc")
    assert ingress.inputs["cidrIpv4"] == vpc.inputs["cidrBlock"]
    group = plan.one("aws:ec2/securityGroup:SecurityGroup", "api-sg")
    from_api = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("referencedSecurityGroupId") == group.id
    ]
    assert from_api and all(r.inputs["fromPort"] == 6379 for r in from_api)


def test_the_url_is_the_services_https_endpoint() -> None:
    def run() -> None:
        import pulumi

        net = Network("prod", {"az_count": 2})
        api = StatelessService(
            "api", {"platform": ExpressCluster("prod", {"network": net}), "image": IMAGE}
        )
        pulumi.export("url", api.url)

    url = preview(run).outputs["url"]
    assert url.startswith("https://") and url.endswith(".ecs.us-east-1.on.aws")


VALUES: dict[str, Any] = {
    "health_check_grace_period_seconds": 120,
    "path_patterns": ["/api/*"],
    "hosts": ["api.example.com"],
    "priority": 7,
    "domain": "api.example.com",
    "zone_id": "Z0123456789ABCDEFGHIJ",
    "deregistration_delay_seconds": 10,
    "scale_in_cooldown_seconds": 600,
    "scale_out_cooldown_seconds": 30,
    "scheduled_scaling": [{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 4, "max_count": 12}],
    "deployment_strategy": "canary",
    "bake_time_minutes": 15,
    "traffic_step_percent": 25.0,
    "traffic_step_minutes": 10,
    "rollback_alarm_names": ["api-latency-high"],
    "slo_rollback": True,
    "rollback_5xx_percent": 2.5,
    "spot": {"weight": 1},
    "enable_execute_command": True,
}


@pytest.mark.parametrize("field", sorted(MANAGED_BY_ECS))
def test_a_field_ecs_owns_is_refused_naming_it_and_fargate(field: str) -> None:
    extra: dict[str, Any] = {field: VALUES[field]}
    if field == "domain":
        extra["zone_id"] = VALUES["zone_id"]
    if field == "zone_id":
        extra["domain"] = VALUES["domain"]
    if field in ("bake_time_minutes",):
        extra["deployment_strategy"] = "blue-green"
    if field in ("traffic_step_percent", "traffic_step_minutes"):
        extra["deployment_strategy"] = "canary"
    errors: list[str] = []

    def run() -> None:
        try:
            program(**extra)()
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert errors, f"{field} was accepted on ExpressCluster"
    assert "ExpressCluster 'prod'" in errors[0] and "FargateCluster" in errors[0], errors[0]
    assert f"{field}=" in errors[0] or any(f"{f}=" in errors[0] for f in extra), errors[0]
    assert not [r for r in plan if "StatelessService" in r.urn]


def test_an_explicit_arm64_is_refused_and_x86_64_accepted() -> None:
    errors: list[str] = []

    def run() -> None:
        try:
            program(cpu_architecture="ARM64")()
        except ValueError as exc:
            errors.append(str(exc))

    preview(run)
    assert errors and "cpu_architecture='ARM64'" in errors[0] and "X86_64" in errors[0]
    assert preview(program(cpu_architecture="X86_64")).of_type(EXPRESS)
