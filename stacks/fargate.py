"""Stage 2, fargate: the DESIGN section 3 program on ECS Fargate.

Network over 3 AZs, an ECS cluster on Fargate (or ECS Managed Instances with
`gridops:capacity`) whose shared ALB is internal and reached by CloudFront through a VPC
origin (`gridops:origin_access`),
managed Postgres with read replicas, Redis, an SQS worker queue, the API service linked
to all three behind a CDN, SLO burn-rate alerting whose page alarms also roll back bad
deployments, and FIS drills. Keys: stacks/README.md.
"""

from __future__ import annotations

from typing import cast

import pulumi

from gridops_infra import CdnFrontend, CdnFrontendArgs, FargateCluster, FargateClusterArgs, Network
from gridops_infra.platforms.fargate.args import OriginAccess
from gridops_infra.platforms.fargate.capacity import Capacity

from .app import build_app, cdn_front_door, export_cutover_outputs
from .config import StageConfig, nat_strategy
from .environment import read_environment


def build(cfg: StageConfig) -> None:
    env = read_environment(cfg)
    net = Network(
        cfg.text("network_name", "prod"),
        {
            "az_count": cfg.integer("az_count", 3),
            "nat": nat_strategy(cfg, "per-az"),
            "tags": env.tags,
        },
    )
    domain = cfg.domain()
    cluster_args: FargateClusterArgs = {
        "network": net,
        "behind_cdn": True,
        # FargateCluster refuses anything but "vpc-origin" and "public-with-header".
        "origin_access": cast(OriginAccess, cfg.text("origin_access", "vpc-origin")),
        # FargateCluster refuses anything but "fargate" and "managed-instances".
        "capacity": cast(Capacity, cfg.text("capacity", "fargate")),
        # A preview stack's ALB must not stop `pulumi destroy`.
        "alb_deletion_protection": not env.disposable,
        "tags": env.tags,
    }
    if env.disposable:
        cluster_args["transforms"] = env.log_bucket_transform("alb_logs_bucket")
    cdn_args: CdnFrontendArgs = {
        "waf": cfg.flag("waf", True),
        "waf_rate_limit": cfg.integer("waf_rate_limit", 2000),
        "tags": env.tags,
    }
    if env.disposable:
        cdn_args["transforms"] = env.log_bucket_transform("log_bucket")
    if domain:
        # CloudFront serves the domain and reaches the ALB over HTTPS at origin.<domain>
        # (through the VPC origin, the name CloudFront checks the certificate against).
        cluster_args |= {"domain": domain.origin, "zone_id": domain.zone_id}
        cdn_args |= {
            "domain": domain.name,
            "zone_id": domain.zone_id,
            "alias_records": cfg.flag("domain_records", True),
        }
    cluster = FargateCluster(cfg.text("cluster_name", "prod"), cluster_args)
    app = build_app(
        cfg,
        env,
        net,
        cluster,
        front=lambda api: CdnFrontend("web", {**cdn_args, "api_origin": api}),
        slo_rollback=True,
    )
    pulumi.export("url", app.front.url)
    pulumi.export("jobs_queue_url", app.jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    pulumi.export("cache_primary_endpoint", app.cache.primary_endpoint)
    export_cutover_outputs(cdn_front_door(app.front), app.jobs)
