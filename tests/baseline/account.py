"""A small AWS account in moto's server, filled through the AWS API: two load balancers
with request and 5xx counts, an ECS cluster with a service and a worker, a PostgreSQL
instance, an Aurora MySQL instance, a Redis cluster, alarms that went to ALARM and back,
drill experiments and a Cost Explorer result. The numbers the tests expect are here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.moto_server import aws_client, moto_api

UTC = dt.UTC
#: (requests, target 5xx, load-balancer 5xx) per day on the main ALB, days ago -> counts
WEB_DAYS = {3: (10_000, 10, 0), 1: (30_000, 20, 10)}
#: the second ALB's only day
ADMIN_DAYS = {3: (100, 5, 0)}
API_CPU = [float(v) for v in range(1, 21)]  # 20 five-minute averages: p95 (nearest rank) 19
API_MEMORY = [float(v) for v in range(30, 50)]  # p95 48
DB_CPU = [float(v) for v in range(50, 70)]  # p95 68
DB_FREE_GIB = [float(v) for v in range(4, 14)]  # 16 GiB class: used 12/16..2/16; p95 = 75%
DB_CONNECTIONS = [12.0, 87.0, 40.0]
SELECT_LATENCY_MS = [float(v) for v in range(1, 41)]  # p95 38
CACHE_CPU = [float(v) for v in range(5, 25)]  # p95 23
CACHE_MEMORY = [float(v) for v in range(60, 80)]  # p95 78
CACHE_CONNECTIONS = [3.0, 9.0]
COST_DAYS = [("2026-01-01", "41.20"), ("2026-01-02", "38.80")]


@dataclass(frozen=True)
class Account:
    endpoint: str
    now: dt.datetime
    web: str
    admin: str


def _five_minute_points(
    now: dt.datetime, values: list[float], hours_ago: int = 30
) -> list[tuple[dt.datetime, float]]:
    """One datapoint every 10 minutes, so each falls in its own 5-minute period."""
    start = now - dt.timedelta(hours=hours_ago)
    return [(start + dt.timedelta(minutes=10 * i), v) for i, v in enumerate(values)]


def _put(
    cw: Any,
    namespace: str,
    name: str,
    dims: dict[str, str],
    points: list[tuple[dt.datetime, float]],
) -> None:
    data = [
        {
            "MetricName": name,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
            "Timestamp": moment,
            "Value": value,
        }
        for moment, value in points
    ]
    for first in range(0, len(data), 500):
        cw.put_metric_data(Namespace=namespace, MetricData=data[first : first + 500])


def _put_counts(
    cw: Any, balancer: str, now: dt.datetime, days: dict[int, tuple[int, int, int]]
) -> None:
    for days_ago, counts in days.items():
        moment = now - dt.timedelta(days=days_ago, hours=-2)
        for name, total in zip(
            ("RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"),
            counts,
            strict=True,
        ):
            cw.put_metric_data(
                Namespace="AWS/ApplicationELB",
                MetricData=[
                    {
                        "MetricName": name,
                        "Dimensions": [{"Name": "LoadBalancer", "Value": balancer}],
                        "Timestamp": moment,
                        # Per-minute sums arrive aggregated: one StatisticValues set per day.
                        "StatisticValues": {
                            "SampleCount": 60,
                            "Sum": float(total),
                            "Minimum": 0.0,
                            "Maximum": float(total),
                        },
                    }
                ],
            )


def fill(endpoint: str) -> Account:
    now = dt.datetime.now(UTC).replace(microsecond=0)
    cw = aws_client(endpoint, "cloudwatch")
    ec2 = aws_client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{az}")[
            "Subnet"
        ]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    elb = aws_client(endpoint, "elbv2")
    names = []
    for lb in ("web", "admin"):
        arn = elb.create_load_balancer(Name=lb, Subnets=subnets, Type="application")[
            "LoadBalancers"
        ][0]["LoadBalancerArn"]
        names.append(arn.split(":loadbalancer/", 1)[1])
    web, admin = names
    _put_counts(cw, web, now, WEB_DAYS)
    # Raw response times: moto keeps them but computes no percentile statistic from them.
    latency = [(now - dt.timedelta(hours=5), v) for v in (0.05, 0.08, 0.4)]
    _put(cw, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": web}, latency)
    _put_counts(cw, admin, now, ADMIN_DAYS)
    group = elb.create_target_group(
        Name="api", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]

    ecs = aws_client(endpoint, "ecs")
    ecs.create_cluster(clusterName="shop")
    for family, cpu, memory in (("api", "512", "1024"), ("worker", "256", "512")):
        ecs.register_task_definition(
            family=family,
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu=cpu,
            memory=memory,
            containerDefinitions=[
                {"name": family, "image": f"example/{family}:1", "essential": True}
            ],
        )
    ecs.create_service(
        cluster="shop",
        serviceName="api",
        taskDefinition="api",
        desiredCount=2,
        launchType="FARGATE",
        loadBalancers=[{"targetGroupArn": group, "containerName": "api", "containerPort": 8080}],
    )
    ecs.create_service(
        cluster="shop",
        serviceName="worker",
        taskDefinition="worker",
        desiredCount=1,
        launchType="FARGATE",
    )
    # An EC2-launch task with container-level sizes only: no Fargate size for assess.
    ecs.register_task_definition(
        family="legacy",
        containerDefinitions=[
            {"name": "legacy", "image": "example/legacy:1", "memory": 300, "essential": True}
        ],
    )
    ecs.create_service(
        cluster="shop",
        serviceName="legacy",
        taskDefinition="legacy",
        desiredCount=1,
        launchType="EC2",
    )
    api_dims = {"ClusterName": "shop", "ServiceName": "api"}
    _put(cw, "AWS/ECS", "CPUUtilization", api_dims, _five_minute_points(now, API_CPU))
    _put(cw, "AWS/ECS", "MemoryUtilization", api_dims, _five_minute_points(now, API_MEMORY))

    rds = aws_client(endpoint, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.r6g.large",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="not-a-real-secret-1",
    )
    rds.create_db_cluster(
        DBClusterIdentifier="catalog",
        Engine="aurora-mysql",
        MasterUsername="app",
        MasterUserPassword="not-a-real-secret-1",
    )
    rds.create_db_instance(
        DBInstanceIdentifier="catalog-1",
        DBInstanceClass="db.r6g.large",
        Engine="aurora-mysql",
        DBClusterIdentifier="catalog",
    )
    db = {"DBInstanceIdentifier": "orders"}
    gib = 1024**3
    _put(cw, "AWS/RDS", "CPUUtilization", db, _five_minute_points(now, DB_CPU))
    _put(
        cw,
        "AWS/RDS",
        "FreeableMemory",
        db,
        _five_minute_points(now, [v * gib for v in DB_FREE_GIB]),
    )
    _put(cw, "AWS/RDS", "DatabaseConnections", db, _five_minute_points(now, DB_CONNECTIONS))
    _put(
        cw,
        "AWS/RDS",
        "SelectLatency",
        {"DBInstanceIdentifier": "catalog-1"},
        _five_minute_points(now, SELECT_LATENCY_MS),
    )

    cache = aws_client(endpoint, "elasticache")
    cache.create_cache_cluster(
        CacheClusterId="sessions", Engine="redis", CacheNodeType="cache.t4g.small", NumCacheNodes=1
    )
    node = {"CacheClusterId": "sessions", "CacheNodeId": "0001"}
    _put(cw, "AWS/ElastiCache", "EngineCPUUtilization", node, _five_minute_points(now, CACHE_CPU))
    _put(
        cw,
        "AWS/ElastiCache",
        "DatabaseMemoryUsagePercentage",
        node,
        _five_minute_points(now, CACHE_MEMORY),
    )
    _put(
        cw, "AWS/ElastiCache", "CurrConnections", node, _five_minute_points(now, CACHE_CONNECTIONS)
    )

    for alarm in ("shop-api-5xx", "shop-api-latency"):
        cw.put_metric_alarm(
            AlarmName=alarm,
            Namespace="AWS/ApplicationELB",
            MetricName="HTTPCode_Target_5XX_Count",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=10,
            ComparisonOperator="GreaterThanThreshold",
        )
        cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="drill")
        cw.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="recovered")

    fis = aws_client(endpoint, "fis")
    templates = {}
    for name, tags in (
        (
            "shop-api-stop",
            {"gridops:component": "ResilienceDrills", "Name": "shop-drills-api-stop"},
        ),
        ("someone-else", {"Name": "not-ours"}),
    ):
        templates[name] = fis.create_experiment_template(
            clientToken=name,
            description=name,
            roleArn="arn:aws:iam::123456789012:role/drills",
            stopConditions=[{"source": "none"}],
            actions={"wait": {"actionId": "aws:fis:wait", "parameters": {"duration": "PT1M"}}},
            tags=tags,
        )["experimentTemplate"]["id"]
    finished = fis.start_experiment(experimentTemplateId=templates["shop-api-stop"])["experiment"][
        "id"
    ]
    for _ in range(4):  # moto moves an experiment one state per read: run it to its end
        fis.get_experiment(id=finished)
    fis.start_experiment(experimentTemplateId=templates["shop-api-stop"])
    fis.start_experiment(experimentTemplateId=templates["someone-else"])

    moto_api(
        endpoint,
        "static/ce/cost-and-usage-results",
        {
            "results": [
                {
                    "ResultsByTime": [
                        {
                            "TimePeriod": {"Start": day, "End": day},
                            "Total": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}},
                        }
                        for day, amount in COST_DAYS
                    ]
                }
            ]
        },
    )
    return Account(endpoint, now, web, admin)
