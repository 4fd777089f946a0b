"""Programs of raw resources, one pair per AWS rule of the data and messaging services that a
mandatory policy rule enforces on the Plan: `PROGRAMS[rule] = build` where `build(bad)`
registers what AWS would refuse (`bad=True`) or the nearest thing it accepts. The policy
pack's bad program runs every bad one too, so the real pack and the offline runner are
compared on them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi_aws as aws
import pulumi_random as random

from gridops_infra.policy import MANDATORY, Violation, all_rules, check_plan
from gridops_infra.testing import preview

ROLE_ARN = "arn:aws:iam::123456789012:role/proxy"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"


def _subnets(prefix: str, zones: tuple[str, ...]) -> list[aws.ec2.Subnet]:
    vpc = aws.ec2.Vpc(f"{prefix}-vpc", cidr_block="10.40.0.0/16")
    return [
        aws.ec2.Subnet(
            f"{prefix}-subnet-{i}",
            vpc_id=vpc.id,
            cidr_block=f"10.40.{i}.0/24",
            availability_zone=zone,
        )
        for i, zone in enumerate(zones)
    ]


def _zones(bad: bool) -> tuple[str, ...]:
    return ("us-east-1a", "us-east-1a") if bad else ("us-east-1a", "us-east-1b")


def db_subnet_group(bad: bool) -> None:
    subnets = _subnets("lim-dbsg", _zones(bad))
    aws.rds.SubnetGroup("lim-dbsg", subnet_ids=[s.id for s in subnets])


def db_proxy(bad: bool) -> None:
    subnets = _subnets("lim-proxy", _zones(bad))
    aws.rds.Proxy(
        "lim-proxy",
        engine_family="POSTGRESQL",
        role_arn=ROLE_ARN,
        require_tls=True,
        vpc_subnet_ids=[s.id for s in subnets],
        auths=[{"auth_scheme": "SECRETS", "secret_arn": SECRET_ARN, "iam_auth": "DISABLED"}],
    )


def _db_instance(name: str, **extra: object) -> None:
    aws.rds.Instance(
        name,
        engine="postgres",
        instance_class="db.t4g.medium",
        allocated_storage=20,
        username="app_admin",
        manage_master_user_password=True,
        storage_encrypted=True,
        deletion_protection=True,
        final_snapshot_identifier=f"{name}-final",
        **extra,  # type: ignore[arg-type]
    )


def db_backup_retention(bad: bool) -> None:
    _db_instance("lim-backups", backup_retention_period=40 if bad else 35)


def db_performance_insights(bad: bool) -> None:
    _db_instance(
        "lim-insights",
        backup_retention_period=14,
        performance_insights_enabled=True,
        performance_insights_retention_period=94 if bad else 93,
    )


def cache_auth_token(bad: bool) -> None:
    aws.elasticache.ReplicationGroup(
        "lim-cache-auth",
        description="auth",
        node_type="cache.t4g.small",
        num_cache_clusters=2,
        automatic_failover_enabled=True,
        at_rest_encryption_enabled=True,
        transit_encryption_enabled=not bad,
        auth_token="0123456789abcdef0123",
    )


def cache_failover(bad: bool) -> None:
    aws.elasticache.ReplicationGroup(
        "lim-cache-failover",
        description="failover",
        node_type="cache.t4g.small",
        num_cache_clusters=1 if bad else 2,
        automatic_failover_enabled=True,
        multi_az_enabled=True,
        at_rest_encryption_enabled=True,
        transit_encryption_enabled=True,
        auth_token="0123456789abcdef0123",
    )


def _queue_with_dead_letters(resource_name: str, fifo: bool, **extra: object) -> None:
    dlq = aws.sqs.Queue(f"{resource_name}-dlq", fifo_queue=fifo, sqs_managed_sse_enabled=True)
    aws.sqs.Queue(
        resource_name,
        fifo_queue=fifo,
        sqs_managed_sse_enabled=True,
        redrive_policy=dlq.arn.apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
        ),
        **extra,  # type: ignore[arg-type]
    )


def cache_auth_token_format(bad: bool) -> None:
    # pulumi-random's default special characters include @, %, * and others ElastiCache
    # refuses in an AUTH token.
    token = random.RandomPassword("lim-cache-token", length=64, special=bad)
    aws.elasticache.ReplicationGroup(
        "lim-cache-token",
        description="token",
        node_type="cache.t4g.small",
        num_cache_clusters=2,
        automatic_failover_enabled=True,
        at_rest_encryption_enabled=True,
        transit_encryption_enabled=True,
        auth_token=token.result,
    )


def queue_name(bad: bool) -> None:
    _queue_with_dead_letters("lim-queue-name", True, name="orders" if bad else "orders.fifo")


def queue_attributes(bad: bool) -> None:
    _queue_with_dead_letters(
        "lim-queue-timings",
        False,
        visibility_timeout_seconds=50_000 if bad else 43_200,
        message_retention_seconds=1_209_600,
    )


def dead_letter_type(bad: bool) -> None:
    dlq = aws.sqs.Queue(
        "lim-dlq",
        fifo_queue=bad,
        name="lim-dlq.fifo" if bad else "lim-dlq",
        sqs_managed_sse_enabled=True,
    )
    aws.sqs.Queue(
        "lim-source",
        sqs_managed_sse_enabled=True,
        redrive_policy=dlq.arn.apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
        ),
    )


def topic_name(bad: bool) -> None:
    aws.sns.Topic("lim-topic", name="alerts!" if bad else "alerts")


def key_deletion_window(bad: bool) -> None:
    aws.kms.Key("lim-key-window", enable_key_rotation=True, deletion_window_in_days=5 if bad else 7)


def key_alias(bad: bool) -> None:
    key = aws.kms.Key("lim-key-alias", enable_key_rotation=True)
    aws.kms.Alias("lim-alias", name="alias/aws/shop" if bad else "alias/shop", target_key_id=key.id)


def _alarm(resource_name: str, **extra: object) -> None:
    args: dict[str, object] = {
        "comparison_operator": "GreaterThanThreshold",
        "metric_name": "CPUUtilization",
        "namespace": "AWS/RDS",
        "statistic": "Average",
        "threshold": 80,
        "period": 60,
        "evaluation_periods": 1,
    }
    aws.cloudwatch.MetricAlarm(resource_name, **(args | extra))  # type: ignore[arg-type]


def alarm_period(bad: bool) -> None:
    _alarm("lim-alarm-period", period=45 if bad else 30)


def alarm_evaluation_range(bad: bool) -> None:
    # 300 s x 300 = 25 hours: over the one-day limit of a sub-hour period; 3600 s x 168 is
    # exactly the seven days an hourly period may look back.
    if bad:
        _alarm("lim-alarm-range", period=300, evaluation_periods=300)
    else:
        _alarm("lim-alarm-range", period=3600, evaluation_periods=168)


def alarm_datapoints(bad: bool) -> None:
    _alarm("lim-alarm-datapoints", evaluation_periods=2, datapoints_to_alarm=3 if bad else 2)


def alarm_name(bad: bool) -> None:
    _alarm("lim-alarm-name", name="a" * (256 if bad else 255))


def composite_alarm_rule(bad: bool) -> None:
    clause = 'ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx-burn-rate")'
    count = 140 if bad else 130  # 74 characters and " OR " between: 10,916 vs 10,136
    aws.cloudwatch.CompositeAlarm(
        "lim-composite", alarm_name="lim-composite", alarm_rule=" OR ".join([clause] * count)
    )


def log_retention(bad: bool) -> None:
    aws.cloudwatch.LogGroup("lim-logs-retention", retention_in_days=10 if bad else 14)


def log_group_name(bad: bool) -> None:
    aws.cloudwatch.LogGroup(
        "lim-logs-name",
        name="/shop/api logs" if bad else "/shop/api-logs#1",
        retention_in_days=30,
    )


def queue_feeds_function(bad: bool) -> None:
    """A queue and a function made apart, joined by an event source mapping: a visibility
    timeout shorter than the function's timeout is what Lambda refuses."""
    dlq = aws.sqs.Queue("lim-fn-dlq", sqs_managed_sse_enabled=True)
    queue = aws.sqs.Queue(
        "lim-fn-queue",
        visibility_timeout_seconds=30 if bad else 360,
        sqs_managed_sse_enabled=True,
        redrive_policy=dlq.arn.apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
        ),
    )
    function = aws.lambda_.Function(
        "lim-fn",
        package_type="Image",
        image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/worker:1.0.0",
        role=ROLE_ARN,
        timeout=60,
    )
    aws.lambda_.EventSourceMapping(
        "lim-fn-source", event_source_arn=queue.arn, function_name=function.name
    )


PROGRAMS: dict[str, Callable[[bool], None]] = {
    "rds-subnet-group-two-azs": db_subnet_group,
    "rds-proxy-two-azs": db_proxy,
    "rds-backup-retention-range": db_backup_retention,
    "rds-performance-insights-retention": db_performance_insights,
    "elasticache-auth-token-needs-tls": cache_auth_token,
    "elasticache-failover-needs-replica": cache_failover,
    "elasticache-auth-token-format": cache_auth_token_format,
    "sqs-queue-name": queue_name,
    "sqs-queue-attribute-ranges": queue_attributes,
    "sqs-dead-letter-same-type": dead_letter_type,
    "lambda-sqs-visibility-timeout": queue_feeds_function,
    "sns-topic-name": topic_name,
    "kms-deletion-window": key_deletion_window,
    "kms-alias-name": key_alias,
    "cloudwatch-alarm-period": alarm_period,
    "cloudwatch-alarm-evaluation-range": alarm_evaluation_range,
    "cloudwatch-datapoints-to-alarm": alarm_datapoints,
    "cloudwatch-alarm-name": alarm_name,
    "cloudwatch-composite-alarm-rule": composite_alarm_rule,
    "cloudwatch-log-retention": log_retention,
    "cloudwatch-log-group-name": log_group_name,
}
"""AWS rule id -> program (the policy rule enforcing it has the same name)."""


def every_bad_program() -> None:
    """All the refused programs in one stack (resource names do not collide)."""
    for build in PROGRAMS.values():
        build(True)


def plan_verdicts(rule: str) -> tuple[list[Violation], list[Violation]]:
    """The violations of `rule` on its refused program and on its accepted one."""
    build = PROGRAMS[rule]
    refused = check_plan(preview(lambda: build(True))).of_rule(rule)
    accepted = check_plan(preview(lambda: build(False))).of_rule(rule)
    return refused, accepted


def assert_plan_rule(rule: str) -> None:
    """The policy rule named `rule` guards the AWS rule of that id, is mandatory, fails the
    refused program on the resource AWS would refuse, and passes the accepted one."""
    (policy,) = [r for r in all_rules() if r.name == rule]
    assert policy.aws_rule == rule and policy.severity == MANDATORY
    refused, accepted = plan_verdicts(rule)
    assert refused, f"{rule}: the program AWS refuses passed"
    assert all(v.severity == MANDATORY and v.resource_urn for v in refused)
    assert accepted == [], f"{rule}: the program AWS accepts failed: {accepted}"
