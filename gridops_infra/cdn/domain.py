"""CdnFrontend's us-east-1 pieces and custom domain.

CloudFront only accepts ACM certificates and WAF web ACLs (CLOUDFRONT scope) from
us-east-1, whatever the stack's region: they are created through an explicit
`aws.Provider(region="us-east-1")`. The domain gets DNS-validated certificate records
and alias A and AAAA records (IPv6 is on) to the distribution.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.dns import CERTIFICATE_ROLES, validated_certificate

ROLES = ("us_east_1_provider", *CERTIFICATE_ROLES)
CLOUDFRONT_REGION = "us-east-1"


def regional_provider_args(region: str) -> dict[str, str]:
    """Arguments of an explicit provider for `region` with the stack's AWS profile
    (explicit providers do not read the `aws:` stack configuration)."""
    args: dict[str, str] = {"region": region}
    profile = pulumi.Config("aws").get("profile")
    if profile:
        args["profile"] = profile
    return args


def us_east_1_provider(owner: GridopsComponent) -> aws.Provider:
    """A provider for us-east-1 with the stack's AWS profile."""
    args = regional_provider_args(CLOUDFRONT_REGION)
    return owner.child("us_east_1_provider", aws.Provider, args, suffix=CLOUDFRONT_REGION)


def certificate(
    owner: GridopsComponent, domain: str, zone_id: str, provider: aws.Provider
) -> pulumi.Output[str]:
    """The ARN of a us-east-1 ACM certificate for `domain`, once DNS validation passed."""
    return validated_certificate(
        owner, domain, zone_id, opts=pulumi.ResourceOptions(provider=provider)
    )


def alias_records(
    owner: GridopsComponent, domain: str, zone_id: str, distribution: aws.cloudfront.Distribution
) -> list[aws.route53.Record]:
    """`domain` -> the distribution, for IPv4 (A) and IPv6 (AAAA)."""
    return [
        owner.child(
            "alias_record",
            aws.route53.Record,
            {
                "zone_id": zone_id,
                "name": domain,
                "type": record_type,
                "aliases": [
                    {
                        "name": distribution.domain_name,
                        "zone_id": distribution.hosted_zone_id,
                        "evaluate_target_health": False,
                    }
                ],
            },
            suffix=f"alias-{record_type.lower()}",
        )
        for record_type in ("A", "AAAA")
    ]


__all__ = [
    "CLOUDFRONT_REGION",
    "ROLES",
    "alias_records",
    "certificate",
    "regional_provider_args",
    "us_east_1_provider",
]
