"""AWS DMS: the create-time rules only the whole Plan shows (`core/aws_rules/dms.py`)."""

from __future__ import annotations

from typing import Any

from gridops_infra.core.aws_rules import dms
from gridops_infra.policy._props import of_type, peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule

ROLE = "aws:iam/role:Role"
VPC_ROLE_NAME = "dms-vpc-role"


@stack_rule(
    name="dms-vpc-role",
    description="The account-wide IAM role dms-vpc-role is created at most once: its name is "
    "fixed, so a second one fails with EntityAlreadyExists.",
    severity=MANDATORY,
    remediation=dms.VPC_ROLE.fix,
    types=(ROLE,),
    aws_rule=dms.VPC_ROLE.id,
)
def vpc_role_once(args: Any, report: ReportViolation) -> None:
    roles = [r for r in of_type(args.resources, ROLE) if peek(r.props, "name") == VPC_ROLE_NAME]
    for extra in roles[1:]:
        report(
            f"{extra.name}: a second IAM role named {VPC_ROLE_NAME!r} (also "
            f"{roles[0].name}); IAM refuses a role name that exists.",
            extra.urn,
        )
