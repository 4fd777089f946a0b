"""Checks every component shares: finite numbers, AWS-valid tags, args and opts of the
right kind, lists that are lists. Each refusal names the field and registers nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from gridops_infra import EksCluster, FargateCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.testing import preview

IMAGE = "ghcr.io/acme/api:1.4.2"
NAN, INF = float("nan"), float("inf")


def _refused(make: Callable[[], Any]) -> tuple[str, list[str]]:
    """The error `make` raises inside a preview, and the names registered around it."""
    error: list[str] = []

    def program() -> None:
        try:
            make()
        except ValueError as exc:
            error.append(str(exc))

    plan = preview(program)
    assert error, "the bad input was accepted"
    return error[0], [r.name for r in plan.resources]


def _cluster(kind: str) -> Any:
    net = Network("n", {"az_count": 2, "nat": "single"})
    return (FargateCluster if kind == "fargate" else EksCluster)("c", {"network": net})


@pytest.mark.parametrize("kind", ["fargate", "eks"])
@pytest.mark.parametrize("value", [NAN, INF, -INF])
def test_worker_backlog_target_must_be_finite(kind: str, value: float) -> None:
    holder: dict[str, Any] = {}

    def make() -> None:
        holder["cluster"] = _cluster(kind)
        SqsWorkerQueue(
            "jobs", {"platform": holder["cluster"], "image": IMAGE, "seconds_per_job": value}
        )

    message, names = _refused(make)
    assert "seconds_per_job=" in message and "finite number" in message
    assert not [n for n in names if n.startswith("jobs")]


def test_alarm_thresholds_must_be_finite() -> None:
    def make() -> None:
        StatelessService(
            "api", {"platform": _cluster("fargate"), "image": IMAGE, "rollback_5xx_percent": NAN}
        )

    message, names = _refused(make)
    assert "rollback_5xx_percent=nan" in message
    assert not [n for n in names if n.startswith("api")]


@pytest.mark.parametrize(
    ("tags", "why"),
    [
        ({1: "x"}, "must be strings"),
        ({"team": ["a"]}, "must be strings"),
        ({"aws:team": "x"}, "aws: prefix is reserved"),
        ({"k" * 129: "v"}, "1..128 characters"),
        ({"": "v"}, "1..128 characters"),
        ({"k": "v" * 257}, "values 0..256"),
        ({"team": "a;b"}, "allowed characters"),
        ("team=a", "expected a mapping"),
    ],
)
def test_tags_are_refused_as_aws_would(tags: Any, why: str) -> None:
    message, names = _refused(lambda: Network("t", {"tags": tags}))
    assert message.startswith("Network 't': tags=") and why in message
    assert names == []


def test_tags_aws_accepts_pass() -> None:
    good = {"team": "payments", "cost-center": "cc:42/eu", "Name": "A b_c.d=e+f@g", "k" * 128: ""}
    plan = preview(lambda: Network("t", {"az_count": 2, "nat": "none", "tags": good}))
    assert plan.one("aws:ec2/vpc:Vpc").inputs["tags"]["cost-center"] == "cc:42/eu"


@pytest.mark.parametrize("args", [[1, 2], "abc", 5])
def test_args_must_be_a_mapping(args: Any) -> None:
    message, names = _refused(lambda: Network("t", args))
    assert message == f"Network 't': args must be a dict, got {type(args).__name__}"
    assert names == []


def test_opts_must_be_resource_options() -> None:
    message, names = _refused(lambda: Network("t", {}, opts={"protect": True}))  # type: ignore[arg-type]
    assert "opts must be pulumi.ResourceOptions, got dict" in message
    assert names == []
    plan = preview(lambda: Network("t", {"az_count": 2}, opts=pulumi.ResourceOptions()))
    assert plan.one("aws:ec2/vpc:Vpc")


@pytest.mark.parametrize("command", [{"serve": 1}, {"serve", "--port"}, "serve"])
def test_lists_must_be_lists(command: Any) -> None:
    """A dict would give its keys and a set an order that changes from run to run."""

    def make() -> None:
        StatelessService(
            "api", {"platform": _cluster("fargate"), "image": IMAGE, "command": command}
        )

    message, names = _refused(make)
    assert "command=" in message and "expected a list" in message
    assert not [n for n in names if n.startswith("api")]
