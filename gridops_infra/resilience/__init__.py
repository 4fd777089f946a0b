"""ResilienceDrills: AWS FIS experiments that rehearse failures of the stack's own resources.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.resilience.component import ResilienceDrills, ResilienceDrillsArgs

_EXPORTS = {
    "ResilienceDrills": "gridops_infra.resilience.component",
    "ResilienceDrillsArgs": "gridops_infra.resilience.component",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ResilienceDrills",
    "ResilienceDrillsArgs",
]
