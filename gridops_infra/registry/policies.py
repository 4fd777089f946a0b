"""The documents a repository is built with: its lifecycle policy, and the IAM statements
that let a role pull from or push to exactly this repository."""

from __future__ import annotations

import json
from typing import Any

import pulumi

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.ecr import LIFECYCLE_POLICY_MAX_CHARACTERS

PULL_ACTIONS = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)
PUSH_ACTIONS = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
)


def lifecycle_policy(untagged_expire_days: int, keep_tagged_count: int) -> str:
    """Two rules: untagged images expire `untagged_expire_days` after their push; of the
    tagged ones the newest `keep_tagged_count` stay. `tagPatternList: ["*"]` selects every
    tagged image (a `tagged` rule must name a pattern or prefix list)."""
    document = {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Untagged images expire {untagged_expire_days} days after push",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": untagged_expire_days,
                },
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"Keep the {keep_tagged_count} newest tagged images",
                "selection": {
                    "tagStatus": "tagged",
                    "tagPatternList": ["*"],
                    "countType": "imageCountMoreThan",
                    "countNumber": keep_tagged_count,
                },
                "action": {"type": "expire"},
            },
        ]
    }
    text = json.dumps(document, sort_keys=True)
    if len(text) > LIFECYCLE_POLICY_MAX_CHARACTERS:  # two fixed rules: cannot happen
        raise AssertionError("lifecycle policy over ECR's 30,720 characters")
    return text


def pull_statements(repository_arn: pulumi.Input[str]) -> list[dict[str, Any]]:
    """Log in to the registry and read this repository's images."""
    return [
        # GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        iam.statement(["ecr:GetAuthorizationToken"], "*", sid="EcrLogin"),
        iam.statement(PULL_ACTIONS, [repository_arn], sid="EcrPull"),
    ]


def push_statements(repository_arn: pulumi.Input[str]) -> list[dict[str, Any]]:
    """Log in to the registry and upload layers and manifests to this repository only."""
    return [
        iam.statement(["ecr:GetAuthorizationToken"], "*", sid="EcrLogin"),
        iam.statement(PUSH_ACTIONS, [repository_arn], sid="EcrPush"),
    ]


__all__ = [
    "PULL_ACTIONS",
    "PUSH_ACTIONS",
    "lifecycle_policy",
    "pull_statements",
    "push_statements",
]
