"""StatelessService on EksCluster: the plan of the EKS backend."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from gridops_infra.core import iam
from gridops_infra.core.links import LinkGrant
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.policy.engine import check_plan
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.validators import iam_findings

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf"
QUEUE_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jobs-token-Zy12Xw"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:jobs"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"
K8S = "kubernetes:"


class FakeQueue:
    """A linkable resource granting one IAM statement, one secret and one setting."""

    name = "jobs"

    def __init__(self) -> None:
        self.allowed: list[str] = []

    def link_grant(self) -> LinkGrant:
        return LinkGrant(
            environment={"JOBS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"},
            secrets={"JOBS_TOKEN": QUEUE_SECRET},
            secret_arns=[QUEUE_SECRET],
            kms_key_arns=[KEY],
            task_statements=[iam.statement(["sqs:SendMessage"], [QUEUE], sid="SendJobs")],
        )

    def allow_from(self, consumer_name: str, security_group_id) -> None:
        self.allowed.append(consumer_name)


SEEN: dict[str, Any] = {}
SERVICES = ("api", "web", "batch")


def _program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = EksCluster("prod", {"network": net, "spot": True, "fargate_profiles": ["batch"]})
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 1}
    )
    queue = FakeQueue()
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "port": 8080,
            "cpu": 512,
            "memory": 1024,
            "min_count": 2,
            "max_count": 20,
            "health_check_path": "/healthz",
            "links": [db, queue],
            "secrets": {"STRIPE_KEY": f"{SECRET}:key::"},
            "domain": "api.example.com",
            "zone_id": "Z0123456789ABC",
            "spot": {"weight": 3, "on_demand_weight": 1},
            "user": "10001:10001",
        },
    )
    web = StatelessService(
        "web",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/web:2.0.0",
            "path_patterns": ["/web/*"],
            "links": [db],
            # Without a CDN, services sharing the load balancer all have a domain or none.
            "domain": "web.example.com",
            "zone_id": "Z0123456789ABC",
        },
    )
    batch = StatelessService(
        "batch",
        {
            "platform": cluster,
            "image": "ghcr.io/acme/batch:1.0.0",
            "cpu_architecture": "X86_64",
            "links": [db],
            "domain": "batch.example.com",
            "zone_id": "Z0123456789ABC",
        },
    )
    SEEN.update(queue=queue, cluster=cluster, api=api, web=web, batch=batch)
    api.url.apply(lambda u: SEEN.__setitem__("api_url", u))
    web.url.apply(lambda u: SEEN.__setitem__("web_url", u))
    for label, metric in (("5xx", api.metric_5xx()), ("cpu", api.metric_cpu())):
        SEEN[f"{label}_metric"] = metric
        for key, value in metric.dimensions.items():
            pulumi.Output.from_input(value).apply(
                lambda v, k=f"{label}.{key}": SEEN.__setitem__(k, v)
            )


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="prod")


def _of(plan, service: str, token: str):
    root = next(r for r in plan.of_type("gridops:aws:StatelessService") if r.name == service)
    mine = {r.urn for r in plan.descendants_of(root.urn)}
    return [r for r in plan.of_type(token) if r.urn in mine]


def _one(plan, service: str, token: str):
    found = _of(plan, service, token)
    assert len(found) == 1, (service, token, [r.name for r in found])
    return found[0]


def test_every_kubernetes_object_uses_the_cluster_provider(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    objects = [r for r in plan.resources if r.type.startswith(K8S)]
    assert len(objects) > 20
    for record in objects:
        assert record.provider and record.provider.startswith(provider.urn + "::"), record.name


def _of_all(plan, service: str):
    root = next(r for r in plan.of_type("gridops:aws:StatelessService") if r.name == service)
    return plan.descendants_of(root.urn)


def test_each_service_gets_its_kubernetes_objects(plan):
    expected = {
        "Namespace",
        "ServiceAccount",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "Ingress",
    }
    made = {
        service: {
            r.type.rsplit(":", 1)[-1] for r in _of_all(plan, service) if r.type.startswith(K8S)
        }
        for service in ("api", "web", "batch")
    }
    # Each links the database, so each gets a SecurityGroupPolicy for its own group.
    expected |= {"SecurityGroupPolicy"}
    assert made["api"] == expected | {
        "NetworkPolicy",
        "HorizontalPodAutoscaler",
        "SecretStore",
        "ExternalSecret",
    }
    assert made["web"] == expected | {
        "NetworkPolicy",
        "HorizontalPodAutoscaler",
        "SecretStore",
        "ExternalSecret",
    }
    assert made["batch"] == expected | {"HorizontalPodAutoscaler", "SecretStore", "ExternalSecret"}
    hpa = plan.one(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "api-horizontal-pod-autoscaler"
    )
    assert (hpa.inputs["spec"]["minReplicas"], hpa.inputs["spec"]["maxReplicas"]) == (2, 20)


def test_deployment_waits_for_identity_secrets_and_controller(plan):
    deployment = _one(plan, "api", "kubernetes:apps/v1:Deployment")
    association = _one(plan, "api", "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    synced = _of(plan, "api", "kubernetes:external-secrets.io/v1:ExternalSecret")
    lbc = plan.one("kubernetes:helm.sh/v3:Release", "prod-aws-load-balancer-controller")
    assert association.urn in deployment.dependencies and lbc.urn in deployment.dependencies
    assert synced and all(s.urn in deployment.dependencies for s in synced)
    assert deployment.ignore_changes == ["spec.replicas"]
    pod = deployment.inputs["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "api"
    env = {e["name"]: e.get("value") for e in pod["containers"][0]["env"]}
    assert env["AWS_REGION"] == "us-east-1"  # pods cannot ask the metadata service
    assert env["JOBS_QUEUE_URL"].endswith("/jobs") and env["STRIPE_KEY"] is None
    assert pod["containers"][0]["securityContext"]["runAsUser"] == 10001
    assert pod["tolerations"][0]["key"] == "gridops.io/capacity"
    weight = pod["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]
    assert weight["weight"] == 75


def test_pod_identity_role_carries_exactly_the_link_grants(plan):
    role = plan.one("aws:iam/role:Role", "api-pod-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "prod-prod",
        "aws:RequestTag/kubernetes-namespace": "api",
        "aws:RequestTag/kubernetes-service-account": "api",
    }
    policy = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "api-pod-policy").inputs["policy"]
    )
    assert policy["Statement"] == [
        {"Sid": "SendJobs", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [QUEUE]}
    ]
    association = plan.one(
        "aws:eks/podIdentityAssociation:PodIdentityAssociation", "api-pod-identity"
    )
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == ("api", "api")
    assert association.inputs["roleArn"] == role.outputs["arn"]
    account = plan.one("kubernetes:core/v1:ServiceAccount", "api-service-account")
    assert account.inputs["automountServiceAccountToken"] is False
    # The db link grants nothing to the workload: web has a role without a policy.
    assert not [
        r for r in plan.of_type("aws:iam/rolePolicy:RolePolicy") if r.name == "web-pod-policy"
    ]


def test_secrets_reader_role_reads_exactly_the_service_secrets(plan):
    reader = plan.one("aws:iam/role:Role", "api-secrets-role")
    assert reader.inputs["path"] == "/gridops/prod-prod/external-secrets/"
    assert reader.outputs["arn"].startswith(
        "arn:aws:iam::123456789012:role/gridops/prod-prod/external-secrets/"
    )
    policy = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "api-secrets-policy").inputs["policy"]
    )
    read = next(s for s in policy["Statement"] if s["Sid"] == "ReadSecrets")
    primary = plan.one("aws:rds/instance:Instance", "db-primary")
    db_secret = primary.outputs["masterUserSecrets"][0]["secretArn"]
    assert sorted(read["Resource"]) == sorted([SECRET, QUEUE_SECRET, db_secret])
    decrypt = next(s for s in policy["Statement"] if s["Sid"] == "DecryptSecrets")
    assert decrypt["Resource"] == [KEY]
    store = plan.one("kubernetes:external-secrets.io/v1:SecretStore", "api-store-secretsmanager")
    assert store.inputs["spec"]["provider"]["aws"]["auth"]["jwt"] == {
        "serviceAccountRef": {"name": "api-secrets-reader"}
    }
    synced = plan.one(
        "kubernetes:external-secrets.io/v1:ExternalSecret", "api-secrets-secretsmanager"
    )
    keys = [d["secretKey"] for d in synced.inputs["spec"]["data"]]
    assert {"STRIPE_KEY", "JOBS_TOKEN"} <= set(keys)
    eso_release = plan.one("kubernetes:helm.sh/v3:Release", "prod-external-secrets")
    assert eso_release.urn in store.dependencies


@pytest.mark.parametrize(("service", "namespace"), [("api", "api"), ("batch", "batch")])
def test_secrets_reader_role_trusts_only_its_namespaces_reader_account(plan, service, namespace):
    """AWS enforces the namespace: the reader role is federated to the cluster's OIDC
    provider for exactly `system:serviceaccount:<namespace>:<service>-secrets-reader`
    (audience STS), on nodes and in a Fargate namespace alike."""
    cluster = plan.one("gridops:aws:EksCluster").outputs
    host = cluster["oidc_issuer"].removeprefix("https://")
    reader = plan.one("aws:iam/role:Role", f"{service}-secrets-role")
    assert json.loads(reader.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ServiceAccountToken",
                "Effect": "Allow",
                "Principal": {"Federated": cluster["oidc_provider_arn"]},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{host}:aud": "sts.amazonaws.com",
                        f"{host}:sub": (
                            f"system:serviceaccount:{namespace}:{service}-secrets-reader"
                        ),
                    }
                },
            }
        ],
    }
    assert (
        cluster["oidc_provider_arn"]
        == plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    )


def test_secret_stores_read_through_the_reader_account_in_their_namespace(plan):
    reader = plan.one("aws:iam/role:Role", "api-secrets-role")
    account = plan.one("kubernetes:core/v1:ServiceAccount", "api-secrets-reader")
    service = next(r for r in plan.of_type("gridops:aws:StatelessService") if r.name == "api")
    assert account.parent == service.urn
    assert account.inputs["metadata"]["name"] == "api-secrets-reader"
    assert account.inputs["metadata"]["namespace"] == "api"
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": reader.outputs["arn"]
    }
    assert account.inputs["automountServiceAccountToken"] is False
    namespace = plan.one("kubernetes:core/v1:Namespace", "api-namespace")
    assert namespace.urn in account.dependencies
    stores = [
        r
        for r in plan.of_type("kubernetes:external-secrets.io/v1:SecretStore")
        if r.name.startswith("api-")
    ]
    assert stores
    for store in stores:
        assert store.inputs["metadata"]["namespace"] == "api"
        aws_provider = store.inputs["spec"]["provider"]["aws"]
        # no `role`: ESO would chain an AssumeRole from the reader role, which is not trusted
        assert aws_provider == {
            "service": aws_provider["service"],
            "region": "us-east-1",
            "auth": {"jwt": {"serviceAccountRef": {"name": "api-secrets-reader"}}},
        }
        assert account.urn in store.dependencies
    # No pod runs as the reader account: the Deployment uses the service's own.
    deployment = plan.one("kubernetes:apps/v1:Deployment", "api-deployment")
    assert deployment.inputs["spec"]["template"]["spec"]["serviceAccountName"] == "api"


def test_external_secrets_operator_has_no_aws_identity(plan):
    """ESO's own pods hold no AWS credentials: no role, no Pod Identity association, and
    no policy on the cluster that may assume the reader roles (KEDA keeps its own)."""
    roles = {r.name for r in plan.of_type("aws:iam/role:Role")}
    assert "prod-keda-role" in roles and "prod-eso-role" not in roles
    namespaces = {
        r.inputs["namespace"]
        for r in plan.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    }
    assert "keda" in namespaces and "external-secrets" not in namespaces
    for policy in plan.of_type("aws:iam/rolePolicy:RolePolicy"):
        for st in json.loads(reveal(policy.inputs["policy"]))["Statement"]:
            if any(a.startswith("sts:") for a in st["Action"]):
                assert all("/external-secrets/" not in r for r in st["Resource"]), policy.name


def test_links_admit_each_workloads_own_pod_group_not_the_nodes(plan):
    # api links the database: every link is opened to api's own group, as consumer "api".
    assert SEEN["queue"].allowed == ["api"]
    node_sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "prod-node-sg").id
    cluster_sg = plan.one("aws:eks/cluster:Cluster").outputs["vpcConfig"]["clusterSecurityGroupId"]
    own = {s: plan.one("aws:ec2/securityGroup:SecurityGroup", f"{s}-pod-sg").id for s in SERVICES}
    rules = {
        r.name: r.inputs["referencedSecurityGroupId"]
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("db-")
    }
    # batch runs on Fargate, where the SecurityGroupPolicy applies as well.
    assert rules == {f"db-from-{s}": own[s] for s in SERVICES}
    assert node_sg not in rules.values() and cluster_sg not in rules.values()
    for service in SERVICES:
        policy = _one(plan, service, "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy")
        assert policy.inputs["metadata"]["namespace"] == service
        assert policy.inputs["spec"] == {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": service}},
            "securityGroups": {"groupIds": [own[service], cluster_sg]},
        }
        deployment = _one(plan, service, "kubernetes:apps/v1:Deployment")
        assert policy.urn in deployment.dependencies


def test_fargate_service_uses_irsa_and_no_network_policy(plan):
    account = plan.one("kubernetes:core/v1:ServiceAccount", "batch-service-account")
    role = plan.one("aws:iam/role:Role", "batch-pod-role")
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": role.outputs["arn"]
    }
    assert (
        json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Action"]
        == "sts:AssumeRoleWithWebIdentity"
    )
    assert not _of(plan, "batch", "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    assert not _of(plan, "batch", "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    pod = plan.one("kubernetes:apps/v1:Deployment", "batch-deployment").inputs["spec"]["template"][
        "spec"
    ]
    assert pod["nodeSelector"] == {"kubernetes.io/arch": "amd64"}


def test_network_policy_admits_the_alb_subnets(plan):
    policy = plan.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-network-policy")
    public = sorted(
        r.inputs["cidrBlock"] for r in plan.of_type("aws:ec2/subnet:Subnet") if "public" in r.name
    )
    cidrs = sorted(b["ipBlock"]["cidr"] for b in policy.inputs["spec"]["ingress"][0]["from"])
    assert len(public) == 3 and cidrs == public


def test_ingress_certificate_alias_and_urls(plan):
    ingress = plan.one("kubernetes:networking.k8s.io/v1:Ingress", "api-ingress")
    notes = ingress.inputs["metadata"]["annotations"]
    validation = plan.one(
        "aws:acm/certificateValidation:CertificateValidation", "api-cert-validation"
    )
    assert (
        notes["alb.ingress.kubernetes.io/certificate-arn"] == validation.outputs["certificateArn"]
    )
    assert notes["alb.ingress.kubernetes.io/group.name"] == SEEN["cluster"].alb_group_name
    web_notes = plan.one("kubernetes:networking.k8s.io/v1:Ingress", "web-ingress").inputs[
        "metadata"
    ]["annotations"]
    web_validation = plan.one(
        "aws:acm/certificateValidation:CertificateValidation", "web-cert-validation"
    )
    assert (
        web_notes["alb.ingress.kubernetes.io/certificate-arn"]
        == web_validation.outputs["certificateArn"]
    )
    assert web_notes["alb.ingress.kubernetes.io/group.order"] == "0"
    alias = plan.one("aws:route53/record:Record", "api-alias")
    assert alias.inputs["name"] == "api.example.com" and alias.inputs["type"] == "A"
    assert SEEN["api_url"] == "https://api.example.com"
    assert SEEN["web_url"] == "https://web.example.com/web/"


def test_metrics_point_at_the_controller_made_alb_and_container_insights(plan):
    assert SEEN["5xx.LoadBalancer"].startswith("app/")
    assert SEEN["5xx.TargetGroup"].startswith("targetgroup/")
    cpu = SEEN["cpu_metric"]
    assert cpu.namespace == "ContainerInsights" and cpu.name == "pod_cpu_utilization_over_pod_limit"
    assert SEEN["cpu.ClusterName"] == "prod-prod" and SEEN["cpu.Namespace"] == "api"


def test_iam_documents_pass_parliament(plan):
    for name in ("api-pod-role", "batch-pod-role", "api-secrets-role", "web-pod-role"):
        doc = plan.one("aws:iam/role:Role", name).inputs["assumeRolePolicy"]
        findings = iam_findings(doc, trust=True)
        if "AssumeRoleWithWebIdentity" in doc:  # IRSA: the cluster's own OIDC provider
            findings = [f for f in findings if not f.startswith("UNKNOWN_FEDERATION_SOURCE")]
        assert findings == [], (name, findings)
    for name in ("api-pod-policy", "api-secrets-policy", "web-secrets-policy"):
        assert (
            iam_findings(reveal(plan.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"]))
            == []
        )


def test_policy_pack_passes(plan):
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()
