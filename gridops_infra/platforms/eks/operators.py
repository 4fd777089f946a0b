"""The controllers EksCluster installs with Helm, each with a Pod Identity role holding
only what it needs: the AWS Load Balancer Controller (scoped ALB management), KEDA (may
only assume the per-queue roles under its own IAM path) and the node autoscaler: Cluster
Autoscaler (this cluster's node groups) or Karpenter (nodes, launch templates and
instance profiles tagged as this cluster's, its interruption queue, PassRole on its node
role only).

External Secrets gets no AWS identity at all: it reads each workload's secrets with a
token it requests for that workload's reader ServiceAccount, exchanged for the
workload's reader role (AssumeRoleWithWebIdentity, trusted for that one namespace and
ServiceAccount), so its own pods hold no credentials a SecretStore could fall back on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.args import EksSettings
from gridops_infra.platforms.eks.helm import (
    CLUSTER_AUTOSCALER,
    EXTERNAL_SECRETS,
    KARPENTER,
    KEDA,
    LOAD_BALANCER_CONTROLLER,
    Operator,
    helm_release,
    operator_values,
)
from gridops_infra.platforms.eks.iam import (
    assume_path_statements,
    cluster_autoscaler_statements,
    karpenter_controller_statements,
)
from gridops_infra.platforms.eks.identity import ClusterIdentity, prefixed_maker, workload_role
from gridops_infra.platforms.eks.karpenter import KarpenterInfra
from gridops_infra.platforms.eks.lbc_policy import load_balancer_controller_statements


@dataclass
class Operators:
    releases: dict[str, k8s.helm.v3.Release] = field(default_factory=dict)
    role_arns: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    """Each operator's Pod Identity role ARN, by chart (External Secrets has none)."""
    trust_policies: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    policy_documents: dict[str, pulumi.Output[str]] = field(default_factory=dict)


def install_operators(
    c: GridopsComponent,
    s: EksSettings,
    identity: ClusterIdentity,
    provider: k8s.Provider,
    ready: list[pulumi.Resource],
    *,
    region: str,
    account: str,
    assumed_role_path: Callable[[str], str],
    karpenter: KarpenterInfra | None = None,
) -> Operators:
    """Every operator, installed once the nodes, CoreDNS and admin access exist and its
    own Pod Identity association does, if it has a role (so its first pod starts with
    credentials)."""
    cluster = identity.cluster_name
    roles_root = f"arn:aws:iam::{account}:role"
    # Statements of each operator's Pod Identity role; None: the operator gets no role.
    wanted: list[tuple[Operator, list[dict[str, Any]] | None]] = []
    if not s.auto_mode:  # Auto Mode runs load balancing itself
        statements = load_balancer_controller_statements(region, account, cluster, s.network.vpc_id)
        wanted.append((LOAD_BALANCER_CONTROLLER, statements))
    if s.keda:
        path = f"{roles_root}{assumed_role_path(KEDA.chart)}*"
        wanted.append((KEDA, assume_path_statements(path)))
    if s.external_secrets:
        wanted.append((EXTERNAL_SECRETS, None))
    if s.node_autoscaler == "cluster-autoscaler":
        wanted.append((CLUSTER_AUTOSCALER, cluster_autoscaler_statements(region, account, cluster)))
    if karpenter is not None:
        statements = karpenter_controller_statements(
            region,
            account,
            cluster,
            karpenter.node_role.arn,
            karpenter.queue.arn,
            karpenter.subnet_ids,
            karpenter.security_group_ids,
        )
        wanted.append((KARPENTER, statements))

    out = Operators()
    for op, statements in wanted:
        values = operator_values(
            op,
            cluster_name=cluster,
            region=region,
            vpc_id=s.network.vpc_id,
            kubernetes_version=s.kubernetes_version,
            interruption_queue=karpenter.queue.name if karpenter else None,
        )
        if statements is None:
            out.releases[op.chart] = helm_release(
                c, op, s.chart_versions[op.chart], values, provider, list(ready)
            )
            continue
        role = workload_role(
            prefixed_maker(c, op.short),
            identity,
            op.namespace,
            op.service_account,
            statements,
            roles=("operator_role", "operator_role_policy", "operator_pod_identity"),
            description=f"{op.chart} on EKS cluster {c.name}",
        )
        out.role_arns[op.chart] = role.role.arn
        out.trust_policies[op.chart] = role.trust_policy
        if role.policy_document is not None:
            out.policy_documents[op.chart] = role.policy_document
        after = [*ready, role.association] if role.association else list(ready)
        if op is KARPENTER and karpenter is not None:
            after.append(karpenter.queue)  # read from its first start
        out.releases[op.chart] = helm_release(
            c, op, s.chart_versions[op.chart], values, provider, after
        )
    return out
