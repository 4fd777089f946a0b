"""TrafficCutover: move a public name from an old front door to a new one by weight, with
the new side taken out by Route 53 itself when its alarm fires.

Two weighted records share `record_name` (same name and type): `old` at
100 - `weight_percent`, `new` at `weight_percent`. The new record carries a
CLOUDWATCH_METRIC health check; Route 53 leaves an unhealthy record out of its answers and
picks among the others, and a record without a health check (the old one) always counts
as healthy, so while the alarm is in ALARM every answer is the old side, at every step,
100 included (a weight-0 record is answered when every weighted record above 0 is
unhealthy). `done: true` keeps only the new record.
"""

from __future__ import annotations

import pulumi

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.validation import check_name
from gridops_infra.migration.args import TrafficCutoverArgs
from gridops_infra.migration.cutover_records import health_check, rollback_alarm, weighted_record
from gridops_infra.migration.cutover_settings import COMPONENT, CutoverSettings, read_settings


class TrafficCutover(GridopsComponent):
    """Weighted Route 53 records between an old and a new front door, rolled back by a
    health check that follows the new side's alarm.

    Example: `TrafficCutover("shop", {"zone_id": zone, "record_name": "shop.example.com",
    "old": {"ip": server.public_ip}, "new": {"alias": {"dns_name": cdn.domain_name,
    "zone_id": "Z2FDTNDATAQYW2"}}, "weight_percent": 10,
    "rollback": {"cloudfront_distribution_id": cdn.distribution_id}})`
    """

    TYPE = "gridops:aws:TrafficCutover"
    CHILD_ROLES = ("old_record", "new_record", "health_check", "alarm", "alarm_provider")

    settings: CutoverSettings
    """The checked arguments."""
    weights: dict[str, int]
    """The weight of each side's record (`old` absent once `done`)."""
    health_check_id: pulumi.Output[str] | None
    """The new side's health check (None without `rollback`, or once `done`)."""
    alarm_name: pulumi.Input[str] | None
    """The alarm the health check follows (built or given)."""
    record_fqdn: pulumi.Output[str]
    """The public name, as Route 53 stores it."""

    def __init__(
        self,
        name: str,
        args: TrafficCutoverArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        settings = read_settings(name, args)
        given = args or {}
        transforms = check_transforms(COMPONENT, name, given.get("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=given.get("tags"))
        self.settings = settings
        self.health_check_id = None
        self.alarm_name = None
        rollback = settings.rollback
        if rollback is not None:
            if rollback.distribution_id is not None:
                self.alarm_name = rollback_alarm(self, rollback)
            else:
                self.alarm_name = rollback.alarm_name
            region = rollback.alarm_region or iam.region_name()
            assert self.alarm_name is not None
            self.health_check_id = health_check(self, rollback, self.alarm_name, region).id
        new_weight = settings.weight_percent
        self.weights = {"new": new_weight}
        new = weighted_record(
            self, settings, settings.new, new_weight, self.health_check_id, "new_record"
        )
        if not settings.done:
            self.weights["old"] = 100 - new_weight
            weighted_record(self, settings, settings.old, 100 - new_weight, None, "old_record")
        self.record_fqdn = new.fqdn
        self.register_outputs({"weights": self.weights, "health_check_id": self.health_check_id})


__all__ = ["TrafficCutover", "TrafficCutoverArgs"]
