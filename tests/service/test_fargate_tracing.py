"""`tracing: True`: an ADOT collector sidecar on Fargate, OTEL_* env, X-Ray grants."""

from __future__ import annotations

import json

import pytest

from gridops_infra import EksCluster, FargateCluster, Network, SingleServer, StatelessService
from gridops_infra.testing import preview
from gridops_infra.testing.validators import ecs_container_definition_errors, iam_findings

SPEC = {
    "image": "ghcr.io/acme/api:1.4.2",
    "port": 8080,
    "health_check_path": "/healthz",
    "tracing": True,
}


@pytest.fixture(scope="module")
def plan():
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        StatelessService("api", {**SPEC, "platform": FargateCluster("prod", {"network": net})})

    return preview(program)


def containers(plan) -> dict[str, dict]:
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition")
    return {c["name"]: c for c in json.loads(task.inputs["containerDefinitions"])}


def test_collector_sidecar_starts_before_the_app(plan) -> None:
    by_name = containers(plan)
    collector = by_name["aws-otel-collector"]
    assert collector["image"].startswith("public.ecr.aws/aws-observability/aws-otel-collector:")
    assert collector["essential"] is False
    assert collector["readonlyRootFilesystem"] is True
    assert {"containerName": "aws-otel-collector", "condition": "START"} in by_name["api"][
        "dependsOn"
    ]
    assert ecs_container_definition_errors(list(by_name.values())) is None


def test_app_reports_to_the_sidecar(plan) -> None:
    env = {e["name"]: e["value"] for e in containers(plan)["api"]["environment"]}
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://localhost:4317"
    assert env["OTEL_SERVICE_NAME"] == "api"


def test_task_role_may_write_traces_and_nothing_broader(plan) -> None:
    task_policy = next(
        r
        for r in plan.of_type("aws:iam/rolePolicy:RolePolicy")
        if "AdotTracesToXRay" in r.inputs["policy"]
    )
    statements = {s["Sid"]: s for s in json.loads(task_policy.inputs["policy"])["Statement"]}
    assert statements["AdotTracesToXRay"]["Resource"] == ["*"]
    assert all(a.startswith("xray:") for a in statements["AdotTracesToXRay"]["Action"])
    assert all(
        r.startswith("arn:aws:logs:us-east-1:123456789012:log-group:/aws/ecs/application/metrics")
        for r in statements["AdotEmfMetrics"]["Resource"]
    )
    # X-Ray's write and sampling actions have no resource-level permissions.
    findings = iam_findings(task_policy.inputs["policy"])
    assert [f for f in findings if "xray:" not in f] == []


def test_without_tracing_there_is_no_sidecar() -> None:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        StatelessService(
            "api", {**SPEC, "tracing": False, "platform": FargateCluster("prod", {"network": net})}
        )

    plan = preview(program)
    assert list(containers(plan)) == ["api"]


def test_on_eks_the_app_reports_to_the_cluster_gateway() -> None:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        StatelessService("api", {**SPEC, "platform": EksCluster("prod", {"network": net})})

    plan = preview(program)
    container = plan.one("kubernetes:apps/v1:Deployment").inputs["spec"]["template"]["spec"][
        "containers"
    ][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" in env and env["OTEL_SERVICE_NAME"] == "api"


def test_on_a_single_server_tracing_is_refused_naming_the_field() -> None:
    def program() -> None:
        net = Network("mvp", {"az_count": 2, "nat": "none"})
        StatelessService("api", {**SPEC, "platform": SingleServer("mvp", {"network": net})})

    with pytest.raises(ValueError, match="tracing"):
        preview(program)
