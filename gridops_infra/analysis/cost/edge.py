"""Pricers for the edge: CloudFront distributions and functions, WAF web ACLs."""

from __future__ import annotations

import json

from gridops_infra.analysis.cost.context import Price, PricingContext, money
from gridops_infra.testing.plan import ResourceRecord


def cloudfront(rec: ResourceRecord, ctx: PricingContext) -> Price:
    cf = ctx.table.data["cloudfront"]
    gb = ctx.usage(rec, "cloudfront_data_gb") or 0.0
    req = ctx.usage(rec, "cloudfront_requests_million") or 0.0
    cost = gb * cf["data_transfer_out_gb"] + req * 100 * cf["https_requests_10k"]
    ctx.note("CloudFront's always-free tier (1 TB and 10M requests a month) is not deducted.")
    return Price(
        cost,
        f"{gb:g} GB x {money(cf['data_transfer_out_gb'])}/GB + {req:g}M HTTPS requests x "
        f"{money(cf['https_requests_10k'])}/10k",
        cost,
    )


def cloudfront_function(rec: ResourceRecord, ctx: PricingContext) -> Price:
    rate = ctx.rate("cloudfront", "function_invocations_million")
    m = ctx.usage(rec, "cloudfront_function_invocations_million") or 0.0
    return Price(m * rate, f"{m:g}M invocations x {money(rate)}/M", m * rate)


def web_acl(rec: ResourceRecord, ctx: PricingContext) -> Price:
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
        f"web ACL {money(waf['web_acl_month'])} + {n_rules} rule(s) x "
        f"{money(waf['rule_month'])} + {req:g}M requests x {money(waf['requests_million'])}/M",
        used,
    )
