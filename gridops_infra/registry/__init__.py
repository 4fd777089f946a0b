"""Container registry: ECR repositories per service, and references to repositories
another stack created.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.registry.args import ContainerRepositoryArgs
    from gridops_infra.registry.component import ContainerRepository
    from gridops_infra.registry.reference import ContainerRepositoryReference

_EXPORTS = {
    "ContainerRepository": "gridops_infra.registry.component",
    "ContainerRepositoryArgs": "gridops_infra.registry.args",
    "ContainerRepositoryReference": "gridops_infra.registry.reference",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["ContainerRepository", "ContainerRepositoryArgs", "ContainerRepositoryReference"]
