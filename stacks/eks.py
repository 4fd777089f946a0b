"""Stage 3, eks: the same app on EKS (only the platform object changes).

Network over 3 AZs, an EKS cluster (EKS Auto Mode with Graviton NodePools as the stack file
sets `eks_compute`; managed node groups or Karpenter by one key; KEDA, External Secrets),
the same Postgres, Redis, jobs queue (workers scaled by KEDA), API spec, CloudFront front
door (through a VPC origin to an internal ALB by default, `gridops:origin_access`) and SLO
alerting as the fargate stage, and Argo CD syncing a manifests repository when
`gitops_repo_url` is set.
Keys: stacks/README.md.
"""

from __future__ import annotations

from typing import Any, Literal, cast

import pulumi

from gridops_infra import (
    ArgoCdGitOps,
    CdnFrontend,
    CdnFrontendArgs,
    EksCluster,
    EksClusterArgs,
    Network,
)
from gridops_infra.observability.eks.contract import otel_environment
from gridops_infra.platforms.fargate.args import OriginAccess

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
    cluster_args: EksClusterArgs = {
        "network": net,
        "behind_cdn": True,
        # EksCluster refuses anything but "vpc-origin" and "public-with-header".
        "origin_access": cast(OriginAccess, cfg.text("origin_access", "vpc-origin")),
        "tags": env.tags,
    }
    compute = cfg.optional_str("eks_compute")
    if compute:
        cluster_args["compute"] = cast(
            "Literal['auto-mode', 'managed-node-groups', 'karpenter']", compute
        )
    autoscaler = cfg.optional_str("eks_node_autoscaler")
    if autoscaler:
        cluster_args["node_autoscaler"] = cast(
            "Literal['cluster-autoscaler', 'karpenter', 'none']", autoscaler
        )
    public_cidrs = cfg.items("eks_public_access_cidrs")
    if public_cidrs:
        cluster_args["public_access_cidrs"] = public_cidrs
    cluster = EksCluster(cfg.text("cluster_name", "prod"), cluster_args)
    domain = cfg.domain()
    api_domain: dict[str, Any] = {}
    cdn_args: CdnFrontendArgs = {
        "waf": cfg.flag("waf", True),
        "waf_rate_limit": cfg.integer("waf_rate_limit", 2000),
        "tags": env.tags,
    }
    if domain:
        # CloudFront serves the domain and reaches the ALB over HTTPS at origin.<domain>
        # (the API's own certificate, on the internal ALB's listener or on its Ingress).
        api_domain = {"domain": domain.origin, "zone_id": domain.zone_id}
        cdn_args |= {
            "domain": domain.name,
            "zone_id": domain.zone_id,
            "alias_records": cfg.flag("domain_records", True),
        }
    app = build_app(
        cfg,
        env,
        net,
        cluster,
        # Apps push OTLP to the in-cluster collector; SLIs come from those metrics.
        environment=otel_environment("api", cfg.stage),
        front=lambda api: CdnFrontend("web", {**cdn_args, "api_origin": api}),
        **api_domain,
        observability={
            "prometheus": {"retention_days": cfg.integer("prometheus_retention_days", 15)}
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
    pulumi.export("url", app.front.url)
    pulumi.export("jobs_queue_url", app.jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    export_cutover_outputs(cdn_front_door(app.front), app.jobs)
