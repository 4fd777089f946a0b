"""DESIGN section 3, verbatim: the API contract runs on all three platforms, and swapping
the platform object is the only change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from gridops_infra import (
    CdnFrontend,
    EksCluster,
    FargateCluster,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    RedisCache,
    SingleServer,
    Slo,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import Plan, preview

PLATFORMS: dict[str, Callable[[Network], Any]] = {
    "fargate": lambda net: FargateCluster("prod", {"network": net}),
    "fargate-managed-instances": lambda net: FargateCluster(
        "prod", {"network": net, "capacity": "managed-instances"}
    ),
    "eks": lambda net: EksCluster("prod", {"network": net}),
    # The program links a ManagedPostgresWithReplicas: the host's own PostgreSQL is then
    # declined explicitly (left to its default, the mix is refused as ambiguous).
    "single-server": lambda net: SingleServer("prod", {"network": net, "database": False}),
}


def contract(make_platform: Callable[[Network], Any]) -> Callable[[], None]:
    def program() -> None:
        net = Network("prod", {"az_count": 3, "nat": "per-az"})
        cluster = make_platform(net)
        db = ManagedPostgresWithReplicas(
            "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 2}
        )
        cache = RedisCache("cache", {"network": net, "node_type": "cache.r7g.large", "replicas": 1})
        jobs = SqsWorkerQueue(
            "jobs", {"platform": cluster, "image": "ghcr.io/acme/worker:1.4.2", "max_workers": 20}
        )
        api = StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "port": 8080,
                "cpu": 512,
                "memory": 1024,
                "min_count": 2,
                "max_count": 20,
                "health_check_path": "/healthz",
                "links": [db, cache, jobs],
            },
        )
        cdn = CdnFrontend("web", {"api_origin": api})
        ObservabilityStack(
            "obs",
            {
                "resources": [api, db, cache, jobs, cdn],
                "slos": [
                    Slo.availability(api, objective=0.999),
                    Slo.latency(api, threshold_ms=300, objective=0.99),
                ],
                "alert_emails": ["oncall@acme.io"],
            },
        )
        pulumi.export("url", cdn.url)

    return program


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {kind: preview(contract(make)) for kind, make in PLATFORMS.items()}


@pytest.mark.parametrize("kind", sorted(PLATFORMS))
def test_the_contract_runs_and_serves_through_the_cdn(plans: dict[str, Plan], kind: str) -> None:
    plan = plans[kind]
    assert plan.outputs["url"].startswith("https://")
    assert plan.outputs["url"].endswith(".cloudfront.net")
    components = {r.type for r in plan if r.type.startswith("gridops:")}
    assert {
        "gridops:aws:Network",
        "gridops:aws:ManagedPostgresWithReplicas",
        "gridops:aws:RedisCache",
        "gridops:aws:SqsWorkerQueue",
        "gridops:aws:StatelessService",
        "gridops:aws:CdnFrontend",
        "gridops:aws:ObservabilityStack",
    } <= components
