"""EksCluster refuses bad input with a ValueError naming the field, before registering
anything. All bad cases run in one preview (each caught inside the program)."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.catalog import instance_type_problem
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.testing import preview

BAD: dict[str, tuple[dict[str, Any], str]] = {
    "unknown version": ({"kubernetes_version": "1.29"}, "kubernetes_version"),
    "version as number": ({"kubernetes_version": 1.35}, "kubernetes_version"),
    "past standard support": ({"kubernetes_version": "1.33"}, "kubernetes_version"),
    "support type": ({"support_type": "LTS"}, "support_type"),
    "min above max": ({"node_min": 5, "node_max": 3}, "node_max"),
    "desired below min": ({"node_min": 3, "node_desired": 2}, "node_desired"),
    "desired above max": ({"node_desired": 7, "node_max": 6}, "node_desired"),
    "no on-demand nodes": ({"node_min": 0}, "node_min"),
    "too many nodes": ({"node_max": 451}, "node_max"),
    "cidr not a cidr": ({"public_access_cidrs": ["office"]}, "public_access_cidrs"),
    "cidr host bits": ({"public_access_cidrs": ["203.0.113.7/24"]}, "public_access_cidrs"),
    "cidr anywhere": ({"public_access_cidrs": ["0.0.0.0/0"]}, "public_access_cidrs"),
    "cidr repeated": (
        {"public_access_cidrs": ["203.0.113.0/24", "203.0.113.0/24"]},
        "public_access_cidrs",
    ),
    "x86 type on arm64": ({"node_instance_types": ["m7i.large"]}, "node_instance_types"),
    "graviton type on x86": (
        {"node_architecture": "x86_64", "node_instance_types": ["c7g.large"]},
        "node_instance_types",
    ),
    "unknown family": ({"node_instance_types": ["z9q.large"]}, "node_instance_types"),
    "size too small": ({"node_instance_types": ["t4g.nano"]}, "node_instance_types"),
    "size not offered": ({"node_instance_types": ["m7g.24xlarge"]}, "node_instance_types"),
    "not an instance type": ({"node_instance_types": ["large"]}, "node_instance_types"),
    "no instance types": ({"node_instance_types": []}, "node_instance_types"),
    "architecture": ({"node_architecture": "arm"}, "node_architecture"),
    "spot types on x86 arch": (
        {"spot": True, "spot_instance_types": ["m7i.large"]},
        "spot_instance_types",
    ),
    "spot fields without spot": ({"spot_max": 4}, "spot_max"),
    "spot max zero": ({"spot": True, "spot_max": 0}, "spot_max"),
    "disk": ({"node_disk_size_gib": 8}, "node_disk_size_gib"),
    "network missing": ({"network": None}, "network"),
    "network wrong type": ({"network": "vpc-0123"}, "network"),
    "admin arn": ({"admin_role_arns": ["arn:aws:iam::123:user/bob"]}, "admin_role_arns"),
    "fargate namespace": ({"fargate_profiles": ["Batch_Jobs"]}, "fargate_profiles"),
    "fargate kube-system": ({"fargate_profiles": ["kube-system"]}, "fargate_profiles"),
    "fargate repeated": ({"fargate_profiles": ["a", "a"]}, "fargate_profiles"),
    "chart unknown": ({"chart_versions": {"nginx": "1.0.0"}}, "chart_versions"),
    "chart version": ({"chart_versions": {"keda": "latest"}}, "chart_versions"),
    "log retention": ({"log_retention_days": 10}, "log_retention_days"),
    "autoscaler": ({"node_autoscaler": "kube-autoscaler"}, "node_autoscaler"),
    "unknown argument": ({"node_count": 3}, "node_count"),
    "transforms role": ({"transforms": {"nodes": {}}}, "transforms"),
    "keda not bool": ({"keda": "yes"}, "keda"),
}


@pytest.fixture(scope="module")
def outcome() -> tuple[dict[str, str], Any]:
    errors: dict[str, str] = {}

    def program() -> None:
        net = Network("bad", {"az_count": 2, "nat": "single", "flow_logs": False})
        for case, (overrides, _) in BAD.items():
            args = {"network": net, **overrides}
            try:
                EksCluster("bad", args)
            except ValueError as exc:
                errors[case] = str(exc)

    return errors, preview(program)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_naming_the_field(outcome, case):
    errors, _ = outcome
    assert case in errors, f"{case}: no ValueError"
    assert BAD[case][1] in errors[case]
    assert errors[case].startswith("EksCluster 'bad'")


def test_nothing_was_registered_by_refused_clusters(outcome):
    _, plan = outcome
    network = plan.one("gridops:aws:Network")
    from_network = {network.urn} | {r.urn for r in plan.descendants_of(network.urn)}
    stray = [f"{r.type} {r.name}" for r in plan.resources if r.urn not in from_network]
    assert stray == []
    assert len(from_network) > 5


def test_messages_explain_what_is_allowed(outcome):
    errors, _ = outcome
    assert (
        "1.35" in errors["past standard support"] and "EXTENDED" in errors["past standard support"]
    )
    assert "allow_public_api_from_anywhere" in errors["cidr anywhere"]
    assert "arm64 (Graviton)" in errors["graviton type on x86"]
    assert "x86_64 type" in errors["x86 type on arm64"]
    assert "node_min (3)" in errors["desired below min"]


def test_accepted_edge_cases():
    def program() -> None:
        net = Network("ok", {"az_count": 2, "nat": "single", "flow_logs": False})
        EksCluster(
            "ok",
            {
                "network": net,
                "kubernetes_version": "1.33",
                "support_type": "EXTENDED",
                "public_access_cidrs": ["0.0.0.0/0"],
                "allow_public_api_from_anywhere": True,
                "node_min": 1,
                "node_max": 1,
            },
        )

    plan = preview(program)
    cluster = plan.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["version"] == "1.33"
    assert cluster.inputs["upgradePolicy"] == {"supportType": "EXTENDED"}
    assert cluster.inputs["vpcConfig"]["publicAccessCidrs"] == ["0.0.0.0/0"]


def test_cluster_name_is_checked():
    with pytest.raises(ValueError, match=r"name='a cluster' .*hyphens and underscores"):
        preview(lambda: EksCluster("a cluster", {}))


def test_a_long_cluster_name_gets_names_that_fit():
    """A name far past the old 24-character cap: the EKS cluster keeps its autoname (100
    fit), and each IAM role whose `<logical>-<7 random>` would pass 64 gets a name_prefix of
    at most 38 characters."""
    name = "a-very-long-cluster-name-here" * 2
    plan = preview(lambda: EksCluster(name, {"network": Network("net", {"az_count": 2})}))
    assert plan.one("gridops:aws:EksCluster").name == name
    roles = plan.of_type("aws:iam/role:Role")
    prefixed = [r for r in roles if "namePrefix" in r.inputs]
    assert prefixed and all(len(r.inputs["namePrefix"]) <= 38 for r in prefixed)
    assert all(len(r.name) + 8 <= 64 for r in roles if r not in prefixed)


@pytest.mark.parametrize(
    ("instance_type", "arch", "ok"),
    [
        ("m7g.large", "arm64", True),
        ("c7gn.16xlarge", "arm64", True),
        ("r8g.medium", "arm64", True),
        ("m8g.xlarge", "arm64", True),
        ("c8g.16xlarge", "arm64", True),
        ("c8g.large", "x86_64", False),  # Graviton4 is arm64 only
        ("t4g.2xlarge", "arm64", True),
        ("m7i.24xlarge", "x86_64", True),
        ("t3a.medium", "x86_64", True),
        ("m7g.large", "x86_64", False),
        ("m5.medium", "x86_64", False),
        ("c5.9xlarge", "x86_64", False),
        ("t4g.4xlarge", "arm64", False),
    ],
)
def test_instance_type_allow_list(instance_type, arch, ok):
    assert (instance_type_problem(instance_type, arch) is None) is ok
