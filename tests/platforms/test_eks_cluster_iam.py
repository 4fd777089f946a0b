"""Every IAM document EksCluster creates passes parliament (community auditors on).

Accepted findings, each limited to the document and the exact detail it concerns:
- IRSA trust policies: UNKNOWN_FEDERATION_SOURCE. parliament knows a fixed list of
  federation principals; the principal here is the cluster's own IAM OIDC provider.
- Load Balancer Controller policy:
  - PERMISSIONS_MANAGEMENT_ACTIONS for iam:CreateServiceLinkedRole (AWS's policy has it:
    ELB creates its service-linked role on first use). It is scoped to that one role ARN
    and to `iam:AWSServiceName=elasticloadbalancing.amazonaws.com` (asserted below).
  - UNKNOWN_CONDITION_FOR_ACTION for `elasticloadbalancing:CreateAction` on AddTags:
    a real ELB condition key (AWS's own controller policy uses it) newer than
    parliament's IAM database.
  - RESOURCE_MISMATCH where every missing format is a `/net/` (NLB) ARN: the service
    authorization reference lists `listener/app*` and `listener/net*` as alternatives,
    parliament requires both; the policy is ALB-only on purpose.
- KEDA policy: CREDENTIALS_EXPOSURE for sts:AssumeRole. Assuming the per-queue roles is
  this operator's whole job; the Resource is limited to the IAM path of roles created for
  it on this cluster (asserted below).

External Secrets has no role: it reads through per-workload reader roles trusted only for
one ServiceAccount token (asserted below; their trust passes like every IRSA trust).
"""

from __future__ import annotations

import ast
import json

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.validators import iam_findings

PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/shop/flags"


def _program() -> None:
    net = Network("iam", {"az_count": 2, "nat": "single"})
    cluster = EksCluster("iam", {"network": net, "spot": True, "fargate_profiles": ["batch"]})
    cluster.pod_identity_role("api", "shop", "api", [])
    cluster.pod_identity_role("job", "batch", "worker", [])
    cluster.keda_scaler_role("jobs-scaler", [])
    cluster.secrets_reader_role(
        "api-secrets",
        "shop",
        "api-secrets-reader",
        [{"Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": [PARAMETER]}],
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="prod")


def _eks_records(plan, token):
    cluster = plan.one("gridops:aws:EksCluster")
    mine = {r.urn for r in plan.descendants_of(cluster.urn)}
    return [r for r in plan.of_type(token) if r.urn in mine]


def _only_net_formats(finding: str) -> bool:
    detail = finding.split(": ", 1)[1]
    missing = ast.literal_eval(detail)
    return all("/net/" in m["required_format"] for m in missing)


def test_trust_policies_pass(plan):
    roles = _eks_records(plan, "aws:iam/role:Role")
    assert len(roles) >= 10
    for role in roles:
        doc = reveal(role.inputs["assumeRolePolicy"])
        findings = iam_findings(doc, trust=True)
        if "sts:AssumeRoleWithWebIdentity" in doc:
            findings = [f for f in findings if not f.startswith("UNKNOWN_FEDERATION_SOURCE")]
        assert findings == [], (role.name, findings)


def test_inline_policies_pass(plan):
    policies = {
        r.name: reveal(r.inputs["policy"])
        for r in _eks_records(plan, "aws:iam/rolePolicy:RolePolicy")
    }
    assert set(policies) == {
        "iam-cluster-role-kms", "iam-lbc-policy", "iam-keda-policy", "iam-autoscaler-policy",
        "api-secrets-policy",
    }  # fmt: skip
    for name, doc in policies.items():
        findings = iam_findings(doc)
        if name == "iam-lbc-policy":
            findings = [
                f
                for f in findings
                if not (
                    f == "PERMISSIONS_MANAGEMENT_ACTIONS: "
                    or f.startswith("UNKNOWN_CONDITION_FOR_ACTION: Unknown condition "
                                    "elasticloadbalancing:CreateAction for action "
                                    "elasticloadbalancing:AddTags")
                    or (f.startswith("RESOURCE_MISMATCH") and _only_net_formats(f))
                )
            ]  # fmt: skip
        if name == "iam-keda-policy":
            findings = [f for f in findings if f != "CREDENTIALS_EXPOSURE: "]
        assert findings == [], (name, findings)


def test_accepted_exceptions_stay_narrow(plan):
    lbc = json.loads(
        reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "iam-lbc-policy").inputs["policy"])
    )
    iam_statements = [s for s in lbc["Statement"] if any(a.startswith("iam:") for a in s["Action"])]
    assert iam_statements == [
        {
            "Sid": "ElbServiceLinkedRole",
            "Effect": "Allow",
            "Action": ["iam:CreateServiceLinkedRole"],
            "Resource": [
                "arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                "AWSServiceRoleForElasticLoadBalancing"
            ],
            "Condition": {
                "StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
            },
        }
    ]
    keda = json.loads(
        reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "iam-keda-policy").inputs["policy"])
    )
    assert keda["Statement"] == [
        {
            "Sid": "AssumeScopedRoles",
            "Effect": "Allow",
            # Pod Identity's session tags are transitive: chaining needs TagSession.
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Resource": ["arn:aws:iam::123456789012:role/gridops/iam-prod/keda/*"],
        }
    ]


def test_no_operator_may_assume_the_secrets_reader_roles(plan):
    """The reader roles are not chained into: External Secrets has no role or Pod
    Identity association, no policy grants any sts: action on their path, and a reader's
    trust admits one ServiceAccount token through the cluster's OIDC provider only (no
    AWS principal, no sts:AssumeRole, no sts:TagSession)."""
    roles = {r.name: r for r in plan.of_type("aws:iam/role:Role")}
    assert "iam-eso-role" not in roles and "iam-keda-role" in roles
    assert not [
        a
        for a in plan.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
        if a.inputs["namespace"] == "external-secrets"
    ]
    for record in plan.of_type("aws:iam/rolePolicy:RolePolicy"):
        for st in json.loads(reveal(record.inputs["policy"]))["Statement"]:
            if any(a.startswith("sts:") for a in st["Action"]):
                assert not [r for r in st["Resource"] if "/external-secrets/" in r], record.name
    reader = roles["api-secrets-role"]
    assert reader.inputs["path"] == "/gridops/iam-prod/external-secrets/"
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    trust = json.loads(reveal(reader.inputs["assumeRolePolicy"]))["Statement"]
    assert [(st["Principal"], st["Action"]) for st in trust] == [
        ({"Federated": provider}, "sts:AssumeRoleWithWebIdentity")
    ]
    (condition,) = trust[0]["Condition"].values()
    assert sorted(condition.values()) == [
        "sts.amazonaws.com",
        "system:serviceaccount:shop:api-secrets-reader",
    ]


def test_load_balancer_controller_is_scoped_to_this_cluster(plan):
    lbc = json.loads(
        reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "iam-lbc-policy").inputs["policy"])
    )
    vpc_id = plan.one("aws:ec2/vpc:Vpc").id
    # Only actions without resource-level permissions keep "*".
    star = {s["Sid"]: s["Action"] for s in lbc["Statement"] if s["Resource"] == ["*"]}
    assert set(star) == {"Discover", "SetWebAclForWafv2"}
    assert all(a.split(":")[1].startswith(("Describe", "List")) for a in star["Discover"])
    assert star["SetWebAclForWafv2"] == ["elasticloadbalancing:SetWebAcl"]
    for st in lbc["Statement"]:
        for arn in st["Resource"]:
            assert (
                arn == "*"
                or ":us-east-1:123456789012:" in arn
                or arn.startswith("arn:aws:iam::123456789012:")
            ), (st["Sid"], arn)
        assert not any("/net/" in arn for arn in st["Resource"])
    by_sid = {s["Sid"]: s for s in lbc["Statement"]}
    for sid in ("DeleteOwnedSecurityGroups", "ChangeOwned", "RetagOwnedLoadBalancers"):
        equals = by_sid[sid]["Condition"]["StringEquals"]
        assert equals["aws:ResourceTag/elbv2.k8s.aws/cluster"] == "iam-prod"
    created = by_sid["CreateTaggedLoadBalancers"]["Condition"]["StringEquals"]
    assert created == {"aws:RequestTag/elbv2.k8s.aws/cluster": "iam-prod"}
    assert by_sid["SecurityGroupRulesInVpc"]["Condition"] == {
        "ArnEquals": {"ec2:Vpc": f"arn:aws:ec2:us-east-1:123456789012:vpc/{vpc_id}"}
    }
    actions = {a for s in lbc["Statement"] for a in s["Action"]}
    assert not {a for a in actions if a.startswith(("shield:", "waf-regional:", "cognito-idp:"))}


def test_cluster_autoscaler_writes_only_to_owned_groups(plan):
    doc = json.loads(
        reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "iam-autoscaler-policy").inputs["policy"])
    )
    scale = next(s for s in doc["Statement"] if s["Sid"] == "ScaleOwnNodegroups")
    assert scale["Condition"] == {
        "StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/iam-prod": "owned"}
    }


def test_node_and_cni_permissions_are_split(plan):
    attachments = {
        r.name: r.inputs["policyArn"].rsplit("/", 1)[-1]
        for r in _eks_records(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    }
    assert attachments == {
        "iam-cluster-role-0": "AmazonEKSClusterPolicy",
        "iam-cluster-role-1": "AmazonEKSVPCResourceController",
        "iam-node-role-0": "AmazonEKSWorkerNodeMinimalPolicy",
        "iam-node-role-1": "AmazonEC2ContainerRegistryPullOnly",
        "iam-fargate-role-0": "AmazonEKSFargatePodExecutionRolePolicy",
        "iam-cni-role-0": "AmazonEKS_CNI_Policy",
        "iam-insights-role-0": "CloudWatchAgentServerPolicy",
        "iam-ebs-csi-role-0": "AmazonEBSCSIDriverPolicy",
    }
