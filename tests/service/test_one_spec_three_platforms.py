"""The product's promise: one service spec, three platforms, only `platform` changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from gridops_infra import EksCluster, FargateCluster, Network, SingleServer, StatelessService
from gridops_infra.testing import Plan, preview

SPEC: dict[str, Any] = {
    "image": "ghcr.io/acme/api:1.4.2",
    "port": 8080,
    "cpu": 512,
    "memory": 1024,
    "min_count": 2,
    "max_count": 6,
    "health_check_path": "/healthz",
}

PLATFORMS: dict[str, Callable[[Network], Any]] = {
    "fargate": lambda net: FargateCluster("prod", {"network": net}),
    "eks": lambda net: EksCluster("prod", {"network": net}),
    "single-server": lambda net: SingleServer(
        "mvp", {"network": net, "instance_type": "t4g.xlarge"}
    ),
}


def deploy(kind: str) -> Plan:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        StatelessService("api", {**SPEC, "platform": PLATFORMS[kind](net)})

    return preview(program)


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {kind: deploy(kind) for kind in PLATFORMS}


def fargate_view(plan: Plan) -> dict[str, Any]:
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition")
    app = json.loads(task.inputs["containerDefinitions"])[0]
    target = plan.one("aws:appautoscaling/target:Target")
    group = plan.one("aws:lb/targetGroup:TargetGroup")
    return {
        "image": app["image"],
        "port": app["portMappings"][0]["containerPort"],
        "health": group.inputs["healthCheck"]["path"],
        "cpu": int(task.inputs["cpu"]),
        "memory": int(task.inputs["memory"]),
        "min": int(target.inputs["minCapacity"]),
        "max": int(target.inputs["maxCapacity"]),
    }


def eks_view(plan: Plan) -> dict[str, Any]:
    deployment = plan.one("kubernetes:apps/v1:Deployment")
    container = deployment.inputs["spec"]["template"]["spec"]["containers"][0]
    hpa = plan.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    cpu = container["resources"]["limits"]["cpu"]
    return {
        "image": container["image"],
        "port": container["ports"][0]["containerPort"],
        "health": container["readinessProbe"]["httpGet"]["path"],
        "cpu": round(float(cpu.removesuffix("m")) / 1000 * 1024)
        if cpu.endswith("m")
        else int(float(cpu) * 1024),
        "memory": int(container["resources"]["limits"]["memory"].removesuffix("Mi")),
        "min": hpa.inputs["spec"]["minReplicas"],
        "max": hpa.inputs["spec"]["maxReplicas"],
    }


def test_the_same_spec_lands_the_same_on_fargate_and_eks(plans) -> None:
    expected = {
        "image": SPEC["image"],
        "port": 8080,
        "health": "/healthz",
        "cpu": 512,
        "memory": 1024,
        "min": 2,
        "max": 6,
    }
    assert fargate_view(plans["fargate"]) == expected
    assert eks_view(plans["eks"]) == expected


def single_server_view(plan: Plan) -> dict[str, Any]:
    parameter = next(
        r for r in plan.of_type("aws:ssm/parameter:Parameter") if r.name == "api-compose"
    )
    compose = json.loads(parameter.inputs["insecureValue"])
    api = compose["services"]["api"]
    limits = api["deploy"]["resources"]["limits"]
    return {
        "image": api["image"],
        "port": int(api["healthcheck"]["test"][1].split("localhost:", 1)[1].split("/", 1)[0]),
        "health": "/"
        + api["healthcheck"]["test"][1].split("localhost:", 1)[1].split("/", 1)[1].split(" ", 1)[0],
        "cpu": round(float(limits["cpus"]) * 1024),
        "memory": int(limits["memory"].removesuffix("M")),
        "min": api["deploy"]["replicas"],
        "max": int(api["labels"]["gridops.max_count"]),
    }


def test_the_same_spec_lands_the_same_on_the_single_server(plans) -> None:
    """One host cannot autoscale: min_count replicas run, max_count is recorded."""
    expected = {
        "image": SPEC["image"],
        "port": 8080,
        "health": "/healthz",
        "cpu": 512,
        "memory": 1024,
        "min": 2,
        "max": 6,
    }
    assert single_server_view(plans["single-server"]) == expected
