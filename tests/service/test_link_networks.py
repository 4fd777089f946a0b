"""A workload may link only what its platform's network can reach: a security group
cannot admit a group of another VPC, so a link across Networks is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridops_infra import (
    FargateCluster,
    ManagedPostgresWithReplicas,
    Network,
    RedisCache,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import preview

IMAGE = "ghcr.io/acme/api:1.4.2"


def _store(kind: str, net: Network) -> Any:
    if kind == "postgres":
        return ManagedPostgresWithReplicas("db", {"network": net})
    return RedisCache("cache", {"network": net})


def _service(cluster: Any, link: Any) -> None:
    StatelessService("api", {"platform": cluster, "image": IMAGE, "links": [link]})


def _worker(cluster: Any, link: Any) -> None:
    SqsWorkerQueue("jobs", {"platform": cluster, "image": IMAGE, "links": [link]})


@pytest.mark.parametrize("kind", ["postgres", "redis"])
@pytest.mark.parametrize("workload", [_service, _worker])
def test_a_link_on_another_network_is_refused(kind: str, workload: Callable) -> None:
    errors: list[str] = []

    def program() -> None:
        cluster = FargateCluster("c", {"network": Network("n", {})})
        store = _store(kind, Network("other", {"cidr_block": "10.1.0.0/16"}))
        try:
            workload(cluster, store)
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert errors and "links=" in errors[0]
    assert "on Network 'other' and the platform on Network 'n'" in errors[0]
    assert not [r for r in plan.resources if r.name.startswith(("api", "jobs"))]


def test_a_link_on_the_same_network_is_admitted() -> None:
    def program() -> None:
        net = Network("n", {})
        _service(FargateCluster("c", {"network": net}), RedisCache("cache", {"network": net}))

    plan = preview(program)
    assert plan.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "cache-from-api")


def test_ecs_exec_is_refused_on_eks() -> None:
    """Silently ignored before: the flag did nothing on EKS."""
    from gridops_infra import EksCluster

    with pytest.raises(
        ValueError, match="enable_execute_command=True is not allowed on EksCluster"
    ):
        preview(
            lambda: StatelessService(
                "api",
                {
                    "platform": EksCluster("c", {"network": Network("n", {})}),
                    "image": IMAGE,
                    "enable_execute_command": True,
                },
            )
        )
