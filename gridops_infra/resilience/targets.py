"""Which FIS drill each ResilienceDrills target gets, decided (or refused) before anything
is registered.

One drill per target:

- StatelessService on Fargate -> `aws:ecs:stop-task` on tasks chosen by the documented
  `aws:ecs:task` resource parameters `cluster` + `service`;
- StatelessService on EKS -> `aws:eks:pod-delete` on `aws:eks:pod` targets chosen by the
  required parameters (cluster, namespace, label selector);
- ManagedPostgresWithReplicas -> instance mode: `aws:rds:reboot-db-instances` with
  `forceFailover=true` (Multi-AZ only); Aurora: `aws:rds:failover-db-cluster` (needs a
  reader to promote);
- RedisCache -> `aws:elasticache:replicationgroup-interrupt-az-power` (Multi-AZ only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from gridops_infra.core.aws_rules.fis import SELECTION_MODE, STOP_CONDITIONS_QUOTA
from gridops_infra.core.validation import ArgReader
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.service.component import StatelessService

DrillKind = Literal["ecs-stop-task", "eks-pod-delete", "rds-reboot", "aurora-failover", "redis-az"]

# The suffix each drill adds to the target's name: `<target>-<suffix>` names its children.
SUFFIX: dict[DrillKind, str] = {
    "ecs-stop-task": "stop-task",
    "eks-pod-delete": "pod-delete",
    "rds-reboot": "failover",
    "aurora-failover": "failover",
    "redis-az": "az-power",
}
DRILLED_BY: dict[DrillKind, str] = {
    "ecs-stop-task": "a StatelessService on Fargate",
    "eks-pod-delete": "a StatelessService on EKS",
    "rds-reboot": "a ManagedPostgresWithReplicas (instance mode)",
    "aurora-failover": "a ManagedPostgresWithReplicas (Aurora)",
    "redis-az": "a RedisCache",
}
SUPPORTED = "StatelessService on Fargate or EKS, ManagedPostgresWithReplicas, RedisCache"
# FIS accepts at most 5 stop conditions per experiment template (quota L-872EC72B).
MAX_STOP_CONDITIONS = 5
SELECTION = r"ALL|COUNT\([1-9][0-9]*\)|PERCENT\(([1-9][0-9]?|100)\)"


@dataclass(frozen=True)
class DrillPlan:
    """One experiment to build: what it drills and how, settled before registration."""

    kind: DrillKind
    target: Any
    """The component drilled (StatelessService, ManagedPostgresWithReplicas, RedisCache)."""
    key: str
    """`<target name>-<suffix>`: names the template, its role and their companions."""
    own_alarm: str | None
    """The target's own SLO page alarm (services), else None."""

    @property
    def target_name(self) -> str:
        return self.target.name


def plan_drills(a: ArgReader, component_name: str) -> list[DrillPlan]:
    """One DrillPlan per target, or an ArgError naming what cannot be drilled and why."""
    targets = a.sequence("targets")
    if not targets:
        raise a.fail("targets", targets, f"expected a non-empty list of: {SUPPORTED}")
    unsupported = [_describe(t) for t in targets if _kind(t) is None]
    if unsupported:
        raise a.fail(
            "targets",
            unsupported,
            f"ResilienceDrills can drill only {SUPPORTED}; remove the others",
        )
    plans: list[DrillPlan] = []
    for target in targets:
        if any(target is p.target for p in plans):
            raise a.fail("targets", _describe(target), "each component may appear once")
        kind = _kind(target)
        assert kind is not None
        _check_drillable(a, kind, target)
        key = f"{target.name}-{SUFFIX[kind]}"
        own_alarm = getattr(target, "slo_alarm_name", None)
        plans.append(
            DrillPlan(kind, target, key, own_alarm if isinstance(own_alarm, str) else None)
        )
    return plans


def stop_alarm_names_for(
    a: ArgReader,
    plans: list[DrillPlan],
    explicit_names: list[str],
    explicit_arns: list[str],
    known_alarms: list[str] | None,
) -> dict[str, list[str]]:
    """Per drill key, the alarm names guarding it (explicit ARNs are added later).

    Explicit `stop_alarm_names` / `stop_alarm_arns` guard every drill. Without them a
    service drill stops on the service's own SLO page alarm, and a database or cache drill
    on the page alarms of every service in `targets` (the users of that data). With
    `observability`, each such default alarm must be one it creates."""
    service_alarms = [p.own_alarm for p in plans if p.own_alarm]
    out: dict[str, list[str]] = {}
    for plan in plans:
        if explicit_names or explicit_arns:
            names = list(explicit_names)
        else:
            names = [plan.own_alarm] if plan.own_alarm else list(service_alarms)
            if not names:
                raise a.fail(
                    "stop_alarm_names",
                    None,
                    f"the drill of {_describe(plan.target)} needs a stop alarm: no "
                    "StatelessService in targets lends its SLO page alarm, so give "
                    "stop_alarm_names or stop_alarm_arns",
                )
            if known_alarms is not None:
                for name in names:
                    if name not in known_alarms:
                        raise a.fail(
                            "targets",
                            _describe(plan.target),
                            f"its default stop alarm {name!r} is not created by the "
                            "observability stack (give the service an Slo there, or pass "
                            "stop_alarm_names)",
                        )
        total = len(names) + len(explicit_arns)
        if total > MAX_STOP_CONDITIONS:
            field = "stop_alarm_names" if explicit_names or explicit_arns else "targets"
            raise STOP_CONDITIONS_QUOTA.refuse(
                f"ResilienceDrills '{a.name}'",
                field,
                f"{names + explicit_arns!r}: the drill {plan.key!r} would have {total} stop "
                "conditions",
                "pass fewer alarms, e.g. one composite alarm in stop_alarm_names",
            )
        out[plan.key] = names
    return out


def check_alarm_names(a: ArgReader) -> list[str]:
    names = a.string_list("stop_alarm_names")
    for name in names:
        if len(name) > 255 or any(ord(c) < 32 for c in name):
            raise a.fail(
                "stop_alarm_names",
                name,
                "CloudWatch alarm names have 1 to 255 printable characters",
            )
    return names


def check_alarm_arns(a: ArgReader) -> list[str]:
    arns = a.string_list("stop_alarm_arns")
    for arn in arns:
        if not re.fullmatch(
            r"arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:[^\x00-\x1f]{1,255}", arn
        ):
            raise a.fail(
                "stop_alarm_arns",
                arn,
                "expected CloudWatch alarm ARNs (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)",
            )
    return arns


def check_selection(a: ArgReader) -> str:
    mode = a.raw("selection_mode", "COUNT(1)")
    if not isinstance(mode, str) or not re.fullmatch(SELECTION, mode):
        raise SELECTION_MODE.refuse(
            f"ResilienceDrills '{a.name}'",
            "selection_mode",
            f"{mode!r} is not a selection mode",
            "use ALL, COUNT(n) with n >= 1, or PERCENT(n) with n from 1 to 100",
        )
    return mode


def check_only_with(a: ArgReader, field: str, plans: list[DrillPlan], kind: DrillKind) -> None:
    """A field tuning one kind of drill is refused when no target gets that drill."""
    if a.has(field) and not any(p.kind == kind for p in plans):
        raise a.fail(
            field, a.raw(field), f"it tunes the drill of {DRILLED_BY[kind]}, none in targets"
        )


def check_redis_zone(a: ArgReader, plans: list[DrillPlan]) -> str | None:
    """The AZ whose Redis nodes lose power: by default the network's first AZ, where the
    primary of a cluster-mode-disabled group starts (so the drill forces a failover)."""
    caches = [p.target for p in plans if p.kind == "redis-az"]
    check_only_with(a, "redis_availability_zone", plans, "redis-az")
    zone = a.optional_string("redis_availability_zone")
    for cache in caches:
        zones = list(cache.settings.network.availability_zones)
        if zone is not None and zone not in zones:
            raise a.fail(
                "redis_availability_zone",
                zone,
                f"RedisCache '{cache.name}' runs in {', '.join(zones)}",
            )
    return zone


def _check_drillable(a: ArgReader, kind: DrillKind, target: Any) -> None:
    if kind == "rds-reboot" and not target.settings.multi_az:
        raise a.fail(
            "targets",
            _describe(target),
            "a forced failover needs a Multi-AZ standby; the database has multi_az=False",
        )
    if kind == "aurora-failover" and target.settings.replicas < 1:
        raise a.fail(
            "targets",
            _describe(target),
            "an Aurora failover promotes a reader; the cluster has replicas=0",
        )
    if kind == "redis-az" and not target.settings.multi_az:
        raise a.fail(
            "targets",
            _describe(target),
            "interrupt-az-power needs a Multi-AZ replication group; the cache has multi_az=False",
        )


def _kind(target: Any) -> DrillKind | None:
    if isinstance(target, StatelessService):
        if target.platform.kind == "fargate":
            return "ecs-stop-task"
        return "eks-pod-delete" if target.platform.kind == "eks" else None
    if isinstance(target, ManagedPostgresWithReplicas):
        return "aurora-failover" if target.settings.aurora else "rds-reboot"
    if isinstance(target, RedisCache):
        return "redis-az"
    return None


def _describe(target: Any) -> str:
    name = getattr(target, "name", None)
    label = type(target).__name__ + (f" '{name}'" if isinstance(name, str) else "")
    if isinstance(target, StatelessService):
        label += f" on {target.platform.kind}"
    return label


__all__ = [
    "MAX_STOP_CONDITIONS",
    "SUFFIX",
    "DrillKind",
    "DrillPlan",
    "check_alarm_arns",
    "check_alarm_names",
    "check_only_with",
    "check_redis_zone",
    "check_selection",
    "plan_drills",
    "stop_alarm_names_for",
]
