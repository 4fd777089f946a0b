"""CdnFrontend in front of a StatelessService on EKS with `origin_access:
"public-with-header"`: the origin is the ALB the AWS Load Balancer Controller builds from
the services' Ingresses, and an EksCluster `behind_cdn` locks that ALB to CloudFront the
way a FargateCluster does: only CloudFront's origin-facing prefix list admitted, and a
secret `X-Origin-Verify` header every rule requires, which appears in the Plan only as a
Pulumi secret. (The default, a VPC origin: test_cdn_eks_vpc_origin.py.)"""

from __future__ import annotations

import json
import re
from typing import Any

import kubernetes_validate
import pulumi
import pulumi_aws as aws
import pytest
from cdn_programs import API_IMAGE, CLOUDFRONT_PREFIX_LIST_ID, DISTRIBUTION, ZONE, origins

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms import EksCluster
from gridops_infra.service import StatelessService
from gridops_infra.service.eks.metrics import load_balancer_tags
from gridops_infra.testing import Plan, SecretValue, contains_secret, preview, reveal

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
PASSWORD = "random:index/randomPassword:RandomPassword"
ALB = "alb.ingress.kubernetes.io/"


def _independent_alb_dns(cluster: EksCluster) -> pulumi.Output[str]:
    """The controller-made ALB, looked up here by the tags the controller puts on it."""
    tags = load_balancer_tags(cluster.physical_name, cluster.alb_group_name)
    return aws.lb.get_load_balancer_output(tags=tags).dns_name


def _program() -> None:
    net = Network("prod", {})
    public: dict[str, Any] = {"behind_cdn": True, "origin_access": "public-with-header"}
    edge = EksCluster("edge", {"network": net, **public})
    api = StatelessService("api", {"platform": edge, "image": API_IMAGE, "port": 8080})
    StatelessService("admin", {"platform": edge, "image": API_IMAGE, "path_patterns": ["/admin/*"]})
    CdnFrontend("web", {"api_origin": api})

    tls = EksCluster("tls", {"network": net, **public})
    shop = StatelessService(
        "shop",
        {"platform": tls, "image": API_IMAGE, "domain": "shop.example.com", "zone_id": ZONE},
    )
    CdnFrontend("store", {"api_origin": shop})

    open_cluster = EksCluster("open", {"network": net})
    blog = StatelessService("blog", {"platform": open_cluster, "image": API_IMAGE})
    CdnFrontend("news", {"api_origin": blog})

    pulumi.export("edge_alb_dns", _independent_alb_dns(edge))
    pulumi.export("open_alb_dns", _independent_alb_dns(open_cluster))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(_program, stack="eks")


def _ingress(plan: Plan, service: str) -> dict[str, Any]:
    """The Ingress as applied (secrets revealed)."""
    record = plan.one(INGRESS, f"{service}-ingress")
    return {key: reveal(record.inputs[key]) for key in ("apiVersion", "kind", "metadata", "spec")}


def _annotations(plan: Plan, service: str) -> dict[str, str]:
    return _ingress(plan, service)["metadata"]["annotations"]


def _secret(plan: Plan, cluster: str) -> str:
    return reveal(plan.one(PASSWORD, f"{cluster}-origin-verify").outputs["result"])


def _plain_occurrences(value: Any, needle: str, path: str = "") -> list[str]:
    """Where `needle` occurs in `value` outside a SecretValue."""
    if isinstance(value, SecretValue):
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _plain_occurrences(v, needle, f"{path}.{k}")]
    if isinstance(value, list):
        return [
            p for i, v in enumerate(value) for p in _plain_occurrences(v, needle, f"{path}[{i}]")
        ]
    return [path] if isinstance(value, str) and needle in value else []


def test_the_cdn_with_an_eks_api_origin_previews(plan):
    for name in ("web", "store", "news"):
        assert plan.one("gridops:aws:CdnFrontend", name)
        assert plan.one(DISTRIBUTION, f"{name}-distribution")


def test_the_origin_is_the_alb_the_controller_built(plan):
    api = origins(plan, "web")["api"]
    assert api["domainName"] == plan.outputs["edge_alb_dns"]
    assert api["domainName"].endswith(".us-east-1.elb.amazonaws.com")
    assert api["customOriginConfig"]["originProtocolPolicy"] == "http-only"
    # The ALB exists once the service's Ingress does: the distribution waits for it.
    distribution = plan.one(DISTRIBUTION, "web-distribution")
    assert plan.one(INGRESS, "api-ingress").urn in distribution.dependencies


def test_only_cloudfronts_prefix_list_reaches_the_alb(plan):
    for service in ("api", "admin", "shop"):
        notes = _annotations(plan, service)
        assert notes[f"{ALB}security-group-prefix-lists"] == CLOUDFRONT_PREFIX_LIST_ID
        # With inbound-cidrs absent the controller adds no 0.0.0.0/0 next to the list.
        assert f"{ALB}inbound-cidrs" not in notes
    # One port per cluster: the prefix list counts as 55 of the security group's 60 rules.
    assert json.loads(_annotations(plan, "api")[f"{ALB}listen-ports"]) == [{"HTTP": 80}]
    assert json.loads(_annotations(plan, "admin")[f"{ALB}listen-ports"]) == [{"HTTP": 80}]


def test_every_ingress_requires_the_secret_origin_header(plan):
    secret = _secret(plan, "edge")
    assert len(secret) == 48 and secret.isalnum()
    for service in ("api", "admin"):
        condition = json.loads(_annotations(plan, service)[f"{ALB}conditions.{service}"])
        assert condition == [
            {
                "field": "http-header",
                "httpHeaderConfig": {"httpHeaderName": "X-Origin-Verify", "values": [secret]},
            }
        ]
        # The condition annotation is keyed by the backend service the rules forward to.
        paths = _ingress(plan, service)["spec"]["rules"][0]["http"]["paths"]
        assert {p["backend"]["service"]["name"] for p in paths} == {service}


def test_the_distribution_sends_the_same_secret_header(plan):
    api = origins(plan, "web")["api"]
    assert api["customHeaders"] == [{"name": "X-Origin-Verify", "value": _secret(plan, "edge")}]
    assert contains_secret(plan.one(DISTRIBUTION, "web-distribution").inputs["origins"])


def test_the_header_value_appears_in_the_plan_only_as_a_secret(plan):
    for cluster in ("edge", "tls"):
        secret = _secret(plan, cluster)
        found = [
            f"{record.name} {where}{path}"
            for record in plan.resources
            for where in ("inputs", "outputs")
            for path in _plain_occurrences(getattr(record, where), secret)
        ]
        assert found == [] and _plain_occurrences(plan.outputs, secret) == []
        assert secret not in json.dumps(plan.to_json())
    ingress = plan.one(INGRESS, "api-ingress")
    assert isinstance(ingress.inputs["metadata"], SecretValue)
    assert secret not in json.dumps(ingress.inputs["spec"])
    # Only the Ingress carries the secret; the service's other objects stay plain.
    for kind, name in (
        ("kubernetes:apps/v1:Deployment", "api-deployment"),
        ("kubernetes:core/v1:Service", "api-kubernetes-service"),
    ):
        assert not contains_secret(plan.one(kind, name).inputs)


@pytest.mark.parametrize("service", ["api", "shop", "blog"])
def test_the_ingress_passes_kubernetes_validate_strict(plan, service):
    kubernetes_validate.validate(_ingress(plan, service), "1.35.0", strict=True)


def test_a_service_domain_makes_the_origin_https_only_on_443(plan):
    shop = origins(plan, "store")["api"]
    assert shop["domainName"] == "shop.example.com"
    assert shop["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert shop["customHeaders"] == [{"name": "X-Origin-Verify", "value": _secret(plan, "tls")}]
    notes = _annotations(plan, "shop")
    # CloudFront connects on 443 only, so port 80 (and its redirect) is not opened at all.
    assert json.loads(notes[f"{ALB}listen-ports"]) == [{"HTTPS": 443}]
    assert f"{ALB}ssl-redirect" not in notes
    assert notes[f"{ALB}certificate-arn"].startswith("arn:aws:acm:us-east-1:")
    assert json.loads(notes[f"{ALB}conditions.shop"])[0]["httpHeaderConfig"]["values"] == [
        _secret(plan, "tls")
    ]


def test_a_cluster_not_behind_a_cdn_keeps_its_alb_open_and_says_so(plan):
    blog = origins(plan, "news")["api"]
    assert blog["domainName"] == plan.outputs["open_alb_dns"]
    assert "customHeaders" not in blog
    notes = _annotations(plan, "blog")
    assert f"{ALB}security-group-prefix-lists" not in notes
    assert not [k for k in notes if k.startswith(f"{ALB}conditions.")]
    assert not contains_secret(plan.one(INGRESS, "blog-ingress").inputs)
    assert [r.name for r in plan.of_type(PASSWORD)] == ["edge-origin-verify", "tls-origin-verify"]
    warnings = [text for level, text in plan.diagnostics if "behind_cdn" in text]
    assert len(warnings) == 1 and "EksCluster 'open' is not behind_cdn" in warnings[0]


# -- refused input ------------------------------------------------------------------------

BAD = [
    ("plain", r"StatelessService 'plain': domain=None is not allowed on EksCluster 'lock'"),
    (
        "mixed",
        r"StatelessService 'legacy': domain=None is not allowed on EksCluster 'wide': "
        r"service 'www' has a domain.*'legacy' \(HTTP only\) would be unreachable",
    ),
    (
        "other-host",
        r"api_origin='first' is not allowed; it routes by hosts.*Leave api_origin_domain out",
    ),
]


@pytest.fixture(scope="module")
def refused() -> tuple[Plan, dict[str, str], list[str]]:
    errors: dict[str, str] = {}
    accepted: list[str] = []

    def attempt(key: str, build) -> None:
        try:
            build()
            accepted.append(key)
        except ValueError as exc:
            errors[key] = str(exc)

    def program() -> None:
        net = Network("prod", {})
        lock = EksCluster("lock", {"network": net, "behind_cdn": True})
        domain = {"zone_id": ZONE}
        first = StatelessService(
            "first",
            {"platform": lock, "image": API_IMAGE, "domain": "first.example.com", **domain},
        )
        # behind a CDN every service shares the HTTPS port: one without a domain is refused
        attempt("plain", lambda: StatelessService("plain", {"platform": lock, "image": API_IMAGE}))
        # ...and the refusal left no claim behind: another HTTPS service is accepted
        attempt(
            "second",
            lambda: StatelessService(
                "second",
                {"platform": lock, "image": API_IMAGE, "domain": "second.example.com", **domain},
            ),
        )
        attempt(
            "other-host",
            lambda: CdnFrontend(
                "edge-host", {"api_origin": first, "api_origin_domain": "other.example.com"}
            ),
        )

        wide = EksCluster("wide", {"network": net})
        StatelessService(
            "www", {"platform": wide, "image": API_IMAGE, "domain": "www.example.com", **domain}
        )
        # Without a CDN, www's HTTPS redirect takes over the shared port 80: a service
        # without a domain could not be reached, so it is refused where it is declared.
        attempt(
            "mixed",
            lambda: StatelessService(
                "legacy", {"platform": wide, "image": API_IMAGE, "path_patterns": ["/old/*"]}
            ),
        )

    return preview(program, stack="eks"), errors, accepted


@pytest.mark.parametrize(("key", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_the_field(refused, key, match):
    _, errors, _ = refused
    assert key in errors, f"{key} was accepted"
    assert re.search(match, errors[key]), errors[key]


def test_refused_components_register_nothing(refused):
    plan, errors, accepted = refused
    assert sorted(errors) == sorted(b[0] for b in BAD)
    assert accepted == ["second"]
    assert plan.of_type("gridops:aws:CdnFrontend") == []
    assert not [r for r in plan.resources if r.name.startswith(("edge", "plain"))]
    services = sorted(r.name for r in plan.of_type("gridops:aws:StatelessService"))
    assert services == ["first", "second", "www"]


def test_behind_cdn_must_be_a_boolean():
    errors: list[str] = []

    def program() -> None:
        try:
            EksCluster("edge", {"network": Network("prod", {}), "behind_cdn": "yes"})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program, stack="eks")
    assert errors and "behind_cdn='yes'" in errors[0], errors
    assert plan.of_type("gridops:aws:EksCluster") == []
