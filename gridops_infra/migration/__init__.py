"""Moving up a stage without downtime: the data follows by itself (`PostgresReplication`,
AWS DMS from the single server's PostgreSQL into ManagedPostgresWithReplicas), traffic moves
by weight with an automatic rollback (`TrafficCutover`), and the old stage's queues drain
into the new one (`queue_drain`).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.migration.args import PostgresReplicationArgs, TrafficCutoverArgs
    from gridops_infra.migration.cutover import TrafficCutover
    from gridops_infra.migration.replication import PostgresReplication

_EXPORTS = {
    "PostgresReplication": "gridops_infra.migration.replication",
    "PostgresReplicationArgs": "gridops_infra.migration.args",
    "TrafficCutover": "gridops_infra.migration.cutover",
    "TrafficCutoverArgs": "gridops_infra.migration.args",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["PostgresReplication", "PostgresReplicationArgs", "TrafficCutover", "TrafficCutoverArgs"]
