"""What StatelessService refuses on EksCluster, before registering anything."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf"
BASE = {"image": "ghcr.io/acme/api:1.4.2"}

BAD: dict[str, tuple[dict[str, Any], str, str]] = {
    # case: (service args, field named, cluster variant)
    "canary": ({"deployment_strategy": "canary"}, "deployment_strategy", "default"),
    "blue-green": ({"deployment_strategy": "blue-green"}, "deployment_strategy", "default"),
    "schedules": (
        {"scheduled_scaling": [{"schedule": "cron(0 8 * * ? *)", "min_count": 4, "max_count": 8}]},
        "scheduled_scaling",
        "default",
    ),
    "request scaling": ({"requests_per_target": 100}, "requests_per_target", "default"),
    "alarm rollback": ({"rollback_alarm_names": ["my-alarm"]}, "rollback_alarm_names", "default"),
    "slo rollback": ({"slo_rollback": True}, "slo_rollback", "default"),
    "no scaling target": ({"cpu_target_percent": 0}, "cpu_target_percent", "default"),
    "named user": ({"user": "app"}, "user", "default"),
    "root user": ({"user": "0:0"}, "user", "default"),
    "ingress host": ({"hosts": ["api-?.example.com"]}, "hosts", "default"),
    "x86 on graviton nodes": ({"cpu_architecture": "X86_64"}, "cpu_architecture", "default"),
    "arm on fargate": ({}, "cpu_architecture", "fargate"),
    "spot without spot nodes": ({"spot": {"weight": 1}}, "spot", "default"),
    "secrets without eso": ({"secrets": {"KEY": SECRET}}, "secrets", "no-eso"),
    "same route twice": ({}, "path_patterns", "taken"),
    "own log retention": ({"log_retention_days": 90}, "log_retention_days", "default"),
    "priority past group.order": ({"priority": 1000}, "priority", "default"),
    "5xx rollback threshold": ({"rollback_5xx_percent": 2.5}, "rollback_5xx_percent", "default"),
    "egress ports": ({"internet_egress_ports": [443, 8443]}, "internet_egress_ports", "default"),
    "ecs exec": ({"enable_execute_command": True}, "enable_execute_command", "default"),
    "essential sidecar": (
        {"containers": [{"name": "agent", "image": "ghcr.io/acme/agent:1", "essential": True}]},
        "essential",
        "default",
    ),
}
HONOURED = {"priority": 7, "container_health_check_command": ["CMD", "/app/healthcheck"]}


@pytest.fixture(scope="module")
def outcome():
    errors: dict[str, str] = {}

    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "single", "flow_logs": False})
        clusters = {
            "default": EksCluster("c", {"network": net}),
            "fargate": EksCluster("f", {"network": net, "fargate_profiles": ["svc"]}),
            "no-eso": EksCluster("e", {"network": net, "external_secrets": False}),
            "taken": EksCluster("t", {"network": net}),
        }
        logs = EksCluster("l", {"network": net, "container_log_retention_days": 90})
        StatelessService("logged", {"platform": logs, **BASE, "log_retention_days": 90})
        StatelessService("first", {"platform": clusters["taken"], **BASE})
        StatelessService(
            "honoured",
            {"platform": clusters["default"], **BASE, **HONOURED, "path_patterns": ["/h/*"]},
        )
        for case, (args, _, variant) in BAD.items():
            try:
                StatelessService("svc", {"platform": clusters[variant], **BASE, **args})
            except ValueError as exc:
                errors[case] = str(exc)

    return errors, preview(program)


@pytest.mark.parametrize("case", list(BAD))
def test_refused_naming_the_field(outcome, case):
    errors, _ = outcome
    assert case in errors, f"{case}: not refused"
    assert BAD[case][1] in errors[case]
    assert errors[case].startswith("StatelessService 'svc'")


def test_refused_services_registered_nothing(outcome):
    _, plan = outcome
    services = [r.name for r in plan.of_type("gridops:aws:StatelessService")]
    assert services == ["logged", "first", "honoured"]
    assert not [r for r in plan.resources if r.name.startswith("svc")]


def test_messages_say_what_to_do(outcome):
    errors, _ = outcome
    assert "10001:10001" in errors["named user"]
    assert "x86_64 pods only" in errors["arm on fargate"]
    assert "service 'first' already routes" in errors["same route twice"]
    assert "spot=True" in errors["spot without spot nodes"]


def test_priority_and_the_container_health_check_reach_the_manifests(outcome):
    """`priority` is the Ingress's group.order; a health check command of the user's is
    an exec liveness probe, the default one an HTTP probe of the health path."""
    _, plan = outcome
    ingress = plan.one("kubernetes:networking.k8s.io/v1:Ingress", "honoured-ingress")
    annotations = ingress.inputs["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/group.order"] == "7"
    [app] = plan.one("kubernetes:apps/v1:Deployment", "honoured-deployment").inputs["spec"][
        "template"
    ]["spec"]["containers"]
    assert app["livenessProbe"]["exec"] == {"command": ["/app/healthcheck"]}
    [default] = plan.one("kubernetes:apps/v1:Deployment", "first-deployment").inputs["spec"][
        "template"
    ]["spec"]["containers"]
    assert default["livenessProbe"]["httpGet"]["path"] == "/"


def test_a_log_retention_equal_to_the_clusters_is_accepted(outcome):
    """Pods log to the cluster's Container Insights group: the cluster's retention is the
    only one a service can have there."""
    _, plan = outcome
    assert plan.one("gridops:aws:StatelessService", "logged")
