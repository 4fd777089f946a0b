"""Alertmanager routing on EKS: the same page and ticket SNS topics the CloudWatch alarms
notify, so e-mail and webhook subscribers see one stream whatever raised the alert.

`severity="page"` (fast SLO burn) goes to the page topic, everything else that matters
(`severity="ticket"` slow burns, and kube-prometheus-stack's own `critical`/`warning`
cluster alerts) to the ticket topic; its always-firing `Watchdog` heartbeat and `info`
alerts go nowhere. A page for an SLO silences that SLO's ticket while it fires.

SLOs CloudWatch also pages for (`paged_elsewhere`: the ALB-based burn-rate alarms, which
page even when the cluster is down) send their Prometheus page to the ticket topic: one
page per incident, with Prometheus's view of it as the ticket.

Alertmanager signs the SNS calls with SigV4 using its pod's credentials (a Pod Identity
role allowed `sns:Publish` on exactly these two topics, and the topics' KMS key through
SNS only). Pure: plain dicts, `amtool check-config` accepts them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pulumi

from gridops_infra.core import iam

SUBJECT = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.slo }}"
MESSAGE = (
    "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n"
    "Runbook: {{ .Annotations.runbook }}\n\n{{ end }}"
)


def _sns(topic_arn: pulumi.Input[str], region: str, severity: str) -> dict[str, Any]:
    return {
        "topic_arn": topic_arn,
        "sigv4": {"region": region},
        "subject": SUBJECT,
        "message": MESSAGE,
        "attributes": {"severity": severity},
        "send_resolved": True,
    }


def alertmanager_config(
    region: str,
    page_topic_arn: pulumi.Input[str],
    ticket_topic_arn: pulumi.Input[str],
    paged_elsewhere: Sequence[str] = (),
) -> dict[str, Any]:
    """The Alertmanager configuration (the `alertmanager.yml` mapping)."""
    # Alertmanager anchors regex matchers: this matches exactly these SLO names.
    elsewhere = (
        [
            {
                "receiver": "ticket",
                "matchers": [
                    'severity = "page"',
                    f'slo =~ "{"|".join(re.escape(n) for n in sorted(paged_elsewhere))}"',
                ],
            }
        ]
        if paged_elsewhere
        else []
    )
    return {
        "global": {"resolve_timeout": "5m"},
        "route": {
            "receiver": "ticket",
            "group_by": ["alertname", "slo", "service", "namespace"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "12h",
            "routes": [
                {"receiver": "null", "matchers": ['alertname = "Watchdog"']},
                {"receiver": "null", "matchers": ['alertname = "InfoInhibitor"']},
                *elsewhere,
                {
                    "receiver": "page",
                    "matchers": ['severity = "page"'],
                    "group_wait": "10s",
                    "repeat_interval": "1h",
                },
                {"receiver": "ticket", "matchers": ['severity = "ticket"']},
                {"receiver": "null", "matchers": ['severity = "info"']},
            ],
        },
        "inhibit_rules": [
            {
                "source_matchers": ['severity = "page"'],
                "target_matchers": ['severity = "ticket"'],
                "equal": ["slo", "service"],
            }
        ],
        "receivers": [
            {"name": "null"},
            {"name": "page", "sns_configs": [_sns(page_topic_arn, region, "page")]},
            {"name": "ticket", "sns_configs": [_sns(ticket_topic_arn, region, "ticket")]},
        ],
        "templates": ["/etc/alertmanager/config/*.tmpl"],
    }


def publish_statements(
    topic_arns: list[pulumi.Input[str]], key_arn: pulumi.Input[str], region: str
) -> list[dict[str, Any]]:
    """Publish to exactly the alert topics; use their KMS key only on SNS's behalf."""
    return [
        iam.statement(["sns:Publish"], topic_arns, sid="PublishAlerts"),
        iam.statement(
            ["kms:Decrypt", "kms:GenerateDataKey"],
            [key_arn],
            sid="EncryptAlertsForSns",
            conditions={"StringEquals": {"kms:ViaService": f"sns.{region}.amazonaws.com"}},
        ),
    ]


__all__ = ["alertmanager_config", "publish_statements"]
