"""CdnFrontend: CloudFront in front of an S3 origin and/or the service's load balancer.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.cdn.component import CdnFrontend, CdnFrontendArgs

_EXPORTS = {
    "CdnFrontend": "gridops_infra.cdn.component",
    "CdnFrontendArgs": "gridops_infra.cdn.component",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "CdnFrontend",
    "CdnFrontendArgs",
]
