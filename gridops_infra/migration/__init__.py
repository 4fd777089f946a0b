"""Moving up a stage without downtime: traffic by weight with an automatic rollback
(TrafficCutover) and the old stage's queues drained into the new one (`queue_drain`).

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.migration.cutover import TrafficCutover, TrafficCutoverArgs

_EXPORTS = {
    "TrafficCutover": "gridops_infra.migration.cutover",
    "TrafficCutoverArgs": "gridops_infra.migration.args",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["TrafficCutover", "TrafficCutoverArgs"]
