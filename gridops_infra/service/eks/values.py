"""The values every workload pod on EKS resolves before its manifests are rendered (a
StatelessService's and a queue worker's alike), and the secret references in them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from gridops_infra.core.links import LinkGrant
from gridops_infra.service.eks import secrets as eks_secrets
from gridops_infra.service.spec.settings import ServiceSpec


def pod_values(
    spec: ServiceSpec,
    grant: LinkGrant,
    service_account_annotations: Any,
    region: str,
    environment: Mapping[str, pulumi.Input[str]] | None = None,
) -> dict[str, Any]:
    """Image, environment (the region first, then the spec's, the links', then
    `environment`), secrets, sidecars, the ServiceAccount's annotations and what the
    secrets role must read. Values may be Outputs: resolve with Output.from_input."""
    return {
        "image": spec.image,
        # Pods cannot reach the instance metadata service (hop limit 1), so AWS SDKs get
        # their region here, as ECS sets it for tasks.
        "environment": {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            **spec.environment,
            **grant.environment,
            **(environment or {}),
        },
        "secrets": {**spec.secrets, **grant.secrets},
        "sidecars": [
            {"image": s.image, "environment": dict(s.environment), "secrets": dict(s.secrets)}
            for s in spec.containers
        ],
        "annotations": service_account_annotations,
        "secret_arns": list(grant.secret_arns),
        "kms_key_arns": list(grant.kms_key_arns),
    }


def secret_refs(spec: ServiceSpec, values: dict[str, Any]) -> list[eks_secrets.SecretRef]:
    """The synced-Secret references of the app and its sidecars, from resolved values."""
    return eks_secrets.secret_refs(
        values["secrets"],
        [(s.name, values["sidecars"][i]["secrets"]) for i, s in enumerate(spec.containers)],
    )


__all__ = ["pod_values", "secret_refs"]
