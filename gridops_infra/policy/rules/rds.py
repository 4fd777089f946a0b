"""RDS and Aurora: backups, Multi-AZ, no public access, encryption, no data loss on delete."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import get, is_true, number, peek, text
from gridops_infra.policy.rule import ADVISORY, MANDATORY, ReportViolation, resource_rule, setting
from gridops_infra.policy.rules.environments import disposable

RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"

MIN_BACKUP_DAYS = 7


def is_read_replica(props: Any) -> bool:
    """A read replica inherits backups, encryption and snapshots from its source."""
    return peek(props, "replicateSourceDb") is not None


@resource_rule(
    name="rds-backup-retention",
    description="RDS instances and Aurora clusters keep automated backups for at least "
    "`minimumDays` days (default 7).",
    severity=MANDATORY,
    remediation="Set backup_retention_period to 7 or more (35 is the maximum); point-in-time "
    "recovery only reaches back as far as the retention period.",
    types=(RDS_INSTANCE, RDS_CLUSTER),
    config_schema={"minimumDays": {"type": "integer", "minimum": 1, "default": MIN_BACKUP_DAYS}},
    awsguard="rds-instance-backup-enabled",
)
def backup_retention(args: Any, report: ReportViolation) -> None:
    if is_read_replica(args.props):
        return
    minimum = number(setting(args, "minimumDays", MIN_BACKUP_DAYS)) or MIN_BACKUP_DAYS
    days = number(get(args.props, "backupRetentionPeriod"))
    if days is None:
        report(
            f"backupRetentionPeriod is not set (AWS then keeps 1 day); at least "
            f"{minimum:g} days required."
        )
    elif days < minimum:
        report(f"backupRetentionPeriod is {days:g} days; at least {minimum:g} days required.")


@resource_rule(
    name="rds-multi-az",
    description="RDS instances run Multi-AZ so a zone failure fails over instead of failing.",
    severity=ADVISORY,
    remediation="Set multi_az=True on the primary instance (read replicas fail over through "
    "their source). Aurora clusters get this from a second cluster instance in another AZ.",
    types=(RDS_INSTANCE,),
)
def multi_az(args: Any, report: ReportViolation) -> None:
    if is_read_replica(args.props):
        return
    if not is_true(get(args.props, "multiAz")):
        report("multiAz is not true: one Availability Zone outage takes the database down.")


@resource_rule(
    name="rds-not-publicly-accessible",
    description="RDS instances, Aurora cluster instances and Multi-AZ DB clusters are not "
    "reachable from the internet.",
    severity=MANDATORY,
    remediation="Set publicly_accessible=False and reach the database from inside the VPC "
    "(private subnets, security-group rules from the services that use it).",
    types=(RDS_INSTANCE, RDS_CLUSTER_INSTANCE, RDS_CLUSTER),
    awsguard="rds-instance-public-access-check",
)
def not_public(args: Any, report: ReportViolation) -> None:
    if is_true(get(args.props, "publiclyAccessible")):
        report("publiclyAccessible is true: the database gets a public DNS name and IP.")


@resource_rule(
    name="rds-storage-encrypted",
    description="RDS instance and Aurora/RDS cluster storage is encrypted at rest.",
    severity=MANDATORY,
    remediation="Set storage_encrypted=True (and kms_key_id for a customer managed key). "
    "Encryption can only be chosen at creation: changing it replaces the database, so "
    "restore an encrypted copy of a snapshot instead.",
    types=(RDS_INSTANCE, RDS_CLUSTER),
    awsguard="rds-storage-encrypted",
)
def storage_encrypted(args: Any, report: ReportViolation) -> None:
    if is_read_replica(args.props):
        return
    if text(get(args.props, "engineMode")) == "serverless":
        return  # Aurora Serverless v1 is always encrypted.
    if not is_true(get(args.props, "storageEncrypted")):
        report("storageEncrypted is not true: data, backups and snapshots are unencrypted.")


def final_snapshot_problems(props: Any) -> list[str]:
    """Why deleting this database would skip its final snapshot ([] when it would not)."""
    if is_true(get(props, "skipFinalSnapshot")):
        return ["skipFinalSnapshot is true: deleting the database discards its data."]
    if not text(get(props, "finalSnapshotIdentifier")):
        return [
            "finalSnapshotIdentifier is not set: deleting the database fails instead of "
            "taking a final snapshot."
        ]
    return []


@resource_rule(
    name="rds-deletion-protection",
    description="RDS instances and clusters have deletion protection and take a final "
    "snapshot when deleted (a preview environment's, tagged environment=preview with an "
    "expires-at time, is disposable).",
    severity=MANDATORY,
    remediation="Set deletion_protection=True, skip_final_snapshot=False and a "
    "final_snapshot_identifier. To delete on purpose, turn deletion protection off in a "
    "reviewed change first.",
    types=(RDS_INSTANCE, RDS_CLUSTER),
)
def deletion_protection(args: Any, report: ReportViolation) -> None:
    if is_read_replica(args.props) or disposable(args.props):
        return
    if not is_true(get(args.props, "deletionProtection")):
        report("deletionProtection is not true: one API call can delete the database.")
    for problem in final_snapshot_problems(args.props):
        report(problem)
