"""An Express service's own task security group: what linked databases, caches and
queues admit, exactly as on Fargate."""

from __future__ import annotations

import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.network.component import Network
from gridops_infra.service.spec.settings import ServiceSpec

ROLES = ("security_group", "ingress_rule", "egress_rule")


def task_security_group(
    owner: GridopsComponent, spec: ServiceSpec, network: Network
) -> aws.ec2.SecurityGroup:
    """In: the service port from the VPC's own block only. ECS creates the shared load
    balancer (and its security group) after this group exists, so the group cannot be
    named here; the load balancer's nodes sit in the VPC's subnets, and nothing outside
    the VPC reaches the tasks, public addresses or not. Out: the VPC (linked resources,
    DNS, endpoints) and the internet on `internet_egress_ports`."""
    cidr = network.cidr_block
    sg = owner.child(
        "security_group",
        aws.ec2.SecurityGroup,
        {
            "vpc_id": network.vpc_id,
            "description": f"Tasks of {spec.name}: only the VPC may connect, on {spec.port}",
            "tags": {"Name": f"{owner.name}-tasks"},
        },
        suffix="sg",
    )
    owner.child(
        "ingress_rule",
        aws.vpc.SecurityGroupIngressRule,
        {
            "security_group_id": sg.id,
            "cidr_ipv4": cidr,
            "ip_protocol": "tcp",
            "from_port": spec.port,
            "to_port": spec.port,
            "description": "the Express load balancer inside the VPC",
        },
        suffix="in-from-vpc",
    )
    owner.child(
        "egress_rule",
        aws.vpc.SecurityGroupEgressRule,
        {
            "security_group_id": sg.id,
            "cidr_ipv4": cidr,
            "ip_protocol": "-1",
            "description": "inside the VPC: linked resources, DNS, endpoints",
        },
        suffix="out-vpc",
    )
    for port in spec.internet_egress_ports:
        owner.child(
            "egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": sg.id,
                "cidr_ipv4": "0.0.0.0/0",
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "description": f"internet on {port}",
            },
            suffix=f"out-internet-{port}",
        )
    return sg


__all__ = ["ROLES", "task_security_group"]
