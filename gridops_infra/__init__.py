"""gridops_infra: Pulumi components that take a startup from one server to autoscaled,
observed AWS on ECS Fargate or EKS, with an offline preview engine to check it all first.

Public API (DESIGN.md section 3): the components, `Slo`, and the testing kit
(`gridops_infra.testing.preview`, `GridopsMocks`).
"""

from .network import Network, NetworkArgs
from .observability import Slo
from .testing import GridopsMocks, Plan, preview

__all__ = ["GridopsMocks", "Network", "NetworkArgs", "Plan", "Slo", "preview"]
