"""The DESIGN contract call `CdnFrontend("web", {"api_origin": api})` and `cdn.url`: an
HTTPS-only distribution in front of the cluster's ALB, caching off for the API, security
headers, access logs, metrics in us-east-1."""

from __future__ import annotations

import pulumi
import pytest
from cdn_programs import (
    ALL_METHODS,
    ALL_VIEWER_EXCEPT_HOST,
    API_IMAGE,
    CACHING_DISABLED,
    DISTRIBUTION,
    behaviors,
    distribution,
    ingress_of,
    origins,
)

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.observability.golden_signals import golden_signal_specs
from gridops_infra.platforms import FargateCluster
from gridops_infra.policy import check_plan
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

SEEN: dict[str, CdnFrontend] = {}


def _program() -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = FargateCluster("prod", {"network": net})
    api = StatelessService(
        "api",
        {
            "platform": cluster,
            "image": API_IMAGE,
            "port": 8080,
            "min_count": 2,
            "max_count": 20,
            "health_check_path": "/healthz",
        },
    )
    cdn = CdnFrontend("web", {"api_origin": api})
    SEEN["cdn"] = cdn
    pulumi.export("url", cdn.url)
    pulumi.export("alb_dns", cluster.alb.dns_name)
    pulumi.export(
        "metric_dimensions",
        {"5xx": cdn.metric_5xx_rate().dimensions, "hits": cdn.metric_cache_hit_rate().dimensions},
    )


@pytest.fixture(scope="module")
def plan():
    SEEN.clear()
    return preview(_program, stack="fargate")


def test_url_is_the_cloudfront_name_over_https(plan):
    record = plan.one(DISTRIBUTION, "web-distribution")
    assert plan.outputs["url"] == f"https://{record.outputs['domainName']}"
    assert record.outputs["domainName"].endswith(".cloudfront.net")


def test_the_alb_is_a_custom_origin_over_http_without_a_certificate(plan):
    api = origins(plan)["api"]
    assert api["domainName"] == plan.outputs["alb_dns"]
    config = api["customOriginConfig"]
    assert config["originProtocolPolicy"] == "http-only"
    assert config["originSslProtocols"] == ["TLSv1.2"]
    assert "customHeaders" not in api  # the cluster is not behind_cdn: no origin secret


def test_api_behavior_disables_caching_and_forwards_all_but_host(plan):
    default = behaviors(plan)["default"]
    assert default["targetOriginId"] == "api"
    assert default["cachePolicyId"] == CACHING_DISABLED
    assert default["originRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert default["allowedMethods"] == ALL_METHODS
    assert default["cachedMethods"] == ["GET", "HEAD"]
    assert default["viewerProtocolPolicy"] == "redirect-to-https"
    assert default["compress"] is True


def test_distribution_speaks_http3_over_ipv6_from_the_cheapest_edges(plan):
    inputs = distribution(plan)
    assert inputs["enabled"] is True
    assert inputs["httpVersion"] == "http2and3"
    assert inputs["isIpv6Enabled"] is True
    assert inputs["priceClass"] == "PriceClass_100"
    assert inputs["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert "defaultRootObject" not in inputs  # the default origin is the API


def test_security_headers_policy_on_every_behavior(plan):
    policy = plan.one(
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "web-security-headers"
    )
    headers = policy.inputs["securityHeadersConfig"]
    assert headers["strictTransportSecurity"] == {
        "accessControlMaxAgeSec": 31_536_000,
        "includeSubdomains": True,
        "preload": True,
        "override": True,
    }
    assert headers["contentTypeOptions"] == {"override": True}
    assert headers["frameOptions"] == {"frameOption": "DENY", "override": True}
    assert headers["referrerPolicy"] == {
        "referrerPolicy": "strict-origin-when-cross-origin",
        "override": True,
    }
    for behavior in behaviors(plan).values():
        assert behavior["responseHeadersPolicyId"] == policy.id


def test_access_logs_go_to_an_acl_enabled_expiring_bucket(plan):
    bucket = plan.one("aws:s3/bucket:Bucket", "web-logs")
    logging = distribution(plan)["loggingConfig"]
    assert logging == {
        "bucket": bucket.outputs["bucketDomainName"],
        "prefix": "cloudfront/",
        "includeCookies": False,
    }
    ownership = plan.one(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "web-logs-ownership"
    )
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerPreferred"}
    lifecycle = plan.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "web-logs-lifecycle"
    )
    assert lifecycle.inputs["rules"][0]["expiration"] == {"days": 90}
    block = plan.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "web-logs-public-access-block"
    )
    assert all(
        block.inputs[f]
        for f in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    dist = plan.one(DISTRIBUTION, "web-distribution")
    policy = plan.one("aws:s3/bucketPolicy:BucketPolicy", "web-logs-policy")
    assert policy.urn in dist.dependencies and ownership.urn in dist.dependencies


def test_outputs_are_registered(plan):
    record = next(r for r in plan.resources if r.type == "gridops:aws:CdnFrontend")
    dist = plan.one(DISTRIBUTION, "web-distribution")
    assert record.outputs["url"] == plan.outputs["url"]
    assert record.outputs["domain_name"] == dist.outputs["domainName"]
    assert record.outputs["distribution_id"] == dist.id
    assert record.outputs["distribution_arn"] == dist.outputs["arn"]
    assert dist.outputs["arn"] == f"arn:aws:cloudfront::123456789012:distribution/{dist.id}"


def test_metrics_are_cloudfront_global_in_us_east_1(plan):
    cdn = SEEN["cdn"]
    errors, hits = cdn.metric_5xx_rate(), cdn.metric_cache_hit_rate()
    assert (errors.namespace, errors.name, errors.region) == (
        "AWS/CloudFront",
        "5xxErrorRate",
        "us-east-1",
    )
    assert (hits.name, hits.region, hits.unit) == ("CacheHitRate", "us-east-1", "Percent")
    dist_id = plan.one(DISTRIBUTION, "web-distribution").id
    dims = {"DistributionId": dist_id, "Region": "Global"}
    assert plan.outputs["metric_dimensions"] == {"5xx": dims, "hits": dims}
    subscription = plan.one(
        "aws:cloudfront/monitoringSubscription:MonitoringSubscription", "web-additional-metrics"
    )
    assert subscription.inputs["distributionId"] == dist_id
    assert subscription.inputs["monitoringSubscription"] == {
        "realtimeMetricsSubscriptionConfig": {"realtimeMetricsSubscriptionStatus": "Enabled"}
    }
    (spec,) = golden_signal_specs(cdn)
    assert spec.key == "web.5xx-rate" and spec.metric is not None
    assert spec.metric.region == "us-east-1"


def test_a_cluster_not_behind_the_cdn_stays_open_and_the_preview_warns(plan):
    assert ingress_of(plan, "prod-alb-in") == [(80, "0.0.0.0/0", None)]
    warnings = [text for level, text in plan.diagnostics if level == "warning"]
    assert any("FargateCluster 'prod' is not behind_cdn" in w for w in warnings), warnings


def test_policy_pack_finds_nothing_wrong_with_the_cdn(plan):
    report = check_plan(plan)
    mine = [v for v in report.violations if (v.resource_name or "").startswith("web")]
    # The cluster has no domain, so the origin is HTTP: advised, not refused.
    assert [(v.rule, v.severity) for v in mine] == [("cloudfront-origin-https", "advisory")]
    for rule in (
        "cloudfront-viewer-https",
        "cloudfront-minimum-tls",
        "cloudfront-security-headers",
    ):
        assert report.of_rule(rule) == []


def test_cache_hit_rate_needs_additional_metrics():
    """Without them CloudFront never publishes the metric: an alarm on it would stay empty."""
    seen: dict[str, CdnFrontend] = {}

    def program() -> None:
        seen["cdn"] = CdnFrontend("docs", {"static_site": True, "additional_metrics": False})

    preview(program)
    with pytest.raises(
        ValueError, match="metric_cache_hit_rate\\(\\) needs additional_metrics=True"
    ):
        seen["cdn"].metric_cache_hit_rate()
