"""CloudFront's create-time rules on the whole Plan: the certificate's region, aliases
covered by the certificate, the cache-behavior quota, origin custom header names, a VPC
origin's load balancer."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import cloudfront
from gridops_infra.policy._aws_limits import arn_region, resource_region
from gridops_infra.policy._props import (
    UNKNOWN,
    as_list,
    depends_on,
    get,
    number,
    of_type,
    peek,
    refers_to,
    text,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, setting, stack_rule

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CERTIFICATE = "aws:acm/certificate:Certificate"
CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
CLOUDFRONT_REGION = "us-east-1"
MAX_CACHE_BEHAVIORS = 75
FORBIDDEN_ORIGIN_HEADERS = frozenset(
    h.lower()
    for h in (
        "Cache-Control",
        "Connection",
        "Content-Length",
        "Cookie",
        "Host",
        "If-Match",
        "If-Modified-Since",
        "If-None-Match",
        "If-Range",
        "If-Unmodified-Since",
        "Max-Forwards",
        "Pragma",
        "Proxy-Authorization",
        "Proxy-Connection",
        "Range",
        "Request-Range",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Via",
        "X-Real-Ip",
    )
)
FORBIDDEN_ORIGIN_HEADER_PREFIXES = ("x-amz-", "x-edge-")


def _certificate_resources(resources: list[Any], dist: Any) -> list[Any]:
    """The ACM certificates (or their validations) a distribution's viewer certificate
    was computed from."""
    return [
        r
        for r in of_type(resources, (CERTIFICATE, CERTIFICATE_VALIDATION))
        if depends_on(dist, "viewerCertificate", r)
    ]


@stack_rule(
    name="cloudfront-certificate-in-us-east-1",
    description="A CloudFront distribution's ACM viewer certificate is in us-east-1.",
    severity=MANDATORY,
    remediation=cloudfront.ACM_CERTIFICATE_US_EAST_1.fix,
    types=(DISTRIBUTION, CERTIFICATE, CERTIFICATE_VALIDATION),
    aws_rule=cloudfront.ACM_CERTIFICATE_US_EAST_1.id,
)
def certificate_in_us_east_1(args: Any, report: ReportViolation) -> None:
    for dist in of_type(args.resources, DISTRIBUTION):
        arn = peek(dist.props, "viewerCertificate", "acmCertificateArn")
        if arn is None or arn == "":
            continue
        regions = {arn_region(arn)} if arn is not UNKNOWN else set()
        if arn is UNKNOWN or None in regions:
            regions = {resource_region(c) for c in _certificate_resources(args.resources, dist)}
        for region in sorted(r for r in regions if r and r != CLOUDFRONT_REGION):
            report(
                f"{dist.name}: viewerCertificate.acmCertificateArn is a certificate in "
                f"{region}; CloudFront only takes ACM certificates from {CLOUDFRONT_REGION}.",
                dist.urn,
            )


def _covers(names: list[str], alias: str) -> bool:
    alias = alias.lower().rstrip(".")
    for name in (n.lower().rstrip(".") for n in names):
        if name == alias:
            return True
        if name.startswith("*.") and "." in alias and alias.split(".", 1)[1] == name[2:]:
            return True
    return False


@stack_rule(
    name="cloudfront-aliases-need-certificate",
    description="A CloudFront distribution with aliases has its own viewer certificate, and "
    "an ACM certificate in the stack covers every alias.",
    severity=MANDATORY,
    remediation=cloudfront.ALIASES_NEED_CERTIFICATE.fix,
    types=(DISTRIBUTION, CERTIFICATE, CERTIFICATE_VALIDATION),
    aws_rule=cloudfront.ALIASES_NEED_CERTIFICATE.id,
)
def aliases_need_certificate(args: Any, report: ReportViolation) -> None:
    certificates = of_type(args.resources, CERTIFICATE)
    for dist in of_type(args.resources, DISTRIBUTION):
        aliases = [a for a in as_list(peek(dist.props, "aliases")) if isinstance(a, str)]
        if not aliases:
            continue
        cert = peek(dist.props, "viewerCertificate")
        own = peek(cert, "acmCertificateArn") or peek(cert, "iamCertificateId")
        if not own:
            report(
                f"{dist.name}: aliases {aliases} need a viewer certificate of their own; the "
                "default *.cloudfront.net certificate cannot serve them.",
                dist.urn,
            )
            continue
        arn = peek(cert, "acmCertificateArn")
        linked = [c for c in certificates if isinstance(arn, str) and peek(c.props, "arn") == arn]
        linked += [
            c
            for c in certificates
            for v in _certificate_resources(args.resources, dist)
            if v.resource_type == CERTIFICATE_VALIDATION
            and depends_on(v, "certificateArn", c)
            and c not in linked
        ]
        for c in linked:
            sans = as_list(peek(c.props, "subjectAlternativeNames"))
            given = [peek(c.props, "domainName"), *sans]
            if any(n is UNKNOWN for n in given):
                continue
            names = [n for n in given if isinstance(n, str)]
            missing = [a for a in aliases if not _covers(names, a)]
            if missing:
                report(
                    f"{dist.name}: aliases {missing} are not covered by certificate "
                    f"{c.name!r} (names: {names}).",
                    dist.urn,
                )


@resource_rule(
    name="cloudfront-cache-behaviors-quota",
    description="A CloudFront distribution has at most `maximum` cache behaviors (75, the "
    "default quota), the default behavior included.",
    severity=MANDATORY,
    remediation=cloudfront.CACHE_BEHAVIORS_QUOTA.fix,
    types=(DISTRIBUTION,),
    config_schema={"maximum": {"type": "integer", "minimum": 1, "default": MAX_CACHE_BEHAVIORS}},
    aws_rule=cloudfront.CACHE_BEHAVIORS_QUOTA.id,
)
def cache_behaviors_quota(args: Any, report: ReportViolation) -> None:
    maximum = number(setting(args, "maximum", MAX_CACHE_BEHAVIORS)) or MAX_CACHE_BEHAVIORS
    count = len(as_list(get(args.props, "orderedCacheBehaviors"))) + 1
    if count > maximum:
        report(f"{count} cache behaviors (the default included); the quota is {maximum:g}.")


@resource_rule(
    name="cloudfront-origin-custom-header-names",
    description="No CloudFront origin adds a custom header CloudFront refuses to add.",
    severity=MANDATORY,
    remediation=cloudfront.ORIGIN_CUSTOM_HEADER_NAMES.fix,
    types=(DISTRIBUTION,),
    aws_rule=cloudfront.ORIGIN_CUSTOM_HEADER_NAMES.id,
)
def origin_custom_header_names(args: Any, report: ReportViolation) -> None:
    for origin in as_list(get(args.props, "origins")):
        for header in as_list(get(origin, "customHeaders")):
            name = text(get(header, "name"))
            lowered = name.lower()
            if lowered in FORBIDDEN_ORIGIN_HEADERS or lowered.startswith(
                FORBIDDEN_ORIGIN_HEADER_PREFIXES
            ):
                origin_id = text(get(origin, "originId")) or "?"
                report(
                    f"origin {origin_id!r}: custom header {name!r} is one CloudFront cannot add."
                )


@stack_rule(
    name="cloudfront-vpc-origin-internal-endpoint",
    description="A CloudFront VPC origin points at an internal Application or Network Load "
    "Balancer (not an internet-facing or Gateway one).",
    severity=MANDATORY,
    remediation=cloudfront.VPC_ORIGIN_INTERNAL_ENDPOINT.fix,
    types=(VPC_ORIGIN, LOAD_BALANCER),
    aws_rule=cloudfront.VPC_ORIGIN_INTERNAL_ENDPOINT.id,
)
def vpc_origin_internal_endpoint(args: Any, report: ReportViolation) -> None:
    balancers = of_type(args.resources, LOAD_BALANCER)
    for origin in of_type(args.resources, VPC_ORIGIN):
        linked = [
            lb
            for lb in balancers
            if refers_to(origin, "vpcOriginEndpointConfig", lb, "arn", path=("arn",))
        ]
        for lb in linked:
            kind = text(peek(lb.props, "loadBalancerType")) or "application"
            internal = peek(lb.props, "internal")
            if kind == "gateway":
                report(
                    f"{origin.name}: points at Gateway Load Balancer {lb.name!r}; a VPC origin "
                    "is an ALB, an NLB or an EC2 instance.",
                    origin.urn,
                )
            elif internal is not True and internal is not UNKNOWN:
                report(
                    f"{origin.name}: points at load balancer {lb.name!r}, which is "
                    "internet-facing (internal is not true); a VPC origin must be internal, in "
                    "private subnets.",
                    origin.urn,
                )
