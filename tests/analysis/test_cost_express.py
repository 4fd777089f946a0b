"""gridops cost on ECS Express Mode: no Express charge, the Fargate tasks at the X86_64
rate from the scaling minimum, the shared load balancer split between the services of
one network, and the public addresses of a public endpoint."""

from __future__ import annotations

import pytest

from gridops_infra import ExpressCluster, Network, StatelessService
from gridops_infra.analysis import estimate_cost, load_prices
from gridops_infra.testing import preview

PRICES = load_prices()
H = PRICES.hours_per_month
IMAGE = "ghcr.io/acme/api:1.4.2"


def report_of(endpoint: str, services: int):
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = ExpressCluster("prod", {"network": net, "endpoint": endpoint})
        for i in range(services):
            StatelessService(
                f"api{i}",
                {"platform": cluster, "image": IMAGE, "cpu": 512, "memory": 1024, "min_count": 3},
            )

    return estimate_cost(preview(program))


def per_task() -> float:
    return 0.5 * PRICES.rate("fargate", "x86_64", "vcpu_hour") + 1 * PRICES.rate(
        "fargate", "x86_64", "gb_hour"
    )


def alb_hour() -> float:
    lcu = 1.0  # the alb_lcu usage default
    return PRICES.rate("load_balancer", "application", "hour") + lcu * PRICES.rate(
        "load_balancer", "application", "lcu_hour"
    )


def test_an_internal_express_service_is_its_tasks_and_the_whole_load_balancer() -> None:
    line = report_of("internal", 1).line("api0-service")
    assert line.monthly_usd == pytest.approx((3 * per_task() + alb_hour()) * H)
    assert "minTaskCount" in line.formula and "x86_64" in line.formula


def test_two_services_on_one_network_share_one_load_balancer() -> None:
    report = report_of("internal", 2)
    for name in ("api0-service", "api1-service"):
        assert report.line(name).monthly_usd == pytest.approx((3 * per_task() + alb_hour() / 2) * H)
    assert not report.not_priced
    assert any("no charge of its own" in a for a in report.assumptions)


def test_a_public_endpoint_adds_the_tasks_and_the_load_balancers_public_addresses() -> None:
    line = report_of("public", 1).line("api0-service")
    ips = 3 + 2  # three tasks, the load balancer's two zones
    expected = (3 * per_task() + alb_hour() + ips * PRICES.rate("public_ipv4_hour")) * H
    assert line.monthly_usd == pytest.approx(expected)
