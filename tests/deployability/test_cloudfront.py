"""CloudFront's create-time rules: CdnFrontend refuses routes CloudFront would refuse
before it registers anything; the policy pack fails distributions built otherwise (user
resources, transforms) and passes the ones CloudFront accepts."""

from __future__ import annotations

import pulumi_aws as aws
import pytest

from gridops_infra import FargateCluster, Network, StatelessService
from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.core.aws_rules.cloudfront import (
    ORIGIN_CERTIFICATE_MATCHES_DOMAIN,
    VPC_ORIGIN_REGION,
)
from gridops_infra.testing import preview

from .compute_helpers import assert_cites, violations
from .edge_reports import assert_policy_accepts, assert_policy_refuses

CDN = "gridops:aws:CdnFrontend"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
POLICY_CASES = {
    "cloudfront-acm-certificate-us-east-1": {"refused-cloudfront-acm-certificate-us-east-1"},
    "cloudfront-aliases-need-certificate": {
        "refused-cloudfront-aliases-need-certificate",
        "refused-cloudfront-aliases-need-certificate-default",
    },
    "cloudfront-cache-behaviors-quota": {"refused-cloudfront-cache-behaviors-quota"},
    "cloudfront-origin-custom-header-names": {"refused-cloudfront-origin-custom-header-names"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_what_cloudfront_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_what_cloudfront_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


def _routes(count: int) -> dict[str, str]:
    return {f"/assets-{i}/*": "static" for i in range(count)}


# (name, routes, the AWS rule the refusal cites; None: accepted)
COMPONENT_CASES = [
    ("behaviors75", _routes(75), "cloudfront-cache-behaviors-quota"),
    ("behaviors74", _routes(74), None),
    ("badpattern", {"api/ v1": "static"}, "cloudfront-path-pattern"),
    ("longpattern", {"/" + "a" * 255: "static"}, "cloudfront-path-pattern"),
    ("goodpattern", {"/img/*.jpg": "static", "/docs/v1.2/~user/*": "static"}, None),
]


@pytest.fixture(scope="module")
def component_refusals(preview_refusals):
    return preview_refusals(
        lambda: None,
        lambda _, i, case: CdnFrontend(case[0], {"static_site": True, "routes": case[1]}),
        COMPONENT_CASES,
    )


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)), ids=[c[0] for c in COMPONENT_CASES])
def test_cdn_frontend_refuses_routes_cloudfront_refuses(component_refusals, index: int) -> None:
    plan, errors = component_refusals
    name, _, aws_rule_id = COMPONENT_CASES[index]
    cdns = {r.name for r in plan.of_type(CDN)}
    if aws_rule_id is None:
        assert index not in errors, errors.get(index)
        assert name in cdns
        return
    message = errors[index]
    assert message.startswith(f"CdnFrontend '{name}': routes: "), message
    assert "Amazon CloudFront" in message and "docs.aws.amazon.com" in message
    assert name not in cdns
    assert not [r for r in plan.resources if r.name.startswith(f"{name}-")]


# cloudfront-vpc-origin-internal-endpoint


def vpc_origin_program(internal: bool, kind: str = "application") -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    subnets = [
        aws.ec2.Subnet(f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24") for i in range(2)
    ]
    lb = aws.lb.LoadBalancer(
        "lb", load_balancer_type=kind, internal=internal, subnets=[s.id for s in subnets]
    )
    aws.cloudfront.VpcOrigin(
        "origin",
        vpc_origin_endpoint_config={
            "name": "origin",
            "arn": lb.arn,
            "http_port": 80,
            "https_port": 443,
            "origin_protocol_policy": "http-only",
            "origin_ssl_protocols": {"items": ["TLSv1.2"], "quantity": 1},
        },
    )


VPC_ORIGIN_POLICY = "cloudfront-vpc-origin-internal-endpoint"


@pytest.mark.parametrize(
    ("internal", "kind", "problem"),
    [(False, "application", "internet-facing"), (True, "gateway", "Gateway Load Balancer")],
)
def test_the_policy_fails_a_vpc_origin_on_a_public_or_gateway_load_balancer(
    internal: bool, kind: str, problem: str
) -> None:
    (found,) = violations(lambda: vpc_origin_program(internal, kind), VPC_ORIGIN_POLICY)
    assert found.resource_name == "origin" and problem in found.message, found.message


@pytest.mark.parametrize("kind", ["application", "network"])
def test_the_policy_passes_a_vpc_origin_on_an_internal_alb_or_nlb(kind: str) -> None:
    assert violations(lambda: vpc_origin_program(True, kind), VPC_ORIGIN_POLICY) == []


def test_the_fargate_cdn_default_builds_a_vpc_origin_the_policy_passes() -> None:
    """The component side of the rule: behind a CDN the cluster's ALB is internal, in the
    network's private subnets (the Network always attaches an internet gateway), and the
    CdnFrontend's VPC origin points at it."""

    def program() -> None:
        net = Network("prod", {})
        cluster = FargateCluster("edge", {"network": net, "behind_cdn": True})
        api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        CdnFrontend("web", {"api_origin": api})

    plan = preview(program)
    alb = plan.one("aws:lb/loadBalancer:LoadBalancer", "edge-alb")
    assert alb.inputs["internal"] is True
    subnets = [urn.rsplit("::", 1)[-1] for urn in alb.property_dependencies["subnets"]]
    assert sorted(subnets) == ["prod-private-0", "prod-private-1"]
    assert plan.of_type("aws:ec2/internetGateway:InternetGateway")
    assert plan.one("aws:cloudfront/vpcOrigin:VpcOrigin", "web-vpc-origin")
    assert violations(plan, VPC_ORIGIN_POLICY) == []


# cloudfront-origin-certificate-matches-domain


def test_cdn_refuses_an_https_origin_whose_certificate_cannot_cover_the_name_it_connects_to(
    preview_refusals,
) -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

    def setup() -> StatelessService:
        net = Network("prod", {})
        cluster = FargateCluster(
            "edge", {"network": net, "behind_cdn": True, "certificate_arn": arn}
        )
        return StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})

    cases = [("guess", {}), ("named", {"api_origin_domain": "origin.example.com"})]
    plan, errors = preview_refusals(
        setup, lambda api, _, case: CdnFrontend(case[0], {"api_origin": api, **case[1]}), cases
    )
    assert_cites(errors[0], ORIGIN_CERTIFICATE_MATCHES_DOMAIN, "api_origin='api'")
    assert not [r for r in plan.resources if r.name.startswith("guess")]
    assert 1 not in errors, errors.get(1)
    vpc_origin = plan.one("aws:cloudfront/vpcOrigin:VpcOrigin", "named-vpc-origin")
    endpoint = vpc_origin.inputs["vpcOriginEndpointConfig"]
    assert endpoint["originProtocolPolicy"] == "https-only"
    origin = plan.one(DISTRIBUTION, "named-distribution").inputs["origins"][0]
    assert origin["domainName"] == "origin.example.com"


# cloudfront-vpc-origin-region


def _fargate_behind_cdn(extra: dict) -> None:
    net = Network("prod", {"az_count": 2})
    FargateCluster("edge", {"network": net, "behind_cdn": True, **extra})


@pytest.mark.parametrize("extra", [{}, {"origin_access": "vpc-origin"}])
@pytest.mark.parametrize("region", ["ap-southeast-6", "cn-north-1", "us-gov-west-1"])
def test_fargate_refuses_a_vpc_origin_where_cloudfront_offers_none(
    region: str, extra: dict
) -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            _fargate_behind_cdn(extra)
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program, config={"aws:region": region})
    (message,) = errors
    assert message.startswith("FargateCluster 'edge': origin_access='vpc-origin'"), message
    assert region in message
    assert_cites(message, VPC_ORIGIN_REGION, "origin_access")
    assert "public-with-header" in message
    assert ("default" in message) == (not extra)
    assert not [r for r in plan.resources if r.name.startswith("edge")]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-7", "mx-central-1"])
def test_fargate_builds_its_vpc_origin_path_where_cloudfront_offers_it(region: str) -> None:
    plan = preview(lambda: _fargate_behind_cdn({}), config={"aws:region": region})
    assert plan.one("aws:lb/loadBalancer:LoadBalancer", "edge-alb").inputs["internal"] is True


def test_the_public_path_needs_no_vpc_origin_and_is_accepted_anywhere() -> None:
    plan = preview(
        lambda: _fargate_behind_cdn({"origin_access": "public-with-header"}),
        config={"aws:region": "ap-southeast-6"},
    )
    assert plan.one("aws:lb/loadBalancer:LoadBalancer", "edge-alb").inputs["internal"] is False


def test_cloudfront_alternate_name_one_distribution_in_a_cutover(preview_refusals):
    """TrafficCutover refuses two CloudFront distributions on one name (only one can hold
    it) and accepts a distribution weighed against an address."""
    from gridops_infra import TrafficCutover

    from .refusals import assert_cites

    cloudfront = {"dns_name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}
    base = {
        "zone_id": "Z0123456789ABCDEFGHIJ",
        "record_name": "shop.example.com",
        "new": {"alias": cloudfront},
        "weight_percent": 0,
    }
    olds = [{"alias": {**cloudfront, "dns_name": "d2.cloudfront.net"}}, {"ip": "203.0.113.10"}]

    def make(_, i, old):
        TrafficCutover(f"cut{i}", {**base, "old": old})

    plan, errors = preview_refusals(lambda: None, make, olds)
    assert_cites(errors.get(0), "cloudfront-alternate-name-one-distribution", "old/new")
    assert not [r for r in plan.resources if r.name.startswith("cut0")]
    assert 1 not in errors and [r for r in plan.resources if r.name == "cut1-new-record"]


def test_the_eks_cdn_default_builds_a_vpc_origin_the_policy_passes() -> None:
    """The same on EKS: behind a CDN the cluster creates an internal ALB in the private
    subnets, and the CdnFrontend's VPC origin points at it."""
    from gridops_infra import EksCluster

    def program() -> None:
        net = Network("prod", {})
        cluster = EksCluster("edge", {"network": net, "behind_cdn": True})
        api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
        CdnFrontend("web", {"api_origin": api})

    plan = preview(program)
    alb = plan.one("aws:lb/loadBalancer:LoadBalancer", "edge-alb")
    assert alb.inputs["internal"] is True
    subnets = [urn.rsplit("::", 1)[-1] for urn in alb.property_dependencies["subnets"]]
    assert sorted(subnets) == ["prod-private-0", "prod-private-1"]
    origin = plan.one("aws:cloudfront/vpcOrigin:VpcOrigin", "web-vpc-origin")
    assert origin.inputs["vpcOriginEndpointConfig"]["arn"] == alb.outputs["arn"]
    assert violations(plan, VPC_ORIGIN_POLICY) == []
