"""Which load balancer controller serves an EksCluster, and the TargetGroupBinding API
version it reads: services render their TargetGroupBinding from this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LoadBalancing:
    """The controller that registers Pods in target groups (`TargetGroupBinding`)."""

    controller: Literal["aws-load-balancer-controller", "eks-auto-mode"]
    """The self-installed AWS Load Balancer Controller, or EKS Auto Mode's managed one."""
    target_group_binding_api_version: str
    """The `apiVersion` of the TargetGroupBinding that controller reads."""


__all__ = ["LoadBalancing"]
