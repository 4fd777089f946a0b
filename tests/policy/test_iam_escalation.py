"""`iam-workload-no-privilege-escalation`: a role a workload assumes must not be able to
grant itself more, however the policy reaches it (inline, RolePolicy, an attached managed
policy, a transform of a component's child); other roles (the deploy pipeline's) may."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pytest

from gridops_infra import FargateCluster, Network, StatelessService
from gridops_infra.core.iam_escalation import covers_any_role, escalations
from gridops_infra.policy import check_plan
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

RULE = "iam-workload-no-privilege-escalation"
ROLE_ARN = "arn:aws:iam::123456789012:role/app"


def trust(principal: dict[str, Any], action: str = "sts:AssumeRole") -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = ROLE_ARN) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


TRUSTS = {
    "ecs-task": trust({"Service": "ecs-tasks.amazonaws.com"}),
    "eks-pod": trust({"Service": "pods.eks.amazonaws.com"}, ["sts:AssumeRole", "sts:TagSession"]),
    "ec2": trust({"Service": "ec2.amazonaws.com"}),
    "lambda": trust({"Service": "lambda.amazonaws.com"}),
    "irsa": trust(
        {
            "Federated": "arn:aws:iam::123456789012:oidc-provider/"
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        },
        "sts:AssumeRoleWithWebIdentity",
    ),
}
GITHUB_TRUST = trust(
    {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
    "sts:AssumeRoleWithWebIdentity",
)


def violations(program: Any) -> list[str]:
    return [v.message for v in check_plan(preview(program)).of_rule(RULE)]


@pytest.mark.parametrize("runner", sorted(TRUSTS))
@pytest.mark.parametrize(
    ("statement", "action"),
    [
        (allow("iam:PutRolePolicy"), "iam:PutRolePolicy"),
        (allow("iam:Put*"), "iam:PutRolePolicy (via iam:Put*)"),
        (allow("iam:*Policy*"), "iam:AttachRolePolicy (via iam:*Policy*)"),
        (
            allow("IAM:createpolicyversion", "*"),
            "iam:CreatePolicyVersion",
        ),
        (allow("iam:PassRole", "*"), "iam:PassRole"),
        (allow("sts:AssumeRole", "arn:aws:iam::*:role/*"), "sts:AssumeRole"),
        (allow("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/*"), "iam:CreateAccessKey"),
        ({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, "iam:UpdateAssumeRolePolicy"),
    ],
)
def test_an_escalating_policy_on_a_workload_role_is_a_mandatory_violation(
    runner: str, statement: dict[str, Any], action: str
) -> None:
    def program() -> None:
        role = aws.iam.Role("app", assume_role_policy=TRUSTS[runner])
        aws.iam.RolePolicy("app-extra", role=role.id, policy=document(statement))

    (message,) = violations(program)
    assert "role 'app'" in message and "RolePolicy 'app-extra'" in message
    assert action in message


def test_every_way_a_policy_reaches_the_role_is_followed() -> None:
    bad = document(allow("iam:AttachRolePolicy"))

    def program() -> None:
        managed = aws.iam.Policy("escalate", policy=bad)
        attached = aws.iam.Role("attached", assume_role_policy=TRUSTS["ecs-task"])
        aws.iam.RolePolicyAttachment("attach", role=attached.name, policy_arn=managed.arn)
        aws.iam.Role(
            "by-arn", assume_role_policy=TRUSTS["eks-pod"], managed_policy_arns=[managed.arn]
        )
        aws.iam.Role(
            "inline",
            assume_role_policy=TRUSTS["ec2"],
            inline_policies=[{"name": "extra", "policy": bad}],
        )
        aws.iam.Role(
            "admin-managed",
            assume_role_policy=TRUSTS["lambda"],
            managed_policy_arns=["arn:aws:iam::aws:policy/IAMFullAccess"],
        )

    found = violations(program)
    assert len(found) == 4
    assert any("role 'attached'" in m and "policy 'escalate'" in m for m in found)
    assert any("role 'by-arn'" in m and "policy 'escalate'" in m for m in found)
    assert any("role 'inline'" in m and "inline policy 'extra'" in m for m in found)
    assert any("role 'admin-managed'" in m and "IAMFullAccess" in m for m in found)


def test_a_role_a_workload_role_chains_into_counts_as_a_workload_role() -> None:
    def program() -> None:
        pod = aws.iam.Role("operator", assume_role_policy=TRUSTS["eks-pod"])
        chained = aws.iam.Role(
            "chained",
            assume_role_policy=pod.arn.apply(lambda arn: trust({"AWS": arn})),
        )
        aws.iam.RolePolicy("chained-policy", role=chained.id, policy=document(allow("iam:*")))

    (message,) = violations(program)
    assert "role 'chained'" in message and "workload role" in message


def test_scoped_pass_and_assume_and_non_workload_roles_pass() -> None:
    def program() -> None:
        pod = aws.iam.Role("karpenter", assume_role_policy=TRUSTS["eks-pod"])
        aws.iam.RolePolicy(
            "karpenter-policy",
            role=pod.id,
            policy=document(
                allow("iam:PassRole", "arn:aws:iam::123456789012:role/node"),
                allow("sts:AssumeRole", "arn:aws:iam::123456789012:role/gridops/keda/*"),
                allow("*", "arn:aws:s3:::bucket/*"),
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
            ),
        )
        deploy = aws.iam.Role("deploy", assume_role_policy=GITHUB_TRUST)
        aws.iam.RolePolicy(
            "deploy-policy", role=deploy.id, policy=document(allow("iam:PutRolePolicy"))
        )

    assert violations(program) == []


def test_a_transform_that_makes_a_task_role_escalate_fails_the_plan() -> None:
    """A component refuses escalating task_statements, but a transform of its child
    policy is the user's own document: only the Plan shows it."""
    scoped = {"Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"}

    def program(policy: str | None) -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("prod", {"network": net})
        args: dict[str, Any] = {
            "platform": cluster,
            "image": "ghcr.io/acme/api:1.4.2",
            "task_statements": [scoped],
        }
        if policy is not None:
            args["transforms"] = {"task_policy": {"policy": policy}}
        StatelessService("api", args)

    assert violations(lambda: program(None)) == []
    (message,) = violations(lambda: program(document(allow("iam:PassRole", "*"))))
    assert "role 'api-task-role'" in message and "ecs-tasks.amazonaws.com" in message
    assert "iam:PassRole" in message


def test_unknown_resources_count_as_iam_for_iam_actions_and_as_scoped_for_pass_role() -> None:
    unknown = object()  # what an Output stands for: an ARN not known yet
    assert [e.action for e in escalations(allow("iam:PutRolePolicy", [unknown]))] == [
        "iam:PutRolePolicy"
    ]
    assert escalations(allow("iam:PassRole", [unknown])) == []
    assert covers_any_role("arn:aws:iam::123456789012:role/*")
    assert covers_any_role("arn:aws-cn:iam::*:*")
    assert not covers_any_role("arn:aws:iam::123456789012:role/app-*")
    assert not covers_any_role("arn:aws:s3:::*")


# The escalation paths parliament's privilege-escalation auditor knows (after Bishop Fox
# and Rhino Security Labs), as the action sets it looks for.
PARLIAMENT_PATHS = [
    ["iam:CreateAccessKey"],
    ["iam:CreateLoginProfile"],
    ["iam:UpdateLoginProfile"],
    ["iam:CreatePolicyVersion"],
    ["iam:SetDefaultPolicyVersion"],
    ["iam:AttachUserPolicy"],
    ["iam:AttachGroupPolicy"],
    ["iam:AttachRolePolicy", "sts:AssumeRole"],
    ["iam:PutUserPolicy"],
    ["iam:PutGroupPolicy"],
    ["iam:PutRolePolicy", "sts:AssumeRole"],
    ["iam:AddUserToGroup"],
    ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ["iam:PassRole", "ec2:RunInstances"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ["iam:PassRole", "glue:CreateDevEndpoint"],
    ["iam:PassRole", "cloudformation:CreateStack"],
    ["iam:PassRole", "datapipeline:CreatePipeline"],
    ["glue:UpdateDevEndpoint"],
    ["lambda:UpdateFunctionCode"],
]


@pytest.mark.parametrize("actions", PARLIAMENT_PATHS, ids=lambda a: "+".join(a))
def test_every_path_parliament_reports_is_caught_here_too(actions: list[str]) -> None:
    statement = allow(actions, "*")
    findings = iam_findings(document(statement))
    assert any(f.startswith("PRIVILEGE_ESCALATION") for f in findings), findings
    assert escalations(statement)
