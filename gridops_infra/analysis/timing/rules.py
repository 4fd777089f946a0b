"""What AWS and the Pulumi engine really wait for, read from the Plan's own settings.

The table in `sources.py` gives a typical range per type; these rules replace it where
the Plan says more: an Aurora reader waits for the writer, an ECS service's steady state
follows its target group's health check, a Kubernetes Deployment is ready when its probes
pass, an ACM validation waits for its DNS record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.analysis.timing.sources import (
    AURORA_READER,
    AUTO_MODE_FIRST_NODE,
    CLOUDFRONT_NO_WAIT,
    DNS_VALIDATION_RECORD,
    ECS_HEALTH_CHECKS,
    ELASTICACHE_SHARDED,
    ESTIMATE,
    FARGATE_TASK_START,
    HELM_NO_WAIT,
    IMAGE_PULL,
    INTERFACE_ENDPOINT,
    K8S_LOAD_BALANCER_ADDRESS,
    MANAGED_INSTANCE_LAUNCH,
    MINUTE,
    PULUMI_K8S_DEPLOYMENT_AWAIT,
    RDS_MULTI_AZ,
    RDS_READ_REPLICA,
    Durations,
    Source,
    durations_for,
)
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

DEFAULT_SECONDS = 1.0
"""Time assumed for a custom resource whose type is missing from the table."""

CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
ECS_SERVICE = "aws:ecs/service:Service"
TARGET_GROUP_TYPES = frozenset(
    {"aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"}
)
DNS_RECORD = "aws:route53/record:Record"
CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
K8S_DEPLOYMENT = "kubernetes:apps/v1:Deployment"

# Elastic Load Balancing target group defaults (HealthCheckIntervalSeconds 30,
# HealthyThresholdCount 5, deregistration delay 300 s) and ECS's grace period default 0.
ALB_INTERVAL_DEFAULT = 30.0
ALB_HEALTHY_THRESHOLD_DEFAULT = 5.0
DEREGISTRATION_DELAY_DEFAULT = 300.0
# Kubernetes probe defaults: periodSeconds 10, initialDelaySeconds 0.
PROBE_PERIOD_DEFAULT = 10.0
PROBE_CHECKS_AT_P90 = 3
"""At the 90th percentile a probe passes on its third try (the app was still starting)."""

READER_WAITS_FOR_WRITER = "AWS creates Aurora readers once the writer is available"
SERVICE_WAITS_FOR_PODS = "Pulumi waits for a Service's endpoints: its pods ready"
WORKLOAD_TYPES = frozenset({K8S_DEPLOYMENT, "kubernetes:apps/v1:StatefulSet"})
K8S_SERVICE = "kubernetes:core/v1:Service"
AUTO_MODE_NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
APPCONFIG_DEPLOYMENT = "aws:appconfig/deployment:Deployment"
APPCONFIG_STRATEGY = "aws:appconfig/deploymentStrategy:DeploymentStrategy"


@dataclass(frozen=True)
class Estimate:
    """The create-time range of one resource and where it comes from."""

    p50: float
    p90: float
    known: bool
    source: Source
    rule: str | None = None
    """How the Plan's settings gave the figure, when a rule (not the table) did."""


def _from(d: Durations, rule: str | None = None) -> Estimate:
    return Estimate(d.create, d.p90, True, d.source, rule)


def aurora_writer_of(index: PlanIndex) -> dict[str, str]:
    """Reader URN -> writer URN for every Aurora instance AWS makes wait for the writer.

    Aurora makes the first instance it creates the writer and creates the others (readers)
    once that one is available, in parallel. Of the instances the Plan starts together,
    the first registered is taken as the writer; one the Plan already orders after
    another member keeps that order."""
    by_cluster: dict[str, list[ResourceRecord]] = {}
    for rec in index.nodes:
        if rec.type != CLUSTER_INSTANCE:
            continue
        cluster = _cluster_key(rec)
        if cluster is not None:
            by_cluster.setdefault(cluster, []).append(rec)
    waits: dict[str, str] = {}
    for members in by_cluster.values():
        urns = {m.urn for m in members}
        first_wave = [m for m in members if not (index.dependencies_of(m) & urns)]
        if not first_wave:
            continue
        writer = first_wave[0]
        for m in members:
            if m.urn != writer.urn:
                waits[m.urn] = writer.urn
    return waits


def implicit_order(index: PlanIndex) -> dict[str, dict[str, str]]:
    """Resource URN -> {URN it waits for: why} for the waits the Plan does not declare:
    Aurora readers wait for the writer (AWS), and a Service with a selector waits for the
    pods of the workloads it selects to be ready (Pulumi's Service await)."""
    order: dict[str, dict[str, str]] = {}
    for reader, writer in aurora_writer_of(index).items():
        order.setdefault(reader, {})[writer] = READER_WAITS_FOR_WRITER
    workloads = [r for r in index.nodes if r.type in WORKLOAD_TYPES]
    for svc in index.nodes:
        if svc.type != K8S_SERVICE:
            continue
        selector = _service_selector(svc.inputs)
        if not selector:
            continue
        namespace = _namespace(svc.inputs)
        for w in workloads:
            labels = _template_labels(w.inputs)
            if (
                labels is not None
                and _namespace(w.inputs) == namespace
                and all(labels.get(k) == v for k, v in selector.items())
            ):
                order.setdefault(svc.urn, {})[w.urn] = SERVICE_WAITS_FOR_PODS
    return order


def _service_selector(inputs: Mapping[str, Any]) -> dict[str, Any] | None:
    spec = inputs.get("spec")
    if not isinstance(spec, Mapping) or spec.get("type") == "ExternalName":
        return None
    selector = spec.get("selector")
    return dict(selector) if isinstance(selector, Mapping) else None


def _namespace(inputs: Mapping[str, Any]) -> Any:
    metadata = inputs.get("metadata")
    return metadata.get("namespace") if isinstance(metadata, Mapping) else None


def _template_labels(inputs: Mapping[str, Any]) -> Mapping[str, Any] | None:
    node: Any = inputs
    for key in ("spec", "template", "metadata", "labels"):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node if isinstance(node, Mapping) else None


def _cluster_key(rec: ResourceRecord) -> str | None:
    deps = rec.property_dependencies.get("clusterIdentifier")
    if deps:
        return deps[0]
    ident = rec.inputs.get("clusterIdentifier")
    return ident if isinstance(ident, str) else None


def create_estimate(
    record: ResourceRecord,
    index: PlanIndex | None = None,
    aurora_readers: frozenset[str] = frozenset(),
) -> Estimate:
    """The create-time range of `record`, from the table and the Plan's settings."""
    d = durations_for(record.type)
    if d is None:
        secs = DEFAULT_SECONDS if record.custom else 0.0
        return Estimate(secs, secs, False, ESTIMATE)
    inputs = record.inputs
    t = record.type
    if t == CLUSTER_INSTANCE and record.urn in aurora_readers:
        return _from(AURORA_READER, READER_WAITS_FOR_WRITER + " (readers in parallel)")
    if t == "aws:rds/instance:Instance":
        if inputs.get("replicateSourceDb"):
            return _from(RDS_READ_REPLICA, "read replica: snapshot of the source, then restore")
        if inputs.get("multiAz"):
            return _from(RDS_MULTI_AZ, "Multi-AZ: a standby created and synchronised")
    if t == "aws:elasticache/replicationGroup:ReplicationGroup":
        shards = as_number(inputs.get("numNodeGroups"))
        if shards and shards > 1:
            return _from(ELASTICACHE_SHARDED, f"{shards:.0f} shards")
    if t == ECS_SERVICE and inputs.get("waitForSteadyState"):
        return ecs_steady_state(record, index)
    if t == "aws:cloudfront/distribution:Distribution" and inputs.get("waitForDeployment") is False:
        return _from(CLOUDFRONT_NO_WAIT, "wait_for_deployment=false: returns once accepted")
    if t == "aws:ec2/vpcEndpoint:VpcEndpoint" and inputs.get("vpcEndpointType") == "Interface":
        return _from(INTERFACE_ENDPOINT, "interface endpoint: waits for its network interfaces")
    if t == "kubernetes:core/v1:Service" and _k8s_service_type(inputs) == "LoadBalancer":
        return _from(K8S_LOAD_BALANCER_ADDRESS, "type LoadBalancer: waits for its address")
    if t == K8S_DEPLOYMENT:
        return deployment_ready(record) or _from(d)
    if t == APPCONFIG_DEPLOYMENT:
        return appconfig_rollout(record, index) or _from(d)
    if t == AUTO_MODE_NODE_POOL and _on_auto_mode(inputs):
        return _from(AUTO_MODE_FIRST_NODE, "EKS Auto Mode launches the first node for its Pods")
    if t.startswith("kubernetes:helm.sh/") and inputs.get("skipAwait"):
        return _from(HELM_NO_WAIT, "skip_await: returns once the release is installed")
    if t == CERTIFICATE_VALIDATION and not _validation_record_in_plan(record, index):
        return Estimate(
            d.create + DNS_VALIDATION_RECORD.create,
            d.p90 + DNS_VALIDATION_RECORD.p90,
            True,
            d.source,
            "the validation CNAME is not in the Plan: ACM waits for it to be created and "
            "propagate before it issues",
        )
    return _from(d)


def appconfig_rollout(record: ResourceRecord, index: PlanIndex | None) -> Estimate | None:
    """An AppConfig deployment is live and judged only after its strategy's rollout and
    final bake: `pulumi up` returns once AppConfig accepted it, AppConfig keeps going (and
    rolls back on an alarm) for those minutes. None when the strategy is not in the Plan."""
    if index is None:
        return None
    strategy_id = record.inputs.get("deploymentStrategyId")
    strategy = next(
        (
            r
            for r in index.plan.resources
            if r.type == APPCONFIG_STRATEGY and strategy_id in (r.id, r.outputs.get("id"))
        ),
        None,
    )
    if strategy is None:
        return None
    rollout = as_number(strategy.inputs.get("deploymentDurationInMinutes")) or 0.0
    bake = as_number(strategy.inputs.get("finalBakeTimeInMinutes")) or 0.0
    d = durations_for(APPCONFIG_DEPLOYMENT)
    if d is None:
        return None
    watched = (rollout + bake) * MINUTE
    return Estimate(
        d.create + watched,
        d.p90 + watched,
        True,
        d.source,
        f"strategy {strategy.name}: {rollout:g} min rollout + {bake:g} min final bake after "
        "`pulumi up` returns (AppConfig rolls back on an alarm until then)",
    )


def _on_auto_mode(inputs: Mapping[str, Any]) -> bool:
    spec = ((inputs.get("spec") or {}).get("template") or {}).get("spec") or {}
    return (spec.get("nodeClassRef") or {}).get("group") == "eks.amazonaws.com"


def ecs_steady_state(record: ResourceRecord, index: PlanIndex | None) -> Estimate:
    """wait_for_steady_state: the tasks start, then each new target passes one health
    check (median) or, when the app is not up yet, fails until the grace period ends
    and then needs `healthy threshold` passing checks in a row (90th percentile)."""
    if as_number(record.inputs.get("desiredCount")) == 0:
        d = durations_for(ECS_SERVICE)
        assert d is not None
        return _from(d, "desired count 0: steady at once, no task to start")
    start = FARGATE_TASK_START
    launch, launched = (0.0, 0.0), ""
    if _on_managed_instances(record):
        launch = (MANAGED_INSTANCE_LAUNCH.create, MANAGED_INSTANCE_LAUNCH.p90)
        launched = "a Managed Instance launched and registered + "
    health = target_group_health(record, index)
    grace = as_number(record.inputs.get("healthCheckGracePeriodSeconds"), 0.0) or 0.0
    if health is None:
        if not launched:
            return _from(start, "no load balancer: steady once the tasks run")
        return Estimate(
            launch[0] + start.create,
            launch[1] + start.p90,
            True,
            MANAGED_INSTANCE_LAUNCH.source,
            launched + "task start (no load balancer)",
        )
    interval, threshold, _ = health
    p50 = launch[0] + start.create + interval
    p90 = launch[1] + start.p90 + grace + interval * threshold
    rule = (
        f"{launched}task start + one {interval:.0f} s health check (p50); + {grace:.0f} s "
        f"grace period + {interval:.0f} s x {threshold:.0f} healthy checks (p90)"
    )
    return Estimate(p50, p90, True, ECS_HEALTH_CHECKS, rule)


def _on_managed_instances(record: ResourceRecord) -> bool:
    """The service places its tasks through a strategy naming a provider that is neither
    FARGATE nor FARGATE_SPOT: on FargateCluster that is its Managed Instances provider."""
    strategies = record.inputs.get("capacityProviderStrategies")
    if not isinstance(strategies, list) or not strategies:
        return False
    providers = {str(s.get("capacityProvider")) for s in strategies if isinstance(s, Mapping)}
    return not providers <= {"FARGATE", "FARGATE_SPOT"}


def target_group_health(
    record: ResourceRecord, index: PlanIndex | None
) -> tuple[float, float, float] | None:
    """(health check interval, healthy threshold, deregistration delay) of the target group
    an ECS service registers with, or None without one in the Plan."""
    if index is None:
        return None
    groups = [
        index.by_urn[u]
        for u in sorted(index.dependencies_of(record))
        if index.by_urn[u].type in TARGET_GROUP_TYPES
    ]
    if not groups:
        return None
    worst: tuple[float, float, float] | None = None
    for tg in groups:
        check = tg.inputs.get("healthCheck")
        check = check if isinstance(check, Mapping) else {}
        values = (
            as_number(check.get("interval"), ALB_INTERVAL_DEFAULT) or ALB_INTERVAL_DEFAULT,
            as_number(check.get("healthyThreshold"), ALB_HEALTHY_THRESHOLD_DEFAULT)
            or ALB_HEALTHY_THRESHOLD_DEFAULT,
            as_number(tg.inputs.get("deregistrationDelay"), DEREGISTRATION_DELAY_DEFAULT) or 0.0,
        )
        if worst is None or values[0] * values[1] > worst[0] * worst[1]:
            worst = values
    return worst


def ecs_rolling_deploy_seconds(record: ResourceRecord, index: PlanIndex | None) -> float:
    """A new revision with wait_for_steady_state: new tasks become healthy, then the old
    ones drain from the target group for its deregistration delay before they stop."""
    steady = ecs_steady_state(record, index)
    health = target_group_health(record, index)
    return steady.p50 + (health[2] if health else 0.0)


def deployment_ready(record: ResourceRecord) -> Estimate | None:
    """A Deployment is Available when its pods pass their startup and readiness probes:
    image pull and start, then each probe's initial delay plus one period (median) or
    three periods (90th percentile). None when the pod template cannot be read."""
    containers = _containers(record.inputs)
    if containers is None:
        return None
    p50_probe = p90_probe = 0.0
    for c in containers:
        c50 = c90 = 0.0
        for key in ("startupProbe", "readinessProbe"):
            probe = c.get(key)
            if not isinstance(probe, Mapping):
                continue
            delay = as_number(probe.get("initialDelaySeconds"), 0.0) or 0.0
            period = as_number(probe.get("periodSeconds"), PROBE_PERIOD_DEFAULT) or 0.0
            c50 += delay + period
            c90 += delay + period * PROBE_CHECKS_AT_P90
        p50_probe, p90_probe = max(p50_probe, c50), max(p90_probe, c90)
    rule = (
        f"pod start and image pull + probes ({p50_probe:.0f} s p50, {p90_probe:.0f} s p90)"
        if p90_probe
        else "pod start and image pull (no readiness probe)"
    )
    return Estimate(
        IMAGE_PULL.create + p50_probe,
        IMAGE_PULL.p90 + p90_probe,
        True,
        PULUMI_K8S_DEPLOYMENT_AWAIT,
        rule,
    )


def _containers(inputs: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    node: Any = inputs
    for key in ("spec", "template", "spec", "containers"):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    if not isinstance(node, list):
        return None
    return [c for c in node if isinstance(c, Mapping)]


def _validation_record_in_plan(record: ResourceRecord, index: PlanIndex | None) -> bool:
    if record.inputs.get("validationRecordFqdns"):
        return True
    if index is None:
        return False
    return any(index.by_urn[u].type == DNS_RECORD for u in index.dependencies_of(record))


def _k8s_service_type(inputs: Mapping[str, Any]) -> str | None:
    spec = inputs.get("spec")
    return spec.get("type") if isinstance(spec, dict) else None
