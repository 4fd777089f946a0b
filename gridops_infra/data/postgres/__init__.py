"""ManagedPostgresWithReplicas: RDS or Aurora PostgreSQL with readers, a proxy and alarms.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.data.postgres.component import (
        ManagedPostgresWithReplicas,
        ManagedPostgresWithReplicasArgs,
    )

_EXPORTS = {
    "ManagedPostgresWithReplicas": "gridops_infra.data.postgres.component",
    "ManagedPostgresWithReplicasArgs": "gridops_infra.data.postgres.component",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ManagedPostgresWithReplicas",
    "ManagedPostgresWithReplicasArgs",
]
