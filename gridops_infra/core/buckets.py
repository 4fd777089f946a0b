"""The settings every gridops bucket carries: all public access blocked, ACLs off (or,
for CloudFront's access logs, only the log writer's), SSE-S3 encryption; private buckets
add versioning, log buckets an expiry (other lifecycle rules stay with the owner)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent

ObjectOwnership = Literal["BucketOwnerEnforced", "BucketOwnerPreferred"]


@dataclass(frozen=True)
class LockedDown:
    """The children that close a bucket (what a policy or writer must wait for)."""

    public_access_block: aws.s3.BucketPublicAccessBlock
    ownership: aws.s3.BucketOwnershipControls
    encryption: aws.s3.BucketServerSideEncryptionConfiguration


@dataclass(frozen=True)
class PrivateBucketSettings:
    public_access_block: aws.s3.BucketPublicAccessBlock
    versioning: aws.s3.BucketVersioning


def locked_down(
    owner: GridopsComponent,
    bucket: aws.s3.Bucket,
    *,
    role_prefix: str,
    suffix_prefix: str,
    public_access_suffix: str = "public-access-block",
    object_ownership: ObjectOwnership = "BucketOwnerEnforced",
) -> LockedDown:
    """Children `<role_prefix>_public_access_block|_ownership|_encryption`, named
    `<suffix_prefix>-<...>`: no public access, ACLs off (`BucketOwnerPreferred` only
    where a log writer still needs ACLs), SSE-S3."""
    access_block = owner.child(
        f"{role_prefix}_public_access_block",
        aws.s3.BucketPublicAccessBlock,
        {
            "bucket": bucket.id,
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        },
        suffix=f"{suffix_prefix}-{public_access_suffix}",
    )
    ownership = owner.child(
        f"{role_prefix}_ownership",
        aws.s3.BucketOwnershipControls,
        {"bucket": bucket.id, "rule": {"object_ownership": object_ownership}},
        suffix=f"{suffix_prefix}-ownership",
    )
    encryption = owner.child(
        f"{role_prefix}_encryption",
        aws.s3.BucketServerSideEncryptionConfiguration,
        {
            "bucket": bucket.id,
            "rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
        },
        suffix=f"{suffix_prefix}-encryption",
    )
    return LockedDown(access_block, ownership, encryption)


def private_bucket_settings(
    owner: GridopsComponent,
    bucket: aws.s3.Bucket,
    *,
    role_prefix: str,
    suffix_prefix: str,
    public_access_suffix: str = "public-access-block",
    versioning_opts: pulumi.ResourceOptions | None = None,
) -> PrivateBucketSettings:
    """`locked_down` plus versioning: children `<role_prefix>_public_access_block|
    _ownership|_encryption|_versioning`, named `<suffix_prefix>-<...>`."""
    closed = locked_down(
        owner,
        bucket,
        role_prefix=role_prefix,
        suffix_prefix=suffix_prefix,
        public_access_suffix=public_access_suffix,
    )
    versioning = owner.child(
        f"{role_prefix}_versioning",
        aws.s3.BucketVersioning,
        {"bucket": bucket.id, "versioning_configuration": {"status": "Enabled"}},
        suffix=f"{suffix_prefix}-versioning",
        opts=versioning_opts,
    )
    return PrivateBucketSettings(closed.public_access_block, versioning)


def access_log_settings(
    owner: GridopsComponent,
    bucket: aws.s3.Bucket,
    *,
    role_prefix: str,
    suffix_prefix: str,
    expire_days: int,
    object_ownership: ObjectOwnership = "BucketOwnerEnforced",
) -> LockedDown:
    """`locked_down` plus a lifecycle expiring the logs after `expire_days` (and stale
    multipart uploads after 7): children `<role_prefix>_...|_lifecycle`."""
    closed = locked_down(
        owner,
        bucket,
        role_prefix=role_prefix,
        suffix_prefix=suffix_prefix,
        object_ownership=object_ownership,
    )
    owner.child(
        f"{role_prefix}_lifecycle",
        aws.s3.BucketLifecycleConfiguration,
        {
            "bucket": bucket.id,
            "rules": [
                {
                    "id": "expire-access-logs",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "expiration": {"days": expire_days},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
                }
            ],
        },
        suffix=f"{suffix_prefix}-lifecycle",
    )
    return closed


__all__ = [
    "LockedDown",
    "PrivateBucketSettings",
    "access_log_settings",
    "locked_down",
    "private_bucket_settings",
]
