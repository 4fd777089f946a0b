"""Cost estimates read capacity from the Plan and prices from the dated table."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.analysis import compare, estimate_cost, load_prices
from gridops_infra.analysis.cost.estimate import (
    COMPONENT_TOTAL_KEYS,
    COST_LINE_KEYS,
    COST_REPORT_KEYS,
    FREE_KEYS,
    PRICERS,
    UNPRICED_KEYS,
    USAGE_DEFAULTS,
    split_tasks,
)
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.testing import preview

PRICES = load_prices()
H = PRICES.hours_per_month


def _task_definition(name: str, cpu: str, memory: str, arch: str) -> aws.ecs.TaskDefinition:
    return aws.ecs.TaskDefinition(
        name,
        family=name,
        cpu=cpu,
        memory=memory,
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        runtime_platform={"cpu_architecture": arch, "operating_system_family": "LINUX"},
        container_definitions=json.dumps([{"name": "app", "image": "nginx", "essential": True}]),
    )


def priced_program() -> None:
    net = Network("prod", {"az_count": 2, "nat": "per-az"})
    cluster = aws.ecs.Cluster("apps")
    api_td = _task_definition("api-td", "512", "1024", "ARM64")
    api = aws.ecs.Service(
        "api",
        cluster=cluster.arn,
        task_definition=api_td.arn,
        desired_count=2,
        capacity_provider_strategies=[
            {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
            {"capacity_provider": "FARGATE_SPOT", "weight": 1},
        ],
        network_configuration={"subnets": net.private_subnet_ids},
    )
    aws.appautoscaling.Target(
        "api-scaling",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", cluster.name, "/", api.name),
        min_capacity=3,
        max_capacity=10,
    )
    worker_td = _task_definition("worker-td", "1024", "2048", "X86_64")
    aws.ecs.Service(
        "worker",
        cluster=cluster.arn,
        task_definition=worker_td.arn,
        desired_count=2,
        launch_type="FARGATE",
    )
    db = aws.rds.Instance(
        "db",
        engine="postgres",
        instance_class="db.r7g.large",
        multi_az=True,
        allocated_storage=100,
        storage_type="gp3",
        username="app",
        manage_master_user_password=True,
    )
    aws.rds.Instance("db-replica", instance_class="db.r7g.large", replicate_source_db=db.identifier)
    aws.elasticache.ReplicationGroup(
        "cache", description="cache", node_type="cache.r7g.large", num_cache_clusters=2
    )
    aws.elasticache.ReplicationGroup(
        "sharded",
        description="sharded",
        node_type="cache.m7g.large",
        num_node_groups=3,
        replicas_per_node_group=1,
        engine="valkey",
    )
    eks = aws.eks.Cluster(
        "k8s", role_arn="arn:aws:iam::123456789012:role/eks", vpc_config={"subnet_ids": []}
    )
    aws.eks.NodeGroup(
        "k8s-nodes",
        cluster_name=eks.name,
        node_role_arn="arn:aws:iam::123456789012:role/nodes",
        subnet_ids=net.private_subnet_ids,
        instance_types=["m7g.large"],
        scaling_config={"desired_size": 3, "min_size": 2, "max_size": 6},
    )
    aws.cloudwatch.MetricAlarm(
        "fast-alarm",
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=1,
        metric_name="Errors",
        namespace="App",
        period=10,
        statistic="Sum",
        threshold=1,
    )
    aws.cloudwatch.MetricAlarm(
        "ratio-alarm",
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=1,
        threshold=0.01,
        metric_queries=[
            {"id": "e", "expression": "errors / requests", "return_data": True},
            {
                "id": "errors",
                "metric": {"metric_name": "5xx", "namespace": "App", "period": 60, "stat": "Sum"},
            },
            {
                "id": "requests",
                "metric": {"metric_name": "Req", "namespace": "App", "period": 60, "stat": "Sum"},
            },
        ],
    )
    aws.sqs.Queue("jobs.fifo", fifo_queue=True)
    aws.cloudtrail.Trail("trail", s3_bucket_name="audit")


@pytest.fixture(scope="module")
def plan():
    return preview(priced_program)


@pytest.fixture(scope="module")
def report(plan):
    return estimate_cost(plan)


def test_nat_gateway_costs_its_hours_times_the_hourly_price(plan):
    hourly = PRICES.rate("nat_gateway", "hour")
    no_traffic = estimate_cost(plan, usage={"nat_gateway_gb": 0})
    assert no_traffic.line("prod-nat-0").monthly_usd == pytest.approx(H * hourly)
    assert no_traffic.line("prod-nat-0").usage_usd == 0
    default = estimate_cost(plan).line("prod-nat-0")
    per_gb = PRICES.rate("nat_gateway", "gb_processed")
    gb = USAGE_DEFAULTS["nat_gateway_gb"][0]
    assert gb is not None
    assert default.monthly_usd == pytest.approx(H * hourly + gb * per_gb)
    assert default.usage_usd == pytest.approx(gb * per_gb)


def test_usage_can_be_overridden_for_one_resource(plan):
    r = estimate_cost(plan, usage={"resources": {"prod-nat-1": {"nat_gateway_gb": 1000}}})
    gb = USAGE_DEFAULTS["nat_gateway_gb"][0]
    assert gb is not None
    per_gb = PRICES.rate("nat_gateway", "gb_processed")
    assert r.line("prod-nat-1").usage_usd == pytest.approx(1000 * per_gb)
    assert r.line("prod-nat-0").usage_usd == pytest.approx(gb * per_gb)


def test_unknown_usage_key_is_refused_with_the_allowed_keys(plan):
    with pytest.raises(ValueError, match=r"nat_gb.*allowed: .*nat_gateway_gb"):
        estimate_cost(plan, usage={"nat_gb": 5})
    with pytest.raises(ValueError, match="alb_lcu"):
        estimate_cost(plan, usage={"alb_lcu": -1})


def test_unknown_type_lands_in_not_priced_never_at_zero(report):
    unpriced = {u.name: u for u in report.not_priced}
    assert "trail" in unpriced
    assert unpriced["trail"].type == "aws:cloudtrail/trail:Trail"
    assert "no price" in unpriced["trail"].reason
    assert "trail" not in {line.name for line in report.lines}
    assert "trail" in report.render_text()


def test_free_types_are_listed_as_free_not_unknown(report):
    free_types = {t for t, _, _, _ in report.free}
    assert "aws:iam/role:Role" in free_types
    assert "aws:ec2/subnet:Subnet" in free_types
    assert "aws:ec2/routeTableAssociation:RouteTableAssociation" in free_types
    assert "aws:ecs/taskDefinition:TaskDefinition" in free_types
    unpriced_types = {u.type for u in report.not_priced}
    assert not free_types & unpriced_types
    assert unpriced_types == {"aws:cloudtrail/trail:Trail"}


def test_fargate_service_reads_min_capacity_architecture_and_spot_share(report):
    per_task = 0.5 * PRICES.rate("fargate", "arm64", "vcpu_hour") + 1 * PRICES.rate(
        "fargate", "arm64", "gb_hour"
    )
    discount = PRICES.rate("fargate", "spot_discount")
    # minCapacity 3 beats desiredCount 2; base 1 on FARGATE, the other 2 split 1:1.
    expected = (2 + 1 * (1 - discount)) * per_task * H
    line = report.line("api")
    assert line.monthly_usd == pytest.approx(expected)
    assert "minCapacity" in line.formula and "FARGATE_SPOT" in line.formula
    assert any("Fargate Spot" in a for a in report.assumptions)


def test_fargate_service_without_autoscaling_uses_desired_count(report):
    per_task = 1 * PRICES.rate("fargate", "x86_64", "vcpu_hour") + 2 * PRICES.rate(
        "fargate", "x86_64", "gb_hour"
    )
    assert report.line("worker").monthly_usd == pytest.approx(2 * per_task * H)


def test_split_tasks_serves_base_first_then_weights():
    strategy = [
        {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3},
    ]
    assert split_tasks(10, strategy) == {"FARGATE": 4.0, "FARGATE_SPOT": 6.0}
    assert split_tasks(1, strategy) == {"FARGATE": 1.0, "FARGATE_SPOT": 0.0}
    assert split_tasks(5, []) == {"FARGATE": 5}


def test_rds_multi_az_doubles_instance_and_storage_and_replica_inherits_storage(report):
    rate = PRICES.lookup("rds_postgres_instance_hour", "db.r7g.large")
    assert rate is not None
    gb = PRICES.data["rds"]["storage_gb_month"]["gp3"]
    secret = PRICES.rate("rds", "managed_master_secret_month")
    assert report.line("db").monthly_usd == pytest.approx(rate * 2 * H + 100 * gb * 2 + secret)
    assert report.line("db-replica").monthly_usd == pytest.approx(rate * H + 100 * gb)
    assert "read replica" in report.line("db-replica").formula


def test_cache_nodes_follow_clusters_or_shards_times_replicas(report):
    r7g = PRICES.lookup("elasticache_node_hour", "cache.r7g.large")
    m7g = PRICES.lookup("elasticache_node_hour", "cache.m7g.large")
    assert r7g is not None and m7g is not None
    valkey = 1 - PRICES.rate("elasticache", "valkey_discount")
    assert report.line("cache").monthly_usd == pytest.approx(2 * r7g * H)
    assert report.line("sharded").monthly_usd == pytest.approx(6 * m7g * valkey * H)


def test_eks_control_plane_and_node_group(report):
    assert report.line("k8s").monthly_usd == pytest.approx(PRICES.rate("eks", "cluster_hour") * H)
    node = PRICES.lookup("ec2_instance_hour", "m7g.large")
    assert node is not None
    disk = 20 * PRICES.data["ebs"]["gb_month"]["gp3"]
    assert report.line("k8s-nodes").monthly_usd == pytest.approx(3 * (node * H + disk))


def test_alarms_are_priced_per_metric_and_resolution(report):
    cw = PRICES.data["cloudwatch"]
    assert report.line("fast-alarm").monthly_usd == pytest.approx(
        cw["alarm_high_resolution_metric_month"]
    )
    assert report.line("ratio-alarm").monthly_usd == pytest.approx(2 * cw["alarm_metric_month"])


def test_fifo_queue_uses_the_fifo_request_price(report):
    m = USAGE_DEFAULTS["sqs_requests_million"][0]
    assert m is not None
    assert report.line("jobs.fifo").monthly_usd == pytest.approx(
        m * PRICES.rate("sqs", "fifo_requests_million")
    )


def test_lines_carry_their_nearest_gridops_component(report):
    assert report.line("prod-nat-0").component == "Network/prod"
    assert report.line("db").component == "(none)"
    totals = report.by_component()
    assert totals["Network/prod"] == pytest.approx(
        sum(x.monthly_usd for x in report.lines if x.component == "Network/prod")
    )
    assert sum(totals.values()) == pytest.approx(report.total)


def test_json_schema_keys_are_stable(report):
    data = json.loads(report.dumps())
    assert tuple(data) == COST_REPORT_KEYS
    assert COST_REPORT_KEYS == (
        "schema_version",
        "project",
        "stack",
        "price_table",
        "hours_per_month",
        "total_monthly_usd",
        "usage_monthly_usd",
        "by_component",
        "lines",
        "free",
        "not_priced",
        "assumptions",
        "warnings",
    )
    assert all(tuple(x) == COST_LINE_KEYS for x in data["lines"])
    assert all(tuple(x) == UNPRICED_KEYS for x in data["not_priced"])
    assert all(tuple(x) == FREE_KEYS for x in data["free"])
    assert all(tuple(x) == COMPONENT_TOTAL_KEYS for x in data["by_component"])
    assert set(data["price_table"]) == {"region", "currency", "as_of", "source", "pricing_model"}
    assert data["total_monthly_usd"] == pytest.approx(report.total, abs=0.01)


def test_text_names_the_price_table_date_region_and_total(report):
    text = report.render_text()
    assert PRICES.as_of in text and "us-east-1" in text
    assert f"${report.total:,.2f}" in text
    assert "NOT PRICED" in text


def test_price_table_is_dated_sourced_and_consistent():
    assert PRICES.region == "us-east-1" and PRICES.currency == "USD"
    assert PRICES.as_of and "AWS" in PRICES.source
    assert not set(PRICES.free) & set(PRICERS), "a type is both free and priced"
    assert PRICES.rate("public_ipv4_hour") == 0.005


def _nat_program(nat: str):
    def program() -> None:
        Network("prod", {"az_count": 3, "nat": nat})

    return program


def test_compare_shows_the_saving_of_a_single_nat_gateway():
    per_az = estimate_cost(preview(_nat_program("per-az")), usage={"nat_gateway_gb": 0})
    single = estimate_cost(preview(_nat_program("single")), usage={"nat_gateway_gb": 0})
    diff = compare(per_az, single)
    one_nat = H * (PRICES.rate("nat_gateway", "hour") + PRICES.rate("public_ipv4_hour"))
    assert diff.delta == pytest.approx(-2 * one_nat)
    row = {k: (a, b) for k, a, b in diff.by_type}["aws:ec2/natGateway:NatGateway"]
    assert row[0] == pytest.approx(3 * row[1])
    assert "TOTAL" in diff.render_text()
    assert json.loads(json.dumps(diff.to_json()))["delta_usd"] == pytest.approx(diff.delta, 0.01)


def test_a_plan_in_another_region_warns_that_prices_are_us_east_1():
    eu = estimate_cost(
        preview(_nat_program("single"), config={"aws:region": "eu-west-1"}),
    )
    assert any("eu-west-1" in w for w in eu.warnings)


def test_a_dead_letter_queue_is_priced_at_its_own_small_request_volume():
    def program() -> None:
        dlq = aws.sqs.Queue("dlq")
        aws.sqs.Queue(
            "work",
            redrive_policy=dlq.arn.apply(
                lambda arn: f'{{"deadLetterTargetArn": "{arn}", "maxReceiveCount": 5}}'
            ),
        )

    report = estimate_cost(preview(program))
    standard = PRICES.rate("sqs", "standard_requests_million")
    dlq_m, work_m = (
        USAGE_DEFAULTS[k][0] for k in ("sqs_dlq_requests_million", "sqs_requests_million")
    )
    assert dlq_m is not None and work_m is not None and dlq_m < work_m
    assert report.line("dlq").monthly_usd == pytest.approx(dlq_m * standard)
    assert "dead-letter queue" in report.line("dlq").formula
    assert report.line("work").monthly_usd == pytest.approx(work_m * standard)


def test_a_queue_fed_by_eventbridge_is_priced_as_an_event_queue():
    """Karpenter's interruption queue: a long poll every 20 s, not a work queue's volume."""

    def program() -> None:
        events = aws.sqs.Queue("events")
        rule = aws.cloudwatch.EventRule("spot", event_pattern='{"source": ["aws.ec2"]}')
        aws.cloudwatch.EventTarget("spot-target", rule=rule.name, arn=events.arn)
        aws.sqs.Queue("work")

    report = estimate_cost(preview(program))
    standard = PRICES.rate("sqs", "standard_requests_million")
    event_m = USAGE_DEFAULTS["sqs_event_requests_million"][0]
    assert event_m is not None and event_m < USAGE_DEFAULTS["sqs_requests_million"][0]
    assert report.line("events").monthly_usd == pytest.approx(event_m * standard)
    assert "(event queue)" in report.line("events").formula
    assert "(event queue)" not in report.line("work").formula


def _serverless_program(min_acu: float) -> None:
    net = Network("dev", {"az_count": 2, "nat": "none"})
    ManagedPostgresWithReplicas(
        "db",
        {
            "network": net,
            "engine_mode": "aurora",
            "instance_class": "db.serverless",
            "replicas": 0,
            "serverless_v2": {"min_acu": min_acu, "max_acu": 4},
        },
    )


def test_a_pausing_serverless_instance_is_billed_only_for_its_awake_share():
    acu_hour = PRICES.rate("aurora", "serverless_v2_acu_hour")
    warm = estimate_cost(preview(lambda: _serverless_program(0.5)))
    assert warm.line("db-writer").monthly_usd == pytest.approx(0.5 * acu_hour * H)
    plan = preview(lambda: _serverless_program(0))
    default = estimate_cost(plan).line("db-writer")
    assert default.monthly_usd == pytest.approx(0.5 * acu_hour * H * 0.25)
    assert "0.25 awake (auto-pause)" in default.formula
    busy = estimate_cost(
        plan, usage={"aurora_serverless_active_share": 0.5, "aurora_serverless_acu": 2}
    )
    assert busy.line("db-writer").monthly_usd == pytest.approx(2 * acu_hour * H * 0.5)
    with pytest.raises(ValueError, match=r"aurora_serverless_active_share.*fraction from 0 to 1"):
        estimate_cost(plan, usage={"aurora_serverless_active_share": 1.5})


def test_graviton4_instances_are_priced_from_the_table():
    def program() -> None:
        for name in ("m8g.large", "c8g.xlarge", "r8g.4xlarge"):
            aws.ec2.Instance(
                name.replace(".", "-"), ami="ami-0123456789abcdef0", instance_type=name
            )

    report = estimate_cost(preview(program))
    assert not [u for u in report.not_priced if u.type == "aws:ec2/instance:Instance"]
    # Each size is the family's per-vCPU rate times its vCPUs (large 2, xlarge 4, 4xlarge 16).
    for name, per_vcpu, vcpus in (
        ("m8g.large", 0.04488, 2),
        ("c8g.xlarge", 0.03988, 4),
        ("r8g.4xlarge", 0.05891, 16),
    ):
        assert PRICES.lookup("ec2_instance_hour", name) == pytest.approx(per_vcpu * vcpus)
        line = report.line(name.replace(".", "-"))
        assert line.monthly_usd >= per_vcpu * vcpus * H
