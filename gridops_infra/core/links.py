"""Links: what a consumer (a service or worker) receives from a resource it uses.

`StatelessService(..., {"links": [db, cache, jobs]})` asks each linked component for a
`LinkGrant` and applies it on whatever platform the service runs on:

- `environment`: plain, non-secret settings (host names, ports, queue URLs);
- `secrets`: environment name -> Secrets Manager or SSM Parameter ARN (with an optional
  `:json-key::` suffix), injected by the platform (ECS `valueFrom`, External Secrets on
  EKS), never as plain values;
- `secret_arns`: the secret ARNs the platform's execution identity must read;
- `kms_key_arns`: keys that decrypt those secrets (when customer managed);
- `task_statements`: IAM statements for the workload's own role, scoped to the linked
  resource's ARNs (e.g. `sqs:SendMessage` on one queue);
- `pull_repository_arns`: ECR repositories whose images the workload runs, pulled by
  whatever the platform pulls with (the task execution role on ECS, the instance role on a
  single server; on EKS the node role, which already reads every repository);
- `start_after`: resources the workload must not start before (a database's writer
  instance: an Aurora cluster endpoint exists before any instance answers on it, so a
  health check that queries the database would fail the first deployment);
- `sidecars`: containers the workload must run next to it (the AppConfig agent a
  FeatureFlags link reads through): in its task or pod, or as their own compose services
  on a single server; platforms that cannot run sidecars refuse the link;
- `attach`: callbacks the platform calls once the workload's role and deployment alarms
  exist (`LinkConsumer`), for what the linked component can only create then (an
  AppConfig environment watched by those alarms, a grant scoped to it); each returns the
  resources the workload must start after;
- network access is opened by the linked component itself through `allow_from`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import pulumi


@dataclass(frozen=True)
class LinkSidecar:
    """A container a link needs next to the workload (same task or pod, `localhost`)."""

    name: str
    image: str
    port: int
    environment: Mapping[str, pulumi.Input[str]]
    essential: bool
    """Whether the workload stops when this container stops (ECS `essential`)."""
    user: str
    """The unprivileged user it runs as (restricted Pod Security refuses root)."""
    endpoints: Mapping[str, Callable[[str], str]] = field(default_factory=dict)
    """Environment variables of the workload that name this sidecar, each built from the
    host the workload reaches it at: `localhost` in a task or pod, the sidecar's own
    compose service on a single server."""


@dataclass(frozen=True)
class LinkConsumer:
    """The workload as a link's `attach` callback sees it."""

    name: str
    role: pulumi.Resource
    """The workload's own IAM role (task role, pod role or instance role)."""
    role_name: pulumi.Input[str]
    alarm_arns: list[pulumi.Input[str]]
    """The alarms that judge the workload's health (its 5xx alarm, its SLO alarm)."""


@dataclass
class LinkGrant:
    environment: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    secrets: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    secret_arns: list[pulumi.Input[str]] = field(default_factory=list)
    kms_key_arns: list[pulumi.Input[str]] = field(default_factory=list)
    task_statements: list[dict[str, Any]] = field(default_factory=list)
    pull_repository_arns: list[pulumi.Input[str]] = field(default_factory=list)
    start_after: list[pulumi.Resource] = field(default_factory=list)
    sidecars: list[LinkSidecar] = field(default_factory=list)
    attach: list[Callable[[LinkConsumer], list[pulumi.Resource]]] = field(default_factory=list)


@runtime_checkable
class Linkable(Protocol):
    """A component a service can link to."""

    def link_grant(self) -> LinkGrant:
        """What a consumer gets: environment, secret references, IAM statements."""
        ...

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> Any:
        """Open this resource's port to one consumer security group (one ingress rule)."""
        ...


def admits_consumers(link: Any) -> bool:
    """Whether `link` is reached over the network behind its own security group (a
    database, a cache), so `allow_from` opens a port to the consumer's group, rather than
    through an API that IAM alone guards (a queue)."""
    return bool(getattr(link, "ADMITS_CONSUMER_GROUPS", False))


def link_network_problem(platform: Any, link: Any) -> str | None:
    """Why `link` cannot be reached from workloads on `platform`, or None. Only two
    distinct Network components are compared (a referenced network may be the same VPC)."""
    from gridops_infra.network.component import Network

    ours = getattr(platform, "network", None)
    theirs = getattr(getattr(link, "settings", None), "network", None)
    if not (isinstance(ours, Network) and isinstance(theirs, Network)) or ours is theirs:
        return None
    return (
        f"{type(link).__name__} '{getattr(link, 'name', '?')}' is on Network "
        f"'{theirs.name}' and the platform on Network '{ours.name}': a security group "
        "cannot admit a group of another VPC; put both on one Network"
    )
