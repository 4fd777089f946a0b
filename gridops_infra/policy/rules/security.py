"""KMS key rotation and IAM policies that grant everything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, parse_json, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

KMS_KEY = "aws:kms/key:Key"

ROLE = "aws:iam/role:Role"
POLICY_DOCUMENT_HOLDERS = (
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
POLICY_ATTACHMENTS = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
)
ADMIN_MANAGED_POLICY_SUFFIX = ":policy/AdministratorAccess"


@resource_rule(
    name="kms-key-rotation",
    description="Symmetric KMS keys rotate their key material every year.",
    severity=MANDATORY,
    remediation="Set enable_key_rotation=True (asymmetric and HMAC keys cannot rotate and "
    "are not checked).",
    types=(KMS_KEY,),
    awsguard="cmk-backing-key-rotation-enabled",
)
def key_rotation(args: Any, report: ReportViolation) -> None:
    spec = text(get(args.props, "customerMasterKeySpec")) or "SYMMETRIC_DEFAULT"
    usage = text(get(args.props, "keyUsage")) or "ENCRYPT_DECRYPT"
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        return
    if get(args.props, "customKeyStoreId"):
        return  # Keys in a custom key store cannot rotate automatically.
    if not is_true(get(args.props, "enableKeyRotation")):
        report("enableKeyRotation is not true.")


def statements(document: Any) -> list[Mapping[str, Any]]:
    if not isinstance(document, Mapping):
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, Mapping)]


def grants_everything(statement: Mapping[str, Any]) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    actions = {str(a) for a in as_list(statement.get("Action"))}
    resources = {str(r) for r in as_list(statement.get("Resource"))}
    return bool(actions & {"*", "*:*"}) and "*" in resources


def policy_documents(args: Any) -> Iterator[tuple[str, Any]]:
    """(where, raw policy JSON) for every policy document the resource carries."""
    if args.resource_type == ROLE:
        for inline in as_list(get(args.props, "inlinePolicies")):
            yield f"inline policy {text(get(inline, 'name')) or '?'!r}", get(inline, "policy")
    elif args.resource_type in POLICY_DOCUMENT_HOLDERS:
        yield "policy", get(args.props, "policy")


@resource_rule(
    name="iam-no-admin-statements",
    description='No IAM policy allows Action "*" on Resource "*", and no principal gets the '
    "AdministratorAccess managed policy.",
    severity=MANDATORY,
    remediation="Grant the actions the workload calls on the ARNs it touches (build the "
    "document with gridops_infra.core.iam.statement/policy_document); use AWS-managed job-function "
    "policies or scoped roles for people.",
    types=(ROLE, *POLICY_DOCUMENT_HOLDERS, *POLICY_ATTACHMENTS),
)
def no_admin_statements(args: Any, report: ReportViolation) -> None:
    for where, raw in policy_documents(args):
        for statement in statements(parse_json(raw)):
            if grants_everything(statement):
                sid = statement.get("Sid")
                label = f"statement {sid!r}" if sid else "a statement"
                report(f'{where}: {label} allows Action "*" on Resource "*".')
    arns = as_list(get(args.props, "managedPolicyArns")) + as_list(get(args.props, "policyArn"))
    if any(text(arn).endswith(ADMIN_MANAGED_POLICY_SUFFIX) for arn in arns):
        report("attaches the AdministratorAccess managed policy.")
