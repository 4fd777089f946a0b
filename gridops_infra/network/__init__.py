"""Network: the VPC every platform runs in, a reference to an existing one, and the endpoints and ingress rules around it.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.network.component import Network, NetworkArgs
    from gridops_infra.network.reference import NetworkReference

_EXPORTS = {
    "Network": "gridops_infra.network.component",
    "NetworkArgs": "gridops_infra.network.component",
    "NetworkReference": "gridops_infra.network.reference",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "Network",
    "NetworkArgs",
    "NetworkReference",
]
