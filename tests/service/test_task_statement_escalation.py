"""`task_statements` that would let a workload grant itself more (write or attach IAM
policies, change trust, mint credentials, pass or assume any role) are refused on
services and workers, naming the statement's field and the action, before anything
registers; scoped grants of the same actions where they are safe still pass."""

from __future__ import annotations

from typing import Any

import pytest

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService

ROLE = "arn:aws:iam::123456789012:role/app"
ESCALATING: list[tuple[dict[str, Any], str]] = [
    ({"Action": "iam:PutRolePolicy", "Resource": ROLE}, "iam:PutRolePolicy"),
    ({"Action": ["s3:GetObject", "iam:Put*"], "Resource": ROLE}, "via iam:Put*"),
    ({"Action": "iam:*", "Resource": ROLE}, "via iam:*"),
    ({"Action": "iam:*Policy*", "Resource": ROLE}, "via iam:*Policy*"),
    ({"Action": "iam:Attach*", "Resource": ROLE}, "iam:AttachUserPolicy"),
    ({"Action": "iam:CreatePolicyVersion", "Resource": ROLE}, "iam:CreatePolicyVersion"),
    ({"Action": "iam:SetDefaultPolicyVersion", "Resource": ROLE}, "SetDefaultPolicyVersion"),
    ({"Action": "iam:UpdateAssumeRolePolicy", "Resource": ROLE}, "UpdateAssumeRolePolicy"),
    (
        {"Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::123456789012:user/ci"},
        "iam:CreateAccessKey",
    ),
    ({"Action": "iam:CreateLoginProfile", "Resource": ROLE}, "iam:CreateLoginProfile"),
    ({"Action": "iam:UpdateLoginProfile", "Resource": ROLE}, "iam:UpdateLoginProfile"),
    ({"Action": "iam:AddUserToGroup", "Resource": ROLE}, "iam:AddUserToGroup"),
    ({"Action": "iam:PassRole", "Resource": "*"}, "iam:PassRole"),
    ({"Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*"}, "iam:PassRole"),
    ({"Action": "sts:AssumeRole", "Resource": "*"}, "sts:AssumeRole"),
    ({"Action": "sts:Assume*", "Resource": "arn:aws:iam::*:role/*"}, "sts:AssumeRole"),
]
SAFE = [
    {"Action": "iam:PassRole", "Resource": ROLE},
    {"Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/reports/*"},
    {"Action": "s3:*", "Resource": "arn:aws:s3:::assets/*"},
    {"Effect": "Deny", "Action": "iam:*", "Resource": ROLE},
]
WORKLOADS = ("service", "worker")


def setup() -> FargateCluster:
    return FargateCluster("prod", {"network": Network("prod", {"az_count": 2, "nat": "single"})})


def make(kind: str):
    def build(cluster: FargateCluster, i: int, statement: dict[str, Any]) -> None:
        args = {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "task_statements": [
                {"Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
                statement,
            ],
        }
        if kind == "worker":
            SqsWorkerQueue(f"jobs{i}", args)
        else:
            StatelessService(f"svc{i}", {**args, "path_patterns": [f"/svc{i}/*"]})

    return build


@pytest.mark.parametrize("kind", WORKLOADS)
def test_escalating_statements_are_refused_naming_the_field_and_the_action(
    kind: str, preview_refusals
) -> None:
    plan, errors = preview_refusals(setup, make(kind), [s for s, _ in ESCALATING])
    component = "SqsWorkerQueue" if kind == "worker" else "StatelessService"
    for i, (_, action) in enumerate(ESCALATING):
        assert i in errors, f"accepted: {ESCALATING[i][0]}"
        assert errors[i].startswith(f"{component} '"), errors[i]
        assert "task_statements[1].Action=" in errors[i], errors[i]
        assert action in errors[i] and "privilege escalation" in errors[i], errors[i]
    prefix = "jobs" if kind == "worker" else "svc"
    assert not [r for r in plan.resources if r.name.startswith(prefix)]


@pytest.mark.parametrize("kind", WORKLOADS)
def test_scoped_grants_of_the_same_actions_pass(kind: str, preview_refusals) -> None:
    plan, errors = preview_refusals(setup, make(kind), SAFE)
    assert errors == {}
    assert plan.of_type("aws:iam/rolePolicy:RolePolicy")
