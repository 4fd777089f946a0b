"""On EKS a workload's namespace is its name: two workloads of one name, or one named
like a namespace the cluster and its add-ons use, are refused before registering."""

from __future__ import annotations

import pytest

from gridops_infra import EksCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.testing import preview

IMAGE = "ghcr.io/acme/api:1.4.2"


@pytest.fixture(scope="module")
def outcome():
    errors: dict[str, str] = {}

    def attempt(key: str, make) -> None:
        try:
            make()
        except ValueError as exc:
            errors[key] = str(exc)

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        cluster = EksCluster("prod", {"network": net})
        StatelessService("api", {"platform": cluster, "image": IMAGE})
        attempt(
            "same-name-worker",
            lambda: SqsWorkerQueue("api", {"platform": cluster, "image": IMAGE}),
        )
        attempt(
            "system-name",
            lambda: StatelessService(
                "monitoring", {"platform": cluster, "image": IMAGE, "path_patterns": ["/m/*"]}
            ),
        )
        # Refused for its route (the same catch-all as api): it must not keep "web".
        attempt(
            "route-clash", lambda: StatelessService("web", {"platform": cluster, "image": IMAGE})
        )
        SqsWorkerQueue("web", {"platform": cluster, "image": IMAGE})

    return preview(program), errors


def test_a_second_workload_of_one_name_is_refused(outcome) -> None:
    plan, errors = outcome
    assert errors["same-name-worker"] == (
        "SqsWorkerQueue 'api': name='api' is not allowed on EksCluster; its namespace would "
        "be 'api', already used by StatelessService 'api' on EKS cluster 'prod'; choose "
        "another name"
    )
    assert [r.name for r in plan.of_type("gridops:aws:SqsWorkerQueue")] == ["web"]


def test_a_namespace_the_cluster_uses_is_refused(outcome) -> None:
    _, errors = outcome
    assert "name='monitoring' is not allowed" in errors["system-name"]
    assert "the cluster or its add-ons use" in errors["system-name"]


def test_a_refused_workload_keeps_no_namespace(outcome) -> None:
    plan, errors = outcome
    assert "path_patterns" in errors["route-clash"] or "already routes" in errors["route-clash"]
    namespaces = {
        r.name for r in plan.of_type("kubernetes:core/v1:Namespace") if r.name.startswith("web")
    }
    assert namespaces == {"web-namespace"}
