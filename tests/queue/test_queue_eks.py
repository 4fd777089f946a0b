"""SqsWorkerQueue on EksCluster: the plan of the EKS worker backend (Deployment scaled by
KEDA, Pod Identity role consuming this queue only, KEDA's own role reading its backlog,
External Secrets for linked databases and caches), and the bad input it refuses before
anything is registered. The manifests themselves are validated in
test_queue_eks_manifests.py."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pytest
from queue_programs import QUEUE, ROLE_POLICY, WORKER_IMAGE, doc

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.catalog import CHART_VERSIONS
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.policy import check_plan
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import SecretValue, preview, reveal
from gridops_infra.testing.validators import iam_findings

COMPONENT = "gridops:aws:SqsWorkerQueue"
TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jobs-token-Zy12Xw"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject"
TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication"
EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret"
ROLE = "aws:iam/role:Role"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
WORKERS = ("jobs", "reports", "batch")

SEEN: dict[str, Any] = {}


def _program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = EksCluster("prod", {"network": net, "spot": True, "fargate_profiles": ["batch"]})
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 1}
    )
    cache = RedisCache("cache", {"network": net, "node_type": "cache.r7g.large", "replicas": 1})
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": cluster,
            "image": WORKER_IMAGE,
            "max_workers": 20,
            "links": [db, cache],
            "secrets": {"API_TOKEN": TOKEN},
        },
    )
    reports = SqsWorkerQueue(
        "reports",
        {
            "platform": cluster,
            "image": WORKER_IMAGE,
            "job_timeout_seconds": 900,
            "min_workers": 1,
            "spot": False,
            "kms_key_arn": KEY,
        },
    )
    # `batch` is a Fargate profile namespace: IRSA, x86_64, no NetworkPolicy, and no Spot
    # without asking (the cluster has a Spot group, but Fargate pods cannot use it).
    batch = SqsWorkerQueue(
        "batch",
        {"platform": cluster, "image": WORKER_IMAGE, "cpu_architecture": "X86_64", "links": [db]},
    )
    api = StatelessService(
        "api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2", "links": [db, cache, jobs]}
    )
    SEEN.update(jobs=jobs, reports=reports, batch=batch, api=api)
    for worker in (jobs, reports, batch):
        pulumi.export(f"{worker.name}_service_name", worker.service_name)
        pulumi.export(f"{worker.name}_security_group_id", worker.security_group_id)
        pulumi.export(f"{worker.name}_task_role_arn", worker.task_role_arn)
        pulumi.export(f"{worker.name}_policies", worker.policy_documents)
    pulumi.export("node_sg", cluster.node_security_group_id)
    pulumi.export("cluster_sg", cluster.cluster_security_group_id)


@pytest.fixture(scope="module")
def plan():
    SEEN.clear()
    return preview(_program, stack="prod")


def _mine(plan, worker: str) -> list:
    root = next(r for r in plan.of_type(COMPONENT) if r.name == worker)
    return plan.descendants_of(root.urn)


def _one(plan, worker: str, token: str):
    found = [r for r in _mine(plan, worker) if r.type == token]
    assert len(found) == 1, (worker, token, [r.name for r in found])
    return found[0]


def _pod(plan, worker: str) -> dict[str, Any]:
    return reveal(_one(plan, worker, DEPLOYMENT).inputs)["spec"]["template"]["spec"]


def test_each_worker_gets_its_kubernetes_objects_on_the_cluster_provider(plan):
    provider = plan.one("pulumi:providers:kubernetes")
    base = {"Namespace", "ServiceAccount", "Deployment", "TriggerAuthentication", "ScaledObject"}
    made = {}
    for worker in WORKERS:
        objects = [r for r in _mine(plan, worker) if r.type.startswith("kubernetes:")]
        for record in objects:
            assert record.provider and record.provider.startswith(provider.urn + "::"), record.name
        made[worker] = {r.type.rsplit(":", 1)[-1] for r in objects}
    secrets = {"SecretStore", "ExternalSecret"}
    # jobs and batch link the database: a SecurityGroupPolicy gives their Pods their group.
    own_group = {"SecurityGroupPolicy"}
    assert made["jobs"] == base | {"NetworkPolicy"} | secrets | own_group
    assert made["reports"] == base | {"NetworkPolicy"}
    # Fargate pods do not enforce NetworkPolicy.
    assert made["batch"] == base | secrets | own_group
    workers = [r for w in WORKERS for r in _mine(plan, w)]
    # No Service, Ingress, HPA (KEDA makes its own), PodDisruptionBudget, nor ECS leftovers.
    assert not [r for r in workers if r.type.startswith(("aws:ecs/", "aws:appautoscaling/"))]
    assert not [r for r in workers if "PodDisruptionBudget" in r.type or "Ingress" in r.type]


def test_deployment_waits_for_identity_and_secrets_and_keda_owns_replicas(plan):
    deployment = _one(plan, "jobs", DEPLOYMENT)
    association = _one(plan, "jobs", "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    synced = [r for r in _mine(plan, "jobs") if r.type == EXTERNAL_SECRET]
    assert association.urn in deployment.dependencies
    assert synced and all(s.urn in deployment.dependencies for s in synced)
    assert deployment.ignore_changes == ["spec.replicas"]
    assert deployment.inputs["spec"]["replicas"] == 0
    keda = plan.one("kubernetes:helm.sh/v3:Release", "prod-keda")
    assert keda.inputs["version"] == CHART_VERSIONS["keda"]
    scaled = _one(plan, "jobs", SCALED_OBJECT)
    auth = _one(plan, "jobs", TRIGGER_AUTH)
    assert {keda.urn, deployment.urn, auth.urn} <= set(scaled.dependencies)
    assert keda.urn in auth.dependencies


def test_scaled_object_tracks_this_queues_backlog_per_task(plan):
    for worker, low, high in (("jobs", 0, 20), ("reports", 1, 10)):
        spec = _one(plan, worker, SCALED_OBJECT).inputs["spec"]
        queue = plan.one(QUEUE, f"{worker}-queue")
        assert spec["scaleTargetRef"]["name"] == worker
        assert (spec["minReplicaCount"], spec["maxReplicaCount"]) == (low, high)
        metadata = spec["triggers"][0]["metadata"]
        target = SEEN[worker].scaling.target_backlog_per_task
        assert metadata["queueLength"] == str(int(target)) == "30"
        assert metadata["queueURL"] == queue.outputs["url"]
        assert metadata["awsRegion"] == "us-east-1" and metadata["scaleOnInFlight"] == "true"
        assert spec["triggers"][0]["authenticationRef"]["name"] == f"{worker}-sqs"


def test_keda_reads_the_backlog_through_its_own_role_and_nothing_else(plan):
    operator = plan.one(ROLE, "prod-keda-role")
    jobs_arn = plan.one(QUEUE, "jobs-queue").outputs["arn"]
    role = plan.one(ROLE, "jobs-keda-role")
    assert role.parent == next(r for r in plan.of_type(COMPONENT) if r.name == "jobs").urn
    assert role.inputs["path"] == "/gridops/prod-prod/keda/"
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust == [
        {
            "Sid": "OperatorAssumes",
            "Effect": "Allow",
            "Principal": {"AWS": operator.outputs["arn"]},
            # The operator's Pod Identity session tags are transitive: STS requires
            # TagSession on the role it chains to, or KEDA's AssumeRole is denied.
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        }
    ]
    policy = doc(plan.one(ROLE_POLICY, "jobs-keda-policy").inputs["policy"])
    assert policy["Statement"] == [
        {
            "Sid": "ReadBacklogOfJobs",
            "Effect": "Allow",
            "Action": ["sqs:GetQueueAttributes"],
            "Resource": [jobs_arn],
        }
    ]
    assert doc(plan.outputs["jobs_policies"]["keda-scaler"]) == policy
    auth = _one(plan, "jobs", TRIGGER_AUTH)
    assert auth.inputs["spec"] == {
        "podIdentity": {"provider": "aws", "roleArn": role.outputs["arn"]}
    }


def _sqs_resources(policy: dict) -> set[str]:
    return {
        r
        for s in policy["Statement"]
        if any(a.startswith("sqs:") for a in s["Action"])
        for r in s["Resource"]
    }


def test_pod_role_consumes_its_own_queue_only(plan):
    arns = {w: plan.one(QUEUE, f"{w}-queue").outputs["arn"] for w in WORKERS}
    for worker in WORKERS:
        policy = doc(plan.outputs[f"{worker}_policies"]["pod"])
        assert _sqs_resources(policy) == {arns[worker]}
        consume = policy["Statement"][0]
        assert consume["Action"] == [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ]
        assert "ecs:" not in json.dumps(policy)  # no task protection on Kubernetes
    reports = doc(plan.outputs["reports_policies"]["pod"])
    decrypt = next(s for s in reports["Statement"] if s["Sid"] == "DecryptReports")
    assert decrypt["Resource"] == [KEY]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}
    }
    trust = json.loads(plan.one(ROLE, "jobs-pod-role").inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "prod-prod",
        "aws:RequestTag/kubernetes-namespace": "jobs",
        "aws:RequestTag/kubernetes-service-account": "jobs",
    }
    assert set(plan.outputs["jobs_policies"]) == {"pod", "keda-scaler", "secrets"}
    assert set(plan.outputs["reports_policies"]) == {"pod", "keda-scaler"}


def test_fargate_namespace_worker_uses_irsa(plan):
    account = plan.one("kubernetes:core/v1:ServiceAccount", "batch-service-account")
    role = plan.one(ROLE, "batch-pod-role")
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": role.outputs["arn"]
    }
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert not [r for r in _mine(plan, "batch") if "podIdentityAssociation" in r.type]
    assert _pod(plan, "batch")["nodeSelector"] == {"kubernetes.io/arch": "amd64"}
    assert "tolerations" not in _pod(plan, "batch")


def test_iam_documents_pass_parliament(plan):
    documents = [d for w in WORKERS for d in plan.outputs[f"{w}_policies"].values()]
    assert len(documents) == 8  # pod + keda-scaler each, secrets for jobs and batch
    for document in documents:
        assert iam_findings(reveal(document)) == [], document
    for worker in WORKERS:
        for suffix in ("pod-role", "keda-role", "secrets-role"):
            found = [r for r in plan.of_type(ROLE) if r.name == f"{worker}-{suffix}"]
            for role in found:
                trust = role.inputs["assumeRolePolicy"]
                findings = iam_findings(trust, trust=True)
                if "AssumeRoleWithWebIdentity" in trust:  # IRSA: the cluster's OIDC provider
                    findings = [f for f in findings if "UNKNOWN_FEDERATION_SOURCE" not in f]
                assert findings == [], (role.name, findings)


def test_pods_get_their_whole_job_timeout_after_sigterm(plan):
    jobs, reports = _pod(plan, "jobs"), _pod(plan, "reports")
    assert jobs["terminationGracePeriodSeconds"] == 60
    assert reports["terminationGracePeriodSeconds"] == 900  # no 120 s cap on Kubernetes
    template = reveal(_one(plan, "reports", DEPLOYMENT).inputs)["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "cluster-autoscaler.kubernetes.io/safe-to-evict": "false"
    }
    env = {e["name"]: e.get("value") for e in reports["containers"][0]["env"]}
    assert env["QUEUE_URL"] == plan.one(QUEUE, "reports-queue").outputs["url"]
    assert env["JOB_TIMEOUT_SECONDS"] == "900"
    assert "ports" not in reports["containers"][0]
    strategy = _one(plan, "reports", DEPLOYMENT).inputs["spec"]["strategy"]
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def _secret_strings(value: Any, inside: bool = False) -> list[str]:
    """Every string held in a SecretValue anywhere in `value`."""
    if isinstance(value, SecretValue):
        return _secret_strings(value.value, True)
    if isinstance(value, dict):
        return [s for v in value.values() for s in _secret_strings(v, inside)]
    if isinstance(value, list):
        return [s for v in value for s in _secret_strings(v, inside)]
    return [value] if inside and isinstance(value, str) else []


def test_secrets_never_appear_as_plain_values(plan):
    # The generated credentials (the Redis AUTH token; its URLs contain it).
    secrets = {
        s
        for r in plan.of_type("random:index/randomPassword:RandomPassword")
        for s in _secret_strings(r.outputs)
    }
    assert len(secrets) == 1 and len(next(iter(secrets))) >= 16
    manifests = [
        json.dumps(reveal(r.inputs))
        for w in WORKERS
        for r in _mine(plan, w)
        if r.type.startswith("kubernetes:")
    ]
    for manifest in manifests:
        assert not [s for s in secrets if s in manifest]
    env = _pod(plan, "jobs")["containers"][0]["env"]
    by_name = {e["name"]: e for e in env}
    for name in (
        "API_TOKEN",
        "DATABASE_PASSWORD",
        "DATABASE_USER",
        "REDIS_AUTH_TOKEN",
        "REDIS_URL",
    ):
        assert "value" not in by_name[name] and by_name[name]["valueFrom"]["secretKeyRef"]
    assert "arn:aws:secretsmanager" not in json.dumps(env)


def _synced(plan, owner: str, component: str) -> dict[str, Any]:
    root = next(r for r in plan.of_type(component) if r.name == owner)
    found = [r for r in plan.descendants_of(root.urn) if r.type == EXTERNAL_SECRET]
    assert len(found) == 1, [r.name for r in found]
    return {d["secretKey"]: d["remoteRef"] for d in reveal(found[0].inputs)["spec"]["data"]}


def test_linked_database_and_cache_secrets_sync_as_for_a_service(plan):
    worker = _synced(plan, "jobs", COMPONENT)
    service = _synced(plan, "api", "gridops:aws:StatelessService")
    assert service and {k: v for k, v in worker.items() if k != "API_TOKEN"} == service
    assert worker["API_TOKEN"] == {"key": TOKEN}
    reader = plan.one(ROLE, "jobs-secrets-role")
    assert reader.inputs["path"] == "/gridops/prod-prod/external-secrets/"
    store = _one(plan, "jobs", "kubernetes:external-secrets.io/v1:SecretStore")
    assert store.inputs["spec"]["provider"]["aws"]["auth"] == {
        "jwt": {"serviceAccountRef": {"name": "jobs-secrets-reader"}}
    }
    policy = doc(plan.one(ROLE_POLICY, "jobs-secrets-policy").inputs["policy"])
    read = next(s for s in policy["Statement"] if s["Sid"] == "ReadSecrets")
    assert TOKEN in read["Resource"] and len(read["Resource"]) == 3  # token, db, cache
    api_read = next(
        s
        for s in doc(plan.one(ROLE_POLICY, "api-secrets-policy").inputs["policy"])["Statement"]
        if s["Sid"] == "ReadSecrets"
    )
    assert set(api_read["Resource"]) == set(read["Resource"]) - {TOKEN}


def test_links_admit_each_workloads_own_group_and_outputs(plan):
    node_sg, cluster_sg = plan.outputs["node_sg"], plan.outputs["cluster_sg"]
    own = {
        name: plan.one("aws:ec2/securityGroup:SecurityGroup", f"{name}-pod-sg").id
        for name in ("jobs", "batch", "api")
    }
    expected = {
        "db": {own["jobs"], own["batch"], own["api"]},
        "cache": {own["jobs"], own["api"]},
    }
    for resource, groups in expected.items():
        rules = [
            r.inputs["referencedSecurityGroupId"]
            for r in plan.of_type(INGRESS_RULE)
            if r.name.startswith(f"{resource}-")
        ]
        # One rule per linking workload (batch on Fargate too), none for the nodes.
        assert sorted(rules) == sorted(groups), resource
        assert node_sg not in rules and cluster_sg not in rules
    assert plan.outputs["jobs_service_name"] == "jobs"
    assert plan.outputs["jobs_security_group_id"] == own["jobs"]
    assert plan.outputs["batch_security_group_id"] == own["batch"]
    # reports links nothing behind a security group: its Pods keep the nodes' group.
    assert plan.outputs["reports_security_group_id"] == node_sg
    assert plan.outputs["jobs_task_role_arn"] == plan.one(ROLE, "jobs-pod-role").outputs["arn"]
    assert SEEN["jobs"].task_role.urn  # a Resource another queue's grant_send can target


def test_policy_pack_passes(plan):
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


# --- bad input -----------------------------------------------------------------------------

BAD: list[tuple[str, str, dict[str, Any], str]] = [
    ("no-keda", "plain", {}, r"platform=EksCluster 'plain' .*keda=False"),
    ("protected", "prod", {"task_protection": True}, r"task_protection=True .*FargateCluster"),
    ("spotty", "plain", {"spot": True}, r"spot=True .*no Spot node group"),
    ("batch", "prod", {"spot": True}, r"spot=True .*'batch' runs on EKS Fargate"),
    ("rooted", "prod", {"user": "root"}, r"user='root' .*numeric non-root"),
    ("based", "prod", {"on_demand_base": 1}, r"on_demand_base=1 .*Spot node group"),
    ("intel", "prod", {"cpu_architecture": "X86_64"}, r"cpu_architecture='X86_64' .*arm64"),
    (
        "rollback",
        "prod",
        {"rollback_alarm_names": ["jobs-errors"]},
        r"rollback_alarm_names=True .*ECS deployment feature",
    ),
    ("secretive", "prod", {"secrets": {"TOKEN": TOKEN}}, r"secrets='set' .*external_secrets"),
]


@pytest.fixture(scope="module")
def refused():
    errors: dict[str, str] = {}

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        clusters = {
            "plain": EksCluster(
                "plain", {"network": net, "keda": False, "external_secrets": False}
            ),
            "prod": EksCluster(
                "prod",
                {
                    "network": net,
                    "spot": True,
                    "fargate_profiles": ["batch"],
                    "external_secrets": False,
                },
            ),
        }
        for name, cluster, extra, _ in BAD:
            args = {"platform": clusters[cluster], "image": WORKER_IMAGE, **extra}
            try:
                SqsWorkerQueue(name, args)
            except ValueError as exc:
                errors[name] = str(exc)

    return preview(program, stack="prod"), errors


@pytest.mark.parametrize("case", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_the_field(refused, case):
    name, _, _, pattern = case
    _, errors = refused
    assert name in errors, f"{case} was accepted"
    assert errors[name].startswith(f"SqsWorkerQueue '{name}'"), errors[name]
    assert re.search(pattern, errors[name]), errors[name]


def test_refused_workers_register_nothing(refused):
    plan, errors = refused
    assert len(errors) == len(BAD)
    assert plan.of_type(COMPONENT) == [] and plan.of_type(QUEUE) == []
    names = tuple(f"{b[0]}-" for b in BAD)
    assert [r.name for r in plan.resources if r.name.startswith(names)] == []
    assert plan.of_type(SCALED_OBJECT) == [] and plan.of_type(DEPLOYMENT) == []


@pytest.mark.parametrize("worker", ["jobs", "batch"])  # on nodes, and in a Fargate namespace
def test_secrets_reader_role_trusts_only_the_workers_reader_account(plan, worker):
    """ESO gets the reader role with a token of the worker's reader ServiceAccount, never
    by assuming it from its own role: the trust is the cluster's OIDC provider, for that
    namespace and ServiceAccount only."""
    cluster = plan.one("gridops:aws:EksCluster").outputs
    reader = plan.one(ROLE, f"{worker}-secrets-role")
    host = cluster["oidc_issuer"].removeprefix("https://")
    assert json.loads(reader.inputs["assumeRolePolicy"])["Statement"] == [
        {
            "Sid": "ServiceAccountToken",
            "Effect": "Allow",
            "Principal": {"Federated": cluster["oidc_provider_arn"]},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{host}:aud": "sts.amazonaws.com",
                    f"{host}:sub": f"system:serviceaccount:{worker}:{worker}-secrets-reader",
                }
            },
        }
    ]
    account = plan.one("kubernetes:core/v1:ServiceAccount", f"{worker}-secrets-reader")
    assert account.parent == next(r for r in plan.of_type(COMPONENT) if r.name == worker).urn
    assert account.inputs["automountServiceAccountToken"] is False
    assert account.inputs["metadata"]["namespace"] == worker
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": reader.outputs["arn"]
    }
    store = _one(plan, worker, "kubernetes:external-secrets.io/v1:SecretStore")
    assert account.urn in store.dependencies
    assert "role" not in store.inputs["spec"]["provider"]["aws"]
    # No pod runs as the reader account.
    assert _pod(plan, worker)["serviceAccountName"] == worker
