"""The shared Application Load Balancer pieces: access-log bucket, listener rule
priorities and the inbound rules of the ALB's security group (FargateCluster builds its
ALB from these, and so does EksCluster behind a CloudFront VPC origin)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.elb import LISTENER_RULE_PRIORITY
from gridops_infra.core.buckets import access_log_settings
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.validation import ArgError

# TLS 1.3 with TLS 1.2 fallback, no TLS 1.0/1.1 (AWS's recommended ALB policy).
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
NOT_FOUND_ACTION = {
    "type": "fixed-response",
    "fixed_response": {
        "content_type": "text/plain",
        "message_body": "Not found",
        "status_code": "404",
    },
}
REDIRECT_TO_HTTPS_ACTION = {
    "type": "redirect",
    "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"},
}
ACCESS_LOG_PREFIX = "alb"
# CloudFront's origin-facing address ranges, an AWS managed prefix list.
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"


# Listener rule priorities (1..50000, lower wins). Rules that match on a host or a
# specific path come first, in registration order; a catch-all (`/*`, no host) goes to
# the end so it never shadows a more specific service on the same listener.
FIRST_SPECIFIC_PRIORITY = 100
FIRST_CATCH_ALL_PRIORITY = 45000
PRIORITY_STEP = 10
MAX_PRIORITY = 50000


def is_catch_all(hosts: tuple[str, ...], paths: tuple[str, ...]) -> bool:
    return not hosts and set(paths) <= {"/*", "*"}


@dataclass
class RulePriorities:
    """Hands out listener-rule priorities for the services sharing one ALB.

    State lives on the cluster object (never module-global), so two clusters, or two
    previews in one process, never share numbers; the numbers follow registration
    order, so the same program always gets the same priorities.
    """

    owners: dict[int, str] = field(default_factory=dict)
    conditions: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = field(default_factory=dict)
    _next_specific: int = FIRST_SPECIFIC_PRIORITY
    _next_catch_all: int = FIRST_CATCH_ALL_PRIORITY

    def reserve(
        self,
        owner: str,
        hosts: tuple[str, ...],
        paths: tuple[str, ...],
        priority: int | None = None,
    ) -> int:
        """A free priority for `owner`'s rule; an error when another service on this ALB
        already matches exactly the same hosts and paths, or owns `priority`."""
        key = (tuple(sorted(h.lower() for h in hosts)), tuple(sorted(paths)))
        other = self.conditions.get(key)
        if other is not None and other != owner:
            raise ArgError(
                f"StatelessService '{owner}': hosts={list(hosts)!r} and "
                f"path_patterns={list(paths)!r} are not allowed; service '{other}' on the same "
                "load balancer already matches exactly these, so one of them would never get "
                "traffic. Give each service its own path_patterns or hosts"
            )
        if priority is not None:
            taken_by = self.owners.get(priority)
            if taken_by is not None and taken_by != owner:
                raise LISTENER_RULE_PRIORITY.refuse(
                    f"StatelessService '{owner}'",
                    f"priority={priority} is not allowed",
                    f"service '{taken_by}' on the same load balancer already has it",
                )
        else:
            priority = self._next_free(is_catch_all(hosts, paths))
        self.owners[priority] = owner
        self.conditions[key] = owner
        return priority

    def _next_free(self, catch_all: bool) -> int:
        candidate = self._next_catch_all if catch_all else self._next_specific
        limit = MAX_PRIORITY if catch_all else FIRST_CATCH_ALL_PRIORITY
        while candidate in self.owners:
            candidate += PRIORITY_STEP
        if candidate >= limit:
            raise ArgError(f"no listener rule priority left below {limit} on this load balancer")
        if catch_all:
            self._next_catch_all = candidate + PRIORITY_STEP
        else:
            self._next_specific = candidate + PRIORITY_STEP
        return candidate


def access_log_bucket(
    owner: GridopsComponent, expire_days: int
) -> tuple[aws.s3.Bucket, aws.s3.BucketPolicy, pulumi.Output[str]]:
    """An S3 bucket for ALB access logs: SSE-S3 encrypted (the only encryption ALB log
    delivery supports), public access blocked, ACLs off, objects expiring after
    `expire_days`, TLS-only access and write access for ELB log delivery alone.

    `force_destroy` stays off: deleting the stack never silently deletes audit logs.
    Returns the bucket, its policy (the ALB must wait for it) and the policy document.
    """
    bucket = owner.child("alb_logs_bucket", aws.s3.Bucket, {"force_destroy": False})
    access_log_settings(
        owner, bucket, role_prefix="alb_logs", suffix_prefix="alb-logs", expire_days=expire_days
    )
    document = access_log_policy_document(bucket.arn)
    policy = owner.child(
        "alb_logs_policy", aws.s3.BucketPolicy, {"bucket": bucket.id, "policy": document}
    )
    return bucket, policy, document


def access_log_policy_document(bucket_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """Who may write the logs: the region's ELB account (regions opened before August
    2022) and the ELB log-delivery service (newer regions), each only under
    `alb/AWSLogs/<this account>/`; and nobody over plain HTTP."""
    account = iam.account_id()
    elb_account_arn = aws.elb.get_service_account().arn
    logs_path = pulumi.Output.concat(bucket_arn, f"/{ACCESS_LOG_PREFIX}/AWSLogs/{account}/*")
    by_elb_account = iam.statement(["s3:PutObject"], logs_path, sid="ElbAccountWritesLogs")
    by_elb_account["Principal"] = {"AWS": elb_account_arn}
    by_log_delivery = iam.statement(["s3:PutObject"], logs_path, sid="LogDeliveryWritesLogs")
    by_log_delivery["Principal"] = {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    deny_http = iam.deny_insecure_transport("s3", iam.bucket_and_objects(bucket_arn))
    return iam.policy_document([by_elb_account, by_log_delivery, deny_http])


def admit(
    owner: GridopsComponent,
    security_group_id: pulumi.Input[str],
    port: int,
    source: dict[str, Any],
    description: str,
    suffix: str,
) -> aws.vpc.SecurityGroupIngressRule:
    """One inbound rule of the ALB's security group on `port`, from `source` (a
    `cidr_ipv4` or a `prefix_list_id`): the owner's `alb_ingress_rule` child."""
    return owner.child(
        "alb_ingress_rule",
        aws.vpc.SecurityGroupIngressRule,
        {
            "security_group_id": security_group_id,
            "ip_protocol": "tcp",
            "from_port": port,
            "to_port": port,
            **source,
            "description": description,
        },
        suffix=f"alb-in-{port}{suffix}",
    )


def admit_cloudfront(
    owner: GridopsComponent,
    security_group_id: pulumi.Input[str],
    port: int,
    vpc_origin_cidr: pulumi.Input[str] | None,
) -> None:
    """The ALB behind a CDN admits CloudFront only, on one port: its origin-facing prefix
    list (which counts as 55 rules against the group's inbound-rule quota of 60, hence one
    port); behind a VPC origin (`vpc_origin_cidr`, the VPC's block) also the VPC itself.

    A VPC origin reaches the internal ALB through network interfaces CloudFront places in
    the VPC's subnets. AWS documents both the origin-facing prefix list and the
    CloudFront-VPCOrigins-Service-SG group (made only once the origin exists) for
    admitting it, so the VPC's own block is admitted too: the ALB has no public address,
    and the first deploy answers either way."""
    prefix_list = aws.ec2.get_managed_prefix_list(name=CLOUDFRONT_PREFIX_LIST)
    admit(
        owner,
        security_group_id,
        port,
        {"prefix_list_id": prefix_list.id},
        f"CloudFront origin-facing ranges to the ALB on {port}",
        "-cloudfront",
    )
    if vpc_origin_cidr is not None:
        admit(
            owner,
            security_group_id,
            port,
            {"cidr_ipv4": vpc_origin_cidr},
            f"CloudFront VPC origin interfaces in the VPC on {port}",
            "-vpc-origin",
        )


__all__ = [
    "CLOUDFRONT_PREFIX_LIST",
    "NOT_FOUND_ACTION",
    "REDIRECT_TO_HTTPS_ACTION",
    "TLS_POLICY",
    "RulePriorities",
    "access_log_bucket",
    "access_log_policy_document",
    "admit",
    "admit_cloudfront",
    "is_catch_all",
]
