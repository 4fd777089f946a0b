"""Deploy timing follows what AWS and the Pulumi engine wait for: Aurora readers after the
writer, ECS steady state from the health check, Kubernetes readiness, ACM's DNS wait,
CloudFront in minutes, and a p50-p90 range for every figure."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest

from gridops_infra.analysis import estimate_timing
from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.analysis.timing import sources as timing_sources
from gridops_infra.analysis.timing.rules import (
    READER_WAITS_FOR_WRITER,
    SERVICE_WAITS_FOR_PODS,
    aurora_writer_of,
    create_estimate,
    implicit_order,
)
from gridops_infra.analysis.timing.sources import DURATIONS, PREFIX_DURATIONS, durations_for
from gridops_infra.testing import preview


def aurora_program(reader_class: str = "db.r7g.large") -> None:
    cluster = aws.rds.Cluster(
        "db", engine="aurora-postgresql", master_username="app", manage_master_user_password=True
    )
    for name in ("writer", "reader-1", "reader-2"):
        aws.rds.ClusterInstance(
            name,
            cluster_identifier=cluster.id,
            engine="aurora-postgresql",
            instance_class="db.r7g.large" if name == "writer" else reader_class,
        )


def test_aurora_readers_start_once_the_writer_is_available_and_run_in_parallel():
    plan = preview(aurora_program)
    index = PlanIndex(plan)
    writer = plan.by_name("writer").urn
    assert aurora_writer_of(index) == {
        plan.by_name("reader-1").urn: writer,
        plan.by_name("reader-2").urn: writer,
    }
    report = estimate_timing(plan)
    cluster = durations_for("aws:rds/cluster:Cluster")
    instance = durations_for("aws:rds/clusterInstance:ClusterInstance")
    assert cluster is not None and instance is not None
    reader = timing_sources.AURORA_READER
    # cluster, then the writer, then both readers together: one reader's time, not two.
    assert report.total_seconds == pytest.approx(cluster.create + instance.create + reader.create)
    assert [s.name for s in report.path][:2] == ["db", "writer"]
    last = report.path[-1]
    assert last.name in {"reader-1", "reader-2"}
    assert last.after == f"writer ({READER_WAITS_FOR_WRITER})"
    assert {o["resource"] for o in report.to_json()["implicit_order"]} == {"reader-1", "reader-2"}


def test_a_single_aurora_instance_is_the_writer_and_waits_for_nothing():
    def program() -> None:
        cluster = aws.rds.Cluster("db", engine="aurora-postgresql", master_username="app")
        aws.rds.ClusterInstance(
            "only", cluster_identifier=cluster.id, engine="aurora-postgresql", instance_class="x"
        )

    plan = preview(program)
    assert aurora_writer_of(PlanIndex(plan)) == {}
    assert estimate_timing(plan).implicit_order == []


def ecs_program(interval: int, threshold: int, grace: int) -> None:
    tg = aws.lb.TargetGroup(
        "tg",
        port=80,
        protocol="HTTP",
        target_type="ip",
        deregistration_delay=30,
        health_check={"interval": interval, "healthy_threshold": threshold},
    )
    aws.ecs.Service(
        "svc",
        desired_count=2,
        wait_for_steady_state=True,
        health_check_grace_period_seconds=grace,
        load_balancers=[{"target_group_arn": tg.arn, "container_name": "c", "container_port": 80}],
    )


@pytest.mark.parametrize(("interval", "threshold", "grace"), [(15, 2, 60), (30, 5, 0)])
def test_ecs_steady_state_follows_the_plans_health_check_settings(interval, threshold, grace):
    plan = preview(lambda: ecs_program(interval, threshold, grace))
    est = create_estimate(plan.by_name("svc"), PlanIndex(plan))
    start = timing_sources.FARGATE_TASK_START
    assert est.p50 == start.create + interval  # a new target needs one passing check
    assert est.p90 == start.p90 + grace + interval * threshold
    assert est.rule is not None and f"{interval} s" in est.rule


def test_slower_health_checks_make_a_slower_deploy():
    fast = preview(lambda: ecs_program(5, 2, 0))
    slow = preview(lambda: ecs_program(30, 5, 120))
    assert estimate_timing(slow).total_seconds > estimate_timing(fast).total_seconds
    assert estimate_timing(slow).total_p90_seconds > estimate_timing(fast).total_p90_seconds


def certificate_program(record_in_plan: bool):
    def program() -> None:
        cert = aws.acm.Certificate("cert", domain_name="app.example.com", validation_method="DNS")
        option = cert.domain_validation_options[0]
        if record_in_plan:
            record = aws.route53.Record(
                "validation",
                zone_id="Z123",
                name=option.resource_record_name,
                type=option.resource_record_type,
                records=[option.resource_record_value],
                ttl=60,
            )
            aws.acm.CertificateValidation(
                "validated", certificate_arn=cert.arn, validation_record_fqdns=[record.fqdn]
            )
        else:
            aws.acm.CertificateValidation("validated", certificate_arn=cert.arn)

    return program


def test_acm_validation_waits_for_its_dns_record():
    with_record = preview(certificate_program(record_in_plan=True))
    report = estimate_timing(with_record)
    assert [s.name for s in report.path] == ["cert", "validation", "validated"]
    record = durations_for("aws:route53/record:Record")
    assert record is not None and report.path[1].seconds == record.create

    without = preview(certificate_program(record_in_plan=False))
    est = create_estimate(without.by_name("validated"), PlanIndex(without))
    validation = durations_for("aws:acm/certificateValidation:CertificateValidation")
    assert validation is not None
    dns = timing_sources.DNS_VALIDATION_RECORD
    assert est.p50 == validation.create + dns.create
    assert est.p90 == validation.p90 + dns.p90
    assert est.rule is not None and "not in the Plan" in est.rule


def deployment_program(probe: dict | None) -> None:
    container: dict = {"name": "api", "image": "ghcr.io/acme/api:1.0"}
    if probe is not None:
        container["readiness_probe"] = probe
    k8s.apps.v1.Deployment(
        "api",
        spec={
            "selector": {"match_labels": {"app": "api"}},
            "template": {
                "metadata": {"labels": {"app": "api"}},
                "spec": {"containers": [container]},
            },
        },
    )


def test_a_kubernetes_deployment_takes_what_pulumi_awaits_image_pull_and_readiness():
    probe = {
        "http_get": {"path": "/healthz", "port": 80},
        "initial_delay_seconds": 20,
        "period_seconds": 5,
    }
    plan = preview(lambda: deployment_program(probe))
    est = create_estimate(plan.by_name("api"))
    pull = timing_sources.IMAGE_PULL
    assert est.p50 == pull.create + 20 + 5
    assert est.p90 == pull.p90 + 20 + 5 * 3
    bare = preview(lambda: deployment_program(None))
    plain = create_estimate(bare.by_name("api"))
    assert (plain.p50, plain.p90) == (pull.create, pull.p90)
    assert est.p50 > plain.p50


def test_a_load_balancer_service_waits_for_its_address_and_a_helm_release_for_readiness():
    def program() -> None:
        k8s.core.v1.Service("lb", spec={"type": "LoadBalancer", "ports": [{"port": 80}]})
        k8s.core.v1.Service("internal", spec={"ports": [{"port": 80}]})
        k8s.helm.v3.Release("waits", chart="x")
        k8s.helm.v3.Release("skips", chart="x", skip_await=True)

    plan = preview(program)
    lb = create_estimate(plan.by_name("lb"))
    internal = create_estimate(plan.by_name("internal"))
    assert lb.p50 == timing_sources.K8S_LOAD_BALANCER_ADDRESS.create > internal.p50
    waits, skips = create_estimate(plan.by_name("waits")), create_estimate(plan.by_name("skips"))
    assert waits.p50 > skips.p50 == timing_sources.HELM_NO_WAIT.create


def test_cloudfront_takes_minutes_not_tens_of_minutes():
    def program() -> None:
        origin = [
            {
                "domain_name": "o.example.com",
                "origin_id": "o",
                "custom_origin_config": {
                    "http_port": 80,
                    "https_port": 443,
                    "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": ["TLSv1.2"],
                },
            }
        ]
        common = {
            "enabled": True,
            "origins": origin,
            "default_cache_behavior": {
                "target_origin_id": "o",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
            },
            "restrictions": {"geo_restriction": {"restriction_type": "none"}},
            "viewer_certificate": {"cloudfront_default_certificate": True},
        }
        aws.cloudfront.Distribution("waits", **common)
        aws.cloudfront.Distribution("no-wait", wait_for_deployment=False, **common)

    plan = preview(program)
    waits = create_estimate(plan.by_name("waits"))
    assert 3 * 60 <= waits.p50 <= 5 * 60
    assert waits.p90 <= 10 * 60
    assert create_estimate(plan.by_name("no-wait")).p50 < 60


def test_every_table_entry_is_a_range_with_a_public_source_or_says_it_is_an_estimate():
    for type_token, d in {**DURATIONS, **PREFIX_DURATIONS}.items():
        assert 0 <= d.create <= d.p90, type_token
        if d.source.kind == "estimate":
            assert d.source.url == ""
        else:
            assert d.source.url.startswith("https://"), type_token


def test_the_p90_total_is_never_below_the_p50_total_and_both_are_in_the_json():
    plan = preview(aurora_program)
    data = json.loads(estimate_timing(plan).dumps())
    assert data["total_p50_seconds"] == data["total_seconds"]
    assert data["total_p90_seconds"] >= data["total_p50_seconds"] > 0
    assert all(s["p90_seconds"] >= s["seconds"] for s in data["path"])
    assert all(s["source"].startswith("https://") for s in data["path"] if s["source"])
    assert {src["url"] for src in data["sources"]} >= {timing_sources.AURORA_APPLY_LOG.url}


def test_the_path_follows_the_plans_dependencies():
    """Every step of the path waits for the one before it: by a Plan dependency or an
    ordering AWS imposes, never by accident of timing."""

    def program() -> None:
        queue = aws.sqs.Queue("q")
        role = aws.iam.Role(
            "r", assume_role_policy="{}", opts=pulumi.ResourceOptions(depends_on=[queue])
        )
        aurora_program()
        aws.sqs.Queue("late", opts=pulumi.ResourceOptions(depends_on=[role]))

    plan = preview(program)
    index = PlanIndex(plan)
    report = estimate_timing(plan)
    order = implicit_order(index)
    by_name = {r.name: r for r in index.nodes}
    for before, step in zip(report.path, report.path[1:], strict=False):
        rec = by_name[step.name]
        waited = index.dependencies_of(rec) | set(order.get(rec.urn, {}))
        assert by_name[before.name].urn in waited, (before.name, step.name)


def test_docs_list_every_create_time_figure_with_its_source():
    from pathlib import Path

    from gridops_infra.analysis.timing.estimate import format_seconds

    text = (Path(__file__).resolve().parents[2] / "docs" / "estimates.md").read_text()
    section = text.split("## Deploy time", 1)[1]
    rows = {
        line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| `")
    }
    for type_token, d in DURATIONS.items():
        row = rows.get(f"`{type_token}`")
        assert row is not None, f"{type_token} missing from docs/estimates.md"
        cells = [c.strip() for c in row.split("|")]
        assert cells[2:4] == [format_seconds(d.create), format_seconds(d.p90)], type_token
        assert (d.source.url in row) if d.source.url else ("estimate" in row), type_token


def test_the_text_report_gives_the_range_and_the_implicit_waits():
    text = estimate_timing(preview(aurora_program)).render_text()
    assert "typical (p50)" in text and "slow day (p90)" in text
    assert f"reader-1 after writer: {READER_WAITS_FOR_WRITER}" in text
    assert timing_sources.AURORA_APPLY_LOG.url in text


def test_a_service_waits_for_the_pods_it_selects_before_what_depends_on_it():
    """Pulumi's Service await waits for ready endpoints, so an Ingress on the Service
    starts only once the selected Deployment is ready, though the Plan does not say so."""

    def program() -> None:
        deployment_program(
            {
                "http_get": {"path": "/", "port": 80},
                "initial_delay_seconds": 30,
                "period_seconds": 10,
            }
        )
        svc = k8s.core.v1.Service(
            "api-svc", spec={"selector": {"app": "api"}, "ports": [{"port": 80}]}
        )
        k8s.core.v1.Service(
            "other-svc", spec={"selector": {"app": "other"}, "ports": [{"port": 80}]}
        )
        k8s.networking.v1.Ingress(
            "ingress",
            spec={
                "default_backend": {"service": {"name": svc.metadata.name, "port": {"number": 80}}}
            },
        )

    plan = preview(program)
    index = PlanIndex(plan)
    order = implicit_order(index)
    assert order == {plan.by_name("api-svc").urn: {plan.by_name("api").urn: SERVICE_WAITS_FOR_PODS}}
    report = estimate_timing(plan)
    assert [s.name for s in report.path] == ["api", "api-svc", "ingress"]
    assert report.path[1].after == f"api ({SERVICE_WAITS_FOR_PODS})"
    deployment = create_estimate(plan.by_name("api"))
    assert report.path[2].start_seconds == deployment.p50 + report.path[1].seconds
