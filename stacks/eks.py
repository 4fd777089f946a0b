"""Stage 3, eks: the same app on EKS with Prometheus, Grafana and OpenTelemetry."""

from __future__ import annotations

import pulumi

from gridops_infra import Network

from .config import StageConfig


def build(cfg: StageConfig) -> None:
    net = Network(
        cfg.text("network_name", "prod"),
        {"az_count": cfg.integer("az_count", 3), "nat": cfg.text("nat", "per-az")},
    )
    pulumi.export("vpc_id", net.vpc_id)
