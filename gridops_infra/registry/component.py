"""ContainerRepository: one ECR repository per service, safe by default."""

from __future__ import annotations

import weakref
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.ecr import REGISTRY_SETTINGS_ONE_PER_REGISTRY
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.validation import check_name
from gridops_infra.registry.access import RepositoryAccess
from gridops_infra.registry.args import (
    CHILD_ROLES,
    COMPONENT,
    ContainerRepositoryArgs,
    read_settings,
)
from gridops_infra.registry.policies import lifecycle_policy

# Registry-wide settings already written in this program, by the deployment's monitor (one
# per `pulumi up` or offline preview), so a second writer is refused before it registers.
_REGISTRY_SETTINGS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _registry_settings_taken() -> dict[str, str] | None:
    monitor = pulumi.runtime.settings.get_monitor()
    if monitor is None:
        return None
    try:
        return _REGISTRY_SETTINGS.setdefault(monitor, {})
    except TypeError:  # a monitor that cannot be weakly referenced: the policy rule judges
        return None


class ContainerRepository(RepositoryAccess, GridopsComponent):
    """An ECR repository for one service's images: immutable tags, scan on push, a
    lifecycle policy, encryption with a customer-managed KMS key, and (optionally)
    cross-Region replication. Images are never deleted with it unless `force_delete`.

    Workloads that run its images link it (`links=[repo]`): the platform's pulling identity
    gets pull rights on this repository's ARN only. CI pushes through `grant_push(role)`.

    Example:
        ```python
        api_repo = ContainerRepository("api", {"keep_tagged_count": 100})
        StatelessService("api", {"platform": cluster,
                                 "image": api_repo.image("sha256:<64 hex>"),
                                 "links": [api_repo], ...})
        ```
    """

    TYPE = "gridops:aws:ContainerRepository"
    CHILD_ROLES = CHILD_ROLES

    arn: pulumi.Output[str]
    """The repository's ARN (what pull and push grants are scoped to)."""
    repository_url: pulumi.Output[str]
    """`<account>.dkr.ecr.<region>.amazonaws.com/<name>`: push to it, deploy `image(digest)`."""
    repository_name: pulumi.Output[str]
    """The repository's name."""
    registry_id: pulumi.Output[str]
    """The account id of the registry."""
    kms_key_arn: pulumi.Output[str] | None
    """The customer-managed key encrypting the images (None with AWS-managed encryption)."""

    def __init__(
        self,
        name: str,
        args: ContainerRepositoryArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        region = iam.region_name()
        settings = read_settings(name, args, region)
        taken = _registry_settings_taken()
        if taken is not None:
            for setting in settings.registry_wide:
                if setting in taken:
                    field = "replica_regions" if setting == "replication" else "scanning"
                    raise REGISTRY_SETTINGS_ONE_PER_REGISTRY.refuse(
                        f"{COMPONENT} '{name}'",
                        field,
                        f"ContainerRepository '{taken[setting]}' of this stack already writes "
                        f"the registry's {setting} configuration",
                    )

        super().__init__(name, opts, transforms=settings.transforms, tags=settings.tags)
        if taken is not None:
            for setting in settings.registry_wide:
                taken[setting] = name
        self.settings = settings

        key_arn: pulumi.Input[str] | None = settings.kms_key_arn
        self.kms_key_arn = None
        if settings.encryption == "customer-key" and key_arn is None:
            key = self.child(
                "kms_key",
                aws.kms.Key,
                {
                    "description": f"Encrypts the images of ECR repository {settings.repository_name}",
                    "enable_key_rotation": True,
                    "deletion_window_in_days": 30,
                },
                suffix="key",
            )
            key_arn = key.arn
        if key_arn is not None:
            self.kms_key_arn = pulumi.Output.from_input(key_arn)

        repository_args: dict[str, Any] = {
            "name": settings.repository_name,
            "image_tag_mutability": settings.tag_mutability,
            "image_scanning_configuration": {"scan_on_push": settings.scanning == "basic-on-push"},
            "encryption_configurations": [
                {"encryption_type": "KMS", **({"kms_key": key_arn} if key_arn else {})}
            ],
            "force_delete": settings.force_delete,
        }
        if settings.mutable_tags:
            repository_args["image_tag_mutability_exclusion_filters"] = [
                {"filter": tag, "filter_type": "WILDCARD"} for tag in settings.mutable_tags
            ]
        repository = self.child("repository", aws.ecr.Repository, repository_args, suffix="repo")
        self.child(
            "lifecycle_policy",
            aws.ecr.LifecyclePolicy,
            {
                "repository": repository.name,
                "policy": lifecycle_policy(
                    settings.untagged_expire_days, settings.keep_tagged_count
                ),
            },
            suffix="lifecycle",
        )
        if settings.replica_regions:
            self.child(
                "replication",
                aws.ecr.ReplicationConfiguration,
                {
                    "replication_configuration": {
                        "rules": [
                            {
                                "destinations": [
                                    {"region": r, "registry_id": repository.registry_id}
                                    for r in settings.replica_regions
                                ],
                                "repository_filters": [
                                    {
                                        "filter": settings.registry_filter_prefix,
                                        "filter_type": "PREFIX_MATCH",
                                    }
                                ],
                            }
                        ]
                    }
                },
                opts=pulumi.ResourceOptions(depends_on=[repository]),
            )
        if settings.scanning.startswith("enhanced"):
            self.child(
                "scanning",
                aws.ecr.RegistryScanningConfiguration,
                {
                    "scan_type": "ENHANCED",
                    "rules": [
                        {
                            "scan_frequency": "SCAN_ON_PUSH"
                            if settings.scanning == "enhanced-on-push"
                            else "CONTINUOUS_SCAN",
                            "repository_filters": [
                                {
                                    "filter": f"{settings.registry_filter_prefix}*",
                                    "filter_type": "WILDCARD",
                                }
                            ],
                        }
                    ],
                },
            )
        self.arn = repository.arn
        self.repository_url = repository.repository_url
        self.repository_name = repository.name
        self.registry_id = repository.registry_id
        self.register_outputs(
            {
                "arn": self.arn,
                "repository_url": self.repository_url,
                "repository_name": self.repository_name,
            }
        )

    def _role_policy(self, suffix: str, role: str, args: dict[str, Any]) -> aws.iam.RolePolicy:
        if role == "pull_policy":
            return self.child("pull_policy", aws.iam.RolePolicy, args, suffix=suffix)
        return self.child("push_policy", aws.iam.RolePolicy, args, suffix=suffix)


__all__ = ["ContainerRepository"]
