"""Golden signals beyond services and data stores: the workers (ECS and KEDA), the NAT
gateways, the EKS nodes, and the replica lag a reader-aware service sees."""

from __future__ import annotations

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms import EksCluster, FargateCluster, SingleServer
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def program(platform: str, mode: str = "aurora"):
    def run() -> None:
        net = Network("prod", {"az_count": 2, "nat": "per-az"})
        if platform == "fargate":
            cluster = FargateCluster("prod", {"network": net})
        elif platform == "eks":
            cluster = EksCluster("prod", {"network": net, "ebs_csi_driver": False})
        else:
            cluster = SingleServer("prod", {"network": net, "database": False})
        db = ManagedPostgresWithReplicas(
            "db",
            {"network": net, "instance_class": "db.r7g.large", "replicas": 2, "engine_mode": mode},
        )
        jobs = SqsWorkerQueue("jobs", {"platform": cluster, "image": "ghcr.io/acme/w:1"})
        api = StatelessService(
            "api", {"platform": cluster, "image": "ghcr.io/acme/api:1", "links": [db]}
        )
        watched = [api, jobs, net] + ([cluster] if platform == "eks" else [])
        ObservabilityStack("obs", {"resources": watched, "alert_emails": ["oncall@example.com"]})

    return run


def _alarms(plan) -> dict:
    return {a.name.removeprefix("obs-"): a.inputs for a in plan.of_type(METRIC_ALARM)}


@pytest.fixture(scope="module")
def fargate_plan():
    return preview(program("fargate"), stack="fargate")


@pytest.fixture(scope="module")
def eks_plan():
    return preview(program("eks"), stack="eks")


def test_ecs_workers_alarm_on_their_service_cpu_and_memory(fargate_plan) -> None:
    alarms = _alarms(fargate_plan)
    worker = fargate_plan.one("aws:ecs/service:Service", "jobs-worker")
    cpu, memory = alarms["jobs-worker-cpu"], alarms["jobs-worker-memory"]
    assert (cpu["namespace"], cpu["metricName"], cpu["threshold"]) == (
        "AWS/ECS",
        "CPUUtilization",
        85,
    )
    assert cpu["dimensions"]["ServiceName"] == worker.outputs["name"]
    assert memory["metricName"] == "MemoryUtilization" and memory["threshold"] == 90


def test_keda_workers_alarm_on_their_pods(eks_plan) -> None:
    cpu = _alarms(eks_plan)["jobs-worker-cpu"]
    assert cpu["namespace"] == "ContainerInsights"
    assert cpu["metricName"] == "pod_cpu_utilization_over_pod_limit"
    assert cpu["dimensions"]["PodName"] == "jobs"
    assert set(cpu["dimensions"]) == {"ClusterName", "Namespace", "PodName"}


def test_every_nat_gateway_alarms_on_port_allocation_and_drops(fargate_plan) -> None:
    alarms = _alarms(fargate_plan)
    gateways = {g.id for g in fargate_plan.of_type("aws:ec2/natGateway:NatGateway")}
    assert len(gateways) == 2
    for signal, metric in (
        ("nat-port-allocation-errors", "ErrorPortAllocation"),
        ("nat-packets-dropped", "PacketsDropCount"),
    ):
        mine = [a for name, a in alarms.items() if name.startswith(f"prod-{signal}")]
        assert {a["dimensions"]["NatGatewayId"] for a in mine} == gateways
        assert {(a["namespace"], a["metricName"], a["statistic"]) for a in mine} == {
            ("AWS/NATGateway", metric, "Sum")
        }
    assert alarms["prod-nat-port-allocation-errors-0"]["threshold"] == 0


def test_eks_nodes_alarm_on_failures_cpu_and_memory(eks_plan) -> None:
    alarms = _alarms(eks_plan)
    cluster = eks_plan.one("aws:eks/cluster:Cluster")
    failed = alarms["prod-failed-nodes"]
    assert failed["metricName"] == "cluster_failed_node_count"
    assert failed["dimensions"] == {"ClusterName": cluster.outputs["name"]}
    assert alarms["prod-node-cpu"]["metricName"] == "node_cpu_utilization"
    assert alarms["prod-node-memory"]["metricName"] == "node_memory_utilization"


@pytest.mark.parametrize(
    ("mode", "metrics", "threshold"),
    [("aurora", ["AuroraReplicaLagMaximum"], 30_000), ("instance", ["ReplicaLag"] * 2, 30)],
)
def test_a_service_linked_to_readers_alarms_on_their_lag(mode, metrics, threshold) -> None:
    plan = preview(program("fargate", mode), stack="fargate")
    lags = [a for name, a in sorted(_alarms(plan).items()) if name.startswith("api-reader-lag")]
    assert [a["metricName"] for a in lags] == metrics
    assert {a["threshold"] for a in lags} == {threshold}


def test_a_single_server_worker_has_no_utilization_alarm_of_its_own() -> None:
    """The workers share the host, whose own alarms (CPU, memory, disk) watch it."""
    plan = preview(program("single-server"), stack="single-server")
    alarms = _alarms(plan)
    assert not [n for n in alarms if n.startswith("jobs-worker-")]
    assert "prod-alarm-cpu" in {a.name for a in plan.of_type(METRIC_ALARM)}
