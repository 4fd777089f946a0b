"""What a policy check found: violations, checks that could not run, and the verdict.

`PolicyReport.to_json()` is a stable schema (bump SCHEMA_VERSION on any incompatible
change; adding keys is compatible):

    {
      "schema_version": 1,
      "project": str, "stack": str,
      "passed": bool,                   # no mandatory violation
      "summary": {"rules_run": int, "rules_disabled": int, "resources_checked": int,
                  "mandatory": int, "advisory": int, "skipped": int},
      "violations": [{"rule": str, "severity": "mandatory" | "advisory",
                      "resource_urn": str | null, "resource_type": str | null,
                      "resource_name": str | null, "message": str, "remediation": str,
                      "description": str}],
      "skipped": [{"rule": str, "resource_urn": str | null, "reason": str}],
      "rules": [{"name": str, "kind": "resource" | "stack", "severity": str,
                 "enforcement": "mandatory" | "advisory" | "disabled",
                 "offline_only": bool, "awsguard": str | null}]
    }

`severity` of a violation is the enforcement it was checked with (the rule's default or the
override); a stack-level violation that names no resource has null resource fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gridops_infra.policy.rule import Level, Rule, Severity

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: Severity
    message: str
    remediation: str
    description: str
    resource_urn: str | None = None
    resource_type: str | None = None
    resource_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "resource_urn": self.resource_urn,
            "resource_type": self.resource_type,
            "resource_name": self.resource_name,
            "message": self.message,
            "remediation": self.remediation,
            "description": self.description,
        }


@dataclass(frozen=True)
class Skipped:
    """A rule that could not decide because a value is unknown until deploy."""

    rule: str
    resource_urn: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "resource_urn": self.resource_urn, "reason": self.reason}


@dataclass(frozen=True)
class RuleRun:
    rule: Rule
    enforcement: Level

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.rule.name,
            "kind": self.rule.kind,
            "severity": self.rule.severity,
            "enforcement": self.enforcement,
            "offline_only": bool(self.rule.offline_only),
            "awsguard": self.rule.awsguard or None,
        }


@dataclass
class PolicyReport:
    project: str
    stack: str
    violations: list[Violation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    rules: list[RuleRun] = field(default_factory=list)
    resources_checked: int = 0

    @property
    def mandatory_failures(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "mandatory"]

    @property
    def advisories(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "advisory"]

    @property
    def passed(self) -> bool:
        """True when no mandatory rule is violated (advisories do not fail a check)."""
        return not self.mandatory_failures

    def of_rule(self, name: str) -> list[Violation]:
        return [v for v in self.violations if v.rule == name]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "project": self.project,
            "stack": self.stack,
            "passed": self.passed,
            "summary": {
                "rules_run": sum(1 for r in self.rules if r.enforcement != "disabled"),
                "rules_disabled": sum(1 for r in self.rules if r.enforcement == "disabled"),
                "resources_checked": self.resources_checked,
                "mandatory": len(self.mandatory_failures),
                "advisory": len(self.advisories),
                "skipped": len(self.skipped),
            },
            "violations": [v.to_json() for v in self.violations],
            "skipped": [s.to_json() for s in self.skipped],
            "rules": [r.to_json() for r in self.rules],
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        """The report for a terminal: verdict first, then each violation with its fix."""
        summary = self.to_json()["summary"]
        lines = [
            f"Policy check of {self.project}/{self.stack}: {summary['rules_run']} rules on "
            f"{self.resources_checked} resources"
            + (f" ({summary['rules_disabled']} disabled)" if summary["rules_disabled"] else ""),
            self._verdict(),
        ]
        for violation in self.violations:
            lines.append("")
            lines.append(f"{violation.severity.upper():<10} {violation.rule}")
            if violation.resource_urn:
                lines.append(f"  resource: {violation.resource_type} {violation.resource_name!r}")
            else:
                lines.append("  resource: (the stack)")
            lines.append(f"  problem:  {violation.message}")
            lines.append(f"  fix:      {violation.remediation}")
        if self.skipped:
            lines.append("")
            lines.append("Not checked (values unknown until deploy):")
            lines.extend(
                f"  {s.rule} on {s.resource_urn or 'the stack'}: {s.reason}" for s in self.skipped
            )
        return "\n".join(lines)

    def _verdict(self) -> str:
        mandatory, advisory = len(self.mandatory_failures), len(self.advisories)
        if mandatory:
            return f"FAILED: {mandatory} mandatory and {advisory} advisory violation(s)"
        if advisory:
            return f"PASSED with {advisory} advisory violation(s)"
        return "PASSED: no violations"
