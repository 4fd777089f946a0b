"""The eks stage on EKS Auto Mode (`gridops:eks_compute: auto-mode`): everything that runs on
EKS today (the API service behind CloudFront, the KEDA-scaled workers, observability with
its persistent Prometheus, External Secrets, Argo CD, per-workload security groups for the
database and cache) previews and passes every mandatory rule, without a managed node
group, Load Balancer Controller, EBS CSI driver or node autoscaler."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import Plan, preview

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "kubernetes:helm.sh/v3:Release"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(ROOT, stack="eks", config={"eks_compute": "auto-mode"})


def test_it_passes_every_mandatory_rule(plan: Plan) -> None:
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


def test_auto_mode_replaces_what_gridops_installed(plan: Plan) -> None:
    (cluster,) = plan.of_type("aws:eks/cluster:Cluster")
    assert cluster.inputs["computeConfig"]["enabled"] is True
    assert plan.of_type("aws:eks/nodeGroup:NodeGroup") == []
    charts = {r.inputs["chart"] for r in plan.of_type(RELEASE)}
    assert "aws-load-balancer-controller" not in charts and "cluster-autoscaler" not in charts
    assert {"keda", "external-secrets", "argo-cd"} <= charts
    addons = {r.inputs["addonName"] for r in plan.of_type("aws:eks/addon:Addon")}
    assert "aws-ebs-csi-driver" not in addons and "vpc-cni" not in addons


def test_observability_volumes_use_auto_mode_block_storage(plan: Plan) -> None:
    classes = {
        r.inputs["metadata"]["name"]: r.inputs["provisioner"]
        for r in plan.of_type("kubernetes:storage.k8s.io/v1:StorageClass")
    }
    assert classes == {
        "gp3": "ebs.csi.eks.amazonaws.com",
        "gridops-monitoring-gp3": "ebs.csi.eks.amazonaws.com",
    }


def test_keda_workers_and_per_workload_security_groups(plan: Plan) -> None:
    assert plan.one("kubernetes:apps/v1:Deployment", "jobs-deployment")
    assert plan.of_type("kubernetes:keda.sh/v1alpha1:ScaledObject")
    policies = {
        r.inputs["metadata"]["namespace"]
        for r in plan.of_type("kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy")
    }
    assert policies == {"api", "jobs"}  # both link the database and the cache
