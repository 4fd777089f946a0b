"""`task_statements`: the user's own IAM statements for a workload's role, checked item
by item so a document IAM would answer with MalformedPolicyDocument fails here instead,
naming the statement and its field (`task_statements[0].Resource=...`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pulumi

from gridops_infra.core.iam_escalation import escalations
from gridops_infra.core.validation import ArgReader

STATEMENT_KEYS = ("Sid", "Effect", "Action", "Resource", "Condition")
SID = r"[A-Za-z0-9]+"  # IAM: ASCII letters and digits only
# service:Action, e.g. s3:GetObject, dynamodb:Get*, sqs:*; a service prefix is lowercase.
ACTION = r"[a-z0-9-]+:[A-Za-z0-9*?]+"
# arn:partition:service:region:account:resource (region/account may be empty, as in S3).
ARN = r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9*-]*:(?:\d{12}|\*)?:\S+"
CONDITION_OPERATOR = r"(?:ForAllValues:|ForAnyValue:)?[A-Z][A-Za-z]*"
CONDITION_KEY = r"[A-Za-z0-9-]+:\S+"  # aws:SourceVpc, s3:prefix, aws:PrincipalTag/team
CONDITION_SCALARS = (str, bool, int, float, pulumi.Output)


def read_statements(a: ArgReader, field: str) -> tuple[Mapping[str, Any], ...]:
    """Each statement: `Action` and `Resource` (required), `Sid`, `Effect`, `Condition`
    (optional); no Principal/NotAction/NotResource. Resources are ARNs, never `"*"`."""
    out = []
    for i, st in enumerate(a.sequence(field)):
        where = f"{field}[{i}]"
        if not isinstance(st, Mapping) or set(st) - set(STATEMENT_KEYS):
            raise a.fail(
                where,
                st,
                "expected a statement with Action, Resource (and Sid, "
                "Effect, Condition); no Principal/NotAction/NotResource",
            )
        effect = _effect(a, where, st.get("Effect", "Allow"))
        actions = _actions(a, where, st.get("Action"))
        _refuse_escalation(a, where, effect, actions, st.get("Resource"))
        statement: dict[str, Any] = {
            "Effect": effect,
            "Action": actions,
            "Resource": _resources(a, where, st.get("Resource")),
        }
        if "Sid" in st:
            statement["Sid"] = _sid(a, where, st["Sid"])
        if "Condition" in st:
            statement["Condition"] = _condition(a, where, st["Condition"])
        out.append(MappingProxyType(statement))
    return tuple(out)


def _effect(a: ArgReader, where: str, effect: Any) -> str:
    if effect not in ("Allow", "Deny"):
        raise a.fail(f"{where}.Effect", effect, "expected 'Allow' or 'Deny'")
    return effect


def _sid(a: ArgReader, where: str, sid: Any) -> str:
    if not isinstance(sid, str) or not re.fullmatch(SID, sid):
        raise a.fail(f"{where}.Sid", sid, "expected ASCII letters and digits only (IAM's rule)")
    return sid


def _actions(a: ArgReader, where: str, actions: Any) -> list[str]:
    listed = [actions] if isinstance(actions, str) else actions
    hint = (
        "expected 'service:Action' or a non-empty list of them, e.g. 's3:GetObject' "
        "(lowercase service prefix; letters, digits, * and ? in the action)"
    )
    if not isinstance(listed, list | tuple) or not listed:
        raise a.fail(f"{where}.Action", actions, hint)
    for action in listed:
        if not isinstance(action, str) or not re.fullmatch(ACTION, action):
            raise a.fail(f"{where}.Action", action, hint)
    return sorted(set(listed))


def _refuse_escalation(
    a: ArgReader, where: str, effect: str, actions: list[str], resources: Any
) -> None:
    """A workload role runs the application's code: an action that lets it grant itself
    more (write its own policy, pass or assume any role) would make any flaw in the
    application an account takeover, so it is refused whatever else the statement says."""
    found = escalations({"Effect": effect, "Action": actions, "Resource": resources})
    if found:
        first = found[0]
        raise a.fail(
            f"{where}.Action",
            first.granted,
            f"it allows {first.describe()}; that is a privilege escalation from a workload "
            "role. Grant the exact actions on the exact ARNs the workload uses; IAM changes "
            "belong in the deploy pipeline (e.g. GithubDeployRole), passing or assuming a "
            "role needs that role's ARN, not a wildcard",
        )


def _resources(a: ArgReader, where: str, resources: Any) -> list[pulumi.Input[str]]:
    listed = [resources] if isinstance(resources, str | pulumi.Output) else resources
    if not isinstance(listed, list | tuple) or not listed:
        raise a.fail(f"{where}.Resource", resources, "expected an ARN or a non-empty list of ARNs")
    for resource in listed:
        if isinstance(resource, pulumi.Output):
            continue  # an ARN another resource will output
        if resource == "*":
            raise a.fail(
                f"{where}.Resource", resource, "'*' is refused (least privilege): list ARNs"
            )
        if not isinstance(resource, str) or not re.fullmatch(ARN, resource):
            raise a.fail(
                f"{where}.Resource",
                resource,
                "expected an ARN (arn:aws:<service>:<region>:<account>:<resource>, e.g. "
                "arn:aws:s3:::my-bucket/*)",
            )
    return list(listed)


def _condition(a: ArgReader, where: str, condition: Any) -> dict[str, dict[str, Any]]:
    hint = (
        "expected a mapping of operator -> {condition key: value or list of values}, e.g. "
        "{'StringEquals': {'aws:SourceVpc': 'vpc-0abc'}}"
    )
    if not isinstance(condition, Mapping) or not condition:
        raise a.fail(f"{where}.Condition", condition, hint)
    out: dict[str, dict[str, Any]] = {}
    for operator, tests in condition.items():
        if not isinstance(operator, str) or not re.fullmatch(CONDITION_OPERATOR, operator):
            raise a.fail(f"{where}.Condition", operator, f"unknown operator shape; {hint}")
        if not isinstance(tests, Mapping) or not tests:
            raise a.fail(f"{where}.Condition", {operator: tests}, hint)
        for key, value in tests.items():
            values = value if isinstance(value, list | tuple) else [value]
            if (
                not isinstance(key, str)
                or not re.fullmatch(CONDITION_KEY, key)
                or not values
                or not all(isinstance(v, CONDITION_SCALARS) for v in values)
            ):
                raise a.fail(f"{where}.Condition", {operator: {key: value}}, hint)
        out[operator] = {
            key: list(value) if isinstance(value, tuple) else value for key, value in tests.items()
        }
    return out


__all__ = ["STATEMENT_KEYS", "read_statements"]
