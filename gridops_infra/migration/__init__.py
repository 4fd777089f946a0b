"""Moving up a stage without downtime: the data follows by itself (`PostgresReplication`,
AWS DMS from the single server's PostgreSQL into ManagedPostgresWithReplicas)."""

from gridops_infra.migration.args import PostgresReplicationArgs
from gridops_infra.migration.replication import PostgresReplication

__all__ = ["PostgresReplication", "PostgresReplicationArgs"]
