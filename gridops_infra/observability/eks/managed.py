"""`prometheus={"managed": True}`: Amazon Managed Service for Prometheus and Amazon
Managed Grafana instead of running them in the cluster.

- An AMP workspace (AWS-owned encryption at rest) keeping `retention_days`, logging rule
  and Alertmanager errors to CloudWatch Logs; the in-cluster Prometheus scrapes as before
  and remote-writes to it (see `eks_prometheus`).
- The same SLO rules YAML (`render_rules_yaml`) as a rule group namespace, and the same
  routing (`eks_alertmanager`) as the workspace's alert manager definition, publishing
  to the stack's page and ticket topics: each topic gets a policy letting this workspace
  publish (and CloudWatch alarms, as before), and the topics' KMS key lets AMP use it
  (`ObservabilityStack` adds that statement to the key policy).
- An Amazon Managed Grafana workspace (IAM Identity Center sign-in, which the account
  must have enabled) with its own role reading only this AMP workspace.

Not built: the dashboards are not provisioned into Managed Grafana (that needs the
Grafana API and a service-account token); `EksObservability.dashboards_json` holds
them for import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import yaml

from gridops_infra.core import iam
from gridops_infra.core.alarm_topic import budget_publish_statements
from gridops_infra.core.component import GridopsComponent
from gridops_infra.observability.eks.alertmanager import alertmanager_config
from gridops_infra.observability.eks.args import EksObservabilitySettings
from gridops_infra.observability.eks.contract import OTEL_SLI_METRICS
from gridops_infra.observability.prometheus_rules import _BlockDumper, render_rules_yaml

AMP_SERVICE = "aps.amazonaws.com"
GRAFANA_SERVICE = "grafana.amazonaws.com"
RULE_NAMESPACE = "gridops-slo"
LOG_RETENTION_DAYS = 90


@dataclass
class ManagedPrometheus:
    workspace: aws.amp.Workspace
    workspace_arn: pulumi.Output[str]
    remote_write_url: pulumi.Output[str]
    rules_yaml: str
    alert_manager_definition: pulumi.Output[str]
    grafana_endpoint: pulumi.Output[str] | None
    policy_documents: dict[str, pulumi.Output[str]]
    trust_policies: dict[str, pulumi.Output[str]]
    topic_policies: dict[str, pulumi.Output[str]]


def amp_alertmanager_definition(
    region: str,
    page_topic_arn: str,
    ticket_topic_arn: str,
    paged_elsewhere: Sequence[str] = (),
) -> str:
    """The workspace's definition: `alertmanager_config` holding the routing YAML
    (AMP has no template files on disk, so `templates` is left out)."""
    config = alertmanager_config(region, page_topic_arn, ticket_topic_arn, paged_elsewhere)
    config.pop("templates")
    inner = yaml.dump(config, Dumper=_BlockDumper, sort_keys=False, width=4096)
    return yaml.dump({"alertmanager_config": inner}, Dumper=_BlockDumper, sort_keys=False)


def topic_policy(topic_arn: str, workspace_arn: str, account: str) -> str:
    """The alert topic's resource policy: CloudWatch alarms of this account, this AMP
    workspace and the account's budgets and cost anomaly monitors (only) publish to it. The account's own principals need no grant here
    (their IAM policies suffice within the account)."""
    source_account = {"StringEquals": {"aws:SourceAccount": account}}
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "CloudWatchAlarmsPublish",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": topic_arn,
                    "Condition": source_account,
                },
                {
                    "Sid": "ManagedPrometheusPublishes",
                    "Effect": "Allow",
                    "Principal": {"Service": AMP_SERVICE},
                    "Action": ["sns:GetTopicAttributes", "sns:Publish"],
                    "Resource": topic_arn,
                    "Condition": {
                        **source_account,
                        "ArnEquals": {"aws:SourceArn": workspace_arn},
                    },
                },
                # One policy per topic: AWS Budgets and Cost Anomaly Detection (a
                # StackBudget) publish to the same topics, so their grant lives here too.
                *budget_publish_statements(topic_arn, account),
            ],
        },
        sort_keys=True,
    )


def remote_write_statements(workspace_arn: pulumi.Input[str]) -> list[dict[str, Any]]:
    return [iam.statement(["aps:RemoteWrite"], [workspace_arn], sid="RemoteWrite")]


def grafana_query_statements(workspace_arn: pulumi.Input[str]) -> list[dict[str, Any]]:
    return [
        iam.statement(
            [
                "aps:DescribeWorkspace",
                "aps:GetLabels",
                "aps:GetMetricMetadata",
                "aps:GetSeries",
                "aps:QueryMetrics",
            ],
            [workspace_arn],
            sid="QueryWorkspace",
        ),
        # Grafana lists workspaces to offer them as data sources; listing has no
        # resource-level scoping.
        iam.statement(["aps:ListWorkspaces"], "*", sid="ListWorkspaces"),
    ]


def build_managed(
    stack: GridopsComponent,
    s: EksObservabilitySettings,
    *,
    topic_arns: dict[str, pulumi.Output[str]],
    region: str,
    account: str,
) -> ManagedPrometheus:
    alias = f"{pulumi.get_stack()}-{stack.name}"
    logs = stack.child(
        "amp_log_group",
        aws.cloudwatch.LogGroup,
        {"name": f"/aws/prometheus/{alias}", "retention_in_days": LOG_RETENTION_DAYS},
        suffix="amp-logs",
    )
    workspace = stack.child(
        "amp_workspace",
        aws.amp.Workspace,
        {
            "alias": alias,
            "logging_configuration": {"log_group_arn": logs.arn.apply(lambda a: f"{a}:*")},
        },
        suffix="amp",
    )
    stack.child(
        "amp_workspace_configuration",
        aws.amp.WorkspaceConfiguration,
        {"workspace_id": workspace.id, "retention_period_in_days": s.retention_days},
        suffix="amp-config",
    )
    rules = render_rules_yaml(s.slos, OTEL_SLI_METRICS)
    if s.slos:
        stack.child(
            "amp_rule_group_namespace",
            aws.amp.RuleGroupNamespace,
            {"workspace_id": workspace.id, "name": RULE_NAMESPACE, "data": rules},
            suffix="amp-rules",
        )
    topic_policies: dict[str, pulumi.Output[str]] = {}
    policies = []
    for severity, arn in topic_arns.items():
        document = pulumi.Output.all(arn, workspace.arn).apply(
            lambda args: topic_policy(args[0], args[1], account)
        )
        topic_policies[severity] = document
        policies.append(
            stack.child(
                "topic_policy",
                aws.sns.TopicPolicy,
                {"arn": arn, "policy": document},
                suffix=f"{severity}-topic-policy",
                tag=False,
            )
        )
    definition = pulumi.Output.all(topic_arns["page"], topic_arns["ticket"]).apply(
        lambda arns: amp_alertmanager_definition(region, arns[0], arns[1], s.paged_by_cloudwatch)
    )
    stack.child(
        "amp_alert_manager_definition",
        aws.amp.AlertManagerDefinition,
        {"workspace_id": workspace.id, "definition": definition},
        suffix="amp-alertmanager",
        opts=pulumi.ResourceOptions(depends_on=policies),
    )
    documents: dict[str, pulumi.Output[str]] = {}
    trusts: dict[str, pulumi.Output[str]] = {}
    endpoint = None
    if s.grafana:
        trust = pulumi.Output.from_input(
            iam.assume_role_policy(GRAFANA_SERVICE, source_account=account)
        )
        role = stack.child(
            "grafana_role",
            aws.iam.Role,
            {"assume_role_policy": trust, "description": f"Managed Grafana of {stack.name}"},
        )
        document = iam.policy_document(grafana_query_statements(workspace.arn))
        stack.child(
            "grafana_role_policy", aws.iam.RolePolicy, {"role": role.name, "policy": document}
        )
        grafana = stack.child(
            "grafana_workspace",
            aws.grafana.Workspace,
            {
                "name": alias,
                "account_access_type": "CURRENT_ACCOUNT",
                "authentication_providers": ["AWS_SSO"],
                "permission_type": "CUSTOMER_MANAGED",
                "role_arn": role.arn,
                "data_sources": ["PROMETHEUS"],
                "description": f"Dashboards of {alias}",
            },
            suffix="grafana",
        )
        endpoint = grafana.endpoint
        documents["managed-grafana"] = document
        trusts["managed-grafana"] = trust
    return ManagedPrometheus(
        workspace=workspace,
        workspace_arn=workspace.arn,
        remote_write_url=workspace.prometheus_endpoint.apply(
            lambda e: f"{e.rstrip('/')}/api/v1/remote_write"
        ),
        rules_yaml=rules,
        alert_manager_definition=definition,
        grafana_endpoint=endpoint,
        policy_documents=documents,
        trust_policies=trusts,
        topic_policies=topic_policies,
    )


def key_policy_statement(account: str) -> dict[str, Any]:
    """The statement the alert topics' KMS key policy needs so AMP can publish."""
    return {
        "Sid": "ManagedPrometheusAlerts",
        "Effect": "Allow",
        "Principal": {"Service": AMP_SERVICE},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
    }


__all__ = [
    "ManagedPrometheus",
    "amp_alertmanager_definition",
    "build_managed",
    "key_policy_statement",
    "topic_policy",
]
