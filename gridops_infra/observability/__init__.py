"""SLOs, burn-rate math and Prometheus rules (pure Python; no Pulumi import here)."""

from gridops_infra.observability.prometheus_rules import (
    SliMetrics,
    alert_name,
    alert_rule,
    recording_rules,
    render_rules_yaml,
    rule_groups,
    sli_error_expr,
    sli_windows,
)
from gridops_infra.observability.slo import (
    BurnRateTier,
    Slo,
    burn_rate_tiers,
    format_duration,
)

__all__ = [
    "BurnRateTier",
    "SliMetrics",
    "Slo",
    "alert_name",
    "alert_rule",
    "burn_rate_tiers",
    "format_duration",
    "recording_rules",
    "render_rules_yaml",
    "rule_groups",
    "sli_error_expr",
    "sli_windows",
]
