"""What a Plan costs a month, from the dated price table shipped with the package.

`estimate_cost(plan, usage)` prices every resource the Plan would create. Capacity comes
from the Plan itself (task counts, instance classes, node counts, disk sizes);
traffic-driven charges come from `usage` (defaults in USAGE_DEFAULTS). A type the table
does not know lands in `not_priced`, never at a silent zero; types that cost nothing are
listed in the table's `free` section with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..testing.plan import Plan, ResourceRecord
from .graph import PROVIDER_TYPE_PREFIX, PlanIndex, component_label, short_type

PRICE_TABLE = "prices_us_east_1.json"

USAGE_DEFAULTS: dict[str, tuple[float | None, str]] = {
    "nat_gateway_gb": (100.0, "GB processed per NAT gateway per month"),
    "alb_lcu": (1.0, "average load balancer capacity units (LCU/NLCU) per load balancer"),
    "interface_endpoint_gb": (10.0, "GB processed per interface VPC endpoint per month"),
    "log_ingestion_gb": (1.0, "GB ingested per log group per month"),
    "cloudfront_data_gb": (100.0, "GB served to viewers per distribution per month"),
    "cloudfront_requests_million": (10.0, "HTTPS requests per distribution, millions/month"),
    "cloudfront_function_invocations_million": (
        10.0,
        "invocations per CloudFront function, millions/month",
    ),
    "waf_requests_million": (10.0, "requests inspected per web ACL, millions/month"),
    "sqs_requests_million": (10.0, "API requests per queue, millions/month"),
    "sqs_dlq_requests_million": (
        0.1,
        "API requests per dead-letter queue (another queue's redrive target), millions/month",
    ),
    "sns_publishes_million": (1.0, "publishes per topic, millions/month"),
    "s3_storage_gb": (10.0, "GB stored per bucket (S3 Standard)"),
    "s3_put_thousand": (10.0, "PUT/POST/LIST requests per bucket, thousands/month"),
    "s3_get_thousand": (100.0, "GET requests per bucket, thousands/month"),
    "ecr_storage_gb": (5.0, "GB of images per ECR repository"),
    "aurora_storage_gb": (20.0, "GB stored per Aurora cluster"),
    "aurora_io_million": (10.0, "I/O requests per Aurora Standard cluster, millions/month"),
    "aurora_serverless_acu": (
        None,
        "average ACUs per Serverless v2 instance (default: the cluster's minCapacity, "
        "at least 0.5)",
    ),
    "elasticache_serverless_gb": (1.0, "average GB stored per serverless cache"),
    "elasticache_serverless_ecpu_million": (100.0, "ECPUs per serverless cache, millions/month"),
    "snapshot_gb": (20.0, "GB of snapshots/backups kept per lifecycle or backup plan"),
}
"""Usage key -> (default, meaning). Pass `usage={"nat_gateway_gb": 500}` to change one for
every resource, or `usage={"resources": {"prod-nat-0": {"nat_gateway_gb": 500}}}` for one
resource (by its Pulumi name)."""

NOT_MODELLED: dict[str, str] = {
    "aws:lambda/function:Function": "usage-only (requests and GB-seconds): not modelled",
    "aws:eks/fargateProfile:FargateProfile": "pods' vCPU/GB are not in the Plan",
    "aws:rds/proxy:Proxy": "priced per vCPU of the databases behind it: not modelled",
    "aws:route53/healthCheck:HealthCheck": "depends on endpoint type and options: not modelled",
}


class PriceTable:
    """The dated price table (`prices_us_east_1.json`): one region, on-demand, USD."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)
        self.free: dict[str, str] = dict(data.get("free", {}))
        self.free_prefixes: dict[str, str] = dict(data.get("free_prefixes", {}))

    @property
    def region(self) -> str:
        return str(self.data["region"])

    @property
    def as_of(self) -> str:
        return str(self.data["as_of"])

    @property
    def source(self) -> str:
        return str(self.data["source"])

    @property
    def currency(self) -> str:
        return str(self.data.get("currency", "USD"))

    @property
    def hours_per_month(self) -> float:
        return float(self.data.get("hours_per_month", 730))

    def rate(self, *path: str) -> float:
        node: Any = self.data
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                raise KeyError(f"price table has no {'.'.join(path)}")
            node = node[key]
        return float(node)

    def lookup(self, section: str, key: str) -> float | None:
        value = self.data.get(section, {}).get(key)
        return None if value is None else float(value)

    def free_reason(self, type_token: str) -> str | None:
        if type_token in self.free:
            return self.free[type_token]
        for prefix, reason in self.free_prefixes.items():
            if type_token.startswith(prefix):
                return reason
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "currency": self.currency,
            "as_of": self.as_of,
            "source": self.source,
            "pricing_model": self.data.get("pricing_model"),
        }


@cache
def _default_table() -> PriceTable:
    text = (
        resources.files("gridops_infra.analysis").joinpath(PRICE_TABLE).read_text(encoding="utf-8")
    )
    return PriceTable(json.loads(text))


def load_prices(path: str | Path | None = None) -> PriceTable:
    """The shipped table, or one read from `path` (same schema)."""
    if path is None:
        return _default_table()
    return PriceTable(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class CostLine:
    """One priced resource."""

    type: str
    name: str
    urn: str
    component: str
    """`Type/name` of the nearest gridops component above the resource, or `(none)`."""
    monthly_usd: float
    usage_usd: float
    """The part of `monthly_usd` that comes from `usage` assumptions."""
    formula: str

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "name": self.name,
            "urn": self.urn,
            "component": self.component,
            "monthly_usd": round(self.monthly_usd, 4),
            "usage_usd": round(self.usage_usd, 4),
            "formula": self.formula,
        }


@dataclass(frozen=True)
class Unpriced:
    """A resource left out of the total, with the reason (unknown type, missing input)."""

    type: str
    name: str
    urn: str
    component: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "name": self.name,
            "urn": self.urn,
            "component": self.component,
            "reason": self.reason,
        }


COST_REPORT_KEYS = (
    "schema_version",
    "project",
    "stack",
    "price_table",
    "hours_per_month",
    "total_monthly_usd",
    "usage_monthly_usd",
    "by_component",
    "lines",
    "free",
    "not_priced",
    "assumptions",
    "warnings",
)
"""Top-level keys of `CostReport.to_json()`, in order. `lines` items have COST_LINE_KEYS,
`not_priced` items UNPRICED_KEYS, `free` items FREE_KEYS, `by_component` items
COMPONENT_TOTAL_KEYS; `price_table` has region, currency, as_of, source, pricing_model."""
COST_LINE_KEYS = ("type", "name", "urn", "component", "monthly_usd", "usage_usd", "formula")
UNPRICED_KEYS = ("type", "name", "urn", "component", "reason")
FREE_KEYS = ("type", "name", "component", "reason")
COMPONENT_TOTAL_KEYS = ("component", "monthly_usd", "resources")


@dataclass
class CostReport:
    """Monthly estimate of one Plan. `to_json()` is schema-stable: see COST_REPORT_KEYS."""

    project: str
    stack: str
    table: PriceTable
    lines: list[CostLine]
    free: list[tuple[str, str, str, str]]
    """(type, name, component, reason) of resources that cost nothing."""
    not_priced: list[Unpriced]
    assumptions: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(line.monthly_usd for line in self.lines)

    @property
    def usage_total(self) -> float:
        return sum(line.usage_usd for line in self.lines)

    def by_component(self) -> dict[str, float]:
        """Component label -> monthly USD, most expensive first."""
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.component] = totals.get(line.component, 0.0) + line.monthly_usd
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def by_type(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.type] = totals.get(line.type, 0.0) + line.monthly_usd
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def line(self, name: str) -> CostLine:
        found = [x for x in self.lines if x.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one cost line named {name!r}, found {len(found)}")
        return found[0]

    def to_json(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line.component] = counts.get(line.component, 0) + 1
        return {
            "schema_version": 1,
            "project": self.project,
            "stack": self.stack,
            "price_table": self.table.describe(),
            "hours_per_month": self.table.hours_per_month,
            "total_monthly_usd": round(self.total, 2),
            "usage_monthly_usd": round(self.usage_total, 2),
            "by_component": [
                {"component": c, "monthly_usd": round(v, 2), "resources": counts[c]}
                for c, v in self.by_component().items()
            ],
            "lines": [line.to_json() for line in self.lines],
            "free": [
                {"type": t, "name": n, "component": c, "reason": r} for t, n, c, r in self.free
            ],
            "not_priced": [u.to_json() for u in self.not_priced],
            "assumptions": list(self.assumptions),
            "warnings": list(self.warnings),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        t = self.table
        out = [
            f"Monthly cost estimate for {self.project}/{self.stack}: ${self.total:,.2f} "
            f"({t.currency}, of which ${self.usage_total:,.2f} from usage assumptions)",
            f"Prices: {t.region}, on-demand, as of {t.as_of}. Source: {t.source}",
            "",
        ]
        by_comp: dict[str, list[CostLine]] = {}
        for line in self.lines:
            by_comp.setdefault(line.component, []).append(line)
        for comp, total in self.by_component().items():
            out.append(f"{comp}  ${total:,.2f}")
            for line in sorted(by_comp[comp], key=lambda x: (-x.monthly_usd, x.name)):
                if line.monthly_usd == 0:
                    continue
                out.append(
                    f"  {line.monthly_usd:>10,.2f}  {line.name} ({short_type(line.type)}): "
                    f"{line.formula}"
                )
        out += ["", f"{'TOTAL':<12}${self.total:,.2f}/month"]
        if self.free:
            out.append(f"Free resources: {len(self.free)} (IAM, routing, configuration)")
        if self.not_priced:
            out += ["", "NOT PRICED (left out of the total):"]
            out += [f"  {u.name} ({u.type}): {u.reason}" for u in self.not_priced]
        if self.warnings:
            out += ["", "Warnings:", *[f"  - {w}" for w in self.warnings]]
        out += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(out)


@dataclass(frozen=True)
class Price:
    monthly: float
    formula: str
    usage: float = 0.0


class NotPriced(Exception):
    """Raised by a pricer when the Plan lacks what the price needs."""


class _Context:
    def __init__(self, plan: Plan, table: PriceTable, usage: Mapping[str, Any] | None) -> None:
        self.plan = plan
        self.index = PlanIndex(plan)
        self.table = table
        self.hours = table.hours_per_month
        self.notes: list[str] = []
        self.used_usage: set[str] = set()
        self._usage, self._per_resource = _check_usage(usage)
        self._by_output: dict[tuple[str, str], ResourceRecord] = {}
        for r in plan.resources:
            for key in ("arn", "id", "name"):
                value = r.outputs.get(key) if key != "id" else r.id
                if isinstance(value, str) and value:
                    self._by_output.setdefault((key, value), r)

    def rate(self, *path: str) -> float:
        return self.table.rate(*path)

    def usage(self, rec: ResourceRecord, key: str) -> float | None:
        self.used_usage.add(key)
        per = self._per_resource.get(rec.name, {})
        if key in per:
            return float(per[key])
        if key in self._usage:
            return float(self._usage[key])
        return USAGE_DEFAULTS[key][0]

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def referenced(self, rec: ResourceRecord, prop: str, type_token: str) -> ResourceRecord | None:
        """The resource of `type_token` that `rec`'s input `prop` points at: by property
        dependency first, then by matching the value against ARNs, ids and names."""
        for urn in rec.property_dependencies.get(prop, []):
            dep = self.index.by_urn.get(urn)
            if dep is not None and dep.type == type_token:
                return dep
        value = rec.inputs.get(prop)
        if isinstance(value, dict):
            value = value.get("id") or value.get("name")
        if isinstance(value, str):
            for key in ("arn", "id", "name"):
                found = self._by_output.get((key, value))
                if found is not None and found.type == type_token:
                    return found
        return None


def _check_usage(
    usage: Mapping[str, Any] | None,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    if usage is None:
        return {}, {}
    if not isinstance(usage, Mapping):
        raise ValueError("usage must be a mapping of usage key -> number")
    flat: dict[str, float] = {}
    per: dict[str, dict[str, float]] = {}
    for key, value in usage.items():
        if key == "resources":
            if not isinstance(value, Mapping):
                raise ValueError("usage['resources'] must map resource name -> {usage key: number}")
            for name, overrides in value.items():
                if not isinstance(overrides, Mapping):
                    raise ValueError(f"usage['resources'][{name!r}] must be a mapping")
                per[str(name)] = {k: _usage_number(k, v) for k, v in overrides.items()}
            continue
        flat[key] = _usage_number(key, value)
    return flat, per


def _usage_number(key: str, value: Any) -> float:
    if key not in USAGE_DEFAULTS:
        raise ValueError(
            f"usage key {key!r} is not known; allowed: {', '.join(sorted(USAGE_DEFAULTS))}"
        )
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"usage[{key!r}]={value!r} is not allowed; expected a number >= 0")
    return float(value)


def _num(value: Any, default: float | None = None) -> float | None:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    return default


def _money(x: float) -> str:
    return f"${x:g}"


Pricer = Callable[[ResourceRecord, _Context], Price]


def _hourly(ctx: _Context, rate: float, what: str, count: float = 1) -> tuple[float, str]:
    monthly = count * rate * ctx.hours
    prefix = f"{count:g} x " if count != 1 else ""
    return monthly, f"{prefix}{what} {_money(rate)}/h x {ctx.hours:g} h"


def _nat_gateway(rec: ResourceRecord, ctx: _Context) -> Price:
    fixed, formula = _hourly(ctx, ctx.rate("nat_gateway", "hour"), "NAT gateway")
    gb = ctx.usage(rec, "nat_gateway_gb") or 0.0
    per_gb = ctx.rate("nat_gateway", "gb_processed")
    used = gb * per_gb
    return Price(fixed + used, f"{formula} + {gb:g} GB x {_money(per_gb)}/GB processed", used)


def _public_ip(rec: ResourceRecord, ctx: _Context) -> Price:
    monthly, formula = _hourly(ctx, ctx.rate("public_ipv4_hour"), "public IPv4")
    return Price(monthly, formula)


def _load_balancer(rec: ResourceRecord, ctx: _Context) -> Price:
    kind = str(rec.inputs.get("loadBalancerType") or "application")
    if kind not in ctx.table.data["load_balancer"]:
        raise NotPriced(f"load balancer type {kind!r} is not in the price table")
    fixed, formula = _hourly(ctx, ctx.rate("load_balancer", kind, "hour"), f"{kind} LB")
    lcu = ctx.usage(rec, "alb_lcu") or 0.0
    lcu_rate = ctx.rate("load_balancer", kind, "lcu_hour")
    used = lcu * lcu_rate * ctx.hours
    formula += f" + {lcu:g} LCU x {_money(lcu_rate)}/LCU-h"
    if not rec.inputs.get("internal"):
        subnets = rec.inputs.get("subnets") or rec.inputs.get("subnetMappings") or []
        known = isinstance(subnets, list) and bool(subnets)
        azs = len(subnets) if known else 2
        ip_cost, _ = _hourly(ctx, ctx.rate("public_ipv4_hour"), "", azs)
        fixed += ip_cost
        formula += (
            f" + {azs} public IPv4 (one per AZ{'' if known else ', 2 AZs assumed'}) x "
            f"{_money(ctx.rate('public_ipv4_hour'))}/h"
        )
    return Price(fixed + used, formula, used)


def _interface_endpoint(rec: ResourceRecord, ctx: _Context) -> Price:
    if rec.inputs.get("vpcEndpointType", "Gateway") != "Interface":
        return Price(0.0, "gateway endpoints are free")
    subnets = rec.inputs.get("subnetIds") or []
    azs = len(subnets) if isinstance(subnets, list) and subnets else 1
    fixed, formula = _hourly(
        ctx, ctx.rate("vpc_interface_endpoint", "hour_per_az"), "endpoint-AZ", azs
    )
    gb = ctx.usage(rec, "interface_endpoint_gb") or 0.0
    per_gb = ctx.rate("vpc_interface_endpoint", "gb_processed")
    return Price(fixed + gb * per_gb, f"{formula} + {gb:g} GB x {_money(per_gb)}", gb * per_gb)


# --- ECS on Fargate -------------------------------------------------------------------


def split_tasks(count: float, strategies: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """How ECS spreads `count` tasks over a capacity provider strategy: each provider's
    `base` first (in order), the rest in proportion to `weight`."""
    if not strategies:
        return {"FARGATE": count}
    out = {str(s.get("capacityProvider")): 0.0 for s in strategies}
    left = count
    for s in strategies:
        base = min(_num(s.get("base"), 0.0) or 0.0, left)
        out[str(s.get("capacityProvider"))] += base
        left -= base
    weights = {
        str(s.get("capacityProvider")): _num(s.get("weight"), 0.0) or 0.0 for s in strategies
    }
    total_weight = sum(weights.values())
    if left > 0:
        if total_weight <= 0:
            first = str(strategies[0].get("capacityProvider"))
            out[first] += left
        else:
            for provider, weight in weights.items():
                out[provider] += left * weight / total_weight
    return out


def _service_task_count(rec: ResourceRecord, ctx: _Context) -> tuple[float, str]:
    service_name = rec.outputs.get("name") or rec.inputs.get("name")
    for target in ctx.plan.of_type("aws:appautoscaling/target:Target"):
        if target.inputs.get("serviceNamespace") != "ecs":
            continue
        deps = set(target.dependencies)
        for urns in target.property_dependencies.values():
            deps.update(urns)
        resource_id = str(target.inputs.get("resourceId") or "")
        if rec.urn in deps or (service_name and resource_id.endswith(f"/{service_name}")):
            minimum = _num(target.inputs.get("minCapacity"))
            if minimum is not None:
                return minimum, f"minCapacity of autoscaling target {target.name}"
    desired = _num(rec.inputs.get("desiredCount"))
    if desired is None:
        return 0.0, "no desiredCount (provider default 0)"
    return desired, "desiredCount"


def _service_strategy(rec: ResourceRecord, ctx: _Context) -> list[Mapping[str, Any]]:
    strategies = rec.inputs.get("capacityProviderStrategies")
    if isinstance(strategies, list) and strategies:
        return strategies
    if rec.inputs.get("launchType"):
        return [{"capacityProvider": str(rec.inputs["launchType"]), "weight": 1}]
    cluster = ctx.referenced(rec, "cluster", "aws:ecs/cluster:Cluster")
    if cluster is not None:
        cluster_name = cluster.outputs.get("name") or cluster.inputs.get("name")
        for ccp in ctx.plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"):
            linked = cluster.urn in ccp.property_dependencies.get("clusterName", [])
            if linked or ccp.inputs.get("clusterName") == cluster_name:
                default = ccp.inputs.get("defaultCapacityProviderStrategies")
                if isinstance(default, list) and default:
                    return default
    return [{"capacityProvider": "FARGATE", "weight": 1}]


def _ecs_service(rec: ResourceRecord, ctx: _Context) -> Price:
    strategy = _service_strategy(rec, ctx)
    providers = {str(s.get("capacityProvider")) for s in strategy}
    if not providers <= {"FARGATE", "FARGATE_SPOT"}:
        return Price(
            0.0,
            f"tasks run on EC2 capacity ({', '.join(sorted(providers))}), priced on the instances",
        )
    td = ctx.referenced(rec, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition")
    if td is None:
        raise NotPriced("its task definition is not in the Plan")
    cpu_units = _num(td.inputs.get("cpu"))
    memory_mib = _num(td.inputs.get("memory"))
    if cpu_units is None or memory_mib is None:
        raise NotPriced(f"task definition {td.name} has no task-level cpu/memory")
    vcpu, gb = cpu_units / 1024, memory_mib / 1024
    platform = td.inputs.get("runtimePlatform") or {}
    arch = "arm64" if str(platform.get("cpuArchitecture", "")).upper() == "ARM64" else "x86_64"
    per_task_hour = vcpu * ctx.rate("fargate", arch, "vcpu_hour") + gb * ctx.rate(
        "fargate", arch, "gb_hour"
    )
    storage = _num((td.inputs.get("ephemeralStorage") or {}).get("sizeInGib"), 0.0) or 0.0
    extra_gb = max(0.0, storage - ctx.rate("fargate", "ephemeral_storage_included_gb"))
    per_task_hour += extra_gb * ctx.rate("fargate", "ephemeral_storage_gb_hour")
    count, why = _service_task_count(rec, ctx)
    split = split_tasks(count, strategy)
    spot = split.get("FARGATE_SPOT", 0.0)
    discount = ctx.rate("fargate", "spot_discount")
    effective = (count - spot) + spot * (1 - discount)
    monthly = effective * per_task_hour * ctx.hours
    formula = (
        f"{count:g} task(s) ({why}) x ({vcpu:g} vCPU + {gb:g} GB {arch}) "
        f"= {_money(round(per_task_hour, 6))}/task-h x {ctx.hours:g} h"
    )
    if extra_gb:
        formula += f" incl. {extra_gb:g} GB extra ephemeral storage"
    if spot:
        formula += f"; {spot:g} on FARGATE_SPOT at -{discount:.0%} (assumed)"
        ctx.note(ctx.table.data["fargate"]["spot_discount_note"])
        if arch == "arm64":
            ctx.note("Fargate Spot does not run ARM64 tasks: ECS would fail to place them.")
    return Price(monthly, formula)


# --- EKS and EC2 ----------------------------------------------------------------------


def _eks_cluster(rec: ResourceRecord, ctx: _Context) -> Price:
    monthly, formula = _hourly(ctx, ctx.rate("eks", "cluster_hour"), "EKS control plane")
    return Price(monthly, formula + " (standard support)")


def _ec2_rate(ctx: _Context, instance_type: str) -> float:
    rate = ctx.table.lookup("ec2_instance_hour", instance_type)
    if rate is None:
        raise NotPriced(f"instance type {instance_type} is not in the price table")
    return rate


def _ebs_monthly(ctx: _Context, size: float, kind: str) -> float:
    rate = ctx.table.data["ebs"]["gb_month"].get(kind)
    if rate is None:
        raise NotPriced(f"EBS volume type {kind} is not in the price table")
    return size * float(rate)


def _node_group(rec: ResourceRecord, ctx: _Context) -> Price:
    scaling = rec.inputs.get("scalingConfig") or {}
    count = _num(scaling.get("desiredSize"), None)
    if count is None:
        raise NotPriced("scalingConfig.desiredSize is missing")
    types = rec.inputs.get("instanceTypes") or []
    if not types and rec.inputs.get("launchTemplate"):
        raise NotPriced("instance type is set in a launch template, not on the node group")
    instance_type = str(types[0]) if types else "t3.medium"
    rate = _ec2_rate(ctx, instance_type)
    spot = str(rec.inputs.get("capacityType", "ON_DEMAND")).upper() == "SPOT"
    if spot:
        rate *= 1 - ctx.rate("ec2", "spot_discount")
        ctx.note(ctx.table.data["ec2"]["spot_discount_note"])
    monthly, formula = _hourly(ctx, rate, f"{instance_type}{' spot' if spot else ''}", count)
    if not rec.inputs.get("launchTemplate"):
        disk = _num(rec.inputs.get("diskSize"), 20.0) or 20.0
        monthly += count * _ebs_monthly(ctx, disk, "gp3")
        formula += f" + {count:g} x {disk:g} GB gp3 root volume"
    if not types:
        formula += " (EKS default instance type t3.medium)"
    return Price(monthly, formula)


def _instance(rec: ResourceRecord, ctx: _Context) -> Price:
    instance_type = str(rec.inputs.get("instanceType") or "")
    if not instance_type:
        raise NotPriced("instanceType is missing")
    monthly, formula = _hourly(ctx, _ec2_rate(ctx, instance_type), instance_type)
    root = rec.inputs.get("rootBlockDevice") or {}
    default_gb = ctx.rate("ec2", "default_root_volume_gb")
    size = _num(root.get("volumeSize"), default_gb) or default_gb
    kind = str(root.get("volumeType") or "gp3")
    monthly += _ebs_monthly(ctx, size, kind)
    formula += f" + {size:g} GB {kind} root volume"
    if rec.inputs.get("associatePublicIpAddress"):
        ip, _ = _hourly(ctx, ctx.rate("public_ipv4_hour"), "")
        monthly += ip
        formula += " + public IPv4"
    return Price(monthly, formula)


def _autoscaling_group(rec: ResourceRecord, ctx: _Context) -> Price:
    count = _num(rec.inputs.get("desiredCapacity"), None)
    if count is None:
        count = _num(rec.inputs.get("minSize"), 0.0) or 0.0
    template = ctx.referenced(rec, "launchTemplate", "aws:ec2/launchTemplate:LaunchTemplate")
    if template is None or not template.inputs.get("instanceType"):
        raise NotPriced("instance type not found (launch template missing or without one)")
    instance_type = str(template.inputs["instanceType"])
    monthly, formula = _hourly(ctx, _ec2_rate(ctx, instance_type), instance_type, count)
    return Price(monthly, formula + " (EBS volumes from the launch template not included)")


def _ebs_volume(rec: ResourceRecord, ctx: _Context) -> Price:
    size = _num(rec.inputs.get("size"))
    if size is None:
        raise NotPriced("size is missing (volume from a snapshot?)")
    kind = str(rec.inputs.get("type") or "gp3")
    monthly = _ebs_monthly(ctx, size, kind)
    formula = f"{size:g} GB {kind} x {_money(ctx.table.data['ebs']['gb_month'][kind])}/GB-month"
    ebs = ctx.table.data["ebs"]
    iops = _num(rec.inputs.get("iops"), 0.0) or 0.0
    if kind == "gp3":
        extra_iops = max(0.0, iops - ebs["gp3_included_iops"])
        throughput = _num(rec.inputs.get("throughput"), 0.0) or 0.0
        extra_tp = max(0.0, throughput - ebs["gp3_included_throughput_mbps"])
        monthly += extra_iops * ebs["gp3_iops_month"] + extra_tp * ebs["gp3_throughput_mbps_month"]
        if extra_iops or extra_tp:
            formula += f" + {extra_iops:g} IOPS + {extra_tp:g} MB/s above the gp3 baseline"
    elif kind in ("io1", "io2"):
        monthly += iops * ebs["provisioned_iops_month"]
        formula += f" + {iops:g} provisioned IOPS"
    return Price(monthly, formula)


# --- Databases and caches -------------------------------------------------------------


def _rds_instance(rec: ResourceRecord, ctx: _Context) -> Price:
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
        raise NotPriced(f"instance class {klass or '(missing)'} is not in the price table")
    multi_az = bool(inputs.get("multiAz"))
    factor = ctx.rate("rds", "multi_az_factor") if multi_az else 1.0
    monthly = rate * factor * ctx.hours
    role = "read replica" if source is not None or inputs.get("replicateSourceDb") else "instance"
    formula = (
        f"{klass} {role} {_money(rate)}/h{' x 2 (Multi-AZ)' if multi_az else ''} x {ctx.hours:g} h"
    )
    storage = _num(inputs.get("allocatedStorage"))
    if storage is None and source is not None:
        storage = _num(source.inputs.get("allocatedStorage"))
    kind = str(
        inputs.get("storageType") or (source.inputs.get("storageType") if source else None) or "gp2"
    )
    if storage is not None:
        gb_rate = ctx.table.data["rds"]["storage_gb_month"].get(kind)
        if gb_rate is None:
            raise NotPriced(f"storage type {kind} is not in the price table")
        monthly += storage * float(gb_rate) * factor
        formula += (
            f" + {storage:g} GB {kind} x {_money(gb_rate)}/GB-month{' x 2' if multi_az else ''}"
        )
        iops = _num(inputs.get("iops"), 0.0) or 0.0
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
        formula += f" + {_money(secret)} RDS-managed master secret"
    ctx.note("RDS backup storage up to the size of the database is free; more is not priced.")
    return Price(monthly, formula)


def _aurora_cluster_of(rec: ResourceRecord, ctx: _Context) -> ResourceRecord | None:
    return ctx.referenced(rec, "clusterIdentifier", "aws:rds/cluster:Cluster")


def _is_io_optimized(cluster: ResourceRecord | None) -> bool:
    return cluster is not None and cluster.inputs.get("storageType") == "aurora-iopt1"


def _rds_cluster(rec: ResourceRecord, ctx: _Context) -> Price:
    engine = str(rec.inputs.get("engine") or "")
    if engine != "aurora-postgresql":
        raise NotPriced(f"cluster engine {engine or '(missing)'} is not in the price table")
    gb = ctx.usage(rec, "aurora_storage_gb") or 0.0
    if _is_io_optimized(rec):
        rate = ctx.rate("aurora", "io_optimized_storage_gb_month")
        cost = gb * rate
        return Price(cost, f"{gb:g} GB x {_money(rate)}/GB-month (I/O-Optimized)", cost)
    rate = ctx.rate("aurora", "storage_gb_month")
    io = ctx.usage(rec, "aurora_io_million") or 0.0
    io_rate = ctx.rate("aurora", "io_million")
    cost = gb * rate + io * io_rate
    return Price(
        cost, f"{gb:g} GB x {_money(rate)}/GB-month + {io:g}M I/O x {_money(io_rate)}/M", cost
    )


def _aurora_instance(rec: ResourceRecord, ctx: _Context) -> Price:
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
            acu = max(_num(scaling.get("minCapacity"), 0.5) or 0.5, 0.5)
            why = "cluster minCapacity"
        rate = ctx.rate("aurora", "serverless_v2_acu_hour") * factor
        monthly = acu * rate * ctx.hours
        return Price(
            monthly,
            f"{acu:g} ACU ({why}) x {_money(round(rate, 4))}/ACU-h{suffix} x {ctx.hours:g} h",
            monthly,
        )
    rate = ctx.table.lookup("aurora_postgres_instance_hour", klass)
    if rate is None:
        raise NotPriced(f"Aurora instance class {klass or '(missing)'} is not in the price table")
    monthly = rate * factor * ctx.hours
    return Price(monthly, f"{klass} {_money(rate)}/h{suffix} x {ctx.hours:g} h")


def _cache_rate(ctx: _Context, node_type: str, engine: str) -> tuple[float, str]:
    rate = ctx.table.lookup("elasticache_node_hour", node_type)
    if rate is None:
        raise NotPriced(f"node type {node_type or '(missing)'} is not in the price table")
    if engine == "valkey":
        discount = ctx.rate("elasticache", "valkey_discount")
        return rate * (1 - discount), f" (Valkey -{discount:.0%})"
    return rate, ""


def _replication_group(rec: ResourceRecord, ctx: _Context) -> Price:
    inputs = rec.inputs
    shards = _num(inputs.get("numNodeGroups"))
    if shards is not None:
        replicas = _num(inputs.get("replicasPerNodeGroup"), 0.0) or 0.0
        nodes = shards * (replicas + 1)
        shape = f"{shards:g} shard(s) x ({replicas:g} replica(s) + 1)"
    else:
        nodes = _num(inputs.get("numCacheClusters"), 1.0) or 1.0
        shape = f"{nodes:g} node(s)"
    node_type = str(inputs.get("nodeType") or "")
    engine = str(inputs.get("engine") or "redis").lower()
    rate, note = _cache_rate(ctx, node_type, engine)
    monthly = nodes * rate * ctx.hours
    return Price(
        monthly, f"{shape} x {node_type} {_money(round(rate, 4))}/h{note} x {ctx.hours:g} h"
    )


def _cache_cluster(rec: ResourceRecord, ctx: _Context) -> Price:
    if rec.inputs.get("replicationGroupId"):
        return Price(0.0, "member of a replication group, priced there")
    nodes = _num(rec.inputs.get("numCacheNodes"), 1.0) or 1.0
    node_type = str(rec.inputs.get("nodeType") or "")
    rate, note = _cache_rate(ctx, node_type, str(rec.inputs.get("engine") or "redis").lower())
    return Price(nodes * rate * ctx.hours, f"{nodes:g} x {node_type} {_money(rate)}/h{note}")


def _serverless_cache(rec: ResourceRecord, ctx: _Context) -> Price:
    engine = "valkey" if str(rec.inputs.get("engine", "")).lower() == "valkey" else "redis"
    rates = ctx.table.data["elasticache"]["serverless"][engine]
    gb = max(ctx.usage(rec, "elasticache_serverless_gb") or 0.0, float(rates["minimum_gb"]))
    ecpu = ctx.usage(rec, "elasticache_serverless_ecpu_million") or 0.0
    cost = gb * rates["gb_hour"] * ctx.hours + ecpu * rates["ecpu_million"]
    return Price(
        cost,
        f"{gb:g} GB x {_money(rates['gb_hour'])}/GB-h x {ctx.hours:g} h + {ecpu:g}M ECPU",
        cost,
    )


# --- Observability, security, messaging, storage, edge --------------------------------


def _alarm_metrics(inputs: Mapping[str, Any]) -> tuple[int, bool]:
    """(metrics billed, high resolution) for one metric alarm."""
    queries = inputs.get("metricQueries")
    periods: list[float] = []
    top = _num(inputs.get("period"))
    if top is not None:
        periods.append(top)
    if isinstance(queries, list) and queries:
        metrics = 0
        for q in queries:
            if isinstance(q, Mapping) and q.get("metric"):
                metrics += 1
                p = _num((q.get("metric") or {}).get("period"))
                if p is not None:
                    periods.append(p)
            expression = str(q.get("expression") or "") if isinstance(q, Mapping) else ""
            if "ANOMALY_DETECTION_BAND" in expression:
                metrics += 2  # a band alarm bills three metrics: the metric and two bounds
        count = max(metrics, 1)
    else:
        count = 1
    return count, any(p < 60 for p in periods)


def _metric_alarm(rec: ResourceRecord, ctx: _Context) -> Price:
    count, high_res = _alarm_metrics(rec.inputs)
    key = "alarm_high_resolution_metric_month" if high_res else "alarm_metric_month"
    rate = ctx.rate("cloudwatch", key)
    res = "high-resolution" if high_res else "standard"
    return Price(count * rate, f"{count} {res} alarm metric(s) x {_money(rate)}/month")


def _fixed(section: str, key: str, what: str) -> Pricer:
    def price(rec: ResourceRecord, ctx: _Context) -> Price:
        rate = ctx.rate(section, key)
        return Price(rate, f"{what} {_money(rate)}/month")

    return price


def _log_group(rec: ResourceRecord, ctx: _Context) -> Price:
    gb = ctx.usage(rec, "log_ingestion_gb") or 0.0
    ingest = ctx.rate("cloudwatch", "logs_ingestion_gb")
    retention = _num(rec.inputs.get("retentionInDays"))
    kept_months = min(retention or 365, 365) / 30
    store = ctx.rate("cloudwatch", "logs_storage_gb_month")
    cost = gb * ingest + gb * kept_months * store
    kept = f"{retention:g} days" if retention else "never expires, 1 year counted"
    return Price(
        cost,
        f"{gb:g} GB ingested x {_money(ingest)}/GB + stored {kept} x {_money(store)}/GB-month",
        cost,
    )


def _kms_key(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("kms", "key_month")
    formula = f"1 key x {_money(rate)}/month"
    if rec.inputs.get("enableKeyRotation"):
        ctx.note("KMS: each automatic rotation adds $1/month for the first two rotations.")
    return Price(rate, formula)


def _secret(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("secrets_manager", "secret_month")
    replicas = rec.inputs.get("replicas")
    copies = 1 + (len(replicas) if isinstance(replicas, list) else 0)
    return Price(copies * rate, f"{copies} secret(s) x {_money(rate)}/month")


def _ssm_parameter(rec: ResourceRecord, ctx: _Context) -> Price:
    if str(rec.inputs.get("tier", "Standard")) == "Advanced":
        rate = ctx.rate("ssm", "advanced_parameter_month")
        return Price(rate, f"advanced parameter {_money(rate)}/month")
    return Price(0.0, "standard parameters are free")


def _sqs_queue(rec: ResourceRecord, ctx: _Context) -> Price:
    fifo = bool(rec.inputs.get("fifoQueue"))
    rate = ctx.rate("sqs", "fifo_requests_million" if fifo else "standard_requests_million")
    dead_letter = _is_dead_letter_queue(rec, ctx)
    key = "sqs_dlq_requests_million" if dead_letter else "sqs_requests_million"
    m = ctx.usage(rec, key) or 0.0
    kind = f"{' (FIFO)' if fifo else ''}{' (dead-letter queue)' if dead_letter else ''}"
    return Price(m * rate, f"{m:g}M requests x {_money(rate)}/M{kind}", m * rate)


def _is_dead_letter_queue(rec: ResourceRecord, ctx: _Context) -> bool:
    """Whether another queue of the plan redrives into `rec` (failed messages only)."""
    arn = rec.outputs.get("arn")
    if not isinstance(arn, str):
        return False
    for other in ctx.plan.of_type("aws:sqs/queue:Queue"):
        policy = other.inputs.get("redrivePolicy")
        if isinstance(policy, str) and arn in policy:
            return True
    return False


def _sns_topic(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("sns", "publishes_million")
    m = ctx.usage(rec, "sns_publishes_million") or 0.0
    return Price(m * rate, f"{m:g}M publishes x {_money(rate)}/M", m * rate)


def _s3_bucket(rec: ResourceRecord, ctx: _Context) -> Price:
    s3 = ctx.table.data["s3"]
    gb = ctx.usage(rec, "s3_storage_gb") or 0.0
    puts = ctx.usage(rec, "s3_put_thousand") or 0.0
    gets = ctx.usage(rec, "s3_get_thousand") or 0.0
    cost = gb * s3["standard_gb_month"] + puts * s3["put_1000"] + gets * s3["get_1000"]
    return Price(
        cost,
        f"{gb:g} GB x {_money(s3['standard_gb_month'])} + {puts:g}k PUT x "
        f"{_money(s3['put_1000'])}/k + {gets:g}k GET x {_money(s3['get_1000'])}/k",
        cost,
    )


def _ecr_repository(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("ecr", "storage_gb_month")
    gb = ctx.usage(rec, "ecr_storage_gb") or 0.0
    return Price(gb * rate, f"{gb:g} GB x {_money(rate)}/GB-month", gb * rate)


def _cloudfront(rec: ResourceRecord, ctx: _Context) -> Price:
    cf = ctx.table.data["cloudfront"]
    gb = ctx.usage(rec, "cloudfront_data_gb") or 0.0
    req = ctx.usage(rec, "cloudfront_requests_million") or 0.0
    cost = gb * cf["data_transfer_out_gb"] + req * 100 * cf["https_requests_10k"]
    ctx.note("CloudFront's always-free tier (1 TB and 10M requests a month) is not deducted.")
    return Price(
        cost,
        f"{gb:g} GB x {_money(cf['data_transfer_out_gb'])}/GB + {req:g}M HTTPS requests x "
        f"{_money(cf['https_requests_10k'])}/10k",
        cost,
    )


def _cloudfront_function(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("cloudfront", "function_invocations_million")
    m = ctx.usage(rec, "cloudfront_function_invocations_million") or 0.0
    return Price(m * rate, f"{m:g}M invocations x {_money(rate)}/M", m * rate)


def _web_acl(rec: ResourceRecord, ctx: _Context) -> Price:
    waf = ctx.table.data["waf"]
    rules = rec.inputs.get("rules")
    n_rules = len(rules) if isinstance(rules, list) else 0
    req = ctx.usage(rec, "waf_requests_million") or 0.0
    used = req * waf["requests_million"]
    cost = waf["web_acl_month"] + n_rules * waf["rule_month"] + used
    if "BotControl" in json.dumps(rules, default=str) or "ATP" in json.dumps(rules, default=str):
        ctx.note("WAF Bot Control / fraud control subscriptions are not priced.")
    return Price(
        cost,
        f"web ACL {_money(waf['web_acl_month'])} + {n_rules} rule(s) x "
        f"{_money(waf['rule_month'])} + {req:g}M requests x {_money(waf['requests_million'])}/M",
        used,
    )


def _snapshots(rec: ResourceRecord, ctx: _Context) -> Price:
    rate = ctx.rate("backup", "ebs_snapshot_gb_month")
    gb = ctx.usage(rec, "snapshot_gb") or 0.0
    return Price(gb * rate, f"{gb:g} GB of snapshots x {_money(rate)}/GB-month", gb * rate)


PRICERS: dict[str, Pricer] = {
    "aws:ec2/natGateway:NatGateway": _nat_gateway,
    "aws:ec2/eip:Eip": _public_ip,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:alb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _interface_endpoint,
    "aws:ecs/service:Service": _ecs_service,
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": _node_group,
    "aws:ec2/instance:Instance": _instance,
    "aws:autoscaling/group:Group": _autoscaling_group,
    "aws:ebs/volume:Volume": _ebs_volume,
    "aws:rds/instance:Instance": _rds_instance,
    "aws:rds/cluster:Cluster": _rds_cluster,
    "aws:rds/clusterInstance:ClusterInstance": _aurora_instance,
    "aws:elasticache/replicationGroup:ReplicationGroup": _replication_group,
    "aws:elasticache/cluster:Cluster": _cache_cluster,
    "aws:elasticache/serverlessCache:ServerlessCache": _serverless_cache,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _fixed(
        "cloudwatch", "composite_alarm_month", "composite alarm"
    ),
    "aws:cloudwatch/dashboard:Dashboard": _fixed("cloudwatch", "dashboard_month", "dashboard"),
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": _fixed(
        "cloudfront", "additional_metrics_month", "CloudFront additional metrics"
    ),
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:kms/key:Key": _kms_key,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:ssm/parameter:Parameter": _ssm_parameter,
    "aws:sqs/queue:Queue": _sqs_queue,
    "aws:sns/topic:Topic": _sns_topic,
    "aws:s3/bucket:Bucket": _s3_bucket,
    "aws:s3/bucketV2:BucketV2": _s3_bucket,
    "aws:ecr/repository:Repository": _ecr_repository,
    "aws:cloudfront/distribution:Distribution": _cloudfront,
    "aws:cloudfront/function:Function": _cloudfront_function,
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:wafv2/webAclRule:WebAclRule": _fixed("waf", "rule_month", "WAF rule"),
    "aws:wafv2/ruleGroup:RuleGroup": _fixed("waf", "rule_group_month", "WAF rule group"),
    "aws:route53/zone:Zone": _fixed("route53", "hosted_zone_month", "hosted zone"),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": _fixed(
        "route53", "hosted_zone_month", "its private hosted zone"
    ),
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": _snapshots,
    "aws:backup/plan:Plan": _snapshots,
}
"""Type token -> how to price one resource of it."""

_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")


def _plan_regions(plan: Plan) -> set[str]:
    regions: set[str] = set()
    for r in plan.custom_resources:
        arn = r.outputs.get("arn")
        if isinstance(arn, str):
            m = _ARN_REGION.match(arn)
            if m:
                regions.add(m.group(1))
    return regions


def estimate_cost(
    plan: Plan, usage: Mapping[str, Any] | None = None, prices: PriceTable | None = None
) -> CostReport:
    """Price every resource of `plan` a month. `usage` overrides USAGE_DEFAULTS (ValueError
    on an unknown key); `prices` defaults to the shipped us-east-1 table."""
    table = prices or load_prices()
    ctx = _Context(plan, table, usage)
    lines: list[CostLine] = []
    free: list[tuple[str, str, str, str]] = []
    not_priced: list[Unpriced] = []
    for rec in plan.resources:
        if not rec.custom or rec.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        component = component_label(ctx.index.component_of(rec))
        pricer = PRICERS.get(rec.type)
        if pricer is None:
            reason = _unpriced_reason(rec)
            if reason is None:
                free_reason = table.free_reason(rec.type)
                if free_reason is not None:
                    free.append((rec.type, rec.name, component, free_reason))
                    continue
                reason = "no price for this type in the table"
            not_priced.append(Unpriced(rec.type, rec.name, rec.urn, component, reason))
            continue
        try:
            price = pricer(rec, ctx)
        except NotPriced as exc:
            not_priced.append(Unpriced(rec.type, rec.name, rec.urn, component, str(exc)))
            continue
        lines.append(
            CostLine(
                rec.type, rec.name, rec.urn, component, price.monthly, price.usage, price.formula
            )
        )
    warnings = []
    other_regions = sorted(_plan_regions(plan) - {table.region})
    if other_regions:
        warnings.append(
            f"The plan targets {', '.join(other_regions)} but prices are for {table.region}; "
            "expect other regions to differ by roughly 0-30%."
        )
    assumptions = [
        f"{table.hours_per_month:g} hours a month; on-demand list prices in {table.region} "
        f"as of {table.as_of} ({table.source}).",
        "No free tier, Savings Plans, Reserved Instances or taxes.",
        "Data transfer out to the internet and between AZs is not priced.",
        "ECS services run their autoscaling minimum (minCapacity) when they have a target, "
        "else desiredCount; EKS node groups their desiredSize.",
    ]
    for key in sorted(ctx.used_usage):
        default, meaning = USAGE_DEFAULTS[key]
        shown = "see formula" if default is None else f"{default:g}"
        overridden = key in ctx._usage or any(key in v for v in ctx._per_resource.values())
        assumptions.append(f"usage {key} = {shown if not overridden else 'as given'} ({meaning})")
    assumptions.extend(ctx.notes)
    return CostReport(
        project=plan.project,
        stack=plan.stack,
        table=table,
        lines=lines,
        free=free,
        not_priced=not_priced,
        assumptions=assumptions,
        warnings=warnings,
    )


def _unpriced_reason(rec: ResourceRecord) -> str | None:
    if rec.type in NOT_MODELLED:
        return NOT_MODELLED[rec.type]
    if rec.type == "kubernetes:core/v1:Service":
        spec = rec.inputs.get("spec")
        if isinstance(spec, Mapping) and spec.get("type") == "LoadBalancer":
            return "creates an AWS load balancer outside the Plan (about $16+/month): not priced"
    return None


@dataclass
class CostComparison:
    """Two estimates side by side (e.g. the fargate stage against the eks stage)."""

    label_a: str
    label_b: str
    total_a: float
    total_b: float
    by_component: list[tuple[str, float, float]]
    by_type: list[tuple[str, float, float]]
    not_priced_a: int
    not_priced_b: int

    @property
    def delta(self) -> float:
        return self.total_b - self.total_a

    def to_json(self) -> dict[str, Any]:
        def rows(items: list[tuple[str, float, float]], key: str) -> list[dict[str, Any]]:
            return [
                {key: k, "a_usd": round(a, 2), "b_usd": round(b, 2), "delta_usd": round(b - a, 2)}
                for k, a, b in items
            ]

        return {
            "schema_version": 1,
            "a": self.label_a,
            "b": self.label_b,
            "total_a_usd": round(self.total_a, 2),
            "total_b_usd": round(self.total_b, 2),
            "delta_usd": round(self.delta, 2),
            "by_component": rows(self.by_component, "component"),
            "by_type": rows(self.by_type, "type"),
            "not_priced_a": self.not_priced_a,
            "not_priced_b": self.not_priced_b,
        }

    def render_text(self) -> str:
        a, b = self.label_a, self.label_b
        width = max(12, *(len(k) for k, _, _ in self.by_component)) if self.by_component else 12
        out = [f"{'component':<{width}}  {a:>14}  {b:>14}  {'delta':>12}"]
        for k, va, vb in self.by_component:
            out.append(f"{k:<{width}}  {va:>14,.2f}  {vb:>14,.2f}  {vb - va:>+12,.2f}")
        out.append(
            f"{'TOTAL':<{width}}  {self.total_a:>14,.2f}  {self.total_b:>14,.2f}  "
            f"{self.delta:>+12,.2f}"
        )
        if self.not_priced_a or self.not_priced_b:
            out.append(
                f"not priced: {self.not_priced_a} in {a}, {self.not_priced_b} in {b} "
                "(see each report)"
            )
        return "\n".join(out)


def compare(report_a: CostReport, report_b: CostReport) -> CostComparison:
    """Side-by-side totals per component and per resource type, B minus A."""

    def merge(x: dict[str, float], y: dict[str, float]) -> list[tuple[str, float, float]]:
        keys = sorted(x.keys() | y.keys(), key=lambda k: (-max(x.get(k, 0), y.get(k, 0)), k))
        return [(k, x.get(k, 0.0), y.get(k, 0.0)) for k in keys]

    label_a = f"{report_a.project}/{report_a.stack}"
    label_b = f"{report_b.project}/{report_b.stack}"
    if label_a == label_b:
        label_a, label_b = f"A {label_a}", f"B {label_b}"
    return CostComparison(
        label_a=label_a,
        label_b=label_b,
        total_a=report_a.total,
        total_b=report_b.total,
        by_component=merge(report_a.by_component(), report_b.by_component()),
        by_type=merge(report_a.by_type(), report_b.by_type()),
        not_priced_a=len(report_a.not_priced),
        not_priced_b=len(report_b.not_priced),
    )


__all__ = [
    "COMPONENT_TOTAL_KEYS",
    "COST_LINE_KEYS",
    "COST_REPORT_KEYS",
    "FREE_KEYS",
    "NOT_MODELLED",
    "PRICERS",
    "UNPRICED_KEYS",
    "USAGE_DEFAULTS",
    "CostComparison",
    "CostLine",
    "CostReport",
    "NotPriced",
    "Price",
    "PriceTable",
    "Unpriced",
    "compare",
    "estimate_cost",
    "load_prices",
    "split_tasks",
]
