"""RedisCache: the DESIGN call, encryption and AUTH, Multi-AZ, snapshots, logs, links, ingress,
secrets and metrics, read from the Plan."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.core.links import Linkable
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.network.component import Network
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.plan import SecretValue

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
TOKEN = "random:index/randomPassword:RandomPassword"


def design_program(extra: dict | None = None, sink: dict | None = None) -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cache = RedisCache(
        "cache", {"network": net, "node_type": "cache.r7g.large", "replicas": 1, **(extra or {})}
    )
    consumer = aws.ec2.SecurityGroup("api-sg", vpc_id=net.vpc_id, description="api tasks")
    first = cache.allow_from("api", consumer.id)
    again = cache.allow_from("api", consumer.id)
    grant = cache.link_grant()
    pulumi.export("environment", grant.environment)
    pulumi.export("secrets", grant.secrets)
    pulumi.export("primary", cache.primary_endpoint)
    if sink is not None:
        sink.update(cache=cache, same_rule=first is again, grant=grant)


@pytest.fixture(scope="module")
def built():
    sink: dict = {}
    return preview(lambda: design_program(sink=sink), stack="fargate"), sink


@pytest.fixture(scope="module")
def plan(built):
    return built[0]


@pytest.fixture(scope="module")
def group(plan):
    return plan.one(GROUP)


@pytest.fixture(scope="module")
def cluster_plan():
    return preview(
        lambda: design_program({"shards": 3, "replicas": 2, "customer_managed_key": True}),
        stack="fargate",
    )


def test_the_design_call_builds_a_valkey_replication_group(group, built) -> None:
    i = group.inputs
    assert (i["engine"], i["engineVersion"], i["nodeType"]) == ("valkey", "8.2", "cache.r7g.large")
    assert i["replicationGroupId"] == "gridops-cache-fargate"
    assert i["clusterMode"] == "disabled"
    assert i["numCacheClusters"] == 2
    assert isinstance(built[1]["cache"], Linkable)


def test_encryption_and_auth(group, plan) -> None:
    i = group.inputs
    assert i["atRestEncryptionEnabled"] is True
    assert i["transitEncryptionEnabled"] is True
    assert i["transitEncryptionMode"] == "required"
    assert isinstance(i["authToken"], SecretValue)
    token = plan.one(TOKEN)
    assert reveal(i["authToken"]) == reveal(token.outputs["result"])
    assert len(reveal(token.outputs["result"])) == 64


def test_multi_az_failover_and_replicas_spread_over_azs(group) -> None:
    assert group.inputs["automaticFailoverEnabled"] is True
    assert group.inputs["multiAzEnabled"] is True
    assert group.inputs["preferredCacheClusterAzs"] == ["us-east-1a", "us-east-1b"]


def test_snapshots_and_protection(group) -> None:
    assert group.inputs["snapshotRetentionLimit"] == 7
    assert group.inputs["finalSnapshotIdentifier"] == "gridops-cache-fargate-final"
    assert group.inputs["applyImmediately"] is False
    assert group.protect is True and group.retain_on_delete is True


def test_parameter_group_and_log_delivery(plan, group) -> None:
    params = plan.one("aws:elasticache/parameterGroup:ParameterGroup")
    assert params.inputs["family"] == "valkey8"
    assert {p["name"]: p["value"] for p in params.inputs["parameters"]} == {
        "maxmemory-policy": "volatile-lru"
    }
    assert group.inputs["parameterGroupName"] == params.outputs["name"]
    deliveries = {d["logType"]: d for d in group.inputs["logDeliveryConfigurations"]}
    assert set(deliveries) == {"slow-log", "engine-log"}
    groups = {
        r.inputs["name"]: r
        for r in plan.of_type("aws:cloudwatch/logGroup:LogGroup")
        if r.name.startswith("cache-")
    }
    for kind, delivery in deliveries.items():
        assert delivery["destinationType"] == "cloudwatch-logs"
        assert delivery["destination"] == f"/aws/elasticache/gridops-cache-fargate/{kind}"
        assert groups[delivery["destination"]].inputs["retentionInDays"] == 30
        assert groups[delivery["destination"]].urn in group.dependencies


def test_private_subnet_group_and_closed_security_group(plan, group) -> None:
    subnets = plan.one("aws:elasticache/subnetGroup:SubnetGroup")
    subnets_by_name = sorted(plan.of_type("aws:ec2/subnet:Subnet"), key=lambda r: r.name)
    private = [r.id for r in subnets_by_name if "private" in r.name]  # in AZ order
    assert subnets.inputs["subnetIds"] == private
    assert group.inputs["subnetGroupName"] == subnets.outputs["name"]
    sg = plan.one(SG, "cache-sg")
    assert group.inputs["securityGroupIds"] == [sg.id]
    assert not sg.inputs.get("ingress") and not sg.inputs.get("egress")


def test_allow_from_adds_exactly_one_rule_on_6379(plan, built) -> None:
    rules = plan.of_type(INGRESS)
    assert [r.name for r in rules] == ["cache-from-api"]
    rule = rules[0]
    assert rule.inputs["securityGroupId"] == plan.one(SG, "cache-sg").id
    assert rule.inputs["referencedSecurityGroupId"] == plan.one(SG, "api-sg").id
    assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (6379, 6379)
    assert rule.parent == plan.one("gridops:aws:RedisCache").urn
    assert built[1]["same_rule"] is True


def test_auth_token_lives_in_secrets_manager_as_a_secret(plan, group) -> None:
    token = reveal(plan.one(TOKEN).outputs["result"])
    # A deleted secret stays recoverable for 30 days, as the database's does.
    assert plan.one("aws:secretsmanager/secret:Secret").inputs["recoveryWindowInDays"] == 30
    version = plan.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert isinstance(version.inputs["secretString"], SecretValue)
    document = json.loads(reveal(version.inputs["secretString"]))
    host = group.outputs["primaryEndpointAddress"]
    assert document["auth_token"] == token
    assert document["url"] == f"rediss://:{token}@{host}:6379"
    assert token not in plan.dumps()
    assert "rediss://" not in plan.dumps()


def test_link_grant(plan, group, built) -> None:
    env = plan.outputs["environment"]
    assert env == {
        "REDIS_HOST": group.outputs["primaryEndpointAddress"],
        "REDIS_READER_HOST": group.outputs["readerEndpointAddress"],
        "REDIS_PORT": "6379",
        "REDIS_TLS": "true",
        "REDIS_CLUSTER_MODE": "false",
    }
    arn = plan.one("aws:secretsmanager/secret:Secret").outputs["arn"]
    assert plan.outputs["secrets"] == {
        "REDIS_AUTH_TOKEN": f"{arn}:auth_token::",
        "REDIS_URL": f"{arn}:url::",
        "REDIS_READER_URL": f"{arn}:reader_url::",
    }
    component = plan.one("gridops:aws:RedisCache")
    assert component.outputs["auth_secret_arn"] == arn
    token = reveal(plan.one(TOKEN).outputs["result"])
    assert token not in json.dumps(reveal(component.outputs))
    assert built[1]["grant"].kms_key_arns == []


def test_cluster_mode_with_a_customer_key(cluster_plan) -> None:
    group = cluster_plan.one(GROUP)
    key = cluster_plan.one("aws:kms/key:Key")
    i = group.inputs
    assert (i["clusterMode"], i["numNodeGroups"], i["replicasPerNodeGroup"]) == ("enabled", 3, 2)
    assert "numCacheClusters" not in i
    assert i["automaticFailoverEnabled"] is True
    assert i["kmsKeyId"] == key.outputs["arn"]
    assert key.protect is True and key.retain_on_delete is True
    params = cluster_plan.one("aws:elasticache/parameterGroup:ParameterGroup")
    assert {"name": "cluster-enabled", "value": "yes"} in params.inputs["parameters"]
    env = cluster_plan.outputs["environment"]
    assert env["REDIS_HOST"] == group.outputs["configurationEndpointAddress"]
    assert env["REDIS_CLUSTER_MODE"] == "true"
    secret = cluster_plan.one("aws:secretsmanager/secret:Secret")
    assert secret.inputs["kmsKeyId"] == key.outputs["arn"]


def test_no_replicas_means_no_failover_and_redis_engine() -> None:
    plan = preview(
        lambda: design_program(
            {"replicas": 0, "engine": "redis", "node_type": "cache.t4g.micro", "protect": False}
        )
    )
    group = plan.one(GROUP)
    assert group.inputs["multiAzEnabled"] is False
    assert group.inputs["automaticFailoverEnabled"] is False
    assert (group.inputs["engine"], group.inputs["engineVersion"]) == ("redis", "7.1")
    assert group.protect is False
    assert plan.one("aws:elasticache/parameterGroup:ParameterGroup").inputs["family"] == "redis7"


def test_data_tiering_nodes_turn_data_tiering_on() -> None:
    plan = preview(lambda: design_program({"node_type": "cache.r6gd.xlarge"}))
    assert plan.one(GROUP).inputs["dataTieringEnabled"] is True


def test_metrics_use_the_node_cache_cluster_ids(built) -> None:
    cache = built[1]["cache"]
    cpu = cache.metric_cpu()
    assert (cpu.namespace, cpu.name, cpu.dimensions) == (
        "AWS/ElastiCache",
        "EngineCPUUtilization",
        {"CacheClusterId": "gridops-cache-fargate-001"},
    )
    assert cache.metric_memory().name == "DatabaseMemoryUsagePercentage"
    evictions = cache.metric_evictions()
    assert (evictions.name, evictions.statistic) == ("Evictions", "Sum")
    (lag,) = cache.metric_replication_lag()
    assert (lag.name, lag.dimensions) == (
        "ReplicationLag",
        {"CacheClusterId": "gridops-cache-fargate-002"},
    )
    assert cache.metric_replication_lag(2) == lag
    with pytest.raises(ValueError, match="primary"):
        cache.metric_replication_lag(node=1)
    with pytest.raises(ValueError, match="does not exist"):
        cache.metric_cpu(node=3)


def test_cluster_mode_member_ids() -> None:
    sink: dict = {}
    preview(lambda: design_program({"shards": 2, "replicas": 1}, sink), stack="fargate")
    cache = sink["cache"]
    assert cache.member_id(node=2, shard=2) == "gridops-cache-fargate-0002-002"
    assert [m.dimensions["CacheClusterId"] for m in cache.metric_replication_lag()] == [
        "gridops-cache-fargate-0001-002",
        "gridops-cache-fargate-0002-002",
    ]


def test_no_replication_lag_without_replicas_and_golden_signals_cope() -> None:
    from gridops_infra.observability.golden_signals import golden_signal_specs

    sink: dict = {}
    preview(lambda: design_program({"replicas": 0}, sink))
    assert sink["cache"].metric_replication_lag() == []
    keys = sorted(spec.key for spec in golden_signal_specs(sink["cache"]))
    assert keys == ["cache.cpu", "cache.evictions", "cache.memory"]


BAD_ARGS: list[tuple[str, dict, str]] = [
    ("no cache. prefix", {"node_type": "r7g.large"}, "node_type"),
    ("unknown family", {"node_type": "cache.q1.large"}, "node_type"),
    ("previous generation", {"node_type": "cache.t2.micro"}, "node_type"),
    ("burstable too big", {"node_type": "cache.t4g.large"}, "node_type"),
    ("data tiering too small", {"node_type": "cache.r6gd.large"}, "node_type"),
    ("too many replicas", {"replicas": 6}, "replicas"),
    ("negative replicas", {"replicas": -1}, "replicas"),
    ("zero shards", {"shards": 0}, "shards"),
    ("failover without replicas", {"replicas": 0, "multi_az": True}, "multi_az"),
    ("memcached", {"engine": "memcached"}, "engine"),
    ("valkey 6", {"engine_version": "6.2"}, "engine_version"),
    ("redis 5", {"engine": "redis", "engine_version": "5.0.6"}, "engine_version"),
    ("uppercase id", {"identifier": "Cache-prod"}, "identifier"),
    ("id too long", {"identifier": "c" * 41}, "identifier"),
    ("double hyphen id", {"identifier": "cache--prod"}, "identifier"),
    ("snapshots off", {"snapshot_retention_days": 0}, "snapshot_retention_days"),
    ("snapshots too long", {"snapshot_retention_days": 36}, "snapshot_retention_days"),
    ("eviction policy", {"maxmemory_policy": "lru"}, "maxmemory_policy"),
    ("policy via parameters", {"parameters": {"maxmemory-policy": "noeviction"}}, "parameters"),
    ("low port", {"port": 80}, "port"),
    ("kms alias", {"kms_key_arn": "alias/cache"}, "kms_key_arn"),
    ("bad snapshot window", {"snapshot_window": "2-3"}, "snapshot_window"),
    ("no network", {"network": None}, "network"),
    ("unknown argument", {"node_count": 2}, "node_count"),
    ("unknown child role", {"transforms": {"nope": {}}}, "nope"),
]


@pytest.fixture(scope="module")
def refusals():
    errors: dict[str, str | None] = {}

    def program() -> None:
        net = Network("prod", {"az_count": 3})
        for case, args, _ in BAD_ARGS:
            try:
                RedisCache("cache", {"network": net, **args})
            except ValueError as exc:
                errors[case] = str(exc)
            else:
                errors[case] = None

    return preview(program, stack="fargate"), errors


@pytest.mark.parametrize(("case", "args", "field"), BAD_ARGS, ids=[c for c, _, _ in BAD_ARGS])
def test_bad_argument_is_refused_naming_the_field(refusals, case, args, field) -> None:
    message = refusals[1][case]
    assert message is not None, f"{case}: {args} was accepted"
    assert message.startswith("RedisCache 'cache': ") and field in message


def test_nothing_was_registered_for_any_refused_call(refusals) -> None:
    plan, _ = refusals
    assert plan.of_type("gridops:aws:Network")
    assert [r.name for r in plan.resources if not r.name.startswith("prod")] == []
