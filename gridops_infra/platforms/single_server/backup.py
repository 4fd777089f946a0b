"""The SingleServer's two backups.

- The data volume: an EBS snapshot every 24 hours by Data Lifecycle Manager, the last
  `snapshot_retention_days` kept (crash-consistent: PostgreSQL recovers from its WAL).
  Restore: `data_volume_snapshot_id`.
- The database: a nightly `pg_dump` (custom format) from the running container, kept on
  the data volume for two days and uploaded to a private, versioned, SSE-S3 encrypted
  bucket whose objects expire after `database_backup_retention_days`. The instance role
  may only `s3:PutObject` under `postgres/`: it can add dumps, never read or delete them.
  Restore: `aws s3 cp s3://<bucket>/postgres/<file>.dump - | docker exec -i
  gridops-postgres pg_restore -U <user> -d <database> --clean --if-exists`.
  Every request to that bucket is recorded by S3 server access logging in a second
  bucket of its own (private, SSE-S3, versioned, expiring): who read, wrote or deleted a
  dump stays on record. A log bucket does not log itself (AWS advises against it: each
  log write would be logged again).

A successful dump publishes `DatabaseBackupSucceeded` (namespace `Gridops/SingleServer`);
an alarm fires when a day passes without one.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.buckets import private_bucket_settings
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.single_server.compose import DATABASE_CONTAINER

BACKUP_PREFIX = "postgres"
METRIC_NAMESPACE = "Gridops/SingleServer"
BACKUP_METRIC = "DatabaseBackupSucceeded"
LOCAL_DUMP_DAYS = 2
ACCESS_LOG_PREFIX = "backups/"
MIN_ACCESS_LOG_DAYS = 90


def render_backup_script(
    *,
    bucket: str,
    region: str,
    database: str,
    user: str,
    server_dimension: str,
) -> str:
    """The nightly dump, shipped to the host in the base compose fragment."""
    return "\n".join(
        [
            "#!/bin/bash",
            "# gridops: nightly logical backup of the SingleServer's PostgreSQL.",
            "set -euo pipefail",
            f"BUCKET={bucket}",
            f"REGION={region}",
            f"DB_NAME={database}",
            f"DB_USER={user}",
            'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
            'dump="/data/backups/$DB_NAME-$stamp.dump"',
            "mkdir -p /data/backups",
            f'docker exec {DATABASE_CONTAINER} pg_dump --format=custom --username="$DB_USER" \\',
            '  "$DB_NAME" > "$dump.partial"',
            'mv "$dump.partial" "$dump"',
            f'aws s3 cp "$dump" "s3://$BUCKET/{BACKUP_PREFIX}/$DB_NAME/$stamp.dump" \\',
            '  --sse AES256 --region "$REGION" --only-show-errors',
            f"find /data/backups -name '*.dump' -mtime +{LOCAL_DUMP_DAYS} -delete",
            f"aws cloudwatch put-metric-data --namespace {METRIC_NAMESPACE} \\",
            f"  --metric-name {BACKUP_METRIC} --dimensions Server={server_dimension} \\",
            '  --value 1 --unit Count --region "$REGION"',
            'echo "$(date -u +%FT%TZ) backup $dump uploaded"',
            "",
        ]
    )


def backup_bucket(
    server: GridopsComponent, retention_days: int
) -> tuple[aws.s3.Bucket, pulumi.Output[str]]:
    """The bucket for database dumps, and its policy document."""
    keep = pulumi.ResourceOptions(retain_on_delete=True)
    bucket = server.child(
        "backup_bucket",
        aws.s3.Bucket,
        {"force_destroy": False},
        suffix="backups",
        opts=keep,
    )
    settings = private_bucket_settings(
        server,
        bucket,
        role_prefix="backup",
        suffix_prefix="backups",
        public_access_suffix="public-access",
        versioning_opts=keep,
    )
    access_block, versioning = settings.public_access_block, settings.versioning
    server.child(
        "backup_lifecycle",
        aws.s3.BucketLifecycleConfiguration,
        {
            "bucket": bucket.id,
            "rules": [
                {
                    "id": "expire-database-dumps",
                    "status": "Enabled",
                    "filter": {"prefix": f"{BACKUP_PREFIX}/"},
                    "expiration": {"days": retention_days},
                    "noncurrent_version_expiration": {"noncurrent_days": retention_days},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": 1},
                }
            ],
        },
        suffix="backups-lifecycle",
        opts=pulumi.ResourceOptions(depends_on=[versioning]),
    )
    document = backup_bucket_policy_document(bucket.arn)
    server.child(
        "backup_policy",
        aws.s3.BucketPolicy,
        {"bucket": bucket.id, "policy": document},
        suffix="backups-policy",
        opts=pulumi.ResourceOptions(depends_on=[access_block]),
    )
    backup_access_logs(server, bucket, max(retention_days, MIN_ACCESS_LOG_DAYS))
    return bucket, document


def backup_access_logs(
    server: GridopsComponent, backups: aws.s3.Bucket, retention_days: int
) -> aws.s3.Bucket:
    """The backup bucket's S3 server access logs, in a bucket of their own: all public
    access blocked, ACLs off (S3's logging service writes through the bucket policy,
    which admits it for this one source bucket), SSE-S3 (the only default encryption a
    log target may have), versioned, each log kept `retention_days` (older versions too).
    Like the backups, it survives `pulumi destroy`: access records are evidence."""
    keep = pulumi.ResourceOptions(retain_on_delete=True)
    logs = server.child(
        "backup_log_bucket",
        aws.s3.Bucket,
        {"force_destroy": False},
        suffix="backup-logs",
        opts=keep,
    )
    settings = private_bucket_settings(
        server,
        logs,
        role_prefix="backup_log",
        suffix_prefix="backup-logs",
        public_access_suffix="public-access",
        versioning_opts=keep,
    )
    server.child(
        "backup_log_lifecycle",
        aws.s3.BucketLifecycleConfiguration,
        {
            "bucket": logs.id,
            "rules": [
                {
                    "id": "expire-access-logs",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "expiration": {"days": retention_days},
                    "noncurrent_version_expiration": {"noncurrent_days": retention_days},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
                }
            ],
        },
        suffix="backup-logs-lifecycle",
        opts=pulumi.ResourceOptions(depends_on=[settings.versioning]),
    )
    policy = server.child(
        "backup_log_policy",
        aws.s3.BucketPolicy,
        {"bucket": logs.id, "policy": access_log_policy_document(logs.arn, backups.arn)},
        suffix="backup-logs-policy",
        opts=pulumi.ResourceOptions(depends_on=[settings.public_access_block]),
    )
    server.child(
        "backup_access_logging",
        aws.s3.BucketLogging,
        {"bucket": backups.id, "target_bucket": logs.id, "target_prefix": ACCESS_LOG_PREFIX},
        suffix="backups-access-logging",
        opts=pulumi.ResourceOptions(depends_on=[policy]),
    )
    return logs


def access_log_policy_document(
    log_bucket_arn: pulumi.Input[str], source_bucket_arn: pulumi.Input[str]
) -> pulumi.Output[str]:
    """Nobody over plain HTTP; S3's logging service may put objects under the log prefix,
    for the backup bucket of this account only (AWS's recommended grant for buckets with
    ACLs disabled)."""
    writer = iam.statement(
        ["s3:PutObject"],
        [pulumi.Output.concat(log_bucket_arn, f"/{ACCESS_LOG_PREFIX}*")],
        sid="S3ServerAccessLogsOfTheBackupBucket",
        conditions={
            "ArnLike": {"aws:SourceArn": source_bucket_arn},
            "StringEquals": {"aws:SourceAccount": iam.account_id()},
        },
    )
    writer["Principal"] = {"Service": "logging.s3.amazonaws.com"}
    return iam.policy_document(
        [iam.deny_insecure_transport("s3", iam.bucket_and_objects(log_bucket_arn)), writer]
    )


def backup_bucket_policy_document(bucket_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """Nobody over plain HTTP. Writers are granted by their own IAM policy (the instance
    role: `s3:PutObject` under `postgres/` only); the bucket policy grants nothing."""
    return iam.policy_document(
        [iam.deny_insecure_transport("s3", iam.bucket_and_objects(bucket_arn))]
    )


def snapshot_policy(
    server: GridopsComponent,
    *,
    role_arn: pulumi.Input[str],
    target_tags: dict[str, str],
    retention_days: int,
    time_utc: str,
) -> aws.dlm.LifecyclePolicy:
    """A snapshot of every volume tagged `target_tags` each 24 hours, the last
    `retention_days` kept (count-based: missed days never delete older snapshots)."""
    return server.child(
        "snapshot_policy",
        aws.dlm.LifecyclePolicy,
        {
            "description": f"Daily snapshots of the {server.name} data volume",
            "execution_role_arn": role_arn,
            "state": "ENABLED",
            "policy_details": {
                "resource_types": ["VOLUME"],
                "target_tags": target_tags,
                "schedules": [
                    {
                        "name": f"daily-{retention_days}d",
                        "create_rule": {
                            "interval": 24,
                            "interval_unit": "HOURS",
                            "times": time_utc,
                        },
                        "retain_rule": {"count": retention_days},
                        "copy_tags": True,
                        "tags_to_add": {"gridops:snapshot": "daily"},
                    }
                ],
            },
        },
        suffix="snapshots",
    )


def one_hour_later(hhmm: str) -> str:
    """`hh:mm` an hour on (wrapping at midnight): the volume snapshot follows the dump."""
    hours, minutes = hhmm.split(":")
    return f"{(int(hours) + 1) % 24:02d}:{minutes}"


__all__ = [
    "ACCESS_LOG_PREFIX",
    "BACKUP_METRIC",
    "BACKUP_PREFIX",
    "METRIC_NAMESPACE",
    "access_log_policy_document",
    "backup_access_logs",
    "backup_bucket",
    "backup_bucket_policy_document",
    "one_hour_later",
    "render_backup_script",
    "snapshot_policy",
]
