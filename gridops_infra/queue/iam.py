"""The IAM statements of a queue: what its workers, its senders and everyone else may do.

Every statement names this queue's ARN (and its key's) only, so a worker or sender can
never touch another queue.
"""

from __future__ import annotations

from typing import Any

import pulumi

from gridops_infra.core import iam

CONSUME_ACTIONS = (
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
)
SEND_ACTIONS = ("sqs:GetQueueAttributes", "sqs:SendMessage")
TASK_PROTECTION_ACTIONS = ("ecs:GetTaskProtection", "ecs:UpdateTaskProtection")


def sid_name(name: str) -> str:
    """`video-jobs` -> `VideoJobs` (statement ids are alphanumeric)."""
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _through_sqs(region: str) -> dict[str, dict[str, Any]]:
    return {"StringEquals": {"kms:ViaService": f"sqs.{region}.amazonaws.com"}}


def consume_statements(
    name: str, queue_arn: pulumi.Input[str], kms_key_arn: str | None, region: str
) -> list[dict[str, Any]]:
    """A worker: receive, delete, extend visibility and read attributes on this queue;
    decrypt with its key (through SQS only) when it has a customer managed one."""
    out = [iam.statement(CONSUME_ACTIONS, [queue_arn], sid=f"Consume{sid_name(name)}")]
    if kms_key_arn:
        out.append(
            iam.statement(
                ["kms:Decrypt"],
                kms_key_arn,
                sid=f"Decrypt{sid_name(name)}",
                conditions=_through_sqs(region),
            )
        )
    return out


def send_statements(
    name: str, queue_arn: pulumi.Input[str], kms_key_arn: str | None, region: str
) -> list[dict[str, Any]]:
    """A sender: send and read attributes on this queue; with a customer managed key,
    generate data keys and decrypt with it (what SendMessage needs), through SQS only."""
    out = [iam.statement(SEND_ACTIONS, [queue_arn], sid=f"SendTo{sid_name(name)}")]
    if kms_key_arn:
        out.append(
            iam.statement(
                ["kms:Decrypt", "kms:GenerateDataKey"],
                kms_key_arn,
                sid=f"EncryptFor{sid_name(name)}",
                conditions=_through_sqs(region),
            )
        )
    return out


def task_protection_statement(
    name: str, cluster_name: pulumi.Input[str], region: str, account: str
) -> dict[str, Any]:
    """The ECS agent's task-protection endpoint acts with the task role: allow it on this
    cluster's tasks only."""
    tasks = pulumi.Output.concat(f"arn:aws:ecs:{region}:{account}:task/", cluster_name, "/*")
    return iam.statement(TASK_PROTECTION_ACTIONS, tasks, sid=f"Protect{sid_name(name)}WorkerTasks")


def tls_only_policy(queue_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The queue policy: nobody may use the queue over plain HTTP. Access itself is
    granted by the IAM policies of workers and senders, in this account only."""
    return iam.policy_document([iam.deny_insecure_transport("sqs", [queue_arn])])


__all__ = [
    "CONSUME_ACTIONS",
    "SEND_ACTIONS",
    "TASK_PROTECTION_ACTIONS",
    "consume_statements",
    "send_statements",
    "sid_name",
    "task_protection_statement",
    "tls_only_policy",
]
