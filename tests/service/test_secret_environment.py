"""A Pulumi secret passed as a plain environment value is refused on every platform:
ECS task definitions, Kubernetes manifests and compose files store environment values
readable, so secrets go in `secrets` (Secrets Manager / SSM references)."""

from __future__ import annotations

import json

import pulumi
import pytest

from gridops_infra import EksCluster, FargateCluster, Network, SingleServer, StatelessService
from gridops_infra.testing import preview

PLATFORMS = {
    "fargate": lambda net: FargateCluster("prod", {"network": net}),
    "eks": lambda net: EksCluster("prod", {"network": net}),
    "single-server": lambda net: SingleServer("mvp", {"network": net}),
}


def program(kind: str, value, sidecar: bool = False):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        env = {"REGION_NAME": pulumi.Output.from_input("eu"), "TOKEN": value()}
        args = {"platform": PLATFORMS[kind](net), "image": "ghcr.io/acme/api:1.4.2"}
        if sidecar:
            args["containers"] = [
                {"name": "agent", "image": "ghcr.io/acme/agent:1", "environment": env}
            ]
        else:
            args["environment"] = env
        StatelessService("api", args)

    return run


@pytest.mark.parametrize("kind", sorted(PLATFORMS))
def test_a_secret_environment_value_is_refused_with_the_field_named(kind: str) -> None:
    with pytest.raises(ValueError) as caught:
        preview(program(kind, lambda: pulumi.Output.secret("s3cr3t")))
    message = str(caught.value)
    assert "StatelessService 'api': environment['TOKEN'] is not allowed to be a Pulumi secret" in (
        message
    )
    assert "`secrets`" in message


def test_a_sidecars_secret_environment_value_is_refused_too() -> None:
    with pytest.raises(ValueError, match=r"environment\['TOKEN'\] is not allowed"):
        preview(program("fargate", lambda: pulumi.Output.secret("s3cr3t"), sidecar=True))


def test_plain_outputs_still_flow_into_the_environment() -> None:
    plan = preview(program("fargate", lambda: pulumi.Output.from_input("not-secret")))
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition")
    env = {
        e["name"]: e["value"]
        for e in json.loads(task.inputs["containerDefinitions"])[0]["environment"]
    }
    assert env["TOKEN"] == "not-secret" and env["REGION_NAME"] == "eu"
