"""IAM: no workload role may grant itself more rights.

A security rule, not an AWS create-time rule: AWS accepts these policies. Components refuse
escalating `task_statements` before registering anything; this rule catches what only the
whole Plan shows: a transform that rewrites a workload role's policy, or the program's own
aws.iam resources attached to a role a workload assumes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gridops_infra.core.iam_escalation import ESCALATING_MANAGED_POLICIES, document_escalations
from gridops_infra.policy._props import as_list, of_type, parse_json, peek, refers_to, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule
from gridops_infra.policy.rules.security import POLICY_ATTACHMENTS, ROLE, statements

ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"

# Services whose compute runs the application's code under the role.
WORKLOAD_SERVICES = (
    "ecs-tasks.amazonaws.com",
    "pods.eks.amazonaws.com",
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
)
# An EKS cluster's OIDC issuer (IRSA): oidc.eks.<region>.amazonaws.com/id/<id>.
CLUSTER_OIDC = "oidc.eks."


def workload_trust(role: Any, workload_roles: frozenset[str] = frozenset()) -> str | None:
    """Who runs code under `role` (a service, the cluster's OIDC, or a workload role that
    chains into it, as KEDA does: `workload_roles` are their ARNs), or None when no
    workload assumes it (or its trust policy is not known yet)."""
    for statement in statements(parse_json(peek(role.props, "assumeRolePolicy"))):
        if statement.get("Effect", "Allow") != "Allow":
            continue
        principal = statement.get("Principal")
        if not isinstance(principal, dict):
            continue
        for service in as_list(principal.get("Service")):
            if service in WORKLOAD_SERVICES:
                return str(service)
        for federated in as_list(principal.get("Federated")):
            if isinstance(federated, str) and CLUSTER_OIDC in federated:
                return "the EKS cluster's OIDC (IRSA)"
        for arn in as_list(principal.get("AWS")):
            if arn in workload_roles:
                return f"workload role {arn}"
    return None


def role_documents(role: Any, resources: list[Any]) -> Iterator[tuple[str, Any]]:
    """(where, policy JSON) of every policy the Plan gives `role`: inline policies, RolePolicy
    resources and customer managed policies attached by ARN or attachment resource."""
    for inline in as_list(peek(role.props, "inlinePolicies")):
        yield f"inline policy {text(peek(inline, 'name')) or '?'!r}", peek(inline, "policy")
    for holder in of_type(resources, ROLE_POLICY):
        if refers_to(holder, "role", role, "name", "id"):
            yield f"RolePolicy {holder.name!r}", peek(holder.props, "policy")
    attached = [
        a
        for a in of_type(resources, ROLE_POLICY_ATTACHMENT)
        if refers_to(a, "role", role, "name", "id")
    ] + [
        a
        for a in of_type(resources, POLICY_ATTACHMENT)
        if any(r in known_names(role) for r in as_list(peek(a.props, "roles")))
    ]
    managed_arns = as_list(peek(role.props, "managedPolicyArns"))
    for policy in of_type(resources, MANAGED_POLICY):
        arn = peek(policy.props, "arn")
        by_arn = isinstance(arn, str) and arn in managed_arns
        if by_arn or any(refers_to(a, "policyArn", policy, "arn") for a in attached):
            yield f"policy {policy.name!r}", peek(policy.props, "policy")


def known_names(role: Any) -> set[str]:
    return {v for v in (peek(role.props, "name"), peek(role.props, "id")) if isinstance(v, str)}


def managed_arns(role: Any, resources: list[Any]) -> list[str]:
    arns = [a for a in as_list(peek(role.props, "managedPolicyArns")) if isinstance(a, str)]
    for attachment in of_type(resources, POLICY_ATTACHMENTS):
        targets = [peek(attachment.props, "role"), *as_list(peek(attachment.props, "roles"))]
        if any(isinstance(t, str) and t in known_names(role) for t in targets) or refers_to(
            attachment, "role", role, "name", "id"
        ):
            arn = peek(attachment.props, "policyArn")
            if isinstance(arn, str):
                arns.append(arn)
    return arns


@stack_rule(
    name="iam-workload-no-privilege-escalation",
    description="No role that a workload assumes (ECS task, EKS pod, EC2 instance, Lambda "
    "function, the cluster's OIDC) may write IAM policies, attach them, change trust, mint "
    "credentials, or pass or assume any role.",
    severity=MANDATORY,
    remediation="Grant the workload the exact actions it calls on the exact ARNs it uses; "
    "make IAM changes from the deploy pipeline (GithubDeployRole), and pass or assume one "
    "named role by its ARN instead of '*'.",
    types=(ROLE, ROLE_POLICY, MANAGED_POLICY, *POLICY_ATTACHMENTS),
)
def workload_privilege_escalation(args: Any, report: ReportViolation) -> None:
    resources = list(args.resources)
    roles = of_type(resources, ROLE)
    direct = {r.urn: workload_trust(r) for r in roles}
    arns = frozenset(
        a for r in roles if direct[r.urn] and isinstance(a := peek(r.props, "arn"), str)
    )
    for role in roles:
        runner = direct[role.urn] or workload_trust(role, arns)
        if runner is None:
            continue
        for where, raw in role_documents(role, resources):
            found = document_escalations(statements(parse_json(raw)))
            if found:
                listed = "; ".join(sorted({e.describe() for e in found}))
                report(
                    f"role {role.name!r} (assumed by {runner}): {where} allows {listed}.",
                    role.urn,
                )
        for arn in managed_arns(role, resources):
            if arn.endswith(ESCALATING_MANAGED_POLICIES):
                report(
                    f"role {role.name!r} (assumed by {runner}) has the managed policy {arn}, "
                    "which can grant any IAM permission.",
                    role.urn,
                )


__all__ = ["WORKLOAD_SERVICES", "workload_privilege_escalation", "workload_trust"]
