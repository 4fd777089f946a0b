"""Charges the Plan causes that no single resource's list price covers: what AWS bills
because a feature is switched on (Container Insights, X-Ray, custom metrics, backups),
because a controller creates something outside the Plan (the ALB behind an Ingress, the
EBS volumes behind PersistentVolumeClaims), or because traffic crosses a boundary
(internet egress, cross-AZ). Each charge names the resource that causes it and states its
usage assumption, overridable like every other usage key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gridops_infra.analysis.cost.context import Price, PricingContext
from gridops_infra.testing.plan import ResourceRecord

CAUSED_TYPE_PREFIX = "billed:"
"""Type label of a caused charge's cost line (`billed:CloudWatch/ContainerInsights`): not a
Pulumi type, so `--vs` and `by_type` keep it apart from the resource that causes it."""


@dataclass(frozen=True)
class CausedCharge:
    """One charge: what it is (`kind`, e.g. `XRay/Traces`), the resource that causes it,
    and its price. The cost line is named `<cause name>:<suffix>`."""

    kind: str
    suffix: str
    cause: ResourceRecord
    price: Price

    @property
    def type(self) -> str:
        return CAUSED_TYPE_PREFIX + self.kind

    @property
    def name(self) -> str:
        return f"{self.cause.name}:{self.suffix}"


CausedPricer = Callable[[PricingContext], Iterator[CausedCharge]]
