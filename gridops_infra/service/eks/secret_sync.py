"""The External Secrets objects of a StatelessService (or SqsWorkerQueue worker) on EKS
as Pulumi resources: the reader role, the reader ServiceAccount whose token External
Secrets exchanges for it (the role trusts that one token subject only), a SecretStore
per AWS service the secrets live in and an ExternalSecret per store (manifests from
`eks_secrets`)."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service.eks import secrets as eks_secrets
from gridops_infra.service.eks.checks import Prepared
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = (
    "secret_store",
    "external_secret",
    "secrets_role",
    "secrets_role_policy",
    "secrets_reader_account",
)
"""The child roles `sync_secrets` creates (for `transforms`), on services and workers."""


def sync_secrets(
    service: GridopsComponent,
    spec: ServiceSpec,
    cluster: EksCluster,
    prepared: Prepared,
    resolved: pulumi.Output[dict[str, Any]],
    refs: pulumi.Output[list[eks_secrets.SecretRef]],
    region: str,
    documents: dict[str, pulumi.Output[str]],
    namespace: pulumi.Resource,
) -> tuple[aws.iam.Role | None, list[pulumi.Resource]]:
    """The reader role and ServiceAccount External Secrets reads through, a SecretStore
    per AWS service used and an ExternalSecret per store (plus the registry credentials,
    when given)."""
    grant = prepared.grant
    value_froms = [
        *spec.secrets.values(),
        *grant.secrets.values(),
        *(v for s in spec.containers for v in s.secrets.values()),
    ]
    pull = spec.image_pull_secret_arn
    if not value_froms and not pull:
        return None, []
    stores = sorted(
        {
            "secretsmanager" if ":secretsmanager:" in str(v) else "ssm"
            for v in value_froms
            if isinstance(v, str)
        }
        | ({"secretsmanager"} if pull else set())
    )
    if any(not isinstance(v, str) for v in value_froms):
        stores = sorted({*stores, "secretsmanager"})  # Outputs are link secrets: Secrets Manager
    reader = eks_secrets.reader_account_name(spec.name)
    role = service.child(
        "secrets_role",
        aws.iam.Role,
        {
            "assume_role_policy": cluster.secrets_reader_trust(prepared.namespace, reader),
            "path": cluster.assumed_role_path("external-secrets"),
            "description": f"External Secrets reads the secrets of {spec.name} on EKS "
            f"cluster {cluster.name}",
        },
        suffix="secrets-role",
    )
    document = resolved.apply(
        lambda v: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": eks_secrets.reader_statements(
                    [
                        *v["secrets"].values(),
                        *(x for s in v["sidecars"] for x in s["secrets"].values()),
                        *([pull] if pull else []),
                    ],
                    v["secret_arns"],
                    v["kms_key_arns"],
                    region,
                ),
            },
            sort_keys=True,
        )
    )
    documents["secrets"] = document
    policy = service.child(
        "secrets_role_policy",
        aws.iam.RolePolicy,
        {"role": role.name, "policy": document},
        suffix="secrets-policy",
    )
    account_manifest = role.arn.apply(
        lambda arn: eks_secrets.reader_service_account(spec.name, prepared.namespace, arn)
    )
    account = service.child(
        "secrets_reader_account",
        k8s.core.v1.ServiceAccount,
        {
            "metadata": account_manifest.apply(lambda m: m["metadata"]),
            "automount_service_account_token": account_manifest.apply(
                lambda m: m["automountServiceAccountToken"]
            ),
        },
        suffix="secrets-reader",
        opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=[namespace]),
        tag=False,
    )
    opts = pulumi.ResourceOptions(
        provider=cluster.provider,
        depends_on=[policy, account, cluster.releases["external-secrets"], namespace],
    )
    made: list[pulumi.Resource] = []
    refs = refs.apply(lambda rs: _in_stores(spec.name, rs, stores))
    for store in stores:
        manifest = pulumi.Output.from_input(
            eks_secrets.secret_store(store, prepared.namespace, region, reader)
        )
        store_cr = _custom(service, "secret_store", f"store-{store}", manifest, opts)
        external = refs.apply(
            lambda rs, st=store: eks_secrets.external_secret(st, prepared.namespace, rs)
        )
        made.append(
            _custom(
                service,
                "external_secret",
                f"secrets-{store}",
                external,
                pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[store_cr])),
            )
        )
    if pull:
        manifest = pulumi.Output.from_input(spec.image).apply(
            lambda image: eks_secrets.pull_secret(prepared.namespace, image, pull)
        )
        made.append(_custom(service, "external_secret", "registry-credentials", manifest, opts))
    return role, made


def _in_stores(
    service: str, refs: list[eks_secrets.SecretRef], stores: list[str]
) -> list[eks_secrets.SecretRef]:
    """The stores are chosen before link Outputs resolve (those are taken as Secrets
    Manager ARNs); a reference that resolves to another store is an error, not a
    silently missing env var."""
    for ref in refs:
        if ref.store not in stores:
            # What it resolved to stays out of the message: it may be the secret itself.
            raise ArgError(
                f"StatelessService '{service}': secrets[{ref.env!r}] resolved to an "
                f"{ref.store} reference (value hidden) after the SecretStores were chosen "
                "from the plain ARNs (an Output is taken as a Secrets Manager secret); give "
                "an SSM parameter ARN as a plain string"
            )
    return refs


def _custom(
    service: GridopsComponent,
    role: str,
    suffix: str,
    manifest: pulumi.Output[dict[str, Any]],
    opts: pulumi.ResourceOptions,
) -> Any:
    kind = "SecretStore" if role == "secret_store" else "ExternalSecret"
    return service.child(
        role,
        k8s.apiextensions.CustomResource,
        {
            "api_version": eks_secrets.API_VERSION,
            "kind": kind,
            "metadata": manifest.apply(lambda m: m["metadata"]),
            "spec": manifest.apply(lambda m: m["spec"]),
        },
        suffix=suffix,
        opts=opts,
        tag=False,
    )
