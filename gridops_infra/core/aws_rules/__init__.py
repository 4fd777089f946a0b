"""AWS's own create-time rules, enforced before anything is registered.

Each `AwsRule` is one constraint AWS documents for a resource type we generate (an API
reference "Constraints" line, a user-guide requirement, a hard quota), with the page that
says so. Components refuse a value that breaks one with `rule.refuse(...)`, an `ArgError`
naming the field, the AWS rule, its source and the fix. Where only the whole program shows
the problem, a mandatory policy rule (`gridops_infra.policy`) names the same `AwsRule` in its
`aws_rule` field.

One module per AWS service (`elb.py`, `rds.py`, ...) declares that service's rules;
`docs/deployability.md` lists every one of them (a test keeps the two identical), and
`tests/deployability/` proves each with a program AWS would refuse and one it accepts.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from gridops_infra.core.validation import ArgError

_CATALOGUE: dict[str, AwsRule] = {}


@dataclass(frozen=True)
class AwsRule:
    """One rule AWS enforces when it creates (or updates) a resource."""

    id: str
    """Stable kebab-case id, prefixed by the service: `elb-alb-two-azs`."""
    service: str
    """The AWS service as its docs name it: "Elastic Load Balancing", "Amazon RDS"."""
    rule: str
    """The rule in one sentence, as AWS states it."""
    source: str
    """The AWS page that states it (API reference, user guide or quotas page)."""
    fix: str
    """What to do instead, in terms of our components' arguments."""

    def refuse(self, where: str, field: str, detail: str, fix: str | None = None) -> ArgError:
        """The error a component raises: `where` is "Component 'name'", `field` the argument.

        `detail` says what was given; never put a secret's value in it.
        """
        return ArgError(
            f"{where}: {field}: {detail}. AWS refuses this ({self.service}: {self.rule} "
            f"Source: {self.source}). Fix: {fix or self.fix}"
        )


def aws_rule(*, id: str, service: str, rule: str, source: str, fix: str) -> AwsRule:
    """Declare (and register) one rule; ids are unique across the catalogue."""
    if id in _CATALOGUE:
        raise ValueError(f"AWS rule {id!r} is declared twice")
    if not source.startswith("https://docs.aws.amazon.com/"):
        raise ValueError(f"AWS rule {id!r}: the source must be an AWS documentation page")
    declared = AwsRule(id=id, service=service, rule=rule, source=source, fix=fix)
    _CATALOGUE[id] = declared
    return declared


def catalogue() -> list[AwsRule]:
    """Every declared rule, sorted by id (imports every service module first)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(_CATALOGUE.values(), key=lambda r: r.id)


__all__ = ["AwsRule", "aws_rule", "catalogue"]
