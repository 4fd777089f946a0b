"""DNS pieces shared by platforms and services: a custom domain checked up front, an ACM
certificate validated through Route 53, and an alias record to a load balancer."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.aws_rules.acm import COMMON_NAME_LENGTH
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.validation import ArgError

HOSTNAME = r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,32}"
MAX_COMMON_NAME = 64  # the domain becomes the ACM certificate's Common Name
ACM_CERTIFICATE_ARN = r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+"
CERTIFICATE_ROLES = (
    "certificate",
    "certificate_validation_record",
    "certificate_validation",
    "alias_record",
)


def check_domain(component: str, name: str, domain: Any, zone_id: Any) -> tuple[str, str] | None:
    """(domain, zone_id), None when neither is given; a clear error otherwise."""
    if domain is None and zone_id is None:
        return None
    if domain is None:
        raise ArgError(
            f"{component} '{name}': zone_id={zone_id!r} is not allowed without domain; "
            "give both (the certificate is validated in that Route 53 zone)"
        )
    if not isinstance(domain, str) or not re.fullmatch(HOSTNAME, domain.lower()):
        raise ArgError(
            f"{component} '{name}': domain={domain!r} is not allowed; expected a DNS name "
            "such as api.example.com (no scheme, no path, no wildcard)"
        )
    if len(domain) > MAX_COMMON_NAME:
        raise COMMON_NAME_LENGTH.refuse(
            f"{component} '{name}'",
            "domain",
            f"{domain!r} has {len(domain)} characters and becomes the certificate's Common Name",
        )
    if zone_id is None:
        raise ArgError(
            f"{component} '{name}': domain={domain!r} needs zone_id, the Route 53 hosted "
            "zone that validates the certificate and holds the alias record (e.g. Z0123456789ABC)"
        )
    if not isinstance(zone_id, str) or not re.fullmatch(HOSTED_ZONE_ID, zone_id):
        raise ArgError(
            f"{component} '{name}': zone_id={zone_id!r} is not allowed; expected a Route 53 "
            "hosted zone id such as Z0123456789ABCDEFGHIJ"
        )
    return domain.lower(), zone_id


def validated_certificate(
    owner: GridopsComponent,
    domain: str,
    zone_id: str,
    *,
    wildcard: bool = False,
    opts: pulumi.ResourceOptions | None = None,
) -> pulumi.Output[str]:
    """An ACM certificate for `domain` (and `*.domain` when `wildcard`), validated
    through a DNS record in the Route 53 zone `zone_id`. Returns the certificate ARN
    once validation completed, so listeners never attach a pending certificate.

    `opts` go to the certificate and its validation (e.g. a us-east-1 provider for
    CloudFront); the Route 53 record is global and uses the default provider.

    A name and its wildcard share one validation record, so one record is enough.
    """
    cert = owner.child(
        "certificate",
        aws.acm.Certificate,
        {
            "domain_name": domain,
            "subject_alternative_names": [f"*.{domain}"] if wildcard else [],
            "validation_method": "DNS",
        },
        opts=opts,
    )
    option = cert.domain_validation_options[0]
    record = owner.child(
        "certificate_validation_record",
        aws.route53.Record,
        {
            "zone_id": zone_id,
            "name": option.resource_record_name,
            "type": option.resource_record_type,
            "records": [option.resource_record_value],
            "ttl": 300,
            "allow_overwrite": True,
        },
        suffix="cert-validation-record",
    )
    validation = owner.child(
        "certificate_validation",
        aws.acm.CertificateValidation,
        {"certificate_arn": cert.arn, "validation_record_fqdns": [record.fqdn]},
        suffix="cert-validation",
        opts=opts,
    )
    return validation.certificate_arn


def alias_record(
    owner: GridopsComponent, domain: str, zone_id: str, alb: aws.lb.LoadBalancer
) -> aws.route53.Record:
    """`domain` -> the ALB (an A alias: free, no TTL to wait out)."""
    return owner.child(
        "alias_record",
        aws.route53.Record,
        {
            "zone_id": zone_id,
            "name": domain,
            "type": "A",
            "aliases": [
                {"name": alb.dns_name, "zone_id": alb.zone_id, "evaluate_target_health": True}
            ],
        },
        suffix="alias",
    )


__all__ = [
    "ACM_CERTIFICATE_ARN",
    "CERTIFICATE_ROLES",
    "alias_record",
    "check_domain",
    "validated_certificate",
]
