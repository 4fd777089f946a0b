"""`StatelessService.url` follows the same rules on EksCluster as on FargateCluster: the
same program, only the platform object swapped, gives the same url up to the ALB's own
DNS name (AWS names each ALB differently)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import Plan, preview

SERVICE = "gridops:aws:StatelessService"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
IMAGE = "ghcr.io/a/b:1"
ZONE = "Z0123456789ABC"

# name -> the routing part of the spec; everything else is the same on both platforms.
ROUTES: dict[str, dict[str, Any]] = {
    "hosted": {"hosts": ["b.example.com"]},
    "pathed": {"path_patterns": ["/api/*"]},
    "domained": {"domain": "d.example.com", "zone_id": ZONE, "path_patterns": ["/v2/*"]},
    "plain": {},
    "mixed": {"hosts": ["*.example.net", "m.example.net"], "path_patterns": ["/v1/items*"]},
    "wild": {"hosts": ["*.example.org"], "path_patterns": ["/docs/*"]},
}
# What each url must be, with {base} standing for `http://<the platform's ALB DNS name>`.
EXPECTED = {
    "hosted": "http://b.example.com",
    "pathed": "{base}/api/",
    "domained": "https://d.example.com/v2/",
    "plain": "{base}",
    "mixed": "http://m.example.net/v1/items",
    "wild": "{base}/docs/",
}

PLATFORMS: dict[str, Callable[[Network, str], Any]] = {
    "fargate": lambda net, name: FargateCluster(name, {"network": net}),
    "eks": lambda net, name: EksCluster(name, {"network": net}),
}


def _program(kind: str) -> Callable[[], None]:
    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "single"})
        cluster = PLATFORMS[kind](net, "c")
        # Without a CDN, services on one EKS load balancer all have a domain or none:
        # the service with a domain gets a cluster of its own, on both platforms.
        own = PLATFORMS[kind](net, "d")
        for name, route in ROUTES.items():
            platform = own if "domain" in route else cluster
            service = StatelessService(name, {"platform": platform, "image": IMAGE, **route})
            pulumi.export(f"{name}_url", service.url)

    return program


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {kind: preview(_program(kind)) for kind in PLATFORMS}


def _component_urls(plan: Plan) -> dict[str, str]:
    return {r.name: r.outputs["url"] for r in plan.of_type(SERVICE)}


def _alb_base(kind: str, plan: Plan) -> str:
    """`http://` and the DNS name clients reach the platform's shared ALB at."""
    if kind == "fargate":
        return f"http://{plan.one('aws:lb/loadBalancer:LoadBalancer', 'c-alb').outputs['dnsName']}"
    hostnames = {
        r.outputs["status"]["loadBalancer"]["ingress"][0]["hostname"]
        for r in plan.of_type(INGRESS)
        if not r.name.startswith("domained")
    }
    assert len(hostnames) == 1, hostnames  # every Ingress joins the one grouped ALB
    return f"http://{hostnames.pop()}"


def _relative(kind: str, plan: Plan) -> dict[str, str]:
    base = _alb_base(kind, plan)
    return {
        name: url.replace(base, "{base}", 1) if url.startswith(base) else url
        for name, url in _component_urls(plan).items()
    }


@pytest.mark.parametrize("kind", list(PLATFORMS))
def test_the_component_output_and_the_property_agree(plans, kind):
    plan = plans[kind]
    urls = _component_urls(plan)
    assert set(urls) == set(ROUTES)
    for name, url in urls.items():
        assert plan.outputs[f"{name}_url"] == url


@pytest.mark.parametrize("kind", list(PLATFORMS))
def test_each_platform_renders_the_expected_url(plans, kind):
    assert _relative(kind, plans[kind]) == EXPECTED


@pytest.mark.parametrize("name", list(ROUTES))
def test_eks_and_fargate_give_the_same_url(plans, name):
    fargate, eks = (_relative(kind, plans[kind])[name] for kind in ("fargate", "eks"))
    assert eks == fargate


def test_a_host_routed_url_is_a_host_its_ingress_matches(plans):
    ingress = plans["eks"].one(INGRESS, "hosted-ingress")
    hosts = [rule.get("host") for rule in ingress.inputs["spec"]["rules"]]
    assert hosts == ["b.example.com"]
    assert _component_urls(plans["eks"])["hosted"] == f"http://{hosts[0]}"


def test_a_path_routed_url_falls_under_its_ingress_path(plans):
    ingress = plans["eks"].one(INGRESS, "pathed-ingress")
    (path,) = (p["path"] for p in ingress.inputs["spec"]["rules"][0]["http"]["paths"])
    url = _component_urls(plans["eks"])["pathed"]
    assert path == "/api/*"
    assert url.endswith("/api/") and url.startswith("http://k8s-")
