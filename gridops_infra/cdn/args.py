"""CdnFrontend's arguments, documented once, and the checks that turn them into
`CdnSettings` before anything is registered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import pulumi

from gridops_infra.core.aws_rules.cloudfront import (
    CACHE_BEHAVIORS_QUOTA,
    ORIGIN_CERTIFICATE_MATCHES_DOMAIN,
    PATH_PATTERN,
)
from gridops_infra.core.aws_rules.wafv2 import RATE_LIMIT_MINIMUM
from gridops_infra.core.component import Transform
from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.platforms.dns import HOSTNAME, check_domain
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.service.component import StatelessService

if TYPE_CHECKING:
    from gridops_infra.platforms.eks.component import EksCluster

OriginName = Literal["api", "static"]
PriceClass = Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"]
PRICE_CLASSES: tuple[str, ...] = ("PriceClass_100", "PriceClass_200", "PriceClass_All")
# CloudFront path patterns: up to 255 characters of these, `*` and `?` as wildcards.
ROUTE_PATTERN = r"/?[A-Za-z0-9_\-.*$/~\"'@:+&?]{1,254}"
MAX_ROUTES = 74  # 75 cache behaviors per distribution (default quota), the default one included
INDEX_DOCUMENT = r"[A-Za-z0-9_\-.][A-Za-z0-9_\-./]{0,254}"


class CdnFrontendArgs(TypedDict, total=False):
    api_origin: StatelessService
    """A StatelessService on a FargateCluster, an EksCluster or a SingleServer: the ALB it
    shares (on EKS without a VPC origin the Load Balancer Controller's, looked up once the
    service's Ingress exists; on a SingleServer the host's proxy, by its domain or the
    Elastic IP's public DNS name) becomes an origin (CachingDisabled, every viewer header
    but Host forwarded). On a FargateCluster or an EksCluster `behind_cdn` with
    `origin_access: "vpc-origin"` (their default) the cluster's internal ALB is reached
    through a CloudFront VPC origin this CdnFrontend creates, inside the VPC; otherwise it
    is a custom origin on the internet. HTTPS-only to the
    origin when the ALB has a certificate for the origin's name (the service's `domain`, on
    Fargate also the cluster's `domain` or `api_origin_domain`), otherwise HTTP-only to the
    ALB's DNS name (on the internet the origin secret then crosses it unencrypted: give the
    cluster or service a domain). Give this, `static_site`, or both.

    Default: none (no API origin: give `static_site` or `static_dir` then).
    Example: ``api  # a StatelessService``"""
    api_origin_domain: str
    """The name CloudFront connects to for `api_origin`, when the ALB's certificate
    (`certificate_arn` on a FargateCluster; the service's own `domain` certificate on EKS)
    covers a name of your own pointing at the ALB.

    Default: the service's or the cluster's `domain`, else the ALB's DNS name.
    Example: ``"origin.example.com"``"""
    static_site: bool
    """Create an S3 bucket (encrypted, versioned, all public access blocked) served only
    through Origin Access Control.

    Default: false (true when `static_dir` is given).
    Example: ``True``"""
    static_dir: str
    """A local directory uploaded to the bucket, one object per file with its content type
    (dot-files skipped). Must be the path of an existing directory (`~` expands); a path the
    OS cannot look up (too long, a NUL byte, no permission) is refused like a missing one.

    Default: none (upload by your own pipeline).
    Example: ``"web/dist"``"""
    index_document: str
    """The object served for `/` when the default origin is the static site.

    Default: `"index.html"`.
    Example: ``"index.html"``"""
    routes: dict[str, OriginName]
    """Path pattern -> origin (`"api"` or `"static"`), e.g. `{"/api/*": "api"}`; matched in
    the order given, before the default. At most 74 (CloudFront's default quota of 75 cache
    behaviors, the default one included).

    Default: none.
    Example: ``{"/api/*": "api", "/assets/*": "static"}``"""
    default_origin: OriginName
    """Where requests no route matches go.

    Default: `"static"` when there is a static site, else `"api"`.
    Example: ``"static"``"""
    domain: str
    """Serve at this name: ACM certificate in us-east-1 (DNS-validated in `zone_id`), TLS
    1.2 (TLSv1.2_2021) minimum, Route 53 alias A and AAAA records. Requires `zone_id`.

    Default: none (the `dxxxx.cloudfront.net` name, whose TLS policy CloudFront fixes).
    Example: ``"www.example.com"``"""
    zone_id: str
    """The Route 53 hosted zone id for `domain`.

    Default: none; required with `domain`.
    Example: ``"Z0123456789ABCDEFGHIJ"``"""
    alias_records: bool
    """Create the A and AAAA alias records of `domain` in `zone_id`. False when another
    stack owns the name's records, such as a TrafficCutover weighing this distribution
    against an older front door: the distribution still serves `domain` with its
    certificate (validated in `zone_id`).

    Default: true.
    Example: ``False``"""
    waf: bool
    """Attach a WAF web ACL (CLOUDFRONT scope, us-east-1): AWS managed common rule set and a
    per-IP rate limit. With `api_origin`, the common set's 8 KB body-size rule only counts,
    so API uploads are not blocked.

    Default: false (about $5 a month plus $1 per rule and $0.60 per million requests).
    Example: ``True``"""
    waf_rate_limit: int
    """Requests one IP may make in 5 minutes before WAF blocks it. Allowed: 10..2000000000
    (AWS WAF's range).

    Default: 2000.
    Example: ``500``"""
    failover_origin: str
    """A host name serving the same files as the static site (e.g. a replica bucket's
    website or another CDN), used over HTTPS when the bucket answers 5xx. Needs
    `static_site`; origin groups only serve GET/HEAD/OPTIONS, so the API cannot fail over.

    Default: none.
    Example: ``"static-replica.example.org"``"""
    access_logs: bool
    """CloudFront standard access logs to an S3 bucket.

    Default: true.
    Example: ``True``"""
    access_log_retention_days: int
    """Days access logs are kept. Allowed: 1..3650.

    Default: 90.
    Example: ``30``"""
    price_class: PriceClass
    """Edge locations used: `"PriceClass_100"` (North America, Europe, Israel; cheapest),
    `"PriceClass_200"`, `"PriceClass_All"`.

    Default: `"PriceClass_100"`.
    Example: ``"PriceClass_200"``"""
    additional_metrics: bool
    """Turn on CloudFront's additional metrics (needed for `metric_cache_hit_rate`), billed
    as CloudWatch custom metrics (8 per distribution, about $2.40 a month).

    Default: true.
    Example: ``False``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "web"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `CdnFrontend.CHILD_ROLES`).

    Default: none.
    Example: ``{"distribution": {"comment": "shop storefront"}}``"""


@dataclass(frozen=True)
class ApiOrigin:
    """How CloudFront reaches the API service's load balancer."""

    service: StatelessService
    cluster: FargateCluster | EksCluster | SingleServer | Any
    """Where the service runs (an ExpressCluster too): the owner of the origin's lock (`behind_cdn`)."""
    domain_name: pulumi.Input[str]
    https: bool
    """https-only to the origin (the ALB has a certificate for `domain_name`)."""
    vpc_origin_arn: pulumi.Input[str] | None = None
    """The internal load balancer CloudFront reaches through a VPC origin; None for a
    custom origin on the internet."""


@dataclass(frozen=True)
class CdnSettings:
    api: ApiOrigin | None
    static_site: bool
    static_dir: Path | None
    index_document: str
    routes: tuple[tuple[str, str], ...]
    default_origin: str
    domain: str | None
    zone_id: str | None
    alias_records: bool
    waf: bool
    waf_rate_limit: int
    failover_origin: str | None
    access_logs: bool
    access_log_retention_days: int
    price_class: str
    additional_metrics: bool


def read_settings(a: ArgReader) -> CdnSettings:
    api = _api_origin(a)
    static_dir = _static_dir(a)
    static_site = a.boolean("static_site", static_dir is not None)
    if static_dir is not None and not static_site:
        raise a.fail("static_site", False, "static_dir needs static_site (leave it out)")
    if api is None and not static_site:
        raise a.fail(
            "api_origin",
            None,
            "give api_origin (a StatelessService with a load balancer), static_site, or both",
        )
    origins = [o for o, present in (("api", api), ("static", static_site)) if present]
    default = a.choice("default_origin", "static" if static_site else "api", origins)
    domain = check_domain("CdnFrontend", a.name, a.raw("domain"), a.raw("zone_id"))
    failover = a.optional_string("failover_origin", HOSTNAME, "expected a host name")
    if failover and not static_site:
        raise a.fail(
            "failover_origin",
            failover,
            "needs static_site: origin groups serve GET/HEAD/OPTIONS only, so an API behavior "
            "(which allows POST) cannot fail over",
        )
    return CdnSettings(
        api=api,
        static_site=static_site,
        static_dir=static_dir,
        index_document=a.string(
            "index_document", "index.html", INDEX_DOCUMENT, "expected an object key"
        ),
        routes=_routes(a, origins),
        default_origin=default,
        domain=domain[0] if domain else None,
        zone_id=domain[1] if domain else None,
        alias_records=_alias_records(a, domain is not None),
        waf=a.boolean("waf", False),
        waf_rate_limit=_waf_rate_limit(a),
        failover_origin=failover,
        access_logs=a.boolean("access_logs", True),
        access_log_retention_days=a.integer("access_log_retention_days", 90, 1, 3650),
        price_class=a.choice("price_class", "PriceClass_100", PRICE_CLASSES),
        additional_metrics=a.boolean("additional_metrics", True),
    )


def _alias_records(a: ArgReader, with_domain: bool) -> bool:
    records = a.boolean("alias_records", True)
    if not records and not with_domain:
        raise a.fail("alias_records", False, "it applies to domain's records: give domain")
    return records


def _api_origin(a: ArgReader) -> ApiOrigin | None:
    service = a.raw("api_origin")
    if service is None:
        if a.has("api_origin_domain"):
            raise a.fail("api_origin_domain", a.raw("api_origin_domain"), "only with api_origin")
        return None
    if not isinstance(service, StatelessService):
        raise a.fail(
            "api_origin",
            type(service).__name__,
            "expected a StatelessService with a load balancer",
        )
    cluster = service.platform
    if cluster.kind == "eks":  # the EKS platform module (and Kubernetes) loads only for EKS
        from gridops_infra.platforms.eks.component import EksCluster

        if isinstance(cluster, EksCluster):
            return _eks_api_origin(a, service, cluster)
    if isinstance(cluster, SingleServer):
        return _single_server_api_origin(a, service, cluster)
    if cluster.kind == "express":
        return _express_api_origin(a, service, cluster)
    if not isinstance(cluster, FargateCluster) or service.target_group_arn is None:
        raise a.fail(
            "api_origin",
            service.name,
            f"expected a StatelessService with a load balancer; '{service.name}' runs on "
            f"{type(cluster).__name__} without one",
        )
    override = a.optional_string("api_origin_domain", HOSTNAME, "expected a host name")
    spec = service.spec
    if override:
        name, https = override, True
    elif spec.domain:
        name, https = spec.domain, True
    elif cluster.domain:
        name, https = cluster.domain, True
    elif cluster.redirects_http:
        raise ORIGIN_CERTIFICATE_MATCHES_DOMAIN.refuse(
            f"CdnFrontend '{a.name}'",
            f"api_origin='{service.name}' is not allowed",
            f"cluster '{cluster.name}' serves HTTPS with certificate_arn, which covers a name "
            "CloudFront cannot guess, so it would connect to the ALB's DNS name, which that "
            "certificate does not cover",
        )
    else:
        name, https = cluster.alb.dns_name, False
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    _check_host(
        a,
        service,
        name,
        f"Give api_origin_domain one of {plain_hosts or spec.hosts!r} (pointing at the ALB)",
    )
    vpc_origin_arn = cluster.alb.arn if cluster.origin_access == "vpc-origin" else None
    return ApiOrigin(service, cluster, name, https, vpc_origin_arn)


def _eks_api_origin(a: ArgReader, service: StatelessService, cluster: EksCluster) -> ApiOrigin:
    """The EKS rules, mirroring Fargate's: HTTPS to the service's `domain` (its Ingress,
    or behind a VPC origin the internal ALB's listener, serves that certificate), else
    HTTP to the ALB's DNS name unless the ALB redirects HTTP. There is no cluster domain or
    certificate on EKS, and a service's rules sit only on the listener of its own
    certificate, so `api_origin_domain` needs the service's `domain` (HTTPS on 443).
    Behind a VPC origin (the cluster's `origin_access`), CloudFront reaches the cluster's
    internal ALB through it."""
    spec = service.spec
    override = a.optional_string("api_origin_domain", HOSTNAME, "expected a host name")
    if override and not spec.domain:
        raise a.fail(
            "api_origin_domain",
            override,
            f"on EksCluster '{cluster.name}' a service's Ingress serves HTTPS only with the "
            f"service's own domain (its certificate), and '{service.name}' has none; give it "
            "a domain",
        )
    dns_name = cluster.load_balancer_dns_name(spec.name)
    if override or spec.domain:
        name, https = override or spec.domain or "", True
    elif cluster.redirects_http:
        raise a.fail(
            "api_origin",
            service.name,
            f"EKS cluster '{cluster.name}' redirects HTTP to HTTPS on its shared ALB (a service "
            "with a domain sets the controller's ssl-redirect for the whole Ingress group), "
            f"so CloudFront cannot reach '{service.name}' over HTTP; give it a domain",
        )
    elif dns_name is None:
        raise a.fail(
            "api_origin",
            service.name,
            f"expected a StatelessService built on EksCluster '{cluster.name}'",
        )
    else:
        name, https = dns_name, False
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    fix = (
        f"Leave api_origin_domain out (the service's domain) or give one of {plain_hosts!r}"
        if spec.domain
        else "Give the service a domain (its Ingress then serves HTTPS for that host)"
    )
    _check_host(a, service, name, fix)
    origin_alb = cluster.origin_alb
    vpc_origin_arn = origin_alb.arn if origin_alb is not None else None
    return ApiOrigin(service, cluster, name, https, vpc_origin_arn)


def _single_server_api_origin(
    a: ArgReader, service: StatelessService, server: SingleServer
) -> ApiOrigin:
    """The host's proxy: HTTPS to the server's `domain` (Caddy's certificate), else HTTP
    to the Elastic IP's public DNS name (a CloudFront origin must be a name, not an
    address). A service's own `domain` must be the server's, so there is nothing else to
    choose: `api_origin_domain` is refused."""
    if a.has("api_origin_domain"):
        raise a.fail(
            "api_origin_domain",
            a.raw("api_origin_domain"),
            f"not for a service on SingleServer '{server.name}': CloudFront reaches the host "
            "at its domain, or at its public DNS name without one",
        )
    if server.domain:
        name, https = server.domain, True
        fix = f"Route the service by the server's domain {server.domain!r} (or by no host)"
    else:
        name, https = server.public_dns, False
        fix = "Route the service by path only (no hosts) behind the CDN"
    _check_host(a, service, name, fix)
    return ApiOrigin(service, server, name, https)


def _express_api_origin(a: ArgReader, service: StatelessService, cluster: Any) -> ApiOrigin:
    """The service's own HTTPS endpoint on its AWS-provided domain, https-only: ECS serves
    it with a certificate for that name and routes the shared load balancer by it, which
    is the Host CloudFront sends (every viewer header but Host is forwarded). ECS owns the
    load balancer's security group, so nothing locks the endpoint to CloudFront and there
    is no origin secret; an internal endpoint is unreachable from CloudFront."""
    if a.has("api_origin_domain"):
        raise a.fail(
            "api_origin_domain",
            a.raw("api_origin_domain"),
            f"not for a service on ExpressCluster '{cluster.name}': CloudFront reaches it at "
            "its AWS-provided domain, the only name its certificate and listener rule match",
        )
    if cluster.endpoint != "public":
        raise a.fail(
            "api_origin",
            service.name,
            f"ExpressCluster '{cluster.name}' has endpoint='internal', so its load balancer "
            "has no address CloudFront can reach; give it endpoint='public', or use a "
            "FargateCluster with behind_cdn (a CloudFront VPC origin)",
        )
    name = service.url.apply(lambda url: url.removeprefix("https://"))
    return ApiOrigin(service, cluster, name, True)


def _check_host(a: ArgReader, service: StatelessService, name: pulumi.Input[str], fix: str) -> None:
    """CloudFront sends the origin's name as Host: a service routing by hosts must match."""
    hosts = service.spec.hosts
    if hosts and not (isinstance(name, str) and _host_matches(name, hosts)):
        shown = name if isinstance(name, str) else "the ALB's DNS name"
        raise ArgError(
            f"CdnFrontend '{a.name}': api_origin='{service.name}' is not allowed; it routes by "
            f"hosts {list(hosts)!r}, but CloudFront sends Host: {shown}. {fix}"
        )


def _host_matches(name: str, hosts: tuple[str, ...]) -> bool:
    for host in hosts:
        pattern = re.escape(host).replace(r"\*", ".*").replace(r"\?", ".")
        if re.fullmatch(pattern, name):
            return True
    return False


def _waf_rate_limit(a: ArgReader) -> int:
    limit = a.integer("waf_rate_limit", 2000)
    if not 10 <= limit <= 2_000_000_000:
        raise RATE_LIMIT_MINIMUM.refuse(
            f"CdnFrontend '{a.name}'", "waf_rate_limit", f"{limit} requests per 5 minutes"
        )
    return limit


def _static_dir(a: ArgReader) -> Path | None:
    raw = a.raw("static_dir")
    if raw is None:
        return None
    if not isinstance(raw, str | Path) or not str(raw):
        raise a.fail("static_dir", raw, "expected the path of a local directory")
    try:
        path = Path(raw).expanduser()
        is_dir = path.is_dir()
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        # A path the OS cannot look up: too long, a NUL byte, no permission, `~nobody`.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise a.fail("static_dir", str(raw), f"expected an existing directory ({reason})") from None
    if not is_dir:
        raise a.fail("static_dir", str(raw), f"{resolved} is not an existing directory")
    return resolved


def _routes(a: ArgReader, origins: list[str]) -> tuple[tuple[str, str], ...]:
    routes = a.mapping("routes")
    if len(routes) > MAX_ROUTES:
        raise CACHE_BEHAVIORS_QUOTA.refuse(
            f"CdnFrontend '{a.name}'",
            "routes",
            f"{len(routes)} routes make {len(routes) + 1} cache behaviors with the default",
            f"give at most {MAX_ROUTES} routes (merge them with wildcards such as '/api/*')",
        )
    out = []
    for pattern, origin in routes.items():
        if not isinstance(pattern, str) or not re.fullmatch(ROUTE_PATTERN, pattern):
            raise PATH_PATTERN.refuse(
                f"CdnFrontend '{a.name}'", "routes", f"{pattern!r} is not a path pattern"
            )
        if pattern in ("*", "/*"):
            raise a.fail(
                "routes", {pattern: origin}, "'/*' is the default behavior: use default_origin"
            )
        if origin not in origins:
            raise a.fail(
                "routes",
                {pattern: origin},
                f"unknown origin {origin!r}; this CdnFrontend has: {', '.join(origins)}",
            )
        out.append((pattern, str(origin)))
    return tuple(out)


__all__ = ["ApiOrigin", "CdnFrontendArgs", "CdnSettings", "read_settings"]
