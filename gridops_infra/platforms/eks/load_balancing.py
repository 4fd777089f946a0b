"""Which controller turns an EksCluster's Ingresses and TargetGroupBindings into load
balancer configuration, and the API version its TargetGroupBinding is written in.

On managed node groups and Karpenter the cluster installs the AWS Load Balancer
Controller (`elbv2.k8s.aws/v1beta1`); on EKS Auto Mode AWS runs the load balancing
capability itself, which serves the same kind in its own group (`eks.amazonaws.com/v1`).
"""

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


LOAD_BALANCER_CONTROLLER = LoadBalancing("aws-load-balancer-controller", "elbv2.k8s.aws/v1beta1")
AUTO_MODE = LoadBalancing("eks-auto-mode", "eks.amazonaws.com/v1")

__all__ = ["AUTO_MODE", "LOAD_BALANCER_CONTROLLER", "LoadBalancing"]
