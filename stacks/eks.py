"""Stage 3, eks: the same app on EKS (only the platform object changes).

Network over 3 AZs, an EKS cluster (Graviton nodes, Load Balancer Controller, KEDA,
External Secrets), the same Postgres and Redis, the same API spec, SLO alerting, and
Argo CD syncing a manifests repository when `gitops_repo_url` is set.
Keys: stacks/README.md.
"""

from __future__ import annotations

import pulumi

from gridops_infra import (
    ArgoCdGitOps,
    EksCluster,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    RedisCache,
    Slo,
    StatelessService,
)

from .config import StageConfig


def build(cfg: StageConfig) -> None:
    net = Network(
        cfg.text("network_name", "prod"),
        {"az_count": cfg.integer("az_count", 3), "nat": cfg.text("nat", "per-az")},
    )
    cluster_args: dict = {"network": net}
    public_cidrs = cfg.items("eks_public_access_cidrs")
    if public_cidrs:
        cluster_args["public_access_cidrs"] = public_cidrs
    cluster = EksCluster(cfg.text("cluster_name", "prod"), cluster_args)
    db = ManagedPostgresWithReplicas(
        "db",
        {
            "network": net,
            "instance_class": cfg.text("db_instance_class", "db.r7g.large"),
            "replicas": cfg.integer("db_replicas", 2),
        },
    )
    cache = RedisCache(
        "cache",
        {
            "network": net,
            "node_type": cfg.text("cache_node_type", "cache.r7g.large"),
            "replicas": cfg.integer("cache_replicas", 1),
        },
    )
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": cfg.require_str("api_image"),
            "port": cfg.integer("api_port", 8080),
            "cpu": cfg.integer("api_cpu", 512),
            "memory": cfg.integer("api_memory", 1024),
            "min_count": cfg.integer("api_min_count", 2),
            "max_count": cfg.integer("api_max_count", 20),
            "health_check_path": cfg.text("api_health_check_path", "/healthz"),
            "links": [db, cache],
        },
    )
    ObservabilityStack(
        "obs",
        {
            "resources": [api, db, cache],
            "slos": [
                Slo.availability(api, objective=float(cfg.text("slo_availability", "0.999"))),
                Slo.latency(
                    api,
                    threshold_ms=cfg.integer("slo_latency_threshold_ms", 300),
                    objective=float(cfg.text("slo_latency_objective", "0.99")),
                ),
            ],
            "alert_emails": cfg.items("alert_emails"),
        },
    )
    repo_url = cfg.optional_str("gitops_repo_url")
    if repo_url:
        ArgoCdGitOps(
            "gitops",
            {
                "cluster": cluster,
                "repo_url": repo_url,
                "path": cfg.text("gitops_path", "."),
                "target_revision": cfg.text("gitops_revision", "main"),
            },
        )
    pulumi.export("url", api.url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("db_writer_endpoint", db.writer_endpoint)
