"""ACM's create-time rules: the Common Name's length and the names-per-certificate quota."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import acm
from gridops_infra.policy._props import as_list, get, number, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, setting

CERTIFICATE = "aws:acm/certificate:Certificate"
MAX_COMMON_NAME = 64
MAX_DOMAIN_NAMES = 10


@resource_rule(
    name="acm-common-name-length",
    description="An ACM certificate's domain name (its Common Name) has at most 64 characters.",
    severity=MANDATORY,
    remediation=acm.COMMON_NAME_LENGTH.fix,
    types=(CERTIFICATE,),
    aws_rule=acm.COMMON_NAME_LENGTH.id,
)
def common_name_length(args: Any, report: ReportViolation) -> None:
    domain = text(get(args.props, "domainName"))
    if len(domain) > MAX_COMMON_NAME:
        report(f"domainName {domain!r} has {len(domain)} characters; at most {MAX_COMMON_NAME}.")


@resource_rule(
    name="acm-domain-names-quota",
    description="An ACM certificate names at most `maximum` domains (10, the default quota).",
    severity=MANDATORY,
    remediation=acm.DOMAIN_NAMES_QUOTA.fix,
    types=(CERTIFICATE,),
    config_schema={"maximum": {"type": "integer", "minimum": 1, "default": MAX_DOMAIN_NAMES}},
    aws_rule=acm.DOMAIN_NAMES_QUOTA.id,
)
def domain_names_quota(args: Any, report: ReportViolation) -> None:
    maximum = number(setting(args, "maximum", MAX_DOMAIN_NAMES)) or MAX_DOMAIN_NAMES
    names = {text(get(args.props, "domainName"))} | {
        str(n) for n in as_list(get(args.props, "subjectAlternativeNames"))
    }
    names.discard("")
    if len(names) > maximum:
        report(f"{len(names)} domain names; the quota is {maximum:g} per certificate.")
