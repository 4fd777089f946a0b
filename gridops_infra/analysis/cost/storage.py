"""Pricers for stored data: S3 buckets, ECR repositories, snapshot and backup plans."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.testing.plan import ResourceRecord


def s3_bucket(rec: ResourceRecord, ctx: PricingContext) -> Price:
    s3 = ctx.table.data["s3"]
    gb = ctx.usage(rec, "s3_storage_gb") or 0.0
    puts = ctx.usage(rec, "s3_put_thousand") or 0.0
    gets = ctx.usage(rec, "s3_get_thousand") or 0.0
    cost = gb * s3["standard_gb_month"] + puts * s3["put_1000"] + gets * s3["get_1000"]
    return Price(
        cost,
        f"{gb:g} GB x {money(s3['standard_gb_month'])} + {puts:g}k PUT x "
        f"{money(s3['put_1000'])}/k + {gets:g}k GET x {money(s3['get_1000'])}/k",
        cost,
    )


def ecr_repository(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("ecr", "storage_gb_month")
    gb = ctx.usage(rec, "ecr_storage_gb") or 0.0
    return Price(gb * rate, f"{gb:g} GB x {money(rate)}/GB-month", gb * rate)


def ecr_replication(rec: ResourceRecord, ctx: PricingContext) -> Price:
    """Each replicated repository of the Plan (a rule's prefix filter, or every repository
    when a rule has none) stores its images again in every destination Region, at the
    storage rate. The transfer of each push to another Region is not priced."""
    rate = ctx.rate("ecr", "storage_gb_month")
    config = rec.inputs.get("replicationConfiguration") or {}
    repositories = ctx.plan.of_type("aws:ecr/repository:Repository")
    copies = 0.0
    for rule in config.get("rules") or []:
        prefixes = [f.get("filter", "") for f in rule.get("repositoryFilters") or []]
        covered = [
            r
            for r in repositories
            if not prefixes or any(str(r.inputs.get("name", "")).startswith(p) for p in prefixes)
        ]
        gb = sum(ctx.usage(r, "ecr_storage_gb") or 0.0 for r in covered)
        copies += gb * len(rule.get("destinations") or [])
    return Price(
        copies * rate,
        f"{copies:g} GB of replicas x {money(rate)}/GB-month (cross-Region transfer of each "
        "push not priced)",
        copies * rate,
    )


def snapshots(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("backup", "ebs_snapshot_gb_month")
    gb = ctx.usage(rec, "snapshot_gb") or 0.0
    return Price(gb * rate, f"{gb:g} GB of snapshots x {money(rate)}/GB-month", gb * rate)
