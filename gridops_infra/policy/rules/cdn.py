"""CloudFront: HTTPS to viewers and to custom origins, modern TLS, security headers with HSTS."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import (
    UNKNOWN,
    as_list,
    depends_on,
    get,
    number,
    of_type,
    peek,
    text,
)
from gridops_infra.policy.rule import (
    ADVISORY,
    MANDATORY,
    ReportViolation,
    resource_rule,
    setting,
    stack_rule,
)

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"

HTTPS_VIEWER_POLICIES = ("redirect-to-https", "https-only")
MODERN_TLS = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
# AWS managed response headers policies that send Strict-Transport-Security
# (max-age=31536000): SecurityHeadersPolicy, CORS-and-SecurityHeadersPolicy,
# CORS-with-preflight-and-SecurityHeadersPolicy.
MANAGED_HSTS_POLICIES = frozenset(
    {
        "67f7725c-6f97-4210-82d7-5512b31e9d03",
        "e61eb60c-9c35-4d20-a928-2b84e02af89c",
        "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
    }
)
MIN_HSTS_SECONDS = 31_536_000  # one year


def cache_behaviors(props: Any) -> list[tuple[str, str, Any]]:
    """(prop holding it, label, behavior) for the default and every ordered behavior."""
    out: list[tuple[str, str, Any]] = []
    default = get(props, "defaultCacheBehavior")
    if default is not None:
        out.append(("defaultCacheBehavior", "default cache behavior", default))
    for behavior in as_list(get(props, "orderedCacheBehaviors")):
        pattern = text(get(behavior, "pathPattern")) or "?"
        out.append(("orderedCacheBehaviors", f"cache behavior {pattern!r}", behavior))
    return out


@resource_rule(
    name="cloudfront-viewer-https",
    description="Every CloudFront cache behavior makes viewers use HTTPS.",
    severity=MANDATORY,
    remediation="Set viewer_protocol_policy='redirect-to-https' (or 'https-only') on the "
    "default and every ordered cache behavior.",
    types=(DISTRIBUTION,),
)
def viewer_https(args: Any, report: ReportViolation) -> None:
    for _, label, behavior in cache_behaviors(args.props):
        policy = text(get(behavior, "viewerProtocolPolicy"))
        if policy not in HTTPS_VIEWER_POLICIES:
            report(f"{label}: viewerProtocolPolicy is {policy or 'not set'!r}, not HTTPS-only.")


@resource_rule(
    name="cloudfront-minimum-tls",
    description="A CloudFront distribution with its own certificate accepts TLS 1.2 "
    "(policy TLSv1.2_2021) or newer only.",
    severity=MANDATORY,
    remediation="Set viewer_certificate.minimum_protocol_version='TLSv1.2_2021' (or "
    "TLSv1.2_2025 / TLSv1.3_2025) with ssl_support_method='sni-only'.",
    types=(DISTRIBUTION,),
)
def minimum_tls(args: Any, report: ReportViolation) -> None:
    cert = get(args.props, "viewerCertificate")
    if not (get(cert, "acmCertificateArn") or get(cert, "iamCertificateId")):
        return  # The *.cloudfront.net certificate: CloudFront fixes the TLS policy.
    version = text(get(cert, "minimumProtocolVersion"))
    if version not in MODERN_TLS:
        report(
            f"viewerCertificate.minimumProtocolVersion is {version or 'not set'!r}; "
            f"allowed: {', '.join(MODERN_TLS)}."
        )


@resource_rule(
    name="cloudfront-origin-https",
    description="CloudFront reaches every custom origin (a load balancer, a server) over HTTPS.",
    severity=ADVISORY,
    remediation="Give the origin a name with a certificate and set origin_protocol_policy="
    "'https-only': on the stages set gridops:domain and gridops:zone_id; on components give "
    "the FargateCluster, the EKS service or the SingleServer a `domain`.",
    types=(DISTRIBUTION,),
)
def origin_https(args: Any, report: ReportViolation) -> None:
    for origin in as_list(get(args.props, "origins")):
        custom = get(origin, "customOriginConfig")
        if custom is None:
            continue  # S3 (Origin Access Control) and VPC origins are not on the internet.
        policy = text(get(custom, "originProtocolPolicy"))
        if policy != "https-only":
            name = text(get(origin, "domainName")) or text(get(origin, "originId")) or "?"
            report(
                f"origin {name!r}: originProtocolPolicy is {policy or 'not set'!r}, so "
                "requests, cookies and any origin secret header cross the internet "
                "unencrypted between CloudFront and the origin."
            )


def hsts_problem(policy: Any, minimum: float) -> str:
    """Why a response headers policy in the stack does not enforce HSTS ('' when it does)."""
    hsts = get(policy.props, "securityHeadersConfig", "strictTransportSecurity")
    if hsts is None:
        return f"response headers policy {policy.name!r} sets no Strict-Transport-Security"
    max_age = number(get(hsts, "accessControlMaxAgeSec")) or 0
    if max_age < minimum:
        return (
            f"response headers policy {policy.name!r} sets HSTS max-age {max_age:.0f}s, "
            f"below {minimum:.0f}s"
        )
    return ""


@stack_rule(
    name="cloudfront-security-headers",
    description="Every CloudFront cache behavior attaches a response headers policy that "
    "sends Strict-Transport-Security (HSTS) for at least `minimumMaxAgeSeconds` (one year).",
    severity=MANDATORY,
    remediation="Create an aws.cloudfront.ResponseHeadersPolicy with "
    "security_headers_config.strict_transport_security (access_control_max_age_sec=31536000, "
    "include_subdomains=True, override=True) and set response_headers_policy_id on every "
    "cache behavior, or use the AWS managed SecurityHeadersPolicy "
    "(67f7725c-6f97-4210-82d7-5512b31e9d03).",
    types=(DISTRIBUTION, RESPONSE_HEADERS_POLICY),
    config_schema={
        "minimumMaxAgeSeconds": {"type": "integer", "minimum": 0, "default": MIN_HSTS_SECONDS}
    },
)
def security_headers(args: Any, report: ReportViolation) -> None:
    minimum = number(setting(args, "minimumMaxAgeSeconds", MIN_HSTS_SECONDS)) or 0
    policies = of_type(args.resources, RESPONSE_HEADERS_POLICY)
    for dist in of_type(args.resources, DISTRIBUTION):
        for prop, label, behavior in cache_behaviors(dist.props):
            policy_id = peek(behavior, "responseHeadersPolicyId")
            if policy_id is None or policy_id == "":
                report(f"{dist.name}: {label} has no response headers policy.", dist.urn)
                continue
            if policy_id in MANAGED_HSTS_POLICIES:
                continue
            in_stack = [p for p in policies if peek(p.props, "id") == policy_id]
            if not in_stack:
                # Values may be unknown in a real preview: follow the dependency instead.
                in_stack = [p for p in policies if depends_on(dist, prop, p)]
            if not in_stack:
                shown = "an unknown id" if policy_id is UNKNOWN else repr(policy_id)
                report(
                    f"{dist.name}: {label} uses response headers policy {shown}, which is "
                    "neither defined in this stack nor an AWS managed policy with HSTS.",
                    dist.urn,
                )
                continue
            for problem in filter(None, (hsts_problem(p, minimum) for p in in_stack)):
                report(f"{dist.name}: {label}: {problem}.", dist.urn)
