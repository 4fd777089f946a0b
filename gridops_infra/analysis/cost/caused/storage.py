"""Caused charges of stored data: EBS volumes the CSI driver creates for PersistentVolume
claims, database backup storage beyond the free allowance, and Performance Insights
retention beyond its free tier."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gridops_infra.analysis.cost.caused.charges import CausedCharge
from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

EBS_PROVISIONERS = ("ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com", "kubernetes.io/aws-ebs")
_QUANTITY = re.compile(r"^\s*([0-9.]+)\s*(Ki|Mi|Gi|Ti|K|M|G|T)?\s*$")
_GIB: dict[str, float] = {
    "Ki": 2**-20,
    "Mi": 2**-10,
    "Gi": 1.0,
    "Ti": 1024.0,
    "K": 1e3 / 2**30,
    "M": 1e6 / 2**30,
    "G": 1e9 / 2**30,
    "T": 1e12 / 2**30,
    "": 1 / 2**30,
}


def quantity_gib(value: Any) -> float | None:
    """A Kubernetes storage quantity (`50Gi`, `100G`, `1Ti`) in GiB."""
    m = _QUANTITY.match(str(value))
    if not m:
        return None
    return float(m.group(1)) * _GIB[m.group(2) or ""]


def _ebs_classes(ctx: PricingContext) -> dict[str, str]:
    """EBS storage class name -> EBS volume type (gp3 when the class leaves it out, the CSI
    driver's default)."""
    out: dict[str, str] = {}
    for sc in ctx.plan.of_type("kubernetes:storage.k8s.io/v1:StorageClass"):
        if sc.inputs.get("provisioner") not in EBS_PROVISIONERS:
            continue
        name = (sc.inputs.get("metadata") or {}).get("name") or sc.name
        out[str(name)] = str((sc.inputs.get("parameters") or {}).get("type") or "gp3")
    return out


def _claims(node: Any, replicas: float = 1.0) -> Iterator[tuple[str | None, float, float]]:
    """(storage class, GiB, copies) of every claim spec found in `node`: PVC specs and
    volume claim templates, multiplied by the nearest `replicas` above them."""
    if isinstance(node, Mapping):
        here = as_number(node.get("replicas"), None)
        copies = here if here is not None else replicas
        resources = node.get("resources")
        requests = resources.get("requests") if isinstance(resources, Mapping) else None
        storage = requests.get("storage") if isinstance(requests, Mapping) else None
        if storage is not None and "accessModes" in node:
            size = quantity_gib(storage)
            if size is not None:
                yield node.get("storageClassName"), size, copies
                return
        for value in node.values():
            yield from _claims(value, copies)
    elif isinstance(node, list):
        for value in node:
            yield from _claims(value, replicas)


def persistent_volumes(ctx: PricingContext) -> Iterator[CausedCharge]:
    """EBS volumes for the claims a resource makes on an EBS storage class (a PVC, a
    StatefulSet's templates, a Helm chart's values)."""
    classes = _ebs_classes(ctx)
    if not classes:
        return
    rates = ctx.table.data["ebs"]["gb_month"]
    for rec in ctx.plan.resources:
        if not rec.type.startswith("kubernetes:") or rec.type.endswith(":StorageClass"):
            continue
        parts: list[str] = []
        cost = 0.0
        for klass, size, copies in _claims(rec.inputs):
            if klass not in classes:
                continue
            kind = classes[str(klass)]
            rate = float(rates.get(kind, rates["gp3"]))
            cost += copies * size * rate
            parts.append(f"{copies:g} x {size:g} GiB {kind} ({klass}) x {money(rate)}/GB-month")
        if parts:
            yield CausedCharge(
                "EBS/PersistentVolumes",
                "volumes",
                rec,
                Price(cost, "created by the EBS CSI driver: " + " + ".join(parts)),
            )


def database_backups(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Automated backups beyond the free allowance (as much backup as the database stores):
    what changes during the retention window (usage `backup_daily_change_percent`)."""
    for cluster in ctx.plan.of_type("aws:rds/cluster:Cluster"):
        days = as_number(cluster.inputs.get("backupRetentionPeriod"), 1.0) or 1.0
        if days <= 1:
            continue
        gb = ctx.usage(cluster, "aurora_storage_gb") or 0.0
        yield _backup(cluster, ctx, gb, days, "aurora_backup_gb_month")
    for db in ctx.plan.of_type("aws:rds/instance:Instance"):
        days = as_number(db.inputs.get("backupRetentionPeriod"), 7.0) or 0.0
        size = as_number(db.inputs.get("allocatedStorage"), None)
        if days <= 1 or size is None or db.inputs.get("replicateSourceDb"):
            continue
        yield _backup(db, ctx, size, days, "rds_backup_gb_month")


def _backup(
    rec: ResourceRecord, ctx: PricingContext, gb: float, days: float, key: str
) -> CausedCharge:
    change = (ctx.usage(rec, "backup_daily_change_percent") or 0.0) / 100
    rate = ctx.rate("backup", key)
    billed = gb * change * days
    cost = billed * rate
    return CausedCharge(
        "Backup/Storage",
        "backups",
        rec,
        Price(
            cost,
            f"{gb:g} GB x {change:.0%} changed a day x {days:g} days retained = {billed:g} GB "
            f"above the free allowance x {money(rate)}/GB-month",
            cost,
        ),
    )


_SIZE_VCPUS = {"micro": 2, "small": 2, "medium": 2, "large": 2, "xlarge": 4}


def instance_vcpus(instance_class: str) -> float | None:
    """vCPUs of a db.* class from its size (`db.r7g.2xlarge` -> 8)."""
    size = instance_class.rsplit(".", 1)[-1]
    if size in _SIZE_VCPUS:
        return _SIZE_VCPUS[size]
    m = re.fullmatch(r"(\d+)xlarge", size)
    return 4.0 * int(m.group(1)) if m else None


def performance_insights(ctx: PricingContext) -> Iterator[CausedCharge]:
    """Performance Insights kept longer than the free 7 days: billed as CloudWatch Database
    Insights (Advanced) per vCPU-hour of the instance."""
    rate = ctx.rate("cloudwatch", "database_insights_vcpu_hour")
    for token in ("aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"):
        for db in ctx.plan.of_type(token):
            if not db.inputs.get("performanceInsightsEnabled"):
                continue
            days = as_number(db.inputs.get("performanceInsightsRetentionPeriod"), 7.0) or 7.0
            if days <= 7:
                continue
            klass = str(db.inputs.get("instanceClass") or "")
            vcpus = instance_vcpus(klass)
            if vcpus is None:
                ctx.note(f"{db.name}: Performance Insights beyond 7 days not priced ({klass}).")
                continue
            cost = vcpus * rate * ctx.hours
            yield CausedCharge(
                "RDS/PerformanceInsights",
                "performance-insights",
                db,
                Price(
                    cost,
                    f"{days:g}-day retention: {vcpus:g} vCPU ({klass}) x {money(rate)}/vCPU-h x "
                    f"{ctx.hours:g} h",
                ),
            )
