"""The real policy pack: the same rules as pulumi-policy policies.

`policypack/__main__.py` calls `serve()`, so users run
`pulumi preview --policy-pack ./policypack [--policy-pack-config enforcement.json]`.
Enforcement levels and rule settings come from Pulumi's policy config (pulumi-policy applies
`all` and per-policy `enforcementLevel` itself and hands the rest to the rule as
`args.get_config()`); `serve(enforcement)` only sets the starting point.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from gridops_infra.policy.engine import Enforcement, RuleSetting, resolve_enforcement

PACK_NAME = "gridops-infra"
PACK_DESCRIPTION = (
    "gridops_infra best practices for AWS and Kubernetes: encryption, no public data "
    "stores, backups and deletion safety, safe deployments, least privilege."
)


def _policy_kwargs(setting: RuleSetting) -> dict[str, Any]:
    rule = setting.rule
    kwargs: dict[str, Any] = {
        "name": rule.name,
        "description": rule.description,
        "validate": rule.validate,
        "enforcement_level": EnforcementLevel(setting.level),
        "severity": Severity.HIGH if rule.severity == "mandatory" else Severity.MEDIUM,
        "remediation_steps": rule.remediation,
        "tags": [rule.name.split("-")[0]],
    }
    if rule.config_schema:
        kwargs["config_schema"] = PolicyConfigSchema(
            properties={key: dict(spec) for key, spec in rule.config_schema.items()}
        )
    return kwargs


def build_policies(enforcement: Enforcement | None = None) -> list[Policy]:
    """One pulumi-policy policy per rule the real pack can run (offline-only rules left out),
    named as the rules are. Disabled rules stay in the list, disabled, so the policy config
    can turn them back on."""
    policies: list[Policy] = []
    for setting in resolve_enforcement(enforcement):
        if setting.rule.offline_only:
            continue
        kwargs = _policy_kwargs(setting)
        if setting.rule.kind == "resource":
            policies.append(ResourceValidationPolicy(**kwargs))
        else:
            policies.append(StackValidationPolicy(**kwargs))
    return policies


def initial_config(enforcement: Enforcement | None = None) -> dict[str, Any]:
    """Rule settings that differ from their defaults, as PolicyPack's initial_config."""
    config: dict[str, Any] = {}
    for setting in resolve_enforcement(enforcement):
        if setting.rule.offline_only:
            continue
        changed = {
            k: v for k, v in setting.config.items() if v != setting.rule.config_defaults().get(k)
        }
        if changed:
            config[setting.rule.name] = {
                "enforcementLevel": EnforcementLevel(setting.level),
                **changed,
            }
    return config


def serve(enforcement: Enforcement | None = None) -> None:
    """Start the policy pack (blocks: pulumi-policy serves the Pulumi engine over gRPC)."""
    PolicyPack(
        name=PACK_NAME,
        policies=build_policies(enforcement),
        enforcement_level=EnforcementLevel.ADVISORY,
        initial_config=initial_config(enforcement) or None,
        description=PACK_DESCRIPTION,
    )
