"""CloudWatch metrics of a StatelessService on EKS.

The ALB and the service's target group are created by the AWS Load Balancer Controller,
not by Pulumi, so their metric dimensions are looked up once the Ingress is ready, by the
tags the controller puts on them: `ingress.k8s.aws/stack` (the ALB group),
`ingress.k8s.aws/resource` (`LoadBalancer`, or `<namespace>/<ingress>-<service>:<port>`
for a target group) and `elbv2.k8s.aws/cluster`. EKS Auto Mode tags them in its own
group: `ingress.eks.amazonaws.com/stack`, `ingress.eks.amazonaws.com/resource` and
`eks:eks-cluster-name`. CPU and memory come from Container
Insights (`pod_*_utilization_over_pod_limit` per Kubernetes Service), which EksCluster
installs by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from gridops_infra.core.metrics import Metric
from gridops_infra.service.fargate.alarms import TargetGroupMetrics

CONTAINER_INSIGHTS = "ContainerInsights"


def _tags(cluster_name: str, group: str, resource: str, auto_mode: bool) -> dict[str, str]:
    if auto_mode:
        return {
            "eks:eks-cluster-name": cluster_name,
            "ingress.eks.amazonaws.com/stack": group,
            "ingress.eks.amazonaws.com/resource": resource,
        }
    return {
        "elbv2.k8s.aws/cluster": cluster_name,
        "ingress.k8s.aws/stack": group,
        "ingress.k8s.aws/resource": resource,
    }


def load_balancer_tags(cluster_name: str, group: str, auto_mode: bool = False) -> dict[str, str]:
    return _tags(cluster_name, group, "LoadBalancer", auto_mode)


def target_group_tags(
    cluster_name: str,
    group: str,
    namespace: str,
    ingress: str,
    service: str,
    port: int,
    auto_mode: bool = False,
) -> dict[str, str]:
    return _tags(cluster_name, group, f"{namespace}/{ingress}-{service}:{port}", auto_mode)


@dataclass(frozen=True)
class Lookups:
    """The controller-made ALB and target group, read after the Ingress is ready."""

    load_balancer: pulumi.Output[aws.lb.GetLoadBalancerResult]
    target_group: pulumi.Output[aws.lb.GetTargetGroupResult]


def look_up(
    cluster_name: str,
    group: str,
    namespace: str,
    name: str,
    port: int,
    ingress: pulumi.Resource,
    *,
    auto_mode: bool = False,
) -> Lookups:
    after = pulumi.InvokeOutputOptions(depends_on=[ingress])
    lb = aws.lb.get_load_balancer_output(
        tags=load_balancer_tags(cluster_name, group, auto_mode), opts=after
    )
    tg = aws.lb.get_target_group_output(
        tags=target_group_tags(cluster_name, group, namespace, name, name, port, auto_mode),
        opts=after,
    )
    return Lookups(lb, tg)


@dataclass(frozen=True)
class EksMetrics(TargetGroupMetrics):
    """ALB metrics of the service's target group, pod CPU/memory from Container Insights
    (percent of the pods' limits, like ECS's CPUUtilization of the task size)."""

    cluster_name: pulumi.Input[str] = ""
    namespace: str = ""
    service: str = ""

    def _insights(self, name: str, label: str) -> Metric:
        dims = {
            "ClusterName": self.cluster_name,
            "Namespace": self.namespace,
            "Service": self.service,
        }
        return Metric(CONTAINER_INSIGHTS, name, dims, "Average", 60, "Percent", label)

    def cpu(self) -> Metric:
        return self._insights("pod_cpu_utilization_over_pod_limit", "CPU")

    def memory(self) -> Metric:
        return self._insights("pod_memory_utilization_over_pod_limit", "memory")


__all__ = ["EksMetrics", "Lookups", "look_up"]
