"""The Rule: one check, its metadata, and the registry every runner reads.

A rule's `check` has pulumi-policy's validate signature: `check(args, report_violation)`,
where `args` is a `ResourceValidationArgs` (resource rules) or a `StackValidationArgs`
(stack rules) and `report_violation(message, urn=None)` records one violation. The real
policy pack hands it pulumi-policy's own objects; the offline runner builds the same
objects from a Plan. Nothing else is shared, so the two runners cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["mandatory", "advisory"]
Level = Literal["mandatory", "advisory", "disabled"]
Kind = Literal["resource", "stack"]

MANDATORY: Severity = "mandatory"
ADVISORY: Severity = "advisory"
LEVELS: tuple[Level, ...] = ("mandatory", "advisory", "disabled")

ReportViolation = Callable[..., None]
"""`report_violation(message: str, urn: str | None = None)`, as pulumi-policy defines it."""

Check = Callable[[Any, ReportViolation], None]


@dataclass(frozen=True)
class Rule:
    """One policy: what it checks, how bad a violation is, and how to fix it."""

    name: str
    """Unique kebab-case id; the key of the enforcement mapping and the pulumi-policy name."""
    description: str
    severity: Severity
    """Default enforcement: mandatory fails `gridops check` / blocks `pulumi up`."""
    remediation: str
    kind: Kind
    check: Check
    resource_types: tuple[str, ...] = ()
    """Resource rules run only on these type tokens; for stack rules, the types they read."""
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """JSON-schema properties of the rule's settings, each with a `default`."""
    offline_only: str = ""
    """Non-empty when the real pack cannot run the rule: the reason why."""
    awsguard: str = ""
    """The equivalent Pulumi AWSGuard policy, when there is one."""
    aws_rule: str = ""
    """Id of the AWS create-time rule it enforces (`gridops_infra.core.aws_rules`), when the
    rule guards deployability rather than a practice: such a rule is mandatory."""

    def validate(self, args: Any, report_violation: ReportViolation) -> None:
        """Run the check (resource rules skip resource types they do not cover)."""
        if self.kind == "resource" and args.resource_type not in self.resource_types:
            return
        self.check(args, report_violation)

    def config_defaults(self) -> dict[str, Any]:
        return {key: spec.get("default") for key, spec in self.config_schema.items()}


_REGISTRY: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.name in _REGISTRY:
        raise ValueError(f"policy rule {rule.name!r} is registered twice")
    if rule.kind == "resource" and not rule.resource_types:
        raise ValueError(f"resource rule {rule.name!r} names no resource types")
    if rule.aws_rule and rule.severity != MANDATORY:
        raise ValueError(f"policy rule {rule.name!r} guards an AWS rule, so it must be mandatory")
    _REGISTRY[rule.name] = rule


def resource_rule(
    *,
    name: str,
    description: str,
    severity: Severity,
    remediation: str,
    types: tuple[str, ...],
    config_schema: Mapping[str, Mapping[str, Any]] | None = None,
    offline_only: str = "",
    awsguard: str = "",
    aws_rule: str = "",
) -> Callable[[Check], Check]:
    """Register `check` as a rule run once per resource of `types`."""

    def decorate(check: Check) -> Check:
        _register(
            Rule(
                name=name,
                description=description,
                severity=severity,
                remediation=remediation,
                kind="resource",
                check=check,
                resource_types=types,
                config_schema=dict(config_schema or {}),
                offline_only=offline_only,
                awsguard=awsguard,
                aws_rule=aws_rule,
            )
        )
        return check

    return decorate


def stack_rule(
    *,
    name: str,
    description: str,
    severity: Severity,
    remediation: str,
    types: tuple[str, ...],
    config_schema: Mapping[str, Mapping[str, Any]] | None = None,
    awsguard: str = "",
    aws_rule: str = "",
) -> Callable[[Check], Check]:
    """Register `check` as a rule run once on the whole list of resources."""

    def decorate(check: Check) -> Check:
        _register(
            Rule(
                name=name,
                description=description,
                severity=severity,
                remediation=remediation,
                kind="stack",
                check=check,
                resource_types=types,
                config_schema=dict(config_schema or {}),
                awsguard=awsguard,
                aws_rule=aws_rule,
            )
        )
        return check

    return decorate


def registered() -> list[Rule]:
    return sorted(_REGISTRY.values(), key=lambda r: r.name)


def setting(args: Any, key: str, default: Any) -> Any:
    """A rule setting: the policy config's value (pulumi-policy's `args.get_config()`, the
    offline runner's enforcement mapping), else `default`."""
    config = args.get_config() if hasattr(args, "get_config") else {}
    value = (config or {}).get(key)
    return default if value is None else value
