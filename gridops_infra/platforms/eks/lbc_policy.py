"""The AWS Load Balancer Controller's IAM policy, narrower than AWS's published one.

Starts from the controller's `docs/install/iam_policy.json` (v2.14) and scopes it as far as
IAM allows:
- every write names this region and account, application load balancers only (`app/`);
  the controller gets no NLB rights because gridops services use ALB Ingresses and the
  Helm release turns the Service (NLB) mutating webhook off;
- where AWS checks only that the `elbv2.k8s.aws/cluster` tag exists, this policy requires
  it to equal *this* cluster's name (the controller tags what it creates with it), so one
  cluster's controller cannot modify or delete another cluster's load balancers;
- security-group rule changes are limited to the cluster's VPC (`ec2:Vpc`);
- features turned off in the Helm values lose their permissions: Shield Advanced, WAF
  Classic (`waf-regional`), Cognito authentication and IAM server certificates (services
  give ACM certificate ARNs explicitly). WAFv2 stays, scoped to regional web ACLs.
Describe/List calls and `elasticloadbalancing:SetWebAcl` keep `"*"`: those actions support
no resource-level permissions.
"""

from __future__ import annotations

from typing import Any

import pulumi

from gridops_infra.core import iam

TAG = "elbv2.k8s.aws/cluster"

DESCRIBE_ACTIONS = (
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeTags",
    "ec2:DescribeRouteTables",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeCapacityReservation",
    "acm:ListCertificates",
)

OWNED_CHANGES = (
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:SetIpAddressType",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:ModifyCapacityReservation",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:DeregisterTargets",
)

LISTENER_CHANGES = (
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:ModifyListener",
    "elasticloadbalancing:CreateRule",
    "elasticloadbalancing:DeleteRule",
    "elasticloadbalancing:ModifyRule",
    "elasticloadbalancing:SetRulePriorities",
    "elasticloadbalancing:AddListenerCertificates",
    "elasticloadbalancing:RemoveListenerCertificates",
)


def load_balancer_controller_statements(
    region: str, account: str, cluster_name: str, vpc_id: pulumi.Input[str]
) -> list[dict[str, Any]]:
    elb = f"arn:aws:elasticloadbalancing:{region}:{account}"
    ec2 = f"arn:aws:ec2:{region}:{account}"
    load_balancers = f"{elb}:loadbalancer/app/*/*"
    target_groups = f"{elb}:targetgroup/*/*"
    listeners = [f"{elb}:listener/app/*/*/*", f"{elb}:listener-rule/app/*/*/*/*"]
    security_groups = f"{ec2}:security-group/*"
    vpc_arn = pulumi.Output.from_input(vpc_id).apply(lambda v: f"{ec2}:vpc/{v}")
    owned = {"StringEquals": {f"aws:ResourceTag/{TAG}": cluster_name}}
    keeps_cluster_tag = {
        "StringEquals": {f"aws:ResourceTag/{TAG}": cluster_name},
        "Null": {f"aws:RequestTag/{TAG}": "true"},
    }
    tagged_request = {"StringEquals": {f"aws:RequestTag/{TAG}": cluster_name}}
    return [
        iam.statement(
            ["iam:CreateServiceLinkedRole"],
            [
                f"arn:aws:iam::{account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                "AWSServiceRoleForElasticLoadBalancing"
            ],
            sid="ElbServiceLinkedRole",
            conditions={
                "StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
            },
        ),
        iam.statement(DESCRIBE_ACTIONS, "*", sid="Discover"),  # no resource-level support
        iam.statement(
            ["acm:DescribeCertificate"],
            [f"arn:aws:acm:{region}:{account}:certificate/*"],
            sid="ReadCertificates",
        ),
        iam.statement(
            [
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
            ],
            [f"arn:aws:wafv2:{region}:{account}:regional/webacl/*", load_balancers],
            sid="AttachWebAcls",
        ),
        iam.statement(["ec2:GetSecurityGroupsForVpc"], [vpc_arn], sid="ReadVpcSecurityGroups"),
        iam.statement(
            ["ec2:CreateSecurityGroup"], [vpc_arn, security_groups], sid="CreateSecurityGroupInVpc"
        ),
        iam.statement(
            ["ec2:CreateTags"],
            [security_groups],
            sid="TagNewSecurityGroups",
            conditions={
                "StringEquals": {
                    "ec2:CreateAction": "CreateSecurityGroup",
                    f"aws:RequestTag/{TAG}": cluster_name,
                }
            },
        ),
        iam.statement(
            ["ec2:CreateTags", "ec2:DeleteTags"],
            [security_groups],
            sid="RetagOwnedSecurityGroups",
            conditions=keeps_cluster_tag,
        ),
        iam.statement(
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            [security_groups],
            sid="SecurityGroupRulesInVpc",
            conditions={"ArnEquals": {"ec2:Vpc": vpc_arn}},
        ),
        iam.statement(
            ["ec2:DeleteSecurityGroup"],
            [security_groups],
            sid="DeleteOwnedSecurityGroups",
            conditions=owned,
        ),
        iam.statement(
            ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            [load_balancers, target_groups],
            sid="CreateTaggedLoadBalancers",
            conditions=tagged_request,
        ),
        iam.statement(
            ["elasticloadbalancing:AddTags"],
            [load_balancers, target_groups],
            sid="TagOnCreate",
            conditions={
                "StringEquals": {
                    "elasticloadbalancing:CreateAction": [
                        "CreateTargetGroup",
                        "CreateLoadBalancer",
                    ],
                    f"aws:RequestTag/{TAG}": cluster_name,
                }
            },
        ),
        iam.statement(
            ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            [load_balancers, target_groups],
            sid="RetagOwnedLoadBalancers",
            conditions=keeps_cluster_tag,
        ),
        iam.statement(
            OWNED_CHANGES,
            [load_balancers, target_groups, *listeners],
            sid="ChangeOwned",
            conditions=owned,
        ),
        iam.statement(LISTENER_CHANGES, [load_balancers, *listeners], sid="ManageListeners"),
        # WAFv2 AssociateWebACL on an ALB also checks this permission, which has no
        # resource-level support; the web ACL side is scoped in AttachWebAcls.
        iam.statement(["elasticloadbalancing:SetWebAcl"], "*", sid="SetWebAclForWafv2"),
        iam.statement(
            ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            listeners,
            sid="TagListeners",
        ),
    ]
