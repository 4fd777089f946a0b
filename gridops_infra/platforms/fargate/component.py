"""FargateCluster: an ECS cluster on Fargate with one shared ALB (internet-facing, or
internal behind a CloudFront VPC origin)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core.alarm_topic import ROLES as ALARM_TOPIC_ROLES
from gridops_infra.core.alarm_topic import build_alarm_topic
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.random_secrets import random_password
from gridops_infra.core.validation import ArgReader
from gridops_infra.network.component import Network
from gridops_infra.platforms.alb import (
    ACCESS_LOG_PREFIX,
    CLOUDFRONT_PREFIX_LIST,
    NOT_FOUND_ACTION,
    REDIRECT_TO_HTTPS_ACTION,
    TLS_POLICY,
    RulePriorities,
    access_log_bucket,
    admit,
    admit_cloudfront,
)
from gridops_infra.platforms.base import ORIGIN_VERIFY_HEADER, PlatformKind
from gridops_infra.platforms.dns import (
    ACM_CERTIFICATE_ARN,
    CERTIFICATE_ROLES,
    alias_record,
    check_domain,
    validated_certificate,
)
from gridops_infra.platforms.fargate.args import (
    FargateClusterArgs,
    check_alb_zones,
    check_capacity_provider_name,
    check_cluster_name,
    check_ingress_rule_quota,
    check_instances_reach_ecs,
    read_ingress_cidrs,
    read_origin_access,
)
from gridops_infra.platforms.fargate.capacity import ManagedInstances, read_capacity
from gridops_infra.platforms.fargate.managed_instances import ROLES as MANAGED_INSTANCES_ROLES
from gridops_infra.platforms.fargate.managed_instances import (
    ManagedInstancesCapacity,
    build_managed_instances,
)

# Behind a CDN with a public ALB: the header CloudFront adds to every origin request, which
# each service's listener rule requires; requests without it match no rule and get
# FORBIDDEN_ACTION.
FORBIDDEN_ACTION = {
    "type": "fixed-response",
    "fixed_response": {
        "content_type": "text/plain",
        "message_body": "Forbidden",
        "status_code": "403",
    },
}


class FargateCluster(GridopsComponent):
    """An ECS cluster (Container Insights on; FARGATE and FARGATE_SPOT capacity providers, or
    an Amazon ECS Managed Instances capacity provider with `capacity="managed-instances"`)
    with one ALB that every StatelessService on it shares: each service adds
    its own target group and listener rule.

    The ALB has deletion protection on, drops invalid headers and writes access logs to an
    encrypted S3 bucket. With a certificate or `domain`, port 80 only redirects to HTTPS
    (TLS 1.2+); without, port 80 serves. It is internet-facing, in the network's public
    subnets, unless the cluster is behind a CDN with a VPC origin.

    Behind a CDN (`behind_cdn: True`, for CdnFrontend): the cluster, not the CDN, locks
    the ALB down, because its ingress rules and the services' listener rules exist before
    any CDN does. Only CloudFront's origin-facing prefix list may connect. With
    `origin_access: "vpc-origin"` (the default) the ALB is internal, in the private
    subnets, and the CdnFrontend reaches it through a CloudFront VPC origin: no public
    address, no shared secret. With `"public-with-header"` the ALB stays internet-facing,
    every service rule also requires `X-Origin-Verify: <origin_verify_secret>` (the CDN
    sends it), and everything else gets 403.

    Naming: any length. The ALB is autonamed `f"{name}-alb-" + 7 random characters`
    while that fits AWS's 32 characters, else from a 6-character name_prefix the provider
    completes (docs/naming.md); either way no fixed physical name, so replacements never
    collide.

    Example: `FargateCluster("prod", {"network": net})`
    """

    TYPE = "gridops:aws:FargateCluster"
    CHILD_ROLES = (
        "cluster",
        "capacity_providers",
        "alb_security_group",
        "alb_ingress_rule",
        "alb_logs_bucket",
        "alb_logs_public_access_block",
        "alb_logs_ownership",
        "alb_logs_encryption",
        "alb_logs_lifecycle",
        "alb_logs_policy",
        "alb",
        "http_listener",
        "https_listener",
        "origin_verify_secret",
        *CERTIFICATE_ROLES,
        *ALARM_TOPIC_ROLES,
        *MANAGED_INSTANCES_ROLES,
    )
    kind: PlatformKind = "fargate"
    """Services on this platform are built by the `"fargate"` backend."""

    network: Network
    """The Network the cluster and its services run in."""
    cluster: aws.ecs.Cluster
    """The ECS cluster."""
    alarm_topic: aws.sns.Topic
    """The encrypted SNS topic this platform's own alarms, and those of the components
    running on it (queue backlog and dead letters), notify. Subscribe to it
    (`aws.sns.TopicSubscription`), or watch the components with an ObservabilityStack,
    which subscribes its alert addresses."""
    alarm_topic_arn: pulumi.Output[str]
    """The ARN of `alarm_topic` (an output of the stack worth exporting)."""
    cluster_name: pulumi.Output[str]
    """The ECS cluster's name (the `ClusterName` metric dimension)."""
    cluster_arn: pulumi.Output[str]
    """The ECS cluster's ARN."""
    capacity_providers: aws.ecs.ClusterCapacityProviders
    """The cluster's capacity providers (FARGATE and FARGATE_SPOT, or its Managed Instances
    provider), associated with the cluster; services wait for it."""
    capacity: str
    """`"fargate"` or `"managed-instances"` (see `FargateClusterArgs.capacity`)."""
    managed_instances: ManagedInstances | None
    """With `capacity="managed-instances"`: the instance types, architecture and volume the
    capacity provider may launch; None on Fargate."""
    managed_instances_capacity: ManagedInstancesCapacity | None
    """With `capacity="managed-instances"`: the capacity provider, its roles and the
    instances' security group; None on Fargate."""
    alb: aws.lb.LoadBalancer
    """The shared Application Load Balancer."""
    alb_security_group_id: pulumi.Output[str]
    """The ALB's security group; services admit only this group on their port."""
    alb_arn_suffix: pulumi.Output[str]
    """`app/<name>/<id>`: the `LoadBalancer` CloudWatch dimension."""
    http_listener: aws.lb.Listener
    """Port 80: redirects to HTTPS when the cluster has a certificate, serves otherwise."""
    https_listener: aws.lb.Listener | None
    """Port 443 (TLS 1.2+), present when the cluster or one of its services has a
    certificate."""
    url: pulumi.Output[str]
    """`https://<domain>`, else `http(s)://<ALB DNS name>`. Behind a VPC origin the ALB is
    internal: this URL answers only inside the VPC; viewers use the CdnFrontend's `url`."""
    domain: str | None
    """The cluster's DNS name, when given."""
    access_log_policy_document: pulumi.Output[str]
    """The access-log bucket's policy JSON (for review and tests)."""
    behind_cdn: bool
    """Only CloudFront reaches the ALB (see `FargateClusterArgs.behind_cdn`)."""
    origin_access: str | None
    """Behind a CDN: `"vpc-origin"` (internal ALB) or `"public-with-header"`; else None."""
    origin_verify_secret: pulumi.Output[str] | None
    """Behind a CDN with `"public-with-header"`: the secret value of the `X-Origin-Verify` header every service rule
    requires (a Pulumi secret); None otherwise."""

    def __init__(
        self,
        name: str,
        args: FargateClusterArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_cluster_name(name)
        a = ArgReader("FargateCluster", name, args, FargateClusterArgs.__annotations__)
        network = a.instance_of("network", (Network,))
        check_alb_zones(a, network)
        certificate_arn = a.optional_string(
            "certificate_arn",
            ACM_CERTIFICATE_ARN,
            "expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
        )
        domain = check_domain("FargateCluster", name, a.raw("domain"), a.raw("zone_id"))
        if domain and certificate_arn:
            raise a.fail(
                "certificate_arn",
                certificate_arn,
                "give either certificate_arn or domain (which creates its own certificate)",
            )
        deletion_protection = a.boolean("alb_deletion_protection", True)
        log_days = a.integer("access_log_retention_days", 90, 1, 3650)
        idle_timeout = a.integer("idle_timeout_seconds", 60, 1, 4000)
        ingress_cidrs = read_ingress_cidrs(a)
        check_ingress_rule_quota(a, ingress_cidrs)
        behind_cdn = a.boolean("behind_cdn", False)
        if behind_cdn and a.has("ingress_cidrs"):
            raise a.fail(
                "ingress_cidrs",
                a.raw("ingress_cidrs"),
                "not with behind_cdn, where only CloudFront's origin-facing ranges reach the ALB",
            )
        origin_access = read_origin_access(a, behind_cdn)
        insights = a.choice("container_insights", "enabled", ("enabled", "enhanced"))
        capacity, managed_instances = read_capacity(a)
        if managed_instances is not None:
            check_capacity_provider_name(name)
            check_instances_reach_ecs(name, network)
        transforms = check_transforms("FargateCluster", name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))

        self.network = network
        self.domain = domain[0] if domain else None
        self.rule_priorities = RulePriorities()
        self._ingress_cidrs_list = ingress_cidrs
        self.behind_cdn = behind_cdn
        self.origin_access = origin_access
        self.origin_verify_secret = None
        internal = origin_access == "vpc-origin"
        if origin_access == "public-with-header":
            # Letters and digits only: ALB header conditions treat * and ? as wildcards.
            secret = random_password(
                self, "origin_verify_secret", 48, suffix="origin-verify", mixed=False
            )
            self.origin_verify_secret = pulumi.Output.secret(secret.result)

        self.cluster = self.child(
            "cluster",
            aws.ecs.Cluster,
            {"settings": [{"name": "containerInsights", "value": insights}]},
        )
        self.cluster_name = self.cluster.name
        self.cluster_arn = self.cluster.arn
        self.capacity = capacity
        self.managed_instances = managed_instances
        self.managed_instances_capacity = None
        providers: list[pulumi.Input[str]] = ["FARGATE", "FARGATE_SPOT"]
        default_provider: pulumi.Input[str] = "FARGATE"
        if managed_instances is not None:
            self.managed_instances_capacity = build_managed_instances(
                self,
                managed_instances,
                cluster=self.cluster,
                vpc_id=network.vpc_id,
                subnet_ids=network.private_subnet_ids,
            )
            default_provider = self.managed_instances_capacity.name
            providers = [default_provider]
        self.capacity_providers = self.child(
            "capacity_providers",
            aws.ecs.ClusterCapacityProviders,
            {
                "cluster_name": self.cluster.name,
                "capacity_providers": providers,
                "default_capacity_provider_strategies": [
                    {"capacity_provider": default_provider, "weight": 1, "base": 0}
                ],
            },
        )

        sg = self.child(
            "alb_security_group",
            aws.ec2.SecurityGroup,
            {
                "vpc_id": network.vpc_id,
                "description": f"ALB of {name}: HTTP/HTTPS in, only to its services out",
                "tags": {"Name": f"{name}-alb"},
            },
            suffix="alb-sg",
        )
        self.alb_security_group = sg
        self.alb_security_group_id = sg.id
        # Behind a CDN with TLS, CloudFront connects on 443 only, so 80 stays closed.
        if not (behind_cdn and (domain or certificate_arn)):
            self._open_port(80)

        bucket, bucket_policy, self.access_log_policy_document = access_log_bucket(self, log_days)
        self.alb = self.child(
            "alb",
            aws.lb.LoadBalancer,
            {
                "load_balancer_type": "application",
                "internal": internal,
                "security_groups": [sg.id],
                # A CloudFront VPC origin needs the ALB in private subnets.
                "subnets": network.private_subnet_ids if internal else network.public_subnet_ids,
                "drop_invalid_header_fields": True,
                "desync_mitigation_mode": "defensive",
                "enable_deletion_protection": deletion_protection,
                "idle_timeout": idle_timeout,
                "access_logs": {
                    "bucket": bucket.bucket,
                    "prefix": ACCESS_LOG_PREFIX,
                    "enabled": True,
                },
            },
            opts=pulumi.ResourceOptions(depends_on=[bucket_policy]),
        )
        self.alb_arn_suffix = self.alb.arn_suffix

        if domain:
            certificate_arn = validated_certificate(self, domain[0], domain[1], wildcard=True)
            alias_record(self, domain[0], domain[1], self.alb)
        self.https_listener = None
        if certificate_arn:
            self._create_https_listener(certificate_arn)
        self.http_listener = self.child(
            "http_listener",
            aws.lb.Listener,
            {
                "load_balancer_arn": self.alb.arn,
                "port": 80,
                "protocol": "HTTP",
                "default_actions": [
                    REDIRECT_TO_HTTPS_ACTION if certificate_arn else self._default_action
                ],
            },
        )
        self.redirects_http = bool(certificate_arn)
        if self.domain:
            self.url = pulumi.Output.from_input(f"https://{self.domain}")
        else:
            scheme = "https" if certificate_arn else "http"
            self.url = self.alb.dns_name.apply(lambda dns: f"{scheme}://{dns}")

        self.alarm_topic = build_alarm_topic(self, f"FargateCluster {name}")
        self.alarm_topic_arn = self.alarm_topic.arn
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "cluster_arn": self.cluster_arn,
                "alarm_topic_arn": self.alarm_topic_arn,
                "alb_arn": self.alb.arn,
                "alb_dns_name": self.alb.dns_name,
                "alb_security_group_id": self.alb_security_group_id,
                "url": self.url,
            }
        )

    @property
    def listener(self) -> aws.lb.Listener:
        """The listener services attach their rules to: HTTPS when the cluster has a
        certificate (port 80 then only redirects), HTTP otherwise."""
        if self.redirects_http and self.https_listener is not None:
            return self.https_listener
        return self.http_listener

    def reserve_rule_priority(
        self,
        service_name: str,
        hosts: tuple[str, ...],
        path_patterns: tuple[str, ...],
        priority: int | None = None,
    ) -> int:
        """A unique listener-rule priority for one service (before it registers anything):
        specific rules in registration order from 100, catch-all rules from 45000; an
        error when another service already matches exactly the same hosts and paths."""
        return self.rule_priorities.reserve(service_name, hosts, path_patterns, priority)

    def https_listener_for(
        self, certificate_arn: pulumi.Input[str]
    ) -> tuple[aws.lb.Listener, bool]:
        """The HTTPS listener, created on first use with `certificate_arn` as its default
        certificate (and port 443 opened). Returns (listener, created): when not created
        here, the caller attaches its certificate with an `aws.lb.ListenerCertificate`."""
        if self.https_listener is not None:
            return self.https_listener, False
        return self._create_https_listener(certificate_arn), True

    def _create_https_listener(self, certificate_arn: pulumi.Input[str]) -> aws.lb.Listener:
        self._open_port(443)
        self.https_listener = self.child(
            "https_listener",
            aws.lb.Listener,
            {
                "load_balancer_arn": self.alb.arn,
                "port": 443,
                "protocol": "HTTPS",
                "ssl_policy": TLS_POLICY,
                "certificate_arn": certificate_arn,
                "default_actions": [self._default_action],
            },
        )
        return self.https_listener

    @property
    def _default_action(self) -> dict:
        return FORBIDDEN_ACTION if self.origin_verify_secret is not None else NOT_FOUND_ACTION

    def _open_port(self, port: int) -> None:
        sg = self.alb_security_group.id
        if not self.behind_cdn:
            for i, cidr in enumerate(self._ingress_cidrs_list):
                admit(
                    self,
                    sg,
                    port,
                    {"cidr_ipv4": cidr},
                    f"clients to the ALB on {port}",
                    f"-{i}" if i else "",
                )
            return
        vpc_origin = self.origin_access == "vpc-origin"
        admit_cloudfront(self, sg, port, self.network.cidr_block if vpc_origin else None)


__all__ = [
    "CLOUDFRONT_PREFIX_LIST",
    "FORBIDDEN_ACTION",
    "ORIGIN_VERIFY_HEADER",
    "FargateCluster",
    "FargateClusterArgs",
]
