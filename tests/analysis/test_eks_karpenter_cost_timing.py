"""`gridops cost` and `gridops timing` on an EksCluster with Karpenter: the interruption
queue is priced as a queue (its dead-letter queue as one), EventBridge rules and the
Karpenter custom resources are free, nothing is priced twice, and every new type has a
create time."""

from __future__ import annotations

import pytest

from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.analysis.timing.estimate import estimate_timing
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.testing import preview

KARPENTER_TYPES = {
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:eks/accessEntry:AccessEntry",
    "kubernetes:karpenter.sh/v1:NodePool",
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
}


def _program() -> None:
    net = Network("kc", {"az_count": 2, "nat": "single"})
    EksCluster("kc", {"network": net, "node_autoscaler": "karpenter", "spot": True})


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="prod")


def test_plan_has_every_new_type(plan):
    assert {r.type for r in plan.resources} >= KARPENTER_TYPES


def test_cost_prices_the_queues_as_queues_and_rules_as_free(plan):
    report = estimate_cost(plan)
    lines = {line.name: line for line in report.lines}
    assert "requests" in lines["kc-interruption"].formula
    assert lines["kc-interruption"].monthly_usd > 0
    assert "dead-letter" in lines["kc-interruption-dlq"].formula
    free = {(t, n) for t, n, _, _ in report.free}
    rules = {(r.type, r.name) for r in plan.of_type("aws:cloudwatch/eventRule:EventRule")}
    targets = {(r.type, r.name) for r in plan.of_type("aws:cloudwatch/eventTarget:EventTarget")}
    assert len(rules) == 4 and rules | targets <= free
    custom = {
        (r.type, r.name)
        for r in plan.resources
        if r.type.startswith(("kubernetes:karpenter.sh/", "kubernetes:karpenter.k8s.aws/"))
    }
    assert len(custom) == 3 and custom <= free
    # No new type is priced as anything but a queue, and each resource is accounted for
    # once: priced, free, or listed as not priced with its reason.
    new = [r for r in plan.resources if r.type in KARPENTER_TYPES]
    priced = {line.name for line in report.lines}
    unpriced = {u.name: u.reason for u in report.not_priced}
    for record in new:
        seen = [record.name in priced, (record.type, record.name) in free, record.name in unpriced]
        assert seen.count(True) == 1, record.name
        if record.name in priced:
            assert record.type == "aws:sqs/queue:Queue"
    assert "Traceback" not in report.render_text()


def test_timing_knows_every_new_type_and_ends_with_the_node_pools(plan):
    report = estimate_timing(plan)
    assert not set(report.untimed) & KARPENTER_TYPES, report.untimed
    path = [step.name for step in report.path]
    assert path[-1].startswith("kc-karpenter-") and path[-1].endswith("-pool")
    assert "kc-karpenter" in path  # the Helm release, after the nodes and CoreDNS
    assert path.index("kc-nodes") < path.index("kc-coredns") < path.index("kc-karpenter")
    assert report.render_text()
