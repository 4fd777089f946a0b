"""Programs for the AWS create-time rules of CloudFront, ACM, WAF, Route 53, IAM and FIS:
`edge_refused()` registers, for each rule, a resource AWS would refuse (named
`refused-<rule id>...`), and `edge_accepted()` the same resources as AWS accepts them
(named `accepted-<rule id>...`). The policy tests add the refused ones to their bad program;
tests/deployability checks each rule against both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"
DIST_ARN = f"arn:aws:cloudfront::{ACCOUNT}:distribution/EDFDVBD6EXAMPLE"
CERT_US = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555"
CERT_EU = f"arn:aws:acm:eu-west-1:{ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555"
ZONE = "Z0123456789ABCDEFGHIJ"
GITHUB = "https://token.actions.githubusercontent.com"
LONG_DOMAIN = "a" * 50 + ".example-shop.com"  # 67 characters
FIS_TRUST = {"Service": "fis.amazonaws.com"}
EC2_TRUST = {"Service": "ec2.amazonaws.com"}


@dataclass
class Edge:
    prefix: str
    refused: bool
    us_east_1: aws.Provider
    eu_west_1: aws.Provider

    def name(self, rule: str, suffix: str = "") -> str:
        return f"{self.prefix}-{rule}{suffix}"

    def pick(self, refused: Any, accepted: Any) -> Any:
        return refused if self.refused else accepted


def trust(principal: dict[str, str], statements: int = 1) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"Trust{i}",
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                }
                for i in range(statements)
            ],
        }
    )


def document(statements: int, sid: str = "Read") -> str:
    """A policy of `statements` statements of about 200 characters each (white space not
    counted)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"{sid}{i}",
                    "Effect": "Allow",
                    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                    "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue-number-{i:04d}-of-app",
                }
                for i in range(statements)
            ],
        },
        indent=2,
    )


def _distribution(
    name: str,
    *,
    aliases: list[str] | None = None,
    certificate: dict[str, Any] | None = None,
    behaviors: int = 0,
    header: str = "X-Origin-Verify",
) -> aws.cloudfront.Distribution:
    behavior = {
        "target_origin_id": "api",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "response_headers_policy_id": "67f7725c-6f97-4210-82d7-5512b31e9d03",
    }
    return aws.cloudfront.Distribution(
        name,
        enabled=True,
        aliases=aliases or [],
        origins=[
            {
                "origin_id": "api",
                "domain_name": "origin.example.com",
                "custom_origin_config": {
                    "http_port": 80,
                    "https_port": 443,
                    "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": ["TLSv1.2"],
                },
                "custom_headers": [{"name": header, "value": "token"}],
            }
        ],
        default_cache_behavior=behavior,
        ordered_cache_behaviors=[
            {"path_pattern": f"/p{i}/*", **behavior} for i in range(behaviors)
        ],
        restrictions={"geo_restriction": {"restriction_type": "none"}},
        viewer_certificate=certificate or {"cloudfront_default_certificate": True},
    )


def _acm(arn: pulumi.Input[str]) -> dict[str, Any]:
    return {
        "acm_certificate_arn": arn,
        "ssl_support_method": "sni-only",
        "minimum_protocol_version": "TLSv1.2_2021",
    }


def cloudfront(e: Edge) -> None:
    _distribution(
        e.name("cloudfront-acm-certificate-us-east-1"),
        aliases=["shop.example.com"],
        certificate=_acm(e.pick(CERT_EU, CERT_US)),
    )
    cert = aws.acm.Certificate(
        e.name("cloudfront-aliases-need-certificate", "-cert"),
        domain_name="www.example.com",
        subject_alternative_names=e.pick([], ["shop.example.com"]),
        validation_method="DNS",
        opts=pulumi.ResourceOptions(provider=e.us_east_1),
    )
    _distribution(
        e.name("cloudfront-aliases-need-certificate"),
        aliases=["www.example.com", "shop.example.com"],
        certificate=_acm(cert.arn),
    )
    _distribution(
        e.name("cloudfront-aliases-need-certificate", "-default"),
        aliases=e.pick(["static.example.com"], []),
    )
    _distribution(e.name("cloudfront-cache-behaviors-quota"), behaviors=e.pick(75, 74))
    _distribution(
        e.name("cloudfront-origin-custom-header-names"),
        header=e.pick("X-Amz-Date", "X-Origin-Verify"),
    )


def acm(e: Edge) -> None:
    aws.acm.Certificate(
        e.name("acm-common-name-length"),
        domain_name=e.pick(LONG_DOMAIN, "shop.example.com"),
        subject_alternative_names=e.pick([], [LONG_DOMAIN]),
        validation_method="DNS",
    )
    names = [f"site{i}.example.com" for i in range(e.pick(10, 9))]
    aws.acm.Certificate(
        e.name("acm-domain-names-quota"),
        domain_name="example.com",
        subject_alternative_names=names,
        validation_method="DNS",
    )


def _visibility(metric: str) -> dict[str, Any]:
    return {
        "cloudwatch_metrics_enabled": True,
        "metric_name": metric,
        "sampled_requests_enabled": True,
    }


def _rate_rule(name: str, priority: int, limit: int, window: int) -> dict[str, Any]:
    return {
        "name": name,
        "priority": priority,
        "action": {"block": {}},
        "statement": {
            "rate_based_statement": {
                "limit": limit,
                "aggregate_key_type": "IP",
                "evaluation_window_sec": window,
            }
        },
        "visibility_config": _visibility(name),
    }


def _web_acl(name: str, rules: list[dict[str, Any]], provider: aws.Provider) -> aws.wafv2.WebAcl:
    return aws.wafv2.WebAcl(
        name,
        scope="CLOUDFRONT",
        default_action={"allow": {}},
        rules=rules,
        visibility_config=_visibility(name),
        opts=pulumi.ResourceOptions(provider=provider),
    )


def wafv2(e: Edge) -> None:
    _web_acl(
        e.name("wafv2-cloudfront-scope-us-east-1"),
        [_rate_rule("per-ip", 0, 2000, 300)],
        e.pick(e.eu_west_1, e.us_east_1),
    )
    _web_acl(
        e.name("wafv2-rate-limit-minimum"),
        [_rate_rule("per-ip", 0, e.pick(9, 10), 300)],
        e.us_east_1,
    )
    _web_acl(
        e.name("wafv2-rate-evaluation-window"),
        [_rate_rule("per-ip", 0, 2000, e.pick(30, 60))],
        e.us_east_1,
    )
    _web_acl(
        e.name("wafv2-rule-priorities-unique"),
        [_rate_rule("per-ip", 0, 2000, 300), _rate_rule("burst", e.pick(0, 1), 100, 60)],
        e.us_east_1,
    )
    regional = aws.wafv2.WebAcl(
        e.name("wafv2-no-association-for-cloudfront", "-acl"),
        scope="REGIONAL",
        default_action={"allow": {}},
        visibility_config=_visibility("regional"),
    )
    alb = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
    aws.wafv2.WebAclAssociation(
        e.name("wafv2-no-association-for-cloudfront"),
        resource_arn=e.pick(DIST_ARN, alb),
        web_acl_arn=regional.arn,
    )


def route53(e: Edge) -> None:
    alias = {"name": "d111111abcdef8.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}
    aws.route53.Record(
        e.name("route53-alias-without-ttl"),
        zone_id=ZONE,
        name="www.example.com",
        type="A",
        aliases=[{**alias, "evaluate_target_health": False}],
        ttl=e.pick(300, None),
    )
    aws.route53.Record(
        e.name("route53-set-identifier-with-routing-policy"),
        zone_id=ZONE,
        name="api.example.com",
        type="A",
        records=["192.0.2.10"],
        ttl=60,
        weighted_routing_policies=[{"weight": 10}],
        set_identifier=e.pick(None, "blue"),
    )


def iam(e: Edge) -> None:
    ec2 = trust(EC2_TRUST)
    aws.iam.Role(
        e.name("iam-role-name-length"),
        name=e.pick("x" * 65, "x" * 64),
        assume_role_policy=ec2,
    )
    aws.iam.Role(
        e.name("iam-max-session-duration"),
        assume_role_policy=ec2,
        max_session_duration=e.pick(900, 3600),
    )
    aws.iam.Policy(e.name("iam-managed-policy-size"), policy=document(e.pick(40, 25)))
    aws.iam.Role(
        e.name("iam-trust-policy-size"), assume_role_policy=trust(EC2_TRUST, e.pick(14, 10))
    )
    inline = aws.iam.Role(e.name("iam-role-inline-policies-size"), assume_role_policy=ec2)
    for i in range(2):
        aws.iam.RolePolicy(
            e.name("iam-role-inline-policies-size", f"-{i}"),
            role=inline.name,
            policy=document(e.pick(35, 31)),
        )
    attached = aws.iam.Role(e.name("iam-managed-policies-per-role"), assume_role_policy=ec2)
    for i in range(e.pick(11, 10)):
        aws.iam.RolePolicyAttachment(
            e.name("iam-managed-policies-per-role", f"-{i}"),
            role=attached.name,
            policy_arn=f"arn:aws:iam::{ACCOUNT}:policy/shared-{i}",
        )
    aws.iam.Policy(
        e.name("iam-policy-sid-characters"), policy=document(1, e.pick("read-queue", "ReadQueue"))
    )
    for i in range(e.pick(2, 1)):
        aws.iam.OpenIdConnectProvider(
            e.name("iam-oidc-provider-unique", f"-{i}"),
            url=GITHUB,
            client_id_lists=["sts.amazonaws.com"],
        )


def fis(e: Edge) -> None:
    untrusted = aws.iam.Role(
        e.name("fis-experiment-role-trust", "-role"),
        assume_role_policy=trust(e.pick(EC2_TRUST, FIS_TRUST)),
    )
    trusted = aws.iam.Role(e.name("fis", "-role"), assume_role_policy=trust(FIS_TRUST))
    alarm = f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:page-"

    def template(
        rule: str,
        stops: int = 1,
        duration: str = "PT10M",
        mode: str = "ALL",
        role: aws.iam.Role = trusted,
    ) -> None:
        aws.fis.ExperimentTemplate(
            e.name(rule),
            description=f"{rule} drill",
            role_arn=role.arn,
            stop_conditions=[
                {"source": "aws:cloudwatch:alarm", "value": f"{alarm}{i}"} for i in range(stops)
            ],
            targets=[
                {
                    "name": "cache",
                    "resource_type": "aws:elasticache:replicationgroup",
                    "resource_arns": [
                        f"arn:aws:elasticache:us-east-1:{ACCOUNT}:replicationgroup:c"
                    ],
                    "selection_mode": mode,
                    "parameters": {"availabilityZoneIdentifier": "us-east-1a"},
                }
            ],
            actions=[
                {
                    "name": "power",
                    "action_id": "aws:elasticache:replicationgroup-interrupt-az-power",
                    "target": {"key": "ReplicationGroups", "value": "cache"},
                    "parameters": [{"key": "duration", "value": duration}],
                }
            ],
        )

    template("fis-experiment-role-trust", role=untrusted)
    template("fis-stop-conditions-quota", stops=e.pick(6, 5))
    template("fis-action-duration-iso8601", duration=e.pick("10 minutes", "PT1M30S"))
    template("fis-selection-mode", mode=e.pick("PERCENT(0)", "PERCENT(25)"))


def _edge(prefix: str, refused: bool) -> Edge:
    return Edge(
        prefix,
        refused,
        aws.Provider(f"{prefix}-us-east-1", region="us-east-1"),
        aws.Provider(f"{prefix}-eu-west-1", region="eu-west-1"),
    )


SERVICES = (cloudfront, acm, wafv2, route53, iam, fis)


def edge_refused() -> None:
    e = _edge("refused", refused=True)
    for service in SERVICES:
        service(e)


def edge_accepted() -> None:
    e = _edge("accepted", refused=False)
    for service in SERVICES:
        service(e)
