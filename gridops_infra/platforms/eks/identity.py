"""Workload identities on EksCluster: one IAM role per Kubernetes service account.

On nodes a role is bound with an EKS Pod Identity association; in namespaces that run
on Fargate (where Pod Identity is not available) the same role trusts the cluster's OIDC
provider instead (IRSA) and the service account carries the `eks.amazonaws.com/role-arn`
annotation. Either way the caller gets the role and what to put on the service account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.physical_names import autoname_args, fit_name_tag
from gridops_infra.platforms.eks.iam import irsa_trust, pod_identity_trust, role_trust

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"

# make(role, resource class, args, suffix, opts) -> resource: how the caller creates a
# child (EksCluster.child for the cluster's own add-ons, parented resources for services).
Make = Callable[..., Any]


@dataclass
class PodIdentityRole:
    """A service account's IAM role and how it is bound."""

    role: aws.iam.Role
    trust_policy: pulumi.Output[str]
    """The role's trust policy JSON."""
    policy_document: pulumi.Output[str] | None
    """The inline permissions policy JSON (None when the role has no statements)."""
    association: aws.eks.PodIdentityAssociation | None
    """The Pod Identity association (None in a Fargate namespace, which uses IRSA)."""
    service_account_annotations: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    """Annotations the ServiceAccount needs (the IRSA role ARN on Fargate, else none)."""

    @property
    def role_arn(self) -> pulumi.Output[str]:
        return self.role.arn


@dataclass(frozen=True)
class ClusterIdentity:
    """What identities need to know about the cluster."""

    cluster_name: str
    oidc_provider_arn: pulumi.Output[str]
    issuer_url: pulumi.Output[str]
    fargate_namespaces: tuple[str, ...]
    ready: Sequence[pulumi.Resource] = ()
    """Resources associations wait for (the Pod Identity agent add-on)."""


def workload_role(
    make: Make,
    cluster: ClusterIdentity,
    namespace: str,
    service_account: str,
    statements: Sequence[dict[str, Any]],
    *,
    roles: tuple[str, str, str] = ("role", "role_policy", "pod_identity"),
    description: str = "",
) -> PodIdentityRole:
    """A role for `namespace/service_account` with exactly `statements` as its inline
    policy. `roles` are the transform roles of the role, its policy and its association."""
    on_fargate = namespace in cluster.fargate_namespaces
    trust = (
        irsa_trust(cluster.oidc_provider_arn, cluster.issuer_url, namespace, service_account)
        if on_fargate
        else pod_identity_trust(cluster.cluster_name, namespace, service_account)
    )
    role = make(
        roles[0],
        aws.iam.Role,
        {
            "assume_role_policy": trust,
            "description": description or f"{namespace}/{service_account}",
        },
        "role",
    )
    document = _inline_policy(make, roles[1], role, statements)
    if on_fargate:
        return PodIdentityRole(role, trust, document, None, {IRSA_ANNOTATION: role.arn})
    association = make(
        roles[2],
        aws.eks.PodIdentityAssociation,
        {
            "cluster_name": cluster.cluster_name,
            "namespace": namespace,
            "service_account": service_account,
            "role_arn": role.arn,
        },
        "pod-identity",
        pulumi.ResourceOptions(depends_on=list(cluster.ready)),
    )
    return PodIdentityRole(role, trust, document, association)


def assumed_role(
    make: Make,
    operator_role_arn: pulumi.Input[str],
    path: str,
    statements: Sequence[dict[str, Any]],
    *,
    roles: tuple[str, str] = ("role", "role_policy"),
    description: str = "",
) -> tuple[aws.iam.Role, pulumi.Output[str], pulumi.Output[str] | None]:
    """A role under `path` that only `operator_role_arn` may assume (KEDA reading one
    queue's depth)."""
    trust = role_trust(operator_role_arn)
    return path_role(make, trust, path, statements, roles=roles, description=description)


def path_role(
    make: Make,
    trust: pulumi.Output[str],
    path: str,
    statements: Sequence[dict[str, Any]],
    *,
    roles: tuple[str, str] = ("role", "role_policy"),
    description: str = "",
) -> tuple[aws.iam.Role, pulumi.Output[str], pulumi.Output[str] | None]:
    """A role under `path` with `trust` and exactly `statements` as its inline policy.
    Returns (role, trust policy JSON, permissions policy JSON or None)."""
    role = make(
        roles[0],
        aws.iam.Role,
        {"assume_role_policy": trust, "path": path, "description": description or path},
        "role",
    )
    return role, trust, _inline_policy(make, roles[1], role, statements)


def _inline_policy(
    make: Make, role_key: str, role: aws.iam.Role, statements: Sequence[dict[str, Any]]
) -> pulumi.Output[str] | None:
    if not statements:
        return None
    document = iam.policy_document(list(statements))
    make(role_key, aws.iam.RolePolicy, {"role": role.name, "policy": document}, "policy")
    return document


def prefixed_maker(owner: GridopsComponent, prefix: str) -> Make:
    """`make` creating `owner`'s children named `<owner>-<prefix>-<suffix>` (one
    operator's or one observability part's resources)."""

    def make(
        role: str,
        cls: type,
        args: dict[str, Any],
        suffix: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> Any:
        return owner.child(role, cls, args, suffix=f"{prefix}-{suffix}", opts=opts)

    return make


def parented_maker(name: str, parent: pulumi.Resource, tags: dict[str, str] | None = None) -> Make:
    """`make` for resources a service creates on the cluster: named `f"{name}-{suffix}"`,
    parented to the service component."""

    def make(
        _role: str,
        cls: type,
        args: dict[str, Any],
        suffix: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> Any:
        merged = pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=parent), opts)
        if tags and cls is not aws.iam.RolePolicy:
            args = {**args, "tags": {**tags, **(args.get("tags") or {})}}
        logical = f"{name}-{suffix}"
        args, named_opts = autoname_args(cls, logical, fit_name_tag(args), merged)
        return cls(logical, opts=named_opts, **args)

    return make
