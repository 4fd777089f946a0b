"""Stage 2, express: the same app on ECS Express Mode, the cheapest managed step up from
one server.

Network over 2 AZs with one NAT gateway, an ExpressCluster whose API service gets its
load balancer, HTTPS endpoint, canary deployments and autoscaling from ECS, the SQS
workers as plain ECS services on the same cluster, managed Postgres with a read replica
and Redis, all linked as on Fargate, and alarms on the data tier and the queue. No CDN
(ECS owns the load balancer's security group, so the endpoint could not be limited to
CloudFront) and no API SLOs (ECS exposes no load-balancer metrics): the fargate stage
adds both. Keys: stacks/README.md.
"""

from __future__ import annotations

import pulumi

from gridops_infra import ExpressCluster, Network

from .app import build_app
from .config import StageConfig, nat_strategy
from .environment import read_environment


def build(cfg: StageConfig) -> None:
    env = read_environment(cfg)
    net = Network(
        cfg.text("network_name", "express"),
        {
            "az_count": cfg.integer("az_count", 2),
            "nat": nat_strategy(cfg, "single"),
            "tags": env.tags,
        },
    )
    cluster = ExpressCluster(
        cfg.text("cluster_name", "express"), {"network": net, "tags": env.tags}
    )
    app = build_app(cfg, env, net, cluster, watch_api=False)
    pulumi.export("url", app.api.url)
    pulumi.export("jobs_queue_url", app.jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    pulumi.export("cache_primary_endpoint", app.cache.primary_endpoint)
