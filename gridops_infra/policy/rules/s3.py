"""S3 buckets: public access blocked, encryption configured, access logged.

In pulumi-aws v7 these settings are separate resources (`BucketPublicAccessBlock`,
`BucketServerSideEncryptionConfiguration`, `BucketLogging`) that point at the bucket, so
the rules are stack rules: they pair each bucket with the resources that configure it.
"""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import (
    as_list,
    get,
    is_true,
    of_type,
    refers_to,
    text,
)
from gridops_infra.policy.rule import ADVISORY, MANDATORY, ReportViolation, stack_rule

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
SSE_CONFIGS = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
LOGGING_CONFIGS = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"

PUBLIC_ACCESS_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)
BUCKET_KEYS = ("bucket", "id", "arn")


def configs_for(bucket: Any, configs: list[Any]) -> list[Any]:
    return [c for c in configs if refers_to(c, "bucket", bucket, *BUCKET_KEYS)]


@stack_rule(
    name="s3-public-access-block",
    description="Every S3 bucket has a public access block with all four settings on.",
    severity=MANDATORY,
    remediation="Add aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id, block_public_acls=True, "
    "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True). Serve "
    "public content through CloudFront with origin access control instead.",
    types=(*BUCKETS, PUBLIC_ACCESS_BLOCK),
)
def public_access_block(args: Any, report: ReportViolation) -> None:
    blocks = of_type(args.resources, (PUBLIC_ACCESS_BLOCK,))
    for bucket in of_type(args.resources, BUCKETS):
        mine = configs_for(bucket, blocks)
        if not mine:
            report(f"bucket {bucket.name!r} has no public access block.", bucket.urn)
            continue
        off = [f for f in PUBLIC_ACCESS_FLAGS if not any(is_true(get(b.props, f)) for b in mine)]
        if off:
            report(
                f"bucket {bucket.name!r}: public access block leaves {', '.join(off)} off.",
                bucket.urn,
            )


def sse_rules(config_props: Any) -> list[Any]:
    return as_list(get(config_props, "rules")) + as_list(get(config_props, "rule"))


def encrypts(config_props: Any) -> bool:
    return any(
        text(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
        for rule in sse_rules(config_props)
    )


@stack_rule(
    name="s3-server-side-encryption",
    description="Every S3 bucket has a server-side encryption configuration.",
    severity=MANDATORY,
    remediation="Add aws.s3.BucketServerSideEncryptionConfiguration(bucket=<bucket>.id, "
    "rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': <key arn>}, 'bucket_key_enabled': True}]) (or sse_algorithm "
    "'AES256').",
    types=(*BUCKETS, *SSE_CONFIGS),
)
def server_side_encryption(args: Any, report: ReportViolation) -> None:
    configs = of_type(args.resources, SSE_CONFIGS)
    for bucket in of_type(args.resources, BUCKETS):
        inline = get(bucket.props, "serverSideEncryptionConfiguration")
        if inline is not None and encrypts(inline):
            continue
        if any(encrypts(c.props) for c in configs_for(bucket, configs)):
            continue
        report(f"bucket {bucket.name!r} has no server-side encryption configuration.", bucket.urn)


def is_log_destination(bucket: Any, resources: list[Any]) -> bool:
    """Log buckets need no access log of their own (that would log the logging)."""
    if any(
        refers_to(c, "targetBucket", bucket, *BUCKET_KEYS)
        for c in of_type(resources, LOGGING_CONFIGS)
    ):
        return True
    inline = (("logging", ("targetBucket",)), ("loggings", (0, "targetBucket")))  # v7, v6
    for other in of_type(resources, BUCKETS):
        for prop, path in inline:
            if refers_to(other, prop, bucket, *BUCKET_KEYS, path=path):
                return True
    if any(
        refers_to(lb, "accessLogs", bucket, *BUCKET_KEYS, path=("bucket",))
        for lb in of_type(resources, LOAD_BALANCERS)
    ):
        return True
    return any(
        refers_to(d, "loggingConfig", bucket, "bucketDomainName", path=("bucket",))
        for d in of_type(resources, DISTRIBUTION)
    )


def logs_inline(bucket: Any) -> bool:
    loggings = as_list(get(bucket.props, "logging")) + as_list(get(bucket.props, "loggings"))
    return any(text(get(entry, "targetBucket")) for entry in loggings)


@stack_rule(
    name="s3-access-logging",
    description="Every S3 bucket that is not itself a log destination has server access logging.",
    severity=ADVISORY,
    remediation="Add aws.s3.BucketLogging(bucket=<bucket>.id, target_bucket=<log bucket>.id, "
    "target_prefix='<bucket>/').",
    types=(*BUCKETS, *LOGGING_CONFIGS),
    awsguard="s3-bucket-logging-enabled",
)
def access_logging(args: Any, report: ReportViolation) -> None:
    logging_configs = of_type(args.resources, LOGGING_CONFIGS)
    for bucket in of_type(args.resources, BUCKETS):
        if logs_inline(bucket) or configs_for(bucket, logging_configs):
            continue
        if is_log_destination(bucket, args.resources):
            continue
        report(f"bucket {bucket.name!r} has no server access logging.", bucket.urn)
