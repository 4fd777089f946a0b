"""An SqsWorkerQueue worker with long jobs keeps its node: Cluster Autoscaler reads
`cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`, Karpenter reads
`karpenter.sh/do-not-disrupt: "true"`; the worker carries the one its cluster's
autoscaler reads (`EksCluster.settings.node_autoscaler`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import kubernetes_validate
import pytest

from gridops_infra.core.validation import ArgReader
from gridops_infra.queue.args import SqsWorkerQueueArgs, read_settings, worker_spec
from gridops_infra.queue.eks.manifests import (
    DO_NOT_DISRUPT,
    SAFE_TO_EVICT,
    QueueTarget,
    deployment,
    worker_manifests,
)
from gridops_infra.service.eks.manifests import Resolved

IMAGE = "ghcr.io/acme/worker:1.4.2"
TARGET = QueueTarget(
    "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-queue-1a2b3c4",
    "us-east-1",
    "arn:aws:iam::123456789012:role/gridops/prod-prod/keda/jobs-keda-role-1a2b3c4",
)


def _worker(**args: Any):
    cluster = SimpleNamespace(kind="eks", settings=SimpleNamespace(spot=None))
    a = ArgReader(
        "SqsWorkerQueue", "jobs", {"image": IMAGE, **args}, SqsWorkerQueueArgs.__annotations__
    )
    settings = read_settings(a, cluster)  # type: ignore[arg-type]
    spec = worker_spec("jobs", a, settings)
    resolved = Resolved(
        namespace="jobs",
        image=IMAGE,
        environment={"AWS_REGION": "us-east-1"},
        secret_refs={},
        sidecar_images=[str(s.image) for s in spec.containers],
        sidecar_environment=[{} for _ in spec.containers],
        sidecar_secret_refs=[{} for _ in spec.containers],
    )
    return spec, resolved, settings


def _annotations(out: dict[str, Any]) -> dict[str, str] | None:
    return out["spec"]["template"]["metadata"].get("annotations")


@pytest.mark.parametrize(
    ("autoscaler", "expected"),
    [
        ("karpenter", {DO_NOT_DISRUPT: "true"}),
        ("auto-mode", {DO_NOT_DISRUPT: "true"}),  # Auto Mode's nodes are Karpenter's
        ("cluster-autoscaler", {SAFE_TO_EVICT: "false"}),
        ("none", {SAFE_TO_EVICT: "false"}),
    ],
)
def test_long_jobs_carry_the_annotation_their_autoscaler_reads(autoscaler, expected):
    spec, resolved, settings = _worker(job_timeout_seconds=3600)
    out = deployment(spec, resolved, settings, autoscaler)
    assert _annotations(out) == expected
    assert out["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 3600
    kubernetes_validate.validate(out, "1.35.0", strict=True)


def test_default_stays_cluster_autoscaler():
    spec, resolved, settings = _worker(job_timeout_seconds=3600)
    assert _annotations(deployment(spec, resolved, settings)) == {SAFE_TO_EVICT: "false"}
    manifests = worker_manifests(spec, resolved, settings, TARGET, "karpenter")
    assert _annotations(manifests["deployment"]) == {DO_NOT_DISRUPT: "true"}


def test_short_jobs_and_fargate_get_no_annotation():
    spec, resolved, settings = _worker(job_timeout_seconds=300)
    assert _annotations(deployment(spec, resolved, settings, "karpenter")) is None
    spec, resolved, settings = _worker(job_timeout_seconds=3600)
    on_fargate = Resolved(**{**resolved.__dict__, "on_fargate": True})
    assert _annotations(deployment(spec, on_fargate, settings, "karpenter")) is None


def test_a_worker_on_a_karpenter_cluster_carries_the_karpenter_annotation() -> None:
    """Through the component: the worker reads its cluster's autoscaler."""
    from gridops_infra import EksCluster, Network, SqsWorkerQueue
    from gridops_infra.testing import preview, reveal

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        cluster = EksCluster("prod", {"network": net, "node_autoscaler": "karpenter"})
        SqsWorkerQueue("jobs", {"platform": cluster, "image": IMAGE, "job_timeout_seconds": 900})

    plan = preview(program)
    (deployment_record,) = [
        r for r in plan.of_type("kubernetes:apps/v1:Deployment") if r.name.startswith("jobs")
    ]
    pod = reveal(deployment_record.inputs["spec"])["template"]["metadata"]
    assert pod["annotations"] == {DO_NOT_DISRUPT: "true"}
