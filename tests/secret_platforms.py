"""The platforms the secret tests run a workload on, one builder each (a SingleServer
large enough for a service, a worker and its sidecars)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gridops_infra import EksCluster, FargateCluster, Network, SingleServer

PLATFORMS: dict[str, Callable[[Network], Any]] = {
    "fargate": lambda net: FargateCluster("prod", {"network": net}),
    "eks": lambda net: EksCluster("prod", {"network": net}),
    "single-server": lambda net: SingleServer(
        "mvp", {"network": net, "instance_type": "t4g.xlarge"}
    ),
}
