"""EksCluster's internal ALB behind a CloudFront VPC origin (`origin_access: "vpc-origin"`).

Pulumi creates the load balancer, its security group and one listener; each service adds
an ip-type target group, a listener rule and a `TargetGroupBinding`, through which the
AWS Load Balancer Controller registers the service's Pod IPs. No Ingress, so nothing the
controller makes is on the internet. The ALB sits in the network's private subnets and
admits only CloudFront (its origin-facing prefix list and the VPC origin's interfaces in
the VPC) on one port: 443 when the services have a `domain`, else 80 (EksCluster's
`check_listener` keeps every service on the same one). Its security group has no egress
but to the Pods' groups, on their ports (`admit_targets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.network.component import Network
from gridops_infra.platforms.alb import (
    ACCESS_LOG_PREFIX,
    NOT_FOUND_ACTION,
    TLS_POLICY,
    RulePriorities,
    access_log_bucket,
    admit_cloudfront,
)

ROLES = (
    "alb_security_group",
    "alb_ingress_rule",
    "alb_egress_rule",
    "alb_target_ingress_rule",
    "alb_logs_bucket",
    "alb_logs_public_access_block",
    "alb_logs_ownership",
    "alb_logs_encryption",
    "alb_logs_lifecycle",
    "alb_logs_policy",
    "alb",
    "http_listener",
    "https_listener",
)
ACCESS_LOG_DAYS = 90
IDLE_TIMEOUT_SECONDS = 60


@dataclass
class OriginAlb:
    """The cluster's internal ALB and what its services share on it."""

    owner: GridopsComponent
    network: Network
    alb: aws.lb.LoadBalancer
    security_group: aws.ec2.SecurityGroup
    access_log_policy_document: pulumi.Output[str]
    priorities: RulePriorities = field(default_factory=RulePriorities)
    listener: aws.lb.Listener | None = None
    """The one listener, created by the first service (`listener_for`)."""
    _targets: set[tuple[str, int]] = field(default_factory=set)

    @property
    def arn(self) -> pulumi.Output[str]:
        return self.alb.arn

    @property
    def dns_name(self) -> pulumi.Output[str]:
        return self.alb.dns_name

    def listener_for(
        self, certificate_arn: pulumi.Input[str] | None
    ) -> tuple[aws.lb.Listener, bool]:
        """The listener services attach their rules to, created on first use: HTTPS on 443
        with `certificate_arn` as its default certificate (TLS 1.2+), else HTTP on 80;
        either answers 404 to what no rule matches, and the security group opens that
        port to CloudFront only. Returns (listener, created): when not created here, a
        service with a certificate attaches it with an `aws.lb.ListenerCertificate`."""
        if self.listener is not None:
            return self.listener, False
        https = certificate_arn is not None
        port = 443 if https else 80
        admit_cloudfront(self.owner, self.security_group.id, port, self.network.cidr_block)
        listener_args: dict[str, Any] = {
            "load_balancer_arn": self.alb.arn,
            "port": port,
            "protocol": "HTTPS" if https else "HTTP",
            "default_actions": [NOT_FOUND_ACTION],
        }
        if https:
            listener_args |= {"ssl_policy": TLS_POLICY, "certificate_arn": certificate_arn}
        self.listener = self.owner.child(
            "https_listener" if https else "http_listener", aws.lb.Listener, listener_args
        )
        return self.listener, True

    def admit_targets(self, consumer: str, group_id: pulumi.Input[str], port: int) -> None:
        """Let the ALB reach Pods carrying `group_id` on `port`: an egress rule on the
        ALB's group and an ingress rule on the Pods' group, both referencing the other.
        `consumer` names the group ("nodes", "fargate", or a workload's own); services
        sharing a group and a port share the pair (EC2 refuses a duplicate rule)."""
        key = (consumer, port)
        if key in self._targets:
            return
        self._targets.add(key)
        self.owner.child(
            "alb_target_ingress_rule",
            aws.vpc.SecurityGroupIngressRule,
            {
                "security_group_id": group_id,
                "referenced_security_group_id": self.security_group.id,
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "description": f"from the internal ALB of {self.owner.name} on {port}",
            },
            suffix=f"alb-to-{consumer}-{port}-in",
        )
        self.owner.child(
            "alb_egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": self.security_group.id,
                "referenced_security_group_id": group_id,
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "description": f"ALB to the {consumer} Pods and their health checks on {port}",
            },
            suffix=f"alb-to-{consumer}-{port}-out",
        )


def build_origin_alb(owner: GridopsComponent, network: Network) -> OriginAlb:
    """The internal ALB in `network`'s private subnets (deletion protection on, invalid
    headers dropped, defensive desync mitigation, access logs to an encrypted bucket) and
    its security group, still closed: the first service opens its one port."""
    name = owner.name
    sg = owner.child(
        "alb_security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": network.vpc_id,
            "description": f"Internal ALB of {name}: CloudFront VPC origin in, Pods out",
            "tags": {"Name": f"{name}-alb"},
        },
        suffix="alb-sg",
    )
    bucket, bucket_policy, document = access_log_bucket(owner, ACCESS_LOG_DAYS)
    alb = owner.child(
        "alb",
        aws.lb.LoadBalancer,
        {
            "load_balancer_type": "application",
            # A CloudFront VPC origin needs an internal load balancer in private subnets.
            "internal": True,
            "security_groups": [sg.id],
            "subnets": network.private_subnet_ids,
            "drop_invalid_header_fields": True,
            "desync_mitigation_mode": "defensive",
            "enable_deletion_protection": True,
            "idle_timeout": IDLE_TIMEOUT_SECONDS,
            "access_logs": {"bucket": bucket.bucket, "prefix": ACCESS_LOG_PREFIX, "enabled": True},
        },
        opts=pulumi.ResourceOptions(depends_on=[bucket_policy]),
    )
    return OriginAlb(owner, network, alb, sg, document)


__all__ = ["ROLES", "OriginAlb", "build_origin_alb"]
