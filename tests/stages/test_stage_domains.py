"""`gridops:domain` with `gridops:zone_id`: every stage then serves HTTPS at the domain,
and CloudFront reaches its origin over HTTPS at `origin.<domain>`, never plain HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridops_infra.testing import Plan, preview, reveal
from stacks.config import StageConfigError
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]
ZONE = "Z0123456789ABCDEFGHIJ"
DOMAIN = {"domain": "App.Acme.io", "zone_id": ZONE}
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CERTIFICATE = "aws:acm/certificate:Certificate"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"


@pytest.fixture(scope="module", params=["fargate", "eks"])
def cdn_stage(request) -> tuple[str, Plan]:
    return request.param, preview(ROOT, stack=request.param, config=DOMAIN)


def _api_origin(plan: Plan) -> dict:
    origins = reveal(plan.one(DISTRIBUTION).inputs["origins"])
    return next(o for o in origins if o["originId"] == "api")


def test_cloudfront_serves_the_domain_with_tls_1_2(cdn_stage) -> None:
    _, plan = cdn_stage
    dist = plan.one(DISTRIBUTION).inputs
    assert dist["aliases"] == ["app.acme.io"]
    assert dist["viewerCertificate"]["minimumProtocolVersion"] == "TLSv1.2_2021"
    assert plan.outputs["url"] == "https://app.acme.io"


def _origin_protocol(plan: Plan, origin: dict) -> str:
    """The API origin's protocol: the VPC origin's, else the custom origin's."""
    if "vpcOriginConfig" in origin:
        (vpc_origin,) = plan.of_type(VPC_ORIGIN)
        return vpc_origin.inputs["vpcOriginEndpointConfig"]["originProtocolPolicy"]
    return origin["customOriginConfig"]["originProtocolPolicy"]


def test_the_origin_is_reached_over_https_at_its_own_name(cdn_stage) -> None:
    stage, plan = cdn_stage
    origin = _api_origin(plan)
    assert origin["domainName"] == "origin.app.acme.io"
    assert "vpcOriginConfig" in origin, stage  # both stages reach an internal ALB
    assert _origin_protocol(plan, origin) == "https-only"
    names = {r.inputs["domainName"] for r in plan.of_type(CERTIFICATE)}
    assert names == {"app.acme.io", "origin.app.acme.io"}


@pytest.mark.parametrize("stage", ["fargate", "eks"])
def test_without_a_domain_the_stage_reaches_its_internal_alb_over_http_inside_the_vpc(
    stage: str,
) -> None:
    plan = stage_plan(stage)
    origin = _api_origin(plan)
    assert "customOriginConfig" not in origin and "customHeaders" not in origin
    assert _origin_protocol(plan, origin) == "http-only"
    assert plan.one("aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is True


def test_the_fargate_stage_keeps_the_public_origin_as_an_option() -> None:
    plan = preview(ROOT, stack="fargate", config={"origin_access": "public-with-header"})
    origin = _api_origin(plan)
    assert plan.of_type(VPC_ORIGIN) == []
    assert origin["customOriginConfig"]["originProtocolPolicy"] == "http-only"
    assert [h["name"] for h in origin["customHeaders"]] == ["X-Origin-Verify"]
    assert plan.one("aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is False


def test_the_eks_stage_keeps_the_public_ingress_as_an_option() -> None:
    plan = preview(ROOT, stack="eks", config={"origin_access": "public-with-header"})
    origin = _api_origin(plan)
    assert plan.of_type(VPC_ORIGIN) == []
    assert plan.of_type("aws:lb/loadBalancer:LoadBalancer") == []
    assert origin["customOriginConfig"]["originProtocolPolicy"] == "http-only"
    assert [h["name"] for h in origin["customHeaders"]] == ["X-Origin-Verify"]
    (ingress,) = plan.of_type("kubernetes:networking.k8s.io/v1:Ingress")
    notes = reveal(ingress.inputs["metadata"])["annotations"]
    assert notes["alb.ingress.kubernetes.io/scheme"] == "internet-facing"


@pytest.mark.parametrize("stage", ["fargate", "eks"])
def test_the_alb_admits_cloudfront_and_its_vpc_origin_on_443_only(stage: str) -> None:
    plan = preview(ROOT, stack=stage, config=DOMAIN)
    rules = [r.inputs for r in plan.of_type(INGRESS_RULE) if r.name.startswith("prod-alb-in")]
    assert [
        (r["fromPort"], r.get("cidrIpv4"), r.get("prefixListId") is not None) for r in rules
    ] == [(443, None, True), (443, "10.0.0.0/16", False)]


def test_single_server_serves_https_at_the_domain() -> None:
    plan = preview(ROOT, stack="single-server", config=DOMAIN)
    assert plan.outputs["url"] == "https://app.acme.io"
    ports = sorted(r.inputs["fromPort"] for r in plan.of_type(INGRESS_RULE) if "-in-" in r.name)
    assert ports == [80, 443]  # 80 for the ACME challenge and the redirect


@pytest.mark.parametrize("given", ["domain", "zone_id"])
def test_domain_and_zone_go_together(given: str) -> None:
    missing = "zone_id" if given == "domain" else "domain"
    with pytest.raises(StageConfigError, match=f"gridops:{missing} is missing"):
        preview(ROOT, stack="fargate", config={given: DOMAIN[given]})
