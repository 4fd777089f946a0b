"""AWS KMS: what ScheduleKeyDeletion and CreateAlias refuse for the keys our components
create."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS KMS"

DELETION_WINDOW = aws_rule(
    id="kms-deletion-window",
    service=SERVICE,
    rule="The waiting period before a KMS key is deleted (PendingWindowInDays, "
    "deletion_window_in_days) is 7 to 30 days.",
    source="https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
    fix="Set deletion_window_in_days to 7..30 (30, the default, leaves the most time to "
    "cancel a mistaken deletion).",
)

ALIAS_NAME = aws_rule(
    id="kms-alias-name",
    service=SERVICE,
    rule="An alias name is 1 to 256 characters of letters, digits, '/', '_' and '-', begins "
    "with alias/, and a customer managed key's alias cannot begin with alias/aws/.",
    source="https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
    fix="Name the alias 'alias/<your-name>', e.g. 'alias/shop-prod-db'.",
)
