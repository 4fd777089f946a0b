"""The SingleServer's ways in and out: its security group (HTTP in from the allowed
CIDRs, HTTPS too when the proxy has a certificate, for a domain or for the Elastic IP;
the VPC and chosen internet ports out; no SSH), the
network interface holding the Elastic IP, and the DNS record behind its URL."""

from __future__ import annotations

from typing import TypeVar

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.fargate.component import CLOUDFRONT_PREFIX_LIST
from gridops_infra.platforms.single_server.args import ServerSettings

PROXY_PORTS = (80, 443)
Rule = TypeVar("Rule", aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule)


def host_security_group(server: GridopsComponent, s: ServerSettings) -> aws.ec2.SecurityGroup:
    """The group with its ingress rules and the rule out to the VPC (internet ports are
    opened one by one with `internet_egress_rule`)."""
    sg = server.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": s.network.vpc_id,
            "description": (
                f"SingleServer {server.name}: HTTP in from CloudFront only, no SSH"
                if s.behind_cdn
                else f"SingleServer {server.name}: HTTP/HTTPS in, no SSH"
            ),
            "tags": {"Name": server.name},
        },
        suffix="sg",
    )
    if s.behind_cdn:
        # One rule on one port: the prefix list counts as 55 rules against the group's
        # inbound-rule quota (60 by default).
        prefix_list = aws.ec2.get_managed_prefix_list(name=CLOUDFRONT_PREFIX_LIST)
        server.child(
            "ingress_rule",
            aws.vpc.SecurityGroupIngressRule,
            {
                "security_group_id": sg.id,
                "ip_protocol": "tcp",
                "from_port": 80,
                "to_port": 80,
                "prefix_list_id": prefix_list.id,
                "description": "CloudFront origin-facing ranges to the proxy on 80",
            },
            suffix="in-80-cloudfront",
        )
    # Without a certificate (no domain, ip_certificate off) the proxy serves HTTP only:
    # 443 stays shut.
    serves_https = bool(s.domain) or s.ip_certificate
    open_ports = () if s.behind_cdn else PROXY_PORTS if serves_https else (80,)
    for port in open_ports:
        for i, cidr in enumerate(s.ingress_cidrs):
            _tcp_rule(
                server,
                "ingress_rule",
                aws.vpc.SecurityGroupIngressRule,
                sg.id,
                (port, port),
                cidr,
                f"clients to the proxy on {port}",
                suffix=f"in-{port}" + (f"-{i}" if i else ""),
            )
    _tcp_rule(
        server,
        "egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        sg.id,
        (0, 65535),
        s.network.cidr_block,
        "host to the VPC (linked databases, caches)",
        suffix="out-vpc",
    )
    return sg


def internet_egress_rule(
    server: GridopsComponent, security_group_id: pulumi.Input[str], port: int
) -> aws.vpc.SecurityGroupEgressRule:
    return _tcp_rule(
        server,
        "egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        security_group_id,
        (port, port),
        "0.0.0.0/0",
        f"host to the internet on {port}",
        suffix=f"out-{port}",
    )


def _tcp_rule(
    server: GridopsComponent,
    role: str,
    cls: type[Rule],
    security_group_id: pulumi.Input[str],
    ports: tuple[int, int],
    cidr: pulumi.Input[str],
    description: str,
    *,
    suffix: str,
) -> Rule:
    """One TCP rule (a port range to or from one CIDR) on the host's security group."""
    return server.child(
        role,
        cls,
        {
            "security_group_id": security_group_id,
            "ip_protocol": "tcp",
            "from_port": ports[0],
            "to_port": ports[1],
            "cidr_ipv4": cidr,
            "description": description,
        },
        suffix=suffix,
    )


def public_interface(
    server: GridopsComponent, subnet_id: pulumi.Input[str], security_group_id: pulumi.Input[str]
) -> tuple[aws.ec2.NetworkInterface, aws.ec2.Eip]:
    """The primary network interface and its Elastic IP: both outlive instances, so the
    address survives an instance replacement."""
    name = server.name
    eni = server.child(
        "network_interface",
        aws.ec2.NetworkInterface,
        {
            "subnet_id": subnet_id,
            "security_groups": [security_group_id],
            "description": f"SingleServer {name}: primary interface (keeps the Elastic IP)",
            "tags": {"Name": name},
        },
        suffix="eni",
    )
    eip = server.child(
        "elastic_ip",
        aws.ec2.Eip,
        {"domain": "vpc", "network_interface": eni.id, "tags": {"Name": name}},
        suffix="eip",
    )
    return eni, eip


def server_url(server: GridopsComponent, s: ServerSettings, eip: aws.ec2.Eip) -> pulumi.Output[str]:
    """`https://<domain>` (with its A record when the zone is given, unless `dns_record` is
    false), else `https://<elastic ip>` with `ip_certificate`, or `http://<elastic ip>`."""
    if s.domain and s.zone_id and s.dns_record:
        server.child(
            "dns_record",
            aws.route53.Record,
            {
                "zone_id": s.zone_id,
                "name": s.domain,
                "type": "A",
                "ttl": 300,
                "records": [eip.public_ip],
            },
            suffix="dns",
            tag=False,
        )
    if s.domain:
        return pulumi.Output.from_input(f"https://{s.domain}")
    scheme = "https" if s.ip_certificate else "http"
    return eip.public_ip.apply(lambda ip: f"{scheme}://{ip}")


__all__ = [
    "PROXY_PORTS",
    "host_security_group",
    "internet_egress_rule",
    "public_interface",
    "server_url",
]
