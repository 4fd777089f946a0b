"""Load balancers (ALB/NLB and Classic ELB) and their listeners."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import (
    as_list,
    depends_on,
    get,
    is_true,
    number,
    of_type,
    peek,
    refers_to,
    text,
)
from gridops_infra.policy.rule import (
    ADVISORY,
    MANDATORY,
    ReportViolation,
    resource_rule,
    stack_rule,
)
from gridops_infra.policy.rules.environments import disposable

LB_V2 = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
CLASSIC_ELB = "aws:elb/loadBalancer:LoadBalancer"
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LISTENER_CERTIFICATES = (
    "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:alb/listenerCertificate:ListenerCertificate",
)
ACM_CERTIFICATE = "aws:acm/certificate:Certificate"
CLOUDFRONT_DISTRIBUTION = "aws:cloudfront/distribution:Distribution"


def lb_type(props: Any) -> str:
    return text(get(props, "loadBalancerType")) or "application"


@resource_rule(
    name="lb-access-logs",
    description="Load balancers write access logs to S3.",
    severity=MANDATORY,
    remediation="Set access_logs={'bucket': <log bucket>, 'enabled': True} (the bucket needs a "
    "policy letting the regional ELB log delivery write to it).",
    types=(*LB_V2, CLASSIC_ELB),
    awsguard="elb-logging-enabled",
)
def access_logs(args: Any, report: ReportViolation) -> None:
    logs = get(args.props, "accessLogs")
    if args.resource_type == CLASSIC_ELB:
        enabled = logs is not None and get(logs, "enabled") is not False
    else:
        if lb_type(args.props) == "gateway":
            return  # Gateway load balancers have no access logs.
        enabled = is_true(get(logs, "enabled"))
    if not enabled or not text(get(logs, "bucket")):
        report("accessLogs is not enabled with a bucket: requests leave no trace to audit.")


@resource_rule(
    name="lb-deletion-protection",
    description="ALBs and NLBs have deletion protection, so the entry point of the service "
    "(and its DNS name) cannot be deleted by accident (a preview environment's, tagged "
    "environment=preview with an expires-at time, is disposable).",
    severity=MANDATORY,
    remediation="Set enable_deletion_protection=True.",
    types=LB_V2,
    awsguard="elb-deletion-protection-enabled",
)
def deletion_protection(args: Any, report: ReportViolation) -> None:
    if disposable(args.props):
        return
    if not is_true(get(args.props, "enableDeletionProtection")):
        report("enableDeletionProtection is not true.")


@resource_rule(
    name="alb-drop-invalid-headers",
    description="Application load balancers drop HTTP headers that are not valid, closing a "
    "request-smuggling path to the targets.",
    severity=MANDATORY,
    remediation="Set drop_invalid_header_fields=True.",
    types=LB_V2,
)
def drop_invalid_headers(args: Any, report: ReportViolation) -> None:
    if lb_type(args.props) != "application":
        return
    if not is_true(get(args.props, "dropInvalidHeaderFields")):
        report("dropInvalidHeaderFields is not true.")


def is_http_listener(props: Any) -> bool:
    protocol = text(peek(props, "protocol")).upper()
    if protocol:
        return protocol == "HTTP"
    return number(peek(props, "port")) == 80 and not peek(props, "certificateArn")


def is_tls_listener(props: Any) -> bool:
    protocol = text(peek(props, "protocol")).upper()
    return protocol in ("HTTPS", "TLS") or bool(peek(props, "certificateArn"))


def redirects_to_https(props: Any) -> bool:
    actions = as_list(get(props, "defaultActions"))
    if len(actions) != 1:
        return False
    action = actions[0]
    return (
        text(get(action, "type")) == "redirect"
        and text(get(action, "redirect", "protocol")).upper() == "HTTPS"
    )


def has_tls(resources: list[Any]) -> bool:
    """Whether the stack serves TLS from a load balancer: an HTTPS/TLS listener, a listener
    certificate, or an ACM certificate not used (only) by a CloudFront distribution."""
    if any(is_tls_listener(r.props) for r in of_type(resources, LISTENERS)):
        return True
    if of_type(resources, LISTENER_CERTIFICATES):
        return True
    distributions = of_type(resources, CLOUDFRONT_DISTRIBUTION)
    for cert in of_type(resources, ACM_CERTIFICATE):
        used_by_cdn = any(
            refers_to(d, "viewerCertificate", cert, "arn", path=("acmCertificateArn",))
            for d in distributions
        )
        if not used_by_cdn:
            return True
    return False


def plain_http_listeners(resources: list[Any]) -> list[Any]:
    return [
        r
        for r in of_type(resources, LISTENERS)
        if is_http_listener(r.props) and not redirects_to_https(r.props)
    ]


@stack_rule(
    name="alb-http-redirects-to-https",
    description="When the stack serves HTTPS, every plain-HTTP listener only redirects to it.",
    severity=MANDATORY,
    remediation="Make the HTTP listener's only default action a redirect: "
    "default_actions=[{'type': 'redirect', 'redirect': {'protocol': 'HTTPS', 'port': '443', "
    "'status_code': 'HTTP_301'}}].",
    types=(*LISTENERS, *LISTENER_CERTIFICATES, ACM_CERTIFICATE),
    awsguard="alb-http-to-https-redirection",
)
def http_redirects(args: Any, report: ReportViolation) -> None:
    if not has_tls(args.resources):
        return
    for listener in plain_http_listeners(args.resources):
        report(
            f"HTTP listener {listener.name!r} serves traffic instead of redirecting to HTTPS, "
            "although this stack has an HTTPS listener or certificate.",
            listener.urn,
        )


def _on_internal_load_balancer(listener: Any, balancers: list[Any]) -> bool:
    return any(
        peek(lb.props, "internal") is True and depends_on(listener, "loadBalancerArn", lb)
        for lb in balancers
    )


@stack_rule(
    name="alb-http-without-tls",
    description="A stack that serves HTTP from an internet-facing load balancer also serves "
    "HTTPS (an internal one, e.g. behind a CloudFront VPC origin, is off the internet).",
    severity=ADVISORY,
    remediation="Add an ACM certificate and an HTTPS listener (ssl_policy "
    "ELBSecurityPolicy-TLS13-1-2-2021-06), then redirect HTTP to it.",
    types=(*LISTENERS, *LISTENER_CERTIFICATES, ACM_CERTIFICATE, *LB_V2),
)
def http_without_tls(args: Any, report: ReportViolation) -> None:
    if has_tls(args.resources):
        return
    balancers = of_type(args.resources, LB_V2)
    for listener in plain_http_listeners(args.resources):
        if _on_internal_load_balancer(listener, balancers):
            continue
        report(
            f"HTTP listener {listener.name!r} serves plain HTTP and the stack has no HTTPS "
            "listener or certificate: traffic and cookies cross the internet unencrypted.",
            listener.urn,
        )
