"""Stage 2, fargate: the DESIGN section 3 program on ECS Fargate.

Network over 3 AZs, an ECS Fargate cluster whose shared ALB admits only CloudFront,
managed Postgres with read replicas, Redis, an SQS worker queue, the API service linked
to all three behind a CDN, SLO burn-rate alerting whose page alarms also roll back bad
deployments, and FIS drills. Keys: stacks/README.md.
"""

from __future__ import annotations

import pulumi

from gridops_infra import CdnFrontend, FargateCluster, Network

from .app import build_app
from .config import StageConfig


def build(cfg: StageConfig) -> None:
    net = Network(
        cfg.text("network_name", "prod"),
        {"az_count": cfg.integer("az_count", 3), "nat": cfg.text("nat", "per-az")},
    )
    cluster = FargateCluster(cfg.text("cluster_name", "prod"), {"network": net, "behind_cdn": True})
    app = build_app(
        cfg,
        net,
        cluster,
        front=lambda api: CdnFrontend("web", {"api_origin": api}),
        slo_rollback=True,
    )
    pulumi.export("url", app.front.url)
    pulumi.export("jobs_queue_url", app.jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    pulumi.export("cache_primary_endpoint", app.cache.primary_endpoint)
