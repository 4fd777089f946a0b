"""The single-server backend of SqsWorkerQueue: the worker as a compose service on a
SingleServer, built from the same pieces as a StatelessService there
(gridops_infra.service.single_server).

What the worker becomes on the host:

- One compose fragment in its own SSM parameter (`server.add_container`), compose service
  `<name>-worker`: the host agent starts it within about a minute, and an image change
  changes that parameter only (never the instance or its data volume).
- No port, no proxy route, no published port: nothing reaches it. It is on the `web`
  network for its way out (SQS over HTTPS), and on the internal `db` network only when it
  links the server's own database.
- `QUEUE_URL` and `JOB_TIMEOUT_SECONDS` in its environment; `secrets` and the links'
  secret references are resolved on the host by the agent at start, never written to the
  fragment; `cpu` / `memory` are the container's limits; read-only root filesystem with
  `writable_paths` as tmpfs, `restart: always`, as for services.
- Stop grace period = `job_timeout_seconds` (compose has no 120 s cap, unlike ECS on
  Fargate, so there is no task protection to turn on): a deploy that replaces the
  container sends SIGTERM and waits up to the job timeout, so a worker that finishes its
  current job on SIGTERM loses nothing. Meanwhile the agent's run waits, so other deploys
  on the host land after it. A host reboot or EC2 auto-recovery does not wait: the
  message returns after the visibility timeout (jobs must be idempotent).

Replicas: `max(min_workers, 1)` containers. One host cannot autoscale, and it is paid for
whether workers run or not, so scaling to zero would save nothing and only delay the
first job; at least one worker always runs. `max_workers` and the backlog target per
worker are recorded as container labels (for the move to Fargate or EKS), nothing more.
Their memory is reserved on the host (`memory` x replicas), refused with the field named
when the host has not enough left.

IAM: the worker's rights (consume this queue only, the link grants, `task_statements`,
reading its secrets, pulling its ECR image) go on the server's instance role, in one
inline policy. One host, one role: every container on the host shares it, so the worker
may do what the services may, and they may consume the queue. Moving to Fargate or EKS
gives each worker its own role.

Metrics: the queue's own alarms (dead-letter queue not empty, oldest message age) and
the host's CPU and memory; nothing per container.

Refused in `check`, before anything is registered, with the field named: sidecar
`containers`, alarm rollbacks, ECS Exec, the scaling cooldowns, `on_demand_base`, a
`log_retention_days` other than the server's, a CPU architecture the host does not have, more
`cpu` than the host has vCPUs, more `memory` than it has left, and any platform but a
SingleServer (`spot` and `task_protection` are refused earlier, by queue/args.py).
`image_pull_secret_arn` is not built (NotImplementedError), as for services.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.compose import ContainerSpec
from gridops_infra.platforms.single_server.types import instance_vcpus
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.backend import QueueRefs, WorkerOutputs
from gridops_infra.queue.iam import consume_statements
from gridops_infra.service.fargate.backend import merge_grants
from gridops_infra.service.single_server import (
    container_spec,
    host_policy_document,
    links_database,
    refuse_unsupported,
)
from gridops_infra.service.spec.settings import ServiceSpec

COMPONENT = "SqsWorkerQueue"
CHILD_ROLES = ("compose_parameter", "host_policy")
WORKER_SUFFIX = "-worker"


@dataclass
class Prepared:
    """What `check` settled and reserved on the server before anything was registered."""

    container: ContainerSpec
    """The worker's compose service, reserved on the server (its name and memory)."""
    environment: dict[str, Any]
    """The container's environment (the same dict): `build` fills in QUEUE_URL, which
    exists only once the queue does."""
    grant: LinkGrant
    """The links' grants, merged."""


def check(spec: ServiceSpec, platform: Any, settings: QueueSettings) -> Prepared:
    """Everything one host cannot run is refused, then the worker is reserved on it."""
    where = f"{COMPONENT} '{spec.name}'"
    if not isinstance(platform, SingleServer):
        raise ArgError(
            f"{where}: platform={type(platform).__name__} is not allowed by the single-server "
            "worker backend; expected a SingleServer"
        )
    if spec.containers:
        raise ArgError(
            f"{where}: containers={[c.name for c in spec.containers]} is not allowed on a "
            "SingleServer; compose has no ECS task to share with sidecars: run the sidecar as "
            "its own service, or use FargateCluster"
        )
    refuse_unsupported(spec, platform, where)
    one_host = (
        "one host does not autoscale (it runs max(min_workers, 1) workers); cooldowns "
        "apply on FargateCluster or EksCluster: leave it out here"
    )
    for field, value, default, why in (
        ("scale_in_cooldown_seconds", settings.scaling.scale_in_cooldown_seconds, 300, one_host),
        ("scale_out_cooldown_seconds", settings.scaling.scale_out_cooldown_seconds, 60, one_host),
        (
            "on_demand_base",
            settings.on_demand_base,
            0,
            "it keeps workers on regular capacity beside Spot, and one host has no Spot",
        ),
    ):
        if value != default:
            raise ArgError(f"{where}: {field}={value!r} is not allowed on a SingleServer; {why}")
    vcpus = instance_vcpus(platform.instance_type)
    if spec.cpu > vcpus * 1024:
        raise ArgError(
            f"{where}: cpu={spec.cpu} is not allowed; {platform.instance_type} has {vcpus} "
            f"vCPU(s) ({vcpus * 1024} units) and docker refuses a limit above that"
        )
    grant = merge_grants(spec, component=COMPONENT)
    joins_database = links_database(spec, platform, component=COMPONENT)
    environment: dict[str, Any] = {
        **spec.environment,
        **grant.environment,
        "QUEUE_URL": None,  # set by build, before the fragment is rendered
        "JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
    }
    container = worker_container(spec, settings, grant, environment, joins_database)
    wanted = spec.memory * container.replicas
    if wanted > platform.memory_left_mib:
        raise ArgError(
            f"{where}: memory={spec.memory} is not allowed; {container.replicas} worker(s) "
            f"(max(min_workers={settings.scaling.min_workers}, 1): one host always runs one) "
            f"x {spec.memory} MiB = {wanted} MiB, but {platform.instance_type} has "
            f"{platform.memory_left_mib} MiB left; choose a bigger instance_type or a smaller "
            "memory"
        )
    try:
        platform.check_container(container)
    except ArgError as exc:
        raise ArgError(f"{where}: {exc}") from None
    return Prepared(container=container, environment=environment, grant=grant)


def worker_container(
    spec: ServiceSpec,
    settings: QueueSettings,
    grant: LinkGrant,
    environment: dict[str, Any],
    joins_database: bool,
) -> ContainerSpec:
    """The compose service the worker becomes (Outputs stay Outputs until rendering)."""
    scaling = settings.scaling
    labels = {
        "gridops.queue": spec.name,
        "gridops.min_workers": str(scaling.min_workers),
        "gridops.max_workers": str(scaling.max_workers),
        "gridops.target_backlog_per_worker": f"{scaling.target_backlog_per_task:g}",
    }
    # The service's container, without what only a server of requests needs.
    return dataclasses.replace(
        container_spec(spec, grant, joins_database=joins_database),
        name=f"{spec.name}{WORKER_SUFFIX}",
        port=None,
        routes=(),
        health_check_path=None,
        environment=environment,
        replicas=max(scaling.min_workers, 1),
        stop_grace_seconds=settings.job_timeout_seconds,
        extra={"labels": labels},
    )


def build(
    owner: GridopsComponent,
    spec: ServiceSpec,
    server: SingleServer,
    prepared: Prepared,
    queue: QueueRefs,
    settings: QueueSettings,
) -> WorkerOutputs:
    consumer = prepared.container.name
    for link in spec.links:
        link.allow_from(*server.link_consumer())
    for port in spec.internet_egress_ports:
        server.open_egress_port(port)

    own = consume_statements(queue.name, queue.arn, queue.kms_key_arn, iam.region_name())
    grant = LinkGrant(
        environment=dict(prepared.grant.environment),
        secrets=dict(prepared.grant.secrets),
        secret_arns=list(prepared.grant.secret_arns),
        kms_key_arns=list(prepared.grant.kms_key_arns),
        task_statements=[*own, *prepared.grant.task_statements],
        pull_repository_arns=list(prepared.grant.pull_repository_arns),
    )
    document = host_policy_document(spec, grant)
    if document is None:  # cannot happen: the consume statements are always there
        raise AssertionError(f"{COMPONENT} '{spec.name}': empty host policy")
    owner.child(
        "host_policy",
        aws.iam.RolePolicy,
        {"role": server.instance_role.id, "policy": document},
        suffix="host-policy",
    )

    prepared.environment["QUEUE_URL"] = queue.url
    server.add_container(prepared.container, owner=owner, role="compose_parameter")
    return WorkerOutputs(
        service_name=pulumi.Output.from_input(consumer),
        security_group_id=server.security_group_id,
        task_role=server.instance_role,
        task_role_arn=server.instance_role.arn,
        execution_role_arn=None,
        policy_documents={"host": document},
    )


__all__ = ["CHILD_ROLES", "WORKER_SUFFIX", "Prepared", "build", "check", "worker_container"]
