"""Amazon CloudFront: what a distribution needs to be created."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon CloudFront"

ACM_CERTIFICATE_US_EAST_1 = aws_rule(
    id="cloudfront-acm-certificate-us-east-1",
    service=SERVICE,
    rule="A distribution's viewer certificate from ACM must be requested (or imported) in "
    "US East (N. Virginia), us-east-1, whatever region the stack deploys to.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "cnames-and-https-requirements.html#https-requirements-aws-region",
    fix="Create the certificate with an aws.Provider(region='us-east-1') (CdnFrontend's "
    "`domain` does this), or pass the ARN of a us-east-1 certificate.",
)

CACHE_BEHAVIORS_QUOTA = aws_rule(
    id="cloudfront-cache-behaviors-quota",
    service=SERVICE,
    rule="A distribution has at most 75 cache behaviors by default (quota 'Cache behaviors "
    "per distribution'; we count the default behavior too).",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "cloudfront-limits.html#limits-web-distributions",
    fix="Merge routes with wildcards (e.g. '/api/*'), or request a higher quota and raise "
    "the policy setting `maximum`.",
)

PATH_PATTERN = aws_rule(
    id="cloudfront-path-pattern",
    service=SERVICE,
    rule="A cache behavior's path pattern has at most 255 characters from A-Z, a-z, 0-9, "
    "_ - . $ / ~ \" ' @ : + & and the wildcards * and ?.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern",
    fix="Use path patterns such as '/api/*' or '/images/*.jpg' in `routes`.",
)

ORIGIN_CUSTOM_HEADER_NAMES = aws_rule(
    id="cloudfront-origin-custom-header-names",
    service=SERVICE,
    rule="CloudFront cannot add some headers to origin requests (Cache-Control, Connection, "
    "Content-Length, Cookie, Host, If-*, Max-Forwards, Pragma, Proxy-*, Range, TE, Trailer, "
    "Transfer-Encoding, Upgrade, Via, X-Real-Ip, X-Amz-*, X-Edge-*), so an origin custom "
    "header with such a name is refused.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "add-origin-custom-headers.html#add-origin-custom-headers-denylist",
    fix="Name the origin custom header something of your own, e.g. 'X-Origin-Verify'.",
)

ALIASES_NEED_CERTIFICATE = aws_rule(
    id="cloudfront-aliases-need-certificate",
    service=SERVICE,
    rule="A distribution with alternate domain names (aliases) needs its own viewer "
    "certificate (not the *.cloudfront.net default) that covers every alias.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "cnames-and-https-requirements.html#https-requirements-domain-names-in-cert",
    fix="Give viewer_certificate an acm_certificate_arn whose domain name or SANs cover each "
    "alias (CdnFrontend's `domain` + `zone_id` do both).",
)

VPC_ORIGIN_INTERNAL_ENDPOINT = aws_rule(
    id="cloudfront-vpc-origin-internal-endpoint",
    service=SERVICE,
    rule="A VPC origin is an internal Application or Network Load Balancer, or an EC2 "
    "instance, in private subnets of a VPC (with an internet gateway attached) in the "
    "distribution's account; an internet-facing or Gateway Load Balancer cannot be one.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "private-content-vpc-origins.html",
    fix="Make the load balancer internal (internal=True) in private subnets, or reach an "
    "internet-facing one as a custom origin (FargateCluster origin_access="
    "'public-with-header').",
)

ORIGIN_CERTIFICATE_MATCHES_DOMAIN = aws_rule(
    id="cloudfront-origin-certificate-matches-domain",
    service=SERVICE,
    rule="Over HTTPS, CloudFront connects to the origin's domain name (also for a VPC "
    "origin) and accepts the origin's certificate only when it covers that name; otherwise "
    "viewers get 502.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "using-https-cloudfront-to-custom-origin.html",
    fix="Give CdnFrontend api_origin_domain, a name on the load balancer's certificate that "
    "points at it, or give the cluster a `domain` (its certificate covers it).",
)

# The commercial Regions AWS lists as supporting VPC origins (a few of them except one
# Availability Zone, by AZ ID: use1-az3, usw1-az2, apne1-az3, cac1-az3).
VPC_ORIGIN_REGIONS = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-7",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-south-1",
        "eu-south-2",
        "eu-north-1",
        "il-central-1",
        "me-south-1",
        "me-central-1",
        "sa-east-1",
        "mx-central-1",
    }
)

VPC_ORIGIN_REGION = aws_rule(
    id="cloudfront-vpc-origin-region",
    service=SERVICE,
    rule="A VPC origin's VPC must be in one of the Regions AWS lists as supporting VPC "
    "origins (33 commercial Regions; not, for example, Asia Pacific (New Zealand), the "
    "China Regions or AWS GovCloud (US)).",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "private-content-vpc-origins.html#vpc-origins-supported-regions",
    fix="Deploy to a Region that supports VPC origins, or reach an internet-facing load "
    "balancer as a custom origin (FargateCluster origin_access='public-with-header').",
)

ALTERNATE_NAME_ONE_DISTRIBUTION = aws_rule(
    id="cloudfront-alternate-name-one-distribution",
    service=SERVICE,
    rule="An alternate domain name belongs to one distribution at a time "
    "(CNAMEAlreadyExists), and an alias record to a distribution needs the record's name "
    "among that distribution's alternate domain names.",
    source="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "alternate-domain-names-move.html",
    fix="Weigh a CloudFront distribution only against a front door that is not one (the "
    "single server's address); between two distributions move the name at once "
    "(AssociateAlias) or send up to 15% to a staging distribution (continuous deployment).",
)
