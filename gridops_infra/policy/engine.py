"""Enforcement levels and the offline runner: the rules against a Plan, no Pulumi CLI.

The offline runner builds pulumi-policy's own argument objects from each Plan record
(camelCase inputs behind the same unknown-checking proxies, the resource options, the
stack's resources with their parents and property dependencies), so every rule runs exactly
as it does inside `pulumi preview --policy-pack`.
"""

from __future__ import annotations

import difflib
import importlib
import math
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.policy import _NotApplicableError  # raised by args.not_applicable()
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from gridops_infra.policy.report import PolicyReport, RuleRun, Skipped, Violation
from gridops_infra.policy.rule import LEVELS, Level, Rule, registered
from gridops_infra.testing.plan import Plan, ResourceRecord, SecretValue, Unknown


def _load_rule_modules() -> None:
    """Import every module of `policy/rules/`: importing one registers its rules."""
    package = "gridops_infra.policy.rules"
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")


_load_rule_modules()

Enforcement = Mapping[str, Any]
"""rule name (or "all") -> "mandatory" | "advisory" | "disabled", or a mapping
{"enforcementLevel": ..., <rule setting>: value}: the shape of Pulumi's policy-pack config
file, so one file can drive `pulumi preview --policy-pack-config` and `gridops check`."""


class PolicyRuleError(RuntimeError):
    """A rule crashed (a bug in the rule, not a violation)."""


@dataclass(frozen=True)
class RuleSetting:
    rule: Rule
    level: Level
    config: Mapping[str, Any] = field(default_factory=dict)


def all_rules() -> list[Rule]:
    """Every rule, sorted by name."""
    return registered()


def _level(key: str, value: Any) -> Level:
    if isinstance(value, EnforcementLevel):
        value = value.value
    if value not in LEVELS:
        raise ValueError(
            f"policy enforcement for {key!r}: {value!r} is not one of {', '.join(LEVELS)}"
        )
    return cast(Level, value)


def _check_setting(rule: Rule, key: str, value: Any) -> None:
    schema = rule.config_schema.get(key)
    if schema is None:
        allowed = ", ".join(["enforcementLevel", *rule.config_schema]) or "enforcementLevel"
        raise ValueError(
            f"policy enforcement for {rule.name!r}: unknown setting {key!r}"
            f"{_did_you_mean(key, ['enforcementLevel', *rule.config_schema])}; allowed: {allowed}"
        )
    kind = schema.get("type")
    ok = {
        "integer": _is_whole_number(value),
        "array": isinstance(value, list | tuple) and all(isinstance(v, str) for v in value),
    }.get(str(kind), True)
    if not ok:
        raise ValueError(
            f"policy enforcement for {rule.name!r}: setting {key!r} must be {kind}, got {value!r}"
        )
    minimum = schema.get("minimum")
    if minimum is not None and _is_whole_number(value) and value < minimum:
        raise ValueError(
            f"policy enforcement for {rule.name!r}: setting {key!r} must be at least {minimum}, "
            f"got {value!r}"
        )


def _is_whole_number(value: Any) -> bool:
    """JSON schema's integer: 7 or 7.0, not 7.5, true or "7"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or (math.isfinite(value) and value.is_integer())


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve_enforcement(enforcement: Enforcement | None = None) -> list[RuleSetting]:
    """Each rule with the level and settings it runs with; ValueError on unknown rule names,
    levels or settings (naming the key and what is allowed)."""
    rules = {r.name: r for r in all_rules()}
    given = dict(enforcement or {})
    unknown = sorted(k for k in given if k != "all" and k not in rules)
    if unknown:
        hint = _did_you_mean(unknown[0], list(rules)) if len(unknown) == 1 else ""
        raise ValueError(
            f"policy enforcement: unknown rule(s) {', '.join(map(repr, unknown))}{hint}; "
            f"known rules: {', '.join(rules)} (or 'all')"
        )
    base = given.get("all")
    if isinstance(base, Mapping):
        extra = sorted(str(k) for k in base if k != "enforcementLevel")
        if extra:
            raise ValueError(
                f"policy enforcement for 'all': unknown setting(s) {', '.join(map(repr, extra))}; "
                "allowed: enforcementLevel (settings belong to one rule)"
            )
        base = base.get("enforcementLevel")
    base_level = _level("all", base) if base is not None else None

    settings: list[RuleSetting] = []
    for name, rule in rules.items():
        level: Level = base_level or rule.severity
        config = rule.config_defaults()
        value = given.get(name)
        if isinstance(value, Mapping):
            for key, setting_value in value.items():
                if key == "enforcementLevel":
                    level = _level(name, setting_value)
                else:
                    _check_setting(rule, key, setting_value)
                    config[key] = setting_value
        elif value is not None:
            level = _level(name, value)
        settings.append(RuleSetting(rule, level, config))
    return settings


# --- Plan records -> pulumi-policy argument objects ---------------------------------------


class OfflineResourceOptions(PolicyResourceOptions):
    """pulumi-policy's resource options plus `retain_on_delete`, which the Plan records but
    the analyzer protocol does not carry."""

    def __init__(self, record: ResourceRecord) -> None:
        super().__init__(
            protect=record.protect,
            ignore_changes=list(record.ignore_changes),
            delete_before_replace=record.delete_before_replace,
            aliases=list(record.aliases),
            custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
            additional_secret_outputs=[],
            parent=record.parent,
        )
        self.retain_on_delete = record.retain_on_delete


def to_policy_value(value: Any) -> Any:
    """Plan value -> what pulumi-policy deserialises: secrets unwrapped, unknowns as its
    sentinel (so the proxies raise on them)."""
    if isinstance(value, SecretValue):
        return to_policy_value(value.value)
    if isinstance(value, Unknown):
        return UNKNOWN_STRING_VALUE
    if isinstance(value, dict):
        return {str(k): to_policy_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_policy_value(v) for v in value]
    return value


def policy_props(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return unknown_checking_proxy(to_policy_value(dict(values)))


def resource_args(record: ResourceRecord, config: Mapping[str, Any]) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type=record.type,
        props=policy_props(record.inputs),
        urn=record.urn,
        name=record.name,
        opts=OfflineResourceOptions(record),
        provider=None,
        config=dict(config),
    )


def stack_resources(plan: Plan) -> list[PolicyResource]:
    """The stack as pulumi-policy's AnalyzeStack sees it: each resource's state (outputs),
    with parent, dependencies and property dependencies linked to the resource objects."""
    resources: dict[str, PolicyResource] = {}
    for record in plan.resources:
        state = record.outputs if record.custom and record.outputs else record.inputs
        resources[record.urn] = PolicyResource(
            resource_type=record.type,
            props=policy_props(state),
            urn=record.urn,
            name=record.name,
            opts=OfflineResourceOptions(record),
            provider=None,
            parent=None,
            dependencies=[],
            property_dependencies={},
        )
    for record in plan.resources:
        resource = resources[record.urn]
        if record.parent in resources:
            resource.parent = resources[record.parent]
        resource.dependencies = [resources[u] for u in record.dependencies if u in resources]
        resource.property_dependencies = {
            prop: [resources[u] for u in urns if u in resources]
            for prop, urns in record.property_dependencies.items()
        }
    return list(resources.values())


# --- the runner ---------------------------------------------------------------------------


def _run_rule(
    report: PolicyReport,
    setting: RuleSetting,
    args: Any,
    by_urn: Mapping[str, ResourceRecord],
    resource_urn: str | None,
) -> None:
    rule = setting.rule
    severity = "mandatory" if setting.level == "mandatory" else "advisory"

    def report_violation(message: str, urn: str | None = None) -> None:
        # Like pulumi-policy: a resource rule's violation always belongs to its resource.
        target = resource_urn or urn
        record = by_urn.get(target) if target else None
        report.violations.append(
            Violation(
                rule=rule.name,
                severity=severity,
                message=message,
                remediation=rule.remediation,
                description=rule.description,
                resource_urn=target,
                resource_type=record.type if record else None,
                resource_name=record.name if record else None,
            )
        )

    try:
        rule.validate(args, report_violation)
    except UnknownValueError as exc:
        report.skipped.append(Skipped(rule.name, resource_urn, exc.message))
    except _NotApplicableError:
        pass
    except Exception as exc:
        where = resource_urn or "the stack"
        raise PolicyRuleError(f"policy rule {rule.name!r} failed on {where}: {exc}") from exc


def check_plan(plan: Plan, enforcement: Enforcement | None = None) -> PolicyReport:
    """Run every rule against `plan` and report what they found.

    `enforcement` overrides levels ("mandatory" | "advisory" | "disabled") and settings per
    rule name, or for "all"; see `Enforcement`. Raises ValueError on unknown names or levels.
    """
    settings = resolve_enforcement(enforcement)
    report = PolicyReport(
        project=plan.project,
        stack=plan.stack,
        rules=[RuleRun(s.rule, s.level) for s in settings],
        resources_checked=len(plan.custom_resources),
    )
    by_urn = {r.urn: r for r in plan.resources}
    custom = plan.custom_resources
    stack: list[PolicyResource] | None = None
    for setting in settings:
        if setting.level == "disabled":
            continue
        if setting.rule.kind == "resource":
            for record in custom:
                if record.type in setting.rule.resource_types:
                    args = resource_args(record, setting.config)
                    _run_rule(report, setting, args, by_urn, record.urn)
        else:
            stack = stack if stack is not None else stack_resources(plan)
            args = StackValidationArgs(stack, dict(setting.config))
            _run_rule(report, setting, args, by_urn, None)
    report.violations.sort(
        key=lambda v: (v.severity != "mandatory", v.rule, v.resource_urn or "", v.message)
    )
    return report
