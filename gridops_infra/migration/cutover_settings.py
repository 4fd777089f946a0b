"""TrafficCutover's arguments checked into frozen settings before anything is registered."""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass

import pulumi

from gridops_infra.core.aws_rules.cloudfront import ALTERNATE_NAME_ONE_DISTRIBUTION
from gridops_infra.core.aws_rules.route53 import (
    INSUFFICIENT_DATA_STATUS,
    SET_IDENTIFIER_LENGTH,
    WEIGHTED_SAME_TYPE,
)
from gridops_infra.core.validation import ArgReader
from gridops_infra.migration.args import (
    CutoverAliasArgs,
    CutoverRollbackArgs,
    CutoverSideArgs,
    TrafficCutoverArgs,
)
from gridops_infra.platforms.dns import HOSTNAME

COMPONENT = "TrafficCutover"
DEFAULT_STEPS = (0, 10, 50, 100)
INSUFFICIENT_DATA = ("Healthy", "Unhealthy", "LastKnownStatus")
REGION = r"[a-z]{2}(-[a-z]+)+-\d"
ZONE_ID = r"Z[A-Z0-9]{1,31}"
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"
"""The hosted zone id of every CloudFront distribution (an alias target's `zone_id`)."""


@dataclass(frozen=True)
class Side:
    """One front door as Route 53 records it."""

    set_identifier: str
    record_type: str
    """`A` for an address or an alias, `CNAME` for a host name."""
    ip: pulumi.Input[str] | None = None
    alias: tuple[pulumi.Input[str], pulumi.Input[str]] | None = None
    """(dns_name, zone_id) of the alias target."""
    cname: pulumi.Input[str] | None = None


@dataclass(frozen=True)
class Rollback:
    alarm_name: str | None
    alarm_region: str | None
    """None: the stack's region (checked when the alarm is built)."""
    distribution_id: pulumi.Input[str] | None
    availability_objective: float
    insufficient_data: str


@dataclass(frozen=True)
class CutoverSettings:
    zone_id: pulumi.Input[str]
    record_name: str
    old: Side
    new: Side
    weight_percent: int
    steps: tuple[int, ...]
    done: bool
    ttl: int
    rollback: Rollback | None
    """None when done (nothing to fall back to) or when none was given."""


def read_settings(name: str, args: TrafficCutoverArgs | None) -> CutoverSettings:
    a = ArgReader(COMPONENT, name, args, TrafficCutoverArgs.__annotations__)
    zone_id = a.raw("zone_id")
    if zone_id is None:
        raise a.fail("zone_id", None, "it is required: the hosted zone of record_name")
    if isinstance(zone_id, str) and not re.fullmatch(ZONE_ID, zone_id):
        raise a.fail("zone_id", zone_id, "expected a hosted zone id such as Z0123456789ABCDEFGHIJ")
    record_name = a.string("record_name", None)
    if not re.fullmatch(HOSTNAME, record_name.lower().rstrip(".")):
        raise a.fail("record_name", record_name, "expected a host name such as shop.example.com")
    old = _side(a, name, "old")
    new = _side(a, name, "new")
    if old.record_type != new.record_type:
        raise WEIGHTED_SAME_TYPE.refuse(
            f"{COMPONENT} '{name}'",
            "old/new",
            f"old makes a {old.record_type} record and new a {new.record_type} record",
        )
    if old.alias and new.alias and old.alias[1] == new.alias[1] == CLOUDFRONT_ZONE_ID:
        raise ALTERNATE_NAME_ONE_DISTRIBUTION.refuse(
            f"{COMPONENT} '{name}'",
            "old/new",
            f"both sides are CloudFront distributions, and only one of them can serve "
            f"{record_name!r}: CloudFront answers by the name, whichever side DNS picked",
        )
    if old.set_identifier == new.set_identifier:
        raise a.fail(
            "new.set_identifier", new.set_identifier, "it must differ from old's set_identifier"
        )
    steps = _steps(a)
    weight = a.integer("weight_percent", None, 0, 100)
    if weight not in steps:
        raise a.fail(
            "weight_percent", weight, f"expected one of steps {list(steps)} (add it to steps)"
        )
    done = a.boolean("done", False)
    if done and weight != 100:
        raise a.fail(
            "done", True, f"declare the cut-over done only at weight_percent 100 (now {weight})"
        )
    ttl = a.integer("ttl", 60, 1, 300)
    rollback = _rollback(a, name)
    automatic = a.boolean("automatic_rollback", True)
    if rollback is None and automatic and weight > 0 and not done:
        raise a.fail(
            "rollback",
            None,
            f"weight_percent {weight} sends the new side traffic, and automatic_rollback "
            "needs a health check on it: give rollback (cloudfront_distribution_id or "
            "alarm_name), or set automatic_rollback: False",
        )
    a.mapping("tags")
    return CutoverSettings(
        zone_id=zone_id,
        record_name=record_name.rstrip("."),
        old=old,
        new=new,
        weight_percent=weight,
        steps=steps,
        done=done,
        ttl=ttl,
        rollback=None if done else rollback,
    )


def _steps(a: ArgReader) -> tuple[int, ...]:
    raw = a.raw("steps", list(DEFAULT_STEPS))
    if not isinstance(raw, list | tuple) or not raw:
        raise a.fail("steps", raw, "expected a non-empty list of whole numbers 0..100")
    for step in raw:
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= 100:
            raise a.fail("steps", list(raw), "expected whole numbers from 0 to 100")
    if any(later <= earlier for earlier, later in itertools.pairwise(raw)):
        raise a.fail("steps", list(raw), "expected strictly increasing weights")
    if raw[-1] != 100:
        raise a.fail("steps", list(raw), "the last step must be 100 (all traffic on new)")
    return tuple(raw)


def _side(a: ArgReader, name: str, which: str) -> Side:
    raw = a.raw(which)
    if not isinstance(raw, dict):
        raise a.fail(which, raw, "expected a dict with one of ip, alias or cname")
    side = ArgReader(COMPONENT, f"{name}.{which}", raw, CutoverSideArgs.__annotations__)
    given = [k for k in ("ip", "alias", "cname") if side.has(k)]
    if len(given) != 1:
        raise a.fail(which, sorted(raw), "give exactly one of ip, alias or cname")
    identifier = side.raw("set_identifier", which)
    if not isinstance(identifier, str) or not 1 <= len(identifier) <= 128:
        raise SET_IDENTIFIER_LENGTH.refuse(
            f"{COMPONENT} '{name}'", f"{which}.set_identifier", f"{identifier!r}"
        )
    kind = given[0]
    if kind == "ip":
        ip = side.raw("ip")
        if isinstance(ip, str):
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise a.fail(f"{which}.ip", ip, "expected an IPv4 address") from None
        return Side(identifier, "A", ip=ip)
    if kind == "cname":
        cname = side.raw("cname")
        if isinstance(cname, str) and not re.fullmatch(HOSTNAME, cname.lower().rstrip(".")):
            raise a.fail(f"{which}.cname", cname, "expected a host name")
        return Side(identifier, "CNAME", cname=cname)
    alias = side.raw("alias")
    if not isinstance(alias, dict):
        raise a.fail(f"{which}.alias", alias, "expected {'dns_name': ..., 'zone_id': ...}")
    target = ArgReader(COMPONENT, f"{name}.{which}.alias", alias, CutoverAliasArgs.__annotations__)
    missing = [k for k in ("dns_name", "zone_id") if not target.has(k)]
    if missing:
        raise a.fail(f"{which}.alias", sorted(alias), f"missing {', '.join(missing)}")
    return Side(identifier, "A", alias=(target.raw("dns_name"), target.raw("zone_id")))


def _rollback(a: ArgReader, name: str) -> Rollback | None:
    raw = a.raw("rollback")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise a.fail("rollback", raw, "expected a dict (see CutoverRollbackArgs)")
    r = ArgReader(COMPONENT, f"{name}.rollback", raw, CutoverRollbackArgs.__annotations__)
    alarm_name = r.optional_string("alarm_name")
    distribution = r.raw("cloudfront_distribution_id")
    if (alarm_name is None) == (distribution is None):
        raise a.fail(
            "rollback",
            sorted(raw),
            "give exactly one of alarm_name (an alarm on one metric) or "
            "cloudfront_distribution_id (the component builds that alarm)",
        )
    if alarm_name is not None and len(alarm_name) > 256:
        raise a.fail("rollback.alarm_name", alarm_name, "expected at most 256 characters")
    region = r.optional_string("alarm_region", REGION, "expected a region such as eu-west-1")
    if distribution is not None and region not in (None, "us-east-1"):
        raise a.fail(
            "rollback.alarm_region",
            region,
            "CloudFront publishes its metrics in us-east-1, where the alarm must live",
        )
    if distribution is None and r.has("availability_objective"):
        raise a.fail(
            "rollback.availability_objective",
            raw["availability_objective"],
            "it sets the built alarm's threshold: give it with cloudfront_distribution_id",
        )
    objective = r.number("availability_objective", 0.999, 0, 1)
    if objective in (0, 1):
        raise a.fail(
            "rollback.availability_objective", objective, "expected a fraction strictly 0..1"
        )
    status = raw.get("insufficient_data", "LastKnownStatus")
    if status not in INSUFFICIENT_DATA:
        raise INSUFFICIENT_DATA_STATUS.refuse(
            f"{COMPONENT} '{name}'", "rollback.insufficient_data", f"{status!r}"
        )
    return Rollback(
        alarm_name=alarm_name,
        alarm_region="us-east-1" if distribution is not None else region,
        distribution_id=distribution,
        availability_objective=objective,
        insufficient_data=status,
    )


__all__ = ["COMPONENT", "DEFAULT_STEPS", "CutoverSettings", "Rollback", "Side", "read_settings"]
