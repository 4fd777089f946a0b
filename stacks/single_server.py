"""Stage 1, single-server: the honest MVP on one EC2 host.

Builds what exists so far: the network (one public subnet for the host, no NAT).
SingleServer lands with issue #6.
"""

from __future__ import annotations

import pulumi

from gridops_infra import Network

from .config import StageConfig


def build(cfg: StageConfig) -> None:
    net = Network(
        cfg.text("network_name", "mvp"),
        {"az_count": cfg.integer("az_count", 2), "nat": cfg.text("nat", "none")},
    )
    pulumi.export("vpc_id", net.vpc_id)
