"""Repository credentials for a GitOps controller, from a Secrets Manager secret through
External Secrets (never in the manifest or the stack state): a reader role trusting one
ServiceAccount token of the controller's namespace, that ServiceAccount, a SecretStore and
an ExternalSecret writing the Kubernetes Secret the controller reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.service.eks import secrets as eks_secrets

ROLES = (
    "credentials_role",
    "credentials_role_policy",
    "credentials_reader_account",
    "credentials_store",
    "credentials",
)
READER_WORKLOAD = "gitops-repository"
SECRET_NAME = "gitops-repository"
"""The Kubernetes Secret the controller reads the credentials from."""
REFRESH_INTERVAL = "1h"


def credentials_external_secret(
    namespace: str,
    store_name: str,
    secret_arn: str,
    labels: Mapping[str, str],
    template_data: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The ExternalSecret: the secret's JSON keys (`username`, `password`) become the
    Secret's keys, or `template_data` shapes them (Argo CD's repository Secret)."""
    target: dict[str, Any] = {"name": SECRET_NAME, "creationPolicy": "Owner"}
    template: dict[str, Any] = {"metadata": {"labels": dict(labels)}}
    if template_data:
        template["data"] = dict(template_data)
    target["template"] = template
    return {
        "apiVersion": eks_secrets.API_VERSION,
        "kind": "ExternalSecret",
        "metadata": {
            "name": SECRET_NAME,
            "namespace": namespace,
            "annotations": {"pulumi.com/waitFor": "condition=Ready"},
        },
        "spec": {
            "refreshInterval": REFRESH_INTERVAL,
            "secretStoreRef": {"name": store_name, "kind": "SecretStore"},
            "target": target,
            "dataFrom": [{"extract": {"key": secret_arn}}],
        },
    }


def build_credentials(
    owner: GridopsComponent,
    cluster: Any,
    namespace: str,
    secret_arn: str,
    region: str,
    *,
    labels: Mapping[str, str],
    template_data: Mapping[str, str] | None = None,
    depends_on: list[pulumi.Resource],
) -> pulumi.Resource:
    """The objects that put `secret_arn`'s `username`/`password` into the Secret
    `SECRET_NAME` of `namespace`; returns the ExternalSecret (wait on it)."""
    reader = eks_secrets.reader_account_name(READER_WORKLOAD)
    role = owner.child(
        "credentials_role",
        aws.iam.Role,
        {
            "assume_role_policy": cluster.secrets_reader_trust(namespace, reader),
            "path": cluster.assumed_role_path("external-secrets"),
            "description": f"External Secrets reads the repository credentials of "
            f"{owner.name} on EKS cluster {cluster.name}",
        },
        suffix="credentials-role",
    )
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                iam.statement(
                    ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    [secret_arn],
                    sid="ReadRepositoryCredentials",
                )
            ],
        },
        sort_keys=True,
    )
    policy = owner.child(
        "credentials_role_policy",
        aws.iam.RolePolicy,
        {"role": role.name, "policy": document},
        suffix="credentials-policy",
    )
    account_manifest = role.arn.apply(
        lambda arn: eks_secrets.reader_service_account(READER_WORKLOAD, namespace, arn)
    )
    k8s_opts = pulumi.ResourceOptions(provider=cluster.provider, depends_on=depends_on)
    account = owner.child(
        "credentials_reader_account",
        k8s.core.v1.ServiceAccount,
        {
            "metadata": account_manifest.apply(lambda m: m["metadata"]),
            "automount_service_account_token": False,
        },
        suffix="credentials-reader",
        opts=k8s_opts,
        tag=False,
    )
    store = eks_secrets.secret_store("secretsmanager", namespace, region, reader)
    store_cr = owner.child(
        "credentials_store",
        k8s.apiextensions.CustomResource,
        {
            "api_version": store["apiVersion"],
            "kind": store["kind"],
            "metadata": store["metadata"],
            "spec": store["spec"],
        },
        suffix="credentials-store",
        opts=pulumi.ResourceOptions(
            provider=cluster.provider,
            depends_on=[*depends_on, policy, account, cluster.releases["external-secrets"]],
        ),
        tag=False,
    )
    external = credentials_external_secret(
        namespace, store["metadata"]["name"], secret_arn, labels, template_data
    )
    return owner.child(
        "credentials",
        k8s.apiextensions.CustomResource,
        {
            "api_version": external["apiVersion"],
            "kind": external["kind"],
            "metadata": external["metadata"],
            "spec": external["spec"],
        },
        suffix="credentials",
        opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=[store_cr]),
        tag=False,
    )
