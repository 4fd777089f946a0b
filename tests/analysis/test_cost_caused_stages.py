"""`gridops cost --json` on the fargate and eks stages shows what the stacks cause to be
billed, with each charge's usage in the assumptions, and a usage file changes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.analysis.cost.estimate import load_prices
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()
PRICES = load_prices()


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _cost(*args: str) -> dict:
    result = runner.invoke(app, ["cost", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _lines(report: dict) -> dict[str, dict]:
    return {line["name"]: line for line in report["lines"]}


def test_fargate_stage_prices_container_insights_xray_and_cross_az(tmp_path: Path) -> None:
    report = _cost("fargate")
    lines = _lines(report)
    insights = lines["prod-cluster:container-insights"]
    assert insights["type"] == "billed:CloudWatch/ContainerInsights"
    assert "1 service(s) with running tasks" in insights["formula"]  # the worker scales to 0
    xray = lines["api-service:xray-traces"]
    assert xray["monthly_usd"] == pytest.approx(
        10 * PRICES.rate("xray", "traces_recorded_million")
    )  # 10M requests, every one traced: the app sets no sampler
    assert {"api-service:cross-az", "jobs-worker:cross-az"} <= set(lines)
    assert lines["api-service:app-metrics"]["type"] == "billed:CloudWatch/CustomMetrics"
    assert not [n for n in lines if n.endswith(":internet-egress")]  # the ALB is behind CloudFront
    assert any(a.startswith("usage traced_requests_million = 10") for a in report["assumptions"])
    usage = tmp_path / "usage.yaml"
    usage.write_text("resources:\n  api-service:\n    xray_sampling_rate: 0.05\n")
    sampled = _lines(_cost("fargate", "--usage", str(usage)))["api-service:xray-traces"]
    assert sampled["monthly_usd"] == pytest.approx(xray["monthly_usd"] * 0.05)


def test_eks_stage_prices_the_internal_alb_volumes_and_the_observability_addon() -> None:
    lines = _lines(_cost("eks"))
    # Behind the VPC origin the ALB is Pulumi's own, internal: no public IPv4 addresses,
    # and no Ingress makes the controller create another one.
    alb = lines["prod-alb"]
    assert alb["type"] == "aws:lb/loadBalancer:LoadBalancer" and alb["monthly_usd"] > 16
    assert "IPv4" not in alb["formula"]
    assert not [name for name in lines if name.endswith(":alb")]
    assert lines["obs-kube-prometheus-stack:volumes"]["monthly_usd"] == pytest.approx(
        50 * PRICES.rate("ebs", "gb_month", "gp3")
    )
    assert "prod-amazon-cloudwatch-observability:container-insights" in lines
    # The stage runs on EKS Auto Mode: its nodes are priced on the cluster, fee included.
    assert "Auto Mode fee" in lines["prod-cluster"]["formula"]


def test_eks_stage_with_a_public_origin_prices_the_ingress_alb() -> None:
    lines = _lines(_cost("eks", "--config", "origin_access=public-with-header"))
    alb = lines["api-ingress:alb"]
    assert alb["type"] == "billed:ELB/IngressLoadBalancer" and alb["monthly_usd"] > 16
    assert "3 public IPv4" in alb["formula"]
    assert "prod-alb" not in lines


def test_single_server_prices_host_egress_and_agent_metrics() -> None:
    lines = _lines(_cost("single-server"))
    assert lines["mvp-instance:internet-egress"]["monthly_usd"] == pytest.approx(
        100 * PRICES.rate("data_transfer", "internet_out_gb")
    )
    assert "mvp-alarm-memory:metric-mem_used_percent" in lines
