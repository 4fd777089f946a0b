"""Stage 3, eks: the same app on EKS (only the platform object changes).

Network over 3 AZs, an EKS cluster (EKS Auto Mode with Graviton NodePools as the stack file
sets `eks_compute`; managed node groups or Karpenter by one key; KEDA, External Secrets),
the same Postgres, Redis, jobs queue (workers scaled by KEDA), API spec, CloudFront front
door (through a VPC origin to an internal ALB by default, `gridops:origin_access`) and SLO
alerting as the fargate stage, and Argo CD or Flux (`gridops:gitops`) syncing a
manifests repository when `gitops_repo_url` is set.
Keys: stacks/README.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast

import pulumi

from gridops_infra import (
    ArgoCdGitOps,
    CdnFrontend,
    CdnFrontendArgs,
    EksCluster,
    EksClusterArgs,
    FluxGitOps,
    Network,
)
from gridops_infra.observability.eks.contract import otel_environment
from gridops_infra.platforms.fargate.args import OriginAccess

from .app import build_app, cdn_front_door, export_cutover_outputs
from .config import StageConfig, StageConfigError, nat_strategy
from .environment import read_environment

if TYPE_CHECKING:
    from gridops_infra import ArgoCdGitOpsArgs, FluxGitOpsArgs


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
    gitops(cfg, cluster)
    pulumi.export("url", app.front.url)
    pulumi.export("jobs_queue_url", app.jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("cluster_name", cluster.cluster_name)
    pulumi.export("db_writer_endpoint", app.db.writer_endpoint)
    export_cutover_outputs(cdn_front_door(app.front), app.jobs)


GITOPS_KEYS = ("gitops_path", "gitops_revision", "gitops_interval", "gitops_credentials_secret")


def gitops(cfg: StageConfig, cluster: EksCluster) -> Any:
    """The GitOps controller `gridops:gitops` names (`argocd`, the default, `flux` or
    `none`) syncing `gitops_repo_url`; both take the same keys (docs/gitops.md)."""
    kind = cfg.text("gitops", "argocd")
    if kind not in ("argocd", "flux", "none"):
        raise StageConfigError(f"config gridops:gitops={kind!r}: expected argocd, flux or none")
    repo_url = cfg.optional_str("gitops_repo_url")
    given = [k for k in GITOPS_KEYS if cfg.optional_str(k) is not None]
    if kind == "none" or not repo_url:
        if kind != "none" and cfg.optional_str("gitops") is not None:
            raise StageConfigError(
                f"config gridops:gitops={kind} needs gridops:gitops_repo_url (the manifests "
                "repository it syncs)"
            )
        if repo_url or given:
            keys = ", ".join(
                f"gridops:{k}" for k in (["gitops_repo_url"] if repo_url else []) + given
            )
            raise StageConfigError(
                f"config {keys}: no GitOps controller reads them "
                + (
                    "(gridops:gitops is none)"
                    if kind == "none"
                    else "without gridops:gitops_repo_url"
                )
            )
        return None
    args: dict[str, Any] = {
        "cluster": cluster,
        "repo_url": repo_url,
        "path": cfg.text("gitops_path", "."),
        "target_revision": cfg.text("gitops_revision", "main"),
    }
    if cfg.optional_str("gitops_interval"):
        args["sync_interval"] = cfg.text("gitops_interval", "")
    if cfg.optional_str("gitops_credentials_secret"):
        args["credentials_secret_arn"] = cfg.text("gitops_credentials_secret", "")
    if kind == "flux":
        return FluxGitOps("gitops", cast("FluxGitOpsArgs", args))
    return ArgoCdGitOps("gitops", cast("ArgoCdGitOpsArgs", args))
