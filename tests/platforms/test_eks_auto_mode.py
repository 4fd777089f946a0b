"""EksCluster(compute="auto-mode"): the cluster's Auto Mode configuration and roles, what
it leaves to AWS (no node group, Load Balancer Controller, EBS CSI driver, CNI, Karpenter
or Cluster Autoscaler), the objects it adds (IngressClass, StorageClass, NodePools) run
through kubernetes-validate, checkov and Karpenter's schemas, the node-group arguments it
refuses, and today's computes keeping their Plans when chosen explicitly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.auto_mode_manifests import (
    ingress_class,
    ingress_class_params,
    storage_class,
)
from gridops_infra.platforms.eks.catalog import KUBERNETES_VERSIONS
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.eks.load_balancing import LoadBalancing
from gridops_infra.policy.engine import check_plan
from gridops_infra.service.eks.manifests import Resolved, workload_manifests
from gridops_infra.service.spec.settings import ServiceSpec
from gridops_infra.testing import preview, reveal

CLUSTER = "aws:eks/cluster:Cluster"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ADDON = "aws:eks/addon:Addon"
RELEASE = "kubernetes:helm.sh/v3:Release"
NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
CHECKOV = Path(sys.executable).parent / "checkov"
MANAGED = "arn:aws:iam::aws:policy/"


def _auto(**args: Any) -> None:
    net = Network("prod", {"az_count": 2})
    EksCluster("prod", {"network": net, "compute": "auto-mode", **args})


@pytest.fixture(scope="module")
def plan():
    return preview(lambda: _auto(spot=True))


def _attached(plan, role_name: str) -> set[str]:
    role = plan.one(ROLE, role_name)
    return {
        r.inputs["policyArn"].removeprefix(MANAGED)
        for r in plan.of_type(ATTACHMENT)
        if r.inputs["role"] == role.outputs["name"]
    }


def test_the_cluster_enables_auto_mode_s_three_capabilities(plan):
    cluster = plan.one(CLUSTER)
    node_role = plan.one(ROLE, "prod-node-role")
    assert cluster.inputs["computeConfig"] == {
        "enabled": True,
        "nodePools": ["general-purpose", "system"],
        "nodeRoleArn": node_role.outputs["arn"],
    }
    assert cluster.inputs["storageConfig"] == {"blockStorage": {"enabled": True}}
    assert cluster.inputs["kubernetesNetworkConfig"]["elasticLoadBalancing"] == {"enabled": True}
    assert cluster.inputs["accessConfig"]["authenticationMode"] == "API"
    assert cluster.inputs["bootstrapSelfManagedAddons"] is False
    assert cluster.inputs["version"] == "1.36"


def test_the_cluster_role_has_auto_mode_s_policies_and_tags_sessions(plan):
    role = plan.one(ROLE, "prod-cluster-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert _attached(plan, "prod-cluster-role") == {
        "AmazonEKSClusterPolicy",
        "AmazonEKSComputePolicy",
        "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy",
        "AmazonEKSNetworkingPolicy",
        "AmazonEKSVPCResourceController",
    }


def test_the_node_role_is_ec2_s_with_the_minimal_policies(plan):
    role = plan.one(ROLE, "prod-node-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert _attached(plan, "prod-node-role") == {
        "AmazonEKSWorkerNodeMinimalPolicy",
        "AmazonEC2ContainerRegistryPullOnly",
    }
    # EKS creates the node role's access entry (type EC2) itself; a second is refused.
    entries = plan.of_type("aws:eks/accessEntry:AccessEntry")
    assert [e for e in entries if e.inputs.get("type") == "EC2"] == []


def test_nothing_auto_mode_runs_is_installed_again(plan):
    types = {r.type for r in plan.resources}
    for absent in (
        "aws:eks/nodeGroup:NodeGroup",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:eks/fargateProfile:FargateProfile",
        "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
        "aws:sqs/queue:Queue",
    ):
        assert absent not in types
    addons = {r.inputs["addonName"] for r in plan.of_type(ADDON)}
    assert addons == {"metrics-server", "amazon-cloudwatch-observability"}
    releases = {r.inputs["name"] for r in plan.of_type(RELEASE)}
    assert releases == {"keda", "external-secrets"}


def test_ingress_class_storage_class_and_node_pools(plan):
    klass = plan.one("kubernetes:networking.k8s.io/v1:IngressClass")
    assert klass.inputs["metadata"]["name"] == "alb"
    assert klass.inputs["spec"]["controller"] == "eks.amazonaws.com/alb"
    assert klass.inputs["spec"]["parameters"]["apiGroup"] == "eks.amazonaws.com"
    params = plan.one("kubernetes:eks.amazonaws.com/v1:IngressClassParams")
    assert params.inputs["spec"]["scheme"] == "internet-facing"
    assert len(params.inputs["spec"]["subnets"]["ids"]) == 2
    storage = plan.one("kubernetes:storage.k8s.io/v1:StorageClass")
    assert storage.inputs["provisioner"] == "ebs.csi.eks.amazonaws.com"
    assert storage.inputs["parameters"] == {"type": "gp3", "encrypted": "true"}
    pools = {p.inputs["metadata"]["name"]: p.inputs["spec"] for p in plan.of_type(NODE_POOL)}
    assert set(pools) == {"gridops", "gridops-spot"}
    template = pools["gridops"]["template"]["spec"]
    assert template["nodeClassRef"] == {
        "group": "eks.amazonaws.com",
        "kind": "NodeClass",
        "name": "default",
    }
    keys = {r["key"]: r["values"] for r in template["requirements"]}
    assert keys["kubernetes.io/arch"] == ["arm64"]
    assert keys["eks.amazonaws.com/instance-family"] == ["m7g"]
    assert keys["karpenter.sh/capacity-type"] == ["on-demand"]
    assert pools["gridops-spot"]["template"]["spec"]["taints"][0]["key"] == "gridops.io/capacity"


def test_the_plan_passes_every_mandatory_rule(plan):
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


def test_the_load_balancing_contract():
    seen: dict[str, Any] = {}

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        seen["auto"] = EksCluster("a", {"network": net, "compute": "auto-mode"}).load_balancing
        seen["nodes"] = EksCluster("b", {"network": net}).load_balancing

    preview(program)
    assert seen["auto"] == LoadBalancing("eks-auto-mode", "eks.amazonaws.com/v1")
    assert seen["nodes"] == LoadBalancing("aws-load-balancer-controller", "elbv2.k8s.aws/v1beta1")


# --- manifests through real validators ------------------------------------------------------


def _platform_manifests() -> list[dict[str, Any]]:
    return [ingress_class(), storage_class()]


@pytest.mark.parametrize("version", sorted(KUBERNETES_VERSIONS))
def test_built_in_kinds_pass_kubernetes_validate_strict(version):
    for manifest in _platform_manifests():
        kubernetes_validate.validate(manifest, f"{version}.0", strict=True)
    broken = storage_class()
    del broken["provisioner"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, f"{version}.0", strict=True)


def test_ingress_class_params_is_a_crd_kubernetes_validate_does_not_know():
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        kubernetes_validate.validate(
            ingress_class_params("prod-prod", ["subnet-1"]), "1.36.0", strict=True
        )


def test_node_pools_pass_karpenter_schemas(plan, kubernetes_models):
    errors = kubernetes_models(
        "karpenter", "2.0.0", {"karpenter.sh/v1": "karpenter.sh/v1/index.js"}
    )
    pools = [
        {k: reveal(r.inputs[k]) for k in ("apiVersion", "kind", "metadata", "spec")}
        for r in plan.of_type(NODE_POOL)
    ]
    broken = json.loads(json.dumps(pools[0]))
    broken["spec"]["disruption"]["consolidationPolicy"] = "Sometimes"
    results = errors([*pools, broken])
    assert results[:2] == [None, None], results
    assert results[2] is not None


def _service_manifests() -> dict[str, dict[str, Any]]:
    """A StatelessService's manifests as on Auto Mode: no `group.name` annotation."""
    spec = ServiceSpec.from_args(
        "api",
        {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "user": "10001:10001"},
    )
    resolved = Resolved(
        namespace="api",
        image="ghcr.io/acme/api:1.4.2",
        environment={},
        secret_refs={},
        sidecar_images=[],
        sidecar_environment=[],
        sidecar_secret_refs=[],
        alb_group_name="",
        alb_source_cidrs=["10.0.192.0/20", "10.0.208.0/20"],
        certificate_arn=None,
    )
    return workload_manifests(spec, resolved)


@pytest.mark.parametrize("version", sorted(KUBERNETES_VERSIONS))
def test_service_manifests_on_auto_mode_pass_kubernetes_validate(version):
    manifests = _service_manifests()
    assert (
        "alb.ingress.kubernetes.io/group.name"
        not in (manifests["ingress"]["metadata"]["annotations"])
    )
    assert manifests["ingress"]["spec"]["ingressClassName"] == "alb"
    for manifest in manifests.values():
        kubernetes_validate.validate(manifest, f"{version}.0", strict=True)


def _checkov(folder: Path) -> dict[str, Any]:
    command = [str(CHECKOV), "-d", str(folder), "--framework", "kubernetes", "-o", "json",
               "--skip-download"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(run.stdout)
    return report[0] if isinstance(report, list) else report


def test_manifests_on_auto_mode_pass_checkov(tmp_path):
    # One start of checkov over both sets (each start costs seconds); the file name tells
    # which set a check belongs to.
    for role, manifest in _service_manifests().items():
        (tmp_path / f"service--{role}.yaml").write_text(yaml.safe_dump(manifest))
    for i, manifest in enumerate(_platform_manifests()):
        (tmp_path / f"platform--m{i}.yaml").write_text(yaml.safe_dump(manifest))
    report = _checkov(tmp_path)
    assert report["summary"]["parsing_errors"] == 0, report["summary"]
    results = report["results"]

    def of(set_name: str, outcome: str) -> list[dict[str, Any]]:
        checks = results[f"{outcome}_checks"]
        return [c for c in checks if Path(c["file_path"]).name.startswith(f"{set_name}--")]

    assert len(of("service", "passed")) > 50
    # Image tags, not digests (the spec deploys the reference given): as on every platform.
    assert {c["check_id"] for c in of("service", "failed")} <= {"CKV_K8S_43"}
    # checkov has no Kubernetes checks for IngressClass and StorageClass: nothing to fail.
    assert [c for o in ("passed", "failed", "skipped") for c in of("platform", o)] == []


# --- refusals ---------------------------------------------------------------------------------

AUTO = {"compute": "auto-mode"}
REFUSED = [
    ({**AUTO, "node_min": 3}, "node_min=3"),
    ({**AUTO, "node_desired": 3}, "node_desired=3"),
    ({**AUTO, "node_disk_size_gib": 100}, "node_disk_size_gib=100"),
    ({**AUTO, "node_autoscaler": "karpenter"}, "node_autoscaler='karpenter'"),
    ({**AUTO, "ebs_csi_driver": True}, "ebs_csi_driver=True"),
    ({**AUTO, "fargate_profiles": ["batch"]}, "fargate_profiles=['batch']"),
    ({**AUTO, "spot": True, "spot_min": 1}, "spot_min=1"),
    (
        {"compute": "managed-node-groups", "node_autoscaler": "karpenter"},
        "node_autoscaler='karpenter'",
    ),
    ({"compute": "karpenter", "node_autoscaler": "none"}, "node_autoscaler='none'"),
    ({"compute": "fargate"}, "compute='fargate'"),
    ({**AUTO, "chart_versions": {"karpenter": "1.8.1"}}, "chart_versions={'karpenter': '1.8.1'}"),
]


def test_arguments_auto_mode_or_the_compute_cannot_use_are_refused(preview_refusals):
    def make(net: Network, i: int, args: dict[str, Any]) -> None:
        EksCluster(f"c{i}", {"network": net, **args})

    plan, errors = preview_refusals(
        lambda: Network("prod", {"az_count": 2}), make, [args for args, _ in REFUSED]
    )
    assert sorted(errors) == list(range(len(REFUSED)))
    for i, (_, field) in enumerate(REFUSED):
        assert f": {field} is not allowed" in errors[i], errors[i]
    assert "no minimum" in errors[6]
    assert "'auto-mode'" in errors[9]
    assert [r for r in plan.resources if r.type == "gridops:aws:EksCluster"] == []


# --- today's computes keep their Plans -------------------------------------------------------


def _signature(plan) -> list[tuple[str, str, str]]:
    return sorted((r.type, r.name, json.dumps(reveal(r.inputs), sort_keys=True, default=str))
                  for r in plan.resources)  # fmt: skip


@pytest.mark.parametrize(
    ("implicit", "explicit"),
    [
        ({}, {"compute": "managed-node-groups"}),
        ({"node_autoscaler": "karpenter"}, {"compute": "karpenter"}),
    ],
)
def test_an_explicit_compute_leaves_the_plan_unchanged(implicit, explicit):
    def program(args: dict[str, Any]) -> None:
        EksCluster("prod", {"network": Network("prod", {"az_count": 2}), **args})

    assert _signature(preview(lambda: program(implicit))) == _signature(
        preview(lambda: program(explicit))
    )
