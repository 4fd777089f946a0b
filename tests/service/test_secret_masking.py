"""A recognizable secret value fed through every bad-input path that touches a field
holding secrets (or references to them) appears in no error message, not in the Plan
(except as the `[secret]` marker) and not in the captured output or the engine's
diagnostics; on every platform, for services, their sidecars and queue workers."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from gridops_infra import (
    EksCluster,
    FargateCluster,
    Network,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import preview
from tests.secret_platforms import PLATFORMS

SECRET = "Pa55-masking-test-9f3c1e"
SSM_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/masking/Pa55-ssm-ref-7d2b"


def sidecar(**fields: Any) -> dict[str, Any]:
    return {"name": "agent", "image": "ghcr.io/acme/agent:1", **fields}


# (what is wrong, the args that carry the secret, the part of the error that names the field)
PATHS: list[tuple[str, dict[str, Any], str]] = [
    ("secrets is the value itself", {"secrets": SECRET}, "secrets=<hidden>"),
    ("a value, not a reference", {"secrets": {"API_KEY": SECRET}}, "secrets['API_KEY']=<hidden>"),
    ("a value as the name", {"secrets": {SECRET: "x"}}, "secrets=<hidden>"),
    ("a non-string value", {"secrets": {"API_KEY": [SECRET]}}, "secrets['API_KEY']=<hidden>"),
    ("value for the pull secret", {"image_pull_secret_arn": SECRET}, "image_pull_secret_arn="),
    ("a sidecar's value", {"containers": [sidecar(secrets={"K": SECRET})]}, "secrets['K']"),
    ("a sidecar's bad secrets", {"containers": [sidecar(secrets=SECRET)]}, "containers[0]"),
    ("a sidecar item of unknown fields", {"containers": [sidecar(token=SECRET)]}, "token"),
    ("a sidecar item that is a string", {"containers": [SECRET]}, "containers[0]"),
    (
        "a name in both",
        {"environment": {"K": "v"}, "secrets": {"K": SECRET}},
        "secrets['K']=<hidden>",
    ),
]
WORKER_PATHS = [p for p in PATHS if "containers" not in p[1]] + [
    ("a name the queue sets", {"secrets": {"QUEUE_URL": SECRET}}, "secrets")
]


def run_paths(kind: str, workload: str, paths: list[tuple[str, dict[str, Any], str]]):
    errors: dict[int, str] = {}

    def program() -> None:
        platform = PLATFORMS[kind](Network("prod", {"az_count": 2, "nat": "single"}))
        for i, (_, fields, _) in enumerate(paths):
            args = {"platform": platform, "image": "ghcr.io/acme/api:1.4.2", **fields}
            try:
                if workload == "worker":
                    SqsWorkerQueue(f"jobs{i}", args)
                else:
                    StatelessService(f"svc{i}", {**args, "path_patterns": [f"/s{i}/*"]})
            except (ValueError, NotImplementedError) as exc:
                errors[i] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize("workload", ("service", "worker"))
@pytest.mark.parametrize("kind", sorted(PLATFORMS))
def test_no_bad_input_path_prints_a_secret(
    kind: str, workload: str, capfd: pytest.CaptureFixture[str]
) -> None:
    paths = WORKER_PATHS if workload == "worker" else PATHS
    plan, errors = run_paths(kind, workload, paths)
    for i, (what, _, field) in enumerate(paths):
        assert i in errors, f"accepted: {what}"
        assert field in errors[i], errors[i]
        assert SECRET not in errors[i], f"{what}: {errors[i]}"
    assert SECRET not in plan.dumps()
    assert SECRET not in repr(plan.diagnostics)
    out, err = capfd.readouterr()
    assert SECRET not in out and SECRET not in err
    assert not [r for r in plan.resources if r.name.startswith(("svc", "jobs"))]


def test_the_eks_store_mismatch_names_the_variable_not_what_it_resolved_to() -> None:
    def program() -> None:
        cluster = EksCluster("prod", {"network": Network("prod", {"az_count": 2, "nat": "single"})})
        StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "secrets": {"API_KEY": pulumi.Output.from_input(SSM_ARN)},
            },
        )

    with pytest.raises(ValueError) as caught:
        preview(program)
    assert "secrets['API_KEY']" in str(caught.value)
    assert SSM_ARN not in str(caught.value)


def test_a_secret_environment_value_is_refused_without_its_value() -> None:
    def program() -> None:
        cluster = FargateCluster(
            "prod", {"network": Network("prod", {"az_count": 2, "nat": "single"})}
        )
        StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "environment": {"TOKEN": pulumi.Output.secret(SECRET)},
            },
        )

    with pytest.raises(ValueError) as caught:
        preview(program)
    assert "environment['TOKEN']" in str(caught.value)
    assert SECRET not in str(caught.value)
