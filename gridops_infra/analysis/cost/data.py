"""Pricers for databases and caches: RDS PostgreSQL, Aurora PostgreSQL (provisioned and
Serverless v2), ElastiCache (node-based and serverless)."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord


def _not_in_table(what: str, klass: str, ctx: PricingContext) -> str:
    reason = ctx.table.unpriced_reason(klass)
    if reason:
        return f"{what} {klass} is not priced: {reason}"
    return f"{what} {klass or '(missing)'} is not in the price table"


def rds_instance(rec: ResourceRecord, ctx: PricingContext) -> Price:
    inputs = rec.inputs
    source = None
    if inputs.get("replicateSourceDb"):
        source = ctx.referenced(rec, "replicateSourceDb", "aws:rds/instance:Instance")
    engine = str(inputs.get("engine") or (source.inputs.get("engine") if source else "") or "")
    if not engine.startswith("postgres"):
        raise NotPriced(
            f"engine {engine or '(unknown)'} is not in the price table (PostgreSQL only)"
        )
    klass = str(inputs.get("instanceClass") or "")
    rate = ctx.table.lookup("rds_postgres_instance_hour", klass)
    if rate is None:
        raise NotPriced(_not_in_table("instance class", klass, ctx))
    multi_az = bool(inputs.get("multiAz"))
    factor = ctx.rate("rds", "multi_az_factor") if multi_az else 1.0
    monthly = rate * factor * ctx.hours
    role = "read replica" if source is not None or inputs.get("replicateSourceDb") else "instance"
    formula = (
        f"{klass} {role} {money(rate)}/h{' x 2 (Multi-AZ)' if multi_az else ''} x {ctx.hours:g} h"
    )
    storage = as_number(inputs.get("allocatedStorage"))
    if storage is None and source is not None:
        storage = as_number(source.inputs.get("allocatedStorage"))
    kind = str(
        inputs.get("storageType") or (source.inputs.get("storageType") if source else None) or "gp2"
    )
    if storage is not None:
        gb_rate = ctx.table.data["rds"]["storage_gb_month"].get(kind)
        if gb_rate is None:
            raise NotPriced(f"storage type {kind} is not in the price table")
        monthly += storage * float(gb_rate) * factor
        formula += (
            f" + {storage:g} GB {kind} x {money(gb_rate)}/GB-month{' x 2' if multi_az else ''}"
        )
        iops = as_number(inputs.get("iops"), 0.0) or 0.0
        rds = ctx.table.data["rds"]
        if kind == "gp3" and iops:
            included = (
                rds["gp3_included_iops_large"]
                if storage >= rds["gp3_large_threshold_gb"]
                else rds["gp3_included_iops_small"]
            )
            extra = max(0.0, iops - included)
            monthly += extra * rds["gp3_iops_month"] * factor
            if extra:
                formula += f" + {extra:g} IOPS above baseline"
        elif kind in ("io1", "io2") and iops:
            monthly += iops * rds["provisioned_iops_month"] * factor
            formula += f" + {iops:g} provisioned IOPS"
    else:
        formula += " (storage size unknown, not included)"
    if inputs.get("manageMasterUserPassword"):
        secret = ctx.rate("rds", "managed_master_secret_month")
        monthly += secret
        formula += f" + {money(secret)} RDS-managed master secret"
    ctx.note("RDS backup storage up to the size of the database is free; more is not priced.")
    return Price(monthly, formula)


def _aurora_cluster_of(rec: ResourceRecord, ctx: PricingContext) -> ResourceRecord | None:
    return ctx.referenced(rec, "clusterIdentifier", "aws:rds/cluster:Cluster")


def _is_io_optimized(cluster: ResourceRecord | None) -> bool:
    return cluster is not None and cluster.inputs.get("storageType") == "aurora-iopt1"


def rds_cluster(rec: ResourceRecord, ctx: PricingContext) -> Price:
    engine = str(rec.inputs.get("engine") or "")
    if engine != "aurora-postgresql":
        raise NotPriced(f"cluster engine {engine or '(missing)'} is not in the price table")
    gb = ctx.usage(rec, "aurora_storage_gb") or 0.0
    if _is_io_optimized(rec):
        rate = ctx.rate("aurora", "io_optimized_storage_gb_month")
        cost = gb * rate
        return Price(cost, f"{gb:g} GB x {money(rate)}/GB-month (I/O-Optimized)", cost)
    rate = ctx.rate("aurora", "storage_gb_month")
    io = ctx.usage(rec, "aurora_io_million") or 0.0
    io_rate = ctx.rate("aurora", "io_million")
    cost = gb * rate + io * io_rate
    return Price(
        cost, f"{gb:g} GB x {money(rate)}/GB-month + {io:g}M I/O x {money(io_rate)}/M", cost
    )


def aurora_instance(rec: ResourceRecord, ctx: PricingContext) -> Price:
    cluster = _aurora_cluster_of(rec, ctx)
    engine = str(rec.inputs.get("engine") or (cluster.inputs.get("engine") if cluster else ""))
    if engine != "aurora-postgresql":
        raise NotPriced(f"engine {engine or '(unknown)'} is not in the price table")
    factor = ctx.rate("aurora", "io_optimized_compute_factor") if _is_io_optimized(cluster) else 1.0
    suffix = " x 1.3 (I/O-Optimized)" if factor != 1.0 else ""
    klass = str(rec.inputs.get("instanceClass") or "")
    if klass == "db.serverless":
        scaling = (
            cluster.inputs.get("serverlessv2ScalingConfiguration") if cluster else None
        ) or {}
        acu = ctx.usage(rec, "aurora_serverless_acu")
        why = "usage"
        if acu is None:
            acu = max(as_number(scaling.get("minCapacity"), 0.5) or 0.5, 0.5)
            why = "cluster minCapacity"
        rate = ctx.rate("aurora", "serverless_v2_acu_hour") * factor
        hours, awake = ctx.hours, ""
        if as_number(scaling.get("minCapacity")) == 0:
            # Auto-pause: no compute is billed while paused, so only awake hours count.
            share = ctx.usage(rec, "aurora_serverless_active_share") or 0.0
            hours, awake = ctx.hours * share, f" x {share:g} awake (auto-pause)"
        monthly = acu * rate * hours
        return Price(
            monthly,
            f"{acu:g} ACU ({why}) x {money(round(rate, 4))}/ACU-h{suffix} x {ctx.hours:g} h"
            + awake,
            monthly,
        )
    rate = ctx.table.lookup("aurora_postgres_instance_hour", klass)
    if rate is None:
        raise NotPriced(_not_in_table("Aurora instance class", klass, ctx))
    monthly = rate * factor * ctx.hours
    return Price(monthly, f"{klass} {money(rate)}/h{suffix} x {ctx.hours:g} h")


def _cache_rate(ctx: PricingContext, node_type: str, engine: str) -> tuple[float, str]:
    rate = ctx.table.lookup("elasticache_node_hour", node_type)
    if rate is None:
        raise NotPriced(_not_in_table("node type", node_type, ctx))
    if engine == "valkey":
        discount = ctx.rate("elasticache", "valkey_discount")
        return rate * (1 - discount), f" (Valkey -{discount:.0%})"
    return rate, ""


def replication_group(rec: ResourceRecord, ctx: PricingContext) -> Price:
    inputs = rec.inputs
    shards = as_number(inputs.get("numNodeGroups"))
    if shards is not None:
        replicas = as_number(inputs.get("replicasPerNodeGroup"), 0.0) or 0.0
        nodes = shards * (replicas + 1)
        shape = f"{shards:g} shard(s) x ({replicas:g} replica(s) + 1)"
    else:
        nodes = as_number(inputs.get("numCacheClusters"), 1.0) or 1.0
        shape = f"{nodes:g} node(s)"
    node_type = str(inputs.get("nodeType") or "")
    engine = str(inputs.get("engine") or "redis").lower()
    rate, note = _cache_rate(ctx, node_type, engine)
    monthly = nodes * rate * ctx.hours
    return Price(
        monthly, f"{shape} x {node_type} {money(round(rate, 4))}/h{note} x {ctx.hours:g} h"
    )


def cache_cluster(rec: ResourceRecord, ctx: PricingContext) -> Price:
    if rec.inputs.get("replicationGroupId"):
        return Price(0.0, "member of a replication group, priced there")
    nodes = as_number(rec.inputs.get("numCacheNodes"), 1.0) or 1.0
    node_type = str(rec.inputs.get("nodeType") or "")
    rate, note = _cache_rate(ctx, node_type, str(rec.inputs.get("engine") or "redis").lower())
    return Price(nodes * rate * ctx.hours, f"{nodes:g} x {node_type} {money(rate)}/h{note}")


def serverless_cache(rec: ResourceRecord, ctx: PricingContext) -> Price:
    engine = "valkey" if str(rec.inputs.get("engine", "")).lower() == "valkey" else "redis"
    rates = ctx.table.data["elasticache"]["serverless"][engine]
    gb = max(ctx.usage(rec, "elasticache_serverless_gb") or 0.0, float(rates["minimum_gb"]))
    ecpu = ctx.usage(rec, "elasticache_serverless_ecpu_million") or 0.0
    cost = gb * rates["gb_hour"] * ctx.hours + ecpu * rates["ecpu_million"]
    return Price(
        cost,
        f"{gb:g} GB x {money(rates['gb_hour'])}/GB-h x {ctx.hours:g} h + {ecpu:g}M ECPU",
        cost,
    )
