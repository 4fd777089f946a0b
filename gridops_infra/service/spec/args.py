"""The arguments of a service spec, documented once for every platform.

`StatelessServiceArgs` (in component.py) adds `platform`, `tags` and `transforms`; the
fields here are platform-neutral: the same dict runs on Fargate, EKS or a single server.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

import pulumi

from gridops_infra.core.links import Linkable

DeploymentStrategy = Literal["rolling", "blue-green", "canary", "linear"]
CpuArchitecture = Literal["ARM64", "X86_64"]


class SidecarArgs(TypedDict, total=False):
    """One extra container next to the app (log router, proxy, agent)."""

    name: str
    """Container name: lowercase letters, digits and single hyphens, starting with a letter,
    at most 63 characters (a Kubernetes DNS label, so the spec also runs on EKS); unique in
    the task and different from the service's name.

    Required.
    Example: ``"metrics-agent"``"""
    image: str
    """Image reference, same rules as the service's `image` (at most 255 characters).

    Required.
    Example: ``"public.ecr.aws/acme/agent:2.1"``"""
    cpu: int
    """CPU units reserved for it (1024 = 1 vCPU), taken from the task's `cpu`.

    Default: 0 (shares what the app leaves).
    Example: ``128``"""
    memory: int
    """Hard memory limit in MiB, within the task's `memory`.

    Default: none (shares the task's memory).
    Example: ``256``"""
    essential: bool
    """Stop the whole task when this container stops. Refused on EKS (Kubernetes restarts
    the container instead).

    Default: false.
    Example: ``True``"""
    port: int
    """A port it listens on (1..65535), not the app's nor another sidecar's: containers of
    one task or pod share its network.

    Default: none.
    Example: ``9090``"""
    environment: dict[str, str]
    """Plain settings. Never secrets (use `secrets`).

    Default: none.
    Example: ``{"AGENT_MODE": "sidecar"}``"""
    secrets: dict[str, str]
    """Env name -> Secrets Manager or SSM parameter ARN.

    Default: none.
    Example: ``{"AGENT_TOKEN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:agent-token-AbCdEf"}``"""
    command: list[str]
    """Overrides the image's command.

    Default: the image's.
    Example: ``["/bin/agent", "--listen", ":9090"]``"""
    health_check_command: list[str]
    """Container health check, e.g. `["CMD", "/bin/agent", "health"]`.

    Default: none.
    Example: ``["CMD", "/bin/agent", "health"]``"""
    app_waits_for: Literal["none", "start", "healthy"]
    """Start the app only once this container started (`"start"`) or is healthy
    (`"healthy"`, needs `health_check_command`).

    Default: `"none"`.
    Example: ``"healthy"``"""
    read_only_root_filesystem: bool
    """Root filesystem read-only.

    Default: true.
    Example: ``False``"""
    writable_paths: list[str]
    """Absolute paths given a writable scratch volume when the root is read-only.

    Default: `["/tmp"]`.
    Example: ``["/tmp", "/var/agent"]``"""
    user: str
    """`user`, `uid` or `uid:gid` to run as.

    Default: the image's user.
    Example: ``"1000:1000"``"""


class ScheduledScalingArgs(TypedDict, total=False):
    """One scheduled change of the autoscaling bounds (e.g. office hours)."""

    schedule: str
    """When, in Application Auto Scaling's syntax: `cron(0 8 ? * MON-FRI *)` (6 fields:
    minutes hours day-of-month month day-of-week year; exactly one of the two day fields is
    `?`), `rate(1 day)` (a positive whole number of minute(s), hour(s) or day(s)) or
    `at(2025-12-24T18:00:00)` (a real date and time).

    Required.
    Example: ``"cron(0 8 ? * MON-FRI *)"``"""
    min_count: int
    """New minimum task count.

    Required.
    Example: ``4``"""
    max_count: int
    """New maximum task count, at least `min_count`.

    Required.
    Example: ``20``"""
    timezone: str
    """IANA time zone of `schedule`, e.g. `"Europe/Berlin"`. Allowed: a name in the tz
    database (`zoneinfo.available_timezones()`; where this machine has no tz database only
    the name's shape is checked).

    Default: `"UTC"`.
    Example: ``"Europe/Berlin"``"""


class SpotArgs(TypedDict, total=False):
    """How tasks split between on-demand FARGATE and interruptible FARGATE_SPOT."""

    weight: int
    """Relative share of tasks on FARGATE_SPOT. Allowed: 0..1000.

    Default: 1.
    Example: ``3``"""
    base: int
    """Tasks always placed on FARGATE_SPOT first.

    Default: 0.
    Example: ``1``"""
    on_demand_weight: int
    """Relative share on regular FARGATE. Allowed: 0..1000.

    Default: 1.
    Example: ``2``"""
    on_demand_base: int
    """Tasks always on regular FARGATE first (a floor that survives Spot interruptions).
    Only one of `base` and `on_demand_base` may be above 0.

    Default: 0.
    Example: ``2``"""


class ServiceSpecArgs(TypedDict, total=False):
    image: pulumi.Input[str]
    """Container image reference, e.g. `"ghcr.io/acme/api:1.4.2"` or an ECR image; a digest
    (`@sha256:...`) pins it. At most 255 characters (ECS's limit). Changing it rolls out a
    new task definition only.

    Required.
    Example: ``"ghcr.io/acme/api:1.4.2"``"""
    port: int
    """Port the app listens on inside the container. Allowed: 1..65535.

    Default: 8080.
    Example: ``3000``"""
    cpu: int
    """CPU units per task (1024 = 1 vCPU). Allowed: a Fargate size (256, 512, 1024, 2048,
    4096, 8192, 16384), so the spec runs on every platform.

    Default: 256.
    Example: ``512``"""
    memory: int
    """Memory per task in MiB. Allowed: what Fargate pairs with `cpu` (256: 512-2048, 512:
    1024-4096, 1024: 2048-8192, 2048: 4096-16384, 4096: 8192-30720 in 1024 steps; 8192:
    16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps).

    Default: 512.
    Example: ``1024``"""
    min_count: int
    """Fewest running tasks; autoscaling never goes below. Allowed: 0..5000.

    Default: 2 (one AZ can fail).
    Example: ``3``"""
    max_count: int
    """Most running tasks. Allowed: `min_count`..5000, at least 1.

    Default: the larger of 10 and `min_count`.
    Example: ``20``"""
    health_check_path: str
    """HTTP path the load balancer (and the container health check) probes; 200-399 is
    healthy. Must start with `/`.

    Default: `"/"`.
    Example: ``"/healthz"``"""
    health_check_grace_period_seconds: int
    """Seconds a new task may fail health checks while starting. Allowed: 0..300.

    Default: 60.
    Example: ``120``"""
    container_health_check_command: list[str]
    """The container's own health check. On EKS it is the liveness probe: the default as an
    `httpGet` of `health_check_path`, a command of yours as an `exec` probe, `[]` none.

    Default: `["CMD-SHELL", "curl -fsS http://localhost:<port><health_check_path> >
    /dev/null || exit 1"]` (needs curl in the image); `[]` turns it off (the load balancer
    check still guards traffic).
    Example: ``["CMD", "/app/healthcheck"]``"""
    environment: dict[str, pulumi.Input[str]]
    """Plain, non-secret settings, name -> value. Names must be valid environment variable
    names and must not repeat a `secrets` name.

    Default: none.
    Example: ``{"LOG_LEVEL": "info"}``"""
    secrets: dict[str, pulumi.Input[str]]
    """Env name -> Secrets Manager secret ARN (optionally `:json-key::`) or SSM parameter
    ARN. The platform injects the value at start (ECS `valueFrom`); it never appears in the
    task definition or state. An Output (e.g. `secret.arn`) must resolve to such an ARN: a
    value is refused, never stored (create an `aws.secretsmanager.Secret` for it and pass
    its ARN). Errors never print what is given here.

    Default: none.
    Example: ``{"STRIPE_KEY": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe-AbCdEf"}``"""
    command: list[str]
    """Overrides the image's command.

    Default: the image's.
    Example: ``["gunicorn", "app:wsgi", "--bind", "0.0.0.0:3000"]``"""
    links: list[Linkable]
    """Components the service uses (databases, caches, queues): each adds its connection
    settings, secret references, the IAM grants it needs (nothing more) and a security-group
    rule admitting this service.

    Default: none.
    Example: ``[db, cache]  # a ManagedPostgresWithReplicas, a RedisCache``"""
    containers: list[SidecarArgs]
    """Sidecar containers in the same task.

    Default: none.
    Example: ``[{"name": "metrics-agent", "image": "public.ecr.aws/acme/agent:2.1", "cpu": 128, "memory": 256}]``"""
    cpu_architecture: CpuArchitecture
    """`"ARM64"` (Graviton, about 20% cheaper) or `"X86_64"`; the image must be built for
    it.

    Default: `"ARM64"`.
    Example: ``"X86_64"``"""
    log_retention_days: int
    """Days container logs are kept. Allowed: a CloudWatch retention value (1, 3, 5, 7, 14,
    30, 60, 90, 120, 150, 180, 365, ... 3653). On EKS and a SingleServer logs go to the
    platform's one log group, so another value must equal the EksCluster's
    `container_log_retention_days` / the SingleServer's `log_retention_days` (refused
    otherwise: set it there).

    Default: 30.
    Example: ``90``"""
    read_only_root_filesystem: bool
    """Run the app with a read-only root filesystem.

    Default: true (writable scratch space at `writable_paths`).
    Example: ``False``"""
    writable_paths: list[str]
    """Absolute paths that get a writable, task-local scratch volume.

    Default: `["/tmp"]`.
    Example: ``["/tmp", "/app/cache"]``"""
    user: str
    """Run as this `user`, `uid` or `uid:gid` instead of the image's user, e.g.
    `"1000:1000"` (non-root).

    Default: the image's user.
    Example: ``"1000:1000"``"""
    path_patterns: list[str]
    """ALB path patterns routed to this service, e.g. `["/api/*"]`. At most 5 values
    together with `hosts`.

    Default: `["/*"]` (everything) unless `hosts` or `domain` route by host.
    Example: ``["/api/*"]``"""
    hosts: list[str]
    """Host names routed to this service (wildcards allowed).

    Default: none; `domain`, when given, is always added.
    Example: ``["api.example.com"]``"""
    priority: int
    """Listener rule priority (1..50000, lower wins). On EKS it is the Ingress's
    `group.order` (1..999; unprioritized routes are 0, catch-alls 1000). Refused on a
    SingleServer (its proxy orders routes by specificity).

    Default: handed out by the cluster in registration order, catch-all rules last.
    Example: ``10``"""
    domain: str
    """Serve the service at this DNS name: ACM certificate (DNS-validated in `zone_id`),
    HTTPS listener (TLS 1.2+), alias record, HTTP redirected to HTTPS. Requires `zone_id`.

    Default: none.
    Example: ``"api.example.com"``"""
    zone_id: str
    """Route 53 hosted zone id for `domain`.

    Default: none; required with `domain`.
    Example: ``"Z0123456789ABCDEFGHIJ"``"""
    deregistration_delay_seconds: int
    """Seconds the load balancer drains a stopping task. Allowed: 0..3600.

    Default: 30.
    Example: ``10``"""
    cpu_target_percent: int
    """Target average CPU for autoscaling. Allowed: 1..100; 0 turns CPU tracking off.

    Default: 60.
    Example: ``50``"""
    memory_target_percent: int
    """Target average memory for autoscaling. Allowed: 0..100. Refused on a SingleServer
    (one host does not autoscale), as are `requests_per_target` and the cooldowns.

    Default: 0 (off: memory rarely drops after scaling out, so it would block scale-in).
    Example: ``80``"""
    requests_per_target: int
    """Target ALB requests per task per minute for autoscaling. Allowed: 0..1000000. Fargate
    only (refused elsewhere).

    Default: 0 (off: the right value depends on the app).
    Example: ``1000``"""
    scale_in_cooldown_seconds: int
    """Seconds after a scale-in before the next one. Allowed: 0..3600.

    Default: 300.
    Example: ``600``"""
    scale_out_cooldown_seconds: int
    """Seconds after a scale-out before the next one. Allowed: 0..3600.

    Default: 60.
    Example: ``30``"""
    scheduled_scaling: list[ScheduledScalingArgs]
    """Scheduled changes of `min_count`/`max_count`.

    Default: none.
    Example: ``[{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 4, "max_count": 20, "timezone": "Europe/Berlin"}]``"""
    deployment_strategy: DeploymentStrategy
    """How new versions roll out: `"rolling"`, `"blue-green"` (all traffic moves after
    `bake_time_minutes`), `"canary"` (`traffic_step_percent` first, then the rest) or
    `"linear"` (`traffic_step_percent` every `traffic_step_minutes`). The circuit breaker
    and alarm rollback are on for all.

    Default: `"rolling"`.
    Example: ``"canary"``"""
    bake_time_minutes: int
    """Minutes the new version runs with all traffic before the old one is stopped
    (blue-green, canary, linear). Allowed: 0..1440; not with `"rolling"`.

    Default: 5.
    Example: ``10``"""
    traffic_step_percent: float
    """Share of traffic per step. Only with those strategies.

    Default: 10 for canary (the first step; allowed 0.1..100), 20 for linear (added every
    step; allowed 3..100).
    Example: ``10``"""
    traffic_step_minutes: int
    """Minutes between traffic steps (canary, linear). Allowed: 0..1440.

    Default: 5.
    Example: ``10``"""
    rollback_alarm_names: list[pulumi.Input[str]]
    """More CloudWatch alarm names that roll a deployment back when they fire, next to the
    service's own 5xx-ratio and unhealthy-hosts alarms.

    Default: none.
    Example: ``["checkout-errors"]``"""
    rollback_5xx_percent: float
    """5xx share of requests (with at least 10 requests a minute) that fails a deployment.
    Allowed: 0.1..100. Fargate only: EKS and a SingleServer have no alarm rollback (another
    value is refused there).

    Default: 5.
    Example: ``2``"""
    slo_rollback: bool
    """Also roll back on the alarm named `slo_alarm_name` (ObservabilityStack creates it: a
    composite of this service's fast-burn SLO alarms).

    Default: false.
    Example: ``True``"""
    spot: SpotArgs
    """Run part of the tasks on FARGATE_SPOT (up to 70% cheaper, may be interrupted with 2
    minutes' notice).

    Default: none (all on-demand).
    Example: ``{"weight": 3, "on_demand_weight": 1, "on_demand_base": 2}``"""
    enable_execute_command: bool
    """Allow `aws ecs execute-command` into running tasks (adds the SSM channel permissions
    to the task role).

    Default: false.
    Example: ``True``"""
    internet_egress_ports: list[int]
    """TCP ports the tasks may reach on the internet through NAT. Traffic inside the VPC
    (linked databases, caches) is always allowed. On EKS pods use the nodes' security group:
    another value is refused there.

    Default: `[443]`.
    Example: ``[443, 587]``"""
    task_statements: list[dict[str, Any]]
    """Extra IAM statements for the app's own role. Each has `Action` (`"service:Action"` or
    a list of them: lowercase service prefix; letters, digits, `*`, `?` in the action) and
    `Resource` (an ARN or a list of ARNs; `"*"` is refused), optionally `Sid` (ASCII letters
    and digits), `Effect` (`"Allow"`, the default, or `"Deny"`) and `Condition` (operator ->
    {condition key: value or list of values}, e.g. `{"StringEquals": {"aws:SourceVpc":
    "vpc-0abc"}}`). No Principal/NotAction/NotResource. Refused: actions that let the app
    grant itself more (`iam:Put*Policy`, `iam:Attach*Policy`, `iam:CreatePolicyVersion`,
    `iam:UpdateAssumeRolePolicy`, `iam:CreateAccessKey`, ..., also through wildcards such as
    `iam:*`), and `iam:PassRole` / `sts:AssumeRole` on every role.

    Default: none.
    Example: ``[{"Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-uploads/*"]}]``"""
    tracing: bool
    """Send OpenTelemetry traces to AWS X-Ray. On Fargate an AWS Distro for OpenTelemetry
    (ADOT) collector sidecar receives OTLP on localhost:4317 (gRPC) and 4318 (HTTP) and
    exports traces to X-Ray; the app gets `OTEL_EXPORTER_OTLP_ENDPOINT`,
    `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_TRACES_EXPORTER`. On EKS the
    cluster's OpenTelemetry gateway (ObservabilityStack) plays the collector's part.

    Default: false.
    Example: ``True``"""
    image_pull_secret_arn: str
    """Secrets Manager secret with `{"username", "password"}` for a private registry that is
    not ECR.

    Default: none.
    Example: ``"arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf"``"""


__all__ = [
    "CpuArchitecture",
    "DeploymentStrategy",
    "ScheduledScalingArgs",
    "ServiceSpecArgs",
    "SidecarArgs",
    "SpotArgs",
]
