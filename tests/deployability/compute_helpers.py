"""Helpers for the compute-side AWS rule tests: a refused component registers nothing, a
refusal names the AWS rule and its source, a policy rule fails a Plan as mandatory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gridops_infra.core.aws_rules import AwsRule
from gridops_infra.policy import MANDATORY, PolicyReport, Violation, all_rules, check_plan
from gridops_infra.testing import Plan, preview


def refusal(setup: Callable[[], Any], make: Callable[[Any], Any]) -> tuple[str, Plan]:
    """Preview `setup()` then `make(context)`; returns the ValueError `make` raised (the
    test fails if it raised none) and the Plan."""
    errors: list[str] = []

    def program() -> None:
        context = setup()
        try:
            make(context)
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 1, "the component was accepted"
    return errors[0], plan


def assert_cites(message: str, rule: AwsRule, field: str) -> None:
    """The refusal names the field, the AWS rule, its source and the fix."""
    assert field in message, message
    assert rule.rule in message and rule.source in message and "Fix:" in message, message


def registered_by(plan: Plan, component_type: str) -> list[str]:
    """Names of resources the component of `component_type` (or its children) registered."""
    return [
        r.name for r in plan.resources if r.type == component_type or f"{component_type}$" in r.urn
    ]


def violations(
    program: Callable[[], None] | Plan,
    policy_rule: str,
    enforcement: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """The violations of one policy rule, which must guard an AWS rule and be mandatory."""
    rule = next(r for r in all_rules() if r.name == policy_rule)
    assert rule.aws_rule and rule.severity == MANDATORY
    plan = program if isinstance(program, Plan) else preview(program)
    report: PolicyReport = check_plan(plan, enforcement)
    found = report.of_rule(policy_rule)
    for violation in found:
        assert violation.severity == MANDATORY and violation in report.mandatory_failures
    return found
