"""The default behind a CDN on Fargate: the ALB is internal, in the private subnets, and the
CdnFrontend reaches it through a CloudFront VPC origin: no public address, no origin secret,
HTTPS to the origin with a certificate, HTTP inside the VPC without one."""

from __future__ import annotations

import re

import pulumi
import pytest
from cdn_programs import API_IMAGE, CLOUDFRONT_PREFIX_LIST_ID, ZONE, ingress_of, origins

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"


def _program() -> None:
    net = Network("prod", {})
    plain = FargateCluster("plain", {"network": net, "behind_cdn": True})
    api = StatelessService(
        "api",
        {
            "platform": plain,
            "image": API_IMAGE,
            # five values: with the origin header this would be one too many
            "path_patterns": ["/a/*", "/b/*", "/c/*", "/d/*", "/e/*"],
        },
    )
    web = CdnFrontend("web", {"api_origin": api})
    tls = FargateCluster(
        "tls",
        {
            "network": net,
            "behind_cdn": True,
            "origin_access": "vpc-origin",
            "domain": "app.example.com",
            "zone_id": ZONE,
        },
    )
    shop = StatelessService("shop", {"platform": tls, "image": API_IMAGE})
    CdnFrontend("store", {"api_origin": shop})
    pulumi.export("plain_alb_arn", plain.alb.arn)
    pulumi.export("plain_alb_dns", plain.alb.dns_name)
    pulumi.export("web_vpc_origin_id", web.vpc_origin.id if web.vpc_origin else None)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


def test_the_alb_is_internal_in_the_private_subnets(plan):
    for name in ("plain-alb", "tls-alb"):
        alb = plan.one(LB, name)
        assert alb.inputs["internal"] is True
        subnets = sorted(u.rsplit("::", 1)[-1] for u in alb.property_dependencies["subnets"])
        assert subnets == ["prod-private-0", "prod-private-1"]


def test_the_vpc_origin_points_at_the_alb_and_the_distribution_uses_it(plan):
    endpoint = plan.one(VPC_ORIGIN, "web-vpc-origin").inputs["vpcOriginEndpointConfig"]
    assert endpoint["arn"] == plan.outputs["plain_alb_arn"]
    assert endpoint["originProtocolPolicy"] == "http-only"
    assert (endpoint["httpPort"], endpoint["httpsPort"]) == (80, 443)
    api = origins(plan, "web")["api"]
    assert api["vpcOriginConfig"] == {"vpcOriginId": plan.outputs["web_vpc_origin_id"]}
    assert api["domainName"] == plan.outputs["plain_alb_dns"]
    assert "customOriginConfig" not in api


def test_with_a_certificate_cloudfront_reaches_the_origin_over_https(plan):
    endpoint = plan.one(VPC_ORIGIN, "store-vpc-origin").inputs["vpcOriginEndpointConfig"]
    assert endpoint["originProtocolPolicy"] == "https-only"
    assert endpoint["originSslProtocols"] == {"items": ["TLSv1.2"], "quantity": 1}
    assert origins(plan, "store")["api"]["domainName"] == "app.example.com"
    https = plan.one(LISTENER, "tls-https-listener").inputs
    assert https["port"] == 443 and https["protocol"] == "HTTPS" and https["certificateArn"]


def test_there_is_no_origin_secret_anywhere(plan):
    assert plan.of_type("random:index/randomPassword:RandomPassword") == []
    for name in ("web", "store"):
        assert "customHeaders" not in origins(plan, name)["api"]
    for rule in plan.of_type(RULE):
        assert not [c for c in rule.inputs["conditions"] if "httpHeader" in c], rule.name
    action = plan.one(LISTENER, "plain-http-listener").inputs["defaultActions"][0]
    assert action["fixedResponse"]["statusCode"] == "404"


def test_the_alb_admits_cloudfront_and_its_vpc_origin_interfaces_on_its_one_port(plan):
    # The VPC origin's interfaces sit in the VPC's subnets: its block is admitted beside the
    # origin-facing prefix list, and nothing else.
    vpc = "10.0.0.0/16"
    assert ingress_of(plan, "plain-alb-in") == [
        (80, None, CLOUDFRONT_PREFIX_LIST_ID),
        (80, vpc, None),
    ]
    assert ingress_of(plan, "tls-alb-in") == [
        (443, None, CLOUDFRONT_PREFIX_LIST_ID),
        (443, vpc, None),
    ]


def test_nothing_warns(plan):
    assert not [text for level, text in plan.diagnostics if level == "warning"]


BAD_CLUSTERS = [
    ({"origin_access": "vpc-origin"}, r"origin_access='vpc-origin' .*only with behind_cdn=True"),
    (
        {"behind_cdn": True, "origin_access": "private"},
        r"origin_access='private' .*allowed: 'vpc-origin', 'public-with-header'",
    ),
]


@pytest.mark.parametrize(("extra", "match"), BAD_CLUSTERS, ids=["no-cdn", "unknown"])
def test_bad_origin_access_is_refused_before_registration(preview_refusals, extra, match):
    plan, errors = preview_refusals(
        lambda: Network("prod", {}),
        lambda net, _, case: FargateCluster("edge", {"network": net, **case}),
        [extra],
    )
    assert re.search(match, errors[0]), errors
    assert plan.of_type("gridops:aws:FargateCluster") == []
    assert not [r for r in plan.resources if r.name.startswith("edge")]


def test_plain_http_on_the_internal_alb_is_not_flagged_as_crossing_the_internet():
    """Without a certificate the ALB serves HTTP, but only inside the VPC: neither the
    public-HTTP nor the HTTP-origin advisory applies, unlike on the public ALB."""
    from gridops_infra.policy import check_plan

    def program(origin_access: str) -> None:
        net = Network("prod", {})
        cluster = FargateCluster(
            "edge", {"network": net, "behind_cdn": True, "origin_access": origin_access}
        )
        api = StatelessService("api", {"platform": cluster, "image": API_IMAGE})
        CdnFrontend("web", {"api_origin": api})

    internal = check_plan(preview(lambda: program("vpc-origin")))
    assert internal.of_rule("alb-http-without-tls") == []
    assert internal.of_rule("cloudfront-origin-https") == []
    public = check_plan(preview(lambda: program("public-with-header")))
    assert public.of_rule("alb-http-without-tls")
    assert public.of_rule("cloudfront-origin-https")
