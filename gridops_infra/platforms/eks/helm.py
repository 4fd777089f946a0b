"""The Kubernetes side of EksCluster: the kubeconfig and Kubernetes provider every
Kubernetes child uses, and the controllers installed with Helm, each with its own
Pod Identity role where it calls AWS itself (External Secrets does not: see below).

Why External Secrets Operator for secrets: the secrets stay in AWS Secrets Manager (one
source of truth, rotation by Secrets Manager or RDS), ESO syncs each into a Kubernetes
Secret that the Deployment reads as ordinary `env.valueFrom.secretKeyRef`, exactly like
ECS `secrets`, and a rotated value is picked up at the ExternalSecret's refresh interval
(pods see it at their next restart). The Secrets Store CSI driver would instead mount
secrets as files through a volume in every pod (env vars only through an extra sync
option), ties pod start-up to the CSI driver on the node, and does not run on Fargate.
ESO reads each workload's secrets through that workload's reader role, which it gets
with a token of the workload's reader ServiceAccount (SecretStore `auth.jwt`, see
`EksCluster.secrets_reader_role`); ESO itself has no AWS identity, so it can read
nothing by itself. The chart's controller ClusterRole grants the `serviceaccounts/token`
`create` (and `serviceaccounts` `get`) that this needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent

REPOSITORIES = {
    "aws-load-balancer-controller": "https://aws.github.io/eks-charts",
    "keda": "https://kedacore.github.io/charts",
    "external-secrets": "https://charts.external-secrets.io",
    "cluster-autoscaler": "https://kubernetes.github.io/autoscaler",
    # An OCI registry: the chart reference is `<registry>/<chart>`, with no repository.
    "karpenter": "oci://public.ecr.aws/karpenter",
}


@dataclass(frozen=True)
class Operator:
    """A controller installed with Helm: where it runs and the service account its Pod
    Identity association binds."""

    chart: str
    namespace: str
    service_account: str
    role: str  # CHILD_ROLES key of its Helm release
    short: str  # prefix of its IAM resource names (IAM role names stop at 64 characters)


LOAD_BALANCER_CONTROLLER = Operator(
    "aws-load-balancer-controller",
    "kube-system",
    "aws-load-balancer-controller",
    "lbc_release",
    "lbc",
)
KEDA = Operator("keda", "keda", "keda-operator", "keda_release", "keda")
EXTERNAL_SECRETS = Operator(
    "external-secrets", "external-secrets", "external-secrets", "eso_release", "eso"
)
CLUSTER_AUTOSCALER = Operator(
    "cluster-autoscaler", "kube-system", "cluster-autoscaler", "autoscaler_release", "autoscaler"
)
# In kube-system, as the Karpenter guide installs it: on the managed nodes (the chart's
# default affinity keeps it off the nodes it launches itself).
KARPENTER = Operator("karpenter", "kube-system", "karpenter", "karpenter_release", "karpenter")
OPERATOR_NAMESPACES = ("kube-system", KEDA.namespace, EXTERNAL_SECRETS.namespace)


def kubeconfig(
    cluster_name: pulumi.Input[str],
    endpoint: pulumi.Input[str],
    certificate_authority: pulumi.Input[str],
    region: str,
) -> pulumi.Output[str]:
    """A kubeconfig (JSON, which is YAML) that authenticates with `aws eks get-token`
    as whoever runs it: no token or key is stored in it. Marked secret anyway, since it
    locates a private API endpoint."""

    def build(args: list[str]) -> str:
        name, server, ca = args
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": name, "cluster": {"server": server, "certificate-authority-data": ca}}
            ],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "current-context": name,
            "users": [
                {
                    "name": name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": [
                                "eks",
                                "get-token",
                                "--cluster-name",
                                name,
                                "--region",
                                region,
                                "--output",
                                "json",
                            ],
                            "interactiveMode": "Never",
                        }
                    },
                }
            ],
        }
        return json.dumps(config, indent=2)

    return pulumi.Output.secret(
        pulumi.Output.all(cluster_name, endpoint, certificate_authority).apply(build)
    )


def operator_values(
    operator: Operator,
    *,
    cluster_name: str,
    region: str,
    vpc_id: pulumi.Input[str],
    kubernetes_version: str,
    interruption_queue: pulumi.Input[str] | None = None,
) -> dict[str, Any]:
    """Each chart's values: names fixed (Pod Identity binds by service account), two
    replicas where the controller supports it, and only the features gridops uses."""
    if operator is LOAD_BALANCER_CONTROLLER:
        return {
            "clusterName": cluster_name,
            # Nodes block pods from the instance metadata service (hop limit 1), so the
            # controller is told its region and VPC instead of discovering them.
            "region": region,
            "vpcId": vpc_id,
            "replicaCount": 2,
            "serviceAccount": {"create": True, "name": operator.service_account},
            "enableShield": False,
            "enableWaf": False,
            "enableWafv2": True,
            "enableServiceMutatorWebhook": False,
            "createIngressClassResource": True,
            "ingressClass": "alb",
        }
    if operator is EXTERNAL_SECRETS:
        return {
            "installCRDs": True,
            "serviceAccount": {"create": True, "name": operator.service_account},
        }
    if operator is CLUSTER_AUTOSCALER:
        return {
            "cloudProvider": "aws",
            "awsRegion": region,
            "autoDiscovery": {"clusterName": cluster_name},
            "rbac": {"serviceAccount": {"create": True, "name": operator.service_account}},
            # The autoscaler's minor version must match the cluster's.
            "image": {"tag": f"v{kubernetes_version}.0"},
            "extraArgs": {"balance-similar-node-groups": True, "expander": "least-waste"},
        }
    if operator is KARPENTER:
        return {
            "settings": {"clusterName": cluster_name, "interruptionQueue": interruption_queue},
            "serviceAccount": {"create": True, "name": operator.service_account},
            "replicas": 2,
            # Nodes block pods from the instance metadata service (hop limit 1).
            "controller": {"env": [{"name": "AWS_REGION", "value": region}]},
        }
    return {"serviceAccount": {"operator": {"create": True, "name": operator.service_account}}}


def helm_release(
    c: GridopsComponent,
    operator: Operator,
    version: str,
    values: dict[str, Any],
    provider: k8s.Provider,
    depends_on: list[pulumi.Resource],
) -> k8s.helm.v3.Release:
    """One chart, pinned, installed atomically (a failed install or upgrade rolls back)."""
    repository = REPOSITORIES[operator.chart]
    source: dict[str, Any] = (
        {"chart": f"{repository}/{operator.chart}"}
        if repository.startswith("oci://")
        else {"chart": operator.chart, "repository_opts": {"repo": repository}}
    )
    return c.child(
        operator.role,
        k8s.helm.v3.Release,
        {
            "name": operator.chart,
            **source,
            "version": version,
            "namespace": operator.namespace,
            "create_namespace": operator.namespace != "kube-system",
            "values": values,
            "atomic": True,
            "cleanup_on_fail": True,
            "timeout": 600,
        },
        suffix=operator.chart,
        opts=pulumi.ResourceOptions(provider=provider, depends_on=depends_on),
        tag=False,
    )
