"""`gridops cost` and `gridops timing` on an EKS Auto Mode cluster: the nodes the Plan does
not hold are priced with Auto Mode's management fee, and the first node's launch is on
the deploy's path instead of a managed node group."""

from __future__ import annotations

import pytest

from gridops_infra.analysis import estimate_cost, estimate_timing, load_prices
from gridops_infra.analysis.timing.rules import create_estimate
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.testing import preview

PRICES = load_prices()


def _plan(compute: str):
    return preview(
        lambda: EksCluster(
            "prod",
            {"network": Network("prod", {"az_count": 2}), "compute": compute},
        )
    )


@pytest.fixture(scope="module")
def auto():
    return _plan("auto-mode")


def test_auto_mode_nodes_are_priced_with_the_management_fee(auto):
    (line,) = [ln for ln in estimate_cost(auto).lines if ln.type == "aws:eks/cluster:Cluster"]
    hours = PRICES.hours_per_month
    ec2 = PRICES.lookup("ec2_instance_hour", "m7g.large")
    assert ec2 is not None
    fee = ec2 * PRICES.rate("eks", "auto_mode_management_fee_share")
    disk = 80 * PRICES.rate("ebs", "gb_month", "gp3")
    nodes = 2 * ((ec2 + fee) * hours + disk)
    assert line.monthly_usd == pytest.approx(PRICES.rate("eks", "cluster_hour") * hours + nodes)
    assert line.usage_usd == pytest.approx(nodes)
    assert "m7g.large + Auto Mode fee" in line.formula


def test_the_node_count_is_a_usage_assumption(auto):
    (one,) = [
        ln
        for ln in estimate_cost(auto, usage={"eks_auto_mode_nodes": 1}).lines
        if ln.type == "aws:eks/cluster:Cluster"
    ]
    (two,) = [ln for ln in estimate_cost(auto).lines if ln.type == "aws:eks/cluster:Cluster"]
    assert two.usage_usd == pytest.approx(2 * one.usage_usd)


def test_a_managed_node_group_cluster_pays_no_auto_mode_fee():
    plan = _plan("managed-node-groups")
    (line,) = [ln for ln in estimate_cost(plan).lines if ln.type == "aws:eks/cluster:Cluster"]
    assert "Auto Mode" not in line.formula and line.usage_usd == 0


def test_the_first_node_launch_is_on_the_path_and_no_node_group_is(auto):
    pools = auto.of_type("kubernetes:karpenter.sh/v1:NodePool")
    estimate = create_estimate(pools[0])
    assert (estimate.p50, estimate.p90) == (75, 180)
    assert estimate.rule is not None and "Auto Mode" in estimate.rule
    nodes = estimate_timing(_plan("managed-node-groups"))
    assert estimate_timing(auto).total_seconds < nodes.total_seconds
