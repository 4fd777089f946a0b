"""What an `aws:eks:pod-delete` drill needs inside the cluster (FIS docs, "Use the AWS FIS
aws:eks:pod actions"):

- a Kubernetes ServiceAccount in the target namespace, which the fault orchestration pod
  FIS starts runs as (the action's `kubernetesServiceAccount`);
- a namespaced Role and a RoleBinding granting it to that ServiceAccount and to the
  Kubernetes user the experiment role is mapped to;
- an EKS access entry mapping the experiment role to that user (the cluster authenticates
  with access entries, so no aws-auth ConfigMap), with no access policy: Kubernetes RBAC
  alone decides what FIS may do, in this namespace only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.physical_names import KUBERNETES_NAME, LABEL_VALUE, physical_name
from gridops_infra.resilience.roles import EKS_ROLES
from gridops_infra.resilience.targets import DrillPlan

# The rules FIS documents for its pod actions, minus `pods/exec` and
# `pods/ephemeralcontainers`: only the fault-injecting actions use ephemeral containers,
# `aws:eks:pod-delete` does not, so this Role grants neither.
POD_DELETE_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create", "delete", "get", "patch"]},
    {
        "apiGroups": [""],
        "resources": ["pods"],
        "verbs": ["create", "delete", "deletecollection", "get", "list"],
    },
    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]},
]
ROLES = EKS_ROLES


@dataclass(frozen=True)
class PodDeleteAccess:
    service_account: str
    """The ServiceAccount the FIS pod runs as."""
    user_name: str
    """The Kubernetes user the experiment role is mapped to."""
    ready: list[pulumi.Resource]
    """What the experiment template waits for."""


def pod_delete_access(
    owner: GridopsComponent, plan: DrillPlan, role_arn: pulumi.Input[str]
) -> PodDeleteAccess:
    service = plan.target
    cluster = service.platform
    namespace = service.kubernetes_namespace
    account = physical_name(f"fis-{owner.name.lower()}", KUBERNETES_NAME)
    user = f"fis-{owner.name}-{service.name}"
    k8s_opts = pulumi.ResourceOptions(provider=cluster.provider, depends_on=[service])
    labels = {
        "app.kubernetes.io/managed-by": "gridops",
        "app.kubernetes.io/part-of": physical_name(owner.name, LABEL_VALUE),
    }

    def meta(name: str) -> dict[str, Any]:
        return {"name": name, "namespace": namespace, "labels": labels}

    # The FIS pod calls the Kubernetes API with this account's token, so it is mounted.
    owner.child(
        "service_account",
        k8s.core.v1.ServiceAccount,
        {"metadata": meta(account)},
        suffix=f"{plan.key}-sa",
        opts=k8s_opts,
        tag=False,
    )
    owner.child(
        "kubernetes_role",
        k8s.rbac.v1.Role,
        {"metadata": meta(account), "rules": POD_DELETE_RULES},
        suffix=f"{plan.key}-k8s-role",
        opts=k8s_opts,
        tag=False,
    )
    binding = owner.child(
        "role_binding",
        k8s.rbac.v1.RoleBinding,
        {
            "metadata": meta(account),
            "role_ref": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": account},
            "subjects": [
                {"kind": "ServiceAccount", "name": account, "namespace": namespace},
                {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user},
            ],
        },
        suffix=f"{plan.key}-binding",
        opts=k8s_opts,
        tag=False,
    )
    entry = owner.child(
        "access_entry",
        aws.eks.AccessEntry,
        {
            "cluster_name": cluster.cluster_name,
            "principal_arn": role_arn,
            "type": "STANDARD",
            "user_name": user,
        },
        suffix=f"{plan.key}-access",
    )
    return PodDeleteAccess(account, user, [binding, entry])


__all__ = ["POD_DELETE_RULES", "ROLES", "PodDeleteAccess", "pod_delete_access"]
