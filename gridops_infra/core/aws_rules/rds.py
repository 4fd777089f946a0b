"""Amazon RDS and Aurora: what CreateDBInstance, CreateDBCluster, CreateDBSubnetGroup and
CreateDBProxy refuse for the databases ManagedPostgresWithReplicas builds."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon RDS"
CREATE_DB_INSTANCE = (
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"
)

SUBNET_GROUP_TWO_AZS = aws_rule(
    id="rds-subnet-group-two-azs",
    service=SERVICE,
    rule="A DB subnet group needs subnets in at least two Availability Zones of the Region "
    "(DBSubnetGroupDoesNotCoverEnoughAZs).",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets",
    fix="Give the Network az_count >= 2 (the database's subnet group takes its private subnets).",
)

PROXY_TWO_AZS = aws_rule(
    id="rds-proxy-two-azs",
    service=SERVICE,
    rule="An RDS Proxy needs at least two subnets in different Availability Zones.",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-network-prereqs.html",
    fix="Give the proxy (vpc_subnet_ids) subnets in two or more Availability Zones; with "
    "ManagedPostgresWithReplicas, a Network with az_count >= 2.",
)

IDENTIFIER = aws_rule(
    id="rds-identifier",
    service=SERVICE,
    rule="A DB instance or cluster identifier has 1 to 63 letters, digits or hyphens, starts "
    "with a letter, and neither ends with a hyphen nor contains two consecutive hyphens.",
    source=CREATE_DB_INSTANCE,
    fix="Pass an identifier such as 'shop-db-prod' (lowercase, since RDS stores it lowercased), "
    "short enough for the replica suffixes.",
)

SNAPSHOT_IDENTIFIER = aws_rule(
    id="rds-snapshot-identifier",
    service=SERVICE,
    rule="A DB snapshot identifier (the final snapshot too) has 1 to 255 letters, digits or "
    "hyphens, starts with a letter, and neither ends with a hyphen nor contains two "
    "consecutive hyphens.",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    fix="Pass a final_snapshot_identifier such as 'shop-db-prod-final'.",
)

MASTER_USERNAME = aws_rule(
    id="rds-master-username",
    service=SERVICE,
    rule="The PostgreSQL master user name has 1 to 63 letters, digits or underscores, starts "
    "with a letter, and is not a word reserved by the engine.",
    source=CREATE_DB_INSTANCE,
    fix="Pass a master_username such as 'app_admin' (not postgres, rdsadmin, admin, pg_* or rds_*).",
)

DATABASE_NAME = aws_rule(
    id="rds-database-name",
    service=SERVICE,
    rule="The PostgreSQL database name has 1 to 63 letters, digits or underscores, starts with "
    "a letter, and is not a word reserved by the engine.",
    source=CREATE_DB_INSTANCE,
    fix="Pass a db_name such as 'app' (not postgres, template0, template1 or rdsadmin).",
)

BACKUP_RETENTION = aws_rule(
    id="rds-backup-retention-range",
    service=SERVICE,
    rule="BackupRetentionPeriod is 0 to 35 days for a DB instance and 1 to 35 days for an "
    "Aurora DB cluster.",
    source=CREATE_DB_INSTANCE,
    fix="Set backup_retention_days to at most 35 (keep older backups as manual snapshots or "
    "AWS Backup copies).",
)

PERFORMANCE_INSIGHTS_RETENTION = aws_rule(
    id="rds-performance-insights-retention",
    service=SERVICE,
    rule="PerformanceInsightsRetentionPeriod is 7, a month count of 1 to 23 times 31, or 731 "
    "days; any other value is an error.",
    source=CREATE_DB_INSTANCE,
    fix="Set performance_insights_retention_days to 7, 31, 62, ... 713, or 731.",
)

MONITORING_INTERVAL = aws_rule(
    id="rds-monitoring-interval",
    service=SERVICE,
    rule="MonitoringInterval (Enhanced Monitoring) is one of 0, 1, 5, 10, 15, 30 or 60 seconds.",
    source=CREATE_DB_INSTANCE,
    fix="Set monitoring_interval_seconds to 0 (off), 1, 5, 10, 15, 30 or 60.",
)

AURORA_MAX_REPLICAS = aws_rule(
    id="rds-aurora-max-replicas",
    service=SERVICE,
    rule="An Aurora DB cluster has one writer and at most 15 Aurora Replicas.",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Replication.html",
    fix="Keep replicas and reader_autoscaling.max_readers at 15 or fewer; for more read "
    "capacity use larger instance classes or a second cluster.",
)

INSTANCE_CLASS = aws_rule(
    id="rds-instance-class-engine",
    service=SERVICE,
    rule="A DB instance class must be one the engine supports: Aurora PostgreSQL and RDS for "
    "PostgreSQL offer different families (and burstable classes only in some sizes).",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html",
    fix="Pick a class from the engine's list, e.g. db.r7g.large or db.t4g.medium (Aurora: "
    "db.t4g only in medium and large).",
)

STORAGE_RANGE = aws_rule(
    id="rds-storage-range",
    service=SERVICE,
    rule="AllocatedStorage of General Purpose SSD (gp2, gp3) for RDS for PostgreSQL is an "
    "integer from 20 to 65536 GiB.",
    source=CREATE_DB_INSTANCE,
    fix="Set allocated_storage_gb (and max_allocated_storage_gb) within 20..65536.",
)

AURORA_AUTO_PAUSE_PAGE = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html"

SERVERLESS_ZERO_ACU_VERSION = aws_rule(
    id="rds-serverless-v2-zero-acu-version",
    service=SERVICE,
    rule="An Aurora Serverless v2 minimum capacity of 0 ACUs (auto-pause) needs an engine "
    "version that supports it: Aurora PostgreSQL 16.3, 15.7, 14.12, 13.15 or later minors, and "
    "every 17 and 18; on older versions the smallest minimum is 0.5 ACU.",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity",
    fix="Give engine_version as a major (AWS picks a current minor) or a minor at least 16.3 / "
    "15.7 / 14.12, or keep serverless_v2.min_acu at 0.5 or more.",
)

SERVERLESS_AUTO_PAUSE_RANGE = aws_rule(
    id="rds-serverless-v2-auto-pause-range",
    service=SERVICE,
    rule="SecondsUntilAutoPause of an Aurora Serverless v2 scaling configuration is 300 "
    "(five minutes) to 86400 (one day) seconds.",
    source="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html",
    fix="Set serverless_v2.seconds_until_auto_pause within 300..86400.",
)

SERVERLESS_AUTO_PAUSE_PROXY = aws_rule(
    id="rds-serverless-v2-auto-pause-proxy",
    service=SERVICE,
    rule="Aurora Serverless v2 auto-pause does not work for a cluster behind RDS Proxy: the "
    "proxy keeps connections to the instances open, so a 0 ACU minimum never pauses them.",
    source=AURORA_AUTO_PAUSE_PAGE + "#auto-pause-prereqs",
    fix="Leave proxy off for a cluster with serverless_v2.min_acu 0, or give min_acu 0.5 or "
    "more and keep the proxy.",
)

SERVERLESS_AUTO_PAUSE_LOGICAL_REPLICATION = aws_rule(
    id="rds-serverless-v2-auto-pause-logical-replication",
    service=SERVICE,
    rule="Aurora Serverless v2 auto-pause does not work for an Aurora PostgreSQL cluster with "
    "logical replication on (rds.logical_replication = 1): its instances never pause.",
    source=AURORA_AUTO_PAUSE_PAGE + "#auto-pause-prereqs",
    fix="Drop rds.logical_replication from parameters, or give serverless_v2.min_acu 0.5 or more.",
)
