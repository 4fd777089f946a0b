"""On the first `pulumi up`, a workload linked to a database starts only once a writer
instance exists: an Aurora cluster endpoint exists before any instance answers on it, so
a health check that queries the database would otherwise fail the first tasks and trip
the ECS circuit breaker. Proven on the Plan's dependencies, per platform and mode."""

from __future__ import annotations

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.platforms import EksCluster, FargateCluster
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

ECS_SERVICE = "aws:ecs/service:Service"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def linked_program(platform: str, mode: str, proxy: bool = False):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = (
            FargateCluster("prod", {"network": net})
            if platform == "fargate"
            else EksCluster("prod", {"network": net, "ebs_csi_driver": False})
        )
        db = ManagedPostgresWithReplicas(
            "db",
            {
                "network": net,
                "instance_class": "db.r7g.large",
                "replicas": 1,
                "engine_mode": mode,
                "proxy": proxy,
            },
        )
        StatelessService(
            "api",
            {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2", "links": [db]},
        )
        SqsWorkerQueue(
            "jobs",
            {"platform": cluster, "image": "ghcr.io/acme/worker:1.4.2", "links": [db]},
        )

    return run


def _writer(plan, mode: str):
    if mode == "aurora":
        return plan.one("aws:rds/clusterInstance:ClusterInstance", "db-writer")
    return plan.one("aws:rds/instance:Instance", "db-primary")


def _workloads(plan, platform: str):
    kind = ECS_SERVICE if platform == "fargate" else DEPLOYMENT
    found = {r.name: r for r in plan.of_type(kind)}
    assert len(found) == 2, sorted(found)
    return found.values()


@pytest.mark.parametrize(
    ("platform", "mode"),
    [("fargate", "aurora"), ("fargate", "instance"), ("eks", "aurora")],
)
def test_services_and_workers_wait_for_the_writer_instance(platform, mode) -> None:
    plan = preview(linked_program(platform, mode), stack=platform)
    writer = _writer(plan, mode)
    for workload in _workloads(plan, platform):
        assert writer.urn in workload.dependencies, workload.name


def test_behind_a_proxy_they_also_wait_for_its_target() -> None:
    plan = preview(linked_program("fargate", "aurora", proxy=True), stack="fargate")
    target = plan.one("aws:rds/proxyTarget:ProxyTarget")
    writer = _writer(plan, "aurora")
    for workload in _workloads(plan, "fargate"):
        assert {target.urn, writer.urn} <= set(workload.dependencies), workload.name
