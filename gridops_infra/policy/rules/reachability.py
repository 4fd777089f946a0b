"""Reachability at start: workloads whose subnets have no route to the internet reach only
the VPC endpoints of their VPC, so the Plan must hold the ones they need; and the endpoints
must be usable (private DNS on a VPC that resolves it, HTTPS admitted).

Components refuse what they see (FargateCluster services and workers, EksCluster); these
rules judge what only the whole Plan shows: your own ECS services and node groups,
transforms, images given as Outputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gridops_infra.policy._props import (
    UNKNOWN,
    as_list,
    depends_on,
    is_true,
    number,
    of_type,
    parse_json,
    peek,
    text,
)
from gridops_infra.policy._routes import (
    TYPES as NETWORK_TYPES,
)
from gridops_infra.policy._routes import (
    VPC,
    VPC_ENDPOINT,
    Reach,
    Routes,
    points_at,
    public_ip_on_launch,
)
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule

ECS_SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULES = (
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
)
ECR_IMAGE = re.compile(r"\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/.+")
ECR_PULL = ("ecr.api", "ecr.dkr", "s3")
NODE_JOIN = ("ec2", "ecr.api", "ecr.dkr", "sts", "s3")
NAT_FIX = (
    'Give the Network nat="single" or nat="per-az", or create the endpoints (Network '
    'vpc_endpoints=["fargate"]; the S3 gateway endpoint on the subnets\' route tables).'
)


def _isolated_services(resources: list[Any]) -> Iterator[tuple[Any, Reach]]:
    """Each ECS service in awsvpc mode with a subnet of the Plan that has no internet route,
    with what that subnet reaches."""
    routes = Routes(resources)
    for service in of_type(resources, ECS_SERVICE):
        public_ip = is_true(peek(service.props, "networkConfiguration", "assignPublicIp"))
        for subnet in routes.subnets_of(service, "networkConfiguration", "subnets"):
            reach = routes.reach(subnet, public_ip or public_ip_on_launch(subnet))
            if reach is not None and not reach.internet:
                yield service, reach
                break


def _task_definition(service: Any, resources: list[Any]) -> Any | None:
    for task in of_type(resources, TASK_DEFINITION):
        if points_at(service, "taskDefinition", task):
            return task
        arn = peek(task.props, "arn")
        if isinstance(arn, str) and peek(service.props, "taskDefinition") == arn:
            return task
    return None


def _containers(task: Any | None) -> list[Any]:
    if task is None:
        return []
    parsed = parse_json(peek(task.props, "containerDefinitions"))
    return [c for c in as_list(parsed) if isinstance(c, dict)]


def _missing(reach: Reach, needed: tuple[str, ...]) -> list[str]:
    return [name for name in needed if name not in reach.endpoints]


@stack_rule(
    name="workload-image-pull-path",
    description="An ECS service whose subnets have no route to the internet has the ECR "
    "(api, dkr) interface endpoints and the S3 gateway endpoint it pulls images through.",
    severity=MANDATORY,
    remediation=NAT_FIX,
    types=(ECS_SERVICE, *NETWORK_TYPES),
    aws_rule="vpce-ecr-pull-endpoints",
)
def image_pull_path(args: Any, report: ReportViolation) -> None:
    for service, reach in _isolated_services(args.resources):
        missing = _missing(reach, ECR_PULL)
        if missing:
            report(
                f"ECS service {service.name} runs in subnets without a route to the internet "
                f"and its VPC lacks the {', '.join(missing)} endpoint(s): its tasks cannot "
                "pull their images.",
                service.urn,
            )


@stack_rule(
    name="workload-image-registry",
    description="An ECS service whose subnets have no route to the internet runs only "
    "images from its Region's private ECR (the only registry VPC endpoints reach).",
    severity=MANDATORY,
    remediation="Copy the images into a private ECR repository of the stack's Region, or give "
    'the Network nat="single" or nat="per-az".',
    types=(ECS_SERVICE, TASK_DEFINITION, *NETWORK_TYPES),
    aws_rule="vpce-ecr-private-registry-only",
)
def image_registry(args: Any, report: ReportViolation) -> None:
    for service, reach in _isolated_services(args.resources):
        task = _task_definition(service, args.resources)
        region = _region(task)
        for container in _containers(task):
            image = container.get("image")
            if not isinstance(image, str):
                continue
            match = ECR_IMAGE.fullmatch(image)
            if match and (region is None or match.group(1) == region):
                continue
            report(
                f"ECS service {service.name} runs in subnets without a route to the internet "
                f"and container {container.get('name')!r} pulls {image}, which no VPC endpoint "
                f"reaches (endpoints reach: {', '.join(sorted(reach.endpoints)) or 'none'}).",
                service.urn,
            )


def _region(task: Any | None) -> str | None:
    """The task definition's Region, from its ARN (`arn:aws:ecs:<region>:...`)."""
    arn = peek(task.props, "arn") if task is not None else None
    parts = arn.split(":") if isinstance(arn, str) else []
    return parts[3] if len(parts) > 3 and parts[3] else None


@stack_rule(
    name="workload-log-path",
    description="An ECS service logging with awslogs from subnets without a route to the "
    "internet has the CloudWatch Logs interface endpoint in its VPC.",
    severity=MANDATORY,
    remediation=NAT_FIX,
    types=(ECS_SERVICE, TASK_DEFINITION, *NETWORK_TYPES),
    aws_rule="vpce-awslogs-endpoint",
)
def log_path(args: Any, report: ReportViolation) -> None:
    for service, reach in _isolated_services(args.resources):
        containers = _containers(_task_definition(service, args.resources))
        uses_awslogs = any(
            text(peek(c, "logConfiguration", "logDriver")) == "awslogs" for c in containers
        )
        if uses_awslogs and "logs" not in reach.endpoints:
            report(
                f"ECS service {service.name} logs with awslogs from subnets without a route "
                "to the internet and its VPC has no logs endpoint: its tasks fail to start.",
                service.urn,
            )


@stack_rule(
    name="workload-secrets-path",
    description="An ECS service whose task reads Secrets Manager secrets or SSM parameters "
    "from subnets without a route to the internet has the matching interface endpoint.",
    severity=MANDATORY,
    remediation=NAT_FIX,
    types=(ECS_SERVICE, TASK_DEFINITION, *NETWORK_TYPES),
    aws_rule="vpce-secrets-endpoints",
)
def secrets_path(args: Any, report: ReportViolation) -> None:
    for service, reach in _isolated_services(args.resources):
        needed: set[str] = set()
        for container in _containers(_task_definition(service, args.resources)):
            refs = [peek(s, "valueFrom") for s in as_list(container.get("secrets"))]
            refs.append(peek(container, "repositoryCredentials", "credentialsParameter"))
            for ref in refs:
                if isinstance(ref, str) and ":ssm:" in ref:
                    needed.add("ssm")
                elif isinstance(ref, str) and ref:
                    needed.add("secretsmanager")
        missing = sorted(needed - reach.endpoints)
        if missing:
            report(
                f"ECS service {service.name} reads secrets from subnets without a route to "
                f"the internet and its VPC lacks the {', '.join(missing)} endpoint(s): its "
                "tasks fail to start.",
                service.urn,
            )


@stack_rule(
    name="eks-nodes-join-path",
    description="An EKS node group whose subnets have no route to the internet has the "
    "endpoints its nodes need to join (ec2, ecr.api, ecr.dkr, sts, S3) and a cluster with "
    "private endpoint access.",
    severity=MANDATORY,
    remediation='Give the Network nat="single" or nat="per-az" (EksCluster requires it).',
    types=(NODE_GROUP, EKS_CLUSTER, *NETWORK_TYPES),
    aws_rule="vpce-eks-private-cluster",
)
def nodes_join_path(args: Any, report: ReportViolation) -> None:
    routes = Routes(args.resources)
    clusters = of_type(args.resources, EKS_CLUSTER)
    for group in of_type(args.resources, NODE_GROUP):
        for subnet in routes.subnets_of(group, "subnetIds"):
            reach = routes.reach(subnet, public_ip_on_launch(subnet))
            if reach is None or reach.internet:
                continue
            problems = []
            missing = _missing(reach, NODE_JOIN)
            if missing:
                problems.append(f"its VPC lacks the {', '.join(missing)} endpoint(s)")
            cluster = _cluster_of(group, clusters)
            if cluster is not None:
                private = peek(cluster.props, "vpcConfig", "endpointPrivateAccess")
                if private is not UNKNOWN and not is_true(private):
                    problems.append(f"cluster {cluster.name} has no private endpoint access")
            if problems:
                report(
                    f"EKS node group {group.name} runs in subnets without a route to the "
                    f"internet and {' and '.join(problems)}: its nodes cannot join the cluster.",
                    group.urn,
                )
            break


def _cluster_of(group: Any, clusters: list[Any]) -> Any | None:
    name = peek(group.props, "clusterName")
    for cluster in clusters:
        if depends_on(group, "clusterName", cluster) or (
            isinstance(name, str) and peek(cluster.props, "name") == name
        ):
            return cluster
    return None


def _interface_endpoints(resources: list[Any]) -> list[Any]:
    return [
        e
        for e in of_type(resources, VPC_ENDPOINT)
        if text(peek(e.props, "vpcEndpointType")) == "Interface"
    ]


@stack_rule(
    name="vpc-endpoint-private-dns",
    description="Interface endpoints with private DNS are in a VPC with DNS support and DNS "
    "hostnames on.",
    severity=MANDATORY,
    remediation="Set enable_dns_support=True and enable_dns_hostnames=True on the VPC.",
    types=(VPC_ENDPOINT, VPC),
    aws_rule="vpce-private-dns-needs-vpc-dns",
)
def private_dns(args: Any, report: ReportViolation) -> None:
    vpcs = of_type(args.resources, VPC)
    for endpoint in _interface_endpoints(args.resources):
        if not is_true(peek(endpoint.props, "privateDnsEnabled")):
            continue
        for vpc in vpcs:
            if not points_at(endpoint, "vpcId", vpc):
                continue
            support = peek(vpc.props, "enableDnsSupport")
            hostnames = peek(vpc.props, "enableDnsHostnames")
            # AWS's defaults: DNS support on, DNS hostnames off (for a non-default VPC).
            support_off = support is not None and support is not UNKNOWN and not is_true(support)
            hostnames_off = hostnames is not UNKNOWN and not is_true(hostnames)
            if support_off or hostnames_off:
                report(
                    f"VPC endpoint {endpoint.name} has private DNS, but VPC {vpc.name} has "
                    f"enableDnsSupport={support!r}, enableDnsHostnames={hostnames!r}.",
                    endpoint.urn,
                )


def _admits_https(group: Any, rules: list[Any]) -> bool:
    inline = [r for r in as_list(peek(group.props, "ingress")) if r is not UNKNOWN]
    attached = [
        r.props
        for r in rules
        if text(peek(r.props, "type")) != "egress" and points_at(r, "securityGroupId", group)
    ]
    for rule in [*inline, *attached]:
        protocol = text(peek(rule, "ipProtocol") or peek(rule, "protocol")).lower()
        if protocol in ("-1", "all"):
            return True
        low, high = number(peek(rule, "fromPort")), number(peek(rule, "toPort"))
        if protocol in ("tcp", "6") and low is not None and high is not None and low <= 443 <= high:
            return True
    return False


@stack_rule(
    name="vpc-endpoint-https-ingress",
    description="The security groups of an interface endpoint admit HTTPS (443), or nothing "
    "in the VPC can call the service through it.",
    severity=MANDATORY,
    remediation="Add an ingress rule for TCP 443 from the VPC CIDR (or the workloads' "
    "security groups) to the endpoint's security group.",
    types=(VPC_ENDPOINT, SECURITY_GROUP, *INGRESS_RULES),
    aws_rule="vpce-endpoint-admits-https",
)
def https_ingress(args: Any, report: ReportViolation) -> None:
    groups = of_type(args.resources, SECURITY_GROUP)
    rules = of_type(args.resources, INGRESS_RULES)
    for endpoint in _interface_endpoints(args.resources):
        named = as_list(peek(endpoint.props, "securityGroupIds"))
        mine = [g for g in groups if points_at(endpoint, "securityGroupIds", g)]
        if not mine or len(mine) < len(named):
            continue  # a group outside the Plan (or the VPC's default group) may admit it
        if not any(_admits_https(g, rules) for g in mine):
            report(
                f"VPC endpoint {endpoint.name}: none of its security groups admits TCP 443, "
                "so nothing can reach it.",
                endpoint.urn,
            )
