"""Real validators for what gridops generates, for your tests and ours.

They need the `dev` extra (parliament, botocore); each imports its tool when called.
"""

from __future__ import annotations

import json
from typing import Any

# A role trust policy names a Principal and no Resource by design; parliament reads every
# document as an identity policy and reports that missing Resource, so for trust policies
# (and only for them) that one finding is expected.
_TRUST_POLICY_EXPECTED = "Statement contains neither Resource nor NotResource"


KEY_ARN_FOR_ANALYSIS = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-a000-000000000000"


def iam_findings(
    document: str | dict[str, Any], *, trust: bool = False, key_policy: bool = False
) -> list[str]:
    """parliament's findings (community auditors included) for one policy document.

    `trust=True`: a role trust policy (its missing Resource is expected).
    `key_policy=True`: a KMS key policy, where `"Resource": "*"` means "this key"; it is
    analysed with the key's ARN in its place; the account-root `kms:*` statement AWS
    puts in every default key policy (it delegates the key's administration to IAM
    policies) is left out of the analysis, every other statement is checked.
    """
    from parliament import analyze_policy_string

    doc = json.loads(document) if isinstance(document, str) else document
    if key_policy:
        kept = []
        for st in doc.get("Statement", []):
            if _is_root_key_admin(st):
                continue
            st = dict(st)
            if st.get("Resource") == "*":
                st["Resource"] = KEY_ARN_FOR_ANALYSIS
            kept.append(st)
        doc = {**doc, "Statement": kept}
    policy = analyze_policy_string(json.dumps(doc), include_community_auditors=True)
    findings = [f"{f.issue}: {f.detail}" for f in policy.findings]
    if trust or key_policy:
        findings = [f for f in findings if _TRUST_POLICY_EXPECTED not in f]
    return findings


def ecs_container_definition_errors(
    container_definitions: str | list[dict[str, Any]],
) -> str | None:
    """Validate container definitions against botocore's ECS RegisterTaskDefinition shape;
    None when valid, else botocore's report."""
    import botocore.session
    from botocore.validate import ParamValidator

    defs = (
        json.loads(container_definitions)
        if isinstance(container_definitions, str)
        else container_definitions
    )
    model = botocore.session.get_session().get_service_model("ecs")
    shape = model.operation_model("RegisterTaskDefinition").input_shape
    report = ParamValidator().validate({"family": "validate", "containerDefinitions": defs}, shape)
    return report.generate_report() if report.has_errors() else None


def _is_root_key_admin(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    aws = principal.get("AWS", "") if isinstance(principal, dict) else ""
    return (
        statement.get("Effect") == "Allow"
        and statement.get("Action") == "kms:*"
        and isinstance(aws, str)
        and aws.endswith(":root")
        and "Condition" not in statement
    )
