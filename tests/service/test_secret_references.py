"""A Pulumi Output under `secrets` is a reference: on every platform, for services, their
sidecars and queue workers, one that resolves to anything but a Secrets Manager or SSM
ARN is refused with its value hidden, before any resource receives it (the ECS
`valueFrom`, the ExternalSecret, the compose fragment in an SSM String parameter would
otherwise store it readable). One that resolves to an ARN flows through as a reference."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi.runtime import MockResourceArgs

from gridops_infra import (
    Network,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import GridopsMocks, Plan, preview
from gridops_infra.testing.plan import reveal
from tests.secret_platforms import PLATFORMS

SECRET = "s3cr3t-reference-test-value"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf"
WORKLOADS = ("service", "sidecar", "worker")
# A SingleServer refuses sidecars (not built there), before `secrets` is read.
CASES = [
    (k, w) for k in sorted(PLATFORMS) for w in WORKLOADS if (k, w) != ("single-server", "sidecar")
]


class SpyMocks(GridopsMocks):
    """Every input any resource received, as text: to prove a value reached none."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.seen.append(json.dumps(args.inputs, default=str))
        return super().new_resource(args)


def program(kind: str, workload: str, value: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        platform = PLATFORMS[kind](net)
        secrets = {"API_KEY": value()}
        base = {"platform": platform, "image": "ghcr.io/acme/api:1.4.2"}
        if workload == "worker":
            SqsWorkerQueue("jobs", {**base, "secrets": secrets})
        elif workload == "sidecar":
            sidecar = {"name": "agent", "image": "ghcr.io/acme/agent:1", "secrets": secrets}
            StatelessService("api", {**base, "containers": [sidecar]})
        else:
            StatelessService("api", {**base, "secrets": secrets})

    return run


BAD_VALUES: dict[str, Callable[[], Any]] = {
    "pulumi-secret": lambda: pulumi.Output.secret(SECRET),
    "plain-output": lambda: pulumi.Output.from_input(SECRET),
}


@pytest.mark.parametrize("bad", sorted(BAD_VALUES))
@pytest.mark.parametrize(("kind", "workload"), CASES)
def test_an_output_that_is_no_reference_is_refused_and_reaches_no_resource(
    kind: str, workload: str, bad: str, capfd: pytest.CaptureFixture[str]
) -> None:
    mocks = SpyMocks()
    with pytest.raises(ValueError) as caught:
        preview(program(kind, workload, BAD_VALUES[bad]), mocks=mocks)
    message = str(caught.value)
    assert "secrets['API_KEY']=<hidden> is not allowed" in message
    assert "Secrets Manager" in message
    assert SECRET not in message
    assert mocks.seen, "the platform registered nothing before the check"
    assert not [s for s in mocks.seen if SECRET in s]
    out, err = capfd.readouterr()
    assert SECRET not in out and SECRET not in err


def reference_in(kind: str, plan: Plan) -> bool:
    """Whether the ARN reached the platform's secret injection as a reference (the
    inputs are Pulumi secrets here, since the Output was one)."""
    if kind == "fargate":
        for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
            for container in json.loads(reveal(task.inputs["containerDefinitions"])):
                refs = {s["name"]: s["valueFrom"] for s in container.get("secrets", [])}
                if refs.get("API_KEY") == ARN:
                    return True
        return False
    if kind == "eks":
        for external in plan.of_type("kubernetes:external-secrets.io/v1:ExternalSecret"):
            data = reveal(external.inputs["spec"]).get("data", [])
            if ARN in [d["remoteRef"]["key"] for d in data]:
                return True
        return False
    fragments = plan.of_type("aws:ssm/parameter:Parameter")
    return any(ARN in json.dumps(reveal(r.inputs), default=str) for r in fragments)


@pytest.mark.parametrize(("kind", "workload"), CASES)
def test_an_output_that_resolves_to_an_arn_flows_through_as_a_reference(
    kind: str, workload: str
) -> None:
    plan = preview(program(kind, workload, lambda: pulumi.Output.secret(ARN)))
    assert reference_in(kind, plan)
