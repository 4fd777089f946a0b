"""CdnFrontend: a CloudFront distribution in front of an API service and/or a private
S3 static site."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.cdn import behaviors as cdn_behaviors
from gridops_infra.cdn import domain as cdn_domain
from gridops_infra.cdn import logs as cdn_logs
from gridops_infra.cdn import static as cdn_static
from gridops_infra.cdn import vpc_origin as cdn_vpc_origin
from gridops_infra.cdn import waf as cdn_waf
from gridops_infra.cdn.args import CdnFrontendArgs, CdnSettings, read_settings
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgReader, check_name

COMPONENT = "CdnFrontend"
CLOUDFRONT_NAMESPACE = "AWS/CloudFront"
MINIMUM_TLS = "TLSv1.2_2021"


class CdnFrontend(GridopsComponent):
    """A CloudFront distribution: HTTPS-only viewers (HTTP redirects), HTTP/2 and HTTP/3,
    IPv6, compression, security headers (HSTS one year with subdomains and preload,
    nosniff, frame DENY, strict-origin-when-cross-origin), access logs to an S3 bucket
    with expiry, `PriceClass_100` by default.

    Origins (see gridops_infra.cdn.behaviors): `api_origin`, a StatelessService on a
    FargateCluster, an EksCluster or a SingleServer, reached at the ALB it shares with
    caching off (on a FargateCluster or an EksCluster `behind_cdn`, by default an internal
    ALB reached through a CloudFront VPC origin inside the VPC; on EKS with
    `"public-with-header"` the Load Balancer Controller's internet-facing ALB, looked up
    once its Ingress exists; on a SingleServer the host's proxy); `static_site`, a
    private, encrypted, versioned bucket only this distribution may read (Origin Access
    Control; the bucket policy names this distribution's ARN as `AWS:SourceArn`),
    optionally filled from `static_dir`. `routes` send path patterns to either.

    Locking the origin to CloudFront is the platform's job, because its ingress and the
    services' routes exist before the CDN: create the cluster (or server) with
    `{"behind_cdn": True}` and it admits only CloudFront's origin-facing prefix list; a
    FargateCluster or an EksCluster then puts its ALB off the internet (`origin_access:
    "vpc-origin"`), while a public origin (a SingleServer, or a cluster with
    `"public-with-header"`) requires
    the secret `X-Origin-Verify` header this distribution sends (without it: 403 on
    Fargate and on a SingleServer, the Load Balancer Controller's 404 on EKS).
    Without it the distribution works, but the origin stays reachable directly: a warning
    says so.

    `domain` + `zone_id`: certificate in us-east-1, TLS 1.2 (TLSv1.2_2021) minimum, alias
    A and AAAA records. `waf`: a web ACL with the AWS common rule set and a per-IP rate
    limit.

    Example: `CdnFrontend("web", {"api_origin": api})`; then `cdn.url`.
    """

    TYPE = "gridops:aws:CdnFrontend"
    CHILD_ROLES = (
        "distribution",
        "monitoring_subscription",
        *cdn_behaviors.ROLES,
        *cdn_static.ROLES,
        *cdn_vpc_origin.ROLES,
        *cdn_logs.ROLES,
        *cdn_domain.ROLES,
        *cdn_waf.ROLES,
    )

    settings: CdnSettings
    """The validated settings."""
    distribution: aws.cloudfront.Distribution
    """The CloudFront distribution."""
    vpc_origin: aws.cloudfront.VpcOrigin | None
    """The VPC origin to the API's internal load balancer, when it has one."""
    url: pulumi.Output[str]
    """`https://<domain>`, else `https://<id>.cloudfront.net`."""
    domain_name: pulumi.Output[str]
    """The distribution's `dxxxx.cloudfront.net` name."""
    distribution_id: pulumi.Output[str]
    """The distribution id (the `DistributionId` metric dimension)."""
    distribution_arn: pulumi.Output[str]
    """The distribution ARN (what the static bucket's policy admits)."""
    static_bucket_name: pulumi.Output[str] | None
    """The static site's bucket (deploy your build there), when there is one."""
    static_bucket_policy_document: pulumi.Output[str] | None
    """The static bucket's policy JSON (for review and tests)."""
    log_bucket_name: pulumi.Output[str] | None
    """The access-log bucket, when access logs are on."""
    web_acl_arn: pulumi.Output[str] | None
    """The WAF web ACL, when `waf` is on."""

    def __init__(
        self,
        name: str,
        args: CdnFrontendArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        a = ArgReader(COMPONENT, name, args, CdnFrontendArgs.__annotations__)
        settings = read_settings(a)
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self.settings = settings
        if settings.api is not None and settings.api.cluster.kind == "express":
            pulumi.log.warn(
                f"CdnFrontend '{name}': ExpressCluster '{settings.api.cluster.name}' lets ECS "
                "own its load balancer's security group, so the service's own endpoint stays "
                "reachable without CloudFront (and its WAF); move to a FargateCluster with "
                "behind_cdn to close it",
                resource=self,
            )
        elif settings.api is not None and not settings.api.cluster.behind_cdn:
            pulumi.log.warn(
                f"CdnFrontend '{name}': {type(settings.api.cluster).__name__} "
                f"'{settings.api.cluster.name}' is not behind_cdn, so its origin stays "
                "reachable without CloudFront (and its WAF); create it with "
                '{"behind_cdn": True}',
                resource=self,
            )

        headers = cdn_behaviors.security_headers_policy(self)
        policies = cdn_behaviors.managed_policies()
        default, ordered = cdn_behaviors.behaviors(settings, policies, headers.id)
        self.vpc_origin = None
        origins = []
        if settings.api is not None:
            if settings.api.vpc_origin_arn is not None:
                self.vpc_origin = cdn_vpc_origin.vpc_origin(
                    self, settings.api.vpc_origin_arn, settings.api.https
                )
            vpc_origin_id = self.vpc_origin.id if self.vpc_origin is not None else None
            origins.append(cdn_behaviors.api_origin(settings.api, vpc_origin_id))
        site = cdn_static.static_bucket(self) if settings.static_site else None
        if site is not None:
            origins += cdn_behaviors.static_origins(
                site.bucket, site.origin_access_control, settings.failover_origin
            )

        provider = cdn_domain.us_east_1_provider(self) if settings.domain or settings.waf else None
        distribution_args: dict[str, Any] = {
            "enabled": True,
            "comment": f"{name}: gridops CdnFrontend",
            "origins": origins,
            "origin_groups": cdn_behaviors.origin_groups(settings.failover_origin),
            "default_cache_behavior": default,
            "ordered_cache_behaviors": ordered,
            "http_version": "http2and3",
            "is_ipv6_enabled": True,
            "price_class": settings.price_class,
            "restrictions": {"geo_restriction": {"restriction_type": "none"}},
            "viewer_certificate": {"cloudfront_default_certificate": True},
        }
        if settings.default_origin == "static":
            distribution_args["default_root_object"] = settings.index_document
        if settings.domain and settings.zone_id and provider is not None:
            distribution_args["aliases"] = [settings.domain]
            distribution_args["viewer_certificate"] = {
                "acm_certificate_arn": cdn_domain.certificate(
                    self, settings.domain, settings.zone_id, provider
                ),
                "ssl_support_method": "sni-only",
                "minimum_protocol_version": MINIMUM_TLS,
            }
        self.web_acl_arn = None
        if settings.waf and provider is not None:
            acl = cdn_waf.web_acl(self, settings.waf_rate_limit, settings.api is not None, provider)
            self.web_acl_arn = acl.arn
            distribution_args["web_acl_id"] = acl.arn
        waits_for: list[pulumi.Resource] = []
        self.log_bucket_name = None
        if settings.access_logs:
            logs, ready = cdn_logs.log_bucket(
                self, settings.access_log_retention_days, site.bucket if site else None
            )
            waits_for += ready
            self.log_bucket_name = logs.bucket
            distribution_args["logging_config"] = {
                "bucket": logs.bucket_domain_name,
                "prefix": cdn_logs.LOG_PREFIX,
                "include_cookies": False,
            }

        self.distribution = self.child(
            "distribution",
            aws.cloudfront.Distribution,
            distribution_args,
            opts=pulumi.ResourceOptions(depends_on=waits_for),
        )
        self.domain_name = self.distribution.domain_name
        self.distribution_id = self.distribution.id
        self.distribution_arn = self.distribution.arn
        if settings.domain and settings.zone_id:
            if settings.alias_records:
                cdn_domain.alias_records(self, settings.domain, settings.zone_id, self.distribution)
            self.url = pulumi.Output.from_input(f"https://{settings.domain}")
        else:
            self.url = self.distribution.domain_name.apply(lambda d: f"https://{d}")

        self.static_bucket_name = None
        self.static_bucket_policy_document = None
        if site is not None:
            self.static_bucket_name = site.bucket.bucket
            self.static_bucket_policy_document = cdn_static.bucket_policy(
                self, site.bucket, self.distribution.arn
            )
            if settings.static_dir is not None:
                cdn_static.upload(self, site.bucket, settings.static_dir)
        if settings.additional_metrics:
            self.child(
                "monitoring_subscription",
                aws.cloudfront.MonitoringSubscription,
                {
                    "distribution_id": self.distribution.id,
                    "monitoring_subscription": {
                        "realtime_metrics_subscription_config": {
                            "realtime_metrics_subscription_status": "Enabled"
                        }
                    },
                },
                suffix="additional-metrics",
            )

        self.register_outputs(
            {
                "url": self.url,
                "domain_name": self.domain_name,
                "distribution_id": self.distribution_id,
                "distribution_arn": self.distribution_arn,
                "static_bucket_name": self.static_bucket_name,
                "log_bucket_name": self.log_bucket_name,
                "web_acl_arn": self.web_acl_arn,
            }
        )

    def _metric(self, name: str, label: str) -> Metric:
        return Metric(
            CLOUDFRONT_NAMESPACE,
            name,
            {"DistributionId": self.distribution_id, "Region": "Global"},
            "Average",
            60,
            "Percent",
            label,
            region=cdn_domain.CLOUDFRONT_REGION,
        )

    def metric_5xx_rate(self) -> Metric:
        """Percent of viewer requests answered 5xx (`5xxErrorRate`, Average; us-east-1)."""
        return self._metric("5xxErrorRate", "5xx error rate")

    def metric_cache_hit_rate(self) -> Metric:
        """Percent of cacheable requests served from the cache (`CacheHitRate`, Average;
        us-east-1; needs `additional_metrics`, which is on by default)."""
        if not self.settings.additional_metrics:
            raise ValueError(
                f"CdnFrontend '{self.name}': metric_cache_hit_rate() needs "
                "additional_metrics=True; CloudFront publishes CacheHitRate only then, so an "
                "alarm on it would never see data"
            )
        return self._metric("CacheHitRate", "cache hit rate")


__all__ = ["CdnFrontend", "CdnFrontendArgs"]
