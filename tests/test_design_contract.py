"""DESIGN section 3, verbatim: the API contract runs on every platform, and swapping the
platform object is the only change. On ExpressCluster it runs up to the load-balancer
SLOs, which ECS Express Mode gives no metrics for: that refusal is proved here, and the
rest of the program runs with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from gridops_infra import (
    CdnFrontend,
    EksCluster,
    ExpressCluster,
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


def contract(
    make_platform: Callable[[Network], Any], *, watch_api: bool = True
) -> Callable[[], None]:
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
        if watch_api:
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
        else:
            ObservabilityStack(
                "obs", {"resources": [db, cache, jobs, cdn], "alert_emails": ["oncall@acme.io"]}
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


def express(net: Network) -> ExpressCluster:
    return ExpressCluster("prod", {"network": net})


def test_on_express_the_contract_stops_at_the_load_balancer_slos_naming_why() -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            contract(express)()
        except NotImplementedError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 1
    assert "ExpressCluster" in errors[0] and "FargateCluster" in errors[0], errors[0]
    assert "metric_5xx" in errors[0], errors[0]
    # Refused before the ObservabilityStack registered anything; all before it ran.
    assert not [r.name for r in plan if "ObservabilityStack" in r.urn]
    assert plan.of_type("aws:ecs/expressGatewayService:ExpressGatewayService")


def test_on_express_the_rest_of_the_contract_runs_and_serves_through_the_cdn() -> None:
    plan = preview(contract(express, watch_api=False))
    assert plan.outputs["url"].endswith(".cloudfront.net")
    (service,) = plan.of_type("aws:ecs/expressGatewayService:ExpressGatewayService")
    container = service.inputs["primaryContainer"]
    assert container["image"] == "ghcr.io/acme/api:1.4.2"
    assert container["containerPort"] == 8080
    assert (service.inputs["cpu"], service.inputs["memory"]) == ("512", "1024")
    assert service.inputs["healthCheckPath"] == "/healthz"
    (scaling,) = service.inputs["scalingTargets"]
    assert (scaling["minTaskCount"], scaling["maxTaskCount"]) == (2, 20)
    # The links still reach the service: their settings and secrets, and its own group
    # admitted by the database and the cache.
    names = {e["name"] for e in container["environments"]} | {
        s["name"] for s in container["secrets"]
    }
    assert {"DATABASE_HOST", "REDIS_HOST", "JOBS_QUEUE_URL"} <= names
    (group,) = service.inputs["networkConfigurations"][0]["securityGroups"]
    admitted = {
        r.inputs.get("referencedSecurityGroupId")
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    }
    assert group in admitted
    # The worker runs as a plain ECS service on the same cluster.
    (worker,) = plan.of_type("aws:ecs/service:Service")
    (cluster,) = plan.of_type("aws:ecs/cluster:Cluster")
    assert worker.inputs["cluster"] == cluster.outputs["arn"]
    # The CDN reaches the service's own HTTPS endpoint, https-only.
    (distribution,) = plan.of_type("aws:cloudfront/distribution:Distribution")
    (origin,) = [o for o in distribution.inputs["origins"] if o.get("customOriginConfig")]
    assert origin["domainName"].endswith(".on.aws")
    assert origin["customOriginConfig"]["originProtocolPolicy"] == "https-only"
