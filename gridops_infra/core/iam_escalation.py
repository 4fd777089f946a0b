"""Which IAM statements let the principal that holds them give itself more rights.

A workload role (an ECS task, a pod, an instance, a Lambda function) runs the
application's code, so whatever the role allows, code injected into the application
can do. Some IAM actions turn into every other action: rewriting a policy attached to
oneself, attaching a stronger managed policy, minting credentials for another user,
passing or assuming a more privileged role. The list below follows the published
catalogues of IAM privilege-escalation paths (the methods Rhino Security Labs
documented, and the privilege-escalation checks of the parliament IAM linter), reduced
to the IAM/STS actions each path starts from; paths that also need a compute service
(`iam:PassRole` with `ec2:RunInstances`, `lambda:CreateFunction`, `glue:CreateDevEndpoint`
...) are covered by refusing the pass of *any* role.

Action patterns are matched the way IAM matches them: case-insensitively, `*` for any run
of characters and `?` for one, so `iam:Put*`, `iam:*Policy*` and `*` are caught as well as
the exact names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Escalating on any resource of their service: each rewrites who may do what, or runs
# code under a role that may be stronger.
ESCALATION_ACTIONS: dict[str, str] = {
    "iam:CreatePolicyVersion": "rewrites a managed policy (and can make the new version default)",
    "iam:SetDefaultPolicyVersion": "switches a managed policy to a more permissive version",
    "iam:AttachUserPolicy": "attaches any managed policy (AdministratorAccess) to a user",
    "iam:AttachGroupPolicy": "attaches any managed policy to a group",
    "iam:AttachRolePolicy": "attaches any managed policy to a role, its own included",
    "iam:PutUserPolicy": "writes an inline policy of its choosing on a user",
    "iam:PutGroupPolicy": "writes an inline policy of its choosing on a group",
    "iam:PutRolePolicy": "writes an inline policy of its choosing on a role, its own included",
    "iam:AddUserToGroup": "joins a user to a more privileged group",
    "iam:UpdateAssumeRolePolicy": "lets itself assume a more privileged role",
    "iam:CreateAccessKey": "mints access keys for another (more privileged) user",
    "iam:CreateLoginProfile": "sets a console password for a user that had none",
    "iam:UpdateLoginProfile": "resets another user's console password",
    "iam:PutRolePermissionsBoundary": "replaces the boundary that limits a role",
    "iam:PutUserPermissionsBoundary": "replaces the boundary that limits a user",
    "iam:DeleteRolePermissionsBoundary": "removes the boundary that limits a role",
    "iam:DeleteUserPermissionsBoundary": "removes the boundary that limits a user",
    "lambda:UpdateFunctionCode": "runs its own code under another function's role",
    "glue:UpdateDevEndpoint": "logs in to a Glue endpoint that runs under another role",
}

# Escalating when the resource is any role: scoped to one role ARN they are ordinary
# (Karpenter passes its node role, KEDA assumes the roles under its own path).
ROLE_ACTIONS: dict[str, str] = {
    "iam:PassRole": "hands any role (an administrator one included) to a service it can start",
    "sts:AssumeRole": "becomes any role whose trust admits the account",
}

# A role name no real scoping would admit: a Resource pattern that matches it covers
# every role of the account.
_PROBE_ROLE = "role/gridops-escalation-probe/any-role-q9z"
_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")

# AWS managed policies that grant the actions above.
ESCALATING_MANAGED_POLICIES = (":policy/AdministratorAccess", ":policy/IAMFullAccess")


@dataclass(frozen=True)
class Escalation:
    """One way a statement escalates: what it grants (as written) and what that allows."""

    granted: str
    """The statement's action pattern, e.g. `iam:Put*`."""
    action: str
    """The escalating action the pattern covers, e.g. `iam:PutRolePolicy`."""
    why: str

    def describe(self) -> str:
        covered = "" if self.granted.lower() == self.action.lower() else f" (via {self.granted})"
        return f"{self.action}{covered}: {self.why}"


def _glob(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def matches(pattern: str, value: str) -> bool:
    """IAM's wildcard match of one action or resource pattern."""
    return _glob(pattern).fullmatch(value) is not None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def covers_any_role(resource: str) -> bool:
    """Whether a Resource pattern admits every role of an account (`*`, `role/*`...)."""
    account = resource.split(":")[4] if resource.count(":") >= 5 else ""
    accounts = {account} if re.fullmatch(r"\d{12}", account) else {"123456789012"}
    return any(
        matches(resource, f"arn:{partition}:iam::{acct}:{_PROBE_ROLE}")
        for partition in _PARTITIONS
        for acct in accounts
    )


def could_name(resource: str, service: str) -> bool:
    """Whether a Resource pattern can name a resource of `service` (an S3 ARN cannot
    name an IAM role, so `iam:*` on it grants nothing)."""
    parts = resource.split(":")
    return len(parts) < 3 or matches(parts[2], service)


def escalations(statement: Mapping[str, Any]) -> list[Escalation]:
    """The escalations one policy statement allows ([] for Deny statements). `NotAction`
    allows everything it does not list and `NotResource` counts as every resource.
    Resources that are not known yet (Outputs) count as scoped."""
    if statement.get("Effect", "Allow") != "Allow":
        return []
    listed = statement.get("Resource")
    listed = listed if isinstance(listed, list | tuple) else [listed]
    resources = _strings(listed)
    unknown = len(resources) < len(listed)
    broad = "NotResource" in statement
    any_role = broad or any(covers_any_role(r) for r in resources)
    wanted = {
        action: why
        for action, why in ESCALATION_ACTIONS.items()
        if broad or unknown or any(could_name(r, action.split(":")[0]) for r in resources)
    } | (ROLE_ACTIONS if any_role else {})
    if "NotAction" in statement:
        excluded = _strings(statement.get("NotAction"))
        return [
            Escalation(f"NotAction {sorted(excluded)}", action, why)
            for action, why in wanted.items()
            if not any(matches(pattern, action) for pattern in excluded)
        ]
    found = []
    for granted in _strings(statement.get("Action")):
        for action, why in wanted.items():
            if matches(granted, action):
                found.append(Escalation(granted, action, why))
    return found


def document_escalations(statements: Iterable[Mapping[str, Any]]) -> list[Escalation]:
    return [e for s in statements for e in escalations(s)]


__all__ = [
    "ESCALATING_MANAGED_POLICIES",
    "ESCALATION_ACTIONS",
    "ROLE_ACTIONS",
    "Escalation",
    "could_name",
    "covers_any_role",
    "document_escalations",
    "escalations",
    "matches",
]
