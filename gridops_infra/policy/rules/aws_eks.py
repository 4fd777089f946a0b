"""AWS's own create-time rules for EKS clusters and managed node groups (catalogue:
`gridops_infra.core.aws_rules.eks`)."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.policy._props import as_list, depends_on, get, number, of_type, peek, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, stack_rule

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
SUBNET = "aws:ec2/subnet:Subnet"
MAX_NODES_PER_GROUP = 450
# Graviton families carry a 'g' right after the generation digit (m7g, c7gn, r8g, t4g);
# a1 is the first Graviton family.
GRAVITON = re.compile(r"(a1|[a-z]+\d+g[a-z]*)\.[a-z0-9]+")


@stack_rule(
    name="eks-cluster-two-azs",
    description="EKS clusters have subnets in at least two Availability Zones (AWS refuses to "
    "create one with fewer).",
    severity=MANDATORY,
    remediation="Give the Network az_count >= 2, or pass subnets of two zones.",
    types=(CLUSTER, SUBNET),
    aws_rule="eks-cluster-two-azs",
)
def cluster_two_azs(args: Any, report: ReportViolation) -> None:
    subnets = of_type(args.resources, SUBNET)
    for cluster in of_type(args.resources, CLUSTER):
        used = [s for s in subnets if depends_on(cluster, "vpcConfig", s)]
        zones = {text(peek(s.props, "availabilityZone")) for s in used}
        if used and "" not in zones and len(zones) < 2:
            report(
                f"cluster {cluster.name!r} has subnets in one Availability Zone only "
                f"({', '.join(sorted(zones))}).",
                cluster.urn,
            )
            continue
        ids = peek(cluster.props, "vpcConfig", "subnetIds")
        if not used and isinstance(ids, list | tuple) and len(ids) < 2:
            report(f"cluster {cluster.name!r} has {len(ids)} subnet(s).", cluster.urn)


@resource_rule(
    name="eks-node-group-scaling",
    description="Managed node groups scale with 0 <= minSize <= desiredSize <= maxSize, "
    "1 <= maxSize <= 450.",
    severity=MANDATORY,
    remediation="Fix scaling_config so min <= desired <= max and max is 1..450.",
    types=(NODE_GROUP,),
    aws_rule="eks-node-group-scaling",
)
def node_group_scaling(args: Any, report: ReportViolation) -> None:
    scaling = get(args.props, "scalingConfig")
    lo, desired, hi = (number(get(scaling, k)) for k in ("minSize", "desiredSize", "maxSize"))
    if lo is None or desired is None or hi is None:
        return
    if not (0 <= lo <= desired <= hi and 1 <= hi <= MAX_NODES_PER_GROUP):
        report(
            f"scalingConfig min={lo:g}, desired={desired:g}, max={hi:g} breaks 0 <= min <= "
            f"desired <= max, 1 <= max <= {MAX_NODES_PER_GROUP}."
        )


@resource_rule(
    name="eks-node-group-architecture",
    description="A managed node group's instance types match its AMI type's architecture.",
    severity=MANDATORY,
    remediation="Use Graviton types (m7g, c7g, ...) with an ARM_64 AMI type and x86 types "
    "with an x86_64 one.",
    types=(NODE_GROUP,),
    aws_rule="eks-node-group-architecture",
)
def node_group_architecture(args: Any, report: ReportViolation) -> None:
    ami = text(get(args.props, "amiType")).upper()
    if "ARM_64" in ami:
        arm = True
    elif "X86_64" in ami:
        arm = False
    else:
        return  # custom AMI (launch template) or a type whose architecture we do not read
    for instance_type in map(text, as_list(get(args.props, "instanceTypes"))):
        if bool(GRAVITON.fullmatch(instance_type)) != arm:
            kind = "x86" if arm else "Graviton (arm64)"
            report(f"instance type {instance_type} is {kind}, but amiType is {ami}.")
