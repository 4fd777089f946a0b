"""KMS: the create-time rules AWS enforces on keys and aliases (`core/aws_rules/kms.py`)."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.core.aws_rules import kms
from gridops_infra.policy._props import number, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
ALIAS_NAME = re.compile(r"alias/[A-Za-z0-9/_-]+")


@resource_rule(
    name="kms-deletion-window",
    description="A KMS key's deletion waiting period is 7..30 days.",
    severity=MANDATORY,
    remediation=kms.DELETION_WINDOW.fix,
    types=(KEY,),
    aws_rule=kms.DELETION_WINDOW.id,
)
def deletion_window(args: Any, report: ReportViolation) -> None:
    days = number(peek(args.props, "deletionWindowInDays"))
    if days is not None and not 7 <= days <= 30:
        report(f"deletionWindowInDays is {days:g}; KMS accepts 7..30.")


@resource_rule(
    name="kms-alias-name",
    description="A KMS alias is alias/<name> of at most 256 letters, digits, '/', '_' and "
    "'-', and not under the reserved alias/aws/.",
    severity=MANDATORY,
    remediation=kms.ALIAS_NAME.fix,
    types=(ALIAS,),
    aws_rule=kms.ALIAS_NAME.id,
)
def alias_name(args: Any, report: ReportViolation) -> None:
    name = peek(args.props, "name")
    if not isinstance(name, str) or not name:
        return  # namePrefix or a name not known yet
    if len(name) > 256 or not ALIAS_NAME.fullmatch(name):
        report(f"alias {name!r} is not alias/ followed by letters, digits, '/', '_' or '-'.")
    elif name.startswith("alias/aws/"):
        report(f"alias {name!r}: the alias/aws/ prefix is reserved for AWS managed keys.")
