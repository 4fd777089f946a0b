"""StatelessService: one platform-neutral spec (ServiceSpec), one backend per platform."""

from .backend import ServiceBackend, ServiceMetrics, ServiceOutputs
from .component import BACKENDS, StatelessService, StatelessServiceArgs
from .spec import ServiceSpec
from .spec_args import ScheduledScalingArgs, ServiceSpecArgs, SidecarArgs, SpotArgs

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
