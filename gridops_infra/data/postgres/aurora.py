"""ManagedPostgresWithReplicas, engine mode "aurora": an Aurora PostgreSQL cluster, a writer and
readers over the network's AZs, optional Serverless v2 capacity and reader autoscaling.

Which instance writes: Aurora makes the first instance it creates the writer, and fails
over to a reader later. Readers of the writer's class start together with the writer, so
the instance named `writer` is the first writer only when readers are of another class;
connections, alarms and drills follow the role (the cluster and reader endpoints, the
`Role=WRITER` metrics, failover of the cluster), never an instance's name."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.data.postgres.instance import Deployment
from gridops_infra.data.postgres.settings import PostgresSettings
from gridops_infra.data.postgres.support import (
    CA_CERTIFICATE,
    Foundation,
    data_protection,
    instance_monitoring,
    master_secret_arn,
    parameter_group,
)

SCALING_COOLDOWN_SECONDS = 300


def build_aurora_mode(db: GridopsComponent, s: PostgresSettings, f: Foundation) -> Deployment:
    params = parameter_group(db, s, aws.rds.ClusterParameterGroup, "Aurora PostgreSQL")
    cluster_args: dict[str, Any] = {
        "cluster_identifier": s.identifier,
        "engine": "aurora-postgresql",
        "engine_mode": "provisioned",
        "engine_version": s.engine_version,
        "allow_major_version_upgrade": s.allow_major_version_upgrade,
        "port": s.port,
        "db_subnet_group_name": f.subnet_group.name,
        "vpc_security_group_ids": [f.security_group.id],
        "db_cluster_parameter_group_name": params.name,
        "storage_encrypted": True,
        "kms_key_id": f.kms_key_arn,
        "backup_retention_period": s.backup_retention_days,
        "preferred_backup_window": s.backup_window,
        "preferred_maintenance_window": s.maintenance_window,
        "delete_automated_backups": False,
        "deletion_protection": s.deletion_protection,
        "skip_final_snapshot": s.final_snapshot_identifier is None,
        "final_snapshot_identifier": s.final_snapshot_identifier,
        "copy_tags_to_snapshot": True,
        "apply_immediately": s.apply_immediately,
        "enabled_cloudwatch_logs_exports": ["postgresql"],
    }
    if s.snapshot_identifier:
        cluster_args["snapshot_identifier"] = s.snapshot_identifier
    else:
        cluster_args["database_name"] = s.db_name
        cluster_args["master_username"] = s.master_username
    if f.password is not None:
        cluster_args["master_password"] = f.password.result
    else:
        cluster_args["manage_master_user_password"] = True
        cluster_args["master_user_secret_kms_key_id"] = f.kms_key_arn
    if s.serverless_acu is not None:
        lo, hi = s.serverless_acu
        cluster_args["serverlessv2_scaling_configuration"] = {
            "min_capacity": lo,
            "max_capacity": hi,
        }
        if s.serverless_auto_pause_seconds is not None:
            cluster_args["serverlessv2_scaling_configuration"]["seconds_until_auto_pause"] = (
                s.serverless_auto_pause_seconds
            )
    cluster = db.child(
        "cluster",
        aws.rds.Cluster,
        cluster_args,
        opts=pulumi.ResourceOptions.merge(
            data_protection(s), pulumi.ResourceOptions(depends_on=f.before_database)
        ),
    )

    zones = s.network.availability_zones
    # Aurora makes the first instance created in a cluster its writer. When readers are
    # the writer's class they are interchangeable with it (same promotion tier), so all
    # start together once the cluster exists: a first deploy takes one instance's time,
    # not two. A smaller reader class must not win that race, so then readers wait.
    interchangeable = s.replica_instance_class == s.instance_class
    members: list[aws.rds.ClusterInstance] = []
    for n in range(1, s.replicas + 2):
        writer = n == 1
        members.append(
            db.child(
                "writer" if writer else "reader",
                aws.rds.ClusterInstance,
                {
                    "identifier": s.member_identifier(n),
                    "cluster_identifier": cluster.id,
                    "engine": cluster.engine,
                    "engine_version": cluster.engine_version,
                    "instance_class": s.instance_class if writer else s.replica_instance_class,
                    "db_subnet_group_name": f.subnet_group.name,
                    # multi_az=False keeps every reader in the writer's AZ (no
                    # cross-AZ failover target); otherwise readers spread over the AZs.
                    "availability_zone": zones[(n - 1) % len(zones) if s.multi_az else 0],
                    # Readers take over in tier order: equal when interchangeable.
                    "promotion_tier": 0 if writer or interchangeable else 1,
                    "publicly_accessible": False,
                    "auto_minor_version_upgrade": True,
                    "apply_immediately": s.apply_immediately,
                    "copy_tags_to_snapshot": True,
                    "ca_cert_identifier": CA_CERTIFICATE,
                    **instance_monitoring(s, f),
                },
                suffix="writer" if writer else f"reader-{n - 1}",
                opts=(
                    None
                    if writer or interchangeable
                    else pulumi.ResourceOptions(depends_on=[members[0]])
                ),
            )
        )
    if s.reader_autoscaling is not None:
        _reader_autoscaling(db, s, cluster, members)
    return Deployment(
        primary=cluster,
        writer=members[0],
        writer_host=cluster.endpoint,
        replica_hosts=[],
        reader_endpoint=cluster.reader_endpoint,
        master_secret_arn=(
            master_secret_arn(cluster.master_user_secrets) if f.password is None else None
        ),
        proxy_target={"db_cluster_identifier": cluster.cluster_identifier},
        members=list(members),
    )


def _reader_autoscaling(
    db: GridopsComponent,
    s: PostgresSettings,
    cluster: aws.rds.Cluster,
    members: list[aws.rds.ClusterInstance],
) -> None:
    rule = s.reader_autoscaling
    assert rule is not None
    target = db.child(
        "autoscaling_target",
        aws.appautoscaling.Target,
        {
            "service_namespace": "rds",
            "scalable_dimension": "rds:cluster:ReadReplicaCount",
            "resource_id": cluster.cluster_identifier.apply(lambda c: f"cluster:{c}"),
            "min_capacity": rule.min_readers,
            "max_capacity": rule.max_readers,
        },
        suffix="readers-scaling",
        # Aurora scales a cluster only once its instances are available.
        opts=pulumi.ResourceOptions(depends_on=members),
    )
    db.child(
        "autoscaling_policy",
        aws.appautoscaling.Policy,
        {
            "policy_type": "TargetTrackingScaling",
            "service_namespace": target.service_namespace,
            "scalable_dimension": target.scalable_dimension,
            "resource_id": target.resource_id,
            "target_tracking_scaling_policy_configuration": {
                "predefined_metric_specification": {
                    "predefined_metric_type": rule.predefined_metric
                },
                "target_value": rule.target,
                "scale_in_cooldown": SCALING_COOLDOWN_SECONDS,
                "scale_out_cooldown": SCALING_COOLDOWN_SECONDS,
            },
        },
        suffix="readers-scaling-policy",
    )
