"""IAM's create-time limits on the whole Plan: role name length, session duration, policy
sizes (white space not counted), managed policies per role, Sid characters, one OIDC
provider per issuer URL."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.core.aws_rules import iam
from gridops_infra.policy._aws_limits import generated_name, policy_characters
from gridops_infra.policy._props import (
    as_list,
    get,
    number,
    of_type,
    parse_json,
    peek,
    refers_to,
    text,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, setting, stack_rule
from gridops_infra.policy.rules.security import statements

ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = (
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
)
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
IDENTITY_POLICY_HOLDERS = (
    POLICY,
    ROLE_POLICY,
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)

MAX_ROLE_NAME = iam.MAX_ROLE_NAME
SESSION_RANGE = (3600, 43200)
MAX_MANAGED_POLICY = 6144
MAX_ROLE_INLINE = 10240
MAX_TRUST_POLICY = 2048
MAX_MANAGED_PER_ROLE = 10
SID = re.compile(r"[A-Za-z0-9]*")


@stack_rule(
    name="iam-role-name-length",
    description="Every IAM role name (given, or generated from the logical name or "
    "name_prefix) has at most 64 characters.",
    severity=MANDATORY,
    remediation=iam.ROLE_NAME_LENGTH.fix,
    types=(ROLE,),
    aws_rule=iam.ROLE_NAME_LENGTH.id,
)
def role_name_length(args: Any, report: ReportViolation) -> None:
    for role in of_type(args.resources, ROLE):
        named = generated_name(role)
        if named and named[1] > MAX_ROLE_NAME:
            report(
                f"{role.name}: role name {named[0]!r} has {named[1]} characters; IAM allows "
                f"{MAX_ROLE_NAME}.",
                role.urn,
            )


@resource_rule(
    name="iam-max-session-duration",
    description="An IAM role's maxSessionDuration is 3600 to 43200 seconds.",
    severity=MANDATORY,
    remediation=iam.MAX_SESSION_DURATION.fix,
    types=(ROLE,),
    aws_rule=iam.MAX_SESSION_DURATION.id,
)
def max_session_duration(args: Any, report: ReportViolation) -> None:
    seconds = number(get(args.props, "maxSessionDuration"))
    lo, hi = SESSION_RANGE
    if seconds is not None and not lo <= seconds <= hi:
        report(f"maxSessionDuration {seconds:g}; allowed {lo}..{hi} seconds.")


@resource_rule(
    name="iam-managed-policy-size",
    description="A managed IAM policy has at most 6,144 characters, white space not counted.",
    severity=MANDATORY,
    remediation=iam.MANAGED_POLICY_SIZE.fix,
    types=(POLICY,),
    aws_rule=iam.MANAGED_POLICY_SIZE.id,
)
def managed_policy_size(args: Any, report: ReportViolation) -> None:
    size = policy_characters(get(args.props, "policy"))
    if size is not None and size > MAX_MANAGED_POLICY:
        report(f"the policy has {size:,} characters (white space not counted); IAM allows 6,144.")


@resource_rule(
    name="iam-trust-policy-size",
    description="A role's trust policy has at most `maximum` characters (2,048, the default "
    "quota), white space not counted.",
    severity=MANDATORY,
    remediation=iam.TRUST_POLICY_SIZE.fix,
    types=(ROLE,),
    config_schema={"maximum": {"type": "integer", "minimum": 1, "default": MAX_TRUST_POLICY}},
    aws_rule=iam.TRUST_POLICY_SIZE.id,
)
def trust_policy_size(args: Any, report: ReportViolation) -> None:
    maximum = number(setting(args, "maximum", MAX_TRUST_POLICY)) or MAX_TRUST_POLICY
    size = policy_characters(get(args.props, "assumeRolePolicy"))
    if size is not None and size > maximum:
        report(f"the trust policy has {size:,} characters; the quota is {maximum:,.0f}.")


def _role_of(resources: list[Any], holder: Any) -> list[Any]:
    return [r for r in of_type(resources, ROLE) if refers_to(holder, "role", r, "name", "id")]


@stack_rule(
    name="iam-role-inline-policies-size",
    description="All inline policies of one IAM role together have at most 10,240 "
    "characters, white space not counted.",
    severity=MANDATORY,
    remediation=iam.ROLE_INLINE_POLICIES_SIZE.fix,
    types=(ROLE, ROLE_POLICY),
    aws_rule=iam.ROLE_INLINE_POLICIES_SIZE.id,
)
def role_inline_policies_size(args: Any, report: ReportViolation) -> None:
    totals: dict[str, int] = {}
    for role in of_type(args.resources, ROLE):
        for inline in as_list(peek(role.props, "inlinePolicies")):
            totals[role.urn] = totals.get(role.urn, 0) + (
                policy_characters(peek(inline, "policy")) or 0
            )
    for holder in of_type(args.resources, ROLE_POLICY):
        size = policy_characters(peek(holder.props, "policy")) or 0
        for role in _role_of(args.resources, holder):
            totals[role.urn] = totals.get(role.urn, 0) + size
    for role in of_type(args.resources, ROLE):
        total = totals.get(role.urn, 0)
        if total > MAX_ROLE_INLINE:
            report(
                f"{role.name}: its inline policies have {total:,} characters together "
                "(white space not counted); IAM allows 10,240.",
                role.urn,
            )


@stack_rule(
    name="iam-managed-policies-per-role",
    description="An IAM role has at most `maximum` managed policies attached (10, the "
    "default quota).",
    severity=MANDATORY,
    remediation=iam.MANAGED_POLICIES_PER_ROLE.fix,
    types=(ROLE, ROLE_POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE),
    config_schema={"maximum": {"type": "integer", "minimum": 1, "default": MAX_MANAGED_PER_ROLE}},
    aws_rule=iam.MANAGED_POLICIES_PER_ROLE.id,
)
def managed_policies_per_role(args: Any, report: ReportViolation) -> None:
    maximum = number(setting(args, "maximum", MAX_MANAGED_PER_ROLE)) or MAX_MANAGED_PER_ROLE
    attached: dict[str, set[str]] = {}
    for role in of_type(args.resources, ROLE):
        attached[role.urn] = {str(a) for a in as_list(peek(role.props, "managedPolicyArns"))}
    for attachment in of_type(args.resources, ROLE_POLICY_ATTACHMENT):
        arn = peek(attachment.props, "policyArn")
        # An ARN not known yet (a policy of this stack, in a real preview) counts once each.
        key = arn if isinstance(arn, str) and arn else attachment.urn
        for role in _role_of(args.resources, attachment):
            attached[role.urn].add(key)
    for exclusive in of_type(args.resources, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE):
        arns = {str(a) for a in as_list(peek(exclusive.props, "policyArns"))}
        for role in of_type(args.resources, ROLE):
            if refers_to(exclusive, "roleName", role, "name", "id"):
                attached[role.urn] |= arns
    for role in of_type(args.resources, ROLE):
        count = len(attached.get(role.urn, set()))
        if count > maximum:
            report(
                f"{role.name}: {count} managed policies attached; the quota is {maximum:g}.",
                role.urn,
            )


def _sids(document: Any) -> list[str]:
    return [str(s["Sid"]) for s in statements(parse_json(document)) if s.get("Sid") is not None]


@resource_rule(
    name="iam-policy-sid-characters",
    description="Statement ids (Sid) in IAM identity and trust policies hold only ASCII "
    "letters and digits.",
    severity=MANDATORY,
    remediation=iam.POLICY_SID_CHARACTERS.fix,
    types=(ROLE, *IDENTITY_POLICY_HOLDERS),
    aws_rule=iam.POLICY_SID_CHARACTERS.id,
)
def policy_sid_characters(args: Any, report: ReportViolation) -> None:
    documents: list[tuple[str, Any]] = []
    if args.resource_type == ROLE:
        documents.append(("trust policy", get(args.props, "assumeRolePolicy")))
        for inline in as_list(get(args.props, "inlinePolicies")):
            documents.append(
                (f"inline policy {text(get(inline, 'name'))!r}", get(inline, "policy"))
            )
    else:
        documents.append(("policy", get(args.props, "policy")))
    for where, document in documents:
        bad = [sid for sid in _sids(document) if not SID.fullmatch(sid)]
        if bad:
            report(f"{where}: Sid {bad} may hold only ASCII letters and digits.")


@stack_rule(
    name="iam-oidc-provider-unique",
    description="The stack creates at most one IAM OIDC provider per issuer URL.",
    severity=MANDATORY,
    remediation=iam.OIDC_PROVIDER_UNIQUE.fix,
    types=(OIDC_PROVIDER,),
    aws_rule=iam.OIDC_PROVIDER_UNIQUE.id,
)
def oidc_provider_unique(args: Any, report: ReportViolation) -> None:
    first: dict[str, Any] = {}
    for provider in of_type(args.resources, OIDC_PROVIDER):
        url = peek(provider.props, "url")
        if not isinstance(url, str) or not url:
            continue
        key = url.lower().removeprefix("https://").rstrip("/")
        if key in first:
            report(
                f"{provider.name}: a second OIDC provider for {url!r} (first: "
                f"{first[key].name!r}); IAM registers one per URL and account.",
                provider.urn,
            )
        else:
            first[key] = provider
