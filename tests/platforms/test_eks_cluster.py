"""EksCluster's plan: control plane, access, compute, add-ons, Helm releases, provider."""

from __future__ import annotations

import json

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.base import Platform
from gridops_infra.platforms.eks.catalog import CHART_VERSIONS
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import contains_secret, preview, reveal

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
RELEASE = "kubernetes:helm.sh/v3:Release"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
ADMIN = "arn:aws:iam::123456789012:role/platform-admin"
OFFICE = "203.0.113.0/24"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:q"


def _full() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    EksCluster(
        "prod",
        {
            "network": net,
            "public_access_cidrs": [OFFICE],
            "admin_role_arns": [ADMIN],
            "node_min": 3,
            "node_desired": 4,
            "node_max": 9,
            "node_instance_types": ["m7g.xlarge", "c7g.xlarge"],
            "spot": True,
            "fargate_profiles": ["batch"],
            "log_retention_days": 365,
        },
    )


def _minimal() -> None:
    net = Network("dev", {"az_count": 2, "nat": "single"})
    EksCluster(
        "dev",
        {
            "network": net,
            "keda": False,
            "external_secrets": False,
            "node_autoscaler": "none",
            "node_architecture": "x86_64",
            "container_insights": False,
        },
    )


@pytest.fixture(scope="module")
def plan():
    return preview(_full, stack="prod")


@pytest.fixture(scope="module")
def minimal():
    return preview(_minimal, stack="dev")


def test_cluster_is_private_encrypted_and_logs_everything(plan):
    cluster = plan.one(CLUSTER)
    vpc = cluster.inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is True and vpc["publicAccessCidrs"] == [OFFICE]
    private = [r.id for r in plan.of_type("aws:ec2/subnet:Subnet") if "private" in r.name]
    assert len(private) == 3 and sorted(vpc["subnetIds"]) == sorted(private)
    key = plan.one("aws:kms/key:Key", "prod-secrets-key")
    assert key.inputs["enableKeyRotation"] is True
    assert cluster.inputs["encryptionConfig"] == {
        "provider": {"keyArn": key.outputs["arn"]},
        "resources": ["secrets"],
    }
    assert cluster.inputs["enabledClusterLogTypes"] == [
        "api", "audit", "authenticator", "controllerManager", "scheduler",
    ]  # fmt: skip
    assert cluster.inputs["name"] == "prod-prod"
    assert cluster.inputs["version"] == "1.35"
    assert cluster.inputs["accessConfig"]["authenticationMode"] == "API"
    assert cluster.inputs["bootstrapSelfManagedAddons"] is False
    assert cluster.inputs["deletionProtection"] is True
    assert cluster.inputs["upgradePolicy"] == {"supportType": "STANDARD"}


def test_log_group_exists_before_the_cluster_with_retention(plan):
    cluster = plan.one(CLUSTER)
    logs = plan.one("aws:cloudwatch/logGroup:LogGroup", "prod-logs")
    assert logs.inputs["name"] == "/aws/eks/prod-prod/cluster"
    assert logs.inputs["retentionInDays"] == 365
    assert logs.urn in cluster.dependencies


def test_default_cluster_has_no_public_endpoint(minimal):
    vpc = minimal.one(CLUSTER).inputs["vpcConfig"]
    assert vpc["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in vpc


def test_admin_roles_get_access_entries_with_cluster_admin_policy(plan):
    entry = plan.one("aws:eks/accessEntry:AccessEntry")
    assert entry.inputs["principalArn"] == ADMIN and entry.inputs["type"] == "STANDARD"
    association = plan.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.inputs["policyArn"].endswith("/AmazonEKSClusterAdminPolicy")
    assert association.inputs["accessScope"] == {"type": "cluster"}
    assert association.inputs["principalArn"] == ADMIN


def test_oidc_provider_trusts_the_cluster_issuer(plan):
    cluster = plan.one(CLUSTER)
    oidc = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    issuer = cluster.outputs["identities"][0]["oidcs"][0]["issuer"]
    assert oidc.inputs["url"] == issuer
    assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"]


def test_on_demand_node_group_scaling_and_graviton(plan):
    nodes = plan.one(NODE_GROUP, "prod-nodes")
    assert nodes.inputs["scalingConfig"] == {"minSize": 3, "desiredSize": 4, "maxSize": 9}
    assert nodes.inputs["instanceTypes"] == ["m7g.xlarge", "c7g.xlarge"]
    assert nodes.inputs["amiType"] == "AL2023_ARM_64_STANDARD"
    assert nodes.inputs["capacityType"] == "ON_DEMAND"
    assert nodes.ignore_changes == ["scalingConfig.desiredSize"]
    role = plan.one("aws:iam/role:Role", "prod-node-role")
    assert nodes.inputs["nodeRoleArn"] == role.outputs["arn"]
    attached = {
        r.inputs["policyArn"].rsplit("/", 1)[-1]
        for r in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if r.inputs["role"] == role.outputs["name"]
    }
    assert attached == {"AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"}


def test_launch_template_requires_imdsv2_blocks_pods_and_encrypts(plan):
    template = plan.one("aws:ec2/launchTemplate:LaunchTemplate")
    assert template.inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
    }
    ebs = template.inputs["blockDeviceMappings"][0]["ebs"]
    assert ebs["encrypted"] == "true" and ebs["volumeType"] == "gp3"
    cluster_sg = plan.one(CLUSTER).outputs["vpcConfig"]["clusterSecurityGroupId"]
    node_sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "prod-node-sg").id
    assert template.inputs["vpcSecurityGroupIds"] == [cluster_sg, node_sg]
    for group in plan.of_type(NODE_GROUP):
        assert group.inputs["launchTemplate"] == {"id": template.id, "version": "1"}


def test_spot_group_is_tainted_and_one_shape(plan):
    spot = plan.one(NODE_GROUP, "prod-spot-nodes")
    assert spot.inputs["capacityType"] == "SPOT"
    assert spot.inputs["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": 10}
    assert spot.inputs["taints"] == [
        {"key": "gridops.io/capacity", "value": "spot", "effect": "NO_SCHEDULE"}
    ]
    assert all(t.endswith(".large") for t in spot.inputs["instanceTypes"])


def test_fargate_profile_per_namespace_with_scoped_execution_role(plan):
    profile = plan.one("aws:eks/fargateProfile:FargateProfile")
    assert profile.inputs["selectors"] == [{"namespace": "batch"}]
    role = plan.one("aws:iam/role:Role", "prod-fargate-role")
    assert profile.inputs["podExecutionRoleArn"] == role.outputs["arn"]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "eks-fargate-pods.amazonaws.com"}
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"] == (
        "arn:aws:eks:us-east-1:123456789012:fargateprofile/prod-prod/*"
    )


def test_addons_and_their_order(plan):
    addons = {r.inputs["addonName"]: r for r in plan.of_type(ADDON)}
    assert set(addons) == {
        "vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "metrics-server",
        "amazon-cloudwatch-observability", "aws-ebs-csi-driver",
    }  # fmt: skip
    cni = addons["vpc-cni"]
    assert json.loads(cni.inputs["configurationValues"]) == {
        "enableNetworkPolicy": "true",
        "env": {"ENABLE_POD_ENI": "true", "POD_SECURITY_GROUP_ENFORCING_MODE": "standard"},
    }
    cni_role = plan.one("aws:iam/role:Role", "prod-cni-role")
    assert cni.inputs["serviceAccountRoleArn"] == cni_role.outputs["arn"]
    trust = json.loads(cni_role.inputs["assumeRolePolicy"])["Statement"][0]
    assert "system:serviceaccount:kube-system:aws-node" in json.dumps(trust["Condition"])
    for group in plan.of_type(NODE_GROUP):
        assert cni.urn in group.dependencies and addons["kube-proxy"].urn in group.dependencies
    for name in (
        "coredns",
        "metrics-server",
        "amazon-cloudwatch-observability",
        "aws-ebs-csi-driver",
    ):
        assert all(g.urn in addons[name].dependencies for g in plan.of_type(NODE_GROUP))


def test_container_insights_has_its_role_and_log_groups_with_retention(plan):
    insights = plan.one(ADDON, "prod-amazon-cloudwatch-observability")
    role = plan.one("aws:iam/role:Role", "prod-insights-role")
    assert insights.inputs["podIdentityAssociations"] == [
        {"roleArn": role.outputs["arn"], "serviceAccount": "cloudwatch-agent"}
    ]
    groups = {
        r.inputs["name"]: r.inputs["retentionInDays"]
        for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup")
        if "containerinsights" in r.inputs["name"]
    }
    assert groups == {
        f"/aws/containerinsights/prod-prod/{kind}": 30
        for kind in ("application", "dataplane", "host", "performance")
    }
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-namespace"] == (
        "amazon-cloudwatch"
    )


def test_kubernetes_provider_uses_aws_eks_get_token(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    assert contains_secret(provider.inputs["kubeconfig"])
    config = json.loads(reveal(provider.inputs["kubeconfig"]))
    cluster = plan.one(CLUSTER)
    assert config["clusters"][0]["cluster"]["server"] == cluster.outputs["endpoint"]
    exec_ = config["users"][0]["user"]["exec"]
    assert exec_["command"] == "aws"
    assert exec_["args"][:4] == ["eks", "get-token", "--cluster-name", "prod-prod"]
    assert "token" not in json.dumps(config["users"][0]["user"]).replace("get-token", "")


def test_helm_releases_use_the_cluster_provider_and_wait_for_their_identity(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    releases = {r.inputs["chart"]: r for r in plan.of_type(RELEASE)}
    assert set(releases) == set(CHART_VERSIONS)
    associations = {r.inputs["serviceAccount"]: r for r in plan.of_type(ASSOCIATION)}
    for chart, release in releases.items():
        assert release.provider and release.provider.startswith(provider.urn + "::")
        assert release.inputs["version"] == CHART_VERSIONS[chart]
        assert release.inputs["atomic"] is True
        assert plan.one(ADDON, "prod-coredns").urn in release.dependencies
        if chart == "external-secrets":
            # No AWS identity: ESO reads through each workload's reader ServiceAccount.
            assert "external-secrets" not in associations
            assert not [a for a in associations.values() if a.urn in release.dependencies]
            continue
        sa = {
            "aws-load-balancer-controller": "aws-load-balancer-controller",
            "keda": "keda-operator",
            "cluster-autoscaler": "cluster-autoscaler",
        }[chart]
        assert associations[sa].urn in release.dependencies
        assert associations[sa].inputs["namespace"] == release.inputs["namespace"]
    lbc = releases["aws-load-balancer-controller"].inputs
    assert lbc["repositoryOpts"] == {"repo": "https://aws.github.io/eks-charts"}
    assert lbc["values"]["clusterName"] == "prod-prod"
    assert lbc["values"]["vpcId"] == plan.one("aws:ec2/vpc:Vpc").id
    assert lbc["values"]["enableServiceMutatorWebhook"] is False
    assert releases["keda"].inputs["repositoryOpts"]["repo"] == "https://kedacore.github.io/charts"
    assert releases["cluster-autoscaler"].inputs["values"]["image"] == {"tag": "v1.35.0"}


def test_optional_operators_can_be_left_out(minimal):
    assert [r.inputs["chart"] for r in minimal.of_type(RELEASE)] == ["aws-load-balancer-controller"]
    assert minimal.one(NODE_GROUP).inputs["amiType"] == "AL2023_x86_64_STANDARD"
    assert minimal.one(NODE_GROUP).inputs["instanceTypes"] == ["m7i.large"]
    assert minimal.of_type("aws:eks/fargateProfile:FargateProfile") == []
    assert "amazon-cloudwatch-observability" not in {
        r.inputs["addonName"] for r in minimal.of_type(ADDON)
    }


def test_component_outputs(plan):
    outputs = plan.one("gridops:aws:EksCluster").outputs
    cluster = plan.one(CLUSTER)
    assert outputs["cluster_name"] == "prod-prod"
    assert outputs["endpoint"] == cluster.outputs["endpoint"]
    assert outputs["oidc_provider_arn"].endswith(outputs["oidc_issuer"].removeprefix("https://"))
    assert contains_secret(outputs["kubeconfig"])
    assert outputs["node_security_group_id"].startswith("sg-")
    assert (
        outputs["cluster_security_group_id"]
        == cluster.outputs["vpcConfig"]["clusterSecurityGroupId"]
    )
    assert outputs["kubernetes_version"] == "1.35"


def test_platform_protocol_and_service_helpers():
    seen: dict[str, object] = {}

    def program() -> None:
        net = Network("p", {"az_count": 2})
        cluster = EksCluster("p", {"network": net, "fargate_profiles": ["jobs"]})
        seen["platform"] = isinstance(cluster, Platform) and cluster.kind == "eks"
        seen["group"] = cluster.alb_group_name
        seen["sgs"] = len(cluster.workload_security_group_ids)
        api = cluster.pod_identity_role(
            "api", "shop", "api",
            [{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [QUEUE]}],
        )  # fmt: skip
        seen["api_association"] = api.association is not None
        seen["api_annotations"] = api.service_account_annotations
        job = cluster.pod_identity_role("job", "jobs", "worker", [])
        seen["job_association"] = job.association
        seen["job_annotations"] = list(job.service_account_annotations)
        cluster.secrets_reader_role("api-secrets", "shop", "api-secrets-reader", [])

    plan = preview(program, stack="t")
    assert seen["platform"] is True and seen["group"] == "p-t" and seen["sgs"] == 2
    assert seen["api_association"] is True and seen["api_annotations"] == {}
    assert seen["job_association"] is None
    assert seen["job_annotations"] == ["eks.amazonaws.com/role-arn"]

    api_role = plan.one("aws:iam/role:Role", "api-role")
    trust = json.loads(api_role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "p-t",
        "aws:RequestTag/kubernetes-namespace": "shop",
        "aws:RequestTag/kubernetes-service-account": "api",
    }
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy", "api-policy").inputs["policy"])
    assert policy["Statement"][0]["Action"] == ["sqs:SendMessage"]
    association = plan.one(ASSOCIATION, "api-pod-identity").inputs
    assert (association["namespace"], association["serviceAccount"]) == ("shop", "api")
    assert association["roleArn"] == api_role.outputs["arn"]

    job_trust = json.loads(plan.one("aws:iam/role:Role", "job-role").inputs["assumeRolePolicy"])
    assert job_trust["Statement"][0]["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert not [r for r in plan.of_type(ASSOCIATION) if r.name == "job-pod-identity"]

    reader = plan.one("aws:iam/role:Role", "api-secrets-role")
    assert reader.inputs["path"] == "/gridops/p-t/external-secrets/"
    outputs = plan.one("gridops:aws:EksCluster").outputs
    host = outputs["oidc_issuer"].removeprefix("https://")
    reader_trust = json.loads(reader.inputs["assumeRolePolicy"])["Statement"]
    assert reader_trust == [
        {
            "Sid": "ServiceAccountToken",
            "Effect": "Allow",
            "Principal": {"Federated": outputs["oidc_provider_arn"]},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{host}:aud": "sts.amazonaws.com",
                    f"{host}:sub": "system:serviceaccount:shop:api-secrets-reader",
                }
            },
        }
    ]
    # The same IRSA trust builder as the VPC CNI's role (kube-system/aws-node).
    cni_trust = json.loads(plan.one("aws:iam/role:Role", "p-cni-role").inputs["assumeRolePolicy"])
    assert cni_trust["Statement"][0]["Principal"] == reader_trust[0]["Principal"]
    # External Secrets has no role of its own any more, so nothing may chain into readers.
    assert not [r for r in plan.of_type("aws:iam/role:Role") if r.name == "p-eso-role"]
    assert not [
        p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.name == "p-eso-policy"
    ]


def test_roles_for_an_operator_that_is_not_installed_are_refused():
    def program() -> None:
        net = Network("q", {"az_count": 2})
        cluster = EksCluster("q", {"network": net, "external_secrets": False})
        cluster.secrets_reader_role("x", "x", "x-secrets-reader", [])

    with pytest.raises(ValueError, match="external_secrets=False"):
        preview(program)


def test_transforms_reach_the_children():
    def program() -> None:
        net = Network("t", {"az_count": 2})
        EksCluster("t", {"network": net, "transforms": {"node_group": {"labels": {"team": "a"}}}})

    plan = preview(program)
    assert plan.one(NODE_GROUP).inputs["labels"] == {"team": "a"}


def test_policy_pack_passes(plan, minimal):
    for p in (plan, minimal):
        report = check_plan(p)
        assert report.mandatory_failures == [], report.render_text()
