"""Alerts that map to SLOs: a 99.9% availability and a 99% under-300-ms latency objective
on one service. Each gets the SRE Workbook's four burn-rate tiers (two page, two ticket),
each tier a long- and a short-window alarm joined by a composite that notifies."""

import pulumi

from gridops_infra import FargateCluster, Network, ObservabilityStack, Slo, StatelessService

config = pulumi.Config()

net = Network("obs", {"az_count": 2, "nat": "single"})
cluster = FargateCluster("obs", {"network": net})
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "cpu": 256,
        "memory": 512,
        "min_count": 2,
        "max_count": 4,
        "health_check_path": "/healthz",
        "slo_rollback": True,
    },
)
obs = ObservabilityStack(
    "alerts",
    {
        "resources": [api],
        "slos": [
            Slo.availability(api, objective=0.999),
            Slo.latency(api, threshold_ms=300, objective=0.99),
        ],
        "alert_emails": [config.require("oncall_email")],
        "thresholds": {"api.cpu": 75},
    },
)

pulumi.export("page_topic_arn", obs.page_topic_arn)
pulumi.export("ticket_topic_arn", obs.ticket_topic_arn)
