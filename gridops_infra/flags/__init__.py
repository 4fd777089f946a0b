"""Feature flags on AWS AppConfig (`FeatureFlags`), read by services through the AppConfig
Agent sidecar.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.flags.args import FeatureFlagsArgs
    from gridops_infra.flags.component import FeatureFlags

_EXPORTS = {
    "FeatureFlags": "gridops_infra.flags.component",
    "FeatureFlagsArgs": "gridops_infra.flags.args",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["FeatureFlags", "FeatureFlagsArgs"]
