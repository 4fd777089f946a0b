"""The contract between StatelessService and one platform backend.

A backend is a module (`service/fargate.py`; later `service/eks.py`,
`service/single_server.py`) with:

- `CHILD_ROLES`: the child roles it creates (the keys `transforms` may use);
- `check(spec, platform) -> prepared`: platform-specific validation and reservations
  (e.g. a listener-rule priority) *before* anything is registered; raises ValueError;
- `build(service, spec, platform, prepared) -> ServiceOutputs`: creates the children
  with `service.child(...)` and returns what the component exposes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pulumi

from gridops_infra.core.metrics import Metric
from gridops_infra.core.physical_names import ALARM_NAME, physical_name
from gridops_infra.platforms.base import Platform
from gridops_infra.service.spec.settings import ServiceSpec


class ServiceMetrics(Protocol):
    """The metrics a running service emits, as ObservabilityStack consumes them."""

    def http_5xx(self) -> Metric: ...
    def requests(self) -> Metric: ...
    def elb_5xx(self) -> Metric | None: ...
    def latency_p99(self) -> Metric: ...
    def unhealthy_hosts(self) -> Metric: ...
    def cpu(self) -> Metric: ...
    def memory(self) -> Metric: ...


@dataclass
class ServiceOutputs:
    """What a backend hands back to StatelessService."""

    url: pulumi.Output[str]
    service_name: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    task_role: pulumi.Resource
    task_role_arn: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str] | None
    target_group_arn: pulumi.Output[str] | None
    deployment_alarm_names: pulumi.Output[list[str]]
    metrics: ServiceMetrics
    policy_documents: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    """Every IAM policy document the backend attached, by role (for review and tests)."""


def slo_alarm_name(service_name: str) -> str:
    """The alarm ObservabilityStack creates for a service's fast-burn SLO alerts (a
    composite alarm); deterministic so the service can name it before it exists."""
    name = f"{pulumi.get_project()}-{pulumi.get_stack()}-{service_name}-slo-page"
    return physical_name(name, ALARM_NAME)


class ServiceBackend(Protocol):
    """One platform's way of running a ServiceSpec (a module satisfies it)."""

    CHILD_ROLES: tuple[str, ...]

    def check(self, spec: ServiceSpec, platform: Any) -> Any: ...

    def build(
        self, service: Any, spec: ServiceSpec, platform: Any, prepared: Any
    ) -> ServiceOutputs: ...


__all__ = [
    "Platform",
    "ServiceBackend",
    "ServiceMetrics",
    "ServiceOutputs",
    "slo_alarm_name",
]
