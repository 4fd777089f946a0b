"""Karpenter on EksCluster (`node_autoscaler="karpenter"`), as Karpenter's guide for an
existing cluster sets it up: a node role for the nodes it launches (joining through an
EC2_LINUX access entry), the interruption queue EventBridge fills with Spot warnings,
rebalance recommendations, instance state changes and scheduled maintenance, and, once
its Helm release (eks_operators) is up, the default EC2NodeClass and NodePools
(eks_karpenter_manifests). Nodes go in the network's private subnets with the node and
cluster security groups, named by id rather than found by a discovery tag: the subnets
belong to Network, and a tag added to them from here would be undone by Network's next
update.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.eks.args import EksSettings
from gridops_infra.platforms.eks.iam import KARPENTER_NODE_POLICIES, managed
from gridops_infra.platforms.eks.karpenter_manifests import (
    NODE_CLASS_API,
    ec2_node_class,
    node_pools,
)

QUEUE_RETENTION_SECONDS = 300  # an interruption notice older than 5 minutes is moot
DEAD_LETTER_RETENTION_SECONDS = 4 * 24 * 3600
MAX_RECEIVES = 5
# EventBridge rule -> its event pattern (what Karpenter acts on).
INTERRUPTION_EVENTS: dict[str, dict[str, Any]] = {
    "spot-interruption": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Spot Instance Interruption Warning"],
    },
    "rebalance": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance Rebalance Recommendation"],
    },
    "state-change": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
    },
    "scheduled-change": {
        "source": ["aws.health"],
        "detail-type": ["AWS Health Event"],
        "detail": {"service": ["EC2"], "eventTypeCategory": ["scheduledChange"]},
    },
}


@dataclass
class KarpenterInfra:
    node_role: aws.iam.Role
    access_entry: aws.eks.AccessEntry
    queue: aws.sqs.Queue
    dead_letter_queue: aws.sqs.Queue
    queue_policy: pulumi.Output[str]
    """The interruption queue's resource policy (JSON)."""
    rules: list[aws.cloudwatch.EventRule]
    subnet_ids: list[pulumi.Output[str]]
    """Where Karpenter launches nodes: the network's private subnets."""
    security_group_ids: list[pulumi.Output[str]]
    """The groups its nodes carry: the node group's and the EKS cluster group."""

    @property
    def ready(self) -> list[pulumi.Resource]:
        """What nodes Karpenter launches need before they can join."""
        return [self.access_entry]


def build_karpenter_infra(
    c: GridopsComponent,
    s: EksSettings,
    cluster: aws.eks.Cluster,
    cluster_name: str,
    region: str,
    account: str,
    *,
    node_security_group_id: pulumi.Output[str],
) -> KarpenterInfra:
    node_role = c.child(
        "karpenter_node_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy("ec2.amazonaws.com"),
            "description": f"Nodes Karpenter launches for EKS cluster {c.name}",
        },
    )
    attachments = [
        c.child(
            "karpenter_node_role_policy",
            aws.iam.RolePolicyAttachment,
            {"role": node_role.name, "policy_arn": arn},
            suffix=f"karpenter-node-role-{i}",
        )
        for i, arn in enumerate(managed(KARPENTER_NODE_POLICIES))
    ]
    access_entry = c.child(
        "karpenter_access_entry",
        aws.eks.AccessEntry,
        {"cluster_name": cluster.name, "principal_arn": node_role.arn, "type": "EC2_LINUX"},
        suffix="karpenter-nodes",
        opts=pulumi.ResourceOptions(depends_on=attachments),
    )
    queue, dead_letter, policy, rules = _interruption_queue(c, region, account)
    return KarpenterInfra(
        node_role,
        access_entry,
        queue,
        dead_letter,
        policy,
        rules,
        subnet_ids=[subnet.id for subnet in s.network.private_subnets],
        security_group_ids=[
            node_security_group_id,
            cluster.vpc_config.cluster_security_group_id,
        ],
    )


def _interruption_queue(
    c: GridopsComponent, region: str, account: str
) -> tuple[aws.sqs.Queue, aws.sqs.Queue, pulumi.Output[str], list[aws.cloudwatch.EventRule]]:
    dead_letter = c.child(
        "interruption_dead_letter_queue",
        aws.sqs.Queue,
        {
            "message_retention_seconds": DEAD_LETTER_RETENTION_SECONDS,
            "sqs_managed_sse_enabled": True,
        },
        suffix="interruption-dlq",
    )
    queue = c.child(
        "interruption_queue",
        aws.sqs.Queue,
        {
            "message_retention_seconds": QUEUE_RETENTION_SECONDS,
            "sqs_managed_sse_enabled": True,
            # Karpenter deletes what it cannot use; a message it keeps failing on is set
            # aside (and keeps the sqs-dead-letter-queue policy satisfied).
            "redrive_policy": dead_letter.arn.apply(
                lambda arn: json.dumps(
                    {"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVES},
                    sort_keys=True,
                )
            ),
        },
        suffix="interruption",
    )
    rules = []
    for event, pattern in INTERRUPTION_EVENTS.items():
        rule = c.child(
            "interruption_rule",
            aws.cloudwatch.EventRule,
            {
                "description": f"{event} events for Karpenter on EKS cluster {c.name}",
                "event_pattern": json.dumps(pattern, sort_keys=True),
            },
            suffix=f"karpenter-{event}",
        )
        c.child(
            "interruption_target",
            aws.cloudwatch.EventTarget,
            {"rule": rule.name, "arn": queue.arn, "target_id": "KarpenterInterruptionQueue"},
            suffix=f"karpenter-{event}-target",
        )
        rules.append(rule)
    policy = interruption_queue_policy(queue.arn, [r.arn for r in rules], account)
    c.child(
        "interruption_queue_policy",
        aws.sqs.QueuePolicy,
        {"queue_url": queue.url, "policy": policy},
        suffix="interruption-policy",
    )
    c.child(
        "interruption_queue_policy",
        aws.sqs.QueuePolicy,
        {
            "queue_url": dead_letter.url,
            "policy": iam.policy_document([iam.deny_insecure_transport("sqs", [dead_letter.arn])]),
        },
        suffix="interruption-dlq-policy",
    )
    return queue, dead_letter, policy, rules


def interruption_queue_policy(
    queue_arn: pulumi.Input[str], rule_arns: list[pulumi.Output[str]], account: str
) -> pulumi.Output[str]:
    """Only this cluster's EventBridge rules (and SQS itself, from this account) may send,
    only over TLS. Karpenter reads through its IAM role, not through this policy."""
    from_rules = iam.statement(
        ["sqs:SendMessage"],
        [queue_arn],
        sid="EventBridgeRules",
        conditions={"ArnEquals": {"aws:SourceArn": rule_arns}},
    )
    from_rules["Principal"] = {"Service": "events.amazonaws.com"}
    from_sqs = iam.statement(
        ["sqs:SendMessage"],
        [queue_arn],
        sid="SqsInAccount",
        conditions={"StringEquals": {"aws:SourceAccount": account}},
    )
    from_sqs["Principal"] = {"Service": "sqs.amazonaws.com"}
    return iam.policy_document(
        [from_rules, from_sqs, iam.deny_insecure_transport("sqs", [queue_arn])]
    )


def karpenter_node_resources(
    c: GridopsComponent,
    s: EksSettings,
    infra: KarpenterInfra,
    cluster_name: str,
    provider: k8s.Provider,
    release: pulumi.Resource,
) -> tuple[k8s.apiextensions.CustomResource, list[k8s.apiextensions.CustomResource]]:
    """The default EC2NodeClass and the NodePools, once the chart (with its CRDs) runs."""
    opts = pulumi.ResourceOptions(provider=provider, depends_on=[release, *infra.ready])
    node_class = pulumi.Output.all(
        infra.node_role.name,
        pulumi.Output.all(*infra.subnet_ids),
        pulumi.Output.all(*infra.security_group_ids),
    ).apply(lambda v: ec2_node_class(s, cluster_name, v[0], c.tags, v[1], v[2]))
    node_class_cr = c.child(
        "karpenter_node_class",
        k8s.apiextensions.CustomResource,
        {
            "api_version": NODE_CLASS_API,
            "kind": "EC2NodeClass",
            "metadata": node_class.apply(lambda m: m["metadata"]),
            "spec": node_class.apply(lambda m: m["spec"]),
        },
        suffix="karpenter-node-class",
        opts=opts,
        tag=False,
    )
    pools = [
        c.child(
            "karpenter_node_pool",
            k8s.apiextensions.CustomResource,
            {
                "api_version": manifest["apiVersion"],
                "kind": manifest["kind"],
                "metadata": manifest["metadata"],
                "spec": manifest["spec"],
            },
            suffix=f"karpenter-{manifest['metadata']['name']}-pool",
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=[node_class_cr])
            ),
            tag=False,
        )
        for manifest in node_pools(s)
    ]
    return node_class_cr, pools


__all__ = [
    "INTERRUPTION_EVENTS",
    "KarpenterInfra",
    "build_karpenter_infra",
    "interruption_queue_policy",
    "karpenter_node_resources",
]
