"""The programs and the table of non-default values behind test_no_ignored_argument.py.

A scenario is one component on one platform (or in one mode): what it needs around it
(`setup`), its required arguments (`base`) and, for every documented argument, a valid
value other than its default (`VALUES`). Arguments come from the component's Args
TypedDict, so a new argument without an entry here fails the test.
"""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from gridops_infra import (
    ArgoCdGitOps,
    CdnFrontend,
    CdnFrontendArgs,
    ContainerRepository,
    ContainerRepositoryArgs,
    EksCluster,
    ExpressCluster,
    ExpressClusterArgs,
    FargateCluster,
    FeatureFlags,
    FeatureFlagsArgs,
    FluxGitOps,
    GithubDeployRole,
    GithubDeployRoleArgs,
    GitlabDeployRole,
    GitlabDeployRoleArgs,
    ManagedPostgresWithReplicas,
    ManagedPostgresWithReplicasArgs,
    Network,
    NetworkArgs,
    ObservabilityStack,
    ObservabilityStackArgs,
    PostgresReplication,
    PostgresReplicationArgs,
    RedisCache,
    RedisCacheArgs,
    ResilienceDrills,
    ResilienceDrillsArgs,
    SingleServer,
    Slo,
    SqsWorkerQueue,
    SqsWorkerQueueArgs,
    StackBudget,
    StatelessService,
    TrafficCutover,
    TrafficCutoverArgs,
)
from gridops_infra.budgets.args import StackBudgetArgs
from gridops_infra.data.postgres.args import ReaderAutoscalingArgs, ServerlessV2Args
from gridops_infra.delivery.argocd import ArgoCdGitOpsArgs
from gridops_infra.delivery.flux import FluxGitOpsArgs
from gridops_infra.flags.args import FlagArgs, StrategyArgs
from gridops_infra.migration.args import CutoverRollbackArgs, CutoverSideArgs
from gridops_infra.network.reference import NetworkReference
from gridops_infra.platforms.eks.args import EksClusterArgs
from gridops_infra.platforms.fargate.args import FargateClusterArgs
from gridops_infra.platforms.fargate.capacity import ManagedInstancesArgs
from gridops_infra.platforms.serverless.args import LambdaPlatformArgs
from gridops_infra.platforms.serverless.component import LambdaPlatform
from gridops_infra.platforms.single_server.args import SingleServerArgs
from gridops_infra.platforms.single_server.replication import ReplicationSourceArgs
from gridops_infra.service.component import StatelessServiceArgs
from gridops_infra.service.spec.args import ScheduledScalingArgs, SidecarArgs, SpotArgs

SUBJECT = "subject"
"""The name of the component under test (its children start with it)."""
ZONE = "Z0EXAMPLE1"
OTHER_ZONE = "Z0EXAMPLE2"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf"
KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:oncall"
ROLE_ARN = "arn:aws:iam::123456789012:role/platform-admin"
CERTIFICATE_ARN = (
    "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
)
STATIC_DIR = tempfile.mkdtemp(prefix="gridops-static-")
Path(STATIC_DIR, "index.html").write_text("<h1>hello</h1>\n")


@dataclass(frozen=True)
class Given:
    """A non-default value; `value` may be a function of the Ctx (for components built in
    the program). `needs`: pieces built in the baseline as well, so only the argument
    differs; `base`: arguments it depends on, given in the baseline as well; `also`:
    arguments that must come with it (in this case only, e.g. `zone_id` with `domain`)."""

    value: Any
    needs: tuple[str, ...] = ()
    base: Mapping[str, Any] = field(default_factory=dict)
    also: Mapping[str, Any] = field(default_factory=dict)
    then: str | None = None
    """A consumer built after the component (in the baseline as well), for arguments
    that only reach what uses it (e.g. `env_prefix`): a key of CONSUMERS."""


@dataclass(frozen=True)
class Ack:
    """An acknowledgement flag: it changes no resource by itself, it lets a value through
    that is refused without it. The test shows both: `unlocks` alone is refused naming its
    field, `unlocks` with the flag is accepted."""

    value: Any
    unlocks: Mapping[str, Any]


class Ctx:
    """What one program built so far: the network, the platform, and pieces by name."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.kind = scenario.kind
        self.net: Network | Any = None
        self.platform: Any = None
        self.api: StatelessService | None = None
        self.pieces: dict[str, Any] = {}

    def piece(self, name: str) -> Any:
        if name not in self.pieces:
            self.pieces[name] = PIECES[name](self)
        return self.pieces[name]


def _network(ctx: Ctx) -> None:
    # A reference to an existing network registers nothing: the Network's own arguments
    # are covered by its scenario, and every resource less here is one less in each of the
    # hundreds of previews.
    nat = "none" if ctx.kind == "single-server" else "single"
    ctx.net = NetworkReference("net", nat=nat, **REFERENCE_BASE)


def _platform(ctx: Ctx) -> None:
    _network(ctx)
    ctx.platform = PLATFORMS[ctx.kind]("plat", ctx.net)


PLATFORMS: dict[str, Callable[[str, Any], Any]] = {
    "fargate": lambda name, net: FargateCluster(name, {"network": net}),
    # Without the EBS CSI driver and the node autoscaler, which no service or worker
    # argument reaches: fewer resources in each of the previews built on it.
    "eks": lambda name, net: EksCluster(
        name, {"network": net, "ebs_csi_driver": False, "node_autoscaler": "none"}
    ),
    "single-server": lambda name, net: SingleServer(name, {"network": net}),
    "express": lambda name, net: ExpressCluster(name, {"network": net}),
    # Queue workers only (no StatelessService scenario: services do not run on Lambda).
    "lambda": lambda name, net: LambdaPlatform(name, {"network": net}),
}
PLATFORM_CLASS = {
    "fargate": "FargateCluster",
    "eks": "EksCluster",
    "single-server": "SingleServer",
    "express": "ExpressCluster",
}


def _with_api(ctx: Ctx) -> None:
    _platform(ctx)
    ctx.api = StatelessService("api", {"platform": ctx.platform, "image": "ghcr.io/acme/api:1"})


PIECES: dict[str, Callable[[Ctx], Any]] = {
    "cache": lambda c: RedisCache("cache", {"network": c.net}),
    "db": lambda c: ManagedPostgresWithReplicas("db", {"network": c.net}),
    "other_net": lambda c: Network(
        "other", {"az_count": 2, "nat": "none", "cidr_block": "10.9.0.0/16"}
    ),
    "alt_platform": lambda c: PLATFORMS[c.kind]("alt", c.net),
    "obs": lambda c: ObservabilityStack("obs", {"resources": [c.api]}),
}


def _linked_service(ctx: Ctx, subject: Any) -> None:
    cluster = FargateCluster("use", {"network": ctx.net})
    StatelessService(
        "user", {"platform": cluster, "image": "ghcr.io/acme/app:1.0.0", "links": [subject]}
    )


CONSUMERS: dict[str, Callable[[Ctx, Any], None]] = {"linked_service": _linked_service}


def _transform(ctx: Ctx) -> dict[str, Any]:
    """A transform on a child every scenario creates: it marks the child's options."""

    def mark(args: dict[str, Any], opts: pulumi.ResourceOptions) -> Any:
        return args, pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(ignore_changes=["gridopsTransformed"])
        )

    return {ctx.scenario.transform_role: mark}


TAGS = {"team": "payments"}
TRANSFORMS = Given(_transform)
LINKS = Given(lambda c: [c.piece("cache")], needs=("cache",))
DOMAIN = Given("app.example.com", also={"zone_id": ZONE})
ZONE_ID = Given(OTHER_ZONE, base={"domain": "app.example.com", "zone_id": ZONE})
SIDECARS = [{"name": "proxy", "image": "ghcr.io/acme/proxy:1.0", "port": 9901}]
STATEMENTS = [{"Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-assets/*"}]

# Fields a service and a queue worker share (the worker forwards them to a ServiceSpec).
WORKLOAD_VALUES: dict[str, Any] = {
    "platform": Given(lambda c: c.piece("alt_platform"), needs=("alt_platform",)),
    "image": "ghcr.io/acme/app:2.0.0",
    "cpu": Given(512, base={"memory": 1024}),
    "memory": 2048,
    "environment": {"LOG_LEVEL": "debug"},
    "secrets": {"API_KEY": SECRET_ARN},
    "command": ["serve", "--verbose"],
    "links": LINKS,
    "containers": SIDECARS,
    "cpu_architecture": "X86_64",
    "log_retention_days": 90,
    "read_only_root_filesystem": False,
    "writable_paths": ["/var/cache/app"],
    "user": "10001:10001",
    "task_statements": STATEMENTS,
    "image_pull_secret_arn": SECRET_ARN,
    "enable_execute_command": True,
    "internet_egress_ports": [443, 8443],
    "container_health_check_command": ["CMD", "/app/healthcheck"],
    "rollback_alarm_names": ["api-latency-high"],
    "scale_in_cooldown_seconds": 600,
    "scale_out_cooldown_seconds": 30,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

SERVICE_VALUES: dict[str, Any] = {
    **WORKLOAD_VALUES,
    "port": 9090,
    "min_count": 3,
    "max_count": 12,
    "health_check_path": "/healthz",
    "health_check_grace_period_seconds": 120,
    "path_patterns": ["/api/*"],
    "hosts": ["api.example.com"],
    "priority": 7,
    "domain": DOMAIN,
    "zone_id": ZONE_ID,
    "deregistration_delay_seconds": 10,
    "cpu_target_percent": 75,
    "memory_target_percent": 70,
    "requests_per_target": 500,
    "scheduled_scaling": [{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 4, "max_count": 12}],
    "deployment_strategy": "canary",
    "bake_time_minutes": Given(15, base={"deployment_strategy": "blue-green"}),
    "traffic_step_percent": Given(25.0, base={"deployment_strategy": "canary"}),
    "traffic_step_minutes": Given(10, base={"deployment_strategy": "canary"}),
    "rollback_5xx_percent": 2.5,
    "slo_rollback": True,
    "spot": {"weight": 1},
    "tracing": True,
}

# Express runs X86_64 with a writable root filesystem, which the values above ask for;
# what it must refuse is the other choice.
EXPRESS_SERVICE_VALUES: dict[str, Any] = {
    **SERVICE_VALUES,
    "cpu_architecture": "ARM64",
    "read_only_root_filesystem": True,
}

QUEUE_VALUES: dict[str, Any] = {
    **WORKLOAD_VALUES,
    "min_workers": 1,
    "max_workers": 12,
    "job_timeout_seconds": 90,
    "visibility_timeout_seconds": 600,
    "max_receive_count": 3,
    "message_retention_seconds": 86_400,
    "receive_wait_time_seconds": 10,
    "delay_seconds": 5,
    "fifo": True,
    "queue_name": "jobs-main",
    "content_based_deduplication": Given(False, base={"fifo": True}),
    "high_throughput": Given(True, base={"fifo": True}),
    "kms_key_arn": KMS_KEY_ARN,
    "acceptable_latency_seconds": 120,
    "seconds_per_job": 2.0,
    "task_protection": False,
    # Fargate's (and Express's workers') default is Spot; elsewhere it is on-demand.
    "spot": Given(lambda c: c.kind not in ("fargate", "express")),
    "on_demand_base": 1,
    "alarm_actions": [TOPIC_ARN],
    # A Lambda function's own settings: refused on every other platform, naming it.
    "batch_size": 20,
    "max_batching_window_seconds": 5,
    "reserved_concurrency": 40,
    "ephemeral_storage_mb": 2048,
}

# Lambda runs images from ECR of its own region only.
LAMBDA_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.0.0"
LAMBDA_QUEUE_VALUES: dict[str, Any] = {
    **QUEUE_VALUES,
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:2.0.0",
    # Above 10 messages a batch needs a batching window (given in the baseline too).
    "batch_size": Given(20, base={"max_batching_window_seconds": 5}),
}

NETWORK_VALUES: dict[str, Any] = {
    "az_count": 3,
    "cidr_block": "10.20.0.0/16",
    "nat": "none",
    "availability_zones": ["us-east-1b", "us-east-1c"],
    "flow_log_retention_days": 90,
    "flow_logs": False,
    "vpc_endpoints": ["fargate"],
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

OTHER_NETWORK = Given(lambda c: c.piece("other_net"), needs=("other_net",))

LAMBDA_PLATFORM_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

FARGATE_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "certificate_arn": CERTIFICATE_ARN,
    "domain": DOMAIN,
    "zone_id": ZONE_ID,
    "alb_deletion_protection": False,
    "access_log_retention_days": 30,
    "idle_timeout_seconds": 120,
    "ingress_cidrs": ["203.0.113.0/24"],
    "behind_cdn": True,
    "origin_access": Given("public-with-header", base={"behind_cdn": True}),
    "container_insights": "enhanced",
    "capacity": "managed-instances",
    "managed_instances": {"instance_types": ["c8g.large"], "storage_gib": 50},
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

EXPRESS_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "endpoint": "internal",
    "container_insights": "enhanced",
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

EKS_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "pod_security_groups": False,
    "kubernetes_version": "1.34",
    "support_type": "EXTENDED",
    "public_access_cidrs": ["203.0.113.0/24"],
    "allow_public_api_from_anywhere": Ack(True, unlocks={"public_access_cidrs": ["0.0.0.0/0"]}),
    "admin_role_arns": [ROLE_ARN],
    "creator_admin": Given(False, base={"admin_role_arns": [ROLE_ARN]}),
    "node_architecture": "x86_64",
    "node_instance_types": ["m7g.xlarge"],
    "node_min": 3,
    "node_desired": 4,
    "node_max": 8,
    "node_disk_size_gib": 100,
    "spot": True,
    "spot_instance_types": Given(["m7g.large", "m6g.large"], base={"spot": True}),
    "spot_min": Given(1, base={"spot": True}),
    "spot_max": Given(5, base={"spot": True}),
    "fargate_profiles": ["batch"],
    "node_autoscaler": "karpenter",
    "compute": "auto-mode",
    "keda": False,
    "external_secrets": False,
    "chart_versions": {"keda": "2.17.2"},
    "container_insights": False,
    "ebs_csi_driver": False,
    "container_log_retention_days": 90,
    "log_retention_days": 30,
    "deletion_protection": False,
    "behind_cdn": True,
    "origin_access": Given("public-with-header", base={"behind_cdn": True}),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

SINGLE_SERVER_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "architecture": "x86_64",
    "instance_type": "t4g.xlarge",
    "ami_id": "ami-0123456789abcdef0",
    "subnet_index": 1,
    "root_volume_gb": 40,
    "data_volume_gb": 100,
    "data_volume_snapshot_id": "snap-0123456789abcdef0",
    "snapshot_retention_days": 7,
    "backup_time_utc": "04:30",
    "database": False,
    "postgres_version": "17",
    "database_name": "shop",
    "database_user": "shop",
    "database_memory_mb": 1024,
    "database_backup_retention_days": 14,
    "replication_source": {"replication_slots": 2},
    "domain": DOMAIN,
    "zone_id": ZONE_ID,
    "dns_record": Given(False, base={"domain": "app.example.com", "zone_id": ZONE}),
    "acme_email": "ops@example.com",
    "ip_certificate": False,
    "ingress_cidrs": ["203.0.113.0/24"],
    "behind_cdn": True,
    "internet_egress_ports": [443, 587],
    "log_retention_days": 90,
    "alarm_topic_arn": TOPIC_ARN,
    "cpu_alarm_percent": 90,
    "protect_data": False,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

POSTGRES_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "engine_mode": Given(lambda c: "instance" if c.kind == "aurora" else "aurora"),
    "engine_version": "16",
    "allow_major_version_upgrade": True,
    "instance_class": "db.r7g.large",
    "replica_instance_class": Given("db.t4g.large", base={"replicas": 1}),
    "replicas": 2,
    "multi_az": False,
    "identifier": "shop-db",
    "db_name": "shop",
    "master_username": "shop_admin",
    "credentials": "random",
    "port": 6432,
    "allocated_storage_gb": 200,
    "max_allocated_storage_gb": 500,
    "backup_retention_days": 21,
    "allow_short_backup_retention": Ack(True, unlocks={"backup_retention_days": 3}),
    "backup_window": "01:00-02:00",
    "maintenance_window": "sat:04:30-sat:05:30",
    "deletion_protection": False,
    "protect": False,
    "final_snapshot": False,
    "final_snapshot_identifier": "shop-db-last",
    "snapshot_identifier": "shop-db-snap",
    "kms_key_arn": KMS_KEY_ARN,
    "customer_managed_key": True,
    "performance_insights_retention_days": 31,
    "monitoring_interval_seconds": 60,
    "slow_query_ms": 250,
    "log_retention_days": 90,
    "parameters": {"work_mem": "16384"},
    "apply_immediately": True,
    "proxy": True,
    "blue_green_update": True,
    "reader_autoscaling": {"max_readers": 3},
    "serverless_v2": {"min_acu": 1, "max_acu": 8},
    "env_prefix": Given("SHOPDB", then="linked_service"),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

REDIS_VALUES: dict[str, Any] = {
    "network": OTHER_NETWORK,
    "engine": "redis",
    "engine_version": "8.0",
    "node_type": "cache.r7g.large",
    "replicas": 2,
    "shards": 2,
    "multi_az": False,
    "identifier": "shop-cache",
    "port": 6380,
    "snapshot_retention_days": 14,
    "snapshot_window": "01:00-02:00",
    "maintenance_window": "sat:05:00-sat:06:00",
    "final_snapshot": False,
    "snapshot_name": "shop-cache-snap",
    "kms_key_arn": KMS_KEY_ARN,
    "customer_managed_key": True,
    "maxmemory_policy": "noeviction",
    "parameters": {"timeout": "300"},
    "log_retention_days": 90,
    "apply_immediately": True,
    "protect": False,
    "env_prefix": Given("CACHE", then="linked_service"),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

STATIC = {"static_site": True}
CDN_VALUES: dict[str, Any] = {
    "api_origin": Given(lambda c: c.api, base={"static_site": True, "api_origin": None}),
    "api_origin_domain": "origin.example.com",
    "static_site": True,
    "static_dir": STATIC_DIR,
    "index_document": Given("home.html", base=STATIC),
    "routes": {"/v2/*": "api"},
    "default_origin": Given("api", base=STATIC),
    "domain": DOMAIN,
    "zone_id": ZONE_ID,
    "alias_records": Given(False, base={"domain": "app.example.com", "zone_id": ZONE}),
    "waf": True,
    "waf_rate_limit": Given(500, base={"waf": True}),
    "failover_origin": Given("backup.example.com", base=STATIC),
    "access_logs": False,
    "access_log_retention_days": 30,
    "price_class": "PriceClass_All",
    "additional_metrics": False,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

SLOS = Given(lambda c: [Slo.availability(c.api, objective=0.999)])
OBSERVABILITY_VALUES: dict[str, Any] = {
    "resources": Given(lambda c: [c.api, c.piece("cache")], needs=("cache",)),
    "slos": SLOS,
    "alert_emails": ["oncall@example.com"],
    "webhooks": [{"url": "https://hooks.example.com/gridops", "severity": "page"}],
    "thresholds": {"api.cpu": 70},
    "dashboard": False,
    "cloudwatch_slo_alarms": Given(False, base={"slos": SLOS}),
    "prometheus": {"managed": True},
    "grafana": {"enabled": False},
    "otel": {"enabled": False},
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

RESILIENCE_VALUES: dict[str, Any] = {
    "targets": Given(lambda c: [c.api, c.piece("cache")], needs=("cache",)),
    "enabled": False,
    "stop_alarm_names": ["api-slo-page"],
    "stop_alarm_arns": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-slo-page"],
    "observability": Given(lambda c: c.piece("obs"), needs=("obs",)),
    "selection_mode": "PERCENT(50)",
    "schedule": {"expression": "rate(7 days)"},
    "redis_availability_zone": "us-east-1b",
    "redis_interruption_seconds": 300,
    "pod_grace_period_seconds": 30,
    "logging": False,
    "log_retention_days": 30,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

GITHUB_VALUES: dict[str, Any] = {
    "repository": "acme/other",
    "environment": "staging",
    "branch": "main",
    "services": ["network", "fargate"],
    "name_prefixes": ["api-"],
    "state_bucket_arn": "arn:aws:s3:::acme-pulumi-state",
    "oidc_provider_arn": (
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    ),
    "max_session_seconds": 7200,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

GITLAB_VALUES: dict[str, Any] = {
    "project_path": "acme/other",
    "ref_type": "tag",
    "ref": "release",
    "gitlab_url": "https://gitlab.acme.io",
    "audience": "https://gitlab.acme.io/deploy",
    "thumbprints": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    "services": ["network", "fargate"],
    "name_prefixes": ["api-"],
    "state_bucket_arn": "arn:aws:s3:::acme-pulumi-state",
    "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
    "max_session_seconds": 7200,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

# The environment (and its monitors) exist once a service links the flags.
FLAGS_LINKED = "linked_service"
FEATURE_FLAGS_VALUES: dict[str, Any] = {
    "flags": {"new-checkout": {}, "dark-mode": {}},
    "strategy": {"growth_type": "exponential"},
    "environment": Given("staging", then=FLAGS_LINKED),
    "alarm_arns": Given(
        ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"], then=FLAGS_LINKED
    ),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}


def _replication_setup(ctx: Ctx) -> None:
    """A single server ready to be replicated and the managed database it moves to."""
    ctx.net = Network("net", {"az_count": 2, "nat": "none"})
    ctx.pieces["server"] = SingleServer("mvp", {"network": ctx.net, "replication_source": {}})
    ctx.pieces["db"] = ManagedPostgresWithReplicas(
        "db", {"network": ctx.net, "credentials": "random"}
    )


REPLICATION_VALUES: dict[str, Any] = {
    "source": Given(lambda c: SingleServer("other", {"network": c.net, "replication_source": {}})),
    "target": Given(
        lambda c: ManagedPostgresWithReplicas("other", {"network": c.net, "credentials": "random"})
    ),
    "network": Given(lambda c: c.piece("other_net")),
    "database_name": "orders",
    "max_capacity_units": 8,
    "min_capacity_units": 2,
    "multi_az": True,
    "replication_lag_alarm_seconds": 120,
    "alarm_topic_arn": "arn:aws:sns:us-east-1:123456789012:ops",
    "create_vpc_role": False,
    "start_replication": False,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

REPOSITORY_VALUES: dict[str, Any] = {
    "repository_name": "shop/api",
    "immutable_tags": False,
    "mutable_tags": ["latest"],
    "scanning": "enhanced-continuous",
    "untagged_expire_days": 14,
    "keep_tagged_count": 100,
    "encryption": "aws-managed",
    "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "replica_regions": ["us-west-2"],
    "registry_filter_prefix": Given("sub", base={"replica_regions": ["us-west-2"]}),
    "force_delete": True,
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

ARGOCD_VALUES: dict[str, Any] = {
    "cluster": Given(lambda c: c.piece("alt_platform"), needs=("alt_platform",)),
    "repo_url": "https://github.com/acme/other-manifests.git",
    "path": "deploy/prod",
    "target_revision": "v1.2.0",
    "app_namespace": "shop",
    "auto_sync": False,
    "sync_interval": "1m",
    "credentials_secret_arn": SECRET_ARN,
    "chart_version": "8.5.0",
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

FLUX_VALUES: dict[str, Any] = {
    "cluster": Given(lambda c: c.piece("alt_platform"), needs=("alt_platform",)),
    "repo_url": "https://github.com/acme/other-manifests.git",
    "path": "deploy/prod",
    "target_revision": "refs/tags/v1.2.0",
    "app_namespace": "shop",
    "sync_interval": "1m",
    "credentials_secret_arn": SECRET_ARN,
    "chart_version": "2.18.0",
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

BUDGET_VALUES: dict[str, Any] = {
    "monthly_estimate_usd": 500.0,
    "headroom_percent": 30,
    "alert_topic": Given(lambda c: c.piece("alt_platform"), needs=("alt_platform",)),
    "actual_alert_percents": [50, 90],
    "forecast_alert_percent": 90,
    "alert_emails": ["finance@acme.io"],
    "scope": "stage-tag",
    "anomaly_detection": True,
    "anomaly_threshold_usd": Given(50, base={"anomaly_detection": True}),
    "anomaly_monitor_arn": Given(
        "arn:aws:ce::123456789012:anomalymonitor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        base={"anomaly_detection": True},
    ),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}

REFERENCE_VALUES: dict[str, Any] = {
    "vpc_id": "vpc-0fedcba9876543210",
    "public_subnet_ids": ["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"],
    "private_subnet_ids": ["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"],
    "availability_zones": ["us-east-1b", "us-east-1c"],
    "cidr_block": "10.30.0.0/16",
    # The referenced network's endpoints let a service start without NAT: refused
    # without them (naming nat), accepted with them.
    "vpc_endpoints": Ack(["fargate"], unlocks={"nat": "none"}),
}
REFERENCE_BASE: dict[str, Any] = {
    "vpc_id": "vpc-0123456789abcdef0",
    "public_subnet_ids": ["subnet-0ccc0000000000001", "subnet-0ccc0000000000002"],
    "private_subnet_ids": ["subnet-0ddd0000000000001", "subnet-0ddd0000000000002"],
    "availability_zones": ["us-east-1a", "us-east-1b"],
}


def _reference(name: str, args: dict[str, Any]) -> Any:
    """A NetworkReference registers nothing itself: what is built on it shows where each
    of its arguments lands (public subnets: the ALB; private subnets and the VPC block:
    the service; the zones: the cache's nodes)."""
    reference = NetworkReference(name, **args)
    cluster = FargateCluster(f"{name}-use", {"network": reference})
    # An ECR image, so a referenced network with endpoints but no NAT can run it.
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/app:1.0.0"
    StatelessService(f"{name}-api", {"platform": cluster, "image": image})
    return RedisCache(f"{name}-cache", {"network": reference})


def _lambda_platform(name: str, args: dict[str, Any]) -> Any:
    """A LambdaPlatform's network reaches the Plan only through a worker on it."""
    platform = LambdaPlatform(name, args)
    SqsWorkerQueue(f"{name}-jobs", {"platform": platform, "image": LAMBDA_IMAGE})
    return platform


def _reference_fields() -> dict[str, Any]:
    parameters = inspect.signature(NetworkReference.__init__).parameters
    return {p: v.annotation for p, v in parameters.items() if p not in ("self", "name")}


@dataclass(frozen=True)
class Scenario:
    id: str
    make: Callable[[str, dict[str, Any]], Any]
    annotations: Mapping[str, Any]
    """Every documented argument: the Args TypedDict's annotations."""
    values: Mapping[str, Any]
    setup: Callable[[Ctx], None]
    base: Callable[[Ctx], dict[str, Any]]
    transform_role: str = ""
    kind: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.annotations)

    refusal_names: str | None = None
    """What a refusal must name besides the field: the platform (or mode), a regular
    expression matched without regard to case."""


def _service_base(c: Ctx) -> dict[str, Any]:
    return {"platform": c.platform, "image": "ghcr.io/acme/app:1.0.0"}


CUTOVER_ALIAS = {"dns_name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}
CUTOVER_BASE: dict[str, Any] = {
    "zone_id": ZONE,
    "record_name": "shop.example.com",
    "old": {"ip": "203.0.113.10"},
    "new": {"alias": CUTOVER_ALIAS},
    "weight_percent": 10,
    "rollback": {"alarm_name": "shop-new-5xx-rate"},
}
CUTOVER_VALUES: dict[str, Any] = {
    "zone_id": OTHER_ZONE,
    "record_name": "www.example.com",
    "old": {"ip": "203.0.113.20"},
    "new": {"alias": {**CUTOVER_ALIAS, "dns_name": "d222222abcdef8.cloudfront.net"}},
    "weight_percent": 50,
    "done": Given(True, base={"weight_percent": 100}),
    "ttl": 30,
    "rollback": {"alarm_name": "shop-other-alarm"},
    "automatic_rollback": Ack(False, unlocks={"rollback": None}),
    "tags": TAGS,
    "transforms": TRANSFORMS,
}


SCENARIOS: list[Scenario] = [
    *(
        Scenario(
            id=f"StatelessService-{kind}",
            make=lambda n, a: StatelessService(n, a),
            annotations=StatelessServiceArgs.__annotations__,
            values=SERVICE_VALUES if kind != "express" else EXPRESS_SERVICE_VALUES,
            setup=_platform,
            base=_service_base,
            transform_role={
                "fargate": "task_definition",
                "eks": "deployment",
                "express": "service",
            }.get(kind, "compose_parameter"),
            kind=kind,
            refusal_names=PLATFORM_CLASS[kind],
        )
        for kind in PLATFORM_CLASS
    ),
    *(
        Scenario(
            id=f"SqsWorkerQueue-{kind}",
            make=lambda n, a: SqsWorkerQueue(n, a),
            annotations=SqsWorkerQueueArgs.__annotations__,
            values=QUEUE_VALUES,
            setup=_platform,
            base=_service_base,
            transform_role="queue",
            kind=kind,
            refusal_names=PLATFORM_CLASS[kind],
        )
        for kind in PLATFORM_CLASS
    ),
    Scenario(
        id="SqsWorkerQueue-lambda",
        make=lambda n, a: SqsWorkerQueue(n, a),
        annotations=SqsWorkerQueueArgs.__annotations__,
        values=LAMBDA_QUEUE_VALUES,
        setup=_platform,
        base=lambda c: {"platform": c.platform, "image": LAMBDA_IMAGE},
        transform_role="queue",
        kind="lambda",
        refusal_names="LambdaPlatform",
    ),
    Scenario(
        id="LambdaPlatform",
        make=_lambda_platform,
        annotations=LambdaPlatformArgs.__annotations__,
        values=LAMBDA_PLATFORM_VALUES,
        setup=_network,
        base=lambda c: {"network": c.net},
        transform_role="alarm_topic",
    ),
    Scenario(
        id="Network",
        make=lambda n, a: Network(n, a),
        annotations=NetworkArgs.__annotations__,
        values=NETWORK_VALUES,
        setup=lambda c: None,
        base=lambda c: {"az_count": 2, "nat": "single"},
        transform_role="vpc",
    ),
    Scenario(
        id="NetworkReference",
        make=_reference,
        annotations=_reference_fields(),
        values=REFERENCE_VALUES,
        setup=lambda c: None,
        base=lambda c: dict(REFERENCE_BASE),
    ),
    Scenario(
        id="FargateCluster",
        make=lambda n, a: FargateCluster(n, a),
        annotations=FargateClusterArgs.__annotations__,
        values=FARGATE_VALUES,
        setup=_network,
        base=lambda c: {"network": c.net},
        transform_role="cluster",
    ),
    Scenario(
        id="ExpressCluster",
        make=lambda n, a: ExpressCluster(n, a),
        annotations=ExpressClusterArgs.__annotations__,
        values=EXPRESS_VALUES,
        setup=_network,
        base=lambda c: {"network": c.net},
        transform_role="cluster",
    ),
    Scenario(
        id="EksCluster",
        make=lambda n, a: EksCluster(n, a),
        annotations=EksClusterArgs.__annotations__,
        values=EKS_VALUES,
        setup=_network,
        base=lambda c: {"network": c.net},
        transform_role="log_group",
    ),
    Scenario(
        id="SingleServer",
        make=lambda n, a: SingleServer(n, a),
        annotations=SingleServerArgs.__annotations__,
        values=SINGLE_SERVER_VALUES,
        setup=lambda c: setattr(c, "net", NetworkReference("net", nat="none", **REFERENCE_BASE)),
        base=lambda c: {"network": c.net},
        transform_role="log_group",
    ),
    *(
        Scenario(
            id=f"ManagedPostgresWithReplicas-{mode}",
            make=lambda n, a: ManagedPostgresWithReplicas(n, a),
            annotations=ManagedPostgresWithReplicasArgs.__annotations__,
            values=POSTGRES_VALUES,
            setup=_network,
            base=(lambda m: lambda c: {"network": c.net, "engine_mode": m})(mode),
            transform_role="security_group",
            kind=mode,
            refusal_names="engine_mode|instance mode|aurora",
        )
        for mode in ("instance", "aurora")
    ),
    Scenario(
        id="RedisCache",
        make=lambda n, a: RedisCache(n, a),
        annotations=RedisCacheArgs.__annotations__,
        values=REDIS_VALUES,
        setup=_network,
        base=lambda c: {"network": c.net},
        transform_role="security_group",
    ),
    Scenario(
        id="CdnFrontend",
        make=lambda n, a: CdnFrontend(n, a),
        annotations=CdnFrontendArgs.__annotations__,
        values=CDN_VALUES,
        setup=_with_api,
        base=lambda c: {"api_origin": c.api},
        transform_role="distribution",
        kind="fargate",
    ),
    Scenario(
        id="ObservabilityStack-fargate",
        make=lambda n, a: ObservabilityStack(n, a),
        annotations=ObservabilityStackArgs.__annotations__,
        values=OBSERVABILITY_VALUES,
        setup=_with_api,
        base=lambda c: {"resources": [c.api]},
        transform_role="page_topic",
        kind="fargate",
        # Its EKS-only arguments are refused naming the platform they need.
        refusal_names="EksCluster",
    ),
    Scenario(
        id="ResilienceDrills-fargate",
        make=lambda n, a: ResilienceDrills(n, a),
        annotations=ResilienceDrillsArgs.__annotations__,
        values=RESILIENCE_VALUES,
        setup=_with_api,
        base=lambda c: {"targets": [c.api]},
        transform_role="experiment",
        kind="fargate",
    ),
    Scenario(
        id="GithubDeployRole",
        make=lambda n, a: GithubDeployRole(n, a),
        annotations=GithubDeployRoleArgs.__annotations__,
        values=GITHUB_VALUES,
        setup=lambda c: None,
        base=lambda c: {"repository": "acme/shop"},
        transform_role="role",
    ),
    Scenario(
        id="GitlabDeployRole",
        make=lambda n, a: GitlabDeployRole(n, a),
        annotations=GitlabDeployRoleArgs.__annotations__,
        values=GITLAB_VALUES,
        setup=lambda c: None,
        base=lambda c: {"project_path": "acme/shop"},
        transform_role="role",
    ),
    Scenario(
        id="FeatureFlags",
        make=lambda n, a: FeatureFlags(n, a),
        annotations=FeatureFlagsArgs.__annotations__,
        values=FEATURE_FLAGS_VALUES,
        setup=_network,
        base=lambda c: {"flags": {"new-checkout": {}}},
        transform_role="application",
        kind="fargate",
    ),
    Scenario(
        id="PostgresReplication",
        make=lambda n, a: PostgresReplication(n, a),
        annotations=PostgresReplicationArgs.__annotations__,
        values=REPLICATION_VALUES,
        setup=_replication_setup,
        base=lambda c: {"source": c.pieces["server"], "target": c.pieces["db"]},
        transform_role="subnet_group",
    ),
    Scenario(
        id="ContainerRepository",
        make=lambda n, a: ContainerRepository(n, a),
        annotations=ContainerRepositoryArgs.__annotations__,
        values=REPOSITORY_VALUES,
        setup=lambda c: None,
        base=lambda c: {},
        transform_role="repository",
    ),
    Scenario(
        id="ArgoCdGitOps",
        make=lambda n, a: ArgoCdGitOps(n, a),
        annotations=ArgoCdGitOpsArgs.__annotations__,
        values=ARGOCD_VALUES,
        setup=_platform,
        base=lambda c: {
            "cluster": c.platform,
            "repo_url": "https://github.com/acme/shop-manifests.git",
        },
        transform_role="release",
        kind="eks",
    ),
    Scenario(
        id="FluxGitOps",
        make=lambda n, a: FluxGitOps(n, a),
        annotations=FluxGitOpsArgs.__annotations__,
        values=FLUX_VALUES,
        setup=_platform,
        base=lambda c: {
            "cluster": c.platform,
            "repo_url": "https://github.com/acme/shop-manifests.git",
        },
        transform_role="release",
        kind="eks",
    ),
    Scenario(
        id="StackBudget",
        make=lambda n, a: StackBudget(n, a),
        annotations=StackBudgetArgs.__annotations__,
        values=BUDGET_VALUES,
        setup=_platform,
        base=lambda c: {"monthly_estimate_usd": 100.0, "alert_topic": c.platform},
        transform_role="budget",
        kind="single-server",
    ),
    Scenario(
        id="TrafficCutover",
        make=lambda n, a: TrafficCutover(n, a),
        annotations=TrafficCutoverArgs.__annotations__,
        values=CUTOVER_VALUES,
        setup=lambda c: None,
        base=lambda c: dict(CUTOVER_BASE),
        transform_role="health_check",
    ),
]


@dataclass(frozen=True)
class Nested:
    """The fields of an argument that is itself a TypedDict (or a list of them, or a
    mapping of them by key): each is set in turn on `item`, the smallest valid one, which
    the baseline has as well."""

    fields: tuple[str, ...]
    item: Mapping[str, Any]
    values: Mapping[str, Any]
    is_list: bool = False
    by_key: str | None = None
    """For a mapping argument (`flags`): the key `item` is given under."""

    def wrap(self, item: Mapping[str, Any]) -> Any:
        if self.by_key is not None:
            return {self.by_key: dict(item)}
        return [dict(item)] if self.is_list else dict(item)


SIDECAR = Nested(
    fields=tuple(SidecarArgs.__annotations__),
    item={"name": "proxy", "image": "ghcr.io/acme/proxy:1.0"},
    values={
        "name": "agent",
        "image": "ghcr.io/acme/proxy:2.0",
        "cpu": 128,
        "memory": 128,
        "essential": True,
        "port": 9901,
        "environment": {"MODE": "edge"},
        "secrets": {"TOKEN": SECRET_ARN},
        "command": ["run", "--fast"],
        "health_check_command": ["CMD", "/bin/agent", "health"],
        "app_waits_for": "start",
        "read_only_root_filesystem": False,
        "writable_paths": ["/var/run/agent"],
        "user": "10001",
    },
    is_list=True,
)
NESTED: dict[tuple[str, str], Nested] = {
    ("FeatureFlags", "flags"): Nested(
        fields=tuple(FlagArgs.__annotations__),
        item={},
        values={
            "enabled": True,
            "description": "The new checkout flow",
            "attributes": {"page-size": {"value": 25}},
        },
        by_key="new-checkout",
    ),
    ("FeatureFlags", "strategy"): Nested(
        fields=tuple(StrategyArgs.__annotations__),
        item={},
        values={
            "growth_type": "exponential",
            "growth_factor": 50,
            "deployment_minutes": 30,
            "final_bake_minutes": 15,
        },
    ),
    ("TrafficCutover", "old"): Nested(
        fields=tuple(CutoverSideArgs.__annotations__),
        item={"ip": "203.0.113.10"},
        values={
            "ip": "203.0.113.30",
            "alias": CUTOVER_ALIAS,
            "cname": "old.example.net",
            "set_identifier": "legacy",
        },
    ),
    ("TrafficCutover", "new"): Nested(
        fields=tuple(CutoverSideArgs.__annotations__),
        item={"alias": CUTOVER_ALIAS},
        values={
            "ip": "203.0.113.40",
            "alias": {**CUTOVER_ALIAS, "dns_name": "d333333abcdef8.cloudfront.net"},
            "cname": "new.example.net",
            "set_identifier": "next",
        },
    ),
    ("TrafficCutover", "rollback"): Nested(
        fields=tuple(CutoverRollbackArgs.__annotations__),
        item={"alarm_name": "shop-new-5xx-rate"},
        values={
            "alarm_name": "shop-other-alarm",
            "alarm_region": "eu-west-1",
            "cloudfront_distribution_id": "E2QWRUHAPOMQZL",
            "availability_objective": 0.995,
            "insufficient_data": "Unhealthy",
        },
    ),
    ("StatelessService", "containers"): SIDECAR,
    ("SqsWorkerQueue", "containers"): SIDECAR,
    ("StatelessService", "spot"): Nested(
        fields=tuple(SpotArgs.__annotations__),
        item={},
        values={"weight": 3, "base": 1, "on_demand_weight": 0, "on_demand_base": 2},
    ),
    ("StatelessService", "scheduled_scaling"): Nested(
        fields=tuple(ScheduledScalingArgs.__annotations__),
        item={"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 10},
        values={
            "schedule": "rate(1 day)",
            "min_count": 3,
            "max_count": 12,
            "timezone": "Europe/Berlin",
        },
        is_list=True,
    ),
    ("FargateCluster", "managed_instances"): Nested(
        fields=tuple(ManagedInstancesArgs.__annotations__),
        item={},
        values={"cpu_architecture": "X86_64", "instance_types": ["r8g.large"], "storage_gib": 80},
    ),
    ("ManagedPostgresWithReplicas", "reader_autoscaling"): Nested(
        fields=tuple(ReaderAutoscalingArgs.__annotations__),
        item={},
        values={"min_readers": 1, "max_readers": 3, "metric": "connections", "target": 60.0},
    ),
    ("SingleServer", "replication_source"): Nested(
        fields=tuple(ReplicationSourceArgs.__annotations__),
        item={},
        values={
            "allowed_cidrs": ["10.0.0.0/20"],
            "security_group_id": "sg-0123456789abcdef0",
            "user": "dms",
            "schema": "shop",
            "replication_slots": 2,
            "wal_sender_timeout_seconds": 120,
            "max_slot_wal_keep_gb": 20,
        },
    ),
    ("ManagedPostgresWithReplicas", "serverless_v2"): Nested(
        fields=tuple(ServerlessV2Args.__annotations__),
        item={"min_acu": 0},  # auto-pause on, so its delay has something to change
        values={"min_acu": 1.0, "max_acu": 8.0, "seconds_until_auto_pause": 600},
    ),
}
"""(component, argument) -> its nested fields; keyed by the component (the part of the
scenario id before '-') so every platform of it is covered."""


def component_of(scenario: Scenario) -> str:
    return scenario.id.split("-")[0]


def nested_annotation(annotation: Any) -> str | None:
    """The name of the Args TypedDict an annotation refers to (`list[SidecarArgs]`,
    `SpotArgs`), if any."""
    import re

    found = re.search(r"\b(\w+Args)\b", str(annotation))
    return found.group(1) if found else None
