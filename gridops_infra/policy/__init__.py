"""The gridops policy pack: one set of rules, two runners.

- Offline: `check_plan(plan, enforcement=None) -> PolicyReport` runs every rule against a
  Plan from `gridops_infra.testing.preview` (no Pulumi CLI, no cloud).
- Real: `policypack/` at the repository root serves the same rules to
  `pulumi preview --policy-pack ./policypack` through pulumi-policy (`pack.serve`).

Rules live in `rules/`, one module per service; `all_rules()` lists them.
"""

from gridops_infra.policy.engine import (
    Enforcement,
    PolicyRuleError,
    RuleSetting,
    all_rules,
    check_plan,
    resolve_enforcement,
)
from gridops_infra.policy.report import SCHEMA_VERSION, PolicyReport, Skipped, Violation
from gridops_infra.policy.rule import ADVISORY, MANDATORY, Rule

__all__ = [
    "ADVISORY",
    "MANDATORY",
    "SCHEMA_VERSION",
    "Enforcement",
    "PolicyReport",
    "PolicyRuleError",
    "Rule",
    "RuleSetting",
    "Skipped",
    "Violation",
    "all_rules",
    "check_plan",
    "resolve_enforcement",
]
