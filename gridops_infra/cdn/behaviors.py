"""CdnFrontend's origins and cache behaviors, and the security-headers policy every
behavior attaches.

- API origin (the ALB of the service's FargateCluster or EksCluster): CachingDisabled,
  every viewer header but Host forwarded (AllViewerExceptHostHeader), all HTTP methods;
  an internal ALB through a VPC origin, else a custom origin with the `X-Origin-Verify`
  secret header when the cluster is `behind_cdn`.
- Static origin (the S3 bucket through Origin Access Control): CachingOptimized, GET/HEAD/
  OPTIONS; with `failover_origin`, an origin group falls over to it on 5xx.
- Every behavior: viewers redirected to HTTPS, compression on, security headers (HSTS one
  year with subdomains and preload, nosniff, frame DENY, strict-origin-when-cross-origin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.cdn.args import ApiOrigin, CdnSettings
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.fargate.component import ORIGIN_VERIFY_HEADER

ROLES = ("response_headers_policy",)
HSTS_MAX_AGE_SECONDS = 31_536_000  # one year
ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
READ_METHODS = ["GET", "HEAD", "OPTIONS"]
CACHED_METHODS = ["GET", "HEAD"]
FAILOVER_STATUS_CODES = [500, 502, 503, 504]
API, STATIC, STATIC_FAILOVER, STATIC_GROUP = "api", "static", "static-failover", "static-group"


@dataclass(frozen=True)
class ManagedPolicies:
    caching_disabled: str
    caching_optimized: str
    all_viewer_except_host: str


def managed_policies() -> ManagedPolicies:
    """The AWS managed cache and origin request policies, looked up by name."""
    return ManagedPolicies(
        caching_disabled=aws.cloudfront.get_cache_policy(name="Managed-CachingDisabled").id or "",
        caching_optimized=aws.cloudfront.get_cache_policy(name="Managed-CachingOptimized").id or "",
        all_viewer_except_host=aws.cloudfront.get_origin_request_policy(
            name="Managed-AllViewerExceptHostHeader"
        ).id
        or "",
    )


def security_headers_policy(owner: GridopsComponent) -> aws.cloudfront.ResponseHeadersPolicy:
    return owner.child(
        "response_headers_policy",
        aws.cloudfront.ResponseHeadersPolicy,
        {
            "comment": f"{owner.name}: HSTS, nosniff, frame DENY, strict referrer",
            "security_headers_config": {
                "strict_transport_security": {
                    "access_control_max_age_sec": HSTS_MAX_AGE_SECONDS,
                    "include_subdomains": True,
                    "preload": True,
                    "override": True,
                },
                "content_type_options": {"override": True},
                "frame_options": {"frame_option": "DENY", "override": True},
                "referrer_policy": {
                    "referrer_policy": "strict-origin-when-cross-origin",
                    "override": True,
                },
            },
        },
        suffix="security-headers",
    )


def api_origin(api: ApiOrigin, vpc_origin_id: pulumi.Input[str] | None = None) -> dict[str, Any]:
    """The ALB as an origin: through the VPC origin `vpc_origin_id` when given (the
    protocol is the VPC origin's), else a custom origin, HTTPS-only when it has a
    certificate for the name CloudFront connects to, else HTTP-only (see
    CdnFrontendArgs.api_origin). `domain_name` is the name CloudFront sends as Host and,
    over HTTPS, checks the certificate against."""
    if vpc_origin_id is not None:
        return {
            "origin_id": API,
            "domain_name": api.domain_name,
            "vpc_origin_config": {"vpc_origin_id": vpc_origin_id},
        }
    origin: dict[str, Any] = {
        "origin_id": API,
        "domain_name": api.domain_name,
        "custom_origin_config": {
            "http_port": 80,
            "https_port": 443,
            "origin_protocol_policy": "https-only" if api.https else "http-only",
            "origin_ssl_protocols": ["TLSv1.2"],
        },
    }
    secret = api.cluster.origin_verify_secret
    if secret is not None:
        origin["custom_headers"] = [{"name": ORIGIN_VERIFY_HEADER, "value": secret}]
    return origin


def static_origins(
    bucket: aws.s3.Bucket, oac: aws.cloudfront.OriginAccessControl, failover: str | None
) -> list[dict[str, Any]]:
    origins: list[dict[str, Any]] = [
        {
            "origin_id": STATIC,
            "domain_name": bucket.bucket_regional_domain_name,
            "origin_access_control_id": oac.id,
        }
    ]
    if failover:
        origins.append(
            {
                "origin_id": STATIC_FAILOVER,
                "domain_name": failover,
                "custom_origin_config": {
                    "http_port": 80,
                    "https_port": 443,
                    "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": ["TLSv1.2"],
                },
            }
        )
    return origins


def origin_groups(failover: str | None) -> list[dict[str, Any]]:
    if not failover:
        return []
    return [
        {
            "origin_id": STATIC_GROUP,
            "failover_criteria": {"status_codes": FAILOVER_STATUS_CODES},
            "members": [{"origin_id": STATIC}, {"origin_id": STATIC_FAILOVER}],
        }
    ]


def behavior(
    origin: str,
    settings: CdnSettings,
    policies: ManagedPolicies,
    headers_policy_id: pulumi.Input[str],
) -> dict[str, Any]:
    """One cache behavior (without `path_pattern`) for the origin named `origin`."""
    common = {
        "viewer_protocol_policy": "redirect-to-https",
        "compress": True,
        "cached_methods": CACHED_METHODS,
        "response_headers_policy_id": headers_policy_id,
    }
    if origin == API:
        return {
            **common,
            "target_origin_id": API,
            "allowed_methods": ALL_METHODS,
            "cache_policy_id": policies.caching_disabled,
            "origin_request_policy_id": policies.all_viewer_except_host,
        }
    return {
        **common,
        "target_origin_id": STATIC_GROUP if settings.failover_origin else STATIC,
        "allowed_methods": READ_METHODS,
        "cache_policy_id": policies.caching_optimized,
    }


def behaviors(
    settings: CdnSettings, policies: ManagedPolicies, headers_policy_id: pulumi.Input[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(default behavior, ordered behaviors from `routes`, in the order given)."""
    default = behavior(settings.default_origin, settings, policies, headers_policy_id)
    ordered = [
        {"path_pattern": pattern, **behavior(origin, settings, policies, headers_policy_id)}
        for pattern, origin in settings.routes
    ]
    return default, ordered


__all__ = [
    "API",
    "HSTS_MAX_AGE_SECONDS",
    "ROLES",
    "STATIC",
    "STATIC_GROUP",
    "ManagedPolicies",
    "api_origin",
    "behaviors",
    "managed_policies",
    "origin_groups",
    "security_headers_policy",
    "static_origins",
]
