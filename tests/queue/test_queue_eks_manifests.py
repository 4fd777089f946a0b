"""The Kubernetes manifests of an SqsWorkerQueue worker on EKS, validated with real tools.

- Built-in kinds (Namespace, ServiceAccount, Deployment, NetworkPolicy): `kubernetes-validate
  --strict` for every EKS version gridops accepts, and checkov's Kubernetes framework (one
  run for the module) with named, justified skips.
- KEDA's ScaledObject and TriggerAuthentication: kubernetes-validate has no CRD schemas, so
  they are validated against KEDA's API schemas as published on npm in
  `@kubernetes-models/keda` 2.0.0 (validators generated from KEDA v2.19.0's API types;
  `scripts/setup-dev` installs it into `.venv/npm/keda`), run with Node.js. No npm
  package publishes them for 2.18, the version EksCluster's KEDA chart (2.18.1) runs; the
  fields used here are the same in both. Those schemas type the trigger's `metadata` as a
  string map only, so its keys are checked against the `aws-sqs-queue` scaler's parameter
  names (KEDA 2.18 `awsSqsQueueMetadata`), and the values asserted field by field.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gridops_infra.core.validation import ArgReader
from gridops_infra.platforms.eks.catalog import KUBERNETES_VERSIONS
from gridops_infra.queue.args import QueueSettings, SqsWorkerQueueArgs, read_settings, worker_spec
from gridops_infra.queue.eks.manifests import (
    SAFE_TO_EVICT,
    QueueTarget,
    queue_length,
    worker_manifests,
)
from gridops_infra.service.eks.manifests import Resolved
from gridops_infra.service.spec.settings import ServiceSpec

CHECKOV = Path(sys.executable).parent / "checkov"
IMAGE = "ghcr.io/acme/worker:1.4.2"
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-queue-1a2b3c4"
SCALER_ROLE = "arn:aws:iam::123456789012:role/gridops/prod-prod/keda/jobs-keda-role-1a2b3c4"
TARGET = QueueTarget(QUEUE_URL, "us-east-1", SCALER_ROLE)
BUILT_IN = ("namespace", "service_account", "deployment", "network_policy")
KEDA_KINDS = ("trigger_authentication", "scaled_object")
# The aws-sqs-queue scaler's trigger parameters in KEDA 2.18 (`awsSqsQueueMetadata` plus
# the AWS authorization parameters it reads from the same map).
SQS_TRIGGER_PARAMETERS = {
    "queueURL",
    "queueURLFromEnv",
    "queueLength",
    "activationQueueLength",
    "awsRegion",
    "awsEndpoint",
    "scaleOnInFlight",
    "scaleOnDelayed",
    "identityOwner",
    "awsAccessKeyID",
    "awsSecretAccessKey",
    "awsSessionToken",
    "awsRoleArn",
}

# checkov findings accepted for the worker manifests, each for a stated reason:
SKIPPED_CHECKS = {
    # As for services: the spec deploys the image reference the user gives (tags such as
    # ghcr.io/acme/worker:1.4.2 in the API contract); a digest reference is rendered as is.
    "CKV_K8S_43",
    # As for services: secrets are env vars read from the Secret External Secrets syncs
    # (one spec runs on ECS, where secrets are env vars, and on EKS alike), never values.
    "CKV_K8S_35",
    # Readiness probe: nothing routes to a worker (no Service, no port), so readiness gates
    # nothing; a worker that cannot work fails its liveness probe or exits.
    "CKV_K8S_9",
}
# Without `user` the image's own non-root user applies (as for services); without
# `container_health_check_command` a worker has nothing to probe (it serves nothing: a
# crashed worker exits and is restarted). The health-checked, high-uid variant passes both
# (test_checkov_with_a_user_and_health_check_passes_them).
SKIPPED_WITHOUT_USER_OR_HEALTH_CHECK = {"CKV_K8S_40", "CKV_K8S_8"}


def _worker(spot: bool = False, **args: Any) -> tuple[ServiceSpec, QueueSettings]:
    """The worker spec and settings exactly as SqsWorkerQueue reads them on an EksCluster
    (a stand-in with or without a Spot node group)."""
    cluster = SimpleNamespace(kind="eks", settings=SimpleNamespace(spot=object() if spot else None))
    a = ArgReader(
        "SqsWorkerQueue", "jobs", {"image": IMAGE, **args}, SqsWorkerQueueArgs.__annotations__
    )
    settings = read_settings(a, cluster)  # type: ignore[arg-type]
    return worker_spec("jobs", a, settings), settings


def _resolved(spec: ServiceSpec, settings: QueueSettings, **overrides: Any) -> Resolved:
    values: dict[str, Any] = {
        "namespace": "jobs",
        "image": IMAGE,
        "environment": {
            "AWS_REGION": "us-east-1",
            "QUEUE_URL": QUEUE_URL,
            "JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
            "DB_HOST": "db.cluster-abc.us-east-1.rds.amazonaws.com",
        },
        "secret_refs": {"DB_PASSWORD": ("app-secrets", "DB_PASSWORD")},
        "sidecar_images": [s.image for s in spec.containers],
        "sidecar_environment": [{} for _ in spec.containers],
        "sidecar_secret_refs": [{} for _ in spec.containers],
        "spot": spec.spot is not None,
        **overrides,
    }
    return Resolved(**values)


def _manifests(spot: bool = False, resolved: dict[str, Any] | None = None, **args: Any):
    spec, settings = _worker(spot, **args)
    return worker_manifests(spec, _resolved(spec, settings, **(resolved or {})), settings, TARGET)


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict[str, Any]]:
    return _manifests(spot=True, max_workers=20)


def _variants() -> dict[str, dict[str, dict[str, Any]]]:
    """Every shape a worker's manifests take: on Fargate, with a sidecar and a health
    check, with a user and a long job timeout."""
    sidecar = {
        "name": "proxy",
        "image": "envoyproxy/envoy:v1.31.0",
        "cpu": 128,
        "memory": 128,
        "app_waits_for": "healthy",
        "health_check_command": ["CMD", "/usr/local/bin/envoy", "--version"],
    }
    return {
        "fargate": _manifests(resolved={"on_fargate": True}, cpu_architecture="X86_64"),
        "sidecar-health": _manifests(
            containers=[sidecar],
            cpu=512,
            memory=1024,
            container_health_check_command=["CMD-SHELL", "test -f /tmp/alive"],
        ),
        "user-long-jobs": _manifests(
            user="10001:10001", job_timeout_seconds=3600, min_workers=2, max_workers=50
        ),
    }


@pytest.mark.parametrize("version", sorted(KUBERNETES_VERSIONS))
def test_built_in_manifests_pass_kubernetes_validate_strict(manifests, version):
    assert f"{version}.0" in kubernetes_validate.utils.all_versions()
    sets = [manifests, *_variants().values()]
    checked = 0
    for out in sets:
        for role in BUILT_IN:
            if role in out:
                kubernetes_validate.validate(out[role], f"{version}.0", strict=True)
                checked += 1
    assert checked == 4 * len(sets) - 1  # the Fargate variant has no NetworkPolicy


def test_a_wrong_deployment_is_caught_by_the_validator(manifests):
    broken = copy.deepcopy(manifests["deployment"])
    broken["spec"]["template"]["spec"]["terminationGracePeriod"] = 60
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.35.0", strict=True)


def test_keda_kinds_are_not_in_kubernetes_validate(manifests):
    for role in KEDA_KINDS:
        with pytest.raises(kubernetes_validate.SchemaNotFoundError):
            kubernetes_validate.validate(manifests[role], "1.35.0", strict=True)


# --- checkov -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checkov_findings(manifests, tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    """checkov once, without skips, over the default worker and the variant with a user
    and a health check; set name -> {"passed": [...], "failed": [...]} ("CHECK_ID /file")."""
    folder = tmp_path_factory.mktemp("checkov")
    sets = {"default": manifests, "user-health": _high_uid_health_checked()}
    for set_name, out in sets.items():
        for role in BUILT_IN:
            (folder / f"{set_name}--{role}.yaml").write_text(yaml.safe_dump(out[role]))
    command = [str(CHECKOV), "-d", str(folder), "--framework", "kubernetes", "-o", "json",
               "--skip-download"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    found: dict[str, dict[str, list[str]]] = {name: {"passed": [], "failed": []} for name in sets}
    for outcome in ("passed", "failed"):
        for check in report["results"][f"{outcome}_checks"]:
            set_name = Path(check["file_path"]).name.split("--")[0]
            found[set_name][outcome].append(f"{check['check_id']} {check['file_path']}")
    return found


def _high_uid_health_checked() -> dict[str, dict[str, Any]]:
    return _manifests(
        user="10001:10001", container_health_check_command=["CMD", "/app/healthcheck"]
    )


def _failed(findings: dict[str, list[str]], skipped: set[str]) -> list[str]:
    passed = [p for p in findings["passed"] if p.split()[0] not in skipped]
    assert len(passed) > 50, findings
    return [f for f in findings["failed"] if f.split()[0] not in skipped]


def test_checkov_reports_no_failed_check(checkov_findings):
    skipped = SKIPPED_CHECKS | SKIPPED_WITHOUT_USER_OR_HEALTH_CHECK
    assert _failed(checkov_findings["default"], skipped) == []


def test_checkov_with_a_user_and_health_check_passes_them(checkov_findings):
    assert _failed(checkov_findings["user-health"], SKIPPED_CHECKS) == []


def test_checkov_without_skips_names_only_the_documented_checks(checkov_findings):
    failed = {f.split()[0] for f in _failed(checkov_findings["default"], set())}
    assert failed == SKIPPED_CHECKS | SKIPPED_WITHOUT_USER_OR_HEALTH_CHECK


# --- KEDA's schemas ------------------------------------------------------------------------


# Validates each manifest of a JSON list with the model class of its kind; prints one
# result per manifest: null when valid, else the validator's message.
@pytest.fixture(scope="module")
def keda_schema_errors(kubernetes_models):
    """KEDA's published API schemas (npm `@kubernetes-models/keda` 2.0.0, KEDA v2.19)."""
    return kubernetes_models("keda", "2.0.0", {"keda.sh/v1alpha1": "keda.sh/v1alpha1/index.js"})


@pytest.fixture(scope="module")
def keda_results(manifests, keda_schema_errors):
    """One Node.js run: every worker's KEDA objects, then deliberately broken copies."""
    good = [out[role] for out in [manifests, *_variants().values()] for role in KEDA_KINDS]
    broken_count = copy.deepcopy(manifests["scaled_object"])
    broken_count["spec"]["minReplicaCount"] = "zero"
    broken_metadata = copy.deepcopy(manifests["scaled_object"])
    broken_metadata["spec"]["triggers"][0]["metadata"]["queueLength"] = 30  # must be a string
    broken_target = copy.deepcopy(manifests["scaled_object"])
    del broken_target["spec"]["scaleTargetRef"]["name"]
    broken_provider = copy.deepcopy(manifests["trigger_authentication"])
    broken_provider["spec"]["podIdentity"]["provider"] = "aws-iam"
    broken = [broken_count, broken_metadata, broken_target, broken_provider]
    results = keda_schema_errors([*good, *broken])
    return results[: len(good)], results[len(good) :]


def test_scaled_object_and_trigger_authentication_pass_keda_schemas(keda_results):
    good, _ = keda_results
    assert len(good) == 8
    assert good == [None] * len(good)


def test_keda_schemas_catch_broken_objects(keda_results):
    _, broken = keda_results
    assert all(broken), broken
    assert "minReplicaCount must be integer" in broken[0]
    assert "queueLength must be string" in broken[1]
    assert "name" in broken[2]
    assert "provider must be equal to one of the allowed values" in broken[3]


# --- what the worker is --------------------------------------------------------------------


def test_scaled_object_tracks_backlog_per_task_on_the_deployment(manifests):
    _, settings = _worker(spot=True, max_workers=20)
    scaled = manifests["scaled_object"]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    spec = scaled["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "jobs"}
    assert manifests["deployment"]["metadata"]["name"] == "jobs"
    assert (spec["minReplicaCount"], spec["maxReplicaCount"]) == (0, 20)
    assert spec["cooldownPeriod"] == settings.scaling.scale_in_cooldown_seconds == 300
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "aws-sqs-queue"
    assert trigger["authenticationRef"] == {"name": "jobs-sqs", "kind": "TriggerAuthentication"}
    metadata = trigger["metadata"]
    assert set(metadata) <= SQS_TRIGGER_PARAMETERS
    assert all(isinstance(v, str) for v in metadata.values())
    assert metadata["queueURL"] == QUEUE_URL and metadata["awsRegion"] == "us-east-1"
    assert metadata["scaleOnInFlight"] == "true"
    # 300 s acceptable latency / 10 s per job (the defaults) = 30 messages per task.
    assert settings.scaling.target_backlog_per_task == 30
    assert metadata["queueLength"] == "30"
    behavior = spec["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]
    assert behavior["scaleDown"] == {"stabilizationWindowSeconds": 300}
    assert {p["periodSeconds"] for p in behavior["scaleUp"]["policies"]} == {60}


def test_queue_length_equals_the_target_backlog_per_task_rounded_down():
    _, settings = _worker(acceptable_latency_seconds=600, seconds_per_job=2)
    assert (
        settings.scaling.target_backlog_per_task == 300 and queue_length(settings.scaling) == "300"
    )
    _, settings = _worker(acceptable_latency_seconds=300, seconds_per_job=7)
    assert queue_length(settings.scaling) == "42"  # 42.86: one worker more, never fewer
    _, settings = _worker(acceptable_latency_seconds=1, seconds_per_job=0.9)
    assert queue_length(settings.scaling) == "1"


def test_trigger_authentication_uses_the_scaler_role():
    out = _manifests()
    assert out["trigger_authentication"]["metadata"]["name"] == "jobs-sqs"
    assert out["trigger_authentication"]["spec"] == {
        "podIdentity": {"provider": "aws", "roleArn": SCALER_ROLE}
    }


def test_worker_pod_is_restricted_portless_and_waits_for_its_job(manifests):
    deployment = manifests["deployment"]["spec"]
    assert deployment["replicas"] == 0
    assert deployment["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    pod = deployment["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] == 60
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    (app,) = pod["containers"]
    assert not {"ports", "startupProbe", "readinessProbe", "livenessProbe", "lifecycle"} & set(app)
    assert app["securityContext"]["allowPrivilegeEscalation"] is False
    assert app["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert app["securityContext"]["readOnlyRootFilesystem"] is True
    assert (
        app["resources"]["requests"]
        == app["resources"]["limits"]
        == {"cpu": "250m", "memory": "512Mi"}
    )
    keys = [c["topologyKey"] for c in pod["topologySpreadConstraints"]]
    assert keys == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
    assert pod["tolerations"][0]["key"] == "gridops.io/capacity"  # Spot group: tolerated, preferred
    assert "annotations" not in deployment["template"]["metadata"]


def test_environment_has_the_queue_and_secrets_only_as_references(manifests):
    app = manifests["deployment"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in app["env"]}
    assert env["QUEUE_URL"]["value"] == QUEUE_URL
    assert env["JOB_TIMEOUT_SECONDS"]["value"] == "60"
    assert env["DB_PASSWORD"] == {
        "name": "DB_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "app-secrets", "key": "DB_PASSWORD"}},
    }
    rendered = json.dumps(manifests)
    assert "arn:aws:secretsmanager" not in rendered


def test_long_jobs_get_their_whole_timeout_beyond_120_seconds():
    out = _variants()["user-long-jobs"]
    template = out["deployment"]["spec"]["template"]
    assert template["spec"]["terminationGracePeriodSeconds"] == 3600
    # Longer than Cluster Autoscaler's drain limit: it leaves nodes running such pods.
    assert template["metadata"]["annotations"] == {SAFE_TO_EVICT: "false"}
    assert out["deployment"]["spec"]["replicas"] == 2
    assert out["scaled_object"]["spec"]["minReplicaCount"] == 2
    env = {e["name"]: e.get("value") for e in template["spec"]["containers"][0]["env"]}
    assert env["JOB_TIMEOUT_SECONDS"] == "3600"
    short = _manifests(job_timeout_seconds=300)
    assert short["deployment"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 300


def test_health_check_command_becomes_an_exec_liveness_probe():
    pod = _variants()["sidecar-health"]["deployment"]["spec"]["template"]["spec"]
    app = pod["containers"][0]
    assert app["livenessProbe"]["exec"] == {"command": ["/bin/sh", "-c", "test -f /tmp/alive"]}
    assert "readinessProbe" not in app and "ports" not in app
    assert pod["initContainers"][0]["name"] == "proxy"  # native sidecar, as for services


def test_network_policy_denies_all_ingress_and_no_budget(manifests):
    policy = manifests["network_policy"]["spec"]
    assert policy == {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "jobs"}},
        "policyTypes": ["Ingress"],
    }
    assert set(manifests) == {*BUILT_IN, *KEDA_KINDS}  # no PodDisruptionBudget, Service, HPA
    assert "network_policy" not in _variants()["fargate"]


def test_namespace_enforces_restricted_without_readiness_gates(manifests):
    labels = manifests["namespace"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert "elbv2.k8s.aws/pod-readiness-gate-inject" not in labels
    assert manifests["service_account"]["automountServiceAccountToken"] is False
