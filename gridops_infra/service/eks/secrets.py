"""Secrets of a StatelessService on EKS through External Secrets Operator.

The service's secrets stay in Secrets Manager / SSM Parameter Store. A namespaced
SecretStore per AWS service tells ESO to read them through a role made for this service
alone (`EksCluster.secrets_reader_role`: it can read exactly these ARNs and nothing
else); an ExternalSecret per store syncs them into a Kubernetes Secret the Deployment
reads with `secretKeyRef`. A rotated value reaches the Secret within
`REFRESH_INTERVAL` and the pods at their next restart.

How ESO gets that role (AWS provider JWT auth): the SecretStore names the service's
reader ServiceAccount (`<name>-secrets-reader`, in the service's namespace, used by no
pod), whose `eks.amazonaws.com/role-arn` annotation is the reader role. ESO requests a
token for it (TokenRequest, audience `sts.amazonaws.com`) and calls
AssumeRoleWithWebIdentity; the role trusts only that ServiceAccount's token from the
cluster's OIDC issuer. A namespaced SecretStore can only name ServiceAccounts of its own
namespace, so a SecretStore elsewhere cannot get the role, even naming its ARN.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gridops_infra.core import iam
from gridops_infra.service.spec.checks import secret_policy_arn

API_VERSION = "external-secrets.io/v1"
REFRESH_INTERVAL = "15m"
STORES = {
    "secretsmanager": ("aws-secrets-manager", "SecretsManager", "app-secrets"),
    "ssm": ("aws-parameter-store", "ParameterStore", "app-parameters"),
}
PULL_SECRET = "registry-credentials"
DOCKER_HUB = "https://index.docker.io/v1/"
READER_SUFFIX = "-secrets-reader"
# ESO's AWS JWT auth reads the role to get from this annotation of the referenced
# ServiceAccount (the IRSA annotation; no pod uses the account, so nothing else reads it).
ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn"


@dataclass(frozen=True)
class SecretRef:
    """One secret an env var reads: which store, which Kubernetes Secret and key."""

    env: str
    container: str | None  # None: the app container
    value_from: str  # the ECS-style ARN (Secrets Manager ARN may end :json-key:stage:id)

    @property
    def store(self) -> str:
        return "secretsmanager" if ":secretsmanager:" in self.value_from else "ssm"

    @property
    def secret_name(self) -> str:
        return STORES[self.store][2]

    @property
    def key(self) -> str:
        return self.env if self.container is None else f"{self.container}.{self.env}"

    def remote_ref(self) -> dict[str, str]:
        if self.store == "ssm":
            # parameter ARN -> parameter name (`/path/name`)
            return {"key": "/" + self.value_from.split(":parameter/", 1)[1]}
        parts = self.value_from.split(":")
        ref = {"key": ":".join(parts[:7])}
        json_key, stage, version_id = [*parts[7:], "", "", ""][:3]
        if json_key:
            ref["property"] = json_key
        if version_id:
            ref["version"] = f"uuid/{version_id}"
        elif stage:
            ref["version"] = stage
        return ref


def secret_refs(
    app: Mapping[str, str], sidecars: Sequence[tuple[str, Mapping[str, str]]]
) -> list[SecretRef]:
    refs = [SecretRef(env, None, arn) for env, arn in sorted(app.items())]
    for container, secrets in sidecars:
        refs += [SecretRef(env, container, arn) for env, arn in sorted(secrets.items())]
    return refs


def reader_account_name(workload: str) -> str:
    """The ServiceAccount whose token External Secrets exchanges for `workload`'s reader
    role."""
    return f"{workload}{READER_SUFFIX}"


def reader_service_account(workload: str, namespace: str, role_arn: str) -> dict[str, Any]:
    """The reader ServiceAccount: names the reader role for ESO and mounts no token (no
    pod runs as it; only ESO requests short-lived tokens for it)."""
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {
            "name": reader_account_name(workload),
            "namespace": namespace,
            "labels": {
                "app.kubernetes.io/name": workload,
                "app.kubernetes.io/component": "secrets-reader",
                "app.kubernetes.io/managed-by": "gridops",
            },
            "annotations": {ROLE_ARN_ANNOTATION: role_arn},
        },
        "automountServiceAccountToken": False,
    }


def secret_store(store: str, namespace: str, region: str, service_account: str) -> dict[str, Any]:
    """A SecretStore reading through the role of `service_account` (same namespace). No
    `role`: ESO would then chain an AssumeRole from the reader role, which its trust
    does not allow."""
    name, service, _ = STORES[store]
    auth = {"jwt": {"serviceAccountRef": {"name": service_account}}}
    return {
        "apiVersion": API_VERSION,
        "kind": "SecretStore",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"provider": {"aws": {"service": service, "region": region, "auth": auth}}},
    }


def external_secret(store: str, namespace: str, refs: Sequence[SecretRef]) -> dict[str, Any]:
    name, _, target = STORES[store]
    return {
        "apiVersion": API_VERSION,
        "kind": "ExternalSecret",
        "metadata": {
            "name": target,
            "namespace": namespace,
            # `pulumi up` waits until ESO has synced the Secret the pods read.
            "annotations": {"pulumi.com/waitFor": "condition=Ready"},
        },
        "spec": {
            "refreshInterval": REFRESH_INTERVAL,
            "secretStoreRef": {"name": name, "kind": "SecretStore"},
            "target": {"name": target, "creationPolicy": "Owner"},
            "data": [
                {"secretKey": r.key, "remoteRef": r.remote_ref()} for r in refs if r.store == store
            ],
        },
    }


def registry(image: str) -> str:
    """The registry an image is pulled from, as a docker config `auths` key."""
    first = image.split("/", 1)[0]
    if "/" in image and ("." in first or ":" in first or first == "localhost"):
        return first
    return DOCKER_HUB


def pull_secret(namespace: str, image: str, secret_arn: str) -> dict[str, Any]:
    """A dockerconfigjson Secret from a Secrets Manager secret holding `username` and
    `password` (the format ECS private registry authentication uses)."""
    auths = {registry(image): {"username": "{{ .username }}", "password": "{{ .password }}"}}
    return {
        "apiVersion": API_VERSION,
        "kind": "ExternalSecret",
        "metadata": {
            "name": PULL_SECRET,
            "namespace": namespace,
            "annotations": {"pulumi.com/waitFor": "condition=Ready"},
        },
        "spec": {
            "refreshInterval": REFRESH_INTERVAL,
            "secretStoreRef": {"name": STORES["secretsmanager"][0], "kind": "SecretStore"},
            "target": {
                "name": PULL_SECRET,
                "creationPolicy": "Owner",
                "template": {
                    "type": "kubernetes.io/dockerconfigjson",
                    "engineVersion": "v2",
                    "data": {".dockerconfigjson": json.dumps({"auths": auths})},
                },
            },
            "dataFrom": [{"extract": {"key": secret_policy_arn(secret_arn)}}],
        },
    }


def reader_statements(
    value_froms: Sequence[str],
    secret_arns: Sequence[str],
    kms_key_arns: Sequence[str],
    region: str,
) -> list[dict[str, Any]]:
    """Exactly what External Secrets needs to read this service's secrets."""
    arns = {secret_policy_arn(v) for v in value_froms} | set(secret_arns)
    manager = sorted(a for a in arns if ":secretsmanager:" in a)
    parameters = sorted(a for a in arns if ":ssm:" in a)
    out = []
    if manager:
        out.append(
            iam.statement(
                ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                manager,
                sid="ReadSecrets",
            )
        )
    if parameters:
        out.append(iam.statement(["ssm:GetParameter"], parameters, sid="ReadParameters"))
    if kms_key_arns:
        out.append(
            iam.statement(
                ["kms:Decrypt"],
                sorted(set(kms_key_arns)),
                sid="DecryptSecrets",
                conditions={
                    "StringEquals": {
                        "kms:ViaService": [
                            f"secretsmanager.{region}.amazonaws.com",
                            f"ssm.{region}.amazonaws.com",
                        ]
                    }
                },
            )
        )
    return out


__all__ = [
    "PULL_SECRET",
    "ROLE_ARN_ANNOTATION",
    "SecretRef",
    "external_secret",
    "pull_secret",
    "reader_account_name",
    "reader_service_account",
    "reader_statements",
    "secret_refs",
    "secret_store",
]
