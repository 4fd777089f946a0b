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
    return bucket, document


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
    "BACKUP_METRIC",
    "BACKUP_PREFIX",
    "METRIC_NAMESPACE",
    "backup_bucket",
    "backup_bucket_policy_document",
    "one_hour_later",
    "render_backup_script",
    "snapshot_policy",
]
