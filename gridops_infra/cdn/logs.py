"""CdnFrontend's access-log bucket.

CloudFront standard logging (legacy) writes through the bucket ACL: when the
distribution is created, CloudFront adds a grant for its log-delivery account
(awslogsdelivery) to the bucket's ACL, so the bucket must have ACLs enabled
(`BucketOwnershipControls` `BucketOwnerPreferred`, which also makes the bucket owner own
every log object). That grant is not public: all four public access blocks stay on. The
deploying identity needs s3:GetBucketAcl and s3:PutBucketAcl on the bucket. CloudFront
writes with SSE-S3 only, and cannot log to buckets in af-south-1, ap-east-1, eu-south-1
and me-south-1.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.buckets import access_log_settings
from gridops_infra.core.component import GridopsComponent

ROLES = (
    "log_bucket",
    "log_public_access_block",
    "log_ownership",
    "log_encryption",
    "log_lifecycle",
    "log_bucket_policy",
    "site_access_logging",
)
LOG_PREFIX = "cloudfront/"
SITE_LOG_PREFIX = "s3-site/"


def log_bucket(
    owner: GridopsComponent, retention_days: int, site_bucket: aws.s3.Bucket | None = None
) -> tuple[aws.s3.Bucket, list]:
    """The bucket and the configuration CloudFront needs before it can log (the
    distribution waits for it). Logs expire after `retention_days`; `force_destroy` stays
    off so deleting the stack never silently deletes audit logs. With `site_bucket`, that
    bucket's S3 server access logs land under `s3-site/` too (written by the S3 logging
    service, admitted by the bucket policy for that source bucket only)."""
    bucket = owner.child("log_bucket", aws.s3.Bucket, {"force_destroy": False}, suffix="logs")
    closed = access_log_settings(
        owner,
        bucket,
        role_prefix="log",
        suffix_prefix="logs",
        expire_days=retention_days,
        # CloudFront's standard logs are still written with an ACL.
        object_ownership="BucketOwnerPreferred",
    )
    statements = [iam.deny_insecure_transport("s3", iam.bucket_and_objects(bucket.arn))]
    if site_bucket is not None:
        statements.append(_site_logging_statement(bucket.arn, site_bucket.arn))
    policy = owner.child(
        "log_bucket_policy",
        aws.s3.BucketPolicy,
        {"bucket": bucket.id, "policy": iam.policy_document(statements)},
        suffix="logs-policy",
        opts=pulumi.ResourceOptions(depends_on=[closed.public_access_block]),
    )
    if site_bucket is not None:
        owner.child(
            "site_access_logging",
            aws.s3.BucketLogging,
            {
                "bucket": site_bucket.id,
                "target_bucket": bucket.id,
                "target_prefix": SITE_LOG_PREFIX,
            },
            suffix="site-access-logging",
            opts=pulumi.ResourceOptions(depends_on=[policy]),
        )
    return bucket, [closed.ownership, closed.encryption, policy]


def _site_logging_statement(
    log_bucket_arn: pulumi.Input[str], site_bucket_arn: pulumi.Input[str]
) -> dict:
    statement = iam.statement(
        ["s3:PutObject"],
        [pulumi.Output.concat(log_bucket_arn, f"/{SITE_LOG_PREFIX}*")],
        sid="S3ServerAccessLogsOfTheSiteBucket",
        conditions={
            "ArnLike": {"aws:SourceArn": site_bucket_arn},
            "StringEquals": {"aws:SourceAccount": iam.account_id()},
        },
    )
    statement["Principal"] = {"Service": "logging.s3.amazonaws.com"}
    return statement


__all__ = ["LOG_PREFIX", "ROLES", "SITE_LOG_PREFIX", "log_bucket"]
