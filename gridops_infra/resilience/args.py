"""ResilienceDrillsArgs: the arguments users write, with each field's default and an example."""

from __future__ import annotations

from typing import Any, TypedDict

from gridops_infra.core.component import Transform
from gridops_infra.observability.stack import ObservabilityStack


class ResilienceDrillsArgs(TypedDict, total=False):
    targets: list[Any]
    """The components to drill, one experiment each: StatelessService on a FargateCluster or
    EksCluster, ManagedPostgresWithReplicas (Multi-AZ in instance mode, with a reader in
    Aurora mode), RedisCache (Multi-AZ). Anything else is refused.

    Required.
    Example: ``[api, db, cache]``"""
    enabled: bool
    """Create the drills. With false the arguments are still checked but nothing is
    registered (and the object cannot be used as a parent or dependency).

    Default: true.
    Example: ``False``"""
    stop_alarm_names: list[str]
    """CloudWatch alarms (names, in this account and region) that stop every experiment when
    they fire. FIS allows 5 per experiment.

    Default: each service drill stops on the service's SLO page alarm (`slo_alarm_name`,
    created by ObservabilityStack); database and cache drills on the page alarms of every
    service in `targets`.
    Example: ``["api-5xx-page"]``"""
    stop_alarm_arns: list[str]
    """Stop alarms given by ARN (e.g. in another stack); added to `stop_alarm_names`.

    Default: none.
    Example: ``["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-errors"]``"""
    observability: ObservabilityStack
    """The ObservabilityStack creating the services' SLO page alarms: the default stop
    alarms are checked against it and the templates wait for it.

    Default: none.
    Example: ``observability  # the ObservabilityStack watching `targets```"""
    selection_mode: str
    """How many ECS tasks / EKS pods of a service each run hits: `ALL`, `COUNT(n)` or
    `PERCENT(n)`.

    Default: `COUNT(1)`.
    Example: ``"PERCENT(25)"``"""
    redis_availability_zone: str
    """The AZ (name, e.g. `us-east-1a`) whose RedisCache nodes lose power.

    Default: the network's first AZ, where the primary starts, so the drill forces a
    failover.
    Example: ``"eu-west-1b"``"""
    redis_interruption_seconds: int
    """How long the cache AZ stays without power, seconds, 60 to 43200.

    Default: 600.
    Example: ``300``"""
    pod_grace_period_seconds: int
    """Grace period of pods deleted on EKS, seconds, 0 (immediately) to 3600.

    Default: each pod's own `terminationGracePeriodSeconds`.
    Example: ``30``"""
    schedule: dict[str, Any]
    """Run drills on their own: EventBridge Scheduler starts the experiments at
    `expression` (`cron(...)`, `rate(...)` or `at(...)`, as EventBridge Scheduler accepts
    them) in `timezone` (an IANA name; default `UTC`), for the drill keys in
    `experiments` (default: every drill). Each started experiment keeps its SLO stop
    alarms. Creates a schedule group, one schedule per drill and one role EventBridge
    Scheduler assumes, allowed fis:StartExperiment on exactly those templates.

    Default: none (templates only; start them by hand).
    Example: ``{"expression": "cron(0 10 ? * TUE *)", "timezone": "Europe/Berlin", "experiments": ["db-failover"]}``"""
    logging: bool
    """Write experiment logs (schema 2) to a CloudWatch Logs group.

    Default: true.
    Example: ``False``"""
    log_retention_days: int
    """Retention of the experiment log group, days.

    Default: 90.
    Example: ``30``"""
    tags: dict[str, str]
    """Tags for every AWS resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "sre"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (`ResilienceDrills.CHILD_ROLES`); applies to
    that child of every drill.

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""
