"""Which `gridops:` config keys each stage reads (documented in stacks/README.md, which a
test keeps in step with this table). A key a stage does not read is refused before
anything is built, so a typo (`db_replica`) cannot pass as a setting that did nothing."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

ALL = frozenset({"single-server", "express", "fargate", "eks"})
MANAGED = frozenset({"express", "fargate", "eks"})
"""The stages with a managed data tier (and a cluster)."""
CLUSTERS = frozenset({"fargate", "eks"})
SINGLE = frozenset({"single-server"})
EKS = frozenset({"eks"})
CUTOVER = frozenset({"cutover"})
"""Not a stage: the stack that moves traffic from one stage to the next."""
REGISTRY = frozenset({"registry"})
"""Not a stage: the ECR repositories and deploy role the stages use."""
FARGATE = frozenset({"fargate"})
# An Express service is served on its AWS-provided domain only.
WITH_DOMAIN = ALL - {"express"}
# The stages a preview stack (`gridops:environment: preview`) can run (stacks/environment.py).
PREVIEW = frozenset({"express", "fargate"})

STAGE_KEYS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        (
            "api_image",
            "network_name",
            "az_count",
            "nat",
            "api_port",
            "api_cpu",
            "api_memory",
            "api_min_count",
            "api_max_count",
            "api_health_check_path",
            "worker_image",
            "worker_max_count",
            "api_image_digest",
            "worker_image_digest",
            "environment",
            "monthly_estimate_usd",
            "budget_headroom_percent",
            "cost_anomaly_detection",
        ),
        ALL,
    ),
    "expires_at": PREVIEW,
    "stage": ALL | CUTOVER | REGISTRY,
    **dict.fromkeys(("github_repository", "github_environment"), REGISTRY),
    "registry_stack": ALL,
    **dict.fromkeys(("domain", "zone_id"), WITH_DOMAIN | CUTOVER),
    "domain_records": WITH_DOMAIN,
    **dict.fromkeys(("server_name", "instance_type", "data_volume_gb"), SINGLE),
    **dict.fromkeys(
        (
            "cluster_name",
            "db_engine_mode",
            "db_instance_class",
            "db_auto_pause_seconds",
            "db_replicas",
            "cache_node_type",
            "cache_replicas",
            "alert_emails",
        ),
        MANAGED,
    ),
    **dict.fromkeys(
        (
            "api_tracing",
            "slo_latency_threshold_ms",
            "slo_latency_objective",
            "resilience_drills",
            "drill_schedule",
            "drill_schedule_timezone",
            "waf",
            "waf_rate_limit",
        ),
        CLUSTERS,
    ),
    "slo_availability": CLUSTERS | CUTOVER,
    "origin_access": CLUSTERS,
    "capacity": FARGATE,
    "worker_platform": MANAGED,
    **dict.fromkeys(
        (
            "old_stack",
            "new_stack",
            "old_stage",
            "new_stage",
            "weight_percent",
            "steps",
            "done",
            "ttl",
            "automatic_rollback",
        ),
        CUTOVER,
    ),
    **dict.fromkeys(
        (
            "eks_compute",
            "eks_node_autoscaler",
            "eks_public_access_cidrs",
            "gitops",
            "gitops_repo_url",
            "gitops_path",
            "gitops_revision",
            "gitops_interval",
            "gitops_credentials_secret",
            "prometheus_retention_days",
        ),
        EKS,
    ),
}


def key_problems(stage: str, keys: Iterable[str]) -> list[str]:
    """Why each of `keys` (without the `gridops:` namespace) cannot be used on `stage`."""
    problems = []
    for key in sorted(set(keys)):
        stages = STAGE_KEYS.get(key)
        if stages is None:
            close = difflib.get_close_matches(key, STAGE_KEYS, n=1)
            hint = f"; did you mean gridops:{close[0]}?" if close else ""
            problems.append(f"gridops:{key} is not a stage config key{hint}")
        elif stage not in stages:
            problems.append(
                f"gridops:{key} is not read by stage {stage} (only {', '.join(sorted(stages))})"
            )
    return problems
