"""Charges the Plan causes beyond its resources' own prices: each appears with the right
quantity x price, states its usage, changes with a usage override, and is absent when
the feature is off."""

from __future__ import annotations

import json

import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest

from gridops_infra.analysis.cost.estimate import USAGE_DEFAULTS, estimate_cost, load_prices
from gridops_infra.testing import preview

PRICES = load_prices()
H = PRICES.hours_per_month
CW = PRICES.data["cloudwatch"]


def _default(key: str) -> float:
    value = USAGE_DEFAULTS[key][0]
    assert value is not None
    return value


def _caused(report, kind: str) -> dict[str, float]:
    return {line.name: line.monthly_usd for line in report.lines if line.type == f"billed:{kind}"}


def _task_definition(name: str, containers: list[dict], arch: str = "ARM64"):
    return aws.ecs.TaskDefinition(
        name,
        family=name,
        cpu="512",
        memory="1024",
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        runtime_platform={"cpu_architecture": arch, "operating_system_family": "LINUX"},
        container_definitions=json.dumps(containers),
    )


APP = {"name": "app", "image": "nginx", "essential": True}
COLLECTOR = {
    "name": "aws-otel-collector",
    "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3",
    "essential": False,
}


def _traced_app(sampler: dict[str, str]) -> dict:
    env = {"OTEL_SERVICE_NAME": "api", "OTEL_TRACES_EXPORTER": "otlp", **sampler}
    return {**APP, "environment": [{"name": k, "value": v} for k, v in env.items()]}


def ecs_program() -> None:
    insights = aws.ecs.Cluster(
        "insights", settings=[{"name": "containerInsights", "value": "enabled"}]
    )
    enhanced = aws.ecs.Cluster(
        "enhanced", settings=[{"name": "containerInsights", "value": "enhanced"}]
    )
    plain = aws.ecs.Cluster("plain")
    traced = _task_definition(
        "traced-td",
        [
            _traced_app(
                {
                    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                    "OTEL_TRACES_SAMPLER_ARG": "0.1",
                }
            ),
            COLLECTOR,
        ],
    )
    untraced = _task_definition("untraced-td", [_traced_app({})])  # no collector: no X-Ray
    aws.ecs.Service(
        "api",
        cluster=insights.arn,
        task_definition=traced.arn,
        desired_count=2,
        network_configuration={"subnets": ["subnet-a", "subnet-b"]},
    )
    aws.ecs.Service("idle", cluster=insights.arn, task_definition=untraced.arn, desired_count=0)
    aws.ecs.Service(
        "enhanced-svc", cluster=enhanced.arn, task_definition=untraced.arn, desired_count=3
    )
    aws.ecs.Service(
        "plain-svc",
        cluster=plain.arn,
        task_definition=untraced.arn,
        desired_count=1,
        network_configuration={"subnets": ["subnet-a"], "assign_public_ip": True},
    )


@pytest.fixture(scope="module")
def ecs_plan():
    return preview(ecs_program)


def test_container_insights_prices_cluster_and_running_services_metrics(ecs_plan):
    lines = _caused(estimate_cost(ecs_plan), "CloudWatch/ContainerInsights")
    metrics = _default("container_insights_metrics_per_cluster") + _default(
        "container_insights_metrics_per_service"
    )  # one service with running tasks; "idle" runs none
    logs = 2 * _default("container_insights_log_gb_per_task") * CW["logs_ingestion_gb"]
    assert lines["insights:container-insights"] == pytest.approx(
        metrics * CW["custom_metric_month"] + logs
    )
    enhanced = 3 * _default("container_insights_observations_million_per_task")
    assert lines["enhanced:container-insights"] == pytest.approx(
        enhanced * CW["container_insights_observations_million"]
        + 3 * _default("container_insights_log_gb_per_task") * CW["logs_ingestion_gb"]
    )
    assert "plain:container-insights" not in lines
    override = estimate_cost(ecs_plan, usage={"container_insights_metrics_per_service": 0})
    cheaper = _caused(override, "CloudWatch/ContainerInsights")["insights:container-insights"]
    assert cheaper == pytest.approx(
        _default("container_insights_metrics_per_cluster") * CW["custom_metric_month"] + logs
    )


def test_xray_traces_follow_the_plans_sampling_rate_and_the_override(ecs_plan):
    rate = PRICES.rate("xray", "traces_recorded_million")
    requests = _default("traced_requests_million")
    report = estimate_cost(ecs_plan)
    lines = _caused(report, "XRay/Traces")
    assert lines == {"api:xray-traces": pytest.approx(requests * 0.1 * rate)}
    assert "10% sampled" in report.line("api:xray-traces").formula
    assert any("usage traced_requests_million" in a for a in report.assumptions)
    with pytest.raises(ValueError, match=r"xray_sampling_rate.*fraction from 0 to 1"):
        estimate_cost(ecs_plan, usage={"xray_sampling_rate": 5})
    half = estimate_cost(ecs_plan, usage={"xray_sampling_rate": 0.5})
    assert _caused(half, "XRay/Traces")["api:xray-traces"] == pytest.approx(requests * 0.5 * rate)


def test_cross_az_traffic_only_for_services_spread_over_several_azs(ecs_plan):
    lines = _caused(estimate_cost(ecs_plan), "DataTransfer/CrossAZ")
    each_way = PRICES.rate("data_transfer", "cross_az_gb_each_way")
    assert lines == {"api:cross-az": pytest.approx(_default("cross_az_gb") * 2 * each_way)}
    none = estimate_cost(ecs_plan, usage={"cross_az_gb": 0})
    assert _caused(none, "DataTransfer/CrossAZ") == {"api:cross-az": 0}


def test_fargate_task_with_a_public_ip_pays_for_the_address(ecs_plan):
    line = estimate_cost(ecs_plan).line("plain-svc")
    assert "1 public IPv4" in line.formula
    per_task = 0.5 * PRICES.rate("fargate", "arm64", "vcpu_hour") + PRICES.rate(
        "fargate", "arm64", "gb_hour"
    )
    assert line.monthly_usd == pytest.approx((per_task + PRICES.rate("public_ipv4_hour")) * H)


def test_fargate_spot_arm64_is_priced_at_the_arm64_spot_rate_with_a_true_note():
    def program() -> None:
        cluster = aws.ecs.Cluster("c")
        td = _task_definition("spot-td", [APP])
        aws.ecs.Service(
            "spot",
            cluster=cluster.arn,
            task_definition=td.arn,
            desired_count=2,
            capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}],
        )

    report = estimate_cost(preview(program))
    per_task = 0.5 * PRICES.rate("fargate", "arm64", "vcpu_hour") + PRICES.rate(
        "fargate", "arm64", "gb_hour"
    )
    discount = PRICES.rate("fargate", "spot_discount")
    assert report.line("spot").monthly_usd == pytest.approx(2 * per_task * (1 - discount) * H)
    assert any("Fargate Spot runs ARM64" in a for a in report.assumptions)
    assert not any("does not run ARM64" in a for a in report.assumptions)


def ec2_program() -> None:
    group = aws.ec2.SecurityGroup("open-sg")
    aws.vpc.SecurityGroupIngressRule(
        "open-in", security_group_id=group.id, cidr_ipv4="0.0.0.0/0", ip_protocol="-1"
    )
    cdn_group = aws.ec2.SecurityGroup("cdn-sg")
    aws.vpc.SecurityGroupIngressRule(
        "cdn-in", security_group_id=cdn_group.id, prefix_list_id="pl-3b927c52", ip_protocol="-1"
    )
    aws.lb.LoadBalancer("public-alb", subnets=["subnet-a", "subnet-b"], security_groups=[group.id])
    aws.lb.LoadBalancer("cdn-alb", subnets=["subnet-a", "subnet-b"], security_groups=[cdn_group.id])
    aws.lb.LoadBalancer("internal-alb", internal=True, subnets=["subnet-a", "subnet-b"])
    aws.ec2.Instance(
        "host", ami="ami-1", instance_type="t4g.small", associate_public_ip_address=True
    )
    aws.ec2.Instance("private-host", ami="ami-1", instance_type="t4g.small")
    aws.cloudwatch.LogMetricFilter(
        "errors-filter",
        log_group_name="/app",
        pattern="ERROR",
        metric_transformation={"name": "Errors", "namespace": "App", "value": "1"},
    )
    for name, namespace, metric in (
        ("memory", "CWAgent", "mem_used_percent"),
        ("errors", "App", "Errors"),  # published by the metric filter: priced once
        ("cpu", "AWS/EC2", "CPUUtilization"),  # AWS metrics are free
    ):
        aws.cloudwatch.MetricAlarm(
            f"{name}-alarm",
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=1,
            metric_name=metric,
            namespace=namespace,
            period=60,
            statistic="Average",
            threshold=90,
        )


@pytest.fixture(scope="module")
def ec2_plan():
    return preview(ec2_program)


def test_internet_egress_from_entry_points_not_behind_cloudfront(ec2_plan):
    report = estimate_cost(ec2_plan)
    rate = PRICES.rate("data_transfer", "internet_out_gb")
    gb = _default("internet_egress_gb")
    assert _caused(report, "DataTransfer/InternetOut") == {
        "public-alb:internet-egress": pytest.approx(gb * rate),
        "host:internet-egress": pytest.approx(gb * rate),
    }
    assert any("cdn-alb admits only CloudFront" in a for a in report.assumptions)
    override = estimate_cost(ec2_plan, usage={"resources": {"host": {"internet_egress_gb": 1000}}})
    assert _caused(override, "DataTransfer/InternetOut")["host:internet-egress"] == pytest.approx(
        1000 * rate
    )


def test_custom_metrics_from_filters_and_agents_once_each(ec2_plan):
    lines = _caused(estimate_cost(ec2_plan), "CloudWatch/CustomMetrics")
    rate = CW["custom_metric_month"]
    assert lines == {
        "errors-filter:metric-Errors": pytest.approx(rate),
        "memory-alarm:metric-mem_used_percent": pytest.approx(rate),
    }


def eks_program() -> None:
    template = aws.ec2.LaunchTemplate(
        "nodes-lt",
        block_device_mappings=[
            {"device_name": "/dev/xvda", "ebs": {"volume_size": 50, "volume_type": "gp3"}}
        ],
    )
    aws.eks.NodeGroup(
        "nodes",
        cluster_name="k8s",
        node_role_arn="arn:aws:iam::123456789012:role/nodes",
        subnet_ids=["subnet-a", "subnet-b"],
        instance_types=["m7g.large"],
        launch_template={"id": template.id, "version": "1"},
        scaling_config={"desired_size": 3, "min_size": 3, "max_size": 6},
    )
    aws.eks.Addon("insights", cluster_name="k8s", addon_name="amazon-cloudwatch-observability")
    aws.eks.Addon("dns", cluster_name="k8s", addon_name="coredns")
    k8s.storage.v1.StorageClass(
        "gp3", metadata={"name": "gp3"}, provisioner="ebs.csi.aws.com", parameters={"type": "gp3"}
    )
    k8s.storage.v1.StorageClass("efs", metadata={"name": "efs"}, provisioner="efs.csi.aws.com")
    for name, klass in (("data", "gp3"), ("shared", "efs")):
        k8s.core.v1.PersistentVolumeClaim(
            name,
            metadata={"name": name},
            spec={
                "access_modes": ["ReadWriteOnce"],
                "storage_class_name": klass,
                "resources": {"requests": {"storage": "100Gi"}},
            },
        )
    ports = [{"port": 443, "target_port": 8443}]
    for name, notes, kind in (
        (
            "edge",
            {
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
            },
            "LoadBalancer",
        ),
        ("classic", {}, "LoadBalancer"),
        ("cluster-only", {}, "ClusterIP"),
    ):
        k8s.core.v1.Service(
            name, metadata={"annotations": notes}, spec={"type": kind, "ports": ports}
        )
    backend = {"service": {"name": "api", "port": {"number": 80}}}
    for name, scheme, klass in (
        ("public", "internet-facing", "alb"),
        ("private", "internal", "alb"),
        ("nginx", "internet-facing", "nginx"),
    ):
        k8s.networking.v1.Ingress(
            name,
            metadata={"annotations": {"alb.ingress.kubernetes.io/scheme": scheme}},
            spec={"ingress_class_name": klass, "default_backend": backend},
        )


@pytest.fixture(scope="module")
def eks_plan():
    return preview(eks_program)


def test_node_group_root_volumes_come_from_its_launch_template(eks_plan):
    line = estimate_cost(eks_plan).line("nodes")
    ec2 = 3 * PRICES.rate("ec2_instance_hour", "m7g.large") * H
    assert line.monthly_usd == pytest.approx(ec2 + 3 * 50 * PRICES.rate("ebs", "gb_month", "gp3"))
    assert "launch template volumes" in line.formula


def test_cloudwatch_observability_addon_prices_observations_and_logs_per_node(eks_plan):
    lines = _caused(estimate_cost(eks_plan), "CloudWatch/ContainerInsights")
    per_node = (
        _default("container_insights_observations_million_per_node")
        * CW["container_insights_observations_million"]
        + _default("container_logs_gb_per_node") * CW["logs_ingestion_gb"]
    )
    assert lines == {"insights:container-insights": pytest.approx(3 * per_node)}
    quiet = estimate_cost(eks_plan, usage={"container_logs_gb_per_node": 0})
    assert _caused(quiet, "CloudWatch/ContainerInsights")[
        "insights:container-insights"
    ] == pytest.approx(
        3
        * _default("container_insights_observations_million_per_node")
        * CW["container_insights_observations_million"]
    )


def test_persistent_volume_claims_on_ebs_classes_are_priced_as_ebs(eks_plan):
    lines = _caused(estimate_cost(eks_plan), "EBS/PersistentVolumes")
    assert lines == {"data:volumes": pytest.approx(100 * PRICES.rate("ebs", "gb_month", "gp3"))}


def test_each_alb_ingress_gets_the_alb_the_controller_creates(eks_plan):
    report = estimate_cost(eks_plan)
    lines = _caused(report, "ELB/IngressLoadBalancer")
    alb = PRICES.data["load_balancer"]["application"]
    base = (alb["hour"] + _default("alb_lcu") * alb["lcu_hour"]) * H
    ips = 2 * PRICES.rate("public_ipv4_hour") * H  # no public subnets in the Plan: 2 AZs
    assert lines == {
        "public:alb": pytest.approx(base + ips),
        "private:alb": pytest.approx(base),
    }
    egress = _caused(report, "DataTransfer/InternetOut")
    assert set(egress) == {"public:internet-egress", "edge:internet-egress"}
    assert _caused(report, "DataTransfer/CrossAZ") == {
        "nodes:cross-az": pytest.approx(
            _default("cross_az_gb") * 2 * PRICES.rate("data_transfer", "cross_az_gb_each_way")
        )
    }


def test_a_load_balancer_service_gets_its_nlb_and_a_classic_one_stays_unpriced(eks_plan):
    report = estimate_cost(eks_plan)
    nlb = PRICES.data["load_balancer"]["network"]
    ips = 2 * PRICES.rate("public_ipv4_hour") * H
    assert _caused(report, "ELB/ServiceLoadBalancer") == {
        "edge:nlb": pytest.approx((nlb["hour"] + _default("alb_lcu") * nlb["lcu_hour"]) * H + ips)
    }
    unpriced = {u.name: u.reason for u in report.not_priced}
    assert "Classic Load Balancer" in unpriced["classic"]
    assert "cluster-only" not in unpriced and "edge" not in unpriced


def test_app_metrics_through_the_ecs_collector_become_custom_metrics(ecs_plan):
    lines = _caused(estimate_cost(ecs_plan), "CloudWatch/CustomMetrics")
    expected = (
        _default("otel_custom_metrics_per_service") * CW["custom_metric_month"]
        + 2 * _default("otel_emf_log_gb_per_task") * CW["logs_ingestion_gb"]
    )
    assert lines == {"api:app-metrics": pytest.approx(expected)}
    none = estimate_cost(ecs_plan, usage={"otel_custom_metrics_per_service": 0})
    assert _caused(none, "CloudWatch/CustomMetrics")["api:app-metrics"] == pytest.approx(
        2 * _default("otel_emf_log_gb_per_task") * CW["logs_ingestion_gb"]
    )


def database_program() -> None:
    for name, days in (("kept", 14), ("daily", 1)):
        aws.rds.Cluster(
            name,
            engine="aurora-postgresql",
            backup_retention_period=days,
            master_username="app",
            manage_master_user_password=True,
            skip_final_snapshot=True,
        )
    for name, days in (("insightful", 93), ("free-tier", 7)):
        aws.rds.ClusterInstance(
            name,
            cluster_identifier="kept",
            engine="aurora-postgresql",
            instance_class="db.r7g.2xlarge",
            performance_insights_enabled=True,
            performance_insights_retention_period=days,
        )


def test_backups_beyond_the_free_allowance_and_long_performance_insights():
    report = estimate_cost(preview(database_program))
    backups = _caused(report, "Backup/Storage")
    changed = _default("aurora_storage_gb") * _default("backup_daily_change_percent") / 100 * 14
    assert backups == {
        "kept:backups": pytest.approx(changed * PRICES.rate("backup", "aurora_backup_gb_month"))
    }
    insights = _caused(report, "RDS/PerformanceInsights")
    assert insights == {
        "insightful:performance-insights": pytest.approx(8 * CW["database_insights_vcpu_hour"] * H)
    }
    more = estimate_cost(preview(database_program), usage={"backup_daily_change_percent": 10})
    assert _caused(more, "Backup/Storage")["kept:backups"] == pytest.approx(
        5 * backups["kept:backups"]
    )


def test_a_plan_without_these_features_has_no_caused_lines():
    def program() -> None:
        aws.sqs.Queue("jobs")
        aws.ec2.Instance("quiet", ami="ami-1", instance_type="t4g.small")

    report = estimate_cost(preview(program))
    assert not [line for line in report.lines if line.type.startswith("billed:")]


def test_every_added_price_has_a_dated_source_and_the_docs_list_prices_and_usage():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "estimates.md").read_text(encoding="utf-8")
    sources = PRICES.data["sources"]
    for path in (
        "xray.traces_recorded_million",
        "data_transfer.internet_out_gb",
        "data_transfer.cross_az_gb_each_way",
        "cloudwatch.custom_metric_month",
        "cloudwatch.container_insights_observations_million",
        "cloudwatch.database_insights_vcpu_hour",
        "backup.aurora_backup_gb_month",
    ):
        assert path in sources, path
    for path, record in sources.items():
        assert PRICES.rate(*path.split(".")) > 0
        assert record["url"].startswith("https://") and record["checked"] and record["status"]
        assert f"`{path}`" in docs and record["url"] in docs, path
    for key in USAGE_DEFAULTS:
        assert f"| `{key}` |" in docs, key
    sections = [k for k, v in PRICES.data.items() if isinstance(v, dict | float | int)]
    for section in sections:
        if section in ("schema_version", "hours_per_month", "free", "free_prefixes", "sources"):
            continue
        assert f"`{section}`" in docs, section
