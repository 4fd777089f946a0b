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


def iam_findings(document: str | dict[str, Any], *, trust: bool = False) -> list[str]:
    """parliament's findings (community auditors included) for one policy document."""
    from parliament import analyze_policy_string

    text = document if isinstance(document, str) else json.dumps(document)
    policy = analyze_policy_string(text, include_community_auditors=True)
    findings = [f"{f.issue}: {f.detail}" for f in policy.findings]
    if trust:
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
