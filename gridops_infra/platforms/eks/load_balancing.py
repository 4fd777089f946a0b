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
    controller: Literal["aws-load-balancer-controller", "eks-auto-mode"]
    target_group_binding_api_version: str


LOAD_BALANCER_CONTROLLER = LoadBalancing("aws-load-balancer-controller", "elbv2.k8s.aws/v1beta1")
AUTO_MODE = LoadBalancing("eks-auto-mode", "eks.amazonaws.com/v1")
