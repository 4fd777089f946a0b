"""Security groups for Pods on EKS (gridops_infra/core/aws_rules/eks_pod_security_groups.py):
a database or cache linked by a workload admits that workload's Pods only.

- `eks-pod-sg-trunk-instance-types`: EksCluster refuses node types without a trunk
  interface (the t family) while `pod_security_groups` is on, for managed node groups and
  Karpenter's NodePools alike; with it off, links to databases and caches are refused on
  nodes instead (Fargate namespaces still link).
- `eks-pod-sg-cluster-role-policy`: the cluster role gets AmazonEKSVPCResourceController
  and the vpc-cni add-on ENABLE_POD_ENI in `standard` mode; the mandatory policy rule
  `eks-pod-security-groups-enabled` fails a Plan whose transforms take them away.
- `eks-pod-sg-branch-interfaces`: the workloads' Pods with their own groups fit the node
  groups' branch interfaces at full scale (Fargate Pods do not count; Karpenter picks
  instance types for them itself).
- `eks-pod-sg-cluster-group`: every SecurityGroupPolicy lists the cluster security group
  next to the workload's own; the mandatory rule
  `eks-pod-security-group-policy-lists-cluster-group` fails a Plan that drops it.

kubernetes-validate has no schema for the SecurityGroupPolicy CRD (asserted below), so the
rendered policies are checked against a JSON schema written here from the CRD the VPC
resource controller publishes (config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies
.yaml in aws/amazon-vpc-resource-controller-k8s, v1beta1), narrowed by the EKS user guide:
1 to 5 group ids and one of the two selectors.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from gridops_infra.core.aws_rules.eks_pod_security_groups import (
    BRANCH_INTERFACES,
    CLUSTER_GROUP_IN_POLICY,
    RESOURCE_CONTROLLER_POLICY,
    TRUNK_INSTANCE_TYPES,
)
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.catalog import (
    ARM64_FAMILIES,
    NO_TRUNK_FAMILIES,
    X86_FAMILIES,
    branch_interfaces,
    supports_pod_security_groups,
)
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.policy.engine import check_plan
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.service.eks.pod_security import security_group_policy
from gridops_infra.testing import preview, reveal

SGP = "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ENABLED_RULE = "eks-pod-security-groups-enabled"
CLUSTER_GROUP_RULE = "eks-pod-security-group-policy-lists-cluster-group"

_SELECTOR: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "matchExpressions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "operator"],
                "properties": {
                    "key": {"type": "string"},
                    "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                    "values": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
SECURITY_GROUP_POLICY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "vpcresources.k8s.aws/v1beta1"},
        "kind": {"const": "SecurityGroupPolicy"},
        "metadata": {
            "type": "object",
            "required": ["name", "namespace"],  # the CRD is namespaced
            "properties": {
                "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"},
                "namespace": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["securityGroups"],
            # "You must specify one selector or the other" (EKS user guide).
            "oneOf": [{"required": ["podSelector"]}, {"required": ["serviceAccountSelector"]}],
            "properties": {
                "podSelector": _SELECTOR,
                "serviceAccountSelector": _SELECTOR,
                "securityGroups": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["groupIds"],
                    "properties": {
                        "groupIds": {
                            "type": "array",
                            # CRD: 1..16; EKS user guide: "You can specify 1-5".
                            "minItems": 1,
                            "maxItems": 5,
                            "uniqueItems": True,
                            "items": {"type": "string", "pattern": r"^sg-[0-9a-f]{8,17}$"},
                        }
                    },
                },
            },
        },
    },
}


def _db_and_cache(net: Network) -> tuple[ManagedPostgresWithReplicas, RedisCache]:
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 1}
    )
    cache = RedisCache("cache", {"network": net, "node_type": "cache.r7g.large", "replicas": 1})
    return db, cache


def _service(name: str, cluster: EksCluster, links: list[Any], **extra: Any) -> StatelessService:
    return StatelessService(
        name,
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "health_check_path": "/healthz",
            "links": links,
            **extra,
        },
    )


def _linked_program(cluster_args: dict[str, Any] | None = None) -> Any:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net, **(cluster_args or {})})
        db, cache = _db_and_cache(net)
        _service("api", cluster, [db, cache])
        SqsWorkerQueue(
            "jobs",
            {"platform": cluster, "image": "ghcr.io/acme/worker:1.4.2", "links": [db]},
        )
        _service("web", cluster, [], path_patterns=["/web/*"])

    return program


@pytest.fixture(scope="module")
def linked_plan():
    return preview(_linked_program(), stack="prod")


# -- eks-pod-sg-trunk-instance-types ---------------------------------------------------


TRUNKLESS: list[tuple[dict[str, Any], str]] = [
    ({"node_instance_types": ["t4g.large"]}, "node_instance_types"),
    ({"spot": True, "spot_instance_types": ["m7g.large", "t4g.large"]}, "spot_instance_types"),
    (
        {"node_autoscaler": "karpenter", "node_instance_types": ["m7g.large", "t4g.xlarge"]},
        "node_instance_types",
    ),
    (
        {
            "node_architecture": "x86_64",
            "node_autoscaler": "karpenter",
            "spot": True,
            "spot_instance_types": ["t3a.large"],
            "node_instance_types": ["m7i.large"],
        },
        "spot_instance_types",
    ),
]


def test_trunk_rule_refuses_t_family_nodes_before_registering(preview_refusals):
    """eks-pod-sg-trunk-instance-types: managed groups and Karpenter NodePools alike."""

    def setup() -> Network:
        return Network("net", {"az_count": 2, "nat": "single"})

    def make(net: Network, i: int, case: tuple[dict[str, Any], str]) -> None:
        EksCluster(f"bad{i}", {"network": net, **case[0]})

    plan, errors = preview_refusals(setup, make, TRUNKLESS)
    assert sorted(errors) == list(range(len(TRUNKLESS)))
    for i, (_, field) in enumerate(TRUNKLESS):
        message = errors[i]
        assert f"EksCluster 'bad{i}': {field}:" in message
        assert TRUNK_INSTANCE_TYPES.source in message and "pod_security_groups" in message
    assert not [r.name for r in plan.resources if r.name.startswith("bad")]


def test_trunk_rule_accepts_trunk_types_and_t_family_without_pod_groups():
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "single"})
        EksCluster("graviton", {"network": net, "node_instance_types": ["m7g.large", "c7g.large"]})
        EksCluster(
            "karp",
            {"network": net, "node_autoscaler": "karpenter", "node_instance_types": ["c7g.xlarge"]},
        )
        EksCluster(
            "small",
            {"network": net, "node_instance_types": ["t4g.large"], "pod_security_groups": False},
        )

    plan = preview(program)
    groups = {
        r.name: r.inputs["instanceTypes"] for r in plan.of_type("aws:eks/nodeGroup:NodeGroup")
    }
    assert groups == {
        "graviton-nodes": ["m7g.large", "c7g.large"],
        "karp-nodes": ["c7g.xlarge"],
        "small-nodes": ["t4g.large"],
    }
    (pool,) = plan.of_type("kubernetes:karpenter.sh/v1:NodePool")
    families = next(
        r["values"]
        for r in pool.inputs["spec"]["template"]["spec"]["requirements"]
        if r["key"] == "karpenter.k8s.aws/instance-family"
    )
    assert families == ["c7g"] and all(supports_pod_security_groups(f"{f}.large") for f in families)


def test_every_t_family_of_the_catalog_is_marked_trunkless_and_nothing_else():
    """The EKS user guide: "No instance types in the t family are supported"; every other
    allowed family is IsTrunkingCompatible in the controller's limits (catalog comment)."""
    families = ARM64_FAMILIES | X86_FAMILIES
    assert {f for f in families if f.startswith("t")} == NO_TRUNK_FAMILIES
    assert families >= NO_TRUNK_FAMILIES


def test_without_pod_groups_links_on_nodes_are_refused_and_fargate_still_links(
    preview_refusals,
):
    def setup() -> tuple[EksCluster, Any, Any]:
        net = Network("net", {"az_count": 2, "nat": "single"})
        cluster = EksCluster(
            "plain",
            {"network": net, "pod_security_groups": False, "fargate_profiles": ["batch"]},
        )
        return (cluster, *_db_and_cache(net))

    def make(context: tuple[EksCluster, Any, Any], i: int, case: str) -> None:
        cluster, db, cache = context
        if case == "worker":
            SqsWorkerQueue(
                "jobs", {"platform": cluster, "image": "ghcr.io/acme/w:1", "links": [cache]}
            )
        elif case == "batch":
            _service(case, cluster, [db], cpu_architecture="X86_64")
        else:
            _service(case, cluster, [db])

    plan, errors = preview_refusals(setup, make, ["api", "worker", "batch"])
    assert set(errors) == {0, 1}
    assert "StatelessService 'api': links=['db'] is not allowed" in errors[0]
    assert "SqsWorkerQueue 'jobs': links=['cache'] is not allowed" in errors[1]
    for message in errors.values():
        assert "pod_security_groups=False" in message and "fargate_profiles" in message
    assert not [r.name for r in plan.resources if r.name.startswith(("api", "jobs"))]
    # The Fargate namespace gets its own group all the same (Fargate applies the policy).
    batch_group = plan.one(SG, "batch-pod-sg").id
    rules = [r for r in plan.of_type(INGRESS) if r.name.startswith("db-")]
    assert [(r.name, r.inputs["referencedSecurityGroupId"]) for r in rules] == [
        ("db-from-batch", batch_group)
    ]
    assert not [
        r
        for r in plan.of_type(ATTACHMENT)
        if r.inputs["policyArn"].endswith("/AmazonEKSVPCResourceController")
    ]
    cni = next(r for r in plan.of_type("aws:eks/addon:Addon") if r.inputs["addonName"] == "vpc-cni")
    assert "env" not in json.loads(cni.inputs["configurationValues"])


# -- the workloads' own groups ------------------------------------------------------------


def test_linked_database_and_cache_admit_only_the_linking_workloads(linked_plan):
    plan = linked_plan
    own = {name: plan.one(SG, f"{name}-pod-sg").id for name in ("api", "jobs")}
    node_group = plan.one(SG, "prod-node-sg").id
    admitted = {
        r.name: r.inputs["referencedSecurityGroupId"]
        for r in plan.of_type(INGRESS)
        if r.name.startswith(("db-", "cache-"))
    }
    assert admitted == {
        "db-from-api": own["api"],
        "cache-from-api": own["api"],
        "db-from-jobs-worker": own["jobs"],
    }
    assert node_group not in admitted.values()
    # A workload linking no database or cache keeps the nodes' interfaces: no branch ENI.
    assert not [r for r in plan.of_type(SG) if r.name == "web-pod-sg"]
    assert len(plan.of_type(SGP)) == 2


def test_security_group_policies_select_the_workload_and_keep_the_cluster_group(linked_plan):
    """eks-pod-sg-cluster-group: the workload's group first, then the cluster group."""
    plan = linked_plan
    cluster_group = plan.one("aws:eks/cluster:Cluster").outputs["vpcConfig"][
        "clusterSecurityGroupId"
    ]
    for name in ("api", "jobs"):
        policy = plan.one(SGP, f"{name}-security-group-policy")
        manifest = {
            "apiVersion": "vpcresources.k8s.aws/v1beta1",
            "kind": "SecurityGroupPolicy",
            "metadata": policy.inputs["metadata"],
            "spec": policy.inputs["spec"],
        }
        jsonschema.validate(manifest, SECURITY_GROUP_POLICY_SCHEMA)
        assert manifest["metadata"]["namespace"] == name
        assert manifest["spec"]["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": name}}
        groups = manifest["spec"]["securityGroups"]["groupIds"]
        assert groups == [plan.one(SG, f"{name}-pod-sg").id, cluster_group]
        deployment = plan.one("kubernetes:apps/v1:Deployment", f"{name}-deployment")
        assert policy.urn in deployment.dependencies  # it applies to new Pods only
        # ...so the Pods roll when the group first appears: running ones would keep the
        # nodes' group, which the database no longer admits.
        template = deployment.inputs["spec"]["template"]["metadata"]
        assert template["annotations"]["gridops.io/pod-security-group"] == groups[0]
        kubernetes_validate.validate(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": reveal(deployment.inputs["metadata"]),
                "spec": reveal(deployment.inputs["spec"]),
            },
            "1.35.0",
            strict=True,
        )
        assert policy.provider and policy.provider.startswith(
            plan.one("pulumi:providers:kubernetes").urn
        )
    web = plan.one("kubernetes:apps/v1:Deployment", "web-deployment")
    assert "annotations" not in web.inputs["spec"]["template"]["metadata"]
    assert check_plan(plan).of_rule(CLUSTER_GROUP_RULE) == []
    assert CLUSTER_GROUP_IN_POLICY.id == "eks-pod-sg-cluster-group"


def test_the_schema_check_can_fail_and_kubernetes_validate_has_no_schema_for_the_crd():
    good = security_group_policy("api", "api", {"app": "api"}, ["sg-0123456789abcdef0"])
    jsonschema.validate(good, SECURITY_GROUP_POLICY_SCHEMA)
    broken = [
        {**good, "spec": {**good["spec"], "securityGroups": {"groupIds": []}}},
        {**good, "spec": {"podSelector": {}, "securityGroup": {"groupIds": ["sg-01234567"]}}},
        {**good, "spec": {"securityGroups": good["spec"]["securityGroups"]}},  # no selector
        {**good, "metadata": {"name": "api"}},  # no namespace
    ]
    for manifest in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(manifest, SECURITY_GROUP_POLICY_SCHEMA)
    with pytest.raises(ValueError, match="1 to 5 groups"):
        security_group_policy("api", "api", {}, [f"sg-0000000{i}" for i in range(6)])
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        kubernetes_validate.validate(good, "1.35.0", strict=True)


def test_a_policy_without_the_cluster_group_fails_the_mandatory_rule():
    """eks-pod-sg-cluster-group, where a transform takes the cluster group out."""

    def only_own_group(args: dict[str, Any], opts: Any) -> dict[str, Any]:
        spec = args["spec"].apply(
            lambda s: {**s, "securityGroups": {"groupIds": s["securityGroups"]["groupIds"][:1]}}
        )
        return {**args, "spec": spec}

    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        db, _ = _db_and_cache(net)
        _service("api", cluster, [db], transforms={"security_group_policy": only_own_group})

    report = check_plan(preview(program, stack="prod"))
    (violation,) = report.of_rule(CLUSTER_GROUP_RULE)
    assert violation.severity == "mandatory" and violation.resource_name == (
        "api-security-group-policy"
    )
    assert not report.passed


# -- eks-pod-sg-cluster-role-policy --------------------------------------------------------


def test_the_cluster_is_ready_for_pod_groups(linked_plan):
    """eks-pod-sg-cluster-role-policy: the policy on the cluster role, ENABLE_POD_ENI in
    standard mode (kubelet probes and NetworkPolicy keep working), and the rule passes."""
    plan = linked_plan
    role = plan.one("aws:iam/role:Role", "prod-cluster-role")
    controller = [
        r
        for r in plan.of_type(ATTACHMENT)
        if r.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController"
    ]
    assert [r.inputs["role"] for r in controller] == [role.outputs["name"]]
    cluster = plan.one("aws:eks/cluster:Cluster")
    assert controller[0].urn in cluster.dependencies
    cni = next(r for r in plan.of_type("aws:eks/addon:Addon") if r.inputs["addonName"] == "vpc-cni")
    assert json.loads(cni.inputs["configurationValues"])["env"] == {
        "ENABLE_POD_ENI": "true",
        "POD_SECURITY_GROUP_ENFORCING_MODE": "standard",
    }
    assert check_plan(plan).of_rule(ENABLED_RULE) == []
    assert RESOURCE_CONTROLLER_POLICY.id == "eks-pod-sg-cluster-role-policy"


def test_a_cluster_transformed_out_of_pod_enis_fails_the_mandatory_rule():
    def plain_cni(args: dict[str, Any], opts: Any) -> dict[str, Any]:
        if args.get("addon_name") != "vpc-cni":
            return args
        return {**args, "configuration_values": json.dumps({"enableNetworkPolicy": "true"})}

    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net, "transforms": {"addon": plain_cni}})
        db, _ = _db_and_cache(net)
        _service("api", cluster, [db])

    report = check_plan(preview(program, stack="prod"))
    (violation,) = report.of_rule(ENABLED_RULE)
    assert "ENABLE_POD_ENI" in violation.message and violation.severity == "mandatory"
    assert violation.resource_name == "api-security-group-policy"


# -- eks-pod-sg-branch-interfaces ----------------------------------------------------------


def test_branch_interfaces_follow_the_controllers_limits():
    assert (branch_interfaces("m7g.large"), branch_interfaces("c7g.xlarge")) == (9, 18)
    assert (branch_interfaces("m7i.8xlarge"), branch_interfaces("m6g.8xlarge")) == (84, 54)
    assert branch_interfaces("t4g.large") == 0


def test_more_linked_pods_than_branch_interfaces_are_refused(preview_refusals):
    """eks-pod-sg-branch-interfaces: node_max=2 of m7g.large holds 18 such Pods."""

    def setup() -> tuple[EksCluster, Any]:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net, "node_max": 2, "fargate_profiles": ["batch"]})
        db, _ = _db_and_cache(net)
        return cluster, db

    def make(context: tuple[EksCluster, Any], i: int, case: str) -> None:
        cluster, db = context
        if case == "jobs":  # 10 + 10 > 18: refused
            SqsWorkerQueue(
                "jobs",
                {
                    "platform": cluster,
                    "image": "ghcr.io/acme/w:1",
                    "max_workers": 10,
                    "links": [db],
                },
            )
        elif case == "batch":  # Fargate Pods take no branch interface of a node
            _service("batch", cluster, [db], max_count=10, cpu_architecture="X86_64")
        elif case == "plain":  # links no database: no security group of its own
            _service("plain", cluster, [], max_count=10, path_patterns=["/plain/*"])
        else:
            _service(case, cluster, [db], max_count=10, path_patterns=[f"/{case}/*"])

    plan, errors = preview_refusals(setup, make, ["api", "jobs", "batch", "plain", "more"])
    assert sorted(errors) == [1, 4]
    assert errors[1].startswith("SqsWorkerQueue 'jobs': max_workers: max_workers=10 Pods")
    assert (
        "with the 10 of earlier workloads, exceed the 18 branch network interfaces" in (errors[1])
    )
    assert "StatelessService 'more': max_count" in errors[4]
    for message in errors.values():
        assert BRANCH_INTERFACES.source in message and "node_max" in message
    assert not [r.name for r in plan.resources if r.name.startswith(("jobs", "more"))]
    assert {r.name for r in plan.of_type(SGP)} == {
        "api-security-group-policy",
        "batch-security-group-policy",
    }


def test_spot_nodes_add_branch_interfaces_and_karpenter_chooses_its_own():
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        spot = EksCluster("spot", {"network": net, "node_max": 2, "spot": True, "spot_max": 2})
        karpenter = EksCluster(
            "karp", {"network": net, "node_max": 2, "node_autoscaler": "karpenter"}
        )
        assert (spot.branch_interface_capacity, karpenter.branch_interface_capacity) == (36, None)
        db, _ = _db_and_cache(net)
        for cluster in (spot, karpenter):
            for name in ("api", "web"):
                _service(
                    f"{cluster.name}-{name}",
                    cluster,
                    [db],
                    max_count=12,
                    path_patterns=[f"/{name}/*"],
                )

    plan = preview(program)
    assert len(plan.of_type(SGP)) == 4
