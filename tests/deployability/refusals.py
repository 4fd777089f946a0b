"""Checks shared by the component halves of the deployability tests."""

from __future__ import annotations

from gridops_infra.core.aws_rules import catalogue


def assert_cites(message: str | None, rule_id: str, field: str) -> None:
    """A refusal names the field, says AWS refuses it and cites the rule's own page."""
    (rule,) = [r for r in catalogue() if r.id == rule_id]
    assert message is not None, f"{rule_id}: the program AWS refuses was accepted"
    assert f": {field}: " in message, message
    assert "AWS refuses this" in message and rule.rule in message and rule.source in message


def registered_names(plan) -> set[str]:
    return {r.name for r in plan.resources}
