"""A custom domain (us-east-1 certificate, TLS 1.2 minimum, A and AAAA aliases) and the
WAF web ACL (CLOUDFRONT scope in us-east-1), both through an explicit us-east-1 provider
while the stack runs in another region."""

from __future__ import annotations

import pulumi
import pytest
from cdn_programs import API_IMAGE, DISTRIBUTION, ZONE, distribution

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.cdn.waf import BODY_SIZE_RULE, COMMON_RULE_SET
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.policy import check_plan
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

PROVIDER = "pulumi:providers:aws"


def _program() -> None:
    cluster = FargateCluster(
        "prod",
        {
            "network": Network("prod", {}),
            "behind_cdn": True,
            "domain": "app.example.com",
            "zone_id": ZONE,
        },
    )
    api = StatelessService("api", {"platform": cluster, "image": API_IMAGE})
    cdn = CdnFrontend(
        "web",
        {
            "api_origin": api,
            "domain": "www.example.com",
            "zone_id": ZONE,
            "waf": True,
            "waf_rate_limit": 500,
            "price_class": "PriceClass_200",
        },
    )
    CdnFrontend("docs", {"static_site": True, "waf": True, "access_logs": False})
    pulumi.export("url", cdn.url)
    pulumi.export("web_acl_arn", cdn.web_acl_arn)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate", config={"aws:region": "eu-west-1"})


@pytest.fixture(scope="module")
def provider(plan):
    return plan.one(PROVIDER, "web-us-east-1")


def _provider_ref(provider) -> str:
    return f"{provider.urn}::{provider.id}"


def test_a_us_east_1_provider_serves_the_cdn(provider):
    assert provider.inputs["region"] == "us-east-1"


def test_the_certificate_lives_in_us_east_1_and_is_dns_validated(plan, provider):
    cert = plan.one("aws:acm/certificate:Certificate", "web-certificate")
    assert cert.provider == _provider_ref(provider)
    assert cert.inputs["domainName"] == "www.example.com"
    assert cert.inputs["validationMethod"] == "DNS"
    assert cert.outputs["arn"].startswith("arn:aws:acm:us-east-1:")
    validation = plan.one(
        "aws:acm/certificateValidation:CertificateValidation", "web-cert-validation"
    )
    assert validation.provider == _provider_ref(provider)
    record = plan.one("aws:route53/record:Record", "web-cert-validation-record")
    assert record.inputs["zoneId"] == ZONE
    assert record.provider is None  # Route 53 is global: the default provider
    assert record.urn in validation.dependencies
    assert validation.inputs["certificateArn"] == cert.outputs["arn"]


def test_viewers_need_tls_1_2_on_the_custom_domain(plan):
    inputs = distribution(plan)
    cert = plan.one("aws:acm/certificate:Certificate", "web-certificate")
    assert inputs["aliases"] == ["www.example.com"]
    assert inputs["viewerCertificate"] == {
        "acmCertificateArn": cert.outputs["arn"],
        "sslSupportMethod": "sni-only",
        "minimumProtocolVersion": "TLSv1.2_2021",
    }
    assert inputs["priceClass"] == "PriceClass_200"
    assert plan.outputs["url"] == "https://www.example.com"


def test_the_domain_has_ipv4_and_ipv6_aliases_to_the_distribution(plan):
    dist = plan.one(DISTRIBUTION, "web-distribution")
    records = {
        r.inputs["type"]: r
        for r in plan.of_type("aws:route53/record:Record")
        if r.name in ("web-alias-a", "web-alias-aaaa")
    }
    assert set(records) == {"A", "AAAA"}
    for record in records.values():
        assert record.inputs["zoneId"] == ZONE and record.inputs["name"] == "www.example.com"
        assert record.inputs["aliases"] == [
            {
                "name": dist.outputs["domainName"],
                "zoneId": "Z2FDTNDATAQYW2",
                "evaluateTargetHealth": False,
            }
        ]


def test_the_web_acl_is_cloudfront_scoped_in_us_east_1_and_attached(plan, provider):
    acl = plan.one("aws:wafv2/webAcl:WebAcl", "web-waf")
    assert acl.provider == _provider_ref(provider)
    assert acl.inputs["scope"] == "CLOUDFRONT"
    assert acl.inputs["defaultAction"] == {"allow": {}}
    assert acl.outputs["arn"].startswith("arn:aws:wafv2:us-east-1:")
    assert distribution(plan)["webAclId"] == acl.outputs["arn"] == plan.outputs["web_acl_arn"]


def test_the_web_acl_runs_the_common_rules_and_a_rate_limit(plan):
    rules = {r["name"]: r for r in plan.one("aws:wafv2/webAcl:WebAcl", "web-waf").inputs["rules"]}
    common = rules["aws-common-rule-set"]
    group = common["statement"]["managedRuleGroupStatement"]
    assert (group["name"], group["vendorName"]) == (COMMON_RULE_SET, "AWS")
    assert common["overrideAction"] == {"none": {}}
    # with an API behind it, large request bodies are counted, not blocked
    assert group["ruleActionOverrides"] == [{"name": BODY_SIZE_RULE, "actionToUse": {"count": {}}}]
    rate = rules["rate-limit-per-ip"]
    assert rate["action"] == {"block": {}}
    assert rate["statement"]["rateBasedStatement"] == {
        "limit": 500,
        "aggregateKeyType": "IP",
        "evaluationWindowSec": 300,
    }
    for rule in rules.values():
        assert rule["visibilityConfig"]["cloudwatchMetricsEnabled"] is True


def test_a_static_only_acl_keeps_the_body_size_rule_blocking(plan):
    rules = {r["name"]: r for r in plan.one("aws:wafv2/webAcl:WebAcl", "docs-waf").inputs["rules"]}
    group = rules["aws-common-rule-set"]["statement"]["managedRuleGroupStatement"]
    assert "ruleActionOverrides" not in group


def test_without_access_logs_no_log_bucket_exists(plan):
    assert "loggingConfig" not in distribution(plan, "docs")
    assert not [r for r in plan.of_type("aws:s3/bucket:Bucket") if r.name.startswith("docs-logs")]


def test_policy_pack_accepts_the_custom_domain_tls(plan):
    report = check_plan(plan)
    assert report.of_rule("cloudfront-minimum-tls") == []
    assert [
        v for v in report.mandatory_failures if (v.resource_name or "").startswith(("web", "docs"))
    ] == []
