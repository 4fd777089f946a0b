"""Stateful resources survive a careless `pulumi destroy` or a replacing change.

Offline only: the rule needs the Pulumi options `protect` and `retainOnDelete`. The
analyzer protocol that pulumi-policy serves (AnalyzerResourceOptions in pulumi 3.x) carries
`protect` but not `retainOnDelete`, so in `pulumi preview --policy-pack` a database kept
with `retain_on_delete=True` would look unprotected. The Plan records both options, so
`gridops check` runs the rule; the real pack leaves it out rather than report a false
violation. The data-side half for RDS is also covered by `rds-deletion-protection`.
"""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import get, is_true, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule
from gridops_infra.policy.rules.cache import REPLICATION_GROUP
from gridops_infra.policy.rules.environments import disposable
from gridops_infra.policy.rules.rds import (
    RDS_CLUSTER,
    RDS_INSTANCE,
    final_snapshot_problems,
    is_read_replica,
)

OFFLINE_ONLY_REASON = (
    "pulumi-policy's resource options (AnalyzerResourceOptions) carry `protect` but not "
    "`retainOnDelete`"
)


def data_guarded(args: Any) -> bool:
    """Deletion protection, or a final snapshot taken when the resource is deleted."""
    if args.resource_type == REPLICATION_GROUP:
        return bool(text(get(args.props, "finalSnapshotIdentifier")))
    return is_true(get(args.props, "deletionProtection")) or not final_snapshot_problems(args.props)


@resource_rule(
    name="stateful-resource-protected",
    description="RDS instances and clusters and ElastiCache replication groups have deletion "
    "protection or a final snapshot, and the Pulumi option protect or retain_on_delete "
    "(a preview environment's, tagged environment=preview with an expires-at time, is "
    "disposable).",
    severity=MANDATORY,
    remediation="Pass opts=pulumi.ResourceOptions(protect=True) (or retain_on_delete=True) and "
    "set deletion_protection=True or a final snapshot (RDS: skip_final_snapshot=False with "
    "final_snapshot_identifier; ElastiCache: final_snapshot_identifier). The gridops "
    "stateful components do this by default.",
    types=(RDS_INSTANCE, RDS_CLUSTER, REPLICATION_GROUP),
    offline_only=OFFLINE_ONLY_REASON,
)
def stateful_protected(args: Any, report: ReportViolation) -> None:
    if args.resource_type == RDS_INSTANCE and is_read_replica(args.props):
        return
    if disposable(args.props):
        return
    if not data_guarded(args):
        report("neither deletion protection nor a final snapshot guards the data.")
    opts = args.opts
    protected = bool(getattr(opts, "protect", False))
    retained = bool(getattr(opts, "retain_on_delete", False))
    if not (protected or retained):
        report("the Pulumi options protect and retain_on_delete are both off.")
