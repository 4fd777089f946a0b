"""AWS DMS: what a PostgreSQL source with CDC, a replication subnet group and a serverless
replication config need before AWS creates or starts them."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SOURCE_GUIDE = "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.PostgreSQL.html"

SERVERLESS_CAPACITY_UNITS = aws_rule(
    id="dms-serverless-capacity-units",
    service="AWS DMS",
    rule="A serverless replication's MaxCapacityUnits and MinCapacityUnits are DMS capacity "
    "units from the list 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384 (the minimum no larger "
    "than the maximum).",
    source="https://docs.aws.amazon.com/dms/latest/APIReference/API_ComputeConfig.html",
    fix="Give max_capacity_units (and min_capacity_units) from 1, 2, 4, 8, 16, 32, 64, 128, "
    "192, 256, 384, with min_capacity_units <= max_capacity_units.",
)

POSTGRES_SOURCE_VERSION = aws_rule(
    id="dms-postgres-source-version",
    service="AWS DMS",
    rule="DMS replicates from PostgreSQL 9.x through 17.x (16 needs DMS 3.5.3 or later, 17 "
    "needs 3.6.1 or later); other versions are not supported sources.",
    source=SOURCE_GUIDE,
    fix="Run the source on PostgreSQL 16 or 17 (SingleServer postgres_version), or move the "
    "data with a dump and restore.",
)

WAL_SENDER_TIMEOUT = aws_rule(
    id="dms-postgres-wal-sender-timeout",
    service="AWS DMS",
    rule="On a PostgreSQL source with CDC, wal_sender_timeout is 0 (no timeout) or at least "
    "10000 milliseconds; a DMS task fails with a shorter one.",
    source=f"{SOURCE_GUIDE}#CHAP_Source.PostgreSQL.Prerequisites",
    fix="Set replication_source.wal_sender_timeout_seconds to 0 or to 10 or more.",
)

SUBNET_GROUP_TWO_AZS = aws_rule(
    id="dms-subnet-group-two-azs",
    service="AWS DMS",
    rule="A replication subnet group covers at least two Availability Zones "
    "(ReplicationSubnetGroupDoesNotCoverEnoughAZs otherwise).",
    source="https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationSubnetGroup.html",
    fix="Give the Network az_count >= 2 (its private subnets form the subnet group).",
)

VPC_ROLE = aws_rule(
    id="dms-vpc-role",
    service="AWS DMS",
    rule="Creating a replication subnet group fails unless the account has the IAM role "
    "dms-vpc-role (with the AmazonDMSVPCManagementRole policy); the name is fixed, so an "
    "account has one.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dms-replicationsubnetgroup.html",
    fix="Leave create_vpc_role=True in the first PostgresReplication of the account, and "
    "set it to False where dms-vpc-role already exists.",
)

__all__ = [
    "POSTGRES_SOURCE_VERSION",
    "SERVERLESS_CAPACITY_UNITS",
    "SUBNET_GROUP_TWO_AZS",
    "VPC_ROLE",
    "WAL_SENDER_TIMEOUT",
]
