"""EksCluster with `node_autoscaler="karpenter"`: the node role and its access entry, the
interruption queue and its EventBridge rules, subnets and groups by id, the controller's Pod
Identity role (parliament), the Helm release, the EC2NodeClass and the NodePools.

The NodePool and EC2NodeClass are custom resources: kubernetes-validate has no schemas for
CRDs (asserted below), so they are checked field by field here and validated against
Karpenter's v1 API schemas as published on npm in `@kubernetes-models/karpenter` 2.0.0
(validators generated from karpenter-provider-aws `pkg/apis/v1` and sigs.k8s.io/karpenter
`pkg/apis/v1`; `scripts/setup-dev` installs it into `.venv/npm/karpenter`), run with
Node.js as tests/queue/test_queue_eks_manifests.py runs KEDA's. Those schemas carry the
types, enums and patterns, not the CRDs' CEL rules.

Accepted parliament findings on the controller policy, each limited to what it concerns:
- PERMISSIONS_MANAGEMENT_ACTIONS and PRIVILEGE_ESCALATION: Karpenter creates an instance
  profile for its node role and passes that role to EC2 (iam:CreateInstanceProfile,
  AddRoleToInstanceProfile, PassRole). PassRole names the node role alone, for EC2 alone;
  every instance-profile write requires this cluster's tags (asserted below).
- RESOURCE_MISMATCH for ec2:RunInstances / ec2:CreateFleet: one launch touches several
  resource types (image, subnet, security group, launch template, instance, volume,
  network interface...), and the policy grants them in separate statements, each with its
  own condition (tag on what exists, request tag on what is created). parliament wants
  every type in each statement; the filter below accepts the finding only when every type
  it names is granted for that action by another statement of the same policy.
- RESOURCE_MISMATCH for ssm:GetParameter on `arn:aws:ssm:<region>::parameter/aws/...`: AWS
  public parameters have no account in their ARN; parliament's format requires one.
"""

from __future__ import annotations

import ast
import copy
import fnmatch
import json
from typing import Any

import kubernetes_validate
import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.args import read_eks_args
from gridops_infra.platforms.eks.catalog import OPTIONAL_CHART_VERSIONS
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.eks.karpenter import INTERRUPTION_EVENTS
from gridops_infra.platforms.eks.karpenter_manifests import (
    ec2_node_class,
    limits,
    node_pools,
)
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.validators import iam_findings

RELEASE = "kubernetes:helm.sh/v3:Release"
NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"
QUEUE = "aws:sqs/queue:Queue"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
TAG = "aws:ec2/tag:Tag"
ROLE = "aws:iam/role:Role"
DISCOVERY = "karpenter.sh/discovery"
ARGS: dict[str, Any] = {
    "node_autoscaler": "karpenter",
    "node_min": 2,
    "node_max": 4,
    "node_instance_types": ["m7g.large", "c7g.xlarge"],
    "node_disk_size_gib": 80,
    "spot": True,
    "spot_max": 12,
    "fargate_profiles": ["batch"],
}


def _program() -> None:
    net = Network("kp", {"az_count": 3, "nat": "single"})
    EksCluster("kp", {"network": net, **ARGS})


def _x86_program() -> None:
    net = Network("kx", {"az_count": 2, "nat": "single"})
    EksCluster(
        "kx", {"network": net, "node_autoscaler": "karpenter", "node_architecture": "x86_64"}
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="prod")


@pytest.fixture(scope="module")
def x86_plan():
    return preview(_x86_program, stack="dev")


def _json(record, key: str) -> Any:
    return json.loads(reveal(record.inputs[key]))


def _policy(plan) -> dict[str, Any]:
    return _json(plan.one("aws:iam/rolePolicy:RolePolicy", "kp-karpenter-policy"), "policy")


# --- what is (and is not) installed ----------------------------------------------------------


def test_no_cluster_autoscaler_and_only_the_on_demand_managed_group(plan):
    charts = {r.inputs["chart"] for r in plan.of_type(RELEASE)}
    assert charts == {
        "aws-load-balancer-controller",
        "keda",
        "external-secrets",
        "oci://public.ecr.aws/karpenter/karpenter",
    }
    assert not [r for r in plan.of_type(ROLE) if "autoscaler" in r.name]
    groups = plan.of_type("aws:eks/nodeGroup:NodeGroup")
    assert [g.name for g in groups] == ["kp-nodes"]
    scaling = groups[0].inputs["scalingConfig"]
    assert (scaling["minSize"], scaling["maxSize"]) == (2, 4)
    assert groups[0].inputs["capacityType"] == "ON_DEMAND"


def test_release_is_the_pinned_oci_chart_after_nodes_dns_identity_and_queue(plan):
    release = plan.one(RELEASE, "kp-karpenter")
    assert release.inputs["version"] == OPTIONAL_CHART_VERSIONS["karpenter"]
    assert OPTIONAL_CHART_VERSIONS["karpenter"].startswith("1.")
    assert "repositoryOpts" not in release.inputs
    assert release.inputs["namespace"] == "kube-system"
    assert release.inputs["atomic"] is True
    queue = plan.one(QUEUE, "kp-interruption")
    values = reveal(release.inputs["values"])
    assert values["settings"] == {
        "clusterName": "kp-prod",
        "interruptionQueue": queue.outputs["name"],
    }
    assert values["serviceAccount"] == {"create": True, "name": "karpenter"}
    assert values["controller"]["env"] == [{"name": "AWS_REGION", "value": "us-east-1"}]
    association = plan.one("aws:eks/podIdentityAssociation:PodIdentityAssociation",
                           "kp-karpenter-pod-identity")  # fmt: skip
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == (
        "kube-system",
        "karpenter",
    )
    controller_role = plan.one(ROLE, "kp-karpenter-role")
    assert association.inputs["roleArn"] == controller_role.outputs["arn"]
    after = set(release.dependencies)
    for needed in (
        plan.one("aws:eks/nodeGroup:NodeGroup").urn,
        plan.one("aws:eks/addon:Addon", "kp-coredns").urn,
        association.urn,
        queue.urn,
    ):
        assert needed in after


# --- node role and access ----------------------------------------------------------------------


def test_node_role_joins_through_an_ec2_linux_access_entry(plan):
    role = plan.one(ROLE, "kp-karpenter-node-role")
    trust = _json(role, "assumeRolePolicy")
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    attached = sorted(
        r.inputs["policyArn"].rsplit("/", 1)[-1]
        for r in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if r.name.startswith("kp-karpenter-node-role-")
    )
    # Exactly as the managed nodes (eks_compute): no Session Manager, no extra way in; the
    # CNI's policy is on the vpc-cni IRSA role, not on any node role.
    assert attached == ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodeMinimalPolicy"]
    entry = plan.one("aws:eks/accessEntry:AccessEntry", "kp-karpenter-nodes")
    assert entry.inputs["type"] == "EC2_LINUX"
    assert entry.inputs["principalArn"] == role.outputs["arn"]
    assert entry.inputs["clusterName"] == "kp-prod"
    assert not plan.of_type("kubernetes:core/v1:ConfigMap")  # no aws-auth


# --- interruption queue ------------------------------------------------------------------------


def test_interruption_queue_is_encrypted_short_lived_and_set_aside_on_failure(plan):
    queue = plan.one(QUEUE, "kp-interruption")
    dlq = plan.one(QUEUE, "kp-interruption-dlq")
    assert queue.inputs["messageRetentionSeconds"] == 300
    assert queue.inputs["sqsManagedSseEnabled"] is True
    assert dlq.inputs["sqsManagedSseEnabled"] is True
    redrive = json.loads(queue.inputs["redrivePolicy"])
    assert redrive == {"deadLetterTargetArn": dlq.outputs["arn"], "maxReceiveCount": 5}


def test_eventbridge_rules_send_the_four_interruption_events_to_the_queue(plan):
    queue = plan.one(QUEUE, "kp-interruption")
    rules = {r.name: json.loads(r.inputs["eventPattern"]) for r in plan.of_type(RULE)}
    assert rules == {f"kp-karpenter-{event}": p for event, p in INTERRUPTION_EVENTS.items()}
    detail_types = {p["detail-type"][0] for p in rules.values()}
    assert detail_types == {
        "EC2 Spot Instance Interruption Warning",
        "EC2 Instance Rebalance Recommendation",
        "EC2 Instance State-change Notification",
        "AWS Health Event",
    }
    assert rules["kp-karpenter-scheduled-change"]["detail"] == {
        "service": ["EC2"],
        "eventTypeCategory": ["scheduledChange"],
    }
    targets = plan.of_type(TARGET)
    assert len(targets) == 4
    rule_names = {r.outputs["name"] for r in plan.of_type(RULE)}
    assert {t.inputs["rule"] for t in targets} == rule_names
    assert {t.inputs["arn"] for t in targets} == {queue.outputs["arn"]}


def test_only_this_clusters_rules_and_sqs_may_send_and_only_over_tls(plan):
    queue = plan.one(QUEUE, "kp-interruption")
    policy = _json(plan.one("aws:sqs/queuePolicy:QueuePolicy", "kp-interruption-policy"), "policy")
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert {json.dumps(s["Principal"]) for s in allows} == {
        json.dumps({"Service": "events.amazonaws.com"}),
        json.dumps({"Service": "sqs.amazonaws.com"}),
    }
    assert all(s["Action"] == ["sqs:SendMessage"] for s in allows)
    assert all(s["Resource"] == [queue.outputs["arn"]] for s in policy["Statement"])
    rule_arns = sorted(r.outputs["arn"] for r in plan.of_type(RULE))
    assert sorted(by_sid["EventBridgeRules"]["Condition"]["ArnEquals"]["aws:SourceArn"]) == (
        rule_arns
    )
    assert by_sid["SqsInAccount"]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}
    }
    deny = by_sid["DenyInsecureTransport"]
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", ["sqs:*"])
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    dlq_policy = _json(
        plan.one("aws:sqs/queuePolicy:QueuePolicy", "kp-interruption-dlq-policy"), "policy"
    )
    assert [s["Sid"] for s in dlq_policy["Statement"]] == ["DenyInsecureTransport"]


def test_queue_policy_passes_parliament(plan):
    doc = reveal(
        plan.one("aws:sqs/queuePolicy:QueuePolicy", "kp-interruption-policy").inputs["policy"]
    )
    assert iam_findings(doc) == []


# --- where nodes go ----------------------------------------------------------------------------


def test_nodes_go_in_the_private_subnets_with_both_groups_named_by_id(plan):
    """No discovery tags on the Network's subnets (Network's next update would remove
    them): the EC2NodeClass and the controller's launch rights name them by id."""
    assert not plan.of_type(TAG)
    private = sorted(r.id for r in plan.of_type("aws:ec2/subnet:Subnet") if "private" in r.name)
    eks = plan.one("aws:eks/cluster:Cluster")
    cluster_sg = eks.outputs["vpcConfig"]["clusterSecurityGroupId"]
    node_sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "kp-node-sg")
    spec = plan.one(NODE_CLASS).inputs["spec"]
    assert len(private) == 3
    assert sorted(t["id"] for t in spec["subnetSelectorTerms"]) == private
    assert [t["id"] for t in spec["securityGroupSelectorTerms"]] == [node_sg.id, cluster_sg]
    assert DISCOVERY not in node_sg.inputs["tags"]


def test_no_karpenter_pieces_without_karpenter():
    def program() -> None:
        net = Network("ca", {"az_count": 2, "nat": "single", "flow_logs": False})
        EksCluster("ca", {"network": net})

    plan = preview(program)
    assert not plan.of_type(TAG)
    assert not plan.of_type(NODE_POOL) and not plan.of_type(QUEUE)


# --- EC2NodeClass and NodePools ------------------------------------------------------------


def test_ec2_node_class_field_by_field(plan):
    record = plan.one(NODE_CLASS)
    node_role = plan.one(ROLE, "kp-karpenter-node-role")
    assert record.inputs["apiVersion"] == "karpenter.k8s.aws/v1"
    assert record.inputs["metadata"] == {"name": "default"}
    spec = record.inputs["spec"]
    assert spec["role"] == node_role.outputs["name"]
    assert spec["amiSelectorTerms"] == [{"alias": "al2023@latest"}]
    assert spec["subnetSelectorTerms"] and spec["securityGroupSelectorTerms"]
    assert spec["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpProtocolIPv6": "disabled",
        "httpPutResponseHopLimit": 1,
        "httpTokens": "required",
    }
    assert spec["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {
                "volumeSize": "80Gi",
                "volumeType": "gp3",
                "encrypted": True,
                "deleteOnTermination": True,
            },
        }
    ]
    assert spec["tags"] == {"gridops:component": "EksCluster", "gridops:stage": "prod"}


def _pools(plan) -> dict[str, dict[str, Any]]:
    return {r.inputs["metadata"]["name"]: r.inputs for r in plan.of_type(NODE_POOL)}


def _requirements(pool: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    reqs = pool["spec"]["template"]["spec"]["requirements"]
    return {r["key"]: (r["operator"], r["values"]) for r in reqs}


def test_default_node_pool_field_by_field(plan):
    pool = _pools(plan)["default"]
    assert pool["apiVersion"] == "karpenter.sh/v1"
    template = pool["spec"]["template"]
    assert template["metadata"] == {"labels": {"gridops.io/capacity": "on-demand"}}
    spec = template["spec"]
    assert spec["nodeClassRef"] == {
        "group": "karpenter.k8s.aws",
        "kind": "EC2NodeClass",
        "name": "default",
    }
    assert "taints" not in spec
    assert spec["expireAfter"] == "720h"
    assert spec["terminationGracePeriod"] == "24h"
    reqs = _requirements(pool)
    assert reqs["kubernetes.io/arch"] == ("In", ["arm64"])
    assert reqs["kubernetes.io/os"] == ("In", ["linux"])
    assert reqs["karpenter.sh/capacity-type"] == ("In", ["on-demand"])
    assert reqs["karpenter.k8s.aws/instance-family"] == ("In", ["c7g", "m7g"])
    assert "metal" not in reqs["karpenter.k8s.aws/instance-size"][1]
    assert pool["spec"]["disruption"] == {
        "consolidationPolicy": "WhenEmptyOrUnderutilized",
        "consolidateAfter": "1m",
        "budgets": [{"nodes": "10%"}],
    }
    # node_max (4) x the largest listed type, c7g.xlarge: 4 vCPU, 8 GiB.
    assert pool["spec"]["limits"] == {"cpu": "16", "memory": f"{4 * 8 * 1024}Mi"}


def test_spot_node_pool_is_tainted_and_labelled_like_the_managed_spot_group(plan):
    pool = _pools(plan)["spot"]
    spec = pool["spec"]["template"]["spec"]
    assert pool["spec"]["template"]["metadata"] == {"labels": {"gridops.io/capacity": "spot"}}
    assert spec["taints"] == [
        {"key": "gridops.io/capacity", "value": "spot", "effect": "NoSchedule"}
    ]
    reqs = _requirements(pool)
    assert reqs["karpenter.sh/capacity-type"] == ("In", ["spot"])
    # The default Spot types' families (DEFAULT_SPOT_TYPES, arm64).
    assert reqs["karpenter.k8s.aws/instance-family"] == ("In", ["m6g", "m6gd", "m7g", "m7gd"])
    # spot_max (12) x a 2 vCPU / 8 GiB type.
    assert pool["spec"]["limits"] == {"cpu": "24", "memory": f"{12 * 8 * 1024}Mi"}
    assert pool["spec"]["disruption"]["consolidationPolicy"] == "WhenEmptyOrUnderutilized"


def test_x86_cluster_without_spot_has_one_amd64_pool(x86_plan):
    pools = _pools(x86_plan)
    assert set(pools) == {"default"}
    reqs = _requirements(pools["default"])
    assert reqs["kubernetes.io/arch"] == ("In", ["amd64"])
    assert reqs["karpenter.k8s.aws/instance-family"] == ("In", ["m7i"])
    # Defaults: node_max 6 x m7i.large (2 vCPU, 8 GiB).
    assert pools["default"]["spec"]["limits"] == {"cpu": "12", "memory": f"{6 * 8 * 1024}Mi"}
    disk = x86_plan.one(NODE_CLASS).inputs["spec"]["blockDeviceMappings"][0]["ebs"]
    assert disk["volumeSize"] == "50Gi"


def test_limits_take_the_largest_type_by_cpu_then_memory():
    from gridops_infra.platforms.eks.args import NodePool

    pool = NodePool("ON_DEMAND", ("c7g.2xlarge", "r7g.2xlarge", "m7g.xlarge"), 1, 1, 3)
    assert limits(pool) == {"cpu": "24", "memory": f"{3 * 64 * 1024}Mi"}


def test_custom_resources_wait_for_the_chart_and_what_nodes_need(plan):
    release = plan.one(RELEASE, "kp-karpenter")
    node_class = plan.one(NODE_CLASS)
    provider = plan.one("pulumi:providers:kubernetes")
    entry = plan.one("aws:eks/accessEntry:AccessEntry", "kp-karpenter-nodes")
    tags = {t.urn for t in plan.of_type(TAG)}
    for record in [node_class, *plan.of_type(NODE_POOL)]:
        assert record.provider and record.provider.startswith(provider.urn + "::")
        deps = set(record.dependencies)
        assert release.urn in deps and entry.urn in deps and tags <= deps
    for pool in plan.of_type(NODE_POOL):
        assert node_class.urn in pool.dependencies


def test_custom_resources_have_no_kubernetes_validate_schema(plan):
    """Why the CRDs are checked field by field and with Karpenter's own schemas."""
    for record in [plan.one(NODE_CLASS), *plan.of_type(NODE_POOL)]:
        manifest = {k: record.inputs[k] for k in ("apiVersion", "kind", "metadata", "spec")}
        with pytest.raises(kubernetes_validate.SchemaNotFoundError):
            kubernetes_validate.validate(manifest, "1.35.0", strict=True)


# --- Karpenter's schemas -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def karpenter_schema_errors(kubernetes_models):
    """Karpenter's published v1 schemas (npm `@kubernetes-models/karpenter` 2.0.0)."""
    return kubernetes_models(
        "karpenter",
        "2.0.0",
        {
            "karpenter.sh/v1": "karpenter.sh/v1/index.js",
            "karpenter.k8s.aws/v1": "karpenter.k8s.aws/v1/index.js",
        },
    )


def _rendered(plan) -> list[dict[str, Any]]:
    records = [plan.one(NODE_CLASS), *plan.of_type(NODE_POOL)]
    return [
        {k: reveal(r.inputs[k]) for k in ("apiVersion", "kind", "metadata", "spec")}
        for r in records
    ]


def test_rendered_resources_pass_karpenter_schemas(plan, x86_plan, karpenter_schema_errors):
    good = _rendered(plan) + _rendered(x86_plan)
    assert len(good) == 5
    node_class = good[0]
    pool = good[1]
    broken_volume = copy.deepcopy(node_class)
    broken_volume["spec"]["blockDeviceMappings"][0]["ebs"]["volumeType"] = "gp9"
    broken_size = copy.deepcopy(node_class)
    broken_size["spec"]["blockDeviceMappings"][0]["ebs"]["volumeSize"] = 50
    broken_expiry = copy.deepcopy(pool)
    broken_expiry["spec"]["template"]["spec"]["expireAfter"] = 720
    broken_policy = copy.deepcopy(pool)
    broken_policy["spec"]["disruption"]["consolidationPolicy"] = "Sometimes"
    broken = [broken_volume, broken_size, broken_expiry, broken_policy]
    results = karpenter_schema_errors(good + broken)
    assert results[: len(good)] == [None] * len(good)
    assert all(r is not None for r in results[len(good) :]), results[len(good) :]


def test_pure_renderers_match_the_plan(plan):
    """The functions the tests above exercise through the plan are the ones rendering it."""
    cluster_args = {"network": None, **ARGS}

    def program() -> None:
        net = Network("kp", {"az_count": 3, "nat": "single"})
        from gridops_infra.core.validation import ArgReader
        from gridops_infra.platforms.eks.args import EksClusterArgs

        a = ArgReader("EksCluster", "kp", {**cluster_args, "network": net},
                      EksClusterArgs.__annotations__)  # fmt: skip
        settings = read_eks_args(a)
        rendered["pools"] = node_pools(settings)
        spec = _rendered(plan)[0]["spec"]
        subnets = [t["id"] for t in spec["subnetSelectorTerms"]]
        groups = [t["id"] for t in spec["securityGroupSelectorTerms"]]
        rendered["class"] = ec2_node_class(
            settings, "kp-prod", "role-name", {"a": "b"}, subnets, groups
        )

    rendered: dict[str, Any] = {}
    preview(program, stack="prod")
    assert [p["spec"] for p in rendered["pools"]] == [
        _pools(plan)["default"]["spec"],
        _pools(plan)["spot"]["spec"],
    ]
    expected = {**_rendered(plan)[0]["spec"], "role": "role-name", "tags": {"a": "b"}}
    assert rendered["class"]["spec"] == expected


# --- the controller's IAM ------------------------------------------------------------------


def _mismatch_covered_elsewhere(finding: str, statements: list[dict[str, Any]]) -> bool:
    """A RESOURCE_MISMATCH whose every missing (action, format) pair is granted by another
    statement of the policy (the split RunInstances/CreateFleet grants)."""
    missing = ast.literal_eval(finding.split(": ", 1)[1])
    for m in missing:
        pattern = m["required_format"].replace("*", "?*")
        covered = any(
            fnmatch.fnmatch(arn, pattern)
            for s in statements
            if m["action"] in s["Action"]
            for arn in s["Resource"]
        )
        if not covered:
            return False
    return True


def test_controller_policy_passes_parliament(plan):
    policy = _policy(plan)
    statements = policy["Statement"]
    findings = iam_findings(policy)
    kept = []
    for f in findings:
        if f in ("PERMISSIONS_MANAGEMENT_ACTIONS: ", "PRIVILEGE_ESCALATION: "):
            continue
        if f.startswith("RESOURCE_MISMATCH"):
            missing = ast.literal_eval(f.split(": ", 1)[1])
            actions = {m["action"] for m in missing}
            if actions <= {"ec2:RunInstances", "ec2:CreateFleet"} and _mismatch_covered_elsewhere(
                f, statements
            ):
                continue
            if missing == [
                {"action": "ssm:GetParameter", "required_format": "arn:*:ssm:*:*:parameter/*"}
            ]:
                continue
        kept.append(f)
    assert kept == [], kept
    # The filter is not vacuous: the split RunInstances grants are what parliament flags.
    assert any(f.startswith("RESOURCE_MISMATCH") for f in findings)


def test_trust_policies_pass_parliament(plan):
    for name in ("kp-karpenter-role", "kp-karpenter-node-role"):
        doc = reveal(plan.one(ROLE, name).inputs["assumeRolePolicy"])
        assert iam_findings(doc, trust=True) == [], name
    trust = _json(plan.one(ROLE, "kp-karpenter-role"), "assumeRolePolicy")
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "kp-prod",
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "karpenter",
    }


def test_controller_policy_is_scoped_to_this_cluster(plan):
    statements = _policy(plan)["Statement"]
    by_sid = {s["Sid"]: s for s in statements}
    # "*" only where AWS offers no resource to name.
    star = {s["Sid"] for s in statements if s["Resource"] == ["*"]}
    assert star == {"DescribeRegion", "ReadPrices", "ListInstanceProfiles"}
    assert all(a.startswith("ec2:Describe") for a in by_sid["DescribeRegion"]["Action"])
    assert by_sid["DescribeRegion"]["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": "us-east-1"}
    }
    for s in statements:
        for arn in s["Resource"]:
            assert arn == "*" or ":us-east-1:" in arn or ":iam::123456789012:" in arn, arn
    owned = {"aws:ResourceTag/kubernetes.io/cluster/kp-prod": "owned"}
    for sid in ("LaunchFromOwnLaunchTemplates", "DeleteOwnNodes", "NameOwnNodes"):
        assert by_sid[sid]["Condition"]["StringEquals"] == owned, sid
        assert by_sid[sid]["Condition"]["StringLike"] == {
            "aws:ResourceTag/karpenter.sh/nodepool": "*"
        }
    for sid in ("CreateTaggedNodes", "TagNodesOnCreation"):
        equals = by_sid[sid]["Condition"]["StringEquals"]
        assert equals["aws:RequestTag/kubernetes.io/cluster/kp-prod"] == "owned"
        assert equals["aws:RequestTag/eks:eks-cluster-name"] == "kp-prod"
    assert by_sid["TagNodesOnCreation"]["Condition"]["StringEquals"]["ec2:CreateAction"] == [
        "RunInstances",
        "CreateFleet",
        "CreateLaunchTemplate",
    ]
    subnets = sorted(r.id for r in plan.of_type("aws:ec2/subnet:Subnet") if "private" in r.name)
    network = by_sid["LaunchIntoClusterNetwork"]
    assert "Condition" not in network
    assert sorted(a.rsplit("/", 1)[1] for a in network["Resource"] if ":subnet/" in a) == subnets
    groups = [a.rsplit("/", 1)[1] for a in network["Resource"] if ":security-group/" in a]
    assert groups == [
        plan.one("aws:ec2/securityGroup:SecurityGroup", "kp-node-sg").id,
        plan.one("aws:eks/cluster:Cluster").outputs["vpcConfig"]["clusterSecurityGroupId"],
    ]
    node_role = plan.one(ROLE, "kp-karpenter-node-role")
    assert by_sid["PassNodeRole"]["Resource"] == [node_role.outputs["arn"]]
    assert by_sid["PassNodeRole"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}
    }
    queue = plan.one(QUEUE, "kp-interruption")
    assert by_sid["ReadInterruptionQueue"]["Resource"] == [queue.outputs["arn"]]
    assert by_sid["FindApiEndpoint"]["Resource"] == [
        "arn:aws:eks:us-east-1:123456789012:cluster/kp-prod"
    ]
    for sid in ("CreateOwnInstanceProfiles", "TagOwnInstanceProfiles", "ManageOwnInstanceProfiles"):
        s = by_sid[sid]
        assert s["Resource"] == ["arn:aws:iam::123456789012:instance-profile/*"]
        tags = json.dumps(s["Condition"])
        assert "kubernetes.io/cluster/kp-prod" in tags and "ec2nodeclass" in tags
        assert "topology.kubernetes.io/region" in tags
    iam_actions = {a for s in statements for a in s["Action"] if a.startswith("iam:")}
    assert iam_actions == {
        "iam:PassRole",
        "iam:CreateInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:ListInstanceProfiles",
    }
    assert by_sid["ResolveAmiAlias"]["Resource"] == [
        "arn:aws:ssm:us-east-1::parameter/aws/service/eks/optimized-ami/*"
    ]


def test_policy_pack_has_no_mandatory_failures(plan):
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


# --- bad input -------------------------------------------------------------------------------

BAD: dict[str, tuple[dict[str, Any], str, str]] = {
    "spot_min with karpenter": (
        {"spot": True, "spot_min": 1},
        "spot_min",
        "keeps no minimum",
    ),
    "karpenter before v1": (
        {"chart_versions": {"karpenter": "0.37.5"}},
        "chart_versions",
        "v1beta1",
    ),
    "karpenter chart version not semver": (
        {"chart_versions": {"karpenter": "v1"}},
        "chart_versions",
        "semantic version",
    ),
    "fargate kube-system": (
        {"fargate_profiles": ["kube-system"]},
        "fargate_profiles",
        "kube-system",
    ),
    "spot types of the other architecture": (
        {"spot": True, "spot_instance_types": ["m7i.large"]},
        "spot_instance_types",
        "x86_64",
    ),
}


@pytest.fixture(scope="module")
def refused() -> tuple[dict[str, str], Any]:
    errors: dict[str, str] = {}

    def program() -> None:
        net = Network("bad", {"az_count": 2, "nat": "single", "flow_logs": False})
        for case, (overrides, _, _) in BAD.items():
            try:
                EksCluster("bad", {"network": net, "node_autoscaler": "karpenter", **overrides})
            except ValueError as exc:
                errors[case] = str(exc)

    return errors, preview(program)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_naming_the_field(refused, case):
    errors, _ = refused
    _, field, why = BAD[case]
    assert case in errors, f"{case}: no ValueError"
    assert errors[case].startswith("EksCluster 'bad'")
    assert field in errors[case] and why in errors[case], errors[case]


def test_nothing_was_registered_by_refused_clusters(refused):
    _, plan = refused
    network = plan.one("gridops:aws:Network")
    from_network = {network.urn} | {r.urn for r in plan.descendants_of(network.urn)}
    stray = [f"{r.type} {r.name}" for r in plan.resources if r.urn not in from_network]
    assert stray == []


def test_spot_max_alone_is_accepted_with_karpenter(plan):
    assert _pools(plan)["spot"]["spec"]["limits"]["cpu"] == "24"
