"""Pricers for EC2 capacity: EKS control planes, node groups, instances, autoscaling groups
and EBS volumes."""

from __future__ import annotations

from gridops_infra.analysis.cost.context import NotPriced, Price, PricingContext, hourly, money
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import ResourceRecord

AUTO_MODE_NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
AUTO_MODE_FALLBACK_FAMILY = "m7i"  # Auto Mode's general-purpose pool: amd64 m/c/r


def eks_cluster(rec: ResourceRecord, ctx: PricingContext) -> Price:
    monthly, formula = hourly(ctx, ctx.rate("eks", "cluster_hour"), "EKS control plane")
    formula += " (standard support)"
    if (rec.inputs.get("computeConfig") or {}).get("enabled") is not True:
        return Price(monthly, formula)
    nodes, what = auto_mode_nodes(rec, ctx)
    return Price(monthly + nodes, f"{formula} + {what}", nodes)


def auto_mode_nodes(rec: ResourceRecord, ctx: PricingContext) -> tuple[float, str]:
    """EKS Auto Mode's nodes, which the Plan does not hold: `eks_auto_mode_nodes` nodes of
    the on-demand NodePool's first family at `.large`, each its EC2 rate plus Auto Mode's
    management fee (a share of the on-demand rate) and its NodeClass's gp3 disk."""
    count = ctx.usage(rec, "eks_auto_mode_nodes") or 0.0
    instance_type = f"{_auto_mode_family(ctx)}.large"
    rate = _ec2_rate(ctx, instance_type)
    fee = rate * ctx.rate("eks", "auto_mode_management_fee_share")
    disk_gb = ctx.rate("eks", "auto_mode_node_disk_gb")
    monthly, formula = hourly(ctx, rate + fee, f"{instance_type} + Auto Mode fee", count)
    monthly += count * _ebs_monthly(ctx, disk_gb, "gp3")
    ctx.note(
        "EKS Auto Mode: nodes are not in the Plan; priced as eks_auto_mode_nodes .large "
        "nodes of the on-demand NodePool's first family, with Auto Mode's management fee."
    )
    return monthly, f"{formula} + {count:g} x {disk_gb:g} GB gp3 node disk"


def _auto_mode_family(ctx: PricingContext) -> str:
    for pool in ctx.plan.of_type(AUTO_MODE_NODE_POOL):
        spec = ((pool.inputs.get("spec") or {}).get("template") or {}).get("spec") or {}
        if (spec.get("nodeClassRef") or {}).get("group") != "eks.amazonaws.com":
            continue
        requirements = {r.get("key"): r.get("values") or [] for r in spec.get("requirements") or []}
        if requirements.get("karpenter.sh/capacity-type") != ["on-demand"]:
            continue
        families = requirements.get("eks.amazonaws.com/instance-family") or []
        if families:
            return str(families[0])
    return AUTO_MODE_FALLBACK_FAMILY


def _ec2_rate(ctx: PricingContext, instance_type: str) -> float:
    rate = ctx.table.lookup("ec2_instance_hour", instance_type)
    if rate is None:
        raise NotPriced(f"instance type {instance_type} is not in the price table")
    return rate


def _ebs_monthly(ctx: PricingContext, size: float, kind: str) -> float:
    rate = ctx.table.data["ebs"]["gb_month"].get(kind)
    if rate is None:
        raise NotPriced(f"EBS volume type {kind} is not in the price table")
    return size * float(rate)


def _template_volumes(template: ResourceRecord, ctx: PricingContext) -> tuple[float, str]:
    """(monthly cost, formula part) of the EBS volumes one instance of `template` gets from
    its block device mappings; ("", 0) when it maps none (the AMI's own root volume then,
    not in the Plan)."""
    monthly = 0.0
    parts: list[str] = []
    for mapping in template.inputs.get("blockDeviceMappings") or []:
        ebs = mapping.get("ebs") if isinstance(mapping, dict) else None
        if not isinstance(ebs, dict):
            continue
        size = as_number(ebs.get("volumeSize"))
        if size is None:
            continue
        kind = str(ebs.get("volumeType") or "gp3")
        monthly += _ebs_monthly(ctx, size, kind)
        parts.append(f"{size:g} GB {kind}")
    return monthly, " + ".join(parts)


def _launch_template(rec: ResourceRecord, ctx: PricingContext) -> ResourceRecord | None:
    return ctx.referenced(rec, "launchTemplate", "aws:ec2/launchTemplate:LaunchTemplate")


def node_group(rec: ResourceRecord, ctx: PricingContext) -> Price:
    scaling = rec.inputs.get("scalingConfig") or {}
    count = as_number(scaling.get("desiredSize"), None)
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
    monthly, formula = hourly(ctx, rate, f"{instance_type}{' spot' if spot else ''}", count)
    if not rec.inputs.get("launchTemplate"):
        disk = as_number(rec.inputs.get("diskSize"), 20.0) or 20.0
        monthly += count * _ebs_monthly(ctx, disk, "gp3")
        formula += f" + {count:g} x {disk:g} GB gp3 root volume"
    else:
        template = _launch_template(rec, ctx)
        volumes, what = _template_volumes(template, ctx) if template else (0.0, "")
        if what:
            monthly += count * volumes
            formula += f" + {count:g} x {what} (launch template volumes)"
        else:
            formula += " (root volume from the AMI, not in the Plan: not included)"
    if not types:
        formula += " (EKS default instance type t3.medium)"
    return Price(monthly, formula)


def instance(rec: ResourceRecord, ctx: PricingContext) -> Price:
    instance_type = str(rec.inputs.get("instanceType") or "")
    if not instance_type:
        raise NotPriced("instanceType is missing")
    monthly, formula = hourly(ctx, _ec2_rate(ctx, instance_type), instance_type)
    root = rec.inputs.get("rootBlockDevice") or {}
    default_gb = ctx.rate("ec2", "default_root_volume_gb")
    size = as_number(root.get("volumeSize"), default_gb) or default_gb
    kind = str(root.get("volumeType") or "gp3")
    monthly += _ebs_monthly(ctx, size, kind)
    formula += f" + {size:g} GB {kind} root volume"
    if rec.inputs.get("associatePublicIpAddress"):
        ip, _ = hourly(ctx, ctx.rate("public_ipv4_hour"), "")
        monthly += ip
        formula += " + public IPv4"
    return Price(monthly, formula)


def autoscaling_group(rec: ResourceRecord, ctx: PricingContext) -> Price:
    count = as_number(rec.inputs.get("desiredCapacity"), None)
    if count is None:
        count = as_number(rec.inputs.get("minSize"), 0.0) or 0.0
    template = _launch_template(rec, ctx)
    if template is None or not template.inputs.get("instanceType"):
        raise NotPriced("instance type not found (launch template missing or without one)")
    instance_type = str(template.inputs["instanceType"])
    monthly, formula = hourly(ctx, _ec2_rate(ctx, instance_type), instance_type, count)
    volumes, what = _template_volumes(template, ctx)
    if what:
        monthly += count * volumes
        formula += f" + {count:g} x {what} (launch template volumes)"
    else:
        formula += " (root volume from the AMI, not in the Plan: not included)"
    return Price(monthly, formula)


def ebs_volume(rec: ResourceRecord, ctx: PricingContext) -> Price:
    size = as_number(rec.inputs.get("size"))
    if size is None:
        raise NotPriced("size is missing (volume from a snapshot?)")
    kind = str(rec.inputs.get("type") or "gp3")
    monthly = _ebs_monthly(ctx, size, kind)
    formula = f"{size:g} GB {kind} x {money(ctx.table.data['ebs']['gb_month'][kind])}/GB-month"
    ebs = ctx.table.data["ebs"]
    iops = as_number(rec.inputs.get("iops"), 0.0) or 0.0
    if kind == "gp3":
        extra_iops = max(0.0, iops - ebs["gp3_included_iops"])
        throughput = as_number(rec.inputs.get("throughput"), 0.0) or 0.0
        extra_tp = max(0.0, throughput - ebs["gp3_included_throughput_mbps"])
        monthly += extra_iops * ebs["gp3_iops_month"] + extra_tp * ebs["gp3_throughput_mbps_month"]
        if extra_iops or extra_tp:
            formula += f" + {extra_iops:g} IOPS + {extra_tp:g} MB/s above the gp3 baseline"
    elif kind in ("io1", "io2"):
        monthly += iops * ebs["provisioned_iops_month"]
        formula += f" + {iops:g} provisioned IOPS"
    return Price(monthly, formula)
