"""StatelessService: one platform-neutral spec (ServiceSpec), one backend per platform."""

from gridops_infra.service.backend import ServiceBackend, ServiceMetrics, ServiceOutputs
from gridops_infra.service.component import BACKENDS, StatelessService, StatelessServiceArgs
from gridops_infra.service.spec.args import (
    ScheduledScalingArgs,
    ServiceSpecArgs,
    SidecarArgs,
    SpotArgs,
)
from gridops_infra.service.spec.settings import ServiceSpec

__all__ = [
    "BACKENDS",
    "ScheduledScalingArgs",
    "ServiceBackend",
    "ServiceMetrics",
    "ServiceOutputs",
    "ServiceSpec",
    "ServiceSpecArgs",
    "SidecarArgs",
    "SpotArgs",
    "StatelessService",
    "StatelessServiceArgs",
]
