"""IAM policy documents as plain JSON, built from ARNs that may still be Outputs.

Every component builds its policies here so that each document can be checked by
`parliament` in the tests, and so least privilege is one habit: actions listed one by
one, resources scoped to ARNs, trust limited to the calling account.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi

ArnInput = pulumi.Input[str]


def statement(
    actions: Sequence[str],
    resources: Sequence[ArnInput] | str | pulumi.Output[str],
    *,
    sid: str | None = None,
    effect: str = "Allow",
    conditions: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One policy statement. `resources` are ARNs (strings or Outputs)."""
    res: list[ArnInput] = (
        [resources] if isinstance(resources, str | pulumi.Output) else list(resources)
    )
    out: dict[str, Any] = {"Effect": effect, "Action": sorted(set(actions)), "Resource": res}
    if sid:
        out["Sid"] = sid
    if conditions:
        out["Condition"] = conditions
    return out


def deny_insecure_transport(service: str, resources: Sequence[ArnInput]) -> dict[str, Any]:
    """The resource-policy statement refusing every `service:*` call on `resources`
    made over plain HTTP, by anyone (S3 buckets, SQS queues)."""
    deny = statement(
        [f"{service}:*"],
        resources,
        sid="DenyInsecureTransport",
        effect="Deny",
        conditions={"Bool": {"aws:SecureTransport": "false"}},
    )
    deny["Principal"] = "*"
    return deny


def bucket_and_objects(bucket_arn: pulumi.Input[str]) -> list[ArnInput]:
    """A bucket's ARN and its objects' (`<arn>/*`)."""
    return [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")]


def policy_document(statements: Sequence[dict[str, Any]]) -> pulumi.Output[str]:
    """The JSON document, resolved once every ARN in it is known."""
    doc = {"Version": "2012-10-17", "Statement": list(statements)}
    return pulumi.Output.from_input(doc).apply(lambda d: json.dumps(d, sort_keys=True))


def assume_role_policy(
    service: str, *, source_account: str | None = None, source_arn: str | None = None
) -> str:
    """Trust policy letting one AWS service assume the role; with `source_account` the
    confused-deputy guard AWS recommends (`aws:SourceAccount`)."""
    st: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    conditions: dict[str, dict[str, str]] = {}
    if source_account:
        conditions.setdefault("StringEquals", {})["aws:SourceAccount"] = source_account
    if source_arn:
        conditions.setdefault("ArnLike", {})["aws:SourceArn"] = source_arn
    if conditions:
        st["Condition"] = conditions
    return json.dumps({"Version": "2012-10-17", "Statement": [st]}, sort_keys=True)


def account_id() -> str:
    """The deploying account (a provider function call; the offline engine answers it)."""
    import pulumi_aws as aws

    return aws.get_caller_identity().account_id


def region_name() -> str:
    import pulumi_aws as aws

    return aws.get_region().region
