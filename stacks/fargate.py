"""Stage 2, fargate: the DESIGN section 3 program on ECS Fargate.

Network over 3 AZs, an ECS Fargate cluster with a shared ALB, managed Postgres with read
replicas, Redis, the API service linked to both, and SLO burn-rate alerting whose page
alarms also roll back bad deployments. Keys: stacks/README.md.
"""

from __future__ import annotations

import pulumi

from gridops_infra import FargateCluster, Network

from .app import build_app
from .config import StageConfig


def build(cfg: StageConfig) -> None:
    net = Network(
        cfg.text("network_name", "prod"),
        {"az_count": cfg.integer("az_count", 3), "nat": cfg.text("nat", "per-az")},
    )
    cluster = FargateCluster(cfg.text("cluster_name", "prod"), {"network": net})
    app = build_app(cfg, net, cluster, slo_rollback=True)
    pulumi.export("url", app.api.url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    pulumi.export("cache_primary_endpoint", app.cache.primary_endpoint)
