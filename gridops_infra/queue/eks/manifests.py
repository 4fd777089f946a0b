"""The Kubernetes objects of an SqsWorkerQueue worker on EKS, rendered as plain manifest
dicts (pure, so the tests validate each with `kubernetes-validate --strict`, checkov and
KEDA's own API schemas).

The pod is a StatelessService pod (`service.eks_manifests.pod_spec`: Pod Security
"restricted", zone spread, Spot toleration, scratch volumes, synced secrets) with three
differences: the app container has no port and no HTTP probes (nothing routes to a
worker; an exec liveness probe when `container_health_check_command` is given), the
grace period after SIGTERM is the job timeout, and KEDA owns the replica count.

Scaling: a KEDA ScaledObject with the `aws-sqs-queue` trigger. KEDA reads
`ApproximateNumberOfMessages` + `ApproximateNumberOfMessagesNotVisible` (scaleOnInFlight:
jobs in progress count, so workers busy with them are not scaled in) and asks the HPA for
`ceil(messages / queueLength)` pods, `queueLength` being the target backlog per task of
gridops_infra.queue.scaling; KEDA itself wakes the Deployment from zero on the first
message. It reads the queue with a role only it may assume (TriggerAuthentication
`podIdentity.roleArn`), allowed sqs:GetQueueAttributes on this queue alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.scaling import BacklogScaling
from gridops_infra.service.eks.manifests import (
    RESTRICTED_PODS,
    Resolved,
    labels,
    pod_spec,
    pod_template_annotations,
    selector,
    service_account,
)
from gridops_infra.service.eks.pods import app_container, exec_command, split_resources
from gridops_infra.service.spec.settings import ServiceSpec

KEDA_API_VERSION = "keda.sh/v1alpha1"
SQS_TRIGGER = "aws-sqs-queue"
POLLING_INTERVAL_SECONDS = 15
"""How often KEDA reads the queue (one GetQueueAttributes call; ~$0.07 a month)."""
HEALTH_CHECK_PERIOD_SECONDS = 15  # as the ECS health check of the Fargate worker
CLUSTER_AUTOSCALER_GRACE_SECONDS = 600
"""Cluster Autoscaler's default `--max-graceful-termination-sec`: when it drains a node to
remove it, it kills pods after this long whatever their grace period."""
SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict"
DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt"
"""Karpenter's equivalent: it does not voluntarily remove a node running such a pod."""
COMPONENT_LABEL = "app.kubernetes.io/component"
LISTENER_KEYS = ("ports", "startupProbe", "readinessProbe", "livenessProbe", "lifecycle")


@dataclass(frozen=True)
class QueueTarget:
    """What KEDA needs to read the queue (every Output resolved)."""

    queue_url: str
    region: str
    scaler_role_arn: str
    """The role KEDA assumes for this queue (EksCluster.keda_scaler_role)."""


def worker_labels(spec: ServiceSpec) -> dict[str, str]:
    return {**labels(spec), COMPONENT_LABEL: "queue-worker"}


def _meta(spec: ServiceSpec, r: Resolved, name: str | None = None) -> dict[str, Any]:
    return {"name": name or spec.name, "namespace": r.namespace, "labels": worker_labels(spec)}


def queue_length(scaling: BacklogScaling) -> str:
    """KEDA's `queueLength` (an integer): the target backlog per task, rounded down so a
    fractional target (300 s / 7 s = 42.9) errs towards one more worker, at least 1."""
    return str(max(1, math.floor(scaling.target_backlog_per_task + 1e-9)))


def namespace(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """Pod Security Admission enforces "restricted" (no ALB readiness gates: nothing
    routes to a worker)."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": r.namespace,
            "labels": {
                **worker_labels(spec),
                **RESTRICTED_PODS,
            },
        },
    }


def worker_container(spec: ServiceSpec, r: Resolved, resources: dict[str, Any]) -> dict[str, Any]:
    """A service's app container (image, resources, security context, env, scratch
    mounts) without what serves traffic: no port, HTTP probes or preStop pause."""
    container = app_container(spec, r.image, r.environment, r.secret_refs, resources)
    for key in LISTENER_KEYS:
        container.pop(key, None)
    if spec.container_health_check_command:
        container["livenessProbe"] = {
            "exec": {"command": exec_command(spec.container_health_check_command)},
            "initialDelaySeconds": spec.health_check_grace_period_seconds,
            "periodSeconds": HEALTH_CHECK_PERIOD_SECONDS,
            "timeoutSeconds": 5,
            "failureThreshold": 3,
        }
    return container


def deployment(
    spec: ServiceSpec,
    r: Resolved,
    settings: QueueSettings,
    node_autoscaler: str = "cluster-autoscaler",
) -> dict[str, Any]:
    """The workers. After SIGTERM a pod has `job_timeout_seconds` to finish its job (no
    120 s cap as on Fargate) before SIGKILL, on scale-in, rollouts and node drains alike;
    rollouts start new pods before stopping old ones. `node_autoscaler` is the cluster's
    (`EksCluster.settings.node_autoscaler`): it picks the annotation that keeps it from
    emptying a node under a long job."""
    pod = pod_spec(spec, r)
    app_resources, _ = split_resources(spec)
    pod["containers"][0] = worker_container(spec, r, app_resources)
    pod["terminationGracePeriodSeconds"] = settings.job_timeout_seconds
    template_meta: dict[str, Any] = {"labels": worker_labels(spec)}
    if settings.job_timeout_seconds > CLUSTER_AUTOSCALER_GRACE_SECONDS and not r.on_fargate:
        # Cluster Autoscaler would cut a longer job short when it empties a node; it leaves
        # nodes running such workers alone (KEDA scales the workers in first).
        # Karpenter reads its own annotation (it waits for such pods instead).
        if node_autoscaler in ("karpenter", "auto-mode"):  # Auto Mode runs Karpenter
            template_meta["annotations"] = {DO_NOT_DISRUPT: "true"}
        else:
            template_meta["annotations"] = {SAFE_TO_EVICT: "false"}
    if group := pod_template_annotations(r):
        template_meta["annotations"] = {**template_meta.get("annotations", {}), **group}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(spec, r),
        "spec": {
            "replicas": settings.scaling.min_workers,
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": selector(spec)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"},
            },
            "template": {"metadata": template_meta, "spec": pod},
        },
    }


def network_policy(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """No ingress at all: a worker pulls its jobs and serves nothing (exec probes need no
    network). Egress is not restricted here, as for services."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(spec, r),
        "spec": {"podSelector": {"matchLabels": selector(spec)}, "policyTypes": ["Ingress"]},
    }


def trigger_authentication_name(spec: ServiceSpec) -> str:
    return f"{spec.name}-sqs"


def trigger_authentication(spec: ServiceSpec, r: Resolved, target: QueueTarget) -> dict[str, Any]:
    """KEDA reads the queue as the role made for it (its operator role may assume only
    roles under its IAM path); `roleArn` and `identityOwner` exclude each other."""
    return {
        "apiVersion": KEDA_API_VERSION,
        "kind": "TriggerAuthentication",
        "metadata": _meta(spec, r, trigger_authentication_name(spec)),
        "spec": {"podIdentity": {"provider": "aws", "roleArn": target.scaler_role_arn}},
    }


def scaled_object(
    spec: ServiceSpec, r: Resolved, scaling: BacklogScaling, target: QueueTarget
) -> dict[str, Any]:
    """Backlog per task on the Deployment, from `min_workers` (0: KEDA scales to zero
    `scale_in_cooldown_seconds` after the queue empties) to `max_workers`. Scale-in waits
    `scale_in_cooldown_seconds` of lower need; scale-out is Kubernetes' default (double,
    or +4 pods, per period) with the period set to `scale_out_cooldown_seconds`."""
    period = min(max(scaling.scale_out_cooldown_seconds, 15), 1800)
    meta = _meta(spec, r)
    # `pulumi up` waits until KEDA has accepted the trigger and its authentication.
    meta["annotations"] = {"pulumi.com/waitFor": "condition=Ready"}
    return {
        "apiVersion": KEDA_API_VERSION,
        "kind": "ScaledObject",
        "metadata": meta,
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": spec.name},
            "pollingInterval": POLLING_INTERVAL_SECONDS,
            "cooldownPeriod": scaling.scale_in_cooldown_seconds,
            "minReplicaCount": scaling.min_workers,
            "maxReplicaCount": scaling.max_workers,
            "advanced": {
                "horizontalPodAutoscalerConfig": {
                    "behavior": {
                        "scaleDown": {
                            "stabilizationWindowSeconds": scaling.scale_in_cooldown_seconds
                        },
                        "scaleUp": {
                            "stabilizationWindowSeconds": 0,
                            "selectPolicy": "Max",
                            "policies": [
                                {"type": "Percent", "value": 100, "periodSeconds": period},
                                {"type": "Pods", "value": 4, "periodSeconds": period},
                            ],
                        },
                    }
                }
            },
            "triggers": [
                {
                    "type": SQS_TRIGGER,
                    "name": "backlog",
                    "metricType": "AverageValue",
                    "authenticationRef": {
                        "name": trigger_authentication_name(spec),
                        "kind": "TriggerAuthentication",
                    },
                    "metadata": {
                        "queueURL": target.queue_url,
                        "queueLength": queue_length(scaling),
                        "activationQueueLength": "0",
                        "awsRegion": target.region,
                        "scaleOnInFlight": "true",
                        "scaleOnDelayed": "false",
                    },
                }
            ],
        },
    }


def worker_manifests(
    spec: ServiceSpec,
    r: Resolved,
    settings: QueueSettings,
    target: QueueTarget,
    node_autoscaler: str = "cluster-autoscaler",
) -> dict[str, dict[str, Any]]:
    """Every Kubernetes object of the worker, by role. No PodDisruptionBudget: workers are
    interchangeable and an eviction gives each its full grace period to finish its job,
    while a budget would make node drains and upgrades wait job after job."""
    out = {
        "namespace": namespace(spec, r),
        "service_account": service_account(spec, r),
        "deployment": deployment(spec, r, settings, node_autoscaler),
        "trigger_authentication": trigger_authentication(spec, r, target),
        "scaled_object": scaled_object(spec, r, settings.scaling, target),
    }
    if not r.on_fargate:  # Fargate pods do not enforce NetworkPolicy
        out["network_policy"] = network_policy(spec, r)
    return out


__all__ = [
    "KEDA_API_VERSION",
    "QueueTarget",
    "queue_length",
    "scaled_object",
    "trigger_authentication",
    "worker_manifests",
]
