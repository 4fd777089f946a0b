"""Behind a CDN with a public ALB (`origin_access: "public-with-header"`) the ALB admits only
CloudFront: the origin-facing prefix list on one port, a secret origin header every service
rule requires (403 otherwise), and the same secret sent by the distribution. The default,
an internal ALB behind a VPC origin, is in test_cdn_vpc_origin.py."""

from __future__ import annotations

import re

import pulumi
import pytest
from cdn_programs import (
    API_IMAGE,
    CLOUDFRONT_PREFIX_LIST_ID,
    ZONE,
    behaviors,
    ingress_of,
    origins,
)

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import contains_secret, preview, reveal

LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"


PUBLIC = {"behind_cdn": True, "origin_access": "public-with-header"}


def _program() -> None:
    net = Network("prod", {})
    plain = FargateCluster("plain", {"network": net, **PUBLIC})
    api = StatelessService("api", {"platform": plain, "image": API_IMAGE})
    CdnFrontend("web", {"api_origin": api})

    tls = FargateCluster(
        "tls", {"network": net, **PUBLIC, "domain": "app.example.com", "zone_id": ZONE}
    )
    shop = StatelessService(
        "shop", {"platform": tls, "image": API_IMAGE, "path_patterns": ["/shop/*"]}
    )
    own = StatelessService(
        "own",
        {"platform": tls, "image": API_IMAGE, "domain": "own.example.com", "zone_id": ZONE},
    )
    CdnFrontend("store", {"api_origin": shop, "routes": {"/shop/*": "api"}})
    CdnFrontend("owned", {"api_origin": own})
    pulumi.export("plain_alb_dns", plain.alb.dns_name)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


def _header_condition(rule) -> dict:
    conditions = reveal(rule.inputs["conditions"])
    return next(c["httpHeader"] for c in conditions if "httpHeader" in c)


def test_only_cloudfront_reaches_the_alb_on_its_one_port(plan):
    assert ingress_of(plan, "plain-alb-in") == [(80, None, CLOUDFRONT_PREFIX_LIST_ID)]
    # with a certificate CloudFront connects on 443 only; 80 stays closed
    assert ingress_of(plan, "tls-alb-in") == [(443, None, CLOUDFRONT_PREFIX_LIST_ID)]


def test_requests_no_service_rule_matches_get_403(plan):
    for name in ("plain-http-listener", "tls-https-listener"):
        action = plan.one(LISTENER, name).inputs["defaultActions"][0]
        assert action["type"] == "fixed-response"
        assert action["fixedResponse"]["statusCode"] == "403"


def test_every_service_rule_requires_the_secret_origin_header(plan):
    secret = plan.one("random:index/randomPassword:RandomPassword", "plain-origin-verify")
    assert secret.inputs["length"] == 48 and secret.inputs["special"] is False
    header = _header_condition(plan.one(RULE, "api-rule"))
    assert header["httpHeaderName"] == "X-Origin-Verify"
    (value,) = header["values"]
    assert value == reveal(secret.outputs["result"]) and value.isalnum() and len(value) == 48
    assert contains_secret(plan.one(RULE, "api-rule").inputs["conditions"])


def test_the_distribution_sends_the_same_secret_header(plan):
    api = origins(plan, "web")["api"]
    (value,) = _header_condition(plan.one(RULE, "api-rule"))["values"]
    assert api["customHeaders"] == [{"name": "X-Origin-Verify", "value": value}]
    record = plan.one("aws:cloudfront/distribution:Distribution", "web-distribution")
    assert contains_secret(record.inputs["origins"])


def test_an_origin_without_certificate_is_reached_over_http(plan):
    api = origins(plan, "web")["api"]
    assert api["domainName"] == plan.outputs["plain_alb_dns"]
    assert api["customOriginConfig"]["originProtocolPolicy"] == "http-only"


def test_a_cluster_domain_makes_the_origin_https_only(plan):
    shop = origins(plan, "store")["api"]
    assert shop["domainName"] == "app.example.com"
    assert shop["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert behaviors(plan, "store")["/shop/*"]["targetOriginId"] == "api"
    (value,) = _header_condition(plan.one(RULE, "shop-rule"))["values"]
    assert shop["customHeaders"] == [{"name": "X-Origin-Verify", "value": value}]


def test_a_service_domain_is_the_origin_of_that_service(plan):
    own = origins(plan, "owned")["api"]
    assert own["domainName"] == "own.example.com"
    assert own["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    header = _header_condition(plan.one(RULE, "own-rule"))
    assert header["httpHeaderName"] == "X-Origin-Verify"


def test_the_cdn_does_not_warn_about_clusters_behind_it(plan):
    assert not [text for level, text in plan.diagnostics if "behind_cdn" in text]


BAD_CLUSTER_OR_SERVICE = [
    ("cluster", {"ingress_cidrs": ["203.0.113.0/24"]}, "ingress_cidrs=.*not with behind_cdn"),
    (
        "service",
        {"path_patterns": ["/a/*", "/b/*", "/c/*", "/d/*", "/e/*"]},
        "path_patterns=.*at most 4",
    ),
    ("service", {"domain": "api.example.com", "zone_id": ZONE}, "domain=.*certificate_arn"),
]


@pytest.mark.parametrize(
    ("what", "extra", "match"), BAD_CLUSTER_OR_SERVICE, ids=[b[2] for b in BAD_CLUSTER_OR_SERVICE]
)
def test_behind_a_cdn_conflicting_input_is_refused_before_registration(what, extra, match):
    errors: list[str] = []

    def program() -> None:
        net = Network("prod", {})
        cluster_args = {"network": net, **PUBLIC}
        if what == "cluster":
            cluster_args.update(extra)
        try:
            cluster = FargateCluster("edge", cluster_args)
            StatelessService(
                "api",
                {"platform": cluster, "image": API_IMAGE, **(extra if what == "service" else {})},
            )
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert errors and re.search(match, errors[0]), errors
    component = (
        "gridops:aws:FargateCluster" if what == "cluster" else "gridops:aws:StatelessService"
    )
    assert plan.of_type(component) == []
