"""The settings every private gridops bucket carries: all public access blocked, ACLs
off, SSE-S3 encryption and versioning (lifecycle rules differ and stay with the owner)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from ._component import GridopsComponent


@dataclass(frozen=True)
class PrivateBucketSettings:
    public_access_block: aws.s3.BucketPublicAccessBlock
    versioning: aws.s3.BucketVersioning


def private_bucket_settings(
    owner: GridopsComponent,
    bucket: aws.s3.Bucket,
    *,
    role_prefix: str,
    suffix_prefix: str,
    public_access_suffix: str = "public-access-block",
    versioning_opts: pulumi.ResourceOptions | None = None,
) -> PrivateBucketSettings:
    """Children `<role_prefix>_public_access_block|_ownership|_encryption|_versioning`,
    named `<suffix_prefix>-<...>`."""
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
    owner.child(
        f"{role_prefix}_ownership",
        aws.s3.BucketOwnershipControls,
        {"bucket": bucket.id, "rule": {"object_ownership": "BucketOwnerEnforced"}},
        suffix=f"{suffix_prefix}-ownership",
    )
    owner.child(
        f"{role_prefix}_encryption",
        aws.s3.BucketServerSideEncryptionConfiguration,
        {
            "bucket": bucket.id,
            "rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
        },
        suffix=f"{suffix_prefix}-encryption",
    )
    versioning = owner.child(
        f"{role_prefix}_versioning",
        aws.s3.BucketVersioning,
        {"bucket": bucket.id, "versioning_configuration": {"status": "Enabled"}},
        suffix=f"{suffix_prefix}-versioning",
        opts=versioning_opts,
    )
    return PrivateBucketSettings(access_block, versioning)
