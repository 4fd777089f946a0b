"""The application every stage runs: the same data tier, API spec and SLOs whatever the
platform (DESIGN section 3: swapping the platform object is the only change)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import pulumi

from gridops_infra import (
    LambdaPlatform,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    RedisCache,
    ResilienceDrills,
    Slo,
    SqsWorkerQueue,
    StackBudget,
    StatelessService,
)

from .config import StageConfig, StageConfigError
from .environment import Environment
from .images import image_reference, workload_images

if TYPE_CHECKING:
    from gridops_infra import (
        ObservabilityStackArgs,
        ResilienceDrillsArgs,
        StackBudgetArgs,
        StatelessServiceArgs,
    )
    from gridops_infra.data.postgres.args import EngineMode, ManagedPostgresWithReplicasArgs


@dataclass(frozen=True)
class App:
    api: StatelessService
    db: ManagedPostgresWithReplicas
    cache: RedisCache
    jobs: SqsWorkerQueue
    observability: ObservabilityStack
    front: Any = None
    """What serves the API to the internet, when the stage has one (a CdnFrontend)."""


def api_args(
    cfg: StageConfig,
    env: Environment,
    platform: Any,
    links: list[Any],
    *,
    counts: tuple[int, int] = (2, 20),
    image: pulumi.Input[str] | None = None,
    **extra: Any,
) -> StatelessServiceArgs:
    """The API's spec from stage config; `platform` is the only platform-specific part.
    `counts`: the default (min, max) tasks or replicas; `extra`: the stage's own keys
    (a domain, tracing...), which the component checks."""
    args = {
        "platform": platform,
        "image": image if image is not None else image_reference(cfg, "api"),
        "port": cfg.integer("api_port", 8080),
        "cpu": cfg.integer("api_cpu", 512),
        "memory": cfg.integer("api_memory", 1024),
        "min_count": cfg.integer("api_min_count", counts[0]),
        "max_count": cfg.integer("api_max_count", counts[1]),
        "health_check_path": cfg.text("api_health_check_path", "/healthz"),
        "links": links,
        "tracing": cfg.flag("api_tracing", False),
        "tags": env.tags,
        **extra,
    }
    return cast("StatelessServiceArgs", args)


def build_app(
    cfg: StageConfig,
    env: Environment,
    net: Network,
    platform: Any,
    *,
    observability: dict[str, Any] | None = None,
    links: Sequence[Any] = (),
    front: Callable[[StatelessService], Any] | None = None,
    watch_api: bool = True,
    **api_extra: Any,
) -> App:
    """Postgres with replicas, Redis, the jobs queue and its workers (linked to both), the
    API linked to all three, SLO alerting (with `watch_api`: the API's load-balancer
    SLOs, which ECS Express Mode has no metrics for; without, the data tier and the
    queue are watched), and, when
    `gridops:resilience_drills` is true, FIS drills guarded by the API's SLO page alarm."""
    images = workload_images(cfg)
    drills = cfg.flag("resilience_drills", False)
    for key, default in (("db_replicas", 2), ("cache_replicas", 1)):
        if drills and cfg.integer(key, default) == 0:
            raise StageConfigError(
                f"config gridops:{key}=0: gridops:resilience_drills fails over to a replica, "
                f"so it needs gridops:{key} >= 1 (or set gridops:resilience_drills: false)"
            )
    db_args: ManagedPostgresWithReplicasArgs = {
        "network": net,
        "engine_mode": cast("EngineMode", cfg.text("db_engine_mode", "aurora")),
        "replicas": cfg.integer("db_replicas", 2),
        "tags": env.tags,
        **env.database_args(),
    }
    db = ManagedPostgresWithReplicas("db", {**db_args, **_db_capacity(cfg)})
    cache = RedisCache(
        "cache",
        {
            "network": net,
            "node_type": cfg.text("cache_node_type", "cache.r7g.large"),
            "replicas": cfg.integer("cache_replicas", 1),
            "tags": env.tags,
            **env.cache_args(),
        },
    )
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": _worker_platform(cfg, net, platform),
            "image": images.worker,
            "max_workers": cfg.integer("worker_max_count", 20),
            "links": [db, cache, *images.worker_links],
            "tags": env.tags,
        },
    )
    api = StatelessService(
        "api",
        api_args(
            cfg,
            env,
            platform,
            [db, cache, jobs, *images.api_links, *links],
            image=images.api,
            **api_extra,
        ),
    )
    edge = front(api) if front else None
    # `observability` adds a stage's own keys (EKS: Prometheus), read from config: the
    # component checks them, as it does a user's.
    stack = ObservabilityStack(
        "obs",
        cast(
            "ObservabilityStackArgs",
            {
                "resources": [
                    *([api] if watch_api else []),
                    db,
                    cache,
                    jobs,
                    *links,
                    *([edge] if edge else []),
                ],
                "slos": _slos(cfg, api) if watch_api else [],
                "alert_emails": cfg.items("alert_emails"),
                "tags": env.tags,
                **(observability or {}),
            },
        ),
    )
    app = App(api, db, cache, jobs, stack, edge)
    schedule = _drill_schedule(cfg, drills)
    stack_budget(cfg, env, stack)
    if drills:
        drills_args: ResilienceDrillsArgs = {
            "targets": [api, db, cache],
            "observability": stack,
            "tags": env.tags,
        }
        if schedule:
            drills_args["schedule"] = schedule
        drills_component = ResilienceDrills("drills", drills_args)
        pulumi.export("drill_template_ids", drills_component.experiment_template_ids)
        if schedule:
            pulumi.export("drill_schedule_names", drills_component.schedule_names)
    return app


def _drill_schedule(cfg: StageConfig, drills: bool) -> dict[str, str] | None:
    """`gridops:drill_schedule` (an EventBridge Scheduler expression, e.g. weekly in
    staging) and `gridops:drill_schedule_timezone`: every drill starts on its own.
    ResilienceDrills checks both; here only that they have drills to start."""
    expression = cfg.optional_str("drill_schedule")
    timezone = cfg.optional_str("drill_schedule_timezone")
    if expression is None:
        if timezone is not None:
            raise StageConfigError(
                "config gridops:drill_schedule_timezone is set without gridops:drill_schedule: "
                "give the schedule too, or remove the time zone"
            )
        return None
    if not drills:
        raise StageConfigError(
            "config gridops:drill_schedule needs drills to start: set "
            "gridops:resilience_drills: true (or remove gridops:drill_schedule)"
        )
    return {"expression": expression, "timezone": timezone or "UTC"}


WORKER_PLATFORMS = ("cluster", "lambda")


def _worker_platform(cfg: StageConfig, net: Network, platform: Any) -> Any:
    """Where the queue's workers run: beside the API (`cluster`), or as a Lambda function
    (`lambda`: sporadic work; `worker_image` must then be an ECR image of the region)."""
    choice = cfg.text("worker_platform", "cluster")
    if choice not in WORKER_PLATFORMS:
        raise StageConfigError(
            f"config gridops:worker_platform={choice!r} is not allowed; expected "
            f"{' or '.join(WORKER_PLATFORMS)}"
        )
    return LambdaPlatform("workers", {"network": net}) if choice == "lambda" else platform


def stack_budget(cfg: StageConfig, env: Environment, alert_topic: Any) -> StackBudget | None:
    """The stage's AWS Budget at `gridops:monthly_estimate_usd` (what `gridops cost <stage>
    --set-budget` wrote) plus `gridops:budget_headroom_percent`, alerting `alert_topic`;
    none when the stack carries no estimate (a production stack then fails the policy rule
    budget-on-production)."""
    estimate = cfg.optional_number("monthly_estimate_usd")
    if estimate is None:
        for key in ("budget_headroom_percent", "cost_anomaly_detection"):
            if cfg.optional_str(key) is not None:
                raise StageConfigError(
                    f"config gridops:{key} shapes the stack's budget, which needs "
                    "gridops:monthly_estimate_usd (run `gridops cost <stage> --set-budget`)"
                )
        return None
    args: StackBudgetArgs = {
        "monthly_estimate_usd": estimate,
        "alert_topic": alert_topic,
        "anomaly_detection": cfg.flag("cost_anomaly_detection", False),
        "tags": env.tags,
    }
    headroom = cfg.optional_number("budget_headroom_percent")
    if headroom is not None:
        args["headroom_percent"] = headroom
    return StackBudget("budget", args)


def _slos(cfg: StageConfig, api: StatelessService) -> list[Any]:
    return [
        Slo.availability(api, objective=cfg.fraction("slo_availability", 0.999)),
        Slo.latency(
            api,
            threshold_ms=cfg.integer("slo_latency_threshold_ms", 300, lo=1),
            objective=cfg.fraction("slo_latency_objective", 0.99),
        ),
    ]


def _db_capacity(cfg: StageConfig) -> ManagedPostgresWithReplicasArgs:
    """Provisioned instances, or with `gridops:db_auto_pause_seconds` (non-production
    stacks) Aurora Serverless v2 scaling to zero after that many idle seconds."""
    pause = cfg.integer("db_auto_pause_seconds", 0, lo=0)
    if not pause:
        return {"instance_class": cfg.text("db_instance_class", "db.r7g.large")}
    for key, fits in (("db_instance_class", "db.serverless"), ("db_engine_mode", "aurora")):
        value = cfg.optional_str(key)
        if value and value != fits:
            raise StageConfigError(
                f"config gridops:{key}={value!r}: gridops:db_auto_pause_seconds runs the "
                f"database as Aurora Serverless v2; set {key} to {fits} or remove it"
            )
    return {
        "instance_class": "db.serverless",
        "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": pause},
    }


def export_cutover_outputs(front_door: dict[str, Any], jobs: SqsWorkerQueue) -> None:
    """What the cutover stack reads from a stage (stacks/cutover.py): its front door
    (`ip`, or `alias` with the CloudFront distribution) and its jobs queues."""
    pulumi.export("front_door", front_door)
    pulumi.export("jobs_queue_arn", jobs.queue_arn)
    pulumi.export("jobs_dlq_arn", jobs.dlq_arn)
    pulumi.export("jobs_dlq_url", jobs.dlq_url)


def cdn_front_door(front: Any) -> dict[str, Any]:
    """A CdnFrontend as a cut-over front door: an alias target, and the distribution whose
    5xx rate can roll the cut-over back."""
    return {
        "alias": {"dns_name": front.domain_name, "zone_id": front.distribution.hosted_zone_id},
        "cloudfront_distribution_id": front.distribution_id,
    }
