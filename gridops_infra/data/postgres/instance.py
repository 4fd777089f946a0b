"""ManagedPostgresWithReplicas, engine mode "instance": an RDS for PostgreSQL primary (Multi-AZ
by default) and read replicas spread over the network's AZs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.data.postgres.settings import PostgresSettings
from gridops_infra.data.postgres.support import (
    CA_CERTIFICATE,
    Foundation,
    data_protection,
    instance_monitoring,
    master_secret_arn,
    parameter_group,
)

LOG_EXPORTS = ["postgresql", "upgrade"]


@dataclass
class Deployment:
    """What the engine-mode builders hand back to the component."""

    primary: pulumi.CustomResource
    """The primary instance or the Aurora cluster: what holds the data."""
    writer: pulumi.CustomResource
    """The instance taking writes at creation (the primary itself in instance mode)."""
    writer_host: pulumi.Output[str]
    replica_hosts: list[pulumi.Output[str]]
    reader_endpoint: pulumi.Output[str] | None
    """Aurora's load-balanced reader endpoint (None in instance mode)."""
    master_secret_arn: pulumi.Output[str] | None
    proxy_target: dict[str, Any]
    members: list[pulumi.CustomResource] = field(default_factory=list)


def build_instance_mode(db: GridopsComponent, s: PostgresSettings, f: Foundation) -> Deployment:
    params = parameter_group(db, s, aws.rds.ParameterGroup, "PostgreSQL")
    shared: dict[str, Any] = {
        "engine": "postgres",
        "port": s.port,
        "storage_type": "gp3",
        "max_allocated_storage": s.max_allocated_storage_gb,
        "storage_encrypted": True,
        "kms_key_id": f.kms_key_arn,
        "vpc_security_group_ids": [f.security_group.id],
        "db_subnet_group_name": f.subnet_group.name,
        "parameter_group_name": params.name,
        "publicly_accessible": False,
        "auto_minor_version_upgrade": True,
        "apply_immediately": s.apply_immediately,
        "copy_tags_to_snapshot": True,
        "ca_cert_identifier": CA_CERTIFICATE,
        **instance_monitoring(s, f),
    }
    primary_args: dict[str, Any] = {
        **shared,
        "identifier": s.identifier,
        "engine_version": s.engine_version,
        "allow_major_version_upgrade": s.allow_major_version_upgrade,
        "instance_class": s.instance_class,
        "allocated_storage": s.allocated_storage_gb,
        "multi_az": s.multi_az,
        "backup_retention_period": s.backup_retention_days,
        "backup_window": s.backup_window,
        "maintenance_window": s.maintenance_window,
        "delete_automated_backups": False,
        "deletion_protection": s.deletion_protection,
        "skip_final_snapshot": s.final_snapshot_identifier is None,
        "final_snapshot_identifier": s.final_snapshot_identifier,
        "enabled_cloudwatch_logs_exports": LOG_EXPORTS,
    }
    if not s.multi_az:
        primary_args["availability_zone"] = s.network.availability_zones[0]
    if s.snapshot_identifier:
        # The database name and master user come from the snapshot.
        primary_args["snapshot_identifier"] = s.snapshot_identifier
    else:
        primary_args["db_name"] = s.db_name
        primary_args["username"] = s.master_username
    if f.password is not None:
        primary_args["password"] = f.password.result
    else:
        primary_args["manage_master_user_password"] = True
        primary_args["master_user_secret_kms_key_id"] = f.kms_key_arn
    if s.blue_green_update:
        primary_args["blue_green_update"] = {"enabled": True}
    primary = db.child(
        "primary",
        aws.rds.Instance,
        primary_args,
        opts=pulumi.ResourceOptions.merge(
            data_protection(s), pulumi.ResourceOptions(depends_on=f.before_database)
        ),
    )

    zones = s.network.availability_zones
    replicas = []
    for n in range(1, s.replicas + 1):
        replicas.append(
            db.child(
                "replica",
                aws.rds.Instance,
                {
                    **shared,
                    "identifier": s.member_identifier(n),
                    # Same-region replicas follow the primary by identifier: they start as
                    # soon as the primary is available and need nothing else it lacks.
                    "replicate_source_db": primary.identifier,
                    "instance_class": s.replica_instance_class,
                    "availability_zone": zones[n % len(zones)],
                    "multi_az": False,
                    # A replica holds no data of its own: no backups, no final snapshot (RDS
                    # refuses one for a replica), and removable when `replicas` shrinks.
                    "backup_retention_period": 0,
                    "skip_final_snapshot": True,
                    "deletion_protection": False,
                    "enabled_cloudwatch_logs_exports": ["postgresql"],
                },
                suffix=f"replica-{n}",
            )
        )
    return Deployment(
        primary=primary,
        writer=primary,
        writer_host=primary.address,
        replica_hosts=[
            replica_address(primary.address, s.member_identifier(n))
            for n in range(1, len(replicas) + 1)
        ],
        reader_endpoint=None,
        master_secret_arn=(
            master_secret_arn(primary.master_user_secrets) if f.password is None else None
        ),
        proxy_target={"db_instance_identifier": primary.identifier},
        members=[primary, *replicas],
    )


def replica_address(primary_address: pulumi.Output[str], identifier: str) -> pulumi.Output[str]:
    """A replica's DNS name, known as soon as the primary's is.

    RDS names every instance `<identifier>.<suffix>.<region>.rds.amazonaws.com`, where the
    suffix is the same for all instances of an account in a region. Deriving the replica
    hosts from the primary's address means linked services wait for the primary only,
    and start while the replicas are still being created (~10 minutes off the first
    deploy's critical path); until a replica is up its name does not resolve, which the
    reader pool of a client treats like a replica that is down.
    """
    return primary_address.apply(lambda address: f"{identifier}.{address.split('.', 1)[1]}")
